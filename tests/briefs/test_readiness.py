"""Readiness lists exactly what a brief is missing: the brief, its objective, its one thing, a
stakeholder's stance, its history."""

from __future__ import annotations

import pytest

from briefs.models import Brief
from briefs.queries import brief_readiness, for_readiness, readiness_for
from tests.briefs.factories import BriefFactory, EngagementFactory, PositionFactory, at, day
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_complete_brief_with_history_is_ready(engagement) -> None:
    readiness = brief_readiness(engagement)
    assert readiness.ready
    assert readiness.missing == []


def test_no_brief_is_the_first_thing_missing(engagement) -> None:
    Brief.objects.filter(engagement=engagement).delete()
    engagement.refresh_from_db()
    assert brief_readiness(engagement).missing == ["No brief yet"]


def test_an_empty_objective_is_missing(engagement) -> None:
    Brief.objects.filter(engagement=engagement).update(objective="   ")
    readiness = brief_readiness(engagement)
    assert not readiness.ready
    assert readiness.missing == ["No objective: the decision or signal sought"]


def test_an_empty_one_thing_is_missing(engagement) -> None:
    Brief.objects.filter(engagement=engagement).update(one_thing="")
    assert brief_readiness(engagement).missing == ["No “one thing” that cannot be left unsaid"]


def test_a_stakeholder_of_unknown_stance_is_named(engagement, nadia) -> None:
    PositionFactory(person=nadia, engagement=engagement, stance="unknown")
    PositionFactory(engagement=engagement, stance="support")
    assert brief_readiness(engagement).missing == ["Nadia Karim's stance is unknown"]


def test_a_newer_known_position_for_the_same_engagement_settles_the_stance(engagement, nadia) -> None:
    PositionFactory(person=nadia, engagement=engagement, stance="unknown", recorded_on=day(-3))
    PositionFactory(person=nadia, engagement=engagement, stance="oppose", recorded_on=day(-1))
    assert brief_readiness(engagement).ready


def test_an_unknown_stance_at_another_engagement_does_not_count(engagement, earlier, nadia) -> None:
    PositionFactory(person=nadia, engagement=earlier, stance="unknown", recorded_on=day(-20))
    assert brief_readiness(engagement).ready


def test_no_history_is_missing_when_nothing_is_related() -> None:
    lonely = EngagementFactory(counterpart="Nobody Inc", starts_at=at(1))
    BriefFactory(engagement=lonely)
    readiness = brief_readiness(lonely)
    assert readiness.missing == [
        "No history: nothing related in the decision log, workstreams, signals or past engagements"
    ]


def test_every_missing_piece_is_listed_at_once(nadia) -> None:
    bare = EngagementFactory(counterpart="Nobody Inc", starts_at=at(0), attendees=[nadia])
    BriefFactory(engagement=bare, objective="", one_thing="")
    PositionFactory(person=nadia, engagement=bare, stance="unknown")
    assert brief_readiness(bare).missing == [
        "No objective: the decision or signal sought",
        "No “one thing” that cannot be left unsaid",
        "Nadia Karim's stance is unknown",
        "No history: nothing related in the decision log, workstreams, signals or past engagements",
    ]


def test_readiness_of_many_engagements_agrees_with_each_one(engagement, earlier, nadia) -> None:
    other = EngagementFactory(counterpart="Nobody Inc", starts_at=at(2))
    unknown = EngagementFactory(counterpart="Helix Research", starts_at=at(3), attendees=[nadia])
    BriefFactory(engagement=unknown, one_thing="")
    PositionFactory(person=nadia, engagement=unknown, stance="unknown", recorded_on=day(0))
    engagements = [engagement, earlier, other, unknown]
    together = readiness_for(
        list(for_readiness(type(engagement).objects.filter(pk__in=[e.pk for e in engagements])))
    )
    for each in engagements:
        assert together[each.pk] == brief_readiness(each), each.title


def test_the_principal_does_not_make_every_engagement_related(principal, person_of) -> None:
    vp = person_of(principal)
    from tests.briefs.factories import DecisionFactory

    DecisionFactory(stakeholders=[vp])
    meeting = EngagementFactory(counterpart="Nobody Inc", starts_at=at(1), attendees=[vp, PersonFactory()])
    BriefFactory(engagement=meeting)
    assert "No history" in brief_readiness(meeting).missing[-1]
