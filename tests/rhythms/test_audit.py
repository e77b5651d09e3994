"""The ritual audit: RULES.md's ritual-without-purpose and ritual-theater, at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from rhythms.models import Occurrence
from rhythms.queries import RULE_THEATER, RULE_WITHOUT_PURPOSE, ritual_audit
from tests.rhythms.factories import (
    DecisionFactory,
    OccurrenceFactory,
    RitualFactory,
    WorkstreamFactory,
    local,
)
from workstreams.models import Commitment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def held(ritual, weeks_ago: int, **kwargs) -> Occurrence:
    when = local(2026, 11, 24, 10) - dt.timedelta(weeks=weeks_ago)
    return OccurrenceFactory(ritual=ritual, scheduled_for=when, starts_at=when, **kwargs)


def flags_of(ritual, today: dt.date = TODAY) -> list[str]:
    earning, flagged, _ = ritual_audit(today=today)
    for row in earning + flagged:
        if row.ritual.pk == ritual.pk:
            return row.flags
    raise AssertionError("ritual not in the audit")


def test_three_held_occurrences_that_produced_nothing_are_not_yet_theater() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2):
        held(ritual, weeks)
    assert flags_of(ritual) == []


def test_four_held_occurrences_that_produced_nothing_are_theater() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2, 3):
        held(ritual, weeks)
    assert flags_of(ritual) == [RULE_THEATER]


def test_one_decision_informed_in_the_last_four_saves_it() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2):
        held(ritual, weeks)
    held(ritual, 3).decisions_informed.add(DecisionFactory())
    assert flags_of(ritual) == []


def test_one_blocker_surfaced_in_the_last_four_saves_it() -> None:
    ritual = RitualFactory()
    held(ritual, 0).blockers_surfaced.add(WorkstreamFactory())
    for weeks in (1, 2, 3):
        held(ritual, weeks)
    assert flags_of(ritual) == []


def test_a_yield_older_than_the_last_four_held_does_not_count() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2, 3):
        held(ritual, weeks)
    held(ritual, 4).decisions_informed.add(DecisionFactory())
    assert flags_of(ritual) == [RULE_THEATER]


def test_commitments_alone_do_not_save_it() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2, 3):
        occurrence = held(ritual, weeks)
        Commitment.objects.create(description="Follow up", due_on=TODAY, occurrence=occurrence)
    assert flags_of(ritual) == [RULE_THEATER]
    _, flagged, _ = ritual_audit(today=TODAY)
    assert flagged[0].commitments == 4


def test_skipped_and_planned_occurrences_are_not_held() -> None:
    ritual = RitualFactory()
    for weeks in (0, 1, 2):
        held(ritual, weeks)
    held(ritual, 3, status=Occurrence.Status.SKIPPED)
    held(ritual, 4, status=Occurrence.Status.PLANNED)
    assert flags_of(ritual) == []


def test_only_occurrences_on_or_before_the_day_count() -> None:
    ritual = RitualFactory()
    for weeks in (1, 2, 3):
        held(ritual, weeks)
    tomorrow = held(ritual, 0)
    tomorrow.starts_at = local(2026, 11, 25, 10)
    tomorrow.save()
    assert flags_of(ritual, TODAY) == []
    assert flags_of(ritual, TODAY + dt.timedelta(days=1)) == [RULE_THEATER]


def test_a_held_occurrence_late_on_the_day_itself_counts() -> None:
    ritual = RitualFactory()
    for weeks in (1, 2, 3):
        held(ritual, weeks)
    late = held(ritual, 0)
    late.starts_at = local(2026, 11, 24, 23, 30)
    late.save()
    assert flags_of(ritual) == [RULE_THEATER]


@pytest.mark.parametrize(
    ("informs", "surfaces", "flagged"),
    [("", "", True), ("  ", "\n", True), ("Launch go or no-go.", "", False), ("", "Dependencies.", False)],
)
def test_a_ritual_without_purpose_is_one_that_answers_neither_question(informs, surfaces, flagged) -> None:
    ritual = RitualFactory(informs_decision=informs, surfaces_blocker=surfaces)
    assert (RULE_WITHOUT_PURPOSE in flags_of(ritual)) is flagged


def test_both_flags_fire_together() -> None:
    ritual = RitualFactory(informs_decision="", surfaces_blocker="")
    for weeks in (0, 1, 2, 3):
        held(ritual, weeks)
    assert flags_of(ritual) == [RULE_WITHOUT_PURPOSE, RULE_THEATER]


def test_the_window_comes_from_the_rules_settings(settings) -> None:
    settings.LEADERSHIP_OS_RULES = {**settings.LEADERSHIP_OS_RULES, "THEATER_WINDOW": "2"}
    ritual = RitualFactory()
    held(ritual, 0)
    held(ritual, 1)
    held(ritual, 2).decisions_informed.add(DecisionFactory())
    assert flags_of(ritual) == [RULE_THEATER]


def test_rituals_that_earn_their_cost_come_first_and_retired_ones_apart() -> None:
    good = RitualFactory(name="Product review")
    held(good, 0).decisions_informed.add(DecisionFactory())
    bad = RitualFactory(name="Status readout")
    for weeks in (0, 1, 2, 3):
        held(bad, weeks)
    gone = RitualFactory(name="Old standup", is_active=False, retired_on=TODAY, retired_reason="Replaced.")
    for weeks in (0, 1, 2, 3):
        held(gone, weeks)
    earning, flagged, retired = ritual_audit(today=TODAY)
    assert [r.ritual.name for r in earning] == ["Product review"]
    assert [r.ritual.name for r in flagged] == ["Status readout"]
    assert retired == [gone]
    assert (earning[0].decisions, earning[0].blockers, earning[0].held) == (1, 0, 1)
