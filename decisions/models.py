"""The decision log: what was decided, what was rejected and why, and what would reopen it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from leadership_os.models import KeyedModel, Person, Surface, Tag, VersionedModel


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    OPPOSE = "oppose", "Oppose"
    NEUTRAL = "neutral", "Neutral"
    UNKNOWN = "unknown", "Unknown"


class Decision(KeyedModel, VersionedModel):
    KEY_PREFIX = "D"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200)
    question = models.TextField(help_text="The question being decided, in one or two sentences.")
    context = models.TextField(blank=True, help_text="Markdown: the background a reader needs.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    driver = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions_driven"
    )
    decider = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions_owned"
    )
    surface = models.ForeignKey(
        Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="decisions")
    needed_by = models.DateField(null=True, blank=True, db_index=True)
    opened_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True, db_index=True)
    outcome = models.TextField(blank=True, help_text="What was decided.")
    reasoning = models.TextField(blank=True, help_text="Markdown: the reasoning that prevailed.")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class Option(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pros = models.TextField(blank=True)
    cons = models.TextField(blank=True)
    rejected_because = models.TextField(blank=True, help_text="Why this option was not chosen.")
    chosen = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class DecisionStakeholder(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="stakeholders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decision_positions")
    position = models.TextField(blank=True, help_text="What they actually said they want, and why.")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.UNKNOWN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="one_position_per_stakeholder")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.decision.key}: {self.stance}"


class ReopenCondition(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reopen_conditions")
    text = models.TextField(help_text="What would make us revisit this decision.")
    review_on = models.DateField(null=True, blank=True)
    triggered_on = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]
