"""The log and the decision page read in a fixed number of SQL queries, whatever the size of the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from context_repo.models import ContextEntry
from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from decisions.queries import supersession_chain
from leadership_os.models import KeyCounter, Person, Surface, Tag
from workstreams.models import Commitment, Workstream

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_log(size: int) -> Decision:
    """`size` decisions across three surfaces, each with options, positions, a reopen condition and
    tags; the last three form a supersession chain, and the newest has workstreams, context entries
    and commitments that grow with the log. Returns the middle of the chain."""
    surfaces = [Surface.objects.create(key=f"s{i}", name=f"Surface {i}") for i in range(3)]
    people = [Person.objects.create(key=f"p{i}", name=f"Person {i}") for i in range(5)]
    tags = [Tag.objects.create(name=f"tag-{i}") for i in range(3)]
    statuses = ["open", "decided", "draft", "decided", "withdrawn"]
    decisions = Decision.objects.bulk_create(
        Decision(
            number=n,
            key=f"D-{n}",
            title=f"Decision {n}",
            question=f"Question {n}?",
            status=statuses[n % len(statuses)],
            surface=surfaces[n % 3],
            decider=people[n % 5],
            driver=people[(n + 1) % 5],
            opened_on=TODAY - dt.timedelta(days=n),
            decided_on=TODAY - dt.timedelta(days=n // 2)
            if statuses[n % len(statuses)] == "decided"
            else None,
            needed_by=TODAY + dt.timedelta(days=n % 20 - 10),
        )
        for n in range(1, size + 1)
    )
    KeyCounter.reserve("D", size)
    Option.objects.bulk_create(
        Option(decision=d, title=f"Option {i}", position=i, chosen=(i == 0 and d.status == "decided"))
        for d in decisions
        for i in range(3)
    )
    DecisionStakeholder.objects.bulk_create(
        DecisionStakeholder(decision=d, person=people[i], stance="support")
        for d in decisions
        for i in range(2)
    )
    ReopenCondition.objects.bulk_create(
        ReopenCondition(decision=d, text="If it changes.", review_on=TODAY - dt.timedelta(days=1))
        for d in decisions
    )
    Decision.tags.through.objects.bulk_create(
        Decision.tags.through(decision=d, tag=tags[i]) for d in decisions for i in range(d.number % 3 + 1)
    )
    first, middle, last = decisions[-3:]
    Decision.objects.filter(pk__in=[first.pk, middle.pk]).update(status="superseded")
    Decision.objects.filter(pk=middle.pk).update(supersedes=first)
    Decision.objects.filter(pk=last.pk).update(supersedes=middle)

    linked = max(size // 10, 1)
    workstreams = Workstream.objects.bulk_create(
        Workstream(
            number=i,
            key=f"WS-{i}",
            name=f"Workstream {i}",
            owner=people[i % 5],
            blocked_by_decision=middle,
            next_decision=middle,
            state="blocked",
        )
        for i in range(1, linked + 1)
    )
    Commitment.objects.bulk_create(
        Commitment(
            number=i,
            key=f"C-{i}",
            description=f"Promise {i}",
            owner=people[i % 5],
            due_on=TODAY,
            decision=middle,
            workstream=workstreams[0],
        )
        for i in range(1, linked + 1)
    )
    entries = ContextEntry.objects.bulk_create(
        ContextEntry(number=i, key=f"CX-{i}", kind="note", title=f"Entry {i}", dated_on=TODAY)
        for i in range(1, linked + 1)
    )
    ContextEntry.decisions.through.objects.bulk_create(
        ContextEntry.decisions.through(contextentry=e, decision=middle) for e in entries
    )
    return Decision.objects.get(pk=middle.pk)


def count_queries(client, path: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return len(captured)


PAGES = {
    "the log": ("/decisions/", {}),
    "the log, filtered through htmx": (
        "/decisions/?status=decided&surface=s1&tag=tag-0&q=Decision&sort=needed_by",
        {"HX-Request": "true"},
    ),
    "the log's second page": ("/decisions/?page=2", {}),
    "the decision page": ("/decisions/{key}/", {}),
    "the timeline": ("/decisions/timeline/", {}),
    "the log as a zip": ("/decisions/export.zip", {}),
}


@pytest.mark.parametrize("screen", list(PAGES))
def test_a_page_reads_as_many_queries_with_500_decisions_as_with_10(client_as, screen: str) -> None:
    path, headers = PAGES[screen]
    client = client_as("viewer")
    counts = []
    for size in (10, 500):
        for model in (ContextEntry, Commitment, Workstream, Decision, Tag, Person, Surface, KeyCounter):
            model.objects.all().delete()
        viewed = make_log(size)
        client.get("/decisions/")  # warm the session and the user's roles
        counts.append(count_queries(client, path.format(key=viewed.key), **headers))
    assert counts[0] == counts[1], f"{screen}: {counts[0]} queries with 10 decisions, {counts[1]} with 500"


def test_the_decision_page_shows_what_it_read(client_as) -> None:
    viewed = make_log(40)
    content = client_as("viewer").get(f"/decisions/{viewed.key}/").content.decode()
    assert "Workstream 4" in content and "Promise 4" in content and "Entry 4" in content
    assert "blocked on it" in content


def test_the_supersession_chain_is_read_whole_in_one_query(django_assert_num_queries) -> None:
    middle = make_log(12)
    middle = Decision.objects.select_related("superseded_by").get(pk=middle.pk)
    with django_assert_num_queries(1):
        chain = supersession_chain(middle)
    assert [d.key for d in chain] == ["D-10", "D-11", "D-12"]
    first = Decision.objects.select_related("superseded_by").get(key="D-10")
    assert [d.key for d in supersession_chain(first)] == ["D-10", "D-11", "D-12"]
    alone = Decision.objects.select_related("superseded_by").get(key="D-1")
    with django_assert_num_queries(0):
        assert supersession_chain(alone) == [alone]
