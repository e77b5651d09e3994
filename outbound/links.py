"""The signed addresses in outbound mail: one-click actions in nudges (single use, a week long, for
one person) and one-click unsubscribes (no login, no expiry)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from outbound.models import ActionLink, Delivery, Topic

ACTION_SALT = "outbound.action-link"
UNSUBSCRIBE_SALT = "outbound.unsubscribe"
LINK_DAYS = 7


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_link_create(*, delivery: Delivery, action: str, subject_key: str) -> str:
    """A new one-click link for the person `delivery` goes to, and its absolute address."""
    link = ActionLink.objects.create(
        delivery=delivery,
        user_id=delivery.user_id,
        action=action,
        subject_key=subject_key,
        expires_at=timezone.now() + dt.timedelta(days=LINK_DAYS),
    )
    return _absolute(reverse("outbound:act", args=[sign_action(link)]))


def sign_action(link: ActionLink) -> str:
    return signing.TimestampSigner(salt=ACTION_SALT).sign(link.token)


class Refusal(StrEnum):
    """Why a one-click link does nothing, each with what the page tells its reader."""

    TAMPERED = "This link is not one Leadership OS made: part of it is missing or was changed."
    EXPIRED = "This link has expired: links in reminders work for seven days."
    USED = "This link was already used. Each link in a reminder works once."
    OTHER_USER = "This link was sent to someone else. Sign out, or open the link from your own mail."
    NOT_ALLOWED = "You can no longer do this: your role or the record's owner has changed since the reminder."
    GONE = "The record this link was about no longer exists."


def action_link_from(value: str, *, now: dt.datetime | None = None) -> ActionLink | Refusal:
    """The link behind a signed value, or why it cannot be used (its ownership is checked by the view)."""
    now = now or timezone.now()
    signer = signing.TimestampSigner(salt=ACTION_SALT)
    try:
        token = signer.unsign(value, max_age=dt.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        return Refusal.EXPIRED
    except signing.BadSignature:
        return Refusal.TAMPERED
    link = ActionLink.objects.select_related("user").filter(token=token).first()
    if link is None:
        return Refusal.TAMPERED
    if link.expires_at <= now:
        return Refusal.EXPIRED
    if link.used_at is not None:
        return Refusal.USED
    if not link.user.is_active:
        return Refusal.NOT_ALLOWED
    return link


def unsubscribe_token(user: Any, topic: str) -> str:
    return signing.dumps({"u": user.pk, "t": str(topic)}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user: Any, topic: str) -> str:
    return _absolute(reverse("outbound:unsubscribe", args=[unsubscribe_token(user, topic)]))


def unsubscribe_from(value: str) -> tuple[Any, Topic] | None:
    """The user and topic of a signed unsubscribe value, or None when it is not one of ours."""
    try:
        data = signing.loads(value, salt=UNSUBSCRIBE_SALT)
        topic = Topic(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    return (user, topic) if user is not None else None
