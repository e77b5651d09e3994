"""The chief of staff's intake journey in real Chromium: paste a product review's notes, accept some
proposals, edit an owner in place, point one at an existing commitment, drop one; then the ledger,
the decision log, the signals page and the radar show the result. axe on every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from context_repo.models import ContextEntry
from intake.models import Proposal, Provenance
from leadership_os.models import Person, Tag
from tests.browser.helpers import assert_accessible, log_in, screenshot
from workstreams.models import Commitment, State, Workstream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = """# Product review {today}

Attendees: Maya Okafor, Daniel Reyes, Priya Natarajan
Note taker: Daniel Reyes

## Agenda
1. Review the agent console beta checklist
2. Goal: decide the audit export

## Notes
- {ws} is blocked on the vendor's security questionnaire.
- Decision: the beta ships without the audit log export.
- Northwind asked for SCIM provisioning again; their CISO calls it a blocker.
- Maya is against a public waitlist.

## Action items
- Priya to send the beta invite list by Friday
- Draft the pricing memo for agencies
- Daniel will send Northwind the SCIM timeline next week
- Maya to review the launch blog post by Friday
"""


@pytest.fixture
def org(chief_of_staff, principal, contributor) -> dict[str, object]:
    today = timezone.localdate()
    Person.objects.create(
        key="grace-hill", name="Grace Hill", affiliation="customer", organization="Northwind"
    )
    workstream = Workstream.objects.create(
        name="Agent console beta", state=State.ON_TRACK, owner=Person.objects.get(key="pm")
    )
    promise = Commitment.objects.create(
        description="Send Northwind the SCIM timeline",
        owner=Person.objects.get(key="cos"),
        due_on=today - dt.timedelta(days=2),
        original_due_on=today - dt.timedelta(days=2),
    )
    scim = Tag.objects.create(name="scim")
    for days_ago, title in ((3, "Contoso needs SCIM before rollout"), (6, "Fabrikam asks for SCIM groups")):
        entry = ContextEntry.objects.create(
            kind=ContextEntry.Kind.CUSTOMER_SIGNAL, title=title, dated_on=today - dt.timedelta(days=days_ago)
        )
        entry.tags.add(scim)
    return {"workstream": workstream, "promise": promise, "today": today}


def _card(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("article.intake-proposal", has_text=text)


def test_the_chief_of_staff_turns_product_review_notes_into_records(page: Page, live_server, org) -> None:
    workstream, promise, today = org["workstream"], org["promise"], org["today"]
    log_in(page, live_server.url, "cos")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", name="Meeting notes and threads in")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Paste the notes").fill(NOTES.format(today=today.isoformat(), ws=workstream.key))
    screenshot(page, "intake-inbox")
    page.get_by_role("button", name="Find proposals").click()

    # The review: the source beside its proposals, cited lines highlighted.
    expect(page.get_by_role("heading", name=f"Product review {today.isoformat()}")).to_be_visible()
    expect(page.locator("#L17.is-cited")).to_be_visible()
    expect(_card(page, "Draft the pricing memo")).to_contain_text("Owner unclear")
    screenshot(page, "intake-review")
    assert_accessible(page)

    # Accept the decision, the blocker, the signal and Priya's action.
    for text in ("the beta ships without", "security questionnaire", "Northwind asked", "Priya to send"):
        _card(page, text).get_by_role("button", name="Accept").click()
        expect(_card(page, text)).to_contain_text(
            "Accepted" if "beta ships" not in text else "Sent to a principal"
        )

    # Edit an owner (and the missing due date) in place, then accept.
    card = _card(page, "Draft the pricing memo")
    card.get_by_role("link", name="Edit").click()
    form = page.locator("article.is-editing")
    expect(form.get_by_label("Owner")).to_be_visible()
    assert_accessible(page)
    form.get_by_label("Owner").select_option(label="Priya Natarajan")
    form.get_by_label("Due").fill((today + dt.timedelta(days=5)).isoformat())
    screenshot(page, "intake-edit")
    form.get_by_role("button", name="Save").click()
    card = _card(page, "Draft the pricing memo")
    expect(card).to_contain_text("Priya Natarajan")
    card.get_by_role("button", name="Accept").click()
    expect(_card(page, "Draft the pricing memo")).to_contain_text("Accepted")

    # Point Daniel's promise at the commitment he already made: it is re-committed, not duplicated.
    card = _card(page, "SCIM timeline")
    card.get_by_role("link", name="Edit").click()
    form = page.locator("article.is-editing")
    form.get_by_label("About an existing record").fill(promise.key)
    form.get_by_role("button", name="Save").click()
    _card(page, "SCIM timeline").get_by_role("button", name="Accept").click()
    expect(_card(page, "SCIM timeline")).to_contain_text(promise.key)

    # Drop one.
    _card(page, "launch blog post").get_by_role("button", name="Drop").click()
    expect(_card(page, "launch blog post")).to_contain_text("Dropped")
    assert_accessible(page)
    screenshot(page, "intake-reviewed")

    promise.refresh_from_db()
    assert promise.recommitted_count == 1
    assert Proposal.objects.filter(status="dropped").count() == 1
    assert Provenance.objects.count() == 6

    # The follow-through ledger.
    page.goto(f"{live_server.url}/workstreams/commitments/")
    expect(page.get_by_text("Priya to send the beta invite list by Friday")).to_be_visible()
    expect(page.get_by_text("Draft the pricing memo for agencies")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "intake-ledger")

    # The decision log: an open decision waiting for a principal's outcome.
    page.goto(f"{live_server.url}/decisions/")
    expect(page.get_by_text("the beta ships without the audit log export.").first).to_be_visible()
    assert_accessible(page)

    # The signals page: a third SCIM signal in two weeks.
    page.goto(f"{live_server.url}/context/signals/")
    theme = page.locator("#theme-scim")
    expect(theme).to_contain_text("3")
    assert_accessible(page)
    screenshot(page, "intake-signals")

    # The radar: the undecided SCIM cluster, and the workstream now blocked.
    page.goto(f"{live_server.url}/radar/")
    expect(page.locator("main")).to_contain_text("signal-cluster-undecided")
    expect(page.locator("main")).to_contain_text("scim")
    expect(page.locator("main")).not_to_contain_text(promise.key)  # re-committed: no longer slipped
    assert_accessible(page)
    screenshot(page, "intake-radar")
    workstream.refresh_from_db()
    assert workstream.state == State.BLOCKED

    # The source is kept as a searchable meeting-notes entry.
    entry = ContextEntry.objects.get(kind=ContextEntry.Kind.MEETING_NOTES)
    page.goto(f"{live_server.url}/search/?q=questionnaire")
    expect(page.get_by_role("link", name=entry.title).first).to_be_visible()
