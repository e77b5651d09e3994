"""Hostile and odd org files never reach a traceback: each file of the corpus (tests/orgfiles/
malformed.py, made from the sample org) is refused by `import_org FILE --replace` and by
`load_sample FILE --replace`, with a non-zero exit, the place named, no traceback, the database as
it was (the sample org, compared by an export), and a verdict from the reader itself (never the
database's), so that SQLite and PostgreSQL refuse the same files for the same reasons."""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from leadership_os.models import KeyCounter, OrgRevision, Tag
from orgfiles import snapshot
from orgfiles.format import MAX_DEPTH, PROBLEM_CAP, Problems, printable
from tests.orgfiles.malformed import Case, cases, sample

pytestmark = pytest.mark.django_db

COMMANDS = ("import_org", "load_sample")
# A refused file is refused by the reader: one the database had to refuse would be a gap in the
# reader's checks, and SQLite and PostgreSQL do not refuse the same things.
DATABASE_VERDICT = "the database refused"


def fingerprint() -> tuple[int, ...]:
    """Row counts of every table an org load writes, and the org revision: cheap to take after every run."""
    counts = [OrgRevision.current(), Tag.objects.count(), KeyCounter.objects.count()]
    for section in snapshot.sections():
        for model in section.models:
            counts.append(model._default_manager.count())
            history = getattr(model, "history", None)
            if history is not None:
                counts.append(history.model.objects.count())
    return tuple(counts)


def exported() -> str:
    out = io.StringIO()
    call_command("export_org", stdout=out)
    return out.getvalue()


def run(command: str, path: Path) -> tuple[bool, str]:
    """Whether the command refused the file, and everything it said."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), "--replace", stdout=out, stderr=err)
    except CommandError as error:
        return True, f"{error}\n{out.getvalue()}{err.getvalue()}"
    return False, out.getvalue() + err.getvalue()


def judge(case: Case, command: str, refused: bool, output: str) -> str | None:
    """What is wrong with a run, or None."""
    if not refused:
        return f"{case.name} / {command}: accepted"
    if "Traceback" in output:
        return f"{case.name} / {command}: printed a traceback"
    if DATABASE_VERDICT in output:
        return f"{case.name} / {command}: refused by the database, not the reader: {output[:300]}"
    if case.place not in output:
        return f"{case.name} / {command}: {case.place!r} not named in {output[:400]!r}"
    if len(output.splitlines()) > PROBLEM_CAP + 3:
        return f"{case.name} / {command}: {len(output.splitlines())} lines printed"
    if max(len(line) for line in output.splitlines()) > 1000:
        return (
            f"{case.name} / {command}: a line of {max(len(line) for line in output.splitlines())} characters"
        )
    return None


def test_the_corpus_holds_at_least_sixty_distinct_files() -> None:
    names = [case.name for case in cases()]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


def test_every_malformed_file_is_refused_by_both_commands_and_changes_nothing(tmp_path: Path) -> None:
    call_command("load_sample")
    before_export, before = exported(), fingerprint()
    failures: list[str] = []
    slowest = (0.0, "")
    for n, case in enumerate(cases()):
        folder = tmp_path / f"case-{n:03d}"
        folder.mkdir()
        path = case.make(folder)
        for command in COMMANDS:
            started = time.perf_counter()
            try:
                refused, output = run(command, path)
            except Exception as error:  # what a real run prints as a traceback
                failures.append(f"{case.name} / {command}: {type(error).__name__}: {str(error)[:300]}")
                continue
            slowest = max(slowest, (time.perf_counter() - started, f"{case.name} / {command}"))
            problem = judge(case, command, refused, output)
            if problem:
                failures.append(problem)
            if fingerprint() != before:
                failures.append(f"{case.name} / {command}: the database changed")
                before = fingerprint()
        if n % 20 == 19 and exported() != before_export:
            failures.append(f"after {case.name}: the export differs")
    assert not failures, "\n".join(failures)
    assert exported() == before_export
    # 100,000 junk records are refused as quickly as a small file is read (generous: shared machines).
    assert slowest[0] < 20, slowest


@pytest.mark.parametrize(
    "name",
    [
        "latin-1",
        "nested 100,000 deep",
        "format twice",
        "D-3000000000",
        "100,000 junk records",
        "a folder of parts holding a folder named x.json",
    ],
)
def test_a_real_run_exits_non_zero_without_a_traceback(tmp_path: Path, name: str) -> None:
    case = next(case for case in cases() if case.name == name)
    path = case.make(tmp_path)
    if connection.vendor == "postgresql":
        # The test database: the subprocess sees it empty (this test's rows are not committed).
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        # Never migrated: a file the reader let through would fail on a missing table, and say so.
        database_url = f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_org", str(path), "--replace"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert case.place in result.stderr
    assert DATABASE_VERDICT not in result.stderr
    assert len(result.stderr.splitlines()) <= PROBLEM_CAP + 3


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(sample()).encode())
    call_command("import_org", str(path))
    assert snapshot.export()["decisions"]


def test_nesting_up_to_the_limit_is_read_and_one_level_more_is_refused(tmp_path: Path) -> None:
    def nested(depth: int) -> str:  # the document object is level 1
        return '{"x": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"

    (tmp_path / "ok.json").write_text(nested(MAX_DEPTH))
    assert snapshot.read_path(tmp_path / "ok.json") == {"x": snapshot.read_path(tmp_path / "ok.json")["x"]}
    (tmp_path / "deep.json").write_text(nested(MAX_DEPTH + 1))
    with pytest.raises(
        snapshot.SnapshotError, match=rf"deep.json line 1 column {MAX_DEPTH + 6}: nested too deep"
    ):
        snapshot.read_path(tmp_path / "deep.json")


def test_a_document_built_in_python_is_scanned_too_at_any_depth() -> None:
    deep: object = []
    for _ in range(100_000):
        deep = [deep]
    document = {"format": snapshot.FORMAT, "people": [{"key": "a", "name": "A\x00", "x": deep}]}
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.validate(document)
    lines = caught.value.problems.lines()
    assert "people[0].name: contains a NUL character" in lines
    assert any(line.startswith("people[0].x" + "[0]" * (MAX_DEPTH - 4)) for line in lines), lines


def test_the_printed_problems_are_capped_and_printable() -> None:
    problems = Problems()
    for n in range(250):
        problems.add(f"people[{n}]", "must be an object")
    problems.add("people[\ud800]", "x" * 5000)
    lines = problems.report()
    assert len(lines) == PROBLEM_CAP + 1
    assert lines[-1] == "... and 51 more"
    assert printable("a\x00b\ud800") == "a\\u0000b\\ud800"
    assert len(printable("x" * 5000)) < 500


def test_the_sample_reload_page_caps_the_problems_it_shows(client_as, monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": snapshot.FORMAT, "people": list(range(300))}))
    monkeypatch.setattr(snapshot, "DEFAULT_SAMPLE", path)
    response = client_as("staff").post(reverse("load_sample"))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("The sample org was refused (300 problems); nothing was written:")
    assert "people[19]: must be an object" in message
    assert "people[20]" not in message
    assert message.endswith(
        "... and 280 more\nThe command 'python manage.py load_sample --replace' lists up to 200."
    )


def test_no_record_takes_longer_text_than_its_column_stores() -> None:
    """SQLite stores text of any length in a `varchar(n)` column, PostgreSQL refuses it: so each
    record's text field is as long as its model's column at most, and a long value is refused by
    the reader on both."""
    gaps = []
    for section in snapshot.sections():
        model = section.models[0]
        for name, info in section.record.model_fields.items():
            try:
                column = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            limit = getattr(column, "max_length", None)
            if limit is None or column.choices or info.annotation is not str:
                continue
            if any(
                "numbered_key" in getattr(getattr(m, "func", None), "__qualname__", "") for m in info.metadata
            ):
                continue  # `D-<number>`: the number's range bounds its length (at most 14 characters)
            allowed = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
            if allowed is None or allowed > limit:
                gaps.append(f"{section.name}.{name}: the record allows {allowed}, the column stores {limit}")
    assert not gaps, "\n".join(gaps)


def test_values_at_the_limits_are_stored_alike_on_either_database() -> None:
    """The other side of the line: the first and last storable days, the largest key number, and
    text at its column's length in characters outside the Basic Multilingual Plane load and export."""
    document = {
        "format": snapshot.FORMAT,
        "anchor": "2200-12-01",
        "people": [{"key": "ana", "name": "\U0001f600" * 120, "title": "Lead \u0301\u200d"}],
        "decisions": [
            {
                "key": "D-2147483647",
                "title": "\U0001d11e" * 200,
                "question": "Which?",
                "status": "open",
                "driver": "ana",
                "opened_on": "1900-01-01",
                "needed_by": "@+30",
            }
        ],
        "workstreams": [{"key": "WS-2147483647", "name": "Edge", "next_decision_on": "2200-12-31"}],
        "engagements": [
            {"key": "E-1", "title": "Late", "kind": "government", "starts_at": "2200-12-31T12:00"}
        ],
    }
    snapshot.load(document)
    exported_org = snapshot.export()
    [decision] = exported_org["decisions"]
    assert (decision["key"], decision["opened_on"], decision["needed_by"]) == (
        "D-2147483647",
        "1900-01-01",
        "2200-12-31",
    )
    assert decision["title"] == "\U0001d11e" * 200
    assert exported_org["workstreams"][0]["next_decision_on"] == "2200-12-31"
    assert exported_org["engagements"][0]["starts_at"] == "2200-12-31T12:00"
