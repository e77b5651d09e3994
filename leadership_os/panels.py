"""Panels that apps above the kernel add to another app's page, without that app importing them.

A page names a slot (`{% panels "decision-side" decision %}`); an app registers, from its
AppConfig.ready(), a template and a function that answers its context for the page's object, or
None to show nothing. The decision log shows where an imported decision came from this way, while
`decisions` knows nothing of `imports`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], dict[str, Any] | None]

_SLOTS: dict[str, list[tuple[str, Provider]]] = {}


def register(slot: str, template: str, provider: Provider) -> None:
    entries = _SLOTS.setdefault(slot, [])
    if all(existing != template for existing, _ in entries):
        entries.append((template, provider))


def for_slot(slot: str) -> list[tuple[str, Provider]]:
    return list(_SLOTS.get(slot, []))
