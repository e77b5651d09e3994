"""Writes of the context repository that span several rows, each in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from context_repo import search
from context_repo.models import ContextEntry, StartHereRead, StartHereStep
from decisions.models import Decision
from leadership_os.locking import save_versioned
from leadership_os.models import Tag

ENTRY_FIELDS = ["kind", "title", "body", "surface", "source", "dated_on", "status"]


def _set_links(entry: ContextEntry, data: dict[str, Any]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in data.get("tags", [])]
    entry.tags.set(tags)
    entry.decisions.set(data.get("decisions", []))
    entry.workstreams.set(data.get("workstreams", []))


def entry_create(*, data: dict[str, Any], author: Any) -> ContextEntry:
    """Create an entry with its tags and links, written by `author`; indexed for search once."""
    with transaction.atomic(), search.paused():
        entry = ContextEntry(author=author, **{name: data[name] for name in ENTRY_FIELDS})
        entry.save()
        _set_links(entry, data)
    search.index_record(entry)
    return entry


def entry_update(*, entry: ContextEntry, data: dict[str, Any], expected_version: int) -> ContextEntry:
    """Save an edit made on `expected_version`; raises leadership_os.locking.StaleEdit if someone
    saved in between, and then nothing is written."""
    with transaction.atomic(), search.paused():
        for name in ENTRY_FIELDS:
            setattr(entry, name, data[name])
        save_versioned(entry, expected_version=expected_version)
        _set_links(entry, data)
    search.index_record(entry)
    return entry


def _renumber() -> None:
    for position, step in enumerate(StartHereStep.objects.order_by("position", "id"), start=1):
        if step.position != position:
            step.position = position
            step.save(update_fields=["position"])


def step_add(*, record: ContextEntry | Decision, why: str) -> StartHereStep:
    """Append an entry or a decision to the start-here path."""
    with transaction.atomic():
        last = StartHereStep.objects.aggregate(last=Max("position"))["last"] or 0
        step = StartHereStep(position=last + 1, why=why)
        if isinstance(record, ContextEntry):
            step.entry = record
        else:
            step.decision = record
        step.save()
    return step


def step_why_change(*, step: StartHereStep, why: str, expected_version: int) -> StartHereStep:
    """Rewrite the line on why a step matters, if nobody changed it since `expected_version`;
    else raise leadership_os.locking.StaleEdit and write nothing."""
    step.why = why
    return save_versioned(step, expected_version=expected_version, update_fields=["why"])


def step_remove(*, step: StartHereStep) -> None:
    with transaction.atomic():
        step.delete()
        _renumber()


def step_move(*, step: StartHereStep, up: bool) -> None:
    """Swap a step with the one before it (`up`) or after it."""
    with transaction.atomic():
        _renumber()
        steps = list(StartHereStep.objects.order_by("position", "id"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(steps):
            a, b = steps[index], steps[other]
            a.position, b.position = b.position, a.position
            a.save(update_fields=["position"])
            b.save(update_fields=["position"])


def step_mark_read(*, step: StartHereStep, user: Any, read: bool) -> None:
    if read:
        StartHereRead.objects.get_or_create(step=step, user=user)
    else:
        StartHereRead.objects.filter(step=step, user=user).delete()
