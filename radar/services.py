"""Writes of what the apps share: snoozing radar items, loading the sample org."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from radar.engine import RadarItem
from radar.models import Snooze
from radar.queries import fingerprint


def radar_snooze(*, item: RadarItem, until: dt.date, note: str, by: AbstractBaseUser) -> Snooze:
    """Hide `item` from the dashboard and the radar until `until` (it comes back on that day, or
    sooner if its facts change). An earlier snooze of the same item is replaced."""
    with transaction.atomic():
        Snooze.objects.filter(
            rule=item.rule,
            subject_type=item.subject.type,
            subject_key=item.subject.key,
            cancelled_at__isnull=True,
        ).update(cancelled_at=timezone.now())
        return Snooze.objects.create(
            rule=item.rule,
            subject_type=item.subject.type,
            subject_key=item.subject.key,
            fingerprint=fingerprint(item),
            until=until,
            note=note,
            by=by,
        )


def radar_unsnooze(*, snooze: Snooze, by: AbstractBaseUser) -> None:
    """Bring a snoozed item back at once; the snooze stays in history."""
    snooze.cancelled_at = timezone.now()
    snooze._change_reason = f"Brought back by {by}"  # type: ignore[attr-defined]
    snooze.save(update_fields=["cancelled_at"])
