"""The log: filters, search, sort and pages; the whole page, or for htmx only the results."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from decisions.models import Decision
from tests.decisions.factories import ConditionFactory, DecisionFactory, decided
from tests.factories import PersonFactory, SurfaceFactory, TagFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def keys(response) -> list[str]:
    return re.findall(
        r'<span class="key">(D-\d+)</span>\s*<a class="decision-link"', response.content.decode()
    )


@pytest.fixture
def log() -> dict[str, Decision]:
    gov = SurfaceFactory(key="government", name="Government")
    labs = SurfaceFactory(key="frontier-labs", name="Frontier labs")
    aisha = PersonFactory(key="aisha-bello", name="Aisha Bello")
    fedramp = TagFactory(name="fedramp")
    return {
        "boundary": DecisionFactory(
            title="FedRAMP boundary",
            question="Dedicated GovCloud or shared?",
            surface=gov,
            decider=aisha,
            tags=[fedramp],
            opened_on=TODAY - dt.timedelta(days=10),
            needed_by=TODAY + dt.timedelta(days=3),
        ),
        "retention": DecisionFactory(
            title="Helix retention terms",
            question="How long do we keep prompts?",
            surface=labs,
            opened_on=TODAY - dt.timedelta(days=30),
            needed_by=TODAY - dt.timedelta(days=4),
        ),
        "high": decided(
            title="Pursue High directly",
            surface=gov,
            decider=aisha,
            tags=[fedramp],
            opened_on=TODAY - dt.timedelta(days=150),
        ),
        "draft": DecisionFactory(
            title="Safety case template", status=Decision.Status.DRAFT, opened_on=None, surface=labs
        ),
    }


def test_the_log_lists_every_decision_newest_first_with_its_gist(client_as, log) -> None:
    response = client_as("viewer").get("/decisions/")
    content = response.content.decode()
    # Decided two days ago, "high" is the newest; a draft has no date and comes last.
    assert keys(response) == [log["high"].key, log["boundary"].key, log["retention"].key, log["draft"].key]
    assert "Decided:</span> Keep prompts for 30 days." in content
    assert "4 decisions" in content
    assert '<form class="filters decision-filters"' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=helix", ["retention"]),
        ("q=GovCloud", ["boundary"]),  # the question is searched too
        ("q=D-3", ["high"]),
        ("status=decided", ["high"]),
        ("surface=government", ["high", "boundary"]),
        ("tag=fedramp", ["high", "boundary"]),
        ("decider=aisha-bello", ["high", "boundary"]),
        ("surface=government&status=open", ["boundary"]),
        ("sort=needed_by", ["retention", "boundary", "draft", "high"]),
        ("sort=key", ["boundary", "retention", "high", "draft"]),
        ("sort=title", ["boundary", "retention", "high", "draft"]),
    ],
)
def test_filters_search_and_sort(client_as, log, query: str, expected: list[str]) -> None:
    assert keys(client_as("viewer").get(f"/decisions/?{query}")) == [log[name].key for name in expected]


def test_the_date_range_uses_the_decided_date_else_the_opened_date(client_as, log) -> None:
    start = (TODAY - dt.timedelta(days=15)).isoformat()
    end = TODAY.isoformat()
    assert keys(client_as("viewer").get(f"/decisions/?date_from={start}&date_to={end}")) == [
        log["high"].key,  # decided two days ago, opened long before
        log["boundary"].key,
    ]


def test_a_backwards_date_range_is_explained(client_as, log) -> None:
    response = client_as("viewer").get("/decisions/?date_from=2026-05-01&date_to=2026-01-01")
    assert b"The end of the range comes before its start." in response.content


def test_an_htmx_request_gets_only_the_results_and_a_clean_address(client_as, log) -> None:
    response = client_as("viewer").get(
        "/decisions/?q=&status=open&surface=&tag=&decider=&date_from=&date_to=&sort=newest",
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="decision-results"')
    assert "<html" not in content and "decision-filters" not in content
    assert keys(response) == [log["boundary"].key, log["retention"].key]
    assert response["HX-Push-Url"] == "/decisions/?status=open"
    assert "2 decisions match these filters" in content


def test_a_boosted_request_gets_the_whole_page(client_as, log) -> None:
    response = client_as("viewer").get("/decisions/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert b"<html" in response.content
    assert "HX-Push-Url" not in response


def test_the_filter_form_updates_the_results_through_htmx_and_the_address_bar(client_as, log) -> None:
    content = client_as("viewer").get("/decisions/").content.decode()
    form = content[
        content.index('<form class="filters') : content.index(">", content.index('<form class="filters'))
    ]
    assert 'hx-get="/decisions/"' in form
    assert 'hx-target="#decision-results"' in form
    assert 'hx-push-url="true"' in form
    assert 'action="/decisions/"' in form and 'method="get"' in form


def test_the_log_flags_overdue_soon_and_review_due(client_as, log) -> None:
    ConditionFactory(decision=log["high"], review_on=TODAY - dt.timedelta(days=1))
    content = client_as("viewer").get("/decisions/").content.decode()
    assert "Overdue" in content
    assert "Due soon" in content
    assert "Review due" in content


def test_pages_keep_the_filters(client_as, log) -> None:
    for n in range(30):
        DecisionFactory(title=f"Bulk {n}", surface=log["high"].surface)
    response = client_as("viewer").get("/decisions/?surface=government", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Page 1 of 2" in content
    assert 'href="?page=2&amp;surface=government"' in content
    assert 'hx-target="#decision-results"' in content
    second = client_as("viewer").get("/decisions/?surface=government&page=2", headers={"HX-Request": "true"})
    assert len(keys(second)) == 32 - 25
    assert second["HX-Push-Url"] == "/decisions/?surface=government&page=2"


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client_as, log) -> None:
    content = client_as("viewer").get("/decisions/?q=nothing-matches-this").content.decode()
    assert "No decision matches these filters" in content
    assert "Clear the filters" in content


@pytest.mark.parametrize("sort", ["newest", "oldest", "needed_by", "key", "title"])
def test_every_page_read_keys_first_holds_what_one_read_would(sort: str) -> None:
    """The log's pages read the keys of a page first, then its rows: every page, in every order,
    with orphans folded in, holds the decisions a plain paginated read holds, in its order."""
    import random

    from django.core.paginator import Paginator

    from decisions.forms import DecisionFilterForm
    from decisions.queries import log
    from leadership_os.pagination import KeysFirstPaginator

    rng = random.Random(sort)
    today = timezone.localdate()
    surface = SurfaceFactory(key="payments", name="Payments")
    for n in range(23):
        opened = today - dt.timedelta(days=rng.randint(0, 40))
        DecisionFactory(
            title=f"{rng.choice('ABC')} decision {n}", surface=surface, opened_on=opened,
            needed_by=rng.choice([None, today + dt.timedelta(days=rng.randint(-5, 5))]),
            **({"status": Decision.Status.DECIDED, "decided_on": opened} if n % 3 == 0 else {}),
        )  # fmt: skip
    form = DecisionFilterForm({"sort": sort})
    form.is_valid()
    decisions = form.apply(log())
    for per_page, orphans in ((5, 0), (5, 2), (50, 0)):
        plain = Paginator(decisions, per_page, orphans=orphans)
        keys_first = KeysFirstPaginator(decisions, per_page, orphans=orphans)
        assert keys_first.num_pages == plain.num_pages
        for number in plain.page_range:
            expected = [d.key for d in plain.page(number)]
            assert [d.key for d in keys_first.page(number)] == expected, (per_page, orphans, number)


def test_the_log_reads_a_page_from_the_index_without_sorting_whole_rows(client_as, log) -> None:
    """A page's keys are read by a narrow query (the index of the log's order answers it); only
    the page's rows are read whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client_as("viewer").get("/decisions/?status=decided&surface=enterprise")
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "decisions_decision"' in q["sql"]]
    keys = [sql for sql in reads if sql.startswith('SELECT "decisions_decision"."id" AS "pk" FROM')]
    assert len(keys) == 1 and "ORDER BY" in keys[0] and '"context"' not in keys[0]
    whole = [sql for sql in reads if '"decisions_decision"."context"' in sql]
    assert len(whole) == 1 and "ORDER BY" not in whole[0] and " IN (" in whole[0]
