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
        MEETING_NOTES = "meeting_notes", "Meeting notes"

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
        # Recent entries of a kind, newest first (a brief's signals, the emerging-theme rule).
        indexes = [models.Index(fields=["kind", "-dated_on"], name="context_kind_dated")]

    def __str__(self) -> str:
        return self.title


class StartHereStep(VersionedModel):
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


class SearchDocument(models.Model):
    """One searchable record (a decision, context entry, workstream or brief) as the search index
    holds it: what a result shows and what ranks it, kept narrow so that ranking many matches stays
    fast. Its text and its words are in `SearchText`. Written only through `context_repo.search`.

    The words are normalized once in Python (`context_repo.search.words`) so that SQLite FTS5 and
    PostgreSQL index the same tokens. The full-text side is created for each database by migration
    0004 (PostgreSQL: generated `tsvector` columns, the whole record on `SearchText` with a GIN index,
    the title here) and 0009 (SQLite: an FTS5 table over `SearchText` whose rowid is the text's
    `sort_key`, kept in step by triggers).
    """

    class Type(models.TextChoices):
        DECISION = "decision", "Decision"
        CONTEXT = "context", "Context entry"
        WORKSTREAM = "workstream", "Workstream"
        BRIEF = "brief", "Brief"

    type = models.CharField(max_length=12, choices=Type.choices)
    object_id = models.PositiveBigIntegerField()
    dated = models.DateField()
    ref = models.CharField(max_length=40, db_index=True, help_text="The record's key, e.g. D-12.")
    subtype = models.CharField(max_length=24, blank=True, help_text="A context entry's kind.")
    status = models.CharField(max_length=24, blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="One line: a decision's outcome, a debate's conclusion.")
    index_title = models.TextField(blank=True, help_text="The title's normalized words.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "object_id"], name="one_document_per_record")]

    def __str__(self) -> str:
        return f"{self.type} {self.ref}"


class SearchText(models.Model):
    """A search document's plain text (for snippets) and its normalized words, title and body; with
    its type and its place in the results as the full-text index reads them (on SQLite the FTS5 table
    has this table as its content, `sort_key` as its rowid and `kind` as a column)."""

    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    kind = models.CharField(
        max_length=12, choices=SearchDocument.Type.choices, help_text="The document's type."
    )
    sort_key = models.BigIntegerField(
        unique=True,
        help_text="The document's `dated`, type and id as one number: descending, the order of results "
        "within a tier (`context_repo.search.sort_key`).",
    )
    index_title = models.TextField(blank=True)
    index_body = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Plain text of the body, for snippets.")

    def __str__(self) -> str:
        return f"Text of {self.document_id}"
