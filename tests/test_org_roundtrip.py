"""export_org and import_org: the whole org out and back in gives the same file; a bad file changes nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leadership_os import snapshot
from leadership_os.models import Person

pytestmark = pytest.mark.django_db


def test_export_then_import_into_an_empty_database_gives_the_same_file(tmp_path) -> None:
    call_command("load_sample")
    first = tmp_path / "first.json"
    call_command("export_org", "-o", str(first))
    snapshot.clear_org()
    assert not Person.objects.exists()
    call_command("import_org", str(first))
    second = tmp_path / "second.json"
    call_command("export_org", "-o", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    assert first.read_text() == second.read_text()


def test_import_refuses_a_bad_file_with_every_problem_by_place_and_changes_nothing(tmp_path) -> None:
    call_command("load_sample")
    before = Person.objects.count()
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"format": snapshot.FORMAT, "people": [{"key": "x"}], "surfaces": [{"name": 7}]})
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_org", str(path), "--replace")
    message = str(caught.value)
    assert "people[0].name: required" in message
    assert "surfaces[0].key: required" in message
    assert "surfaces[0].name: must be text" in message
    assert Person.objects.count() == before


def test_import_over_an_existing_org_needs_replace(tmp_path) -> None:
    call_command("load_sample")
    path = tmp_path / "org.json"
    call_command("export_org", "-o", str(path))
    with pytest.raises(CommandError, match="already holds an organization"):
        call_command("import_org", str(path))
    call_command("import_org", str(path), "--replace")
