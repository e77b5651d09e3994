"""Where an imported decision came from: its file, the import's date, its original Markdown and
the links it made to other records; and an upload waiting for the chief of staff to confirm it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from decisions.models import Decision
from leadership_os.models import Surface


class ImportedRecord(models.Model):
    """One decision record file, as last imported. (source, path) is its identity: re-importing the
    same folder finds it again by path, whatever its number says."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="imported_from")
    source = models.CharField(max_length=200, help_text="The folder (or archive) it was imported from.")
    path = models.CharField(max_length=500, help_text="The file's path inside that folder.")
    original_id = models.CharField(
        max_length=40, blank=True, help_text="The record's own number, as written."
    )
    status_as_written = models.CharField(max_length=200, blank=True)
    date_as_written = models.CharField(max_length=100, blank=True)
    date_precision = models.CharField(
        max_length=5, blank=True, help_text="day, month, or blank when undated."
    )
    deciders = models.JSONField(default=list, blank=True)
    consulted = models.JSONField(default=list, blank=True)
    informed = models.JSONField(default=list, blank=True)
    consequences = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    original_text = models.TextField()
    content_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the original text.")
    first_imported_on = models.DateField()
    imported_on = models.DateField(help_text="The date of the import that last wrote it.")
    history = HistoricalRecords(excluded_fields=["original_text", "content_hash"])

    class Meta:
        ordering = ["source", "path"]
        constraints = [models.UniqueConstraint(fields=["source", "path"], name="one_record_per_file")]

    def __str__(self) -> str:
        return f"{self.source}/{self.path}"


class ImportedLink(models.Model):
    """A link a record makes to another (supersedes, amends, relates to…), kept as written; `target`
    is empty when it pointed to no record of the folder."""

    class Kind(models.TextChoices):
        SUPERSEDED_BY = "superseded_by", "Superseded by"
        SUPERSEDES = "supersedes", "Supersedes"
        AMENDS = "amends", "Amends"
        AMENDED_BY = "amended_by", "Amended by"
        RELATES_TO = "relates_to", "Relates to"

    record = models.ForeignKey(ImportedRecord, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="imported_links_in"
    )
    text = models.CharField(max_length=300)
    partial = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text}"


class ImportBatch(models.Model):
    """An upload between its preview and its confirmation: the files as uploaded, kept here so that
    what is confirmed is what was previewed (nothing is taken back from the browser)."""

    source = models.CharField(max_length=200)
    surface = models.ForeignKey(Surface, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    files = models.JSONField(help_text="[{path, text | null, problem | null}] as read from the upload.")
    preview = models.JSONField(
        default=list, blank=True, help_text="What each file reads as, for the preview page."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_plan = models.JSONField(
        null=True,
        blank=True,
        help_text="What the confirmation did, file by file (the files are dropped then).",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} ({len(self.files)} files)"
