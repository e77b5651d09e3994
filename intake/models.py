"""What intake keeps: each source as it came in, the proposals found in it, and the links from every
record written through intake back to the source and its lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from leadership_os.models import Person, VersionedModel


class Source(models.Model):
    """Meeting notes, a transcript or a chat export, kept whole; its proposals cite its lines."""

    class Format(models.TextChoices):
        MARKDOWN = "markdown", "Notes (Markdown or text)"
        VTT = "vtt", "WebVTT transcript"
        SRT = "srt", "SRT transcript"
        SLACK = "slack", "Slack channel export"

    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    text = models.TextField()
    digest = models.CharField(
        max_length=64, db_index=True, help_text="SHA-256 of the text: the same source is taken in once."
    )
    meeting_date = models.DateField(null=True, blank=True)
    occurrence = models.ForeignKey(
        "rhythms.Occurrence", null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_sources"
    )
    engagement = models.ForeignKey(
        "briefs.Engagement", null=True, blank=True, on_delete=models.SET_NULL, related_name="intake_sources"
    )
    context_entry = models.OneToOneField(
        "context_repo.ContextEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_source",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Proposal(VersionedModel):
    """One thing the rules found in a source, waiting for the chief of staff's review."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision made"
        DECISION_NEEDED = "decision_needed", "Decision needed"
        ACTION = "action", "Action item"
        BLOCKER = "blocker", "Blocker"
        SIGNAL = "signal", "Customer signal"
        POSITION = "position", "Position"
        UPDATE = "update", "Status update"

    class Status(models.TextChoices):
        PENDING = "pending", "To review"
        ACCEPTED = "accepted", "Accepted"
        ROUTED = "routed", "Sent to a principal"
        MERGED = "merged", "Merged"
        DROPPED = "dropped", "Dropped"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    owner_raw = models.CharField(max_length=200, blank=True, help_text="The owner as the notes name them.")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    workstream_key = models.CharField(max_length=20, blank=True)
    stance = models.CharField(
        max_length=10, blank=True, help_text="A position's stance, or an update's state."
    )
    tags = models.JSONField(default=list, blank=True)
    target_key = models.CharField(
        max_length=20, blank=True, help_text="An existing record this is about: WS-14, C-7 or D-12."
    )
    lines = models.JSONField(default=list)
    rule = models.CharField(max_length=40)
    notes = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    result_key = models.CharField(max_length=40, blank=True, help_text="The record written or changed.")
    edited = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="intake_proposal_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def lines_label(self) -> str:
        numbers = sorted(self.lines)
        if not numbers:
            return ""
        if len(numbers) == 1:
            return f"line {numbers[0]}"
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"lines {numbers[0]}\u2013{numbers[-1]}"
        return "lines " + ", ".join(str(n) for n in numbers)


class Provenance(models.Model):
    """A record created or changed through intake, and the source lines it came from."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="provenance")
    proposal = models.ForeignKey(Proposal, null=True, on_delete=models.SET_NULL, related_name="provenance")
    record_type = models.CharField(max_length=30)
    record_key = models.CharField(max_length=40, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    lines = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.record_key} {self.action} from source {self.source_id}"
