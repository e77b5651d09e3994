"""The rules' thresholds (RULES.md's `RULES_*` settings) as the artifact pages read them.

The kernel does not know the rules engine: the app that owns it provides the validated values when
it starts (`provide`), and a page that shows a threshold (how stale an update is, the theater
window) reads them here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_reader: Callable[[], dict[str, int]] | None = None


def provide(reader: Callable[[], dict[str, int]]) -> None:
    """Called once at start-up by the app that owns the rules engine."""
    global _reader
    _reader = reader


def rule_thresholds() -> dict[str, int]:
    """The thresholds as validated whole numbers keyed like RULES.md (`STALE_DAYS`)."""
    if _reader is None:
        raise ImproperlyConfigured("No installed app provides the rules' thresholds (is 'radar' installed?)")
    return _reader()
