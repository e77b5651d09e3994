"""The adapter reads the database into the engine's snapshot, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, Option, ReopenCondition
from radar.engine import BriefFact, OccurrenceFact, ReopenConditionFact, Thresholds
from radar.engine_adapter import SNAPSHOT_QUERIES, configured_thresholds, evaluate_org, org_snapshot
from rhythms.models import Occurrence, Ritual
from tests.factories import PersonFactory, SurfaceFactory, TagFactory
from workstreams.models import Commitment, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 20)
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def local(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LA)


def make_org(n: int) -> None:
    """n copies of a small org in which every rule has something to say."""
    surface = SurfaceFactory(key="enterprise")
    latency, gpu = TagFactory(name="latency"), TagFactory(name="gpu")
    for i in range(n):
        owner = PersonFactory()
        vendor = Decision.objects.create(
            title=f"Eval vendor {i}",
            question="Which?",
            status="open",
            surface=surface,
            needed_by=ago(2),
            opened_on=ago(30),
        )
        vendor.tags.add(gpu)
        Option.objects.create(decision=vendor, title="A")
        Option.objects.create(decision=vendor, title="B")
        old = Decision.objects.create(
            title=f"Region {i}", question="Where?", status="decided", decided_on=ago(200)
        )
        ReopenCondition.objects.create(decision=old, text="Latency doubles", triggered_on=ago(1))
        ReopenCondition.objects.create(decision=old, text="Yearly", review_on=ago(3), reviewed_on=ago(9))
        blocked = Workstream.objects.create(
            name=f"Data terms {i}",
            owner=owner,
            surface=surface,
            state="blocked",
            blocker="legal review",
            blocked_since=ago(5),
            blocked_by_decision=vendor,
            created_on=ago(60),
        )
        StatusUpdate.objects.create(workstream=blocked, posted_on=ago(9), state="at_risk", note="slow")
        StatusUpdate.objects.create(workstream=blocked, posted_on=ago(4), state="blocked", note="stuck")
        Workstream.objects.create(
            name=f"Orphan {i}",
            state="on_track",
            created_on=ago(2),
            next_decision_on=ago(1),
            next_decision=vendor,
        )
        Commitment.objects.create(
            description=f"Send memo {i}", owner=owner, workstream=blocked, due_on=ago(8)
        )
        for j in range(3):
            entry = ContextEntry.objects.create(
                kind="customer_signal", title=f"Signal {i}.{j}", dated_on=ago(j)
            )
            entry.tags.add(latency)
        question = ContextEntry.objects.create(
            kind="open_question", title=f"GPU? {i}", dated_on=ago(5), status="open"
        )
        question.tags.add(gpu)
        ritual = Ritual.objects.create(
            name=f"Weekly sync {i}", kind="status_readout", rrule="FREQ=WEEKLY", starts_at=local(ago(35))
        )
        for week in range(5):
            day = ago(7 * week)
            occurrence = Occurrence.objects.create(
                ritual=ritual, scheduled_for=local(day), starts_at=local(day), status="held"
            )
            if week == 4:
                occurrence.decisions_informed.add(vendor)
                occurrence.blockers_surfaced.add(blocked)
        engagement = Engagement.objects.create(
            title=f"Board prep {i}", kind="board_adjacent", starts_at=local(AS_OF, 23), surface=surface
        )
        Brief.objects.create(engagement=engagement, objective="Get a yes", one_thing="")
        stakeholder = PersonFactory(name=f"Bo {i}")
        StakeholderPosition.objects.create(
            person=stakeholder, engagement=engagement, position="?", stance="unknown", recorded_on=ago(1)
        )
        changed = PersonFactory(name=f"Cy {i}")
        StakeholderPosition.objects.create(
            person=changed, engagement=engagement, position="?", stance="unknown", recorded_on=ago(10)
        )
        StakeholderPosition.objects.create(
            person=changed, engagement=engagement, position="yes", stance="support", recorded_on=ago(2)
        )


def test_the_snapshot_carries_what_the_rules_need() -> None:
    make_org(1)
    snapshot = org_snapshot()
    blocked = next(w for w in snapshot.workstreams if w.title == "Data terms 0")
    assert (blocked.last_update_on, blocked.blocked_since, blocked.surface, blocked.state) == (
        ago(4),
        ago(5),
        "enterprise",
        "blocked",
    )
    assert blocked.blocked_by_decision == next(
        d.key for d in snapshot.decisions if d.title == "Eval vendor 0"
    )
    vendor = next(d for d in snapshot.decisions if d.title == "Eval vendor 0")
    assert (vendor.options_count, vendor.tags) == (2, ("gpu",))
    region = next(d for d in snapshot.decisions if d.title == "Region 0")
    assert set(region.reopen_conditions) == {
        ReopenConditionFact(text="Latency doubles", triggered_on=ago(1)),
        ReopenConditionFact(text="Yearly", review_on=ago(3), reviewed_on=ago(9)),
    }
    assert snapshot.commitments[0].surface == "enterprise"
    assert len(snapshot.signals) == 3 and snapshot.signals[0].tags == ("latency",)
    assert [q.tags for q in snapshot.open_questions] == [("gpu",)]
    (ritual,) = snapshot.rituals
    assert sorted(ritual.held, key=lambda o: o.held_on)[0] == OccurrenceFact(
        held_on=ago(28), decisions_informed=1, blockers_surfaced=1
    )
    (engagement,) = snapshot.engagements
    assert engagement.brief == BriefFact(has_objective=True, has_one_thing=False, unknown_stance=("Bo 0",))


def test_an_engagement_s_date_is_taken_in_the_configured_time_zone() -> None:
    make_org(1)
    # 23:00 in Los Angeles on AS_OF is already the next day in UTC.
    assert org_snapshot().engagements[0].starts_on == AS_OF


def test_the_rules_fire_on_the_database_org() -> None:
    make_org(1)
    rules = {item.rule for item in evaluate_org(AS_OF).radar}
    assert rules == {
        "blocked-not-escalated",
        "no-owner",
        "decision-point-overdue",
        "waiting-on-decision",
        "slipped-commitment",
        "signal-cluster-undecided",
        "ritual-without-purpose",
        "ritual-theater",
        "brief-not-ready",
    }
    assert [item.bucket for item in evaluate_org(AS_OF).queue] == ["overdue", "review"]


def test_the_snapshot_takes_the_same_number_of_queries_for_a_small_and_a_ten_times_larger_org() -> None:
    make_org(2)
    with CaptureQueriesContext(connection) as small:
        org_snapshot()
    make_org(18)
    with CaptureQueriesContext(connection) as large:
        snapshot = org_snapshot()
    assert len(snapshot.decisions) == 40
    assert len(small) == len(large) == SNAPSHOT_QUERIES


def test_thresholds_come_from_the_rules_settings(settings) -> None:
    settings.LEADERSHIP_OS_RULES = {
        **settings.LEADERSHIP_OS_RULES,
        "STALE_DAYS": "10",
        "STALE_HIGH_DAYS": "20",
    }
    assert configured_thresholds() == Thresholds(stale_days=10, stale_high_days=20)


def test_the_radar_command_prints_rules_md_s_json(capsys) -> None:
    make_org(1)
    call_command("radar", "--as-of", "2026-11-20")
    printed = capsys.readouterr().out
    assert printed == evaluate_org(AS_OF).to_json() + "\n"
    document = json.loads(printed)
    assert document["as_of"] == "2026-11-20"
    assert document["radar"][0]["rule"] == "blocked-not-escalated"
    assert document["queue"][0]["rank"] == 1


def test_the_radar_command_prints_text(capsys) -> None:
    make_org(1)
    call_command("radar", "--as-of", "2026-11-20", "--format", "text")
    out = capsys.readouterr().out
    assert out.startswith("Blocker radar as of 2026-11-20: ")
    assert "Decision queue: 2 decisions" in out


def test_the_radar_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="--as-of must be a date written YYYY-MM-DD, not '2026-02-30'"):
        call_command("radar", "--as-of", "2026-02-30")


def test_the_radar_command_on_an_empty_org(capsys) -> None:
    call_command("radar", "--as-of", "2026-11-20")
    assert json.loads(capsys.readouterr().out) == {"as_of": "2026-11-20", "radar": [], "queue": []}
