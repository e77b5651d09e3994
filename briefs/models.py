"""Engagements and the principal's context briefs prepared for them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from decisions.models import Decision, Stance
from leadership_os.models import KeyedModel, Person, Surface, Tag, VersionedModel


class Engagement(KeyedModel, VersionedModel):
    KEY_PREFIX = "E"

    class Kind(models.TextChoices):
        CUSTOMER_BRIEFING = "customer_briefing", "Customer briefing"
        ARCHITECTURE_REVIEW = "architecture_review", "Architecture review"
        STRATEGY_SESSION = "strategy_session", "Strategy session"
        GTM_ALIGNMENT = "gtm_alignment", "GTM alignment"
        GOVERNMENT = "government", "Government"
        BOARD_ADJACENT = "board_adjacent", "Board-adjacent"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    starts_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    counterpart = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="The organization on the other side of the table.",
    )
    attendees = models.ManyToManyField(Person, blank=True, related_name="engagements")
    surface = models.ForeignKey(
        Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="engagements", help_text="Themes, to find related decisions."
    )
    location = models.CharField(max_length=200, blank=True)
    # A cancelled engagement is kept, marked cancelled, out of readiness and the radar.
    cancelled_on = models.DateField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    outcome = models.TextField(blank=True, help_text="What happened in the room.")
    outcome_recorded_on = models.DateField(null=True, blank=True)
    # Decisions belong to the decision log; the link back to where they were raised lives here.
    decisions = models.ManyToManyField(
        Decision, blank=True, related_name="engagements", help_text="Decisions raised at this engagement."
    )
    history = HistoricalRecords(m2m_fields=[attendees, tags, decisions])

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class Brief(VersionedModel):
    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="brief")
    objective = models.TextField(blank=True, help_text="The decision or signal sought.")
    one_thing = models.TextField(blank=True, help_text="The one thing that cannot be left unsaid.")
    notes = models.TextField(blank=True, help_text="Markdown: curated notes.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return f"Brief for {self.engagement}"


class StakeholderPosition(VersionedModel):
    """A person's stated position, dated and sourced, so positions can be followed over time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.CASCADE, related_name="positions"
    )
    position = models.TextField()
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.UNKNOWN)
    recorded_on = models.DateField()
    source = models.CharField(max_length=200, blank=True, help_text="Where we heard it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.recorded_on}): {self.stance}"
