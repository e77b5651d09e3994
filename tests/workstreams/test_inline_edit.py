"""Editing the status map in place: each cell's htmx endpoint, with and without htmx, for each role."""

from __future__ import annotations

import pytest

from leadership_os.models import Person
from tests.factories import PersonFactory
from tests.workstreams.factories import DecisionFactory, WorkstreamFactory, days, today
from workstreams import services
from workstreams.models import Escalation, State, Workstream

pytestmark = pytest.mark.django_db

# A valid submission of each cell's form (besides its version).
VALID = {
    "state": {"state": "at_risk"},
    "blocker": {"blocker": "Waiting on the vendor's SOC 2 report"},
    "escalation": {"escalation": "escalated"},
    "owner": {"owner": "new-owner"},
    "decision": {"next_decision_on": "", "next_decision": ""},
}


@pytest.fixture
def ws(db: None) -> Workstream:
    PersonFactory(key="new-owner", name="Rowan Field")
    return WorkstreamFactory(name="Audit log export")


def edit_url(ws: Workstream, field: str) -> str:
    return f"/workstreams/{ws.key}/edit/{field}/"


@pytest.mark.parametrize("field", list(VALID))
def test_htmx_turns_the_cell_into_a_small_form(cos_client, ws, htmx, field: str) -> None:
    response = cos_client.get(edit_url(ws, field), **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tbody id="ws-{ws.key}"')
    assert "data-inline-edit" in html
    assert "data-autofocus" in html
    assert "data-cancel" in html
    assert f'name="version" value="{ws.version}"' in html
    assert "<html" not in html


@pytest.mark.parametrize("field", list(VALID))
def test_without_htmx_the_form_is_shown_in_the_whole_map(cos_client, ws, field: str) -> None:
    response = cos_client.get(edit_url(ws, field))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "data-inline-edit" in html


@pytest.mark.parametrize("field", list(VALID))
def test_saving_with_htmx_returns_the_row_and_refreshes_the_summary(cos_client, ws, htmx, field: str) -> None:
    response = cos_client.post(edit_url(ws, field), {"version": ws.version, **VALID[field]}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tbody id="ws-{ws.key}"')
    assert "data-inline-edit" not in html
    assert 'id="ws-summary"' in html and 'hx-swap-oob="true"' in html
    assert "data-autofocus" in html  # focus goes back to the cell's edit control


@pytest.mark.parametrize("field", list(VALID))
def test_saving_without_htmx_redirects_to_the_row_on_the_map(cos_client, ws, field: str) -> None:
    response = cos_client.post(edit_url(ws, field), {"version": ws.version, **VALID[field]})
    assert response.status_code == 302
    assert response["Location"] == f"/workstreams/#ws-{ws.key}"


@pytest.mark.parametrize("role", ["viewer", "principal", "contributor", "staff"])
@pytest.mark.parametrize("field", list(VALID))
def test_only_the_chief_of_staff_reaches_the_edit_endpoints(
    client_as, ws, htmx, role: str, field: str
) -> None:
    client = client_as(role)
    assert client.get(edit_url(ws, field), **htmx).status_code == 403
    response = client.post(edit_url(ws, field), {"version": ws.version, **VALID[field]}, **htmx)
    assert response.status_code == 403
    assert "Only the chief of staff edits the status map" in response.content.decode()
    ws.refresh_from_db()
    assert ws.version == 1


def test_the_owner_cannot_edit_the_map_either(client_as, contributor, htmx) -> None:
    ws = WorkstreamFactory(owner=Person.objects.get(user=contributor))
    response = client_as("contributor").post(edit_url(ws, "state"), {"version": 1, "state": "done"}, **htmx)
    assert response.status_code == 403


def test_marking_blocked_with_a_blocker_from_the_state_cell(cos_client, ws, htmx) -> None:
    response = cos_client.post(
        edit_url(ws, "state"),
        {"version": 1, "state": "blocked", "blocker": "Legal review of data terms"},
        **htmx,
    )
    ws.refresh_from_db()
    assert (ws.state, ws.blocker, ws.blocked_since, ws.version) == (
        State.BLOCKED,
        "Legal review of data terms",
        today(),
        2,
    )
    assert "Legal review of data terms" in response.content.decode()


def test_blocked_without_a_blocker_is_refused_in_place(cos_client, ws, htmx) -> None:
    response = cos_client.post(
        edit_url(ws, "state"), {"version": 1, "state": "blocked", "blocker": ""}, **htmx
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-inline-edit" in html
    assert "A blocked workstream needs a blocker" in html
    assert 'aria-invalid="true"' in html
    ws.refresh_from_db()
    assert (ws.state, ws.version) == (State.ON_TRACK, 1)


def test_errors_without_htmx_are_shown_in_the_whole_map(cos_client, ws) -> None:
    response = cos_client.post(edit_url(ws, "state"), {"version": 1, "state": "blocked"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "A blocked workstream needs a blocker" in html


def test_saving_a_blocker_marks_the_workstream_blocked(cos_client, ws, htmx) -> None:
    decision = DecisionFactory()
    cos_client.post(
        edit_url(ws, "blocker"),
        {
            "version": 1,
            "blocker": "Vendor contract",
            "blocked_by_decision": decision.key.lower(),
            "blocked_since": "",
        },
        **htmx,
    )
    ws.refresh_from_db()
    assert (ws.state, ws.blocker, ws.blocked_by_decision) == (State.BLOCKED, "Vendor contract", decision)


def test_an_unknown_decision_key_is_an_error_in_place(cos_client, ws, htmx) -> None:
    response = cos_client.post(
        edit_url(ws, "decision"),
        {"version": 1, "next_decision_on": "2030-01-01", "next_decision": "D-9999"},
        **htmx,
    )
    assert response.status_code == 200
    assert "There is no decision" in response.content.decode()


def test_a_bad_date_is_an_error_in_place(cos_client, ws, htmx) -> None:
    response = cos_client.post(
        edit_url(ws, "decision"), {"version": 1, "next_decision_on": "next week"}, **htmx
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_a_decision_without_a_date_is_refused(cos_client, ws, htmx) -> None:
    decision = DecisionFactory()
    response = cos_client.post(
        edit_url(ws, "decision"),
        {"version": 1, "next_decision_on": "", "next_decision": decision.key},
        **htmx,
    )
    assert "Give the date the decision is needed" in response.content.decode()


def test_setting_the_next_decision_point(cos_client, ws, htmx) -> None:
    decision = DecisionFactory(title="Per-tenant keys")
    response = cos_client.post(
        edit_url(ws, "decision"),
        {"version": 1, "next_decision_on": days(2).isoformat(), "next_decision": decision.key},
        **htmx,
    )
    ws.refresh_from_db()
    assert (ws.next_decision_on, ws.next_decision) == (days(2), decision)
    assert "Per-tenant keys" in response.content.decode()


def test_escalating_and_changing_the_owner(cos_client, ws, htmx) -> None:
    cos_client.post(edit_url(ws, "escalation"), {"version": 1, "escalation": "escalated"}, **htmx)
    cos_client.post(edit_url(ws, "owner"), {"version": 2, "owner": "new-owner"}, **htmx)
    ws.refresh_from_db()
    assert (ws.escalation, ws.escalated_on, ws.owner.name) == (Escalation.ESCALATED, today(), "Rowan Field")
    cos_client.post(edit_url(ws, "owner"), {"version": 3, "owner": ""}, **htmx)
    ws.refresh_from_db()
    assert ws.owner is None


def test_an_unknown_owner_is_an_error_in_place(cos_client, ws, htmx) -> None:
    response = cos_client.post(edit_url(ws, "owner"), {"version": 1, "owner": "nobody"}, **htmx)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_stale_edit_is_refused_with_both_versions(cos_client, ws, htmx) -> None:
    services.workstream_change(workstream=ws, by=None, expected_version=1, state=State.PAUSED)
    response = cos_client.post(edit_url(ws, "state"), {"version": 1, "state": "at_risk"}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in html
    assert "Paused" in html and "At risk" in html  # theirs and mine
    assert 'name="version" value="2"' in html  # saving again keeps mine
    ws.refresh_from_db()
    assert ws.state == State.PAUSED
    cos_client.post(edit_url(ws, "state"), {"version": 2, "state": "at_risk"}, **htmx)
    ws.refresh_from_db()
    assert ws.state == State.AT_RISK


def test_a_stale_edit_without_htmx_is_refused_in_the_whole_map(cos_client, ws) -> None:
    services.workstream_change(workstream=ws, by=None, expected_version=1, state=State.PAUSED)
    response = cos_client.post(edit_url(ws, "escalation"), {"version": 1, "escalation": "watching"})
    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()


def test_a_missing_version_is_an_error_not_a_crash(cos_client, ws, htmx) -> None:
    response = cos_client.post(edit_url(ws, "state"), {"state": "at_risk"}, **htmx)
    assert response.status_code == 200
    ws.refresh_from_db()
    assert ws.version == 1


def test_an_unknown_field_or_workstream_is_not_found(cos_client, ws, htmx) -> None:
    assert cos_client.get(edit_url(ws, "name"), **htmx).status_code == 404
    assert cos_client.get("/workstreams/WS-9999/edit/state/", **htmx).status_code == 404


def test_cancel_returns_the_row_as_it_is(client_as, ws, htmx) -> None:
    response = client_as("viewer").get(f"/workstreams/{ws.key}/row/?focus=state", **htmx)
    assert response.content.decode().lstrip().startswith(f'<tbody id="ws-{ws.key}"')
    plain = client_as("viewer").get(f"/workstreams/{ws.key}/row/")
    assert plain.status_code == 302 and plain["Location"] == f"/workstreams/#ws-{ws.key}"
