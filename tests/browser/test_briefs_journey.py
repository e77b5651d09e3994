"""The chief of staff brings tomorrow's customer briefing from "not ready" to "ready" by editing it
in place; the principal then opens its print view, which fits one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from orgfiles import snapshot
from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_org(principal, chief_of_staff) -> None:
    snapshot.load(snapshot.read_path(snapshot.DEFAULT_SAMPLE), replace=True)


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its /Type /Page objects (not the /Type /Pages tree)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_chief_of_staff_readies_tomorrows_briefing_and_the_principal_prints_it(
    page: Page, live_server, sample_org
) -> None:
    log_in(page, live_server.url, "cos")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Briefs").click()
    tomorrow = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Tomorrow")))
    card = tomorrow.locator("li.engagement-card", has_text="Helix Research: next-checkpoint access briefing")
    expect(card).to_contain_text("Not ready")
    expect(card).to_contain_text("Nadia Karim's stance is unknown")
    assert_accessible(page)
    screenshot(page, "briefs-list")

    card.get_by_role("link", name="Helix Research: next-checkpoint access briefing").click()
    brief_url = page.url
    readiness = page.locator("#brief-readiness")
    expect(readiness).to_contain_text("2 things missing")
    assert_accessible(page)

    # The one thing, written in place.
    page.get_by_role("link", name="Edit the one thing").click()
    editor = page.get_by_role("textbox", name="The one thing")
    expect(editor).to_be_focused()
    assert page.url == brief_url
    assert_accessible(page)
    editor.fill(
        "We widen access only after Helix runs our shared eval suite on the next checkpoint; that is the deal."
    )
    page.get_by_role("button", name="Save the one thing").click()
    expect(page.locator("#brief-one-thing")).to_contain_text("that is the deal")
    expect(readiness).to_contain_text("1 thing missing")
    expect(readiness).to_contain_text("Nadia Karim's stance is unknown")

    # Nadia's stance, settled in place: it moved since the last review.
    page.get_by_role("link", name="Edit Nadia Karim's position").click()
    form = page.locator("#stakeholder-nadia-karim form")
    form.get_by_label("Stance").select_option("neutral")
    form.get_by_label("Their position, in their words").fill(
        "Open to the eval-sharing terms, but wants her chief of staff to review the retention clause first."
    )
    form.get_by_label("Where we heard it").fill("Call with Tomás this morning")
    assert_accessible(page)
    form.get_by_role("button", name="Save Nadia Karim's position").click()
    expect(readiness).to_contain_text("Ready for the room")
    nadia = page.locator("#stakeholder-nadia-karim")
    expect(nadia).to_contain_text("Neutral")
    expect(nadia).to_contain_text("Changed since E-2")
    assert page.url == brief_url
    assert_accessible(page)
    screenshot(page, "brief-ready")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # The principal takes it into the room.
    log_in(page, live_server.url, "vp")
    page.goto(brief_url)
    expect(page.locator("#brief-readiness")).to_contain_text("Ready for the room")
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Helix Research: next-checkpoint access briefing"
    )
    expect(page.locator(".one-thing")).to_contain_text("that is the deal")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "brief-print-screen")

    # The page as it prints: US Letter less its margins (7.5 x 10.1 inches at 96 pixels an inch).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 720, "height": 970})
    page.screenshot(path="screenshots/brief-print.png", full_page=True)
    expect(page.locator(".print-toolbar")).to_be_hidden()
    pdf = page.pdf(format="Letter", prefer_css_page_size=True, print_background=True)
    Path("screenshots/brief-print.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1


def test_a_crowded_brief_still_prints_on_one_page(page: Page, live_server, sample_org) -> None:
    from briefs.models import Brief, Engagement, StakeholderPosition
    from leadership_os.models import Person

    engagement = Engagement.objects.get(key="E-6")
    words = " ".join(["considerably"] * 120)
    Brief.objects.filter(engagement=engagement).update(
        objective=f"Objective {words}",
        one_thing=f"One thing {words}",
        notes="\n".join(f"- Note {n}: {words}" for n in range(30)),
    )
    extra = [Person.objects.create(key=f"guest-{n}", name=f"Guest {n}", title="Observer") for n in range(8)]
    engagement.attendees.add(*extra)
    for person in extra:
        StakeholderPosition.objects.create(
            person=person,
            engagement=engagement,
            position=words,
            stance="neutral",
            recorded_on=engagement.starts_at.date(),
        )
    log_in(page, live_server.url, "vp")
    page.goto(f"{live_server.url}/briefs/{engagement.pk}/print/")
    expect(page.locator(".more")).to_contain_text("more in Leadership OS")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 720, "height": 970})
    page.screenshot(path="screenshots/brief-print-crowded.png", full_page=True)
    assert pdf_pages(page.pdf(format="Letter", prefer_css_page_size=True, print_background=True)) == 1
