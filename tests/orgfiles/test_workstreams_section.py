"""The workstreams sections of the org snapshot, and the workstreams part of the sample org."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings

from leadership_os.models import KeyCounter
from leadership_os.thresholds import rule_thresholds
from orgfiles import snapshot
from tests.workstreams.stubs import decisions_section, sample_decisions
from workstreams import queries
from workstreams.models import Commitment, Escalation, State, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample"
ANCHOR = dt.date(2026, 11, 20)


def sample_document() -> dict[str, object]:
    """People and surfaces, stand-in decisions, and the workstreams part of the sample org."""
    people = json.loads((SAMPLE / "00_people.json").read_text())
    part = json.loads((SAMPLE / "20_workstreams.json").read_text())
    sections = {k: v for k, v in part.items() if k not in ("format", "anchor")}
    return {**people, "anchor": ANCHOR.isoformat(), "decisions": sample_decisions(), **sections}


def document(**sections: object) -> dict[str, object]:
    base = {
        "format": snapshot.FORMAT,
        "anchor": ANCHOR.isoformat(),
        "people": [
            {"key": "wei", "name": "Wei Chen"},
            {"key": "ben", "name": "Ben Whitaker", "affiliation": "agency"},
        ],
        "surfaces": [{"key": "gov", "name": "Government"}],
        "decisions": [
            {"key": "D-3", "title": "Boundary scope", "question": "Which boundary?", "status": "open"}
        ],
    }
    return {**base, **sections}


def test_the_sample_part_loads_with_its_decisions() -> None:
    with decisions_section():
        counts = snapshot.load(sample_document())
    assert counts["workstreams"] == 20
    assert counts["status_updates"] >= 60
    assert counts["commitments"] >= 20
    surfaces = set(Workstream.objects.values_list("surface__key", flat=True))
    assert surfaces == {"frontier-labs", "government", "enterprise"}
    # Later keys follow the loaded ones.
    assert KeyCounter.objects.get(prefix="WS").last == 20
    assert Workstream.objects.first().history.count() == 1


def test_the_sample_part_tells_the_story_the_radar_needs() -> None:
    with decisions_section():
        snapshot.load(sample_document())
    limits = rule_thresholds()
    rows = queries.map_rows(queries.MapFilters(), today=ANCHOR, limits=limits)
    facts = {ws.key: ws.facts for ws in rows}
    by_key = {ws.key: ws for ws in rows}
    active = [ws for ws in rows if ws.state not in (State.DONE, State.PAUSED)]

    # Blocked for days, escalation none.
    assert any(f.not_escalated and by_key[k].escalation == Escalation.NONE for k, f in facts.items()), (
        "no blocked-not-escalated workstream with escalation none"
    )
    # Escalated five or more days ago and still blocked.
    assert any(f.escalation_stalled and by_key[k].state == State.BLOCKED for k, f in facts.items())
    # Stale at both levels, on active workstreams only.
    assert any(f.stale == "medium" for f in facts.values())
    assert any(f.stale == "high" for f in facts.values())
    # Without owner.
    assert any(ws.owner_id is None for ws in active)
    # Several waiting on an open decision.
    waiting = [ws for ws in active if ws.blocked_by_decision and ws.blocked_by_decision.status == "open"]
    assert len(waiting) >= 3
    # A decision point overdue, and one within two days whose decision is missing or a draft.
    assert any(f.decision_flag == "overdue" for f in facts.values())
    assert any(
        f.decision_flag == "unprepared"
        and (by_key[k].next_decision is None or by_key[k].next_decision.status == "draft")
        for k, f in facts.items()
    )
    # Commitments: some slipped, some promised outside, some re-committed, some done.
    open_ = Commitment.objects.filter(done_on__isnull=True)
    assert open_.filter(due_on__lt=ANCHOR).count() >= 4
    assert open_.filter(due_on__lte=ANCHOR - dt.timedelta(days=limits["SLIP_HIGH_DAYS"])).exists()
    assert open_.exclude(promised_to__affiliation="internal").filter(promised_to__isnull=False).count() >= 5
    assert Commitment.objects.filter(recommitted_count__gt=0).count() >= 3
    assert Commitment.objects.filter(done_on__isnull=False).exists()
    # Several weeks of updates.
    oldest = StatusUpdate.objects.order_by("posted_on").first().posted_on
    assert (ANCHOR - oldest).days >= 28


def test_the_sample_obeys_the_state_rules_as_written() -> None:
    part = json.loads((SAMPLE / "20_workstreams.json").read_text())
    for ws in part["workstreams"]:
        assert (ws["state"] == "blocked") == bool(ws.get("blocker")), ws["key"]
        if ws.get("escalation") == "escalated":
            assert ws.get("escalated_on"), ws["key"]
    # It refers only to the decisions the decision log's part of the sample defines.
    keys = {ws.get(f) for ws in part["workstreams"] for f in ("next_decision", "blocked_by_decision")}
    keys |= {c.get("decision") for c in part["commitments"]}
    assert keys - {None} <= {"D-1", "D-2", "D-3", "D-5", "D-8", "D-12"}


def test_broken_references_and_broken_rules_are_refused_by_place() -> None:
    bad = document(
        workstreams=[
            {"key": "WS-1", "name": "Boundary", "surface": "nowhere", "owner": "nobody", "state": "blocked"},
            {"key": "WS-2", "name": "Runbook", "state": "on_track", "blocker": "x", "blocked_by_decision": "D-99"},
            {"key": "WS-3", "name": "Pricing", "escalation": "watching", "escalated_on": "@-2"},
            {"key": "WS-4", "name": "SSO", "state": "done", "next_decision_on": "@+1"},
            {"key": "X-5", "name": "Bad key", "state": "sideways"},
        ],
        status_updates=[{"workstream": "WS-77", "posted_on": "someday", "state": "on_track", "note": "x"}],
        commitments=[
            {"key": "C-1", "description": "Send it", "due_on": "@-1", "owner": "ghost", "occurrence": "weekly@1",
             "engagement": "E-4", "decision": "D-3", "recommitted_count": 2},
        ],
    )  # fmt: skip
    with decisions_section(), pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(bad)
    lines = caught.value.problems.lines()
    for expected in [
        "workstreams[0].surface: no surface with key 'nowhere'",
        "workstreams[0].owner: no person with key 'nobody'",
        "workstreams[0].blocker: a blocked workstream needs a blocker",
        "workstreams[1].blocker: only a blocked workstream has one",
        "workstreams[1].blocked_by_decision: no decision with key 'D-99'",
        "workstreams[2].escalated_on:",
        "workstreams[3].next_decision_on: a done workstream has no next decision point",
        "workstreams[4].key:",
        "workstreams[4].state: must be one of",
        "status_updates[0].posted_on: not a date",
        "commitments[0].owner: no person with key 'ghost'",
        "commitments[0].occurrence: no ritual occurrence with key 'weekly@1'",
        "commitments[0].engagement: no engagement with key 'E-4'",
        "commitments[0].original_due_on:",
    ]:
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in {lines}"
    assert not any(line.startswith("commitments[0].decision") for line in lines)
    assert not Workstream.objects.exists()


def test_the_rules_fill_in_the_dates_a_file_leaves_out() -> None:
    with decisions_section():
        snapshot.load(
            document(
                workstreams=[
                    {
                        "key": "WS-4",
                        "name": "Boundary",
                        "state": "blocked",
                        "blocker": "3PAO",
                        "escalation": "escalated",
                    }
                ]
            )
        )
    ws = Workstream.objects.get()
    assert (ws.blocked_since, ws.escalated_on, ws.created_on) == (ANCHOR, ANCHOR, ANCHOR)


def test_export_then_import_gives_the_same_document() -> None:
    with decisions_section():
        snapshot.load(sample_document())
        sections = [
            s for s in snapshot.sections() if s.name in ("workstreams", "status_updates", "commitments")
        ]
        first = {s.name: s.export() for s in sections}
        people = json.loads((SAMPLE / "00_people.json").read_text())
        again = {
            **people,
            "anchor": ANCHOR.isoformat(),
            "decisions": sample_decisions(),
            **first,
        }
        snapshot.load(again, replace=True)
        second = {s.name: s.export() for s in sections}
    assert first == second
    assert first["workstreams"][1]["blocked_since"] == (ANCHOR - dt.timedelta(days=9)).isoformat()
