"""Every write to an artifact bumps the org revision (see OrgRevision)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

ARTIFACT_APPS = ("leadership_os", "decisions", "workstreams", "briefs", "rhythms", "context_repo")
NOT_ARTIFACTS = {"snooze"}


_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("org_revision_paused", default=False)


@contextmanager
def bumps_paused() -> Iterator[None]:
    """No bump on each write inside the block: a bulk writer (loading a snapshot) bumps once at the end."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def bump(table: str | None = None) -> None:
    """Count a change to the org and to `table` (`app_label.model_name`; None after a bulk write,
    which sends no signal and may have changed any table), unless paused."""
    from leadership_os.models import OrgRevision, TableRevision

    if not _paused.get():
        OrgRevision.bump(table or TableRevision.ALL)


def _bump(sender: Any, **kwargs: Any) -> None:
    bump(sender._meta.label_lower)


def _bump_on_m2m(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _bump(sender)  # the table of the links (`decisions.decision_tags`)


def connect() -> None:
    for label in ARTIFACT_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.model_name or ""
            # An artifact is a record kept with history; derived tables (search index, counters) are not.
            if name in NOT_ARTIFACTS or name.startswith("historical") or not hasattr(model, "history"):
                continue
            post_save.connect(_bump, sender=model, dispatch_uid=f"org-revision-save-{label}.{name}")
            post_delete.connect(_bump, sender=model, dispatch_uid=f"org-revision-delete-{label}.{name}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_bump_on_m2m, sender=through, dispatch_uid=f"org-revision-m2m-{through}")
