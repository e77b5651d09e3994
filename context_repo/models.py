"""The shared context repository: the org's live reasoning, and the new PM's reading path."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from decisions.models import Decision
from leadership_os.models import KeyedModel, Surface, Tag, VersionedModel
from workstreams.models import Workstream


class ContextEntry(KeyedModel, VersionedModel):
    KEY_PREFIX = "CX"

    class Kind(models.TextChoices):
        STRATEGY_BET = "strategy_bet", "Strategy bet"
        CUSTOMER_SIGNAL = "customer_signal", "Customer signal"
        OPEN_QUESTION = "open_question", "Open question"
        RESOLVED_DEBATE = "resolved_debate", "Resolved debate"
        FRAMING = "framing", "Communication framing"
        NOTE = "note", "Note"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        ARCHIVED = "archived", "Archived"

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    surface = models.ForeignKey(
        Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="context_entries"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="context_entries")
    source = models.CharField(max_length=200, blank=True, help_text="Source or account.")
    dated_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    decisions = models.ManyToManyField(Decision, blank=True, related_name="context_entries")
    workstreams = models.ManyToManyField(Workstream, blank=True, related_name="context_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags, decisions, workstreams])

    class Meta:
        ordering = ["-dated_on", "-number"]
        verbose_name_plural = "context entries"

    def __str__(self) -> str:
        return self.title


class StartHereStep(models.Model):
    """One step of the curated reading path: an entry or a decision, and why it matters."""

    position = models.PositiveSmallIntegerField(default=0)
    entry = models.ForeignKey(ContextEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Step {self.position}: {self.entry or self.decision}"


class StartHereRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(StartHereStep, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="read_once")]

    def __str__(self) -> str:
        return f"{self.user} read step {self.step_id}"
