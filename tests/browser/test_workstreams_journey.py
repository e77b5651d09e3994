"""The chief of staff keeps the status map current in place: marks a workstream blocked with a blocker,
escalates it, posts a status update and completes a commitment; the page never reloads whole, the
keyboard does everything the mouse does, and every state passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from leadership_os.models import Person
from tests.browser.helpers import assert_accessible, log_in, screenshot
from tests.factories import PersonFactory, SurfaceFactory
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    ExternalPersonFactory,
    StatusUpdateFactory,
    WorkstreamFactory,
    days,
)
from workstreams.models import Escalation, State, Workstream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org(chief_of_staff) -> dict[str, object]:
    gov = SurfaceFactory(key="government", name="Government")
    ent = SurfaceFactory(key="enterprise", name="Enterprise deployments")
    wei = PersonFactory(key="wei-chen", name="Wei Chen")
    priya = PersonFactory(key="priya", name="Priya Natarajan")
    ben = ExternalPersonFactory(key="ben", name="Ben Whitaker", affiliation="agency", organization="FDSA")
    boundary = WorkstreamFactory(name="FedRAMP High boundary", surface=gov, owner=wei)
    StatusUpdateFactory(workstream=boundary, posted_on=days(-3), note="Boundary diagram v1 sent to the 3PAO.")
    other = WorkstreamFactory(
        name="Northbank private deployment",
        surface=ent,
        owner=priya,
        state=State.BLOCKED,
        blocker="Customer-managed keys for the vector store",
        blocked_since=days(-4),
        blocked_by_decision=DecisionFactory(title="Per-tenant key management"),
    )
    StatusUpdateFactory(workstream=other, posted_on=days(-9), state=State.BLOCKED, note="Six weeks of work.")
    WorkstreamFactory(name="Agency onboarding runbook", surface=gov, owner=None, created_on=days(-3))
    promise = CommitmentFactory(
        description="Send FDSA the boundary diagram and data-flow narrative",
        owner=wei,
        promised_to=ben,
        workstream=boundary,
        due_on=days(-10),
        original_due_on=days(-24),
        recommitted_count=2,
    )
    CommitmentFactory(description="Share the test plan", owner=priya, workstream=other, due_on=days(3))
    return {"boundary": boundary, "promise": promise}


def mark_page(page: Page) -> None:
    """A marker that only survives if the page is never reloaded whole."""
    page.evaluate("window.__noReload = 'still here'")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__noReload") == "still here", "the page was reloaded"


def test_the_chief_of_staff_keeps_the_map_current_in_place(page: Page, live_server, org) -> None:
    boundary: Workstream = org["boundary"]  # type: ignore[assignment]
    key = boundary.key
    row = page.locator(f"#ws-{key}")
    log_in(page, live_server.url, "cos")
    page.goto(f"{live_server.url}/workstreams/")
    expect(page.get_by_role("heading", name="Status map")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "workstreams-map")
    mark_page(page)

    # 1. Mark it blocked with a blocker, from the keyboard.
    page.get_by_role("link", name=f"Change state of {key}").focus()
    page.keyboard.press("Enter")
    state = row.get_by_label("State")
    expect(state).to_be_focused()
    assert_accessible(page)
    screenshot(page, "workstreams-map-editing")
    state.select_option("blocked")
    row.get_by_role("button", name="Save").click()
    # Refused in place: a blocked workstream needs a blocker.
    expect(row.get_by_text("A blocked workstream needs a blocker")).to_be_visible()
    row.get_by_label("Blocker", exact=True).fill(
        "The 3PAO has not said whether the eval sandbox is inside the boundary."
    )
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".badge-blocked")).to_have_text("Blocked")
    expect(row).to_contain_text("inside the boundary")
    expect(page.get_by_role("link", name=f"Change state of {key}")).to_be_focused()
    expect(page.locator("#ws-summary")).to_contain_text("2 blocked")
    assert_not_reloaded(page)

    # Escape cancels an edit and gives the focus back.
    page.get_by_role("link", name=f"Change owner of {key}").click()
    expect(row.get_by_label("Owner")).to_be_focused()
    page.keyboard.press("Escape")
    expect(row.locator("form")).to_have_count(0)
    expect(page.get_by_role("link", name=f"Change owner of {key}")).to_be_focused()

    # 2. Escalate it.
    row.get_by_role("link", name=f"Change escalation of {key}").click()
    row.get_by_label("Escalation").select_option("escalated")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".badge-escalated")).to_have_text("Escalated")
    expect(row).to_contain_text("since today")
    assert_not_reloaded(page)

    # 3. Post a status update from its row.
    row.get_by_role("link", name=f"Update {key}").click()
    expect(row.get_by_label("State")).to_be_focused()
    assert_accessible(page)
    row.get_by_label("Note").fill("Escalated to Maya; asked the 3PAO lead for an answer by Thursday.")
    row.get_by_role("button", name="Post update").click()
    expect(row).to_contain_text("Today")
    expect(row).to_contain_text("asked the 3PAO lead")
    expect(row.locator(".update-form")).to_have_count(0)
    assert_not_reloaded(page)
    screenshot(page, "workstreams-map-after")

    boundary.refresh_from_db()
    assert (boundary.state, boundary.escalation) == (State.BLOCKED, Escalation.ESCALATED)
    assert boundary.blocked_since and boundary.escalated_on
    assert boundary.updates.count() == 2
    assert boundary.updates.first().author == Person.objects.get(user__username="cos")

    # Filters live in the address bar and do not reload the page either.
    page.get_by_label("State").first.select_option("blocked")
    expect(page).to_have_url(f"{live_server.url}/workstreams/?state=blocked")
    expect(page.locator("tbody.ws")).to_have_count(2)
    assert_not_reloaded(page)

    # 4. Complete the promise made to the agency, from the follow-through ledger.
    page.get_by_role("navigation", name="Workstreams").get_by_role("link", name="Follow-through").click()
    expect(page.get_by_role("heading", name="Follow-through")).to_be_visible()
    promise = org["promise"]
    promise_row = page.locator(f"#c-{promise.key}")  # type: ignore[attr-defined]
    expect(promise_row).to_contain_text("10 days late")
    expect(promise_row).to_contain_text("Moved 2 times")
    expect(promise_row).to_contain_text("Government agency")
    assert_accessible(page)
    screenshot(page, "workstreams-ledger")
    mark_page(page)
    promise_row.get_by_role("button", name=f"Mark done {promise.key}").click()  # type: ignore[attr-defined]
    expect(promise_row.get_by_role("button", name=f"Undo done of {promise.key}")).to_be_focused()  # type: ignore[attr-defined]
    expect(page.locator("#ledger-summary")).to_contain_text("1 open")
    assert_not_reloaded(page)
    promise.refresh_from_db()  # type: ignore[attr-defined]
    assert promise.done_on is not None  # type: ignore[attr-defined]

    # The workstream's page tells the whole story.
    page.goto(f"{live_server.url}/workstreams/{key}/")
    expect(page.get_by_role("heading", name="FedRAMP High boundary")).to_be_visible()
    expect(page.locator(".timeline-item").first).to_contain_text("asked the 3PAO lead")
    assert_accessible(page)
    page.get_by_text("History").click()
    screenshot(page, "workstreams-detail")


def test_a_viewer_sees_the_map_without_edit_controls(page: Page, live_server, org, viewer) -> None:
    log_in(page, live_server.url, "viewer")
    page.goto(f"{live_server.url}/workstreams/")
    expect(page.locator("tbody.ws")).to_have_count(3)
    expect(page.locator(".cell-edit")).to_have_count(0)
    expect(page.locator(".ws-actions")).to_have_count(0)
    assert_accessible(page)
