"""The repository's pages: the list by kind with its filters, the entry, writing and editing, history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from context_repo.models import ContextEntry
from decisions.models import Decision
from leadership_os.models import Surface
from tests.context_repo.factories import ContextEntryFactory, DecisionFactory, WorkstreamFactory
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db
Kind = ContextEntry.Kind
HTMX = {"HX-Request": "true"}


def _form(**changes: object) -> dict[str, object]:
    data = {
        "kind": "customer_signal",
        "title": "Helix wants EU transcripts",
        "body": "Nadia asked where **transcripts** live.",
        "surface": "",
        "source": "Helix Research",
        "dated_on": "2026-11-18",
        "status": "active",
        "tags": "eval-data-residency, Frontier Labs",
        "decisions": "",
        "workstreams": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def shelf() -> dict[str, ContextEntry]:
    gov = Surface.objects.create(key="government", name="Government")
    today = timezone.localdate()
    return {
        "signal": ContextEntryFactory(
            kind=Kind.CUSTOMER_SIGNAL, title="Agency wants in-boundary scoring", surface=gov,
            dated_on=today - dt.timedelta(days=3), tags=["eval-data-residency"],
        ),
        "question": ContextEntryFactory(
            kind=Kind.OPEN_QUESTION, status="open", title="FedRAMP High for the hosted API?", surface=gov,
            dated_on=today - dt.timedelta(days=20), tags=["fedramp-high"],
        ),
        "bet": ContextEntryFactory(kind=Kind.STRATEGY_BET, title="Sovereign first", dated_on=today - dt.timedelta(days=200)),
    }  # fmt: skip


def test_the_list_shows_every_kind_in_tabs_with_counts(client_as, shelf) -> None:
    html = client_as("viewer").get("/context/").content.decode()
    assert 'aria-current="page">All <span class="tab-count">3</span>' in html
    assert 'Customer signal <span class="tab-count">1</span>' in html
    for entry in shelf.values():
        assert entry.title in html


def test_a_tab_shows_one_kind(client_as, shelf) -> None:
    html = client_as("viewer").get("/context/?kind=open_question").content.decode()
    assert shelf["question"].title in html
    assert shelf["signal"].title not in html
    assert 'aria-current="page">Open question' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("surface=government", {"signal", "question"}),
        ("tag=fedramp-high", {"question"}),
        ("status=open", {"question"}),
        ("since={d30}", {"signal", "question"}),
        ("until={d10}", {"question", "bet"}),
        ("since={d30}&until={d10}", {"question"}),
        ("kind=customer_signal&surface=government", {"signal"}),
        ("surface=nowhere", {"signal", "question", "bet"}),  # an unknown value is ignored, not an error
    ],
)
def test_filters_narrow_the_list(client_as, shelf, query, expected) -> None:
    today = timezone.localdate()
    url = "/context/?" + query.format(d30=today - dt.timedelta(days=30), d10=today - dt.timedelta(days=10))
    html = client_as("viewer").get(url).content.decode()
    shown = {name for name, entry in shelf.items() if entry.title in html}
    assert shown == expected


def test_an_htmx_filter_answers_the_results_region_and_a_clean_address(client_as, shelf) -> None:
    response = client_as("viewer").get(
        "/context/", {"kind": "open_question", "surface": "government", "tag": "", "since": "", "until": ""},
        headers=HTMX,
    )  # fmt: skip
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="entry-results"')
    assert "<html" not in html
    assert response["HX-Push-Url"] == "/context/?kind=open_question&surface=government"
    assert 'id="filter-kind" value="open_question" form="entry-filters" hx-swap-oob="true"' in html


def test_the_full_page_keeps_real_links_and_a_real_form(client_as, shelf) -> None:
    html = client_as("viewer").get("/context/").content.decode()
    assert 'method="get" action="/context/"' in html
    assert 'href="/context/?kind=strategy_bet"' in html
    assert "hx-swap-oob" not in html


def test_the_list_is_paginated(client_as) -> None:
    for n in range(30):
        ContextEntryFactory(title=f"Entry {n:02d}", dated_on=timezone.localdate() - dt.timedelta(days=n))
    client = client_as("viewer")
    first = client.get("/context/").content.decode()
    second = client.get("/context/?page=2").content.decode()
    assert "Entry 00" in first and "Entry 29" not in first
    assert "Entry 29" in second and "Page 2 of 2" in second
    assert 'rel="prev"' in second


def test_the_entry_page_links_its_decisions_and_workstreams_both_ways(client_as, shelf) -> None:
    decision = DecisionFactory(title="Run scoring inside the boundary", status=Decision.Status.DECIDED)
    workstream = WorkstreamFactory(name="Sovereign evaluation harness")
    entry = shelf["signal"]
    entry.decisions.add(decision)
    entry.workstreams.add(workstream)
    html = client_as("viewer").get(f"/context/{entry.key}/").content.decode()
    assert f'href="/decisions/{decision.key}/"' in html
    assert f'href="/workstreams/{workstream.key}/"' in html
    assert "Run scoring inside the boundary" in html and "Sovereign evaluation harness" in html
    # The other way: what a decision page and a workstream page read to list the entries citing them.
    assert list(decision.context_entries.all()) == [entry]
    assert list(workstream.context_entries.all()) == [entry]


def test_an_entry_key_is_found_whatever_its_case(client_as, shelf) -> None:
    key = shelf["bet"].key
    assert client_as("viewer").get(f"/context/{key.lower()}/").status_code == 200
    assert client_as("viewer").get("/context/CX-999/").status_code == 404


def test_a_contributor_writes_an_entry_that_is_theirs(client_as, contributor) -> None:
    decision = DecisionFactory()
    workstream = WorkstreamFactory()
    response = client_as("contributor").post(
        "/context/new/", _form(decisions=decision.key.lower(), workstreams=f" {workstream.key} ")
    )
    entry = ContextEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/context/{entry.key}/"
    assert entry.author == contributor
    assert sorted(t.name for t in entry.tags.all()) == ["eval-data-residency", "frontier-labs"]
    assert list(entry.decisions.all()) == [decision]
    assert list(entry.workstreams.all()) == [workstream]
    assert entry.dated_on == dt.date(2026, 11, 18)


def test_an_htmx_save_navigates_to_the_entry(client_as, contributor) -> None:
    response = client_as("contributor").post("/context/new/", _form(), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/context/{ContextEntry.objects.get().key}/"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"decisions": "D-404"}, "No decision with the key D-404."),
        ({"workstreams": "WS-77, WS-78"}, "No workstream with the key WS-77, WS-78."),
        ({"tags": "ok, !!!"}, "is not a usable tag"),
        ({"kind": "gossip"}, "Select a valid choice."),
        ({"dated_on": "someday"}, "Enter a valid date."),
    ],
)
def test_invalid_input_is_shown_in_place_and_nothing_is_saved(client_as, changes, message) -> None:
    response = client_as("contributor").post("/context/new/", _form(**changes), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="entry-form"')
    assert message in html.replace("&#x27;", "'")
    assert 'aria-invalid="true"' in html
    assert ContextEntry.objects.count() == 0


def test_the_new_entry_form_offers_settled_matches_for_an_open_question(client_as) -> None:
    html = client_as("contributor").get("/context/new/?kind=open_question").content.decode()
    assert '<option value="open_question" selected>' in html
    assert '<option value="open" selected>' in html  # an open question starts open
    title = html.split('id="id_title"', 1)[0].rsplit("<input", 1)[1]
    assert 'hx-get="/search/settled/"' in title and 'hx-target="#settled-matches"' in title
    assert 'name="title"' in title
    assert '<div id="settled-matches" aria-live="polite"></div>' in html


def test_the_author_edits_their_entry(client_as, contributor) -> None:
    entry = ContextEntryFactory(author=contributor, title="First title", tags=["a-tag"])
    response = client_as("contributor").post(
        f"/context/{entry.key}/edit/", _form(title="Second title", tags="b-tag", version=entry.version)
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Second title" and entry.version == 2
    assert [t.name for t in entry.tags.all()] == ["b-tag"]
    assert entry.author == contributor


def test_a_stale_edit_is_refused_with_both_versions_and_my_input_kept(
    client_as, contributor, chief_of_staff
) -> None:
    entry = ContextEntryFactory(author=contributor, title="Original", body="Original body", tags=["a-tag"])
    version = entry.version
    # The chief of staff saves first.
    client_as("chief_of_staff").post(
        f"/context/{entry.key}/edit/", _form(title="Theirs", body="Their body", tags="a-tag", version=version)
    )
    response = client_as("contributor").post(
        f"/context/{entry.key}/edit/",
        _form(title="Mine", body="My body", tags="mine", version=version),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in html
    assert chief_of_staff.get_full_name() in html  # who saved in between
    assert "<td>Theirs</td><td>Mine</td>" in html
    assert "<td>a-tag</td><td>mine</td>" in html
    assert 'value="Mine"' in html  # my input is kept in the form
    assert 'name="version" value="2"' in html  # saving again is based on what is saved now
    entry.refresh_from_db()
    assert entry.title == "Theirs"
    # Saving again keeps mine, knowingly.
    again = client_as("contributor").post(
        f"/context/{entry.key}/edit/", _form(title="Mine", body="My body", tags="mine", version=2)
    )
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Mine" and entry.version == 3


def test_the_history_lists_each_change_readably(client_as, contributor) -> None:
    gov = Surface.objects.create(key="government", name="Government")
    entry = ContextEntryFactory(author=contributor, title="Before", tags=["old-tag"], surface=gov)
    client_as("contributor").post(
        f"/context/{entry.key}/edit/", _form(title="After", tags="new-tag", status="archived", version=1)
    )
    html = client_as("viewer").get(f"/context/{entry.key}/history/").content.decode()
    assert "<del>Before</del>" in html and "<ins>After</ins>" in html
    assert "<del>Active</del>" in html and "<ins>Archived</ins>" in html
    assert contributor.get_full_name() in html
    assert "new-tag" in html, html[html.index("history-list") :]
    assert "contextentry" not in html  # many-to-many changes read as names, not rows
    assert "<del>Government</del>" in html  # a foreign key reads as its record, not its id


def test_the_kind_counts_and_tag_choices_follow_every_change(client_as) -> None:
    client = client_as("viewer")
    ContextEntryFactory(kind="note", title="First note")
    before = client.get("/context/").content.decode()
    entry = ContextEntryFactory(kind="customer_signal", title="A signal")
    entry.tags.set([TagFactory(name="fresh-theme")])
    after = client.get("/context/").content.decode()
    assert "fresh-theme" not in before and '<option value="fresh-theme">' in after
    signals = re.compile(r'customer_signal"[^>]*>Customer signal <span class="tab-count">(\d+)</span>')
    assert signals.search(before).group(1) == "0" and signals.search(after).group(1) == "1"
