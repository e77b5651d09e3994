"""The chief of staff's operating rhythm in Chromium: the calendar by week and by month, recording an
occurrence that informed a decision and surfaced a blocker, the audit flagging the status readout,
and retiring it with a reason. axe on every page visited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rhythms.models import Occurrence
from rhythms.services import ritual_save
from tests.browser.helpers import assert_accessible, log_in, screenshot
from tests.rhythms.factories import DecisionFactory, EngagementFactory, RitualFactory, WorkstreamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def rhythm(chief_of_staff, person_of):
    me = person_of(chief_of_staff)
    yesterday = DAYS[(timezone.localdate() - dt.timedelta(days=1)).weekday()]
    review = ritual_save(
        ritual=RitualFactory.build(
            name="Weekly product review",
            rrule=f"FREQ=WEEKLY;BYDAY={yesterday}",
            starts_at=at(-120, 10),
            informs_decision="Launch go or no-go for the next two weeks.",
            surfaces_blocker="Workstreams stuck on a cross-team dependency.",
        ),
        attendees=[me],
    )
    readout = ritual_save(
        ritual=RitualFactory.build(
            name="Weekly status readout",
            kind="status_readout",
            rrule=f"FREQ=WEEKLY;BYDAY={DAYS[(timezone.localdate() - dt.timedelta(days=2)).weekday()]}",
            starts_at=at(-120, 11),
            purpose="Each team lead reads their status to the wider group.",
            informs_decision="Sequencing of launches across teams.",
            surfaces_blocker="Dependencies between teams.",
        ),
        attendees=[me],
    )
    for occurrence in Occurrence.objects.filter(ritual=readout, starts_at__lt=at(0, 0)).order_by(
        "-starts_at"
    )[:5]:
        occurrence.status = Occurrence.Status.HELD
        occurrence.notes = "Status read aloud."
        occurrence.save()
    # Tomorrow, unless today is Sunday: the week's calendar (Monday first) must show it.
    briefing_day = -1 if timezone.localdate().weekday() == 6 else 1
    EngagementFactory(title="Helix Research briefing", starts_at=at(briefing_day, 13), attendees=[me])
    return {
        "review": review,
        "readout": readout,
        "decision": DecisionFactory(title="Ship the enterprise pilot in December"),
        "blocker": WorkstreamFactory(name="Data residency for EU pilots"),
        "me": me,
    }


def test_the_chief_of_staff_records_audits_and_retires(page: Page, live_server, rhythm) -> None:
    log_in(page, live_server.url, "cos")

    # The calendar, this week: rituals and engagements together, today marked.
    page.goto(f"{live_server.url}/rhythms/")
    expect(page.get_by_role("heading", name="Calendar")).to_be_visible()
    expect(page.locator(".calendar-day.is-today")).to_have_count(1)
    expect(page.get_by_text("Helix Research briefing")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "rhythms-calendar-week")

    # The month, through htmx, with the address kept in the bar.
    page.get_by_role("navigation", name="Calendar view").get_by_role("link", name="Month").click()
    expect(page.locator("#rhythms-calendar.calendar-view-month")).to_be_visible()
    expect(page).to_have_url(re.compile(r"view=month"))
    assert page.locator(".calendar-week").count() >= 4
    assert_accessible(page)
    screenshot(page, "rhythms-calendar-month")
    page.get_by_role("link", name="Next month").click()
    expect(page).to_have_url(re.compile(r"view=month&date=\d{4}-\d{2}-01"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"view=month"))

    # Record yesterday's product review: it informed a decision and surfaced a blocker.
    page.goto(f"{live_server.url}/rhythms/{rhythm['review'].pk}/")
    expect(page.get_by_role("heading", name="Weekly product review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Record the occurrence of")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Record the occurrence of"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Held", exact=True).check()
    page.get_by_label("Notes").fill(
        "Agreed to ship the enterprise pilot; the EU pilots wait on data residency."
    )
    decision, blocker = rhythm["decision"], rhythm["blocker"]
    page.get_by_label(f"{decision.key} {decision.title}").check()
    page.get_by_label(f"{blocker.key} {blocker.name}").check()
    page.get_by_label("Commitment (1)").fill("Send the revised capacity plan")
    page.get_by_label("Who (1)").select_option(label="Daniel Reyes")
    page.get_by_label("Due (1)").fill((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Add a commitment row").click()
    expect(page.get_by_label("Commitment (3)")).to_be_visible()
    expect(page.get_by_label("Commitment (1)")).to_have_value("Send the revised capacity plan")
    page.get_by_role("button", name="Save the record").click()
    expect(page).to_have_url(re.compile(rf"/rhythms/{rhythm['review'].pk}/#occurrence-\d+"))
    record = page.locator(".occurrence").first
    expect(record).to_contain_text("Held")
    expect(record).to_contain_text(decision.key)
    expect(record).to_contain_text(blocker.key)
    expect(record).to_contain_text("Send the revised capacity plan")
    expect(page.get_by_role("status").first).to_contain_text("recorded as held")
    assert_accessible(page)

    # The audit: the readout is flagged, the product review earns its cost.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rhythms").click()
    page.get_by_role("link", name="Ritual audit").click()
    flagged = page.locator("section.panel-flagged")
    expect(flagged.get_by_role("link", name=re.compile(r"^R-\d+ Weekly status readout$"))).to_be_visible()
    expect(flagged).to_contain_text("ritual-theater")
    expect(page.locator("#audit-" + rhythm["review"].key)).to_contain_text("1 decision informed")
    assert_accessible(page)
    screenshot(page, "rhythms-audit")

    # Retire it, saying why; its record is kept and it is listed apart.
    flagged.get_by_role("link", name="Retire… Weekly status readout").click()
    form = page.locator(f"#retire-form-{rhythm['readout'].pk}")
    expect(form.get_by_label("Why retire it?")).to_be_visible()
    assert_accessible(page)
    form.get_by_role("button", name="Retire Weekly status readout").click()
    expect(form.get_by_text("Say why the ritual is retired")).to_be_visible()
    form.get_by_label("Why retire it?").fill(
        "Nothing decided in it for a month; the Monday async update covers it."
    )
    form.get_by_role("button", name="Retire Weekly status readout").click()
    expect(page).to_have_url(f"{live_server.url}/rhythms/audit/")
    retired = page.locator(".retired-list")
    expect(retired).to_contain_text("Weekly status readout")
    expect(retired).to_contain_text("the Monday async update covers it")
    expect(page.locator("section.panel-flagged")).not_to_contain_text("Weekly status readout")
    assert_accessible(page)
    screenshot(page, "rhythms-audit-after-retire")

    retired.get_by_role("link", name=re.compile("Weekly status readout")).click()
    expect(page.get_by_role("note").filter(has_text="Retired on")).to_contain_text(
        "the Monday async update covers it"
    )
    expect(page.locator(".occurrence-held")).to_have_count(5)

    # The feed page, for completeness of the rhythm's screens.
    page.goto(f"{live_server.url}/rhythms/feed/")
    expect(page.get_by_label("Feed address")).to_have_value(re.compile(r"/rhythms/feed/.+\.ics$"))
    assert_accessible(page)
