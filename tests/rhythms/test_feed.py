"""The calendar feed: a secret, revocable address; RFC 5545 content that two independent parsers
read and expand to exactly the app's own occurrences."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse

from rhythms.feed import person_feed
from rhythms.models import FeedToken, Occurrence
from rhythms.services import feed_token_for, ritual_save, window
from tests.rhythms.factories import EngagementFactory, RitualFactory, local

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("rhythms:feed", args=[feed_token_for(user).token])


# The secret address --------------------------------------------------------------------------


def test_the_feed_is_reached_without_a_login_through_its_token(chief_of_staff) -> None:
    response = Client().get(feed_url(chief_of_staff))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.startswith(b"BEGIN:VCALENDAR")


@pytest.mark.parametrize("token", ["nope", "x" * 32, "", "../../etc"])
def test_a_feed_without_a_valid_token_is_404(chief_of_staff, token) -> None:
    feed_token_for(chief_of_staff)
    assert Client().get(f"/rhythms/feed/{token}.ics").status_code == 404


def test_regenerating_revokes_the_old_address(chief_of_staff) -> None:
    client = Client()
    client.force_login(chief_of_staff)
    old = feed_url(chief_of_staff)
    response = client.post(reverse("rhythms:feed_regenerate"))
    assert response.status_code == 302
    new = feed_url(chief_of_staff)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert FeedToken.objects.filter(user=chief_of_staff).count() == 1


def test_regenerating_with_htmx_answers_with_the_new_address_in_place(chief_of_staff) -> None:
    client = Client()
    client.force_login(chief_of_staff)
    old = feed_url(chief_of_staff)
    response = client.post(reverse("rhythms:feed_regenerate"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="rhythms-feed-address"')
    assert feed_url(chief_of_staff) in body
    assert old not in body
    assert "no longer works" in body


def test_regenerating_needs_a_post(chief_of_staff) -> None:
    client = Client()
    client.force_login(chief_of_staff)
    assert client.get(reverse("rhythms:feed_regenerate")).status_code == 405


def test_the_feed_page_shows_the_users_own_address(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    response = client.get(reverse("rhythms:feed_settings"))
    assert response.status_code == 200
    assert f"http://testserver{feed_url(viewer)}" in response.content.decode()
    assert "webcal://testserver/rhythms/feed/" in response.content.decode()


def test_a_deactivated_users_feed_is_404(chief_of_staff) -> None:
    url = feed_url(chief_of_staff)
    chief_of_staff.is_active = False
    chief_of_staff.save()
    assert Client().get(url).status_code == 404


def test_a_user_without_a_person_gets_an_empty_but_valid_calendar(staff) -> None:
    response = Client().get(feed_url(staff))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert list(calendar.walk("VEVENT")) == []


# The content -----------------------------------------------------------------------------------


def build_org(person, other, today: dt.date):
    weekly = RitualFactory(
        name="Weekly product review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=local(2026, 6, 2, 10),
        attendees=[person],
    )
    biweekly = RitualFactory(
        name="Architecture review",
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        starts_at=local(2026, 6, 4, 14),
        duration_minutes=90,
        owner=person,
    )
    monthly = RitualFactory(
        name="GTM sync",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        starts_at=local(2026, 6, 4, 16),
        attendees=[person, other],
    )
    not_mine = RitualFactory(name="Someone else's sync", attendees=[other])
    retired = RitualFactory(
        name="Old standup", attendees=[person], is_active=False, retired_on=today, retired_reason="Replaced."
    )
    for ritual in (weekly, biweekly, monthly, not_mine, retired):
        ritual_save(ritual=ritual, today=today)
    occurrences = list(Occurrence.objects.filter(ritual=weekly).order_by("scheduled_for"))
    skipped, moved = occurrences[3], occurrences[5]
    skipped.status = Occurrence.Status.SKIPPED
    skipped.save()
    moved.starts_at = moved.scheduled_for + dt.timedelta(days=1, hours=1)
    moved.status = Occurrence.Status.HELD
    moved.save()
    engagement = EngagementFactory(
        title="Helix briefing", starts_at=local(2026, 11, 26, 13), attendees=[person]
    )
    EngagementFactory(title="Not mine", attendees=[other])
    return {"weekly": weekly, "biweekly": biweekly, "monthly": monthly, "skipped": skipped, "moved": moved,
            "engagement": engagement, "not_mine": not_mine, "retired": retired}  # fmt: skip


@pytest.fixture
def org(chief_of_staff, person_of):
    from tests.factories import PersonFactory

    return build_org(person_of(chief_of_staff), PersonFactory(key="other"), dt.date(2026, 11, 24))


def parsed(user) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(Client().get(feed_url(user)).content)


def test_the_feed_holds_the_rituals_and_engagements_the_user_attends_or_owns(chief_of_staff, org) -> None:
    calendar = parsed(chief_of_staff)
    summaries = sorted({str(e["SUMMARY"]) for e in calendar.walk("VEVENT")})
    assert summaries == ["Architecture review", "GTM sync", "Helix briefing", "Weekly product review"]


def test_each_event_has_a_stable_uid_a_stamp_and_the_configured_zone(chief_of_staff, org) -> None:
    calendar = parsed(chief_of_staff)
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {
        f"ritual-{org['weekly'].key}@leadership-os",
        f"ritual-{org['biweekly'].key}@leadership-os",
        f"ritual-{org['monthly'].key}@leadership-os",
        f"engagement-{org['engagement'].key}@leadership-os",
    }
    for event in calendar.walk("VEVENT"):
        assert "DTSTAMP" in event
        if "RRULE" in event:
            assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert parsed(chief_of_staff).walk("VEVENT")[0]["UID"] == calendar.walk("VEVENT")[0]["UID"]


def test_rituals_recur_with_their_rule_skips_are_exdates_and_moves_are_overrides(chief_of_staff, org) -> None:
    events = {}
    overrides = []
    for event in parsed(chief_of_staff).walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            overrides.append(event)
        else:
            events[str(event["SUMMARY"])] = event
    weekly = events["Weekly product review"]
    assert weekly["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert weekly["DTSTART"].dt == local(2026, 6, 2, 10)
    exdates = [d.dt for d in weekly["EXDATE"].dts]
    assert exdates == [org["skipped"].scheduled_for]
    assert len(overrides) == 1
    assert str(overrides[0]["UID"]) == str(weekly["UID"])
    assert overrides[0]["RECURRENCE-ID"].dt == org["moved"].scheduled_for
    assert overrides[0]["DTSTART"].dt == org["moved"].starts_at
    assert "RRULE" not in events["Helix briefing"]


def app_dates(ritual, first: dt.date, last: dt.date) -> list[dt.datetime]:
    tz = local(2026, 1, 1).tzinfo
    return sorted(
        o.starts_at
        for o in Occurrence.objects.filter(ritual=ritual).exclude(status=Occurrence.Status.SKIPPED)
        if first <= o.starts_at.astimezone(tz).date() <= last
    )


@pytest.mark.parametrize("today", [dt.date(2026, 11, 24), dt.date(2027, 3, 10)])
def test_expanding_the_feed_gives_exactly_the_apps_occurrences(chief_of_staff, person_of, today) -> None:
    """Two parsers: icalendar reads the file, recurring-ical-events expands its rules, exceptions and
    overrides; the dates must be the app's own, across both daylight-saving changes."""
    from tests.factories import PersonFactory

    org = build_org(person_of(chief_of_staff), PersonFactory(key="other"), today)
    calendar = parsed(chief_of_staff)
    first, last = window(today)
    expanded = recurring_ical_events.of(calendar).between(first, last + dt.timedelta(days=1))
    by_uid: dict[str, list[dt.datetime]] = {}
    for event in expanded:
        by_uid.setdefault(str(event["UID"]), []).append(event["DTSTART"].dt)
    for name in ("weekly", "biweekly", "monthly"):
        ritual = org[name]
        feed = sorted(by_uid[f"ritual-{ritual.key}@leadership-os"])
        expected = app_dates(ritual, first, last)
        assert len(expected) >= 4
        assert [d.astimezone(dt.UTC) for d in feed] == [d.astimezone(dt.UTC) for d in expected], name
        # Every instance keeps its local time of day, standard time or daylight time.
        assert (
            len({d.astimezone(local(2026, 1, 1).tzinfo).time() for d in feed if d != org["moved"].starts_at})
            == 1
        )


def test_the_feed_builder_is_the_same_bytes_for_the_same_moment(chief_of_staff, person_of, org) -> None:
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    person = person_of(chief_of_staff)
    assert person_feed(person, now=now) == person_feed(person, now=now)
    assert b"DTSTAMP:20261124T120000Z" in person_feed(person, now=now)
