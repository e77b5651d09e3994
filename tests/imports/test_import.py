"""The import into the log: the command's JSON, what each record becomes, re-imports, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from decisions.models import Decision
from imports.models import ImportedLink, ImportedRecord
from tests.factories import SurfaceFactory
from tests.imports import nasty

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_decisions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return nasty.write(tmp_path / "team-adrs")


def test_the_dry_run_prints_the_preview_as_json_and_writes_nothing(folder: Path) -> None:
    out, _ = run(str(folder), "--dry-run", "--format", "json")
    document = json.loads(out)
    assert set(document) == {"files"}
    rows = {row["path"]: row for row in document["files"]}
    assert set(rows) == set(nasty.FILES)
    for row in rows.values():
        assert set(row) == {
            "path",
            "action",
            "skip_reason",
            "title",
            "adr_status",
            "status",
            "date",
            "options",
            "chosen_option",
            "links",
            "warnings",
        }
        assert row["action"] in ("create", "update", "skip")
        for link in row["links"]:
            assert set(link) == {"kind", "target", "text", "partial"}
        for warning in row["warnings"]:
            assert set(warning) == {"line", "message"} and warning["line"] >= 1
    mysql = rows["decisions/0001-use-mysql.md"]
    assert mysql == {
        "path": "decisions/0001-use-mysql.md",
        "action": "create",
        "skip_reason": None,
        "title": "Use MySQL",
        "adr_status": "superseded",
        "status": "superseded",
        "date": "2019-03-04",
        "options": 1,
        "chosen_option": "MySQL",
        "links": [
            {
                "kind": "superseded_by",
                "target": "decisions/0004-use-postgres.md",
                "text": "ADR-0004",
                "partial": False,
            }
        ],
        "warnings": [],
    }
    assert rows["decisions/0003-duplicate-number.md"]["date"] == "2025-05"
    assert rows["decisions/0004-use-postgres.md"]["date"] == "2022-01-28"  # a "Date:" line far down
    assert rows["decisions/template.md"]["action"] == "skip"
    assert rows["decisions/0006-éviter-les-dépendances.md"]["status"] == "draft"
    assert Decision.objects.count() == 0


def test_the_import_writes_decisions_with_their_provenance_and_supersession(folder: Path) -> None:
    surface = SurfaceFactory(name="Platform")
    out, _ = run(str(folder), "--surface", "platform")
    assert "8 created" in out
    assert Decision.objects.count() == 8
    mysql = ImportedRecord.objects.get(path="decisions/0001-use-mysql.md")
    postgres = ImportedRecord.objects.get(path="decisions/0004-use-postgres.md")
    assert mysql.source == "team-adrs" and mysql.original_id == "ADR 001"
    assert mysql.original_text.startswith("---\r\nstatus: superseded by ADR-0004")
    assert mysql.decision.status == Decision.Status.SUPERSEDED
    assert mysql.decision.surface == surface
    assert postgres.decision.supersedes == mysql.decision
    assert mysql.decision.superseded_by == postgres.decision
    assert (
        mysql.decision.history.first().history_change_reason
        == "Imported from team-adrs/decisions/0001-use-mysql.md"
    )
    redis = ImportedRecord.objects.get(path="decisions/0002-cache-in-redis.md").decision
    assert redis.status == Decision.Status.DECIDED and redis.decided_on.isoformat() == "2020-01-16"
    assert [(o.title, o.chosen) for o in redis.options.all()] == [("Redis", True), ("Memcached", False)]
    partial = ImportedLink.objects.get(record__decision=redis, kind="superseded_by")
    assert (
        partial.partial and partial.target.imported_from.path == "decisions/later/0005-cache-at-the-edge.md"
    )
    assert not Decision.objects.filter(supersedes=redis).exists()  # a partial supersession is not the chain
    trunk = ImportedRecord.objects.get(path="decisions/0003-adopt-trunk-based-development.md").decision
    assert trunk.outcome == "Everyone merges to main daily."
    assert "Feature flags everywhere." in trunk.reasoning
    assert trunk.decided_on is None  # the date was ambiguous
    deprecated = ImportedRecord.objects.get(path="teams/payments/0005-cache-at-the-edge.md").decision
    assert deprecated.status == Decision.Status.SUPERSEDED
    on_hold = ImportedRecord.objects.get(path="decisions/0006-éviter-les-dépendances.md")
    assert on_hold.decision.status == Decision.Status.DRAFT and on_hold.status_as_written == "On hold"


def test_re_importing_updates_what_changed_creates_what_is_new_and_lists_what_vanished(folder: Path) -> None:
    run(str(folder))
    redis = ImportedRecord.objects.get(path="decisions/0002-cache-in-redis.md").decision
    version = redis.version
    (folder / "decisions/0002-cache-in-redis.md").write_text(
        nasty.FILES["decisions/0002-cache-in-redis.md"]
        .decode()
        .replace("* Memcached", "* Memcached\n* Hazelcast")
    )
    (folder / "decisions/0009-new-one.md").write_text("# 9. A new one\n\n## Status\n\nProposed\n")
    (folder / "decisions/0003-duplicate-number.md").unlink()
    out, _ = run(str(folder), "--dry-run", "--format", "json")
    actions = {row["path"]: row["action"] for row in json.loads(out)["files"]}
    assert actions["decisions/0002-cache-in-redis.md"] == "update"
    assert actions["decisions/0009-new-one.md"] == "create"
    assert actions["decisions/0001-use-mysql.md"] == "skip"
    out, _ = run(str(folder))
    assert "1 created, 1 updated, 6 unchanged" in out
    assert "vanished decisions/0003-duplicate-number.md" in out
    redis.refresh_from_db()
    assert redis.version == version + 1
    assert [o.title for o in redis.options.all()] == ["Redis", "Memcached", "Hazelcast"]
    assert (
        redis.history.first().history_change_reason
        == "Re-imported from team-adrs/decisions/0002-cache-in-redis.md"
    )
    assert ImportedRecord.objects.filter(path="decisions/0003-duplicate-number.md").exists()  # never deleted
    assert Decision.objects.count() == 9


def test_one_bad_record_writes_nothing_at_all(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imports import services

    real = services._option_rows

    def broken(record):
        if record.path.endswith("0004-use-postgres.md"):
            raise RuntimeError("boom")
        return real(record)

    monkeypatch.setattr(services, "_option_rows", broken)
    with pytest.raises(RuntimeError):
        run(str(folder))
    assert Decision.objects.count() == 0 and ImportedRecord.objects.count() == 0


def test_an_unknown_surface_or_a_missing_folder_is_a_clear_error(folder: Path) -> None:
    with pytest.raises(CommandError, match="No surface is called 'Nowhere'"):
        run(str(folder), "--surface", "Nowhere")
    with pytest.raises(CommandError, match="neither a folder nor a file"):
        run(str(folder / "missing"))


def test_a_zip_with_unsafe_paths_is_refused_by_the_command(tmp_path: Path) -> None:
    from tests.imports.test_folder import zip_of

    archive = tmp_path / "adrs.zip"
    archive.write_bytes(zip_of({"../escape.md": b"# x\n"}))
    with pytest.raises(CommandError, match="leave its folder"):
        run(str(archive))
    assert Decision.objects.count() == 0


def test_a_link_to_a_file_added_later_is_resolved_by_the_re_import(tmp_path: Path) -> None:
    folder = tmp_path / "adrs"
    folder.mkdir()
    (folder / "0001-old.md").write_text("# 1. Old\n\n## Status\n\nSuperseded by [2. New](0002-new.md)\n")
    run(str(folder))
    old = ImportedRecord.objects.get(path="0001-old.md").decision
    assert ImportedLink.objects.get(record__decision=old).target is None
    (folder / "0002-new.md").write_text("# 2. New\n\n## Status\n\nAccepted\n")
    run(str(folder))
    old.refresh_from_db()
    assert old.superseded_by.title == "New"
    assert ImportedLink.objects.get(record__decision=old).target == old.superseded_by


def test_front_matter_tags_become_the_logs_tags(tmp_path: Path) -> None:
    folder = tmp_path / "adrs"
    folder.mkdir()
    (folder / "0001-tagged.md").write_text(
        "---\nstatus: accepted\ntags: [Data Platform, security]\n---\n# Tagged\n"
    )
    run(str(folder))
    decision = ImportedRecord.objects.get().decision
    assert sorted(t.name for t in decision.tags.all()) == ["data-platform", "security"]


def test_the_question_is_the_first_plain_paragraph_of_the_context(tmp_path: Path) -> None:
    folder = tmp_path / "adrs"
    folder.mkdir()
    (folder / "0001-q.md").write_text(
        "# Q\n\n* Status: accepted\n\n## Context and Problem Statement\n\nTechnical Story: <https://example.org/2>\n\n"
        "Should we track statuses?\n\nMore background.\n"
    )
    run(str(folder))
    decision = ImportedRecord.objects.get().decision
    assert decision.question == "Should we track statuses?"
    assert decision.context == "Technical Story: <https://example.org/2>\n\nMore background."
