"""The fast path (a relevant snapshot read part by part, rules run again only where their parts
changed, the result shared through the cache) gives exactly the full evaluation of the whole org,
after any sequence of writes through the artifacts' services; and after a write the engine's work
is done once, whichever worker asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.models import Engagement
from briefs.services import brief_update, engagement_cancel, engagement_reinstate, position_save
from context_repo.models import ContextEntry
from context_repo.services import entry_create
from decisions.models import Decision
from decisions.services import decision_create, decision_record_outcome, decision_update
from leadership_os import memo
from leadership_os.models import Person, Surface
from radar import queries
from radar.engine import (
    RULES,
    DecisionRef,
    QueueItem,
    RadarItem,
    Subject,
    evaluate,
    merge_rule_items,
    radar_order,
    rule_items,
    trusted,
)
from radar.engine_adapter import configured_thresholds, org_snapshot, relevant_snapshot
from rhythms.models import Occurrence
from rhythms.services import occurrence_record
from tests.radar.orgs import build_org, days
from workstreams.models import Commitment, Workstream
from workstreams.services import (
    commitment_complete,
    commitment_create,
    commitment_reopen,
    status_update_post,
    workstream_archive,
    workstream_change,
    workstream_restore,
)

TAGS = ["residency", "pricing", "latency", "audit"]
STATES = ["on_track", "at_risk", "blocked", "paused", "done"]


def full(as_of: dt.date):
    return evaluate(org_snapshot(), as_of, configured_thresholds())


def fast(as_of: dt.date):
    return queries.evaluate_today(as_of).result


@pytest.fixture
def org(db, chief_of_staff):
    first = build_org(scale=2)
    surface = Surface.objects.create(key="commercial", name="Commercial")
    ritual = first["ritual"]
    for weeks in range(1, 7):  # held occurrences for the theater rule, and planned ones to record
        moment = timezone.now() - dt.timedelta(days=7 * weeks + 1)
        Occurrence.objects.create(
            ritual=ritual,
            scheduled_for=moment,
            starts_at=moment,
            status=Occurrence.Status.HELD if weeks > 3 else Occurrence.Status.PLANNED,
        )
    for n, tag in enumerate(TAGS * 2):
        entry_create(
            data={
                "kind": ContextEntry.Kind.CUSTOMER_SIGNAL, "title": f"Signal {n}", "body": "", "surface": surface,
                "source": "", "dated_on": days(-n), "status": ContextEntry.Status.OPEN, "tags": [tag],
            },
            author=None,
        )  # fmt: skip
    return {"by": chief_of_staff, "surface": surface, **first}


class Choices:
    """Every choice of one write, drawn up front: what the database holds varies between examples,
    so the choices are numbers, applied to what is there."""

    def __init__(self, numbers: list[int]):
        self.numbers = iter(numbers)

    def int(self, low: int, high: int) -> int:
        return low + next(self.numbers) % (high - low + 1)

    def pick(self, items):
        items = list(items)
        return items[next(self.numbers) % len(items)] if items else None

    def some(self, items, low: int = 0, high: int = 2) -> list:
        items = list(items)
        return sorted({self.pick(items) for _ in range(self.int(low, high))} - {None}, key=str)


def _pick(c: Choices, queryset):
    return c.pick(queryset.order_by("pk"))


def _write(data, org) -> str:
    """One write through a service (or a model save where the app has no service), chosen by data."""
    by = org["by"]
    c = Choices(data.draw(st.lists(st.integers(0, 10_000), min_size=16, max_size=16)))
    action = data.draw(
        st.sampled_from(
            [
                "status", "escalate", "decision_point", "commit", "complete", "reopen", "decide",
                "new_decision", "retag_decision", "signal", "question", "occurrence", "brief",
                "position", "surface", "archive", "restore", "cancel", "reinstate",
            ]
        )
    )  # fmt: skip
    if action == "status":
        ws = _pick(c, Workstream.objects.all())
        state = c.pick(STATES)
        status_update_post(
            workstream=ws, by=by, author=None, state=state, note="Moved on", expected_version=ws.version,
            blocker="waiting on legal" if state == "blocked" else None,
            posted_on=days(c.int(-20, 0)),
        )  # fmt: skip
    elif action == "escalate":
        ws = _pick(c, Workstream.objects.filter(state__in=["blocked", "at_risk"]))
        if ws is not None:
            workstream_change(
                workstream=ws, by=by, expected_version=ws.version,
                escalation=c.pick(["none", "watching", "escalated"]),
                escalated_on=days(c.int(-10, 0)),
            )  # fmt: skip
    elif action == "decision_point":
        ws = _pick(c, Workstream.objects.all())
        workstream_change(
            workstream=ws, by=by, expected_version=ws.version,
            next_decision_on=days(c.int(-4, 4)),
            next_decision=_pick(c, Decision.objects.all()),
        )  # fmt: skip
    elif action == "commit":
        commitment_create(
            description="Send the numbers", due_on=days(c.int(-10, 3)), by=by,
            owner=_pick(c, Person.objects.all()), workstream=_pick(c, Workstream.objects.all()),
        )  # fmt: skip
    elif action == "complete":
        commitment = _pick(c, Commitment.objects.filter(done_on__isnull=True))
        if commitment is not None:
            commitment_complete(commitment=commitment, by=by, expected_version=commitment.version)
    elif action == "reopen":
        commitment = _pick(c, Commitment.objects.filter(done_on__isnull=False))
        if commitment is not None:
            commitment_reopen(commitment=commitment, by=by, expected_version=commitment.version)
    elif action == "decide":
        d = _pick(c, Decision.objects.filter(status="open"))
        if d is not None:
            decision_record_outcome(
                decision=d, option=d.options.first(), reasoning="It fits", by=by, decided_on=days(-1)
            )
    elif action == "new_decision":
        decision_create(
            by=by,
            fields={"title": "Where to host", "question": "Where?", "needed_by": days(c.int(-5, 10))},
            tags=c.some(TAGS),
            options=[{"title": "Here"}] * c.int(0, 2),
            reopen_conditions=[{"text": "If prices move", "review_on": days(c.int(-3, 3))}],
            open_now=bool(c.int(0, 1)),
        )  # fmt: skip
    elif action == "retag_decision":
        d = _pick(c, Decision.objects.all())
        decision_update(
            decision=d,
            by=by,
            expected_version=d.version,
            fields={},
            tags=c.some(TAGS),
        )
    elif action in ("signal", "question"):
        entry_create(
            data={
                "kind": ContextEntry.Kind.CUSTOMER_SIGNAL if action == "signal" else ContextEntry.Kind.OPEN_QUESTION,
                "title": "Heard", "body": "", "surface": org["surface"], "source": "",
                "dated_on": days(c.int(-20, 0)), "status": ContextEntry.Status.OPEN,
                "tags": c.some(TAGS, 1),
            },
            author=by,
        )  # fmt: skip
    elif action == "occurrence":
        occurrence = _pick(c, Occurrence.objects.all())
        occurrence_record(
            occurrence=occurrence,
            status=c.pick(["held", "skipped"]),
            decisions=c.some(Decision.objects.order_by("pk"), 0, 1),
        )
    elif action == "brief":
        engagement = _pick(c, Engagement.objects.all())
        brief = getattr(engagement, "brief", None) if hasattr(engagement, "brief") else None
        brief_update(
            engagement=engagement, field="objective", value=c.pick(["", "Agree the scope"]),
            expected_version=brief.version if brief else 0,
        )  # fmt: skip
    elif action == "position":
        position_save(
            engagement=_pick(c, Engagement.objects.all()), person=_pick(c, Person.objects.all()),
            position="Not sure yet", stance=c.pick(["unknown", "support", "oppose"]),
            source="call", recorded_on=days(c.int(-3, 0)),
        )  # fmt: skip
    elif action == "archive":
        ws = _pick(c, Workstream.objects.filter(archived_on__isnull=True))
        if ws is not None:
            workstream_archive(workstream=ws, by=by, expected_version=ws.version, reason="Done", anyway=True)
    elif action == "restore":
        ws = _pick(c, Workstream.objects.filter(archived_on__isnull=False))
        if ws is not None:
            workstream_restore(workstream=ws, by=by, expected_version=ws.version)
    elif action == "cancel":
        engagement = _pick(c, Engagement.objects.filter(cancelled_on__isnull=True))
        if engagement is not None:
            engagement_cancel(
                engagement=engagement, by=by, expected_version=engagement.version, reason="Moved"
            )
    elif action == "reinstate":
        engagement = _pick(c, Engagement.objects.filter(cancelled_on__isnull=False))
        if engagement is not None:
            engagement_reinstate(engagement=engagement, by=by, expected_version=engagement.version)
    else:
        surface = _pick(c, Surface.objects.all())
        surface.key = f"{surface.key.split('-')[0]}-{c.int(0, 9)}"
        surface.save()
    return action


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_after_random_writes_the_fast_path_equals_a_full_evaluation(org, data) -> None:
    memo.clear()  # each example starts from the org as built, its writes rolled back after it
    with transaction.atomic():
        for _ in range(data.draw(st.integers(1, 5))):
            action = _write(data, org)
            as_of = days(data.draw(st.sampled_from([0, 0, 1, -2, 6])))
            if data.draw(st.booleans()):
                memo.clear(shared=False)  # as a fresh worker would: nothing of its own, the cache shared
            expected = full(as_of)
            assert fast(as_of) == expected, action
            assert fast(as_of).to_json() == expected.to_json()
            limits = configured_thresholds()
            assert evaluate(relevant_snapshot(as_of, limits), as_of, limits) == expected, action
        transaction.set_rollback(True)


def test_the_relevant_snapshot_is_much_smaller_than_the_org_and_evaluates_the_same(org) -> None:
    later = commitment_create(description="Call back", due_on=days(5), by=org["by"])
    done = commitment_create(description="Call the agency", due_on=days(-5), by=org["by"])
    commitment_complete(commitment=done, by=org["by"], expected_version=done.version)
    old = entry_create(
        data={
            "kind": ContextEntry.Kind.CUSTOMER_SIGNAL, "title": "Long ago", "body": "", "surface": None,
            "source": "", "dated_on": days(-60), "status": ContextEntry.Status.OPEN, "tags": ["pricing"],
        },
        author=None,
    )  # fmt: skip
    limits = configured_thresholds()
    whole, relevant = org_snapshot(), relevant_snapshot(days(0), limits)
    kept = {c.key for c in relevant.commitments}
    assert later.key not in kept and done.key not in kept
    assert old.key not in {s.key for s in relevant.signals}
    assert evaluate(relevant, days(0), limits) == evaluate(whole, days(0), limits)


def test_merging_the_rules_items_gives_the_radar_order(org) -> None:
    snapshot, as_of, limits = org_snapshot(), days(0), configured_thresholds()
    merged = merge_rule_items([rule_items(r, snapshot, as_of, limits) for r in RULES])
    assert merged == radar_order(merged) == evaluate(snapshot, as_of, limits).radar


def test_a_trusted_item_equals_its_validated_twin() -> None:
    subject = {"type": "commitment", "key": "C-1", "title": "Send it"}
    radar = {
        "rule": "slipped-commitment", "severity": "high", "facts": {"days_late": 3, "due_on": days(-3)},
        "explanation": "Late", "surface": None,
    }  # fmt: skip
    assert trusted(RadarItem, subject=trusted(Subject, **subject), **radar) == RadarItem(
        subject=Subject(**subject), **radar
    )
    queue = {
        "rank": 1, "bucket": "open", "waiting": 0, "needed_by": None, "facts": {}, "explanation": "Open",
        "surface": "x",
    }  # fmt: skip
    ref = {"key": "D-1", "title": "Pick"}
    assert trusted(QueueItem, decision=trusted(DecisionRef, **ref), **queue) == QueueItem(
        decision=DecisionRef(**ref), **queue
    )


def test_after_a_write_the_engine_runs_once_whichever_worker_asks(org, client_as) -> None:
    """Two workers: each keeps its own memo, both share the cache. After a write, the first to ask
    evaluates; the other reads that result."""
    principal: Client = client_as("principal")
    principal.get("/")
    runs = memo.computations(queries.ENGINE_SPACE)
    ws = org["blocked"]
    status_update_post(
        workstream=ws,
        by=org["by"],
        author=None,
        state="at_risk",
        note="Unblocked",
        expected_version=ws.version,
    )
    assert principal.get("/").status_code == 200  # worker one
    memo.clear(shared=False)  # worker two: its own memory is empty
    for path in ("/", "/radar/", "/queue/"):
        assert principal.get(path).status_code == 200
    assert memo.computations(queries.ENGINE_SPACE) == runs + 1
    assert fast(days(0)) == full(days(0))
