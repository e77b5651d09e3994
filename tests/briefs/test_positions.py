"""A stakeholder's positions are dated and sourced, so they can be followed over time: the brief
shows each one's latest position and whether it moved since the last engagement."""

from __future__ import annotations

import pytest

from briefs.models import Engagement, StakeholderPosition
from briefs.queries import attendees_prefetch, stakeholder_rows
from tests.briefs.factories import EngagementFactory, PositionFactory, at, day
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla():
    return PersonFactory(
        key="carla-mendes", name="Carla Mendes", organization="Northbank Financial", affiliation="customer"
    )


@pytest.fixture
def checkpoint(carla):
    return EngagementFactory(
        title="Checkpoint", counterpart="Northbank Financial", starts_at=at(-12), attendees=[carla]
    )


@pytest.fixture
def escalation(carla):
    return EngagementFactory(
        title="Escalation", counterpart="Northbank Financial", starts_at=at(0, 15), attendees=[carla]
    )


def row_of(engagement, person):
    rows = stakeholder_rows(engagement, list(engagement.attendees.all()))
    return next(r for r in rows if r.person == person)


def test_a_stance_that_moved_between_two_engagements_is_shown_as_changed(
    checkpoint, escalation, carla
) -> None:
    before = PositionFactory(
        person=carla,
        engagement=checkpoint,
        stance="oppose",
        recorded_on=day(-12),
        position="No renewal without audit logs",
    )
    now = PositionFactory(
        person=carla,
        engagement=escalation,
        stance="neutral",
        recorded_on=day(-2),
        position="Could take a staged rollout",
    )

    row = row_of(escalation, carla)
    assert (row.current, row.baseline, row.status) == (now, before, "changed")

    earlier = row_of(checkpoint, carla)
    assert (earlier.current, earlier.baseline, earlier.status) == (before, None, "first")


def test_the_brief_page_says_what_the_stance_was_and_where(cos_client, checkpoint, escalation, carla) -> None:
    PositionFactory(
        person=carla,
        engagement=checkpoint,
        stance="oppose",
        recorded_on=day(-12),
        position="No renewal without audit logs",
    )
    PositionFactory(
        person=carla,
        engagement=escalation,
        stance="neutral",
        recorded_on=day(-2),
        position="Could take a staged rollout",
    )
    content = cos_client.get(f"/briefs/{escalation.pk}/").content.decode()
    assert "Could take a staged rollout" in content
    assert f'Changed since <a href="/briefs/{checkpoint.pk}/">{checkpoint.key}</a>' in content
    assert "was <strong>Oppose</strong>" in content


def test_the_same_stance_again_is_unchanged(checkpoint, escalation, carla) -> None:
    PositionFactory(person=carla, engagement=checkpoint, stance="oppose", recorded_on=day(-12))
    PositionFactory(person=carla, engagement=escalation, stance="oppose", recorded_on=day(-1))
    assert row_of(escalation, carla).status == "unchanged"


def test_without_a_new_statement_the_last_one_stands(checkpoint, escalation, carla) -> None:
    before = PositionFactory(person=carla, engagement=checkpoint, stance="oppose", recorded_on=day(-12))
    row = row_of(escalation, carla)
    assert (row.current, row.status, row.for_this_engagement) == (before, "unchanged", None)


def test_a_stance_known_before_and_unknown_now_is_unconfirmed_not_changed(
    checkpoint, escalation, carla
) -> None:
    PositionFactory(person=carla, engagement=checkpoint, stance="support", recorded_on=day(-12))
    PositionFactory(person=carla, engagement=escalation, stance="unknown", recorded_on=day(-1))
    assert row_of(escalation, carla).status == "unconfirmed"


def test_a_position_heard_between_engagements_is_the_latest(checkpoint, escalation, carla) -> None:
    PositionFactory(person=carla, engagement=checkpoint, stance="oppose", recorded_on=day(-12))
    heard = PositionFactory(
        person=carla, engagement=None, stance="support", recorded_on=day(-5), source="Email"
    )
    row = row_of(escalation, carla)
    assert (row.current, row.status) == (heard, "changed")


def test_positions_taken_after_an_engagement_do_not_rewrite_its_brief(checkpoint, escalation, carla) -> None:
    before = PositionFactory(person=carla, engagement=checkpoint, stance="oppose", recorded_on=day(-12))
    PositionFactory(person=carla, engagement=escalation, stance="support", recorded_on=day(-1))
    PositionFactory(person=carla, engagement=None, stance="neutral", recorded_on=day(-3))
    assert row_of(checkpoint, carla).current == before


def test_an_attendee_never_heard_has_no_position_and_the_principal_is_not_a_stakeholder(
    escalation, principal, person_of
) -> None:
    escalation.attendees.add(PersonFactory(name="Quiet Person"), person_of(principal))
    loaded = Engagement.objects.prefetch_related(attendees_prefetch()).get(pk=escalation.pk)
    statuses = {r.person.name: r.status for r in stakeholder_rows(loaded, list(loaded.attendees.all()))}
    assert statuses == {"Carla Mendes": "none", "Quiet Person": "none"}


def test_recording_a_new_position_keeps_the_earlier_ones(cos_client, checkpoint, escalation, carla) -> None:
    PositionFactory(person=carla, engagement=checkpoint, stance="oppose", recorded_on=day(-12))
    response = cos_client.post(
        f"/briefs/{escalation.pk}/positions/",
        {
            "person": carla.pk,
            "stance": "neutral",
            "position": "Staged rollout could work",
            "source": "Call",
            "recorded_on": day(0).isoformat(),
        },
    )
    assert response.status_code == 302
    assert list(StakeholderPosition.objects.filter(person=carla).values_list("stance", flat=True)) == [
        "neutral",
        "oppose",
    ]
    assert row_of(escalation, carla).status == "changed"
