"""Writes of the operating rhythm: saving and retiring rituals, materializing their occurrences,
recording what an occurrence produced, and the calendar feed's secret."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from decisions.models import Decision
from leadership_os.locking import save_versioned
from leadership_os.models import Person
from leadership_os.signals import bump as org_changed
from rhythms import recurrence
from rhythms.models import FeedToken, Occurrence, Ritual, new_feed_token
from workstreams.models import Commitment, Workstream

# Occurrences exist (as rows) for the past 12 weeks and the next 8 (DESIGN.md, issue 6).
PAST_DAYS = 12 * 7
FUTURE_DAYS = 8 * 7


def local_zone() -> ZoneInfo:
    zone = timezone.get_default_timezone()
    assert isinstance(zone, ZoneInfo)
    return zone


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose occurrences are kept as rows: 12 weeks back to 8 weeks ahead."""
    return today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)


def ritual_instances(ritual: Ritual, first_day: dt.date, last_day: dt.date) -> list[dt.datetime]:
    """The rule's instances for `ritual` whose local dates fall in the range (none after retiring)."""
    if not ritual.is_active and ritual.retired_on is not None:
        last_day = min(last_day, ritual.retired_on)
    if last_day < first_day:
        return []
    return recurrence.occurrences_between(
        ritual.rrule, start=ritual.starts_at, zone=local_zone(), first_day=first_day, last_day=last_day
    )


@dataclass(frozen=True)
class SyncResult:
    created: int
    removed: int


def _unrecorded(queryset: Any) -> Any:
    """Occurrences nobody recorded anything about: planned, not moved, no notes, nothing linked."""
    return (
        queryset.filter(status=Occurrence.Status.PLANNED, notes="", starts_at=F("scheduled_for"))
        .annotate(
            n_links=Count("decisions_informed", distinct=True)
            + Count("blockers_surfaced", distinct=True)
            + Count("commitments", distinct=True)
        )
        .filter(n_links=0)
    )


def ritual_sync_occurrences(*, ritual: Ritual, today: dt.date) -> SyncResult:
    """Make the ritual's occurrence rows match its rule for the window around `today`.

    Idempotent: creates the missing planned slots, removes planned slots the rule no longer produces
    (or that fall after the ritual was retired) when nothing was recorded about them, and never
    touches a recorded occurrence (held, skipped, moved, with notes or anything linked).
    """
    zone = local_zone()
    first_day, last_day = window(today)
    existing = {
        o.scheduled_for: o for o in Occurrence.objects.filter(ritual=ritual).only("id", "scheduled_for")
    }
    if existing:
        first_day = min(first_day, min(existing).astimezone(zone).date())
        last_day = max(last_day, max(existing).astimezone(zone).date())
    wanted = set(ritual_instances(ritual, first_day, last_day))
    window_first, window_last = window(today)
    to_create = [
        Occurrence(ritual=ritual, scheduled_for=moment, starts_at=moment)
        for moment in sorted(wanted)
        if moment not in existing and window_first <= moment.date() <= window_last
    ]
    with transaction.atomic():
        stale_ids = [o.pk for when, o in existing.items() if when not in wanted]
        removed = 0
        if stale_ids:
            doomed = list(
                _unrecorded(Occurrence.objects.filter(pk__in=stale_ids)).values_list("pk", flat=True)
            )
            removed = len(doomed)
            if doomed:
                Occurrence.objects.filter(pk__in=doomed).delete()
        if to_create:
            bulk_create_with_history(to_create, Occurrence, batch_size=500)
            org_changed()  # a bulk write sends no signal: what is computed from the org must see it
    return SyncResult(created=len(to_create), removed=removed)


def sync_all_occurrences(*, today: dt.date) -> SyncResult:
    created = removed = 0
    for ritual in Ritual.objects.all():
        result = ritual_sync_occurrences(ritual=ritual, today=today)
        created += result.created
        removed += result.removed
    return SyncResult(created=created, removed=removed)


def normalized_start(rule: str, start: dt.datetime) -> dt.datetime:
    """A ritual starts at its rule's first instance on or after the given start, so that the stored
    start is itself an occurrence (RFC 5545 wants DTSTART in the recurrence set)."""
    first = recurrence.first_occurrence(rule, start=start, zone=local_zone())
    return first if first is not None else start


def ritual_save(
    *,
    ritual: Ritual,
    attendees: Iterable[Person] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Ritual:
    """Create or update a ritual (rule already validated), then sync its occurrences.

    An update names the version it was based on; a stale one raises leadership_os.locking.StaleEdit.
    """
    ritual.starts_at = normalized_start(ritual.rrule, ritual.starts_at)
    with transaction.atomic():
        if ritual.pk is None or expected_version is None:
            ritual.save()
        else:
            save_versioned(ritual, expected_version=expected_version)
        if attendees is not None:
            ritual.attendees.set(list(attendees))
        ritual_sync_occurrences(ritual=ritual, today=today or timezone.localdate())
    return ritual


def ritual_retire(
    *, ritual: Ritual, reason: str, expected_version: int, today: dt.date | None = None
) -> Ritual:
    """Retire a ritual with the reason why. Its record stays: past occurrences and what they produced,
    and its history; planned slots after today that nobody recorded are removed."""
    today = today or timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the ritual is retired.")
    with transaction.atomic():
        ritual.is_active = False
        ritual.retired_on = today
        ritual.retired_reason = reason
        ritual._change_reason = f"retired: {reason}"  # type: ignore[attr-defined]  # shown in its history
        save_versioned(ritual, expected_version=expected_version)
        ritual_sync_occurrences(ritual=ritual, today=today)
    return ritual


@dataclass(frozen=True)
class CommitmentMade:
    """A commitment made in an occurrence: what, by whom, by when, and to whom."""

    description: str
    owner: Person | None
    due_on: dt.date
    promised_to: Person | None = None
    workstream: Workstream | None = None


def occurrence_record(
    *,
    occurrence: Occurrence,
    status: str,
    starts_at: dt.datetime | None = None,
    notes: str = "",
    decisions: Sequence[Decision] = (),
    blockers: Sequence[Workstream] = (),
    commitments: Sequence[CommitmentMade] = (),
    expected_version: int | None = None,
) -> Occurrence:
    """Record what happened to an occurrence, in one transaction: held or skipped (or back to
    planned), moved to a new start, notes, the decisions it informed, the blockers (workstreams) it
    surfaced, and new commitments made there (follow-through sees them; keys are given on save).
    A record made from a form names the version it was based on; a stale one raises
    leadership_os.locking.StaleEdit and writes nothing."""
    if status not in Occurrence.Status.values:
        raise ValueError(f"Unknown status {status!r}")
    with transaction.atomic():
        occurrence.status = status
        occurrence.starts_at = starts_at or occurrence.scheduled_for
        occurrence.notes = notes.strip()
        save_versioned(
            occurrence,
            expected_version=occurrence.version if expected_version is None else expected_version,
        )
        occurrence.decisions_informed.set(list(decisions))
        occurrence.blockers_surfaced.set(list(blockers))
        for made in commitments:
            Commitment.objects.create(
                description=made.description.strip(),
                owner=made.owner,
                promised_to=made.promised_to,
                workstream=made.workstream,
                due_on=made.due_on,
                original_due_on=made.due_on,
                occurrence=occurrence,
            )
    return occurrence


def feed_token_for(user: Any) -> FeedToken:
    """The user's feed secret, made on first use."""
    token, _ = FeedToken.objects.get_or_create(user=user)
    return token


def feed_token_regenerate(*, user: Any) -> FeedToken:
    """A new secret for the user's feed; the old address stops working at once."""
    with transaction.atomic():
        token, created = FeedToken.objects.select_for_update().get_or_create(user=user)
        if not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
    return token
