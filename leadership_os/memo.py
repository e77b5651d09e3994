"""Values computed from the whole org, reused until the org changes.

Every write to an artifact bumps the org revision (leadership_os.signals), and the revision is read
from the database on each use, so a value kept here is never older than the data it came from, on
any app server. The first read after a change computes it again. Each space keeps its newest few
values only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_SPACES: dict[str, dict[tuple[int, Hashable], Any]] = {}


def per_revision[T](space: str, key: Hashable, compute: Callable[[], T], *, size: int = 16) -> T:
    """`compute()` for `key` in `space`, reused while the org revision stays the same."""
    from leadership_os.models import OrgRevision

    store = _SPACES.setdefault(space, {})
    full_key = (OrgRevision.current(), key)
    if full_key not in store:
        store[full_key] = compute()
        while len(store) > size:
            store.pop(next(iter(store)))
    return store[full_key]  # type: ignore[no-any-return]


def clear() -> None:
    """Forget every kept value (tests, whose rolled-back databases count revisions from the start)."""
    for store in _SPACES.values():
        store.clear()
