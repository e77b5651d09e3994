"""Writes of outbound: sending a claimed delivery (with retries), the one-click actions, preferences,
unsubscribing and the decision feed's secret."""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbound import compose
from outbound.models import (
    TOPIC_OF_KIND,
    ActionLink,
    DecisionFeedToken,
    Delivery,
    Kind,
    Preference,
    Topic,
    new_feed_token,
)
from outbound.recipients import allowed_topics, recipient_of

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_RETRY = dt.timedelta(minutes=1)  # then 2, 4, 8 and 16 minutes: about half an hour in all


# Sending ------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> dt.timedelta:
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def _finish(delivery: Delivery, status: str, reason: str = "", **fields: Any) -> str:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, last_error=reason, next_attempt_at=None, updated_at=timezone.now(), **fields
    )
    return status


class OutboundEmail(EmailMultiAlternatives):
    def message(self, *, policy: email.policy.Policy = email.policy.default) -> Any:
        # List-Unsubscribe holds a long address that mail clients read only as written: keep header
        # lines whole up to RFC 5322's 998 characters instead of folding them into encoded words.
        return super().message(policy=policy.clone(max_line_length=998))


def _email(delivery: Delivery) -> EmailMultiAlternatives:
    from outbound.links import unsubscribe_url

    unsubscribe = unsubscribe_url(delivery.user, TOPIC_OF_KIND[Kind(delivery.kind)])
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    message = OutboundEmail(
        subject=delivery.email_subject,
        body=delivery.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to],
        headers={
            # The same id on every attempt: a retry after an unclear failure is recognisably one message.
            "Message-ID": f"<outbound-{delivery.pk}-{delivery.kind}-{delivery.day:%Y%m%d}@{domain}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(delivery.html_body, "text/html")
    return message


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is still waiting, and say what became of it. The conditional update
    that moves it to "sending" is the worker's claim: of two workers running the same job, one sends.
    A refused or failed send is retried with growing delays, then left failed for staff to see."""
    now = now or timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.RETRYING])
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )
    if not claimed:
        return "not waiting"
    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    topic = TOPIC_OF_KIND[Kind(delivery.kind)]
    recipient = recipient_of(delivery.user)
    if recipient is None or topic not in allowed_topics(recipient.roles):
        return _finish(delivery, Delivery.Status.SKIPPED, "Mail may no longer reach this person.")
    if not recipient.preference.wants(topic):
        return _finish(delivery, Delivery.Status.SKIPPED, "They unsubscribed before it was sent.")
    if not delivery.html_body:
        try:
            with transaction.atomic():  # the message and the links it carries are kept together
                message = compose.compose(delivery)
                if message is not None:
                    _keep(delivery, message, recipient)
        except Exception as exc:  # a bug or a lost database must not leave it "sending" for good
            log.exception("outbound: composing delivery %s failed", delivery.pk)
            return _failed(delivery, exc, now=now)
        if message is None:
            return _finish(delivery, Delivery.Status.SKIPPED, "Nothing left to say: it was dealt with.")
        if delivery.status == Delivery.Status.SKIPPED:
            return Delivery.Status.SKIPPED
    try:
        sent = _email(delivery).send(fail_silently=False)
        if not sent:
            raise RuntimeError("The mail server accepted no recipient.")
    except Exception as exc:
        return _failed(delivery, exc, now=now)
    return _finish(delivery, Delivery.Status.SENT, sent_at=timezone.now())


def _keep(delivery: Delivery, message: compose.Message, recipient: Any) -> None:
    """Keep what the message says (a retry sends the very same), and what a digest saw."""
    delivery.email_subject = message.subject[:200]
    delivery.text_body = message.text
    delivery.html_body = message.html
    delivery.state = message.state
    delivery.to = recipient.email
    if message.quiet and recipient.preference.quiet_digest == Preference.QuietDigest.NONE:
        delivery.status = Delivery.Status.SKIPPED
        delivery.last_error = "Nothing new, and they asked for no digest then."
    fields = ["email_subject", "text_body", "html_body", "state", "to", "status", "last_error"]
    delivery.save(update_fields=fields)


def _failed(delivery: Delivery, exc: Exception, *, now: dt.datetime) -> str:
    from outbound.tasks import deliver

    reason = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    if attempts >= MAX_ATTEMPTS:
        log.error(
            "outbound: delivery %s failed for good after %s attempts: %s", delivery.pk, attempts, reason
        )
        return _finish(delivery, Delivery.Status.FAILED, reason)
    retry_at = now + retry_delay(attempts)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.RETRYING, last_error=reason, next_attempt_at=retry_at, updated_at=now
        )
        deliver.using(run_after=retry_at).enqueue(delivery.pk)
    log.warning(
        "outbound: delivery %s failed (attempt %s), retrying at %s: %s",
        delivery.pk,
        attempts,
        retry_at,
        reason,
    )
    return Delivery.Status.RETRYING


def delivery_retry(*, delivery: Delivery) -> bool:
    """Staff send a failed delivery again, now (its content is kept). False when it is not failed."""
    from outbound.tasks import deliver

    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.RETRYING, attempts=0, next_attempt_at=now, updated_at=now
        )
        if changed:
            deliver.enqueue(delivery.pk)
    return bool(changed)


# One-click actions --------------------------------------------------------------------------------


class LinkUsed(Exception):
    """The link was used meanwhile (by another tab, another click)."""


def _use(link: ActionLink) -> None:
    if not ActionLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise LinkUsed


def action_commitment_done(*, link: ActionLink, commitment: Any, expected_version: int) -> Any:
    """Mark the commitment done through its link, and spend the link, together or not at all."""
    from workstreams.services import commitment_complete

    with transaction.atomic():
        _use(link)
        return commitment_complete(commitment=commitment, by=link.user, expected_version=expected_version)


def action_workstream_update(
    *,
    link: ActionLink,
    workstream: Any,
    author: Any,
    state: str,
    note: str,
    blocker: str,
    expected_version: int,
) -> Any:
    """Post a status update through the link, and spend the link, together or not at all."""
    from workstreams.services import status_update_post

    with transaction.atomic():
        _use(link)
        return status_update_post(
            workstream=workstream,
            by=link.user,
            author=author,
            state=state,
            note=note,
            blocker=blocker,
            expected_version=expected_version,
        )


# Preferences and the feed -------------------------------------------------------------------------


def preference_for(user: Any) -> Preference:
    """The user's preferences (their role's defaults until they choose)."""
    from outbound.recipients import default_preference

    found = Preference.objects.filter(user=user).first()
    if found is not None:
        return found
    return default_preference(user, set(user.groups.values_list("name", flat=True)))


def preference_save(*, user: Any, **choices: Any) -> Preference:
    preference = preference_for(user)
    for name, value in choices.items():
        setattr(preference, name, value)
    if not preference.weekdays:
        raise ValidationError({"weekdays": "Choose at least one day."})
    preference.save()
    return preference


def unsubscribe(*, user: Any, topic: Topic) -> Preference:
    """Stop one kind of mail for one person (one-click, from the message itself)."""
    with transaction.atomic():
        return preference_save(user=user, **{str(topic): False})


def feed_token_for(user: Any) -> DecisionFeedToken:
    token, _ = DecisionFeedToken.objects.get_or_create(user=user)
    return token


def feed_token_regenerate(*, user: Any) -> DecisionFeedToken:
    """A new secret for the user's decision feed; the old addresses stop working at once."""
    with transaction.atomic():
        token, created = DecisionFeedToken.objects.select_for_update().get_or_create(user=user)
        if not created:
            token.token = new_feed_token()
            token.save(update_fields=["token", "created_at"])
    return token
