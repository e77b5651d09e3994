"""The workstream status map and the follow-through ledger."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from decisions.models import Decision
from leadership_os.models import KeyedModel, Person, Surface, Tag, VersionedModel


class State(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    BLOCKED = "blocked", "Blocked"
    PAUSED = "paused", "Paused"
    DONE = "done", "Done"


class Escalation(models.TextChoices):
    NONE = "none", "None"
    WATCHING = "watching", "Watching"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"


def local_today():  # type: ignore[no-untyped-def]
    return timezone.localdate()


class Workstream(KeyedModel, VersionedModel):
    KEY_PREFIX = "WS"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    surface = models.ForeignKey(
        Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="workstreams"
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="workstreams_owned"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="workstreams")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ON_TRACK, db_index=True)
    next_decision_on = models.DateField(null=True, blank=True)
    next_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_points"
    )
    blocker = models.TextField(blank=True)
    blocked_since = models.DateField(null=True, blank=True)
    blocked_by_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting_workstreams"
    )
    escalation = models.CharField(max_length=10, choices=Escalation.choices, default=Escalation.NONE)
    escalated_on = models.DateField(null=True, blank=True)
    created_on = models.DateField(default=local_today)
    # An archived workstream leaves the map and the radar; it stays readable and can be restored.
    archived_on = models.DateField(null=True, blank=True, db_index=True)
    archive_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class StatusUpdate(models.Model):
    """An async update: the date, who wrote it, the state they reported, and what they said."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="updates")
    posted_on = models.DateField(default=local_today, db_index=True)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices)
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-posted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.workstream.key} {self.posted_on}"


class Commitment(KeyedModel, VersionedModel):
    """What was promised, by whom, to whom, by when, and where it was promised."""

    KEY_PREFIX = "C"

    description = models.CharField(max_length=300)
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    promised_to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments_received"
    )
    due_on = models.DateField(db_index=True)
    original_due_on = models.DateField(null=True, blank=True)
    recommitted_count = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    occurrence = models.ForeignKey(
        "rhythms.Occurrence", null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    engagement = models.ForeignKey(
        "briefs.Engagement", null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "number"]

    def __str__(self) -> str:
        return f"{self.key} {self.description}"
