"""The map and the ledger read with a fixed number of queries, whatever the size of the org."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, SurfaceFactory
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    ExternalPersonFactory,
    StatusUpdateFactory,
    WorkstreamFactory,
    days,
)
from workstreams.models import Escalation, State

pytestmark = pytest.mark.django_db


def grow_map(n: int) -> None:
    surfaces = [SurfaceFactory() for _ in range(3)]
    people = [PersonFactory() for _ in range(5)]
    decisions = [DecisionFactory() for _ in range(4)]
    for i in range(n):
        blocked = i % 4 == 0
        ws = WorkstreamFactory(
            surface=surfaces[i % 3],
            owner=people[i % 5] if i % 7 else None,
            state=State.BLOCKED if blocked else State.ON_TRACK,
            blocker="Waiting" if blocked else "",
            blocked_since=days(-4) if blocked else None,
            blocked_by_decision=decisions[i % 4] if blocked else None,
            next_decision_on=days(i % 5 - 2),
            next_decision=decisions[(i + 1) % 4],
            escalation=Escalation.ESCALATED if i % 5 == 0 else Escalation.NONE,
            escalated_on=days(-6) if i % 5 == 0 else None,
        )
        if i % 3:
            StatusUpdateFactory(workstream=ws, posted_on=days(-(i % 20)))


def grow_ledger(n: int) -> None:
    people = [PersonFactory() for _ in range(5)] + [ExternalPersonFactory() for _ in range(2)]
    workstreams = [WorkstreamFactory() for _ in range(3)]
    decisions = [DecisionFactory() for _ in range(3)]
    for i in range(n):
        CommitmentFactory(
            owner=people[i % 5],
            promised_to=people[i % 7],
            workstream=workstreams[i % 3],
            decision=decisions[i % 3] if i % 2 else None,
            due_on=days(i % 30 - 15),
            recommitted_count=i % 3,
        )


def count(client, url: str, **headers: str) -> int:
    client.get(url, **headers)  # warm the session and anything cached per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


URLS = [
    ("/workstreams/", {}),
    ("/workstreams/?state=blocked&attention=waiting", {}),
    ("/workstreams/?surface=x", {"HTTP_HX_REQUEST": "true"}),
    ("/workstreams/export.csv", {}),
]


@pytest.mark.parametrize(("url", "headers"), URLS)
def test_the_map_reads_with_the_same_queries_for_10_and_500_workstreams(cos_client, url, headers) -> None:
    grow_map(10)
    small = count(cos_client, url, **headers)
    grow_map(490)
    assert count(cos_client, url, **headers) == small


@pytest.mark.parametrize(
    "url", ["/workstreams/commitments/", "/workstreams/commitments/?audience=external&status=slipped"]
)
def test_the_ledger_reads_with_the_same_queries_for_10_and_500_commitments(cos_client, url) -> None:
    grow_ledger(10)
    small = count(cos_client, url)
    grow_ledger(490)
    assert count(cos_client, url) == small


def test_the_workstream_page_reads_with_the_same_queries_however_long_its_story(cos_client) -> None:
    ws = WorkstreamFactory()
    for i in range(3):
        StatusUpdateFactory(workstream=ws, posted_on=days(-i))
        CommitmentFactory(workstream=ws)
    small = count(cos_client, f"/workstreams/{ws.key}/")
    for i in range(60):
        StatusUpdateFactory(workstream=ws, posted_on=days(-i))
        CommitmentFactory(workstream=ws, done_on=days(-1) if i % 2 else None)
    assert count(cos_client, f"/workstreams/{ws.key}/") == small
