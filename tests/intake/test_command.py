"""`manage.py extract_notes`: the issue's JSON, a text view, clear refusals, and nothing written."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from intake.models import Source

CORPUS = Path(__file__).parent / "corpus"


def run(*args: str) -> str:
    out = StringIO()
    call_command("extract_notes", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_output_with_date_and_attendees() -> None:
    data = json.loads(
        run(
            str(CORPUS / "product_review.md"),
            "--date",
            "2026-12-03",
            "--attendees",
            "Lee Chen, Priya Natarajan",
            "--format",
            "json",
        )
    )
    assert data["meeting_date"] == "2026-12-03"
    priya = next(p for p in data["proposals"] if p["text"].startswith("Priya to model"))
    assert priya == {
        "kind": "action",
        "text": "Priya to model the per-workspace option by next Friday.",
        "owner": "Priya",
        "owner_person": "priya-natarajan",
        "due": "2026-12-11",
        "lines": [22],
        "rule": "action-owner-verb",
    }
    assert set(data["proposals"][0]) == {"kind", "text", "owner", "owner_person", "due", "lines", "rule"}
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_text_output_says_what_is_unclear() -> None:
    text = run(str(CORPUS / "product_review.md"), "--format", "text")
    assert "Meeting date: 2026-12-03" in text
    assert "! owner unclear" in text


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"\x00\x01binary", [], "binary"),
        (b"notes", ["--date", "2026-13-01"], "not a date"),
        (b"notes", ["--date", "1800-01-01"], "out of range"),
    ],
)
def test_refusals_are_clear(tmp_path: Path, content: bytes, args: list[str], message: str) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), *args)


def test_a_missing_file_or_one_over_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.md"))
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * (20 * 1024 * 1024))
    with pytest.raises(CommandError, match="over the 2 MB limit"):
        run(str(big))
