"""Readable history for any record kept with django-simple-history: who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    who: str
    kind: str  # "created", "changed", "deleted"
    subject: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(model: type[models.Model], name: str, value: Any) -> str:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a history-only column
        return "" if value is None else str(value)
    if model_field.many_to_many and isinstance(value, list):
        # simple-history gives a many-to-many value as rows of its through table: show the names.
        target = model_field.m2m_reverse_field_name()
        ids = [row.get(target) for row in value if isinstance(row, dict)]
        names = {obj.pk: str(obj) for obj in model_field.related_model._default_manager.filter(pk__in=ids)}
        return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in ids))
    if model_field.many_to_one and value is not None and not isinstance(value, models.Model):
        # A foreign key arrives as its id: show the record it points to, if it still exists.
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices).get(value, value))
    if value is None or value == "":
        return ""
    return str(value)


def history_entries(
    records: list[Any],
    *,
    subject: str = "",
    labels: dict[str, str] | None = None,
    ignore: set[str] | None = None,
) -> list[HistoryEntry]:
    """Turn historical records (newest first, `history_user` selected) into readable entries, each
    listing the fields that changed with their old and new values. `labels` renames fields."""
    labels = labels or {}
    ignore = (ignore or set()) | {"version", "updated_at", "created_at", "id", "number", "key"}
    entries: list[HistoryEntry] = []
    for position, record in enumerate(records):
        previous = records[position + 1] if position + 1 < len(records) else None
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "the system"
        entry = HistoryEntry(
            when=record.history_date,
            who=who,
            kind=kind,
            subject=subject or str(record.instance) if kind != "deleted" else subject,
            reason=record.history_change_reason or "",
        )
        if previous is not None and kind == "changed":
            model = record.instance_type
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in ignore:
                    continue
                entry.changes.append(
                    Change(
                        field=labels.get(change.field, change.field.replace("_", " ")),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
            if not entry.changes and not entry.reason:
                continue
        entries.append(entry)
    return entries
