"""The rhythm's snapshot sections and the sample org's rituals."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from orgfiles import snapshot
from rhythms.models import Occurrence, Ritual
from rhythms.queries import RULE_THEATER, RULE_WITHOUT_PURPOSE, ritual_audit
from tests.rhythms.factories import DecisionFactory, WorkstreamFactory
from workstreams.models import Commitment

pytestmark = pytest.mark.django_db

SAMPLE = snapshot.DEFAULT_SAMPLE


def installed(name: str) -> bool:
    return any(section.name == name for section in snapshot.sections())


def rhythms_document() -> dict:
    people = json.loads((SAMPLE / "00_people.json").read_text())
    rhythms = json.loads((SAMPLE / "30_rhythms.json").read_text())
    return {**people, **rhythms}


def load_sample(today: dt.date) -> None:
    """The whole sample org where every app provides its section; else people and rhythms, with the
    decisions and workstreams the rhythms refer to made here."""
    if installed("decisions") and installed("workstreams"):
        snapshot.load(snapshot.read_path(SAMPLE), today=today)
        return
    for number in (1, 2, 3, 5, 8, 12):
        DecisionFactory(number=number)
    for number in range(1, 6):
        WorkstreamFactory(number=number)
    snapshot.load(rhythms_document(), today=today)


@pytest.mark.parametrize(
    "today", [dt.date(2026, 11, 24), dt.date(2026, 3, 9), dt.date(2026, 11, 2), dt.date(2027, 1, 1)]
)
def test_the_sample_rituals_load_and_the_audit_flags_exactly_the_two_meant_to_fail(today) -> None:
    load_sample(today)
    earning, flagged, retired = ritual_audit(today=today)
    flags = {row.ritual.name: row.flags for row in flagged}
    assert flags == {"Weekly status readout": [RULE_THEATER], "Friday demo hour": [RULE_WITHOUT_PURPOSE]}
    assert len(earning) == 6
    assert [r.name for r in retired] == ["Government standup"]
    readout = next(row for row in flagged if row.ritual.name == "Weekly status readout")
    assert readout.held >= 4
    assert (readout.decisions, readout.blockers) == (0, 0)


def test_the_sample_has_skipped_moved_and_productive_occurrences() -> None:
    today = dt.date(2026, 11, 24)
    load_sample(today)
    review = Ritual.objects.get(key="R-1")
    assert review.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert review.occurrences.filter(status=Occurrence.Status.SKIPPED).count() == 1
    moved = [o for o in review.occurrences.all() if o.is_moved]
    assert len(moved) == 1
    assert moved[0].starts_at - moved[0].scheduled_for == dt.timedelta(days=1)
    assert Occurrence.objects.filter(decisions_informed__isnull=False).distinct().count() >= 8
    assert Occurrence.objects.filter(blockers_surfaced__isnull=False).distinct().count() >= 8
    made = Commitment.objects.filter(occurrence__isnull=False).order_by("number")
    assert [c.key for c in made] == ["C-101", "C-102", "C-103", "C-104", "C-105"]
    # Every ritual has its rows for the window, and the sync after loading changes nothing.
    from rhythms.services import sync_all_occurrences

    assert sync_all_occurrences(today=today).created == 0


def test_an_export_imports_back_to_the_same_rhythm() -> None:
    today = dt.date(2026, 11, 24)
    load_sample(today)
    before = snapshot.export()
    assert len(before["rituals"]) == 9
    assert all("index" not in o and "scheduled_for" in o for o in before["occurrences"])
    if not (installed("decisions") and installed("workstreams")):
        # Decisions and workstreams stay in the database; the file carries the rhythm and its people.
        before = {
            k: v
            for k, v in before.items()
            if k in ("format", "anchor", "people", "surfaces", "rituals", "occurrences")
        }
    snapshot.load(before, replace=True, today=today)
    after = snapshot.export()
    assert after["rituals"] == before["rituals"]
    assert after["occurrences"] == before["occurrences"]


def document(**sections: object) -> dict[str, object]:
    base = rhythms_document()
    base.update(sections)
    return base


def test_a_bad_rule_in_a_file_is_refused_by_place_and_nothing_is_written() -> None:
    doc = rhythms_document()
    doc["rituals"][2] = {**doc["rituals"][2], "rrule": "FREQ=FORTNIGHTLY"}
    doc["rituals"][4] = {**doc["rituals"][4], "rrule": "FREQ=WEEKLY;COUNT=2;UNTIL=20300101"}
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(doc)
    lines = caught.value.problems.lines()
    assert any(line.startswith("rituals[2].rrule: FREQ=FORTNIGHTLY is not a frequency") for line in lines), (
        lines
    )
    assert any(line.startswith("rituals[4].rrule: A rule ends either") for line in lines), lines
    assert not Ritual.objects.exists()


def test_an_occurrence_the_rule_does_not_produce_is_refused_by_place() -> None:
    doc = rhythms_document()
    doc["occurrences"] = [{"ritual": "R-1", "scheduled_for": "2026-11-25T10:00", "status": "held"}]
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(doc, today=dt.date(2026, 11, 24))
    assert caught.value.problems.lines() == [
        "occurrences[0].scheduled_for: R-1's rule has no occurrence there (FREQ=WEEKLY;BYDAY=TU)"
    ]
    assert not Ritual.objects.exists()


def test_an_occurrence_record_is_checked_before_anything_is_written() -> None:
    doc = rhythms_document()
    doc["occurrences"] = [
        {"ritual": "R-99", "index": -1},
        {"ritual": "R-1"},
        {"ritual": "R-1", "index": -1, "scheduled_for": "@-7T10:00"},
        {"ritual": "R-1", "index": -2, "starts_at": "@-6T10:00", "moved_minutes": 30},
        {
            "ritual": "R-1",
            "index": -3,
            "commitments": [{"key": "C-101", "description": "x", "due_on": "@+1", "owner": "nobody"}],
        },
        {
            "ritual": "R-1",
            "index": -4,
            "commitments": [{"key": "C-101", "description": "y", "due_on": "soon"}],
        },
        {"ritual": "R-1", "index": -5, "status": "cancelled"},
    ]
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(doc)
    lines = caught.value.problems.lines()
    for expected in [
        "occurrences[0].ritual: no ritual with key 'R-99' in this file",
        "occurrences[1]: name the slot with either scheduled_for or index, not both",
        "occurrences[2]: name the slot with either scheduled_for or index, not both",
        "occurrences[3].moved_minutes: give either starts_at or moved_minutes, not both",
        "occurrences[4].commitments[0].owner: no person with key 'nobody' in this file",
        "occurrences[5].commitments[0].due_on: not a date",
        "occurrences[6].status: must be one of",
    ]:
        assert any(line.startswith(expected) for line in lines), f"{expected} not in {lines}"


def test_two_records_of_the_same_slot_are_refused() -> None:
    doc = rhythms_document()
    doc["occurrences"] = [{"ritual": "R-1", "index": -1}, {"ritual": "R-1", "index": -1, "status": "skipped"}]
    with pytest.raises(
        snapshot.SnapshotError, match=r"occurrences\[1\]: the same occurrence as occurrences\[0\]"
    ):
        snapshot.load(copy.deepcopy(doc), today=dt.date(2026, 11, 24))
