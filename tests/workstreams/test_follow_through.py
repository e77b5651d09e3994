"""The follow-through ledger: open commitments, slipped first, re-commitments counted, external
promises filterable; marking done and moving a date in place."""

from __future__ import annotations

import re

import pytest

from leadership_os.models import Person
from tests.factories import PersonFactory
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    ExternalPersonFactory,
    WorkstreamFactory,
    days,
    today,
)
from workstreams import services
from workstreams.models import Commitment

pytestmark = pytest.mark.django_db

LEDGER = "/workstreams/commitments/"


@pytest.fixture
def ledger(db: None) -> dict[str, Commitment]:
    wei = PersonFactory(key="wei-chen", name="Wei Chen")
    priya = PersonFactory(key="priya", name="Priya Natarajan")
    agency = ExternalPersonFactory(key="ben", name="Ben Whitaker", affiliation="agency", organization="FDSA")
    vp = PersonFactory(key="maya", name="Maya Okafor")
    ws = WorkstreamFactory(name="FedRAMP boundary")
    return {
        "upcoming": CommitmentFactory(
            description="Share the test plan", owner=priya, promised_to=vp, due_on=days(3)
        ),
        "slightly_late": CommitmentFactory(
            description="Circulate pricing comparison", owner=priya, promised_to=vp, due_on=days(-1)
        ),
        "very_late": CommitmentFactory(
            description="Send FDSA the boundary diagram",
            owner=wei,
            promised_to=agency,
            workstream=ws,
            due_on=days(-10),
            original_due_on=days(-24),
            recommitted_count=2,
            decision=DecisionFactory(title="Boundary scope"),
        ),
        "done": CommitmentFactory(
            description="Stand up the enclave", owner=wei, due_on=days(-20), done_on=days(-21)
        ),
    }


def order_of(html: str, *descriptions: str) -> list[int]:
    return [html.index(d) for d in descriptions]


def test_open_commitments_slipped_first_the_latest_at_the_top(client_as, ledger) -> None:
    html = client_as("viewer").get(LEDGER).content.decode()
    positions = order_of(
        html, "Send FDSA the boundary diagram", "Circulate pricing comparison", "Share the test plan"
    )
    assert positions == sorted(positions)
    assert "Stand up the enclave" not in html
    assert "10 days late" in html and "1 day late" in html and "in 3 days" in html


def test_how_late_is_graded_by_the_slip_threshold(client_as, ledger) -> None:
    html = client_as("viewer").get(LEDGER).content.decode()
    assert 'badge badge-high"><span class="badge-glyph" aria-hidden="true"></span>10 days late' in html
    assert 'badge badge-medium"><span class="badge-glyph" aria-hidden="true"></span>1 day late' in html


def test_each_shows_where_it_was_promised_to_whom_and_how_often_it_moved(client_as, ledger) -> None:
    html = client_as("viewer").get(LEDGER).content.decode()
    row = re.search(rf'<tbody id="c-{ledger["very_late"].key}".*?</tbody>', html, re.S).group(0)
    decision = ledger["very_late"].decision
    assert f'href="/decisions/{decision.key}/"' in row and "Boundary scope" in row
    assert "Ben Whitaker" in row and "Government agency" in row and "FDSA" in row
    assert "Moved 2 times" in row and "first due" in row
    assert ledger["very_late"].workstream.key in row


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("audience=external", ["very_late"], ["upcoming", "slightly_late"]),
        ("audience=internal", ["upcoming", "slightly_late"], ["very_late"]),
        ("status=slipped", ["very_late", "slightly_late"], ["upcoming", "done"]),
        ("status=moved", ["very_late"], ["upcoming", "slightly_late"]),
        ("status=done", ["done"], ["upcoming", "very_late"]),
        ("owner=priya", ["upcoming", "slightly_late"], ["very_late"]),
    ],
)
def test_filters(client_as, ledger, query: str, expected: list[str], absent: list[str]) -> None:
    html = client_as("viewer").get(f"{LEDGER}?{query}").content.decode()
    for name in expected:
        assert f'id="c-{ledger[name].key}"' in html, f"{name} missing for {query}"
    for name in absent:
        assert f'id="c-{ledger[name].key}"' not in html, f"{name} shown for {query}"


def test_ordering_by_owner_groups_them(client_as, ledger) -> None:
    html = client_as("viewer").get(f"{LEDGER}?order=owner").content.decode()
    assert html.index('scope="rowgroup" colspan="8">Priya Natarajan') < html.index(
        'scope="rowgroup" colspan="8">Wei Chen'
    )


def test_the_summary_counts_slipped_and_external_ones_and_names_owners(client_as, ledger) -> None:
    html = client_as("viewer").get(LEDGER).content.decode()
    assert re.search(r'chip-n">3</span> open', html)
    assert re.search(r'chip-n">2</span> slipped<', html)
    assert re.search(r'chip-n">1</span> slipped, promised outside', html)
    assert re.search(r'chip-n">1</span> re-committed', html)
    assert "Priya Natarajan <strong>1</strong>" in html


def test_filtering_with_htmx_returns_the_ledger_region(client_as, ledger, htmx) -> None:
    response = client_as("viewer").get(f"{LEDGER}?audience=external", **htmx)
    assert response.content.decode().lstrip().startswith('<div id="ledger"')


# Marking done


def done_url(c: Commitment) -> str:
    return f"/workstreams/commitments/{c.key}/done/"


def test_marking_done_with_htmx_returns_the_row_and_the_summary(cos_client, ledger, htmx) -> None:
    c = ledger["very_late"]
    response = cos_client.post(done_url(c), {"version": 1, "from": "ledger"}, **htmx)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody id="c-{c.key}"')
    assert "Undo" in html and 'id="ledger-summary"' in html
    c.refresh_from_db()
    assert c.done_on == today()


def test_marking_done_without_htmx_redirects(cos_client, ledger) -> None:
    c = ledger["upcoming"]
    response = cos_client.post(done_url(c), {"version": 1, "from": "ledger"})
    assert response.status_code == 302 and response["Location"] == f"{LEDGER}#c-{c.key}"
    c.workstream = WorkstreamFactory()
    c.save()
    response = cos_client.post(f"/workstreams/commitments/{c.key}/reopen/", {"version": 2, "from": "detail"})
    assert response["Location"] == f"/workstreams/{c.workstream.key}/#c-{c.key}"


def test_undo_reopens_it(cos_client, ledger, htmx) -> None:
    c = ledger["done"]
    html = cos_client.post(
        f"/workstreams/commitments/{c.key}/reopen/", {"version": 1}, **htmx
    ).content.decode()
    assert "Mark done" in html
    c.refresh_from_db()
    assert c.done_on is None


def test_a_stale_done_is_refused_with_both_versions(cos_client, ledger, htmx) -> None:
    c = ledger["upcoming"]
    services.commitment_recommit(commitment=c, by=None, expected_version=1, due_on=days(6))
    html = cos_client.post(done_url(c), {"version": 1}, **htmx).content.decode()
    assert "Someone else saved this" in html
    c.refresh_from_db()
    assert c.done_on is None


def test_a_done_without_a_version_is_refused(cos_client, ledger, htmx) -> None:
    assert cos_client.post(done_url(ledger["upcoming"]), {}, **htmx).status_code == 400


def test_who_may_mark_done(client_as, contributor, ledger, htmx) -> None:
    c = ledger["upcoming"]
    for role in ("viewer", "principal", "contributor", "staff"):
        assert client_as(role).post(done_url(c), {"version": 1}, **htmx).status_code == 403, role
    c.refresh_from_db()
    assert c.done_on is None
    c.owner = Person.objects.get(user=contributor)
    c.save()
    assert client_as("contributor").post(done_url(c), {"version": 1}, **htmx).status_code == 200


def test_the_owner_of_the_workstream_may_mark_done_too(client_as, contributor, ledger, htmx) -> None:
    c = ledger["very_late"]
    c.workstream.owner = Person.objects.get(user=contributor)
    c.workstream.save()
    assert client_as("contributor").post(done_url(c), {"version": 1}, **htmx).status_code == 200


def test_the_ledger_shows_controls_only_where_allowed(client_as, ledger) -> None:
    assert "Mark done" in client_as("chief_of_staff").get(LEDGER).content.decode()
    assert "Mark done" not in client_as("viewer").get(LEDGER).content.decode()


# Moving a due date


def recommit_url(c: Commitment) -> str:
    return f"/workstreams/commitments/{c.key}/recommit/"


def test_moving_a_date_in_place_counts_a_recommitment(cos_client, ledger, htmx) -> None:
    c = ledger["slightly_late"]
    form = cos_client.get(recommit_url(c) + "?from=ledger", **htmx).content.decode()
    assert "data-inline-edit" in form and "data-cancel" in form and "data-autofocus" in form
    html = cos_client.post(
        recommit_url(c),
        {"version": 1, "due_on": days(4).isoformat(), "reason": "Finance review", "from": "ledger"},
        **htmx,
    ).content.decode()
    assert "Moved once" in html and "in 4 days" in html
    c.refresh_from_db()
    assert (c.due_on, c.original_due_on, c.recommitted_count) == (days(4), days(-1), 1)


def test_moving_a_date_without_htmx(cos_client, ledger) -> None:
    c = ledger["slightly_late"]
    page = cos_client.get(recommit_url(c))
    assert page.status_code == 200 and "Move a due date" in page.content.decode()
    response = cos_client.post(recommit_url(c), {"version": 1, "due_on": days(4).isoformat()})
    assert response.status_code == 302


def test_moving_a_date_needs_a_date(cos_client, ledger, htmx) -> None:
    html = cos_client.post(
        recommit_url(ledger["upcoming"]), {"version": 1, "due_on": ""}, **htmx
    ).content.decode()
    assert "Give the new date it is due." in html


def test_a_stale_move_is_refused_with_both_versions(cos_client, ledger, htmx) -> None:
    c = ledger["upcoming"]
    services.commitment_complete(commitment=c, by=None, expected_version=1)
    html = cos_client.post(
        recommit_url(c), {"version": 1, "due_on": days(9).isoformat()}, **htmx
    ).content.decode()
    assert "Someone else saved this" in html
    c.refresh_from_db()
    assert c.recommitted_count == 0


def test_only_the_owner_or_the_chief_of_staff_moves_a_date(client_as, ledger, htmx) -> None:
    for role in ("viewer", "principal", "contributor"):
        client = client_as(role)
        assert client.get(recommit_url(ledger["upcoming"]), **htmx).status_code == 403
        response = client.post(
            recommit_url(ledger["upcoming"]), {"version": 1, "due_on": days(9).isoformat()}, **htmx
        )
        assert response.status_code == 403


def test_cancel_returns_the_row(client_as, ledger, htmx) -> None:
    c = ledger["upcoming"]
    html = (
        client_as("viewer").get(f"/workstreams/commitments/{c.key}/row/?from=ledger", **htmx).content.decode()
    )
    assert html.lstrip().startswith(f'<tbody id="c-{c.key}"')
