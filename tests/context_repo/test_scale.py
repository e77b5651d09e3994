"""A page's number of SQL queries does not grow with the data: 10 entries and 2,000 entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from context_repo import search
from context_repo.models import ContextEntry, StartHereStep
from decisions.models import Decision
from leadership_os import memo
from leadership_os.models import KeyCounter, OrgRevision, Surface, Tag

pytestmark = pytest.mark.django_db

PAGES = [
    "/context/",
    "/context/?kind=customer_signal&tag=theme-1",
    "/context/?surface=government&status=active&since=2020-01-01",
    "/search/?q=residency+signal",
    "/search/?q=residency&type=context",
    "/search/?q=resid&as=dropdown",
    "/search/settled/?title=should+we+keep+residency+settled",
    "/context/signals/",
    "/context/start-here/",
    "/context/start-here/2/",
]


def _grow_to(total: int) -> None:
    """Bulk-write entries up to `total` (as a bulk import would), then rebuild the index."""
    have = ContextEntry.objects.count()
    surface, _ = Surface.objects.get_or_create(key="government", defaults={"name": "Government"})
    tags = [Tag.objects.get_or_create(name=f"theme-{n}")[0] for n in range(8)]
    kinds = [k for k, _ in ContextEntry.Kind.choices]
    today = timezone.localdate()
    entries = [
        ContextEntry(
            number=n,
            key=f"CX-{n}",
            kind=kinds[n % len(kinds)],
            title=f"Residency signal number {n}" if n % 3 else f"Settled residency debate {n}",
            body=f"Customers asked about **residency** again, time {n}. " * 3,
            surface=surface if n % 2 else None,
            status="open" if n % 4 == 0 else "active",
            dated_on=today - dt.timedelta(days=n % 90),
        )
        for n in range(have + 1, total + 1)
    ]
    ContextEntry.objects.bulk_create(entries, batch_size=500)
    KeyCounter.reserve("CX", total)
    through = ContextEntry.tags.through
    stored = ContextEntry.objects.filter(number__gt=have).values_list("pk", "number")
    through.objects.bulk_create(
        [through(contextentry_id=pk, tag_id=tags[number % 8].pk) for pk, number in stored]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                number=n, key=f"D-{n}", title=f"Keep residency decision {n}", question="?", status="decided"
            )
            for n in range(Decision.objects.count() + 1, total // 20 + 1)
        ]
    )
    if not StartHereStep.objects.exists():
        first, second = ContextEntry.objects.order_by("number")[:2]
        StartHereStep.objects.create(position=1, entry=first, why="First.")
        StartHereStep.objects.create(position=2, entry=second, why="Second.")
    search.rebuild_index()
    OrgRevision.bump()  # bulk writes send no signals; the product's bulk writers bump like this


def _queries(client, path: str) -> list[str]:
    memo.clear()  # what is reused per org revision is computed in the measured request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    body = response.content.decode()
    assert any(mark in body for mark in ("CX-", "theme-", "D-")), (
        f"{path} shows no data: the comparison would prove nothing"
    )
    return [q["sql"] for q in captured.captured_queries]


def test_pages_and_search_use_as_many_queries_with_2000_entries_as_with_10(client_as) -> None:
    client = client_as("contributor")
    _grow_to(10)
    small = {path: _queries(client, path) for path in PAGES}
    _grow_to(2000)
    assert ContextEntry.objects.count() == 2000
    large = {path: _queries(client, path) for path in PAGES}
    for path in PAGES:
        assert len(large[path]) == len(small[path]), (
            f"{path}: {len(small[path])} queries with 10, {len(large[path])} with 2,000"
        )


def test_the_large_search_really_finds_and_pages(client_as) -> None:
    _grow_to(2000)
    html = client_as("viewer").get("/search/?q=residency+signal").content.decode()
    assert "Page 1 of" in html and "<mark>Residency</mark> <mark>signal</mark>" in html
    assert search.count("residency")["context"] == 2000
