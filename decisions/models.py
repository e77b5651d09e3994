"""The decision log: what was decided, what was rejected and why, and what would reopen it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from leadership_os.models import KeyedModel, Person, Surface, Tag, VersionedModel


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    OPPOSE = "oppose", "Oppose"
    NEUTRAL = "neutral", "Neutral"
    UNKNOWN = "unknown", "Unknown"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def search(self, text: str) -> DecisionQuerySet:
        """Decisions whose key, title or question contains `text` (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(question__icontains=text) | Q(key__iexact=text))

    def open(self) -> DecisionQuerySet:
        return self.filter(status=Decision.Status.OPEN)

    def decided(self) -> DecisionQuerySet:
        return self.filter(status=Decision.Status.DECIDED)


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

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        indexes = [
            # The log's default order (newest first), and its most common filters (a status on a
            # surface) with the columns that order it: a page's keys are read from the index.
            models.Index(
                Coalesce("decided_on", "opened_on").desc(), F("number").desc(), name="decision_log_newest"
            ),
            models.Index(
                fields=["status", "surface", "decided_on", "opened_on", "number"],
                name="decision_log_status_surface",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DECIDED, self.Status.SUPERSEDED, self.Status.WITHDRAWN)

    @property
    def has_outcome(self) -> bool:
        return self.status in (self.Status.DECIDED, self.Status.SUPERSEDED)

    @property
    def chosen_option(self) -> Option | None:
        """The chosen option (reads the prefetched options when there are)."""
        return next((option for option in self.options.all() if option.chosen), None)

    @property
    def other_options(self) -> list[Option]:
        return [option for option in self.options.all() if not option.chosen]

    @property
    def dated_on(self) -> dt.date | None:
        """The date a reader places it at: when it was decided, else when it was opened."""
        return self.decided_on or self.opened_on

    def days_to_needed_by(self, today: dt.date) -> int | None:
        """Days from `today` to `needed_by` (negative when overdue); None when not open or no date."""
        if self.status != self.Status.OPEN or self.needed_by is None:
            return None
        return (self.needed_by - today).days

    def conditions_to_review(self, today: dt.date) -> list[ReopenCondition]:
        """The reopen conditions that are due or triggered (RULES.md), for a decided decision."""
        if self.status != self.Status.DECIDED:
            return []
        return [c for c in self.reopen_conditions.all() if c.needs_review(today)]


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

    def is_due(self, today: dt.date) -> bool:
        """Its review date has come and it has not been reviewed since (RULES.md)."""
        return (
            self.review_on is not None
            and self.review_on <= today
            and (self.reviewed_on is None or self.reviewed_on < self.review_on)
        )

    def is_triggered(self, today: dt.date) -> bool:
        """It was triggered and has not been reviewed since (RULES.md)."""
        return (
            self.triggered_on is not None
            and self.triggered_on <= today
            and (self.reviewed_on is None or self.reviewed_on < self.triggered_on)
        )

    def needs_review(self, today: dt.date) -> bool:
        return self.is_due(today) or self.is_triggered(today)

    def review_from(self, today: dt.date) -> dt.date | None:
        """The earliest review date that settles this condition: not before what made it due."""
        dates = [d for d in (self.review_on, self.triggered_on) if d is not None and d <= today]
        return max(dates) if dates else None
