"""The history the system assembles for a brief: each kind of related record appears, linked to its
record; unrelated ones do not."""

from __future__ import annotations

import pytest

from briefs.queries import assemble_history
from decisions.models import Decision
from tests.briefs.factories import (
    CommitmentFactory,
    DecisionFactory,
    EngagementFactory,
    SignalFactory,
    WorkstreamFactory,
    at,
    day,
)
from tests.factories import PersonFactory, SurfaceFactory, TagFactory
from workstreams.models import StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_surface():
    return SurfaceFactory(key="government", name="Government")


@pytest.fixture
def briefing(surface, nadia):
    return EngagementFactory(
        title="Helix briefing",
        counterpart="Helix Research",
        surface=surface,
        starts_at=at(1),
        attendees=[nadia],
        tags=[TagFactory(name="evals")],
    )


def keys(items) -> list[str]:
    return [item.key for item in items]


def test_decisions_of_the_same_surface_tags_or_people_appear_newest_first(
    briefing, surface, other_surface, nadia
) -> None:
    by_surface = DecisionFactory(surface=surface, status="decided", decided_on=day(-30), title="Surface")
    by_tag = DecisionFactory(surface=other_surface, tags=[TagFactory(name="evals")], opened_on=day(-5))
    by_person = DecisionFactory(surface=other_surface, stakeholders=[nadia], opened_on=day(-1))
    DecisionFactory(surface=other_surface, tags=[TagFactory(name="pricing")], stakeholders=[PersonFactory()])

    history = assemble_history(briefing)

    assert keys(history.decisions) == [by_person.key, by_tag.key, by_surface.key]
    assert history.decisions_total == 3
    marked = {d.key: (d.is_open, d.via_surface, d.via_tag, d.via_people) for d in history.decisions}
    assert marked[by_surface.key] == (False, True, False, False)
    assert marked[by_tag.key] == (True, False, True, False)
    assert marked[by_person.key] == (True, False, False, True)
    assert history.decisions[0].url == f"/decisions/{by_person.key}/"


def test_a_decision_with_only_the_principal_in_common_is_not_related(
    briefing, principal, person_of, other_surface
) -> None:
    vp = person_of(principal)
    briefing.attendees.add(vp)
    DecisionFactory(surface=other_surface, stakeholders=[vp])
    assert assemble_history(briefing).decisions == []


def test_radar_worthy_workstreams_of_the_surface_or_owned_by_attendees_appear(
    briefing, surface, other_surface, nadia
) -> None:
    blocked = WorkstreamFactory(
        surface=surface, state="blocked", blocker="Legal review of data terms", blocked_since=day(-4)
    )
    escalated = WorkstreamFactory(
        surface=surface, state="at_risk", escalation="escalated", escalated_on=day(-2)
    )
    stale = WorkstreamFactory(surface=other_surface, owner=nadia, created_on=day(-30))
    StatusUpdate.objects.create(workstream=stale, posted_on=day(-8), state="on_track", note="Fine")
    decision = DecisionFactory(surface=other_surface, status="open")
    overdue = WorkstreamFactory(surface=surface, next_decision_on=day(-1), next_decision=decision)
    # Not radar-worthy, or not related:
    fresh = WorkstreamFactory(surface=surface, created_on=day(-30))
    StatusUpdate.objects.create(workstream=fresh, posted_on=day(-6), state="on_track", note="Fine")
    WorkstreamFactory(surface=surface, state="done", created_on=day(-60))
    WorkstreamFactory(surface=surface, state="paused", created_on=day(-60))
    WorkstreamFactory(surface=other_surface, state="blocked", blocker="Elsewhere")
    decided = DecisionFactory(surface=other_surface, status="decided", decided_on=day(-3))
    WorkstreamFactory(surface=surface, next_decision_on=day(-1), next_decision=decided)

    history = assemble_history(briefing)

    facts = {item.workstream.key: [f.kind for f in item.facts] for item in history.workstreams}
    assert facts == {
        escalated.key: ["escalated"],
        blocked.key: ["blocked"],
        stale.key: ["stale"],
        overdue.key: ["overdue"],
    }
    assert list(facts)[:2] == [escalated.key, blocked.key]
    blocked_item = next(i for i in history.workstreams if i.workstream.key == blocked.key)
    assert blocked_item.facts[0].text == "Blocked for 4 days: Legal review of data terms"
    assert blocked_item.url == f"/workstreams/{blocked.key}/"


def test_customer_signals_of_the_counterpart_or_surface_in_the_last_30_days_appear(
    briefing, surface, other_surface
) -> None:
    from_counterpart = SignalFactory(
        source="Helix Research, Nadia's team", surface=other_surface, dated_on=day(-29)
    )
    of_surface = SignalFactory(source="Another lab", surface=surface, dated_on=day(-1))
    SignalFactory(source="Helix Research", dated_on=day(-31))
    SignalFactory(source="Northbank Financial", surface=other_surface, dated_on=day(-1))
    SignalFactory(kind="note", source="Helix Research", dated_on=day(-1))

    history = assemble_history(briefing)

    assert [s.pk for s in history.signals] == [of_surface.pk, from_counterpart.pk]
    assert history.signals[1].url == f"/context/{from_counterpart.key}/"


def test_the_last_engagement_with_the_counterpart_comes_with_its_outcome_and_commitments(
    briefing, nadia
) -> None:
    EngagementFactory(counterpart="Helix Research", starts_at=at(-40), outcome="Long ago")
    last = EngagementFactory(counterpart="HELIX Research", starts_at=at(-10), outcome="Conditional yes")
    EngagementFactory(counterpart="Helix Research", starts_at=at(5))
    EngagementFactory(counterpart="Northbank Financial", starts_at=at(-2))
    done = CommitmentFactory(engagement=last, due_on=day(-5), done_on=day(-6), owner=nadia)
    slipped = CommitmentFactory(engagement=last, due_on=day(-2))
    coming = CommitmentFactory(engagement=last, due_on=day(3))

    history = assemble_history(briefing)

    assert history.last_engagement == last
    assert {i.commitment.key: i.status for i in history.last_commitments} == {
        done.key: "done",
        slipped.key: "slipped",
        coming.key: "open",
    }


def test_an_engagement_with_nothing_related_has_an_empty_history(other_surface) -> None:
    lonely = EngagementFactory(counterpart="Nobody Inc", starts_at=at(1))
    DecisionFactory(surface=other_surface)
    WorkstreamFactory(surface=other_surface, state="blocked")
    SignalFactory(source="Somebody", surface=other_surface)
    assert assemble_history(lonely).empty


def test_the_page_links_every_assembled_item_to_its_record(cos_client, briefing, surface, nadia) -> None:
    decision = DecisionFactory(surface=surface, title="Open weights policy")
    workstream = WorkstreamFactory(surface=surface, state="blocked", name="Eval harness")
    signal = SignalFactory(source="Helix Research", title="Helix asks for eval parity")
    last = EngagementFactory(counterpart="Helix Research", starts_at=at(-10), title="Quarterly review")

    content = cos_client.get(f"/briefs/{briefing.pk}/").content.decode()

    assert f'href="/decisions/{decision.key}/"' in content
    assert f'href="/workstreams/{workstream.key}/"' in content
    assert f'href="/context/{signal.key}/"' in content
    assert f'href="/briefs/{last.pk}/"' in content
    assert "Open weights policy" in content and "Eval harness" in content
    assert "Helix asks for eval parity" in content and "Quarterly review" in content


def test_drafts_created_from_an_engagement_are_counted_with_its_surface(briefing, surface) -> None:
    draft = DecisionFactory(surface=surface, status=Decision.Status.DRAFT, opened_on=None)
    history = assemble_history(briefing)
    assert keys(history.decisions) == [draft.key]
    assert history.decisions[0].is_open is False


def test_counts_stop_at_the_cap_and_say_more_than(briefing, surface) -> None:
    from briefs.queries import COUNT_CAP

    SignalFactory.create_batch(COUNT_CAP + 3, source="Helix Research", surface=surface, dated_on=day(-2))
    history = assemble_history(briefing)
    assert history.signals_total == COUNT_CAP + 1
    assert history.signals_count == f"more than {COUNT_CAP}"


def test_counts_under_the_cap_are_exact(briefing, surface) -> None:
    SignalFactory.create_batch(7, source="Helix Research", surface=surface, dated_on=day(-2))
    history = assemble_history(briefing)
    assert history.signals_total == 7 and history.signals_count == "7"
