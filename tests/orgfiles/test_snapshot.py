"""The org snapshot loader: whole-file validation, every problem by place, all or nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leadership_os.models import Person, Surface
from orgfiles import snapshot

pytestmark = pytest.mark.django_db


def document(**sections: object) -> dict[str, object]:
    return {"format": snapshot.FORMAT, "anchor": "2026-11-20", **sections}


def test_relative_dates_resolve_against_the_anchor() -> None:
    anchor = dt.date(2026, 11, 20)
    assert snapshot.RelDate.parse("@-3").resolve(anchor) == dt.date(2026, 11, 17)
    assert snapshot.RelDate.parse("@+2").resolve(anchor) == dt.date(2026, 11, 22)
    assert snapshot.RelDate.parse("@0").resolve(anchor) == anchor
    assert snapshot.RelDate.parse("2026-01-05").resolve(anchor) == dt.date(2026, 1, 5)
    moment = snapshot.RelDateTime.parse("@+1T10:30").resolve(anchor)
    assert (moment.date(), moment.hour, moment.minute) == (dt.date(2026, 11, 21), 10, 30)


def test_a_good_document_loads_people_and_surfaces() -> None:
    counts = snapshot.load(
        document(
            people=[{"key": "ana", "name": "Ana Lima", "affiliation": "customer"}],
            surfaces=[{"key": "gov", "name": "Government"}],
        )
    )
    assert counts == {"people": 1, "surfaces": 1}
    assert Person.objects.get(key="ana").is_external
    assert Surface.objects.get(key="gov").name == "Government"


def test_a_bad_document_is_refused_with_every_problem_by_place_and_nothing_written() -> None:
    bad = {
        "format": "something-else",
        "anchor": "someday",
        "people": [
            {"key": "ana", "name": "Ana Lima"},
            {"key": "ana", "name": "Second Ana"},
            {"name": "No Key"},
            {"key": "bo", "name": "Bo", "affiliation": "alien", "shoe_size": 44},
        ],
        "surfaces": [{"key": "Not A Slug!", "name": ""}],
        "widgets": [],
    }
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(bad)
    lines = caught.value.problems.lines()
    expected_places = [
        "format:",
        "anchor:",
        "widgets: unknown section",
        "people[1].key: 'ana' is used twice (also at people[0])",
        "people[2].key: required",
        "people[3].affiliation: must be one of",
        "people[3].shoe_size: unknown field",
        "surfaces[0].key:",
        "surfaces[0].name:",
    ]
    for place in expected_places:
        assert any(line.startswith(place) for line in lines), f"{place} missing from {lines}"
    assert Person.objects.count() == 0
    assert Surface.objects.count() == 0


def test_the_command_lists_every_problem_and_leaves_the_database_as_it_was(tmp_path) -> None:
    snapshot.load(document(people=[{"key": "keep", "name": "Kept Person"}]))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(people=[{"key": "x"}, {"key": "y", "name": 3}])))
    with pytest.raises(CommandError) as caught:
        call_command("load_sample", str(path), "--replace")
    message = str(caught.value)
    assert "2 problems" in message
    assert "people[0].name: required" in message
    assert "people[1].name: must be text" in message
    assert list(Person.objects.values_list("key", flat=True)) == ["keep"]


def test_malformed_json_is_named_by_line_and_column(tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "leadership-os/org@1",\n "people": [}')
    with pytest.raises(CommandError, match=r"broken.json line 2 column"):
        call_command("load_sample", str(path))


def test_loading_over_an_org_needs_replace() -> None:
    snapshot.load(document(people=[{"key": "a", "name": "A"}]))
    with pytest.raises(snapshot.SnapshotError, match="already holds an organization"):
        snapshot.load(document(people=[{"key": "b", "name": "B"}]))
    snapshot.load(document(people=[{"key": "b", "name": "B"}]), replace=True)
    assert list(Person.objects.values_list("key", flat=True)) == ["b"]


def test_the_sample_org_loads_with_demo_users_linked_to_their_people(settings) -> None:
    settings.DEBUG = True
    call_command("load_sample", "--demo-users")
    assert Person.objects.get(user__username="vp").title == "VP of Product"
    assert Person.objects.get(user__username="cos").name == "Daniel Reyes"
    call_command("load_sample", "--if-empty")
    assert Person.objects.filter(user__username="vp").count() == 1


def test_a_load_indexes_every_record_for_search_once_and_bumps_the_revision_once() -> None:
    from context_repo import search
    from decisions.models import Decision
    from leadership_os.models import OrgRevision
    from workstreams.models import Workstream

    before = OrgRevision.current()
    snapshot.load(snapshot.read_path(snapshot.DEFAULT_SAMPLE))
    assert OrgRevision.current() == before + 1
    decision = Decision.objects.order_by("number").first()
    workstream = Workstream.objects.order_by("number").first()
    assert decision.key in {hit.ref for hit in search.search(decision.title, limit=50)}
    assert workstream.key in {hit.ref for hit in search.search(workstream.name, limit=50)}
