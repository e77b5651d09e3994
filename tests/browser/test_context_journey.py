"""The new PM's journey in real Chromium: walk the start-here path, open an entry, follow it to its
decision, search from the shell and open a result. axe on every page visited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from context_repo.models import ContextEntry, StartHereStep
from decisions.models import Decision
from leadership_os.models import Surface, Tag
from tests.browser.helpers import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org(contributor, chief_of_staff) -> dict[str, object]:
    today = timezone.localdate()
    gov = Surface.objects.create(key="government", name="Government")
    decision = Decision.objects.create(
        title="Lead government with sovereign deployments",
        question="Do we lead with the hosted API or with deployments inside the agency's boundary?",
        status=Decision.Status.DECIDED,
        outcome="Sovereign deployments first; the hosted API follows.",
        context="Agencies will not send mission data to a **multi-tenant** API this budget cycle.",
        reasoning="The deployable stack is what authorizing officials ask about.",
        decided_on=today - dt.timedelta(days=40),
    )
    bet = ContextEntry.objects.create(
        kind=ContextEntry.Kind.STRATEGY_BET,
        title="Sovereign deployments are the government wedge",
        body="Agencies will run a **sovereign deployment** inside their own boundary if we make it boring.\n\n"
        "- hardened images\n- offline model updates",
        surface=gov,
        dated_on=today - dt.timedelta(days=60),
        author=chief_of_staff,
    )
    bet.decisions.add(decision)
    signal = ContextEntry.objects.create(
        kind=ContextEntry.Kind.CUSTOMER_SIGNAL,
        title="The agency keeps evaluation artifacts inside its boundary",
        body="Their security lead stopped at the architecture diagram: scores leave the boundary.",
        source="Federal Digital Services Agency",
        surface=gov,
        dated_on=today - dt.timedelta(days=3),
    )
    signal.tags.add(Tag.objects.create(name="eval-data-residency"))
    ContextEntry.objects.create(
        kind=ContextEntry.Kind.RESOLVED_DEBATE,
        title="One model catalog across surfaces, not a separate government catalog",
        body="One catalog, with an accreditation status on each model version.\n\nTwo would drift.",
        dated_on=today - dt.timedelta(days=200),
        status=ContextEntry.Status.RESOLVED,
    )
    StartHereStep.objects.create(position=1, entry=bet, why="The bet behind every government conversation.")
    StartHereStep.objects.create(position=2, decision=decision, why="Read a whole decision record once.")
    StartHereStep.objects.create(
        position=3, entry=signal, why="What customers say when the bet meets reality."
    )
    return {"decision": decision, "bet": bet, "signal": signal}


def test_a_new_pm_walks_start_here_follows_an_entry_to_its_decision_and_searches(
    page: Page, live_server, org
) -> None:
    decision, bet, signal = org["decision"], org["bet"], org["signal"]
    log_in(page, live_server.url, "pm")

    # The path, from the navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Context").click()
    expect(page.get_by_role("heading", name="Context", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "context-list")
    # Tabs and filters update the list in place and the address bar, so a view can be shared.
    page.get_by_role("navigation", name="Kinds of entry").get_by_role(
        "link", name=re.compile("Customer signal")
    ).click()
    expect(page).to_have_url(re.compile(r"/context/\?kind=customer_signal$"))
    expect(page.locator(".entry-row")).to_have_count(1)
    page.get_by_label("Surface").select_option("government")
    expect(page).to_have_url(re.compile(r"/context/\?kind=customer_signal&surface=government$"))
    expect(page.locator(".entry-row")).to_have_count(1)
    page.get_by_role("navigation", name="Kinds of entry").get_by_role(
        "link", name=re.compile("Strategy bet")
    ).click()
    expect(page).to_have_url(re.compile(r"kind=strategy_bet&surface=government$"))
    expect(page.locator(".entry-row")).to_contain_text(bet.title)

    page.get_by_role("link", name="Start here").first.click()
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    expect(page.get_by_text("0 of 3")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "start-here")

    # Step 1: read it, mark it read in place.
    page.get_by_role("link", name="Begin with step 1").click()
    expect(page.get_by_role("heading", name=bet.title)).to_be_visible()
    expect(page.locator("[data-markdown] strong")).to_have_text("sovereign deployment")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as read", exact=True).click()
    expect(page.get_by_text("You marked this step read.")).to_be_visible()
    expect(page.locator("#path-progress")).to_contain_text("1 of 3")
    expect(page.locator("#path-nav li").first).to_contain_text("read")
    assert_accessible(page)
    screenshot(page, "start-here-step-read")

    # Step 2 is a decision: its outcome and reasoning, and the way to the decision page.
    page.get_by_role("link", name="Next step").click()
    expect(page.get_by_role("heading", name=decision.title)).to_be_visible()
    expect(page.get_by_text("Sovereign deployments first; the hosted API follows.")).to_be_visible()
    expect(page.get_by_role("link", name=f"Open the decision {decision.key}")).to_have_attribute(
        "href", f"/decisions/{decision.key}/"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Mark as read and go to step 3").click()
    expect(page).to_have_url(re.compile(r"/context/start-here/3/$"))
    expect(page.locator("#path-progress")).to_contain_text("2 of 3")
    page.get_by_role("link", name="Previous step").click()
    expect(page).to_have_url(re.compile(r"/context/start-here/2/$"))
    expect(page.get_by_text("You marked this step read.")).to_be_visible()

    # Open an entry from the path, and follow it to its decision.
    page.get_by_role("link", name="Start here").first.click()
    page.get_by_role("link", name=bet.title).click()
    page.get_by_role("link", name=f"Open {bet.key} in the repository").click()
    expect(page.get_by_role("heading", name=bet.title)).to_be_visible()
    decisions = page.get_by_role("region", name="Decisions")
    link = decisions.get_by_role("link", name=re.compile(decision.title))
    expect(link).to_have_attribute("href", f"/decisions/{decision.key}/")
    assert_accessible(page)
    screenshot(page, "context-entry")
    with page.expect_navigation() as navigation:
        link.click()
    expect(page).to_have_url(f"{live_server.url}/decisions/{decision.key}/")
    if navigation.value and navigation.value.status == 200:  # the decision page, once the log is built
        expect(page.get_by_role("heading", name=re.compile(decision.title))).to_be_visible()
        assert_accessible(page)

    # Search from the shell: results as you type, then open one.
    page.goto(f"{live_server.url}/context/")
    box = page.get_by_role("searchbox", name="Search everything")
    box.click()
    box.press_sequentially("evaluation artif", delay=40)
    result = page.locator("#shell-search-results").get_by_role(
        "link", name=re.compile("evaluation artifacts")
    )
    expect(result).to_be_visible()
    expect(result.locator("mark").first).to_have_text("evaluation")
    assert_accessible(page)
    screenshot(page, "search-dropdown")
    page.locator(".shell-footer").click()  # a click elsewhere closes it
    expect(page.locator("#shell-search-results")).to_be_empty()
    box.fill("")
    box.press_sequentially("evaluation artifact", delay=40)
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", name=signal.title)).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/context/{signal.key}/")

    # Enter gives the plain results page, with the type filter.
    box = page.get_by_role("searchbox", name="Search everything")
    box.fill("sovereign")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect(page.locator(".search-hit")).to_have_count(2)
    page.get_by_label("Type").select_option("decision")
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"type=decision"))
    assert_accessible(page)
    screenshot(page, "search-page")


def test_the_chief_of_staff_curates_the_path_and_sees_the_signals(page: Page, live_server, org) -> None:
    log_in(page, live_server.url, "cos")
    page.goto(f"{live_server.url}/context/start-here/edit/")
    expect(page.get_by_role("heading", name="Edit the start-here path")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Move step 3 up").click()
    expect(page.locator(".curate-step").nth(1)).to_contain_text(org["signal"].title)
    page.get_by_label("Entry or decision").fill(org["decision"].key)
    page.get_by_label("Why it matters").fill("Read it twice.")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(".curate-step")).to_have_count(4)
    page.get_by_role("button", name="Remove step 4").click()
    expect(page.locator(".curate-step")).to_have_count(3)
    assert_accessible(page)
    screenshot(page, "start-here-edit")

    page.goto(f"{live_server.url}/context/signals/")
    theme = page.get_by_role("region", name="eval-data-residency")
    expect(theme.get_by_role("img", name=re.compile("Signals per week"))).to_be_visible()
    expect(theme).to_contain_text("No decision yet")
    assert_accessible(page)
    screenshot(page, "signals")

    # No re-litigation: typing an open question shows the debate that settled it.
    page.goto(f"{live_server.url}/context/new/?kind=open_question")
    expect(page.get_by_role("heading", name="New context entry")).to_be_visible()
    page.get_by_label("Title").press_sequentially("Should government get its own model catalog?", delay=10)
    settled = page.locator("#settled-matches")
    expect(settled).to_contain_text("One model catalog across surfaces")
    expect(settled).to_contain_text("One catalog, with an accreditation status on each model version.")
    assert_accessible(page)
    screenshot(page, "context-new-settled")
    page.get_by_label("Kind").select_option("note")
    expect(settled).to_be_empty()
    page.get_by_label("Kind").select_option("open_question")
    expect(settled).to_contain_text("One model catalog across surfaces")
    page.get_by_label("Body").fill("Smaller agencies ask for older, accredited versions only.")
    page.get_by_label("Tags").fill("model-catalog")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Should government get its own model catalog?")).to_be_visible()
    expect(page.locator("#notices")).to_contain_text("saved")
