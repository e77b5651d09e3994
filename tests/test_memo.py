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
