"""What outbound mail remembers: each person's preferences, the send log that makes every message go
out once (its unique constraint is the claim), the one-click links in nudges, and the decision feed's
secret."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    DIGEST = "digest", "Morning digest"
    COMMITMENT_DUE = "commitment-due", "Commitment due tomorrow"
    COMMITMENT_SLIPPED = "commitment-slipped", "Commitment slipped"
    UPDATE_STALE = "update-stale", "Update going stale"
    WEEKLY_NOTE = "weekly-note", "Weekly follow-through note"


class Topic(models.TextChoices):
    """What a person subscribes to (and unsubscribes from) in one click."""

    DIGEST = "digest", "The morning digest"
    COMMITMENTS = "commitments", "Reminders about my commitments"
    UPDATES = "updates", "Reminders to update my workstreams"
    WEEKLY = "weekly", "The weekly follow-through note"


# How a message names its kind to its reader ("You get the morning digest because…").
TOPIC_IN_MAIL = {
    Topic.DIGEST: "the morning digest",
    Topic.COMMITMENTS: "reminders about your commitments",
    Topic.UPDATES: "reminders to update your workstreams",
    Topic.WEEKLY: "the weekly follow-through note",
}

TOPIC_OF_KIND = {
    Kind.DIGEST: Topic.DIGEST,
    Kind.COMMITMENT_DUE: Topic.COMMITMENTS,
    Kind.COMMITMENT_SLIPPED: Topic.COMMITMENTS,
    Kind.UPDATE_STALE: Topic.UPDATES,
    Kind.WEEKLY_NOTE: Topic.WEEKLY,
}
NUDGE_KINDS = (Kind.COMMITMENT_DUE, Kind.COMMITMENT_SLIPPED, Kind.UPDATE_STALE)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_SEND_TIME = dt.time(7, 30)


class Preference(models.Model):
    """One person's choices: which mail they get, on which weekdays, at what local time."""

    class QuietDigest(models.TextChoices):
        LINE = "line", "Send one line saying so"
        NONE = "none", "Send nothing"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbound_preference"
    )
    digest = models.BooleanField(default=False)
    commitments = models.BooleanField(default=True)
    updates = models.BooleanField(default=True)
    weekly = models.BooleanField(default=False)
    weekdays = models.CharField(max_length=7, default="01234", help_text="Days to send on, 0 = Monday.")
    send_at = models.TimeField(default=DEFAULT_SEND_TIME)
    quiet_digest = models.CharField(max_length=4, choices=QuietDigest.choices, default=QuietDigest.LINE)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Mail preferences of {self.user}"

    def wants(self, topic: str) -> bool:
        return bool(getattr(self, str(topic)))

    def sends_on(self, day: dt.date) -> bool:
        return str(day.weekday()) in self.weekdays


class Delivery(models.Model):
    """One message to one person about one subject on one day. The row is inserted before anything is
    sent, and the unique constraint lets exactly one insert win: two workers, a restarted worker or a
    repeated tick never send it twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Waiting to retry"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not sent"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=80, help_text="What it is about, e.g. C-12@2026-12-07.")
    day = models.DateField(help_text="The local day it belongs to.")
    to = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    email_subject = models.CharField(max_length=200, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    state = models.JSONField(default=dict, blank=True, help_text="What a digest showed, for the next one.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "subject", "day"], name="outbound_delivery_once")
        ]
        indexes = [models.Index(fields=["user", "kind", "-created_at"], name="outbound_delivery_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} ({self.subject}, {self.day})"

    @property
    def is_nudge(self) -> bool:
        return self.kind in NUDGE_KINDS


def new_link_token() -> str:
    return secrets.token_urlsafe(24)


class ActionLink(models.Model):
    """A one-click link in a nudge: for one person and one action on one record, used once, for a week."""

    class Action(models.TextChoices):
        COMMITMENT_DONE = "commitment-done", "Mark the commitment done"
        WORKSTREAM_UPDATE = "workstream-update", "Post a status update"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    subject_key = models.CharField(max_length=20)
    token = models.CharField(max_length=64, unique=True, default=new_link_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subject_key} for {self.user}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class DecisionFeedToken(models.Model):
    """The secret in a user's decision feed address; a new one revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decision_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Decision feed of {self.user}"
