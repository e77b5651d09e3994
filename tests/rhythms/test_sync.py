"""Occurrences materialized from the rule: 12 weeks back, 8 ahead, idempotent, recorded ones kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from rhythms.models import Occurrence
from rhythms.services import ritual_retire, ritual_save, ritual_sync_occurrences, window
from tests.rhythms.factories import DecisionFactory, RitualFactory, local

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)  # a Tuesday


def slots(ritual) -> list[dt.datetime]:
    return list(
        Occurrence.objects.filter(ritual=ritual)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
    )


def test_a_weekly_ritual_gets_twelve_weeks_back_and_eight_ahead() -> None:
    ritual = RitualFactory(rrule="FREQ=WEEKLY;BYDAY=TU", starts_at=local(2026, 1, 6, 10))
    result = ritual_sync_occurrences(ritual=ritual, today=TODAY)
    first, last = window(TODAY)
    assert (first, last) == (dt.date(2026, 9, 1), dt.date(2027, 1, 19))
    assert result.created == 12 + 1 + 8
    found = slots(ritual)
    assert found[0] == local(2026, 9, 1, 10)
    assert found[-1] == local(2027, 1, 19, 10)
    assert all(o.astimezone(local(2026, 1, 1).tzinfo).hour == 10 for o in found)


def test_syncing_twice_changes_nothing() -> None:
    ritual = RitualFactory()
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    before = list(Occurrence.objects.order_by("pk").values_list("pk", "scheduled_for", "starts_at", "status"))
    again = ritual_sync_occurrences(ritual=ritual, today=TODAY)
    assert (again.created, again.removed) == (0, 0)
    assert (
        list(Occurrence.objects.order_by("pk").values_list("pk", "scheduled_for", "starts_at", "status"))
        == before
    )


def test_a_later_day_adds_the_new_weeks_and_keeps_the_old_ones() -> None:
    ritual = RitualFactory()
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    result = ritual_sync_occurrences(ritual=ritual, today=TODAY + dt.timedelta(days=14))
    assert result == type(result)(created=2, removed=0)
    assert len(slots(ritual)) == 23


def test_a_ritual_starting_later_has_no_occurrence_before_its_start() -> None:
    ritual = RitualFactory(starts_at=local(2026, 12, 8, 10))
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    assert slots(ritual)[0] == local(2026, 12, 8, 10)


def test_changing_the_rule_replaces_planned_slots_and_keeps_recorded_ones() -> None:
    ritual = RitualFactory(rrule="FREQ=WEEKLY;BYDAY=TU")
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    held = Occurrence.objects.get(ritual=ritual, scheduled_for=local(2026, 11, 17, 10))
    held.status = Occurrence.Status.HELD
    held.save()
    noted = Occurrence.objects.get(ritual=ritual, scheduled_for=local(2026, 11, 10, 10))
    noted.decisions_informed.add(DecisionFactory())
    moved = Occurrence.objects.get(ritual=ritual, scheduled_for=local(2026, 12, 1, 10))
    moved.starts_at = local(2026, 12, 2, 10)
    moved.save()

    ritual.rrule = "FREQ=WEEKLY;BYDAY=TH"
    ritual_save(ritual=ritual, today=TODAY)

    days = {o.astimezone(held.scheduled_for.tzinfo).date() for o in slots(ritual)}
    assert {dt.date(2026, 11, 17), dt.date(2026, 11, 10), dt.date(2026, 12, 1)} <= days
    assert dt.date(2026, 11, 24) not in days
    assert dt.date(2026, 11, 26) in days
    assert (
        Occurrence.objects.filter(ritual=ritual, status=Occurrence.Status.PLANNED)
        .exclude(pk__in=[noted.pk, moved.pk])
        .count()
        == 20
    )  # the Thursdays from 3 September to 14 January


def test_a_skipped_or_moved_occurrence_survives_every_sync() -> None:
    ritual = RitualFactory()
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    skipped = Occurrence.objects.filter(ritual=ritual).first()
    skipped.status = Occurrence.Status.SKIPPED
    skipped.save()
    ritual.rrule = "FREQ=WEEKLY;BYDAY=WE"
    ritual_save(ritual=ritual, today=TODAY)
    skipped.refresh_from_db()
    assert skipped.status == Occurrence.Status.SKIPPED


def test_saving_a_ritual_moves_its_start_onto_the_rule() -> None:
    ritual = RitualFactory.build(
        rrule="FREQ=WEEKLY;BYDAY=TU", starts_at=local(2026, 11, 19, 10)
    )  # a Thursday
    ritual_save(ritual=ritual, today=TODAY)
    assert ritual.starts_at == local(2026, 11, 24, 10)


def test_retiring_removes_future_planned_slots_and_keeps_the_record() -> None:
    ritual = RitualFactory()
    ritual_sync_occurrences(ritual=ritual, today=TODAY)
    past = Occurrence.objects.get(ritual=ritual, scheduled_for=local(2026, 11, 17, 10))
    past.status = Occurrence.Status.HELD
    past.notes = "Held."
    past.save()
    ritual_retire(ritual=ritual, reason="Nobody needs it.", expected_version=ritual.version, today=TODAY)
    ritual.refresh_from_db()
    assert (ritual.is_active, ritual.retired_on, ritual.retired_reason) == (False, TODAY, "Nobody needs it.")
    assert Occurrence.objects.filter(ritual=ritual, starts_at__gt=local(2026, 11, 25, 0)).count() == 0
    assert Occurrence.objects.filter(pk=past.pk, status=Occurrence.Status.HELD).exists()
    assert ritual.history.count() >= 2


def test_the_command_syncs_every_ritual(capsys) -> None:
    RitualFactory()
    RitualFactory(rrule="FREQ=MONTHLY;BYDAY=1TH")
    call_command("sync_occurrences", "--today", TODAY.isoformat())
    assert "created" in capsys.readouterr().out
    assert Occurrence.objects.count() == 21 + 5
    call_command("sync_occurrences", "--today", TODAY.isoformat())
    assert "0 created, 0 removed" in capsys.readouterr().out
