"""The calendar feed read by independent iCalendar readers: icalendar with recurring-ical-events,
vobject (dateutil underneath) and ical.js (through Node, as calendar web apps read it). Each must
find every instance of every event at the very UTC instant the app itself has it, for a year ahead,
across both clock changes, in zones north and south of the equator."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.test import Client, override_settings
from django.urls import reverse

from rhythms.models import Occurrence
from rhythms.services import feed_token_for, ritual_instances, ritual_save
from rhythms.timezones import vtimezone
from tests.rhythms.factories import EngagementFactory, RitualFactory, local

pytestmark = pytest.mark.django_db

READERS_DIR = Path(__file__).resolve().parents[1] / "js"
Instants = dict[str, list[dt.datetime]]


# The readers ---------------------------------------------------------------------------------------


def read_with_icalendar(ics: bytes, low: dt.datetime, high: dt.datetime) -> Instants:
    calendar = icalendar.Calendar.from_ical(ics)
    found: Instants = {}
    for event in recurring_ical_events.of(calendar).between(low, high):
        found.setdefault(str(event["UID"]), []).append(event["DTSTART"].dt)
    return found


def read_with_vobject(ics: bytes, low: dt.datetime, high: dt.datetime) -> Instants:
    calendar = vobject.readOne(ics.decode())
    found: Instants = {}
    moved: dict[str, dict[dt.datetime, dt.datetime]] = {}
    for event in calendar.vevent_list:
        if hasattr(event, "recurrence_id"):
            moved.setdefault(event.uid.value, {})[event.recurrence_id.value] = event.dtstart.value
    for event in calendar.vevent_list:
        if hasattr(event, "recurrence_id"):
            continue
        uid = event.uid.value
        starts = event.getrruleset(addRDate=True) if hasattr(event, "rrule") else [event.dtstart.value]
        overrides = moved.get(uid, {})
        for start in starts:
            if start > high + dt.timedelta(days=7):
                break
            start = overrides.get(start, start)
            if low <= start < high:
                found.setdefault(uid, []).append(start)
    return found


def read_with_icaljs(ics: bytes, low: dt.datetime, high: dt.datetime) -> Instants:
    if shutil.which("node") is None or not (READERS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is missing: `make test` installs it (npm ci --prefix tests/js)")
    first = (low - dt.timedelta(days=1)).astimezone(dt.UTC).date()
    last = (high + dt.timedelta(days=1)).astimezone(dt.UTC).date()
    result = subprocess.run(
        ["node", str(READERS_DIR / "expand.mjs"), first.isoformat(), last.isoformat()],
        input=ics,
        capture_output=True,
        check=True,
        timeout=60,
    )
    found: Instants = {}
    for uid, starts in json.loads(result.stdout).items():
        for start in starts:
            instant = dt.datetime.fromisoformat(start)
            if low <= instant < high:
                found.setdefault(uid, []).append(instant)
    return found


READERS = {"icalendar": read_with_icalendar, "vobject": read_with_vobject, "ical.js": read_with_icaljs}


# The app's own instants ------------------------------------------------------------------------------


def in_utc(instants: Instants) -> dict[str, list[dt.datetime]]:
    return {uid: sorted(value.astimezone(dt.UTC) for value in values) for uid, values in instants.items()}


def build_year(person, today: dt.date) -> list:
    """Rituals at several times of day and cadences (Sunday ones fall on the clock changes), with
    one skipped and one moved occurrence."""
    rituals = [
        RitualFactory(name="Standup", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                      starts_at=local(2026, 1, 5, 8, 30), duration_minutes=15, attendees=[person]),
        RitualFactory(name="Weekly review", rrule="FREQ=WEEKLY;BYDAY=TU",
                      starts_at=local(2026, 1, 6, 10), attendees=[person]),
        RitualFactory(name="Sunday planning", rrule="FREQ=WEEKLY;BYDAY=SU",
                      starts_at=local(2026, 1, 4, 18), attendees=[person]),
        RitualFactory(name="Architecture", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                      starts_at=local(2026, 1, 8, 14), owner=person),
        RitualFactory(name="Monthly business review", rrule="FREQ=MONTHLY;BYDAY=1MO",
                      starts_at=local(2026, 1, 5, 16), attendees=[person]),
    ]  # fmt: skip
    for ritual in rituals:
        ritual_save(ritual=ritual, today=today)
    weekly = list(Occurrence.objects.filter(ritual=rituals[1], scheduled_for__date__gt=today))
    skipped, moved = weekly[1], weekly[3]
    skipped.status = Occurrence.Status.SKIPPED
    skipped.save()
    moved.starts_at = moved.scheduled_for + dt.timedelta(days=1, hours=2)
    moved.save()
    return rituals


def app_instants(rituals, first: dt.date, last: dt.date) -> Instants:
    expected: Instants = {}
    for ritual in rituals:
        starts = set(ritual_instances(ritual, first, last))
        for occurrence in Occurrence.objects.filter(ritual=ritual):
            if occurrence.scheduled_for in starts:
                starts.discard(occurrence.scheduled_for)
                if occurrence.status != Occurrence.Status.SKIPPED:
                    starts.add(occurrence.starts_at)
        expected[f"ritual-{ritual.key}@leadership-os"] = list(starts)
    return expected


ZONES = ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney"]


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("zone", ZONES)
def test_every_reader_finds_the_apps_instants_for_a_year_across_both_clock_changes(
    chief_of_staff, person_of, zone, reader
) -> None:
    today = dt.date(2026, 11, 24)
    with override_settings(TIME_ZONE=zone):
        rituals = build_year(person_of(chief_of_staff), today)
        # The days after the 2027 clock changes of all three zones.
        days_after = [local(2027, 3, 15, 11), local(2027, 3, 29, 11), local(2027, 4, 5, 11),
                      local(2027, 10, 4, 11), local(2027, 11, 1, 11), local(2027, 11, 8, 11)]  # fmt: skip
        engagements = [
            EngagementFactory(title=f"Engagement {n}", starts_at=at, attendees=[person_of(chief_of_staff)])
            for n, at in enumerate(days_after)
        ]
        first, last = today, today + dt.timedelta(days=366)
        expected = app_instants(rituals, first, last)
        for engagement in engagements:
            expected[f"engagement-{engagement.key}@leadership-os"] = [engagement.starts_at]
        ics = Client().get(reverse("rhythms:feed", args=[feed_token_for(chief_of_staff).token])).content
        low = dt.datetime.combine(first, dt.time.min, tzinfo=ZoneInfo(zone))
        high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(zone))
        found = READERS[reader](ics, low, high)
    assert sum(len(v) for v in expected.values()) > 400
    assert in_utc(found) == in_utc(expected)


def test_the_zone_is_written_as_yearly_rules_not_a_list_of_dates(chief_of_staff, person_of) -> None:
    build_year(person_of(chief_of_staff), dt.date(2026, 11, 24))
    ics = Client().get(reverse("rhythms:feed", args=[feed_token_for(chief_of_staff).token])).content
    (zone,) = icalendar.Calendar.from_ical(ics).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Los_Angeles"
    assert b"RDATE" not in ics
    rules = {part.name: part["RRULE"].to_ical() for part in zone.subcomponents if "RRULE" in part}
    assert rules == {
        "DAYLIGHT": b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "STANDARD": b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
    }


# Brazil kept summer time until 2019 (its rules end with UNTIL, then one offset holds); Tokyo has
# no clock changes at all (one STANDARD part).
@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "Asia/Tokyo"])
def test_zones_whose_rules_ended_or_never_changed_keep_the_right_offset(zone) -> None:
    component = vtimezone(ZoneInfo(zone), first_year=2016, last_year=2030)
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        + component.to_ical()
        + (
            b"BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART;TZID=" + zone.encode() + b":20160105T090000\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n"
        )
    )
    low = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    app = [
        dt.datetime(year, month, 5, 9, tzinfo=ZoneInfo(zone))
        for year in range(2016, 2030)
        for month in range(1, 13)
    ]
    for name, reader in READERS.items():
        assert in_utc(reader(ics, low, high)) == in_utc({"x": app}), name
