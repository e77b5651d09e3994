"""The once-a-minute scheduler: what is due now, for whom. It claims each message by inserting its
delivery row (the database refuses a second one for the same person, kind, subject and day) and
enqueues the job that sends it in the same transaction. Running it twice, on two workers, or after a
restart changes nothing that was already claimed."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from leadership_os.access import Role
from leadership_os.thresholds import rule_thresholds
from outbound.models import Delivery, Kind, Topic
from outbound.recipients import Recipient, recipients
from outbound.tasks import deliver

log = logging.getLogger(__name__)

SLIP_CATCH_UP_DAYS = 2  # a slip nudge missed while the worker was down still goes out this long after
STUCK_AFTER = dt.timedelta(minutes=15)
LOST_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    recipient: Recipient
    kind: Kind
    subject: str
    day: dt.date


def due_now(now: dt.datetime) -> list[Due]:
    """Everything that should be sent by `now` and is not claimed yet (a fixed number of queries)."""
    from workstreams.models import Commitment, State, Workstream

    local = timezone.localtime(now)
    today = local.date()
    ready = [r for r in recipients() if r.preference.sends_on(today) and local.time() >= r.preference.send_at]
    found: list[Due] = []
    monday = today - dt.timedelta(days=today.weekday())
    for r in ready:
        if r.gets(Topic.DIGEST):
            # One digest a day at most, for today only: after days down, one digest covers them all.
            found.append(Due(r, Kind.DIGEST, "digest", today))
        if r.gets(Topic.WEEKLY) and Role.CHIEF_OF_STAFF in r.roles:
            found.append(
                Due(r, Kind.WEEKLY_NOTE, f"{today.isocalendar().year}-W{today.isocalendar().week:02}", monday)
            )
    by_person = {r.person.pk: r for r in ready}
    commitments = Commitment.objects.filter(
        owner_id__in=[pk for pk, r in by_person.items() if r.gets(Topic.COMMITMENTS)],
        done_on__isnull=True,
        due_on__gte=today - dt.timedelta(days=SLIP_CATCH_UP_DAYS + 1),
        due_on__lte=today + dt.timedelta(days=1),
    ).values_list("owner_id", "key", "due_on")
    for owner_id, key, due_on in commitments:
        r = by_person[owner_id]
        if due_on == today + dt.timedelta(days=1):
            found.append(Due(r, Kind.COMMITMENT_DUE, f"{key}@{due_on}", today))
        elif due_on < today:
            found.append(Due(r, Kind.COMMITMENT_SLIPPED, f"{key}@{due_on}", due_on + dt.timedelta(days=1)))
    stale_days = rule_thresholds()["STALE_DAYS"]
    workstreams = (
        Workstream.objects.filter(owner_id__in=[pk for pk, r in by_person.items() if r.gets(Topic.UPDATES)])
        .exclude(state__in=[State.DONE, State.PAUSED])
        .annotate(last_posted=Max("updates__posted_on"))
        .values_list("owner_id", "key", "last_posted", "created_on")
    )
    for owner_id, key, last_posted, created_on in workstreams:
        last = last_posted or created_on
        if (today - last).days == stale_days - 1:  # the rule fires tomorrow
            found.append(Due(by_person[owner_id], Kind.UPDATE_STALE, f"{key}@{last}", today))
    claimed = set(
        Delivery.objects.filter(day__gte=today - dt.timedelta(days=SLIP_CATCH_UP_DAYS + 7)).values_list(
            "user_id", "kind", "subject", "day"
        )
    )
    return [d for d in found if (d.recipient.user.pk, str(d.kind), d.subject, d.day) not in claimed]


def claim(due: Due) -> Delivery | None:
    """Insert the delivery and enqueue its job, or None when someone else claimed it first."""
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                user=due.recipient.user,
                kind=due.kind,
                subject=due.subject,
                day=due.day,
                to=due.recipient.email,
            )
            deliver.enqueue(delivery.pk)
    except IntegrityError:
        return None
    return delivery


def recover(now: dt.datetime) -> None:
    """Deliveries a stopped worker left behind: a job lost before it ran is enqueued again (its claim
    keeps it from running twice); one cut off while sending is marked failed for staff to look at,
    because it is not known whether it left."""
    Delivery.objects.filter(status=Delivery.Status.SENDING, updated_at__lt=now - STUCK_AFTER).update(
        status=Delivery.Status.FAILED,
        last_error="The worker stopped while sending it; it may or may not have been delivered.",
        updated_at=now,
    )
    lost = list(
        Delivery.objects.filter(updated_at__lt=now - LOST_AFTER)
        .filter(
            Q(status=Delivery.Status.QUEUED)
            | Q(status=Delivery.Status.RETRYING, next_attempt_at__lt=now - LOST_AFTER)
        )
        .values_list("pk", flat=True)[:500]
    )
    for pk in lost:
        with transaction.atomic():
            if Delivery.objects.filter(pk=pk, updated_at__lt=now - LOST_AFTER).update(updated_at=now):
                deliver.enqueue(pk)


def tick(now: dt.datetime | None = None) -> int:
    """One minute's work: claim and enqueue what is due; returns how many were claimed here."""
    now = now or timezone.now()
    recover(now)
    claimed = 0
    for due in due_now(now):
        if claim(due) is not None:
            claimed += 1
    if claimed:
        log.info("outbound: %s message(s) claimed and queued", claimed)
    return claimed
