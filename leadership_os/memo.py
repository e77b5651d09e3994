"""Values computed from the whole org, reused until the org changes.

Every write to an artifact bumps the org revision (leadership_os.signals), and the revision is read
from the database on each use, so a value kept here is never older than the data it came from, on
any app server. The first read after a change computes it again. Each space keeps its newest few
values only.

A value that is costly to compute can also be shared (`shared=`): it is then kept in Django's cache
as well (by default a table of the app's own database, see settings.CACHES), so that after a write
one worker or app server computes it and every other one reads it. While one computes it, the others
wait for it rather than compute it too.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

_SPACES: dict[str, dict[Any, Any]] = {}
_generation = 0  # moves on at clear(): what was shared before is not read again

WAIT_SECONDS = 10.0
"""How long a worker waits for another one's computation of a shared value before computing it."""


@dataclass(frozen=True)
class Shared[T]:
    """How a shared value goes to the cache and back: `encode` gives a plain form (tuples, strings,
    dates) that unpickles quickly, `decode` rebuilds the value from it (raising LookupError if it
    refers to something the cache no longer holds: the value is then computed)."""

    encode: Callable[[T], Any]
    decode: Callable[[Any], T]


def per_revision[T](
    space: str, key: Hashable, compute: Callable[[], T], *, size: int = 16, shared: Shared[T] | None = None
) -> T:
    """`compute()` for `key` in `space`, reused while the org revision stays the same (`key` must
    have a stable repr when the value is `shared`)."""
    from leadership_os.models import OrgRevision

    store = _SPACES.setdefault(space, {})
    full_key = (OrgRevision.current(), key)
    if full_key not in store:
        store[full_key] = compute() if shared is None else _through_cache(space, full_key, compute, shared)
        while len(store) > size:
            store.pop(next(iter(store)))
    return store[full_key]  # type: ignore[no-any-return]


def keyed[T](space: str, key: Hashable, compute: Callable[[], T], *, size: int = 3) -> T:
    """`compute()` for `key` in `space`, kept in this process among the space's `size` most
    recently used values. The key must say everything the value depends on (e.g. the write counts
    of the tables it is read from)."""
    store = _SPACES.setdefault(space, {})
    if key in store:
        store[key] = store.pop(key)  # the most recently used last: the first is dropped first
    else:
        store[key] = compute()
        while len(store) > size:
            store.pop(next(iter(store)))
    return store[key]  # type: ignore[no-any-return]


def per_tables[T](
    space: str, key: Hashable, tables: Iterable[str], compute: Callable[[], T], *, size: int = 3
) -> T:
    """`compute()` for `key` in `space`, reused while none of `tables` (`app_label.model_name`, a
    many-to-many's links included) was written to, and no bulk write happened: a value read from a
    few tables outlives the writes to the others (a status update leaves a brief's stances alone).
    The write counts are read before `compute()`, so the value is never older than its key."""
    from leadership_os.models import TableRevision

    counts = TableRevision.current()
    full_key = (
        key,
        counts[TableRevision.EPOCH],
        counts.get(TableRevision.ALL, 0),
        tuple(counts.get(table, 0) for table in tables),
    )
    return keyed(space, full_key, compute, size=size)


def table_labels(*models: Any) -> tuple[str, ...]:
    """The names `per_tables` and the write counts know these models (or link tables) by."""
    return tuple(model._meta.label_lower for model in models)


def _cache_key(space: str, full_key: Hashable) -> str:
    from leadership_os.models import TableRevision

    digest = hashlib.sha256(repr(full_key).encode()).hexdigest()[:40]
    return f"memo:{_generation}:{TableRevision.epoch()}:{space}:{digest}"


def _through_cache[T](space: str, full_key: Hashable, compute: Callable[[], T], shared: Shared[T]) -> T:
    from django.core.cache import cache

    key = _cache_key(space, full_key)
    found = _decoded(cache.get(key), shared)
    if found is not None:
        return found
    busy = f"{key}:busy"
    if not cache.add(busy, 1, timeout=WAIT_SECONDS):  # another worker is computing it: wait for it
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            found = _decoded(cache.get(key), shared)
            if found is not None:
                return found
    try:
        # Another worker may have put it in and let go between the first read and taking the turn.
        found = _decoded(cache.get(key), shared)
        if found is not None:
            return found
        value = compute()
        cache.set(key, shared.encode(value))
        _count(space)
    finally:
        cache.delete(busy)
    return value


def _decoded[T](found: Any, shared: Shared[T]) -> T | None:
    """The value decoded, or None when there is none, or when what was shared is incomplete (the
    cache evicted a piece it refers to: `decode` raises LookupError)."""
    if found is None:
        return None
    try:
        return shared.decode(found)
    except LookupError:
        return None


def peek(space: str, key: Hashable) -> Any:
    """The value kept for `key` in `space` (see `keyed`), or None."""
    return _SPACES.get(space, {}).get(key)


def _counter_key(space: str) -> str:
    from leadership_os.models import TableRevision

    return f"memo:{_generation}:{TableRevision.epoch()}:{space}:computed"


def _count(space: str) -> None:
    from django.core.cache import cache

    key = _counter_key(space)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, timeout=None)


def computations(space: str) -> int:
    """How many times a shared value of `space` was computed, by any worker or app server (the
    benchmark and the tests show that a write makes one computation, not one per worker)."""
    from django.core.cache import cache

    return int(cache.get(_counter_key(space), 0))


def clear(*, shared: bool = True) -> None:
    """Forget every value kept in this process and, unless `shared` is False, stop reading the ones
    shared so far (tests, whose rolled-back databases count revisions from the start; without the
    shared ones, a test plays a worker that starts afresh beside another)."""
    global _generation
    if shared:
        _generation += 1
    for store in _SPACES.values():
        store.clear()
