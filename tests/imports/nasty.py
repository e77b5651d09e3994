"""A folder of our own with one nasty case per bullet of the issue, written byte for byte."""

from __future__ import annotations

from pathlib import Path

FILES: dict[str, bytes] = {
    # A BOM, Windows line endings, MADR 3 front matter, a superseded record pointing up a folder.
    "decisions/0001-use-mysql.md": (
        "\ufeff---\r\nstatus: superseded by ADR-0004\r\ndate: 2019-03-04\r\ndeciders: [Ana Ruiz]\r\n---\r\n"
        "# ADR 001: Use MySQL\r\n\r\n## Context and Problem Statement\r\n\r\nWe need a database.\r\n\r\n"
        '## Decision Outcome\r\n\r\nChosen option: "MySQL", because the team knows it.\r\n'
    ).encode(),
    # MADR 2 bullets, a relative link down into a sub-folder, a partial supersession.
    "decisions/0002-cache-in-redis.md": (
        b"# 2. Cache in Redis\n\n* Status: accepted\n* Deciders: Bo Chen, Cy Diaz\n* Date: 16-Jan-2020\n\n"
        b"Partially superseded by [the later cache decision](later/0005-cache-at-the-edge.md)\n\n"
        b"## Context and Problem Statement\n\nPages are slow.\n\n## Considered Options\n\n* Redis\n* Memcached\n\n"
        b'## Decision Outcome\n\nChosen option: "Redis", because it persists.\n'
    ),
    # Nygard, status in prose at the end, an ambiguous date, amends by number.
    "decisions/0003-adopt-trunk-based-development.md": (
        b"# 3. Adopt trunk-based development\n\nDate: 05/01/2022\n\n## Context\n\nLong branches hurt.\n\n"
        b"## Decision\n\nEveryone merges to main daily.\n\n## Consequences\n\nFeature flags everywhere.\n\n"
        b"## Status\n\nAccepted and applied in v7.\n\nAmends ADR-0002\n"
    ),
    # Supersedes by title; the number 0003 is used twice (a duplicate number, another file).
    "decisions/0004-use-postgres.md": (
        b'# Use Postgres\n\n## Status\n\n**Accepted**\n\nSupersedes "Use MySQL"\n\n## Context\n\nMySQL limits us.\n\n'
        b"## Decision\n\nMove to Postgres 16.\n\n* Date: January 28th, 2022\n"
    ),
    "decisions/0003-duplicate-number.md": (
        b"# Keep a changelog\n\n- Status: proposed\n- Date: May 2025\n\nRelates to [Trunk](0003-adopt-trunk-based-development.md)\n"
        b"\nRelates to [nothing](0099-does-not-exist.md)\n"
    ),
    # The same file name in two sub-folders; a non-ASCII name; no level-1 heading.
    "decisions/later/0005-cache-at-the-edge.md": (
        b"## Status\n\n_Proposed_\n\n## Context\n\nA CDN could cache more.\n\n<!-- ## Status\nRejected -->\n"
    ),
    "teams/payments/0005-cache-at-the-edge.md": (
        b"# Cache at the edge for payments\n\n## Status\n\nDeprecated\n\n```yaml\nstatus: accepted\n```\n"
    ),
    "decisions/0006-éviter-les-dépendances.md": (
        "# 6. Éviter les dépendances inutiles\n\n## Statut\n\nOn hold\n\n## Status\n\nOn hold\n"
    ).encode(),
    # What is skipped: a template, an index, a README, a non-UTF-8 file, a binary, an image, an empty file.
    "decisions/template.md": b"# {short title of solved problem and solution}\n\n* Status: {proposed | accepted}\n",
    "decisions/index.md": b"# Decisions\n\n* [1](0001-use-mysql.md)\n* [2](0002-cache-in-redis.md)\n* [3](0003-adopt-trunk-based-development.md)\n",
    "README.md": b"# Our decisions\n\nSee the decisions folder.\n",
    "decisions/0007-latin1.md": "# 7. Café rules\n\n## Status\n\nAccepted\n".encode("latin-1"),
    "decisions/diagram.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "decisions/diagram.png": b"\x89PNG\r\n\x1a\n\x00\x00",
    "decisions/0008-empty.md": b"   \n",
}

EXPECTED_SKIPS = {
    "decisions/template.md",
    "decisions/index.md",
    "README.md",
    "decisions/0007-latin1.md",
    "decisions/diagram.md",
    "decisions/diagram.png",
    "decisions/0008-empty.md",
}


def write(root: Path) -> Path:
    for relative, content in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root
