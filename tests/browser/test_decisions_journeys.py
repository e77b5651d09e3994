"""The decision log in real Chromium: the new PM's reading journey, and the chief of staff writing a
decision that the principal then decides. axe runs on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from decisions.models import Decision
from orgfiles import snapshot
from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_org(principal, chief_of_staff, contributor) -> None:
    """The sample organization, its people linked to the logins of the role fixtures (vp, cos, pm)."""
    snapshot.load(snapshot.read_path(snapshot.DEFAULT_SAMPLE), replace=True)


def results(page: Page):
    return page.locator("#decision-results")


def test_a_new_pm_finds_out_why_enterprise_pricing_is_what_it_is(page: Page, live_server, sample_org) -> None:
    log_in(page, live_server.url, "pm")
    page.get_by_role("link", name="Decisions").click()
    expect(page.get_by_role("heading", name="Decision log")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "decisions-log")

    # Search: the results update in place, and the address bar follows.
    page.get_by_label("Search titles and questions").fill("price")
    expect(results(page).get_by_role("heading")).to_contain_text("match these filters")
    expect(page).to_have_url(re.compile(r"/decisions/\?q=price$"))
    expect(
        results(page).get_by_role("link", name="Price government seats at list, with no pilot discount")
    ).to_be_visible()

    # Filter by surface: only enterprise pricing remains, newest first.
    page.get_by_label("Surface").select_option(label="Enterprise deployments")
    expect(page).to_have_url(re.compile(r"/decisions/\?q=price&surface=enterprise$"))
    links = results(page).locator("a.decision-link")
    expect(links).to_have_text(
        [
            "Price enterprise deployments as committed-capacity tiers",
            "Price enterprise deployments per GPU-hour",
            "Price enterprise deployments per seat",
        ]
    )
    assert_accessible(page)
    screenshot(page, "decisions-log-filtered")

    # The filtered view is a bookmark: reloading it shows the same decisions.
    page.reload()
    expect(page.get_by_label("Surface")).to_have_value("enterprise")
    expect(results(page).locator("a.decision-link")).to_have_count(3)

    # Open the oldest: the page says at once that it was superseded, and by what.
    results(page).get_by_role("link", name="Price enterprise deployments per seat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Price enterprise deployments per seat")
    expect(page.get_by_text("What was rejected, and why")).to_be_visible()
    expect(page.locator(".superseded-note")).to_contain_text("D-9 Price enterprise deployments per GPU-hour")
    assert_accessible(page)
    screenshot(page, "decision-superseded")

    # Follow the supersession chain forward, to the decision in force.
    chain = page.get_by_role("region", name="Supersession chain")
    expect(chain.get_by_role("listitem")).to_have_count(3)
    chain.get_by_role("link", name=re.compile("per GPU-hour")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Price enterprise deployments per GPU-hour")
    page.get_by_role("region", name="Supersession chain").get_by_role(
        "link", name=re.compile("committed-capacity")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Price enterprise deployments as committed-capacity tiers"
    )
    summary = page.locator(".decision-summary")
    expect(summary).to_contain_text("Annual committed-capacity tiers")
    expect(summary).to_contain_text("Per GPU-hour with an annual minimum")
    expect(summary).to_contain_text("If more than a third of tier customers exceed their commitment")
    expect(
        page.get_by_role("region", name="Supersession chain").locator("[aria-current=page]")
    ).to_contain_text("D-17")
    assert_accessible(page)
    screenshot(page, "decision-in-force")

    # And its history.
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History of D-17")).to_be_visible()
    expect(page.locator(".history-entry").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "decision-history")

    # The timeline links every decision.
    page.goto(f"{live_server.url}/decisions/timeline/")
    expect(page.locator("svg.timeline a.tl-mark").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "decisions-timeline")
    page.locator('svg.timeline a[aria-label^="D-17:"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Price enterprise deployments as committed-capacity tiers"
    )


def test_the_chief_of_staff_writes_a_decision_and_the_principal_decides_it(
    page: Page, live_server, sample_org
) -> None:
    log_in(page, live_server.url, "cos")
    page.goto(f"{live_server.url}/decisions/new/")
    expect(page.get_by_role("heading", name="New decision")).to_be_visible()
    page.get_by_label("Title").fill("Default retention for enterprise audit logs")
    page.get_by_label("Question").fill("How long do enterprise deployments keep audit logs by default?")
    page.get_by_label("Surface").select_option(label="Enterprise deployments")
    page.get_by_label("Needed by").fill("2030-01-15")

    titles = ["90 days", "1 year", "7 years, for regulated customers"]
    for number, title in enumerate(titles, start=1):
        page.get_by_role("button", name="Add option").click()
        row = page.get_by_role("group", name=f"Option {number}")
        expect(row).to_be_visible()
        expect(row.get_by_label("Option", exact=True)).to_be_focused()
        row.get_by_label("Option", exact=True).fill(title)
        row.get_by_label("Pros").fill(f"Pro of {title}")
    expect(page.locator("#id_options-TOTAL_FORMS")).to_have_value("3")

    page.get_by_role("button", name="Add stakeholder").click()
    stakeholder = page.get_by_role("group", name="Stakeholder 1")
    stakeholder.get_by_label("Person").select_option(
        label="Carla Mendes (VP of Platform, Northbank Financial)"
    )
    stakeholder.get_by_label("Stance").select_option("support")
    stakeholder.get_by_label("Their actual position").fill("Northbank's auditors ask for seven years.")
    assert_accessible(page)
    screenshot(page, "decision-new-with-rows")

    page.get_by_role("button", name="Save and open for decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Default retention for enterprise audit logs")
    expect(page.locator(".decision-title-row .badge")).to_have_text("Open")
    expect(page.locator(".option-list > li")).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "decision-opened")
    decision = Decision.objects.get(title="Default retention for enterprise audit logs")
    assert [o.title for o in decision.options.all()] == titles

    page.get_by_role("button", name="Sign out").click()
    log_in(page, live_server.url, "vp")
    page.goto(f"{live_server.url}/decisions/{decision.key}/")
    page.get_by_role("link", name="Record the outcome").click()
    form = page.locator(f"#outcome-{decision.key}")
    expect(form).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/decisions/{decision.key}/$"))  # loaded in place
    form.get_by_role("radio", name="1 year").check()
    form.get_by_label("The reasoning that prevailed").fill(
        "A year covers every audit cycle we have seen; **seven years** is a per-customer setting, not a default."
    )
    form.get_by_text("Why were the others rejected?").click()
    form.get_by_label("Why “90 days” was rejected").fill("Shorter than one audit cycle.")
    form.get_by_label("Why “7 years, for regulated customers” was rejected").fill(
        "Storage cost for everyone, for a few."
    )
    assert_accessible(page)
    screenshot(page, "decision-outcome-form")
    form.get_by_role("button", name="Record the decision").click()

    expect(page.locator(".decision-title-row .badge")).to_have_text("Decided")
    summary = page.locator(".decision-summary")
    expect(summary).to_contain_text("What was decided")
    expect(summary).to_contain_text("1 year")
    expect(summary).to_contain_text("Shorter than one audit cycle.")
    expect(page.locator(".prose strong")).to_have_text("seven years")
    expect(page.get_by_role("status").first).to_contain_text(f"{decision.key} decided")
    assert_accessible(page)
    screenshot(page, "decision-decided")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DECIDED
    assert decision.chosen_option.title == "1 year"
