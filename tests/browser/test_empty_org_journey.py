"""From an empty database, the chief of staff sets up the org in the browser: two surfaces, five
people (two outside the company, one added in place from a picker), three workstreams, an
engagement for tomorrow with its attendees and their positions, and a login for a PM, who signs in
through the one-time link; the dashboard and the radar show the new org. Axe on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, log_in, screenshot
from workstreams.models import Workstream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_surface(page: Page, name: str, description: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Add the surface"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("Description").fill(description)
    form.get_by_role("button", name="Add the surface").click()
    expect(page.locator("#notices")).to_contain_text(f"Surface {name} added")


def add_person(page: Page, url: str, **fields: str) -> None:
    page.goto(f"{url}/people/new/")
    page.get_by_label("Name").fill(fields["name"])
    page.get_by_label("Title").fill(fields.get("title", ""))
    page.get_by_label("Organization").fill(fields.get("organization", ""))
    page.get_by_label("Affiliation").select_option(fields.get("affiliation", "internal"))
    page.get_by_label("Email").fill(fields.get("email", ""))
    if "surface" in fields:
        page.get_by_label("Surface").select_option(label=fields["surface"])
    page.get_by_role("button", name="Add to the directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fields["name"])


def start_workstream(
    page: Page, url: str, name: str, surface: str, state: str = "on_track", **more: str
) -> None:
    page.goto(f"{url}/workstreams/new/")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Surface").select_option(label=surface)
    if "owner" in more:
        page.get_by_label("Owner").select_option(label=more["owner"])
    page.get_by_label("State").select_option(state)
    if "blocker" in more:
        page.get_by_label("Blocker").fill(more["blocker"])
    if "note" in more:
        page.get_by_label("First status note").fill(more["note"])
    page.get_by_role("button", name="Start the workstream").click()
    expect(page.get_by_role("heading", name="Status map")).to_be_visible()


def test_the_chief_of_staff_sets_up_an_empty_org_in_the_browser(
    page: Page, live_server, chief_of_staff, browser
) -> None:
    url = live_server.url
    log_in(page, url, "cos")

    # Two surfaces.
    page.goto(f"{url}/surfaces/")
    expect(page.get_by_text("No surface yet")).to_be_visible()
    assert_accessible(page)
    add_surface(page, "Government", "Agencies buying under FedRAMP.")
    add_surface(page, "Enterprise deployments", "Private deployments in customers' clouds.")
    expect(page.locator("table")).to_contain_text("Enterprise deployments")
    assert_accessible(page)
    screenshot(page, "setup-surfaces")

    # Four people from the directory (two of them outside the company)...
    page.goto(f"{url}/people/")
    assert_accessible(page)
    add_person(page, url, name="Wei Chen", title="Product manager", surface="Government")
    add_person(
        page,
        url,
        name="Lena Park",
        title="Product manager",
        email="lena@example.com",
        surface="Enterprise deployments",
    )
    add_person(page, url, name="Ben Whitaker", title="Deputy CIO", organization="FDSA", affiliation="agency")
    add_person(
        page, url, name="Kim Ode", title="Head of platform", organization="Northbank", affiliation="customer"
    )
    assert_accessible(page)
    page.goto(f"{url}/people/?affiliation=external")
    expect(page.locator("table tbody tr")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "setup-people")

    # Three workstreams; the fifth person is added in place from the owner picker.
    start_workstream(
        page, url, "FedRAMP High boundary", "Government", owner="Wei Chen", note="Boundary diagram drafted."
    )
    page.goto(f"{url}/workstreams/new/")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Northbank private deployment")
    page.get_by_label("Surface").select_option(label="Enterprise deployments")
    page.evaluate("window.__noReload = 'still here'")
    page.get_by_text("Add someone new").click()
    picker = page.locator("#id_owner-picker")
    picker.get_by_label("New person's name").fill("Omar Haddad")
    picker.get_by_label("Their title").fill("Engineering manager")
    assert_accessible(page)
    screenshot(page, "setup-picker-open")
    picker.get_by_role("button", name="Add and choose").click()
    expect(picker).to_contain_text("Added Omar Haddad to the directory and chose them")
    expect(page.get_by_label("Owner")).to_have_value("omar-haddad")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Northbank private deployment")
    assert page.evaluate("window.__noReload") == "still here", "the form was kept, not reloaded"
    page.get_by_label("State").select_option("blocked")
    page.get_by_label("Blocker").fill("Customer-managed keys for the vector store")
    assert_accessible(page)
    page.get_by_role("button", name="Start the workstream").click()
    expect(page.get_by_role("heading", name="Status map")).to_be_visible()
    start_workstream(page, url, "Agency onboarding runbook", "Government")
    government = page.locator(
        "section.ws-surface", has=page.get_by_role("heading", name=re.compile("^Government"))
    )
    expect(government).to_contain_text("FedRAMP High boundary")
    expect(government).to_contain_text("Agency onboarding runbook")
    assert_accessible(page)
    screenshot(page, "setup-map")
    assert Workstream.objects.count() == 3

    # An engagement for tomorrow with its attendees, then their positions on the brief.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.goto(f"{url}/briefs/")
    page.get_by_role("link", name="New engagement").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Northbank pilot review")
    page.get_by_label("Kind").select_option("customer_briefing")
    page.get_by_label("Starts").fill(f"{tomorrow.isoformat()}T10:00")
    page.get_by_label("Counterpart").fill("Northbank")
    page.get_by_label("Surface").select_option(label="Enterprise deployments")
    page.get_by_label("Kim Ode (Northbank)").check()
    page.get_by_label("Lena Park").check()
    page.get_by_role("button", name="Put it on the calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northbank pilot review")
    expect(page.locator("#brief-readiness")).to_contain_text("No objective")
    assert_accessible(page)
    for person, stance, words in [
        ("Kim Ode, Northbank", "support", "Wants the pilot live before their audit in March."),
        ("Lena Park", "neutral", "Needs the key-management answer first."),
    ]:
        page.get_by_text("Record a position for this engagement").click()
        form = page.locator("details.position-add form")
        form.get_by_label("Stakeholder").select_option(label=person)
        form.get_by_label("Stance").select_option(stance)
        form.get_by_label("Their position, in their words").fill(words)
        form.get_by_role("button", name=re.compile("^Record")).click()
        expect(page.locator("#brief-positions")).to_contain_text(words)
    assert_accessible(page)
    screenshot(page, "setup-brief")

    # A login for the PM, with the one-time link shown to the chief of staff.
    page.goto(f"{url}/people/lena-park/")
    page.get_by_role("link", name="Give a login").first.click()
    page.get_by_role("radio", name=re.compile("Contributor")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Give a login").click()
    link = page.get_by_label("Set-password link").input_value()
    assert "/accounts/set-password/" in link
    assert_accessible(page)
    screenshot(page, "setup-login")
    page.goto(f"{url}/people/lena-park/")
    expect(page.locator("main")).to_contain_text("Northbank pilot review")  # an engagement she attends
    expect(page.locator("main")).to_contain_text("Needs the key-management answer first.")  # her position
    assert_accessible(page)
    screenshot(page, "setup-person")
    # A surface still in use cannot be retired; the page says which workstreams to move.
    page.goto(f"{url}/surfaces/government/")
    page.get_by_role("button", name="Retire Government").click()
    expect(page.get_by_role("alert")).to_contain_text("Move them to another surface first")
    assert_accessible(page)
    screenshot(page, "setup-surface-retire-refused")

    # The PM, in a browser of their own, sets a password through the link and signs in.
    pm = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    pm.goto(link)
    expect(pm.get_by_role("heading", name="Set your password")).to_be_visible()
    assert_accessible(pm)
    pm.get_by_label("New password").fill("northbank pilot 2026!")
    pm.get_by_label("The same again").fill("northbank pilot 2026!")
    pm.get_by_role("button", name="Set the password").click()
    expect(pm.get_by_text("Your password is set")).to_be_visible()
    log_in(pm, url, "lena-park", "northbank pilot 2026!")
    expect(pm.locator(".shell-user")).to_contain_text("Contributor")
    # The dashboard and the radar show the new org.
    expect(pm.locator("main")).to_contain_text("Northbank pilot review")
    assert_accessible(pm)
    screenshot(pm, "setup-pm-dashboard")
    pm.goto(f"{url}/radar/")
    radar = pm.locator("main")
    expect(radar).to_contain_text("Agency onboarding runbook")  # no owner
    expect(radar).to_contain_text("Northbank pilot review")  # brief not ready
    assert_accessible(pm)
    screenshot(pm, "setup-pm-radar")
    # The link works once.
    pm.goto(link)
    expect(pm.get_by_text("does not work any more")).to_be_visible()
    pm.context.close()
