"""Mail that reaches people: the worker sends the morning digest and a nudge through a real SMTP
server; the contributor follows the nudge's one-click link in Chromium and marks the commitment done
(once: the link then refuses); the digest's HTML is rendered and screenshotted; the preferences and
the staff's sent-mail pages pass axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from briefs.models import Engagement
from outbound.models import Delivery
from outbound.scheduler import tick
from tests.browser.helpers import assert_accessible, log_in, screenshot
from tests.factories import SurfaceFactory
from tests.outbound.conftest import (
    SmtpSink,
    at,
    links_in,
    mailable,
    parts,
    prefer,
    run_worker,
    smtp_server,
    today,
)
from tests.workstreams.factories import CommitmentFactory, StatusUpdateFactory, WorkstreamFactory
from workstreams.models import Commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    """A real SMTP server for the test (aiosmtpd)."""
    with smtp_server(settings) as sink:
        yield sink


@pytest.fixture
def sent(smtp, settings, live_server, principal, contributor, staff) -> dict[str, object]:
    settings.SITE_URL = live_server.url
    mailable(principal, "maya@example.com")
    mailable(contributor, "priya@example.com")
    prefer(principal)
    prefer(contributor, digest=False)
    gov = SurfaceFactory(key="government", name="Government")
    portal = WorkstreamFactory(name="Partner eval results portal", surface=gov, owner=contributor.person)
    StatusUpdateFactory(workstream=portal, posted_on=today() - dt.timedelta(days=2))
    WorkstreamFactory(
        name="FedRAMP High boundary",
        surface=gov,
        state="blocked",
        blocker="Waiting on the tenancy decision",
        blocked_since=today() - dt.timedelta(days=5),
    )
    Engagement.objects.create(
        title="FDSA accreditation readiness review",
        kind="government",
        counterpart="FDSA",
        starts_at=at(today() + dt.timedelta(days=1), 14),
        surface=gov,
    )
    promise = CommitmentFactory(
        owner=contributor.person,
        workstream=portal,
        due_on=today() + dt.timedelta(days=1),
        description="Publish the partner eval results to the portal",
    )
    tick(at(today(), 8))
    run_worker()
    return {"promise": promise}


def test_a_nudge_link_followed_in_chromium_marks_the_commitment_done_once(page: Page, sent, smtp) -> None:
    promise: Commitment = sent["promise"]  # type: ignore[assignment]
    nudge = next(m for m in smtp.to("priya@example.com"))
    assert (
        nudge["Subject"] == f"{promise.key} is due tomorrow: Publish the partner eval results to the portal"
    )
    text, html = parts(nudge)
    link = next(h for h in links_in(html) if "/outbound/act/" in h)
    assert link in text

    page.goto(link)
    expect(page.get_by_role("heading", name=f"Mark {promise.key} done")).to_be_visible()
    expect(page.get_by_text("Publish the partner eval results to the portal")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "outbound-act-form")
    promise.refresh_from_db()
    assert promise.done_on is None, "opening the link changes nothing"

    page.get_by_role("button", name="Mark it done").click()
    expect(page.get_by_text(f"{promise.key} is marked done. Thank you.")).to_be_visible()
    assert_accessible(page)
    promise.refresh_from_db()
    assert promise.done_on == today()

    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(page.get_by_text("already used")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "outbound-link-refused")


def test_the_html_digest_renders_in_the_products_look(page: Page, sent, smtp) -> None:
    digest = next(m for m in smtp.to("maya@example.com"))
    _, html = parts(digest)
    page.set_viewport_size({"width": 760, "height": 900})
    page.set_content(html)
    expect(page.get_by_role("heading", name="Good morning, Maya Okafor")).to_be_visible()
    expect(page.get_by_role("link", name="FDSA accreditation readiness review", exact=True)).to_be_visible()
    expect(page.get_by_text("Brief not ready")).to_be_visible()
    expect(page.get_by_role("link", name="FedRAMP High boundary").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "outbound-digest")


def test_preferences_and_the_sent_mail_log_pass_axe(page: Page, sent, live_server) -> None:
    log_in(page, live_server.url, "vp")
    page.goto(f"{live_server.url}/outbound/preferences/")
    expect(page.get_by_role("heading", name="Mail and feeds")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The morning digest").uncheck()
    page.get_by_label("Saturday").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your mail preferences are saved.")).to_be_visible()
    expect(page.get_by_label("The morning digest")).not_to_be_checked()
    screenshot(page, "outbound-preferences")

    page.context.clear_cookies()
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/outbound/sent/")
    expect(page.get_by_role("heading", name="Sent mail")).to_be_visible()
    assert page.locator("tbody tr").count() == Delivery.objects.count() == 2
    assert_accessible(page)
    screenshot(page, "outbound-sent")
    page.get_by_role("link", name="Your morning").click()
    expect(
        page.frame_locator("iframe.sent-preview").get_by_role("heading", name="Good morning, Maya Okafor")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "outbound-sent-detail")


def test_a_stale_update_nudge_link_posts_an_update_from_chromium(
    page: Page, smtp, settings, live_server, contributor
) -> None:
    from workstreams.models import StatusUpdate

    settings.SITE_URL = live_server.url
    mailable(contributor, "priya@example.com")
    prefer(contributor, digest=False)
    portal = WorkstreamFactory(name="Partner eval results portal", owner=contributor.person)
    StatusUpdateFactory(workstream=portal, posted_on=today() - dt.timedelta(days=6))
    tick(at(today(), 8))
    run_worker()
    _, html = parts(smtp.to("priya@example.com")[0])
    link = next(h for h in links_in(html) if "/outbound/act/" in h)

    page.goto(link)
    expect(page.get_by_role("heading", name=f"Post an update on {portal.key}")).to_be_visible()
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("Say what happened since the last update.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("State").select_option("at_risk")
    page.get_by_label("Note").fill("The vendor slipped a week; the portal opens on the 15th.")
    screenshot(page, "outbound-act-update")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text(f"Your update on {portal.key} is posted. Thank you.")).to_be_visible()
    assert StatusUpdate.objects.filter(workstream=portal, note__startswith="The vendor slipped").exists()
