"""The VP's morning: the dashboard, a radar item's record and back, snoozing an item, and recording a
decision's outcome from the queue, in real Chromium with axe on every page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_org(principal) -> None:
    call_command("load_sample", "--replace")  # links the vp login to Maya Okafor


def test_the_vp_works_through_the_morning(page: Page, live_server, sample_org) -> None:
    log_in(page, live_server.url, "vp")

    # The dashboard: every panel, the radar's top item one click from its record and back.
    expect(page.get_by_role("heading", name=re.compile("Good (morning|afternoon|evening)"))).to_be_visible()
    for heading in (
        "Today and tomorrow",
        "Blocker radar",
        "Decision queue",
        "Slipped commitments",
        "Decided in the last 7 days",
        "Rituals not earning their cost",
    ):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("#dash-decided")).to_contain_text("SAML SSO is included in every enterprise tier")
    assert_accessible(page)
    screenshot(page, "vp-dashboard")
    first = page.locator("#dash-radar .radar-subject").first
    record_url = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(record_url)
    assert_accessible(page)
    page.go_back()
    expect(page.get_by_role("heading", name="Blocker radar", exact=True)).to_be_visible()

    # Snooze the radar's first item: it leaves the radar and is listed as snoozed.
    page.get_by_role("link", name="Full radar").click()
    expect(page.get_by_role("heading", name="Blocker radar", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "vp-radar")
    row = page.locator(".radar-row").first
    item_id = row.locator(".radar-item").get_attribute("id")
    subject = row.locator(".radar-subject .key").inner_text()
    row.locator("summary").click()
    row.get_by_label("Why").fill("Counsel has it on Thursday's agenda")
    row.get_by_role("button", name=f"Snooze {subject}").click()
    expect(page.locator(f'[id="{item_id}"]')).to_have_count(0)
    expect(page.locator(".snoozed-panel")).to_contain_text("Counsel has it on Thursday's agenda")
    assert_accessible(page)

    # The queue: record the outcome of the first open decision in place; it leaves the queue.
    page.get_by_role("link", name="Queue", exact=True).click()
    expect(page.get_by_role("heading", name="Decision queue", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "vp-queue")
    button = page.get_by_role("link", name=re.compile(r"^Record the outcome of D-\d+$")).first
    key = button.get_attribute("aria-label").rsplit(" ", 1)[-1]
    button.click()
    form = page.locator(f"#outcome-{key}")
    expect(form).to_be_visible()
    radios = form.get_by_role("radio")
    if radios.count():
        radios.first.check()
    form.get_by_label("What was decided").fill("We go with the first option for the next two quarters.")
    form.get_by_label("The reasoning that prevailed").fill(
        "It unblocks the waiting teams now and can be revisited."
    )
    assert_accessible(page)
    form.get_by_role("button", name="Record the decision").click()
    expect(page.locator(f"#queue-{key}")).to_have_count(0)
    expect(page.locator("#notices")).to_contain_text(f"{key} decided")
    assert_accessible(page)
