"""The workstream page, and posting status updates from it and from the map."""

from __future__ import annotations

import pytest

from leadership_os.models import Person
from tests.factories import PersonFactory
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    StatusUpdateFactory,
    WorkstreamFactory,
    days,
)
from workstreams import services
from workstreams.models import Commitment, State, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(db: None) -> Workstream:
    ws = WorkstreamFactory(
        name="Northbank private deployment",
        state=State.BLOCKED,
        blocker="Customer-managed keys for the vector store",
        blocked_since=days(-4),
        blocked_by_decision=DecisionFactory(title="Per-tenant key management"),
        next_decision_on=days(3),
        next_decision=DecisionFactory(title="Go-live date", status="draft"),
    )
    StatusUpdateFactory(
        workstream=ws, posted_on=days(-11), state=State.AT_RISK, note="Risk review added a requirement."
    )
    StatusUpdateFactory(
        workstream=ws, posted_on=days(-4), state=State.BLOCKED, note="Blocked: six weeks of work."
    )
    return ws


def page(ws: Workstream) -> str:
    return f"/workstreams/{ws.key}/"


def test_the_page_shows_the_situation_the_timeline_and_what_it_waits_on(client_as, ws) -> None:
    CommitmentFactory(workstream=ws, description="Give Northbank a plan with dates", due_on=days(-2))
    html = client_as("viewer").get(page(ws)).content.decode()
    assert "Northbank private deployment" in html
    assert html.index("Blocked: six weeks of work.") < html.index("Risk review added a requirement.")
    assert "was at risk" in html  # the state change between two updates
    assert "Per-tenant key management" in html and "Blocks this workstream." in html
    assert "Go-live date" in html and "Its next decision point" in html
    assert "Give Northbank a plan with dates" in html and "2 days late" in html
    assert "History" in html
    assert 'id="post-update"' not in html  # a viewer posts nothing


def test_the_history_lists_changes_with_who_made_them(cos_client, chief_of_staff, ws) -> None:
    services.workstream_change(workstream=ws, by=chief_of_staff, expected_version=1, escalation="escalated")
    html = cos_client.get(page(ws)).content.decode()
    assert "Escalated" in html
    assert chief_of_staff.get_full_name() in html


def test_a_lowercase_key_redirects_and_an_unknown_one_is_not_found(client_as, ws) -> None:
    client = client_as("viewer")
    response = client.get(f"/workstreams/{ws.key.lower()}/")
    assert response.status_code == 302 and response["Location"] == page(ws)
    assert client.get("/workstreams/WS-9999/").status_code == 404


def test_the_owner_and_the_chief_of_staff_get_the_forms(client_as, contributor, ws) -> None:
    assert 'id="post-update"' in client_as("chief_of_staff").get(page(ws)).content.decode()
    assert 'id="post-update"' not in client_as("contributor").get(page(ws)).content.decode()
    ws.owner = Person.objects.get(user=contributor)
    ws.save()
    html = client_as("contributor").get(page(ws)).content.decode()
    assert 'id="post-update"' in html and "Add a commitment" in html


# Posting a status update


def post_update(client, ws: Workstream, origin: str = "detail", htmx: dict | None = None, **data: object):
    body = {
        "version": ws.version,
        "state": ws.state,
        "note": "Progress.",
        "blocker": "",
        "from": origin,
        **data,
    }
    return client.post(f"/workstreams/{ws.key}/updates/", body, **(htmx or {}))


def test_posting_from_the_page_with_htmx_returns_the_page_region(cos_client, ws, htmx) -> None:
    response = post_update(cos_client, ws, htmx=htmx, state="at_risk", note="Unblocked; keys scoped down.")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="ws-page"')
    assert "Update posted" in html and "Unblocked; keys scoped down." in html
    ws.refresh_from_db()
    assert (ws.state, ws.blocker) == (State.AT_RISK, "")
    assert ws.updates.first().author.user.username == "cos"


def test_posting_from_the_map_with_htmx_returns_the_row(cos_client, ws, htmx) -> None:
    response = post_update(cos_client, ws, origin="map", htmx=htmx, note="Still blocked.", state="blocked")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tbody id="ws-{ws.key}"')
    assert "Today" in html and "Still blocked." in html
    assert 'id="ws-summary"' in html


def test_the_map_opens_the_update_form_in_the_row(cos_client, ws, htmx) -> None:
    html = cos_client.get(f"/workstreams/{ws.key}/updates/", **htmx).content.decode()
    assert 'class="update-form"' in html and "data-inline-edit" in html and "data-cancel" in html
    plain = cos_client.get(f"/workstreams/{ws.key}/updates/")
    assert plain.status_code == 302 and plain["Location"].endswith("#post-update")


@pytest.mark.parametrize("origin", ["detail", "map"])
def test_posting_without_htmx_redirects(cos_client, ws, origin: str) -> None:
    response = post_update(cos_client, ws, origin=origin)
    assert response.status_code == 302
    expected = page(ws) if origin == "detail" else f"/workstreams/#ws-{ws.key}"
    assert response["Location"] == expected


def test_the_owner_may_post_and_others_may_not(client_as, contributor, ws, htmx) -> None:
    for role in ("viewer", "principal", "contributor", "staff"):
        response = post_update(client_as(role), ws, htmx=htmx)
        assert response.status_code == 403, role
        assert client_as(role).get(f"/workstreams/{ws.key}/updates/", **htmx).status_code == 403
    assert not StatusUpdate.objects.filter(note="Progress.").exists()
    ws.owner = Person.objects.get(user=contributor)
    ws.save()
    assert post_update(client_as("contributor"), ws, htmx=htmx).status_code == 200
    assert StatusUpdate.objects.filter(note="Progress.").count() == 1


def test_an_empty_note_is_an_error_in_place(cos_client, ws, htmx) -> None:
    response = post_update(cos_client, ws, htmx=htmx, note="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say what happened since the last update." in html
    assert ws.updates.count() == 2


def test_blocking_through_an_update_needs_a_blocker(cos_client, htmx) -> None:
    ws = WorkstreamFactory()
    response = post_update(cos_client, ws, origin="map", htmx=htmx, state="blocked", blocker="")
    assert "A blocked workstream needs a blocker" in response.content.decode()
    response = post_update(cos_client, ws, origin="map", htmx=htmx, state="blocked", blocker="Vendor")
    ws.refresh_from_db()
    assert (ws.state, ws.blocker) == (State.BLOCKED, "Vendor")


def test_a_stale_update_shows_both_versions_and_keeps_the_note(cos_client, ws, htmx) -> None:
    services.workstream_change(workstream=ws, by=None, expected_version=1, escalation="watching")
    response = post_update(cos_client, ws, htmx=htmx, version=1, note="My careful note.")
    html = response.content.decode()
    assert "Someone else saved this" in html
    assert "My careful note." in html
    assert 'name="version" value="2"' in html
    assert not StatusUpdate.objects.filter(note="My careful note.").exists()


# Adding a commitment


def test_adding_a_commitment_with_htmx_returns_the_commitments_region(cos_client, ws, htmx) -> None:
    customer = PersonFactory(key="carla", name="Carla Mendes", affiliation="customer")
    response = cos_client.post(
        f"/workstreams/{ws.key}/commitments/",
        {
            "description": "Send the key-management plan",
            "owner": ws.owner.key,
            "promised_to": customer.key,
            "due_on": days(5).isoformat(),
            "decision": ws.blocked_by_decision.key,
        },
        **htmx,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="ws-commitments"')
    assert "Commitment added" in html and "Send the key-management plan" in html
    commitment = Commitment.objects.get()
    assert (
        commitment.workstream,
        commitment.promised_to,
        commitment.decision,
        commitment.original_due_on,
    ) == (
        ws,
        customer,
        ws.blocked_by_decision,
        days(5),
    )


def test_adding_a_commitment_without_htmx_redirects(cos_client, ws) -> None:
    response = cos_client.post(
        f"/workstreams/{ws.key}/commitments/",
        {"description": "x", "owner": ws.owner.key, "due_on": days(5).isoformat()},
    )
    assert response.status_code == 302 and response["Location"].endswith("#commitments")


def test_a_commitment_without_what_or_when_is_an_error_in_place(cos_client, ws, htmx) -> None:
    response = cos_client.post(f"/workstreams/{ws.key}/commitments/", {"owner": ws.owner.key}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say what was promised." in html and "Give the date it is due." in html
    assert not Commitment.objects.exists()


def test_only_the_owner_or_the_chief_of_staff_adds_commitments(client_as, ws, htmx) -> None:
    for role in ("viewer", "principal", "contributor"):
        response = client_as(role).post(
            f"/workstreams/{ws.key}/commitments/",
            {"description": "x", "owner": ws.owner.key, "due_on": days(5).isoformat()},
            **htmx,
        )
        assert response.status_code == 403, role
    assert not Commitment.objects.exists()
