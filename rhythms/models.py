"""The operating rhythm: rituals, their occurrences and what each produced."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from decisions.models import Decision
from leadership_os.models import KeyedModel, Person, Surface, VersionedModel
from workstreams.models import Workstream


class Ritual(KeyedModel, VersionedModel):
    KEY_PREFIX = "R"

    class Kind(models.TextChoices):
        PRODUCT_REVIEW = "product_review", "Product review"
        ASYNC_UPDATE = "async_update", "Async update"
        ARCHITECTURE_REVIEW = "architecture_review", "Architecture review"
        GTM_SYNC = "gtm_sync", "GTM sync"
        STRATEGY_REVIEW = "strategy_review", "Strategy review"
        RETROSPECTIVE = "retrospective", "Retrospective"
        STATUS_READOUT = "status_readout", "Status readout"
        CROSS_FUNCTIONAL = "cross_functional", "Cross-functional sync"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    rrule = models.CharField(max_length=300, help_text="RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU")
    starts_at = models.DateTimeField(help_text="The first occurrence; later ones keep its local time of day.")
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="rituals_owned"
    )
    attendees = models.ManyToManyField(Person, blank=True, related_name="rituals")
    surface = models.ForeignKey(Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.TextField(blank=True)
    informs_decision = models.TextField(blank=True, help_text="What decision does it inform?")
    surfaces_blocker = models.TextField(blank=True, help_text="What blocker does it surface?")
    is_active = models.BooleanField(default=True, db_index=True)
    retired_on = models.DateField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Occurrence(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        SKIPPED = "skipped", "Skipped"

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="occurrences")
    scheduled_for = models.DateTimeField(help_text="When the rule puts it.")
    starts_at = models.DateTimeField(db_index=True, help_text="When it actually happens (differs if moved).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(blank=True)
    decisions_informed = models.ManyToManyField(Decision, blank=True, related_name="informed_by")
    blockers_surfaced = models.ManyToManyField(Workstream, blank=True, related_name="surfaced_in")
    history = HistoricalRecords(m2m_fields=[decisions_informed, blockers_surfaced])

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["ritual", "scheduled_for"], name="one_occurrence_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.ritual} {self.scheduled_for:%Y-%m-%d}"

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.scheduled_for


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a user's calendar feed address; regenerating it revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feed of {self.user}"
