"""Readable history for any record kept with django-simple-history: who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from simple_history.models import DeletedObject


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
    if isinstance(value, list):  # a many-to-many field: the rows of its through table
        return ", ".join(sorted(_m2m_label(model, row) for row in value))
    if isinstance(value, DeletedObject):  # simple-history's stand-in for an empty or deleted relation
        return "" if value.pk is None else f"(deleted {value.model._meta.verbose_name})"
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a history-only column
        return "" if value is None else str(value)
    if model_field.many_to_one and value is not None and not isinstance(value, models.Model):
        # A foreign key arrives as its id: show the record it points to, if it still exists.
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return ""
    return str(value)


def _m2m_label(model: type[models.Model], row: dict[str, Any]) -> str:
    """The other side of a through-table row, e.g. the tag of a (decision, tag) row."""
    own = model._meta.model_name
    others = [value for key, value in row.items() if key != own]
    return ", ".join(_display(model, "", value) for value in others)


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
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
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
