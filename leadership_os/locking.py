"""Optimistic locking: an edit based on an old version is refused, never silently applied."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from leadership_os.models import VersionedModel


class StaleEdit(Exception):
    """The record changed since the editor loaded it; `current` is the version now saved."""

    def __init__(self, current: VersionedModel):
        self.current = current
        super().__init__(f"{current} was changed by someone else (now version {current.version})")


def save_versioned[M: VersionedModel](obj: M, *, expected_version: int, **save_kwargs: Any) -> M:
    """Save `obj` if the stored row is still at `expected_version`, bumping the version; else raise
    StaleEdit with the stored record. Runs in a transaction and locks the row while it checks."""
    with transaction.atomic():
        model: type[models.Model] = type(obj)
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        if current.version != expected_version:  # type: ignore[attr-defined]
            raise StaleEdit(current)  # type: ignore[arg-type]
        obj.version = expected_version + 1
        if "update_fields" in save_kwargs:
            save_kwargs["update_fields"] = [*save_kwargs["update_fields"], "version"]
        obj.save(**save_kwargs)
    return obj


def conflict_rows(
    fields: list[tuple[str, str]], current: models.Model | Mapping[str, Any], submitted: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Rows for components/conflict.html: each field's label, the saved value and the user's value,
    and whether they differ. `fields` is a list of (field name, label); `current` is the saved
    record, or its values by field name already put in words."""
    rows = []
    for name, label in fields:
        if isinstance(current, Mapping):
            saved_value = current.get(name, "")
        else:
            saved = getattr(current, f"get_{name}_display", None)
            saved_value = saved() if callable(saved) else getattr(current, name, "")
        mine = submitted.get(name, "")
        rows.append(
            {
                "label": label,
                "saved": "" if saved_value is None else str(saved_value),
                "mine": "" if mine is None else str(mine),
                "differs": str(saved_value or "") != str(mine or ""),
            }
        )
    return rows
