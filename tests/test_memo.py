"""The kernel's reuse of computed values: per org revision, and per write counts of a few tables."""

from __future__ import annotations

import pytest

from leadership_os import memo
from leadership_os.signals import bump

pytestmark = pytest.mark.django_db


def test_a_value_read_from_a_few_tables_outlives_writes_to_the_others() -> None:
    computed: list[int] = []

    def value() -> int:
        computed.append(1)
        return len(computed)

    def read() -> int:
        return memo.per_tables("test-tables", "key", ("briefs.brief", "briefs.engagement"), value)

    assert read() == 1
    assert read() == 1
    bump("workstreams.statusupdate")  # another table: reused
    assert read() == 1
    bump("briefs.brief")  # one of its tables: read again
    assert read() == 2
    bump(None)  # a bulk write may have changed any table
    assert read() == 3
    assert memo.per_tables("test-tables", "other key", ("briefs.brief",), value) == 4


def test_a_worker_that_takes_its_turn_after_another_finished_reads_its_value(monkeypatch) -> None:
    """The race between two workers after a write: this one misses the shared value, the other puts
    it in and lets go of its turn, then this one takes the turn. It reads the value, not computes it."""
    from django.core.cache import cache

    shared = memo.Shared(encode=lambda value: value, decode=lambda value: value)
    real_add = cache.add

    def add_after_the_other_worker_finished(key: str, *args: object, **kwargs: object) -> bool:
        if key.endswith(":busy"):
            cache.set(key.removesuffix(":busy"), "the other worker's value")
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add_after_the_other_worker_finished)
    computed: list[str] = []
    value = memo.per_revision(
        "test-race", "key", lambda: computed.append("here") or "this worker's value", shared=shared
    )
    assert value == "the other worker's value" and computed == []
