"""A person's calendar as RFC 5545: their rituals as recurring events (RRULE, EXDATE for skipped
occurrences, RECURRENCE-ID overrides for moved ones) and their engagements as single events, with
the configured time zone's VTIMEZONE and stable UIDs, so that calendar clients update in place."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import F, Prefetch, Q

from briefs.models import Engagement
from leadership_os.models import Person
from rhythms.models import Occurrence, Ritual
from rhythms.queries import cadence_in_words
from rhythms.services import local_zone, normalized_start
from rhythms.timezones import vtimezone

PRODID = "-//Leadership OS//Operating rhythm//EN"
UID_DOMAIN = "leadership-os"
# Engagements further back than this are of no use in a calendar client.
ENGAGEMENTS_SINCE_DAYS = 90
# The time zone is written in full from the year before the earliest event to this many years
# past the later of today and the last event; the yearly rules in force then are written open-ended.
ZONE_YEARS_AHEAD = 3


def ritual_uid(ritual: Ritual) -> str:
    return f"ritual-{ritual.key}@{UID_DOMAIN}"


def engagement_uid(engagement: Engagement) -> str:
    return f"engagement-{engagement.key}@{UID_DOMAIN}"


def _event(uid: str, summary: str, start: dt.datetime, minutes: int, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    return event


def _ritual_description(ritual: Ritual) -> str:
    lines = [cadence_in_words(ritual).capitalize() + "."]
    if ritual.purpose:
        lines.append(ritual.purpose)
    if ritual.informs_decision:
        lines.append(f"Informs: {ritual.informs_decision}")
    if ritual.surfaces_blocker:
        lines.append(f"Surfaces: {ritual.surfaces_blocker}")
    return "\n\n".join(lines)


def person_feed(person: Person | None, *, now: dt.datetime, base_url: str = "") -> bytes:
    """The calendar of the rituals and engagements `person` attends or owns, as iCalendar bytes."""
    zone = local_zone()
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Leadership OS")
    cal.add("x-wr-timezone", zone.key)
    if person is not None:
        exceptions = Occurrence.objects.filter(
            Q(status=Occurrence.Status.SKIPPED) | ~Q(starts_at=F("scheduled_for"))
        ).order_by("scheduled_for")
        rituals = (
            Ritual.objects.filter(is_active=True)
            .filter(Q(attendees=person) | Q(owner=person))
            .distinct()
            .prefetch_related(Prefetch("occurrences", queryset=exceptions, to_attr="exceptions"))
            .order_by("number")
        )
        for ritual in rituals:
            start = normalized_start(ritual.rrule, ritual.starts_at).astimezone(zone)
            event = _event(ritual_uid(ritual), ritual.name, start, ritual.duration_minutes, stamp)
            event.add("rrule", icalendar.vRecur.from_ical(ritual.rrule))
            event.add("description", _ritual_description(ritual))
            event.add("categories", [ritual.get_kind_display()])
            if base_url:
                event.add("url", f"{base_url}/rhythms/{ritual.pk}/")
            skipped = [
                o.scheduled_for.astimezone(zone)
                for o in ritual.exceptions
                if o.status == Occurrence.Status.SKIPPED
            ]
            if skipped:
                event.add("exdate", skipped)
            cal.add_component(event)
            for moved in ritual.exceptions:
                if moved.status == Occurrence.Status.SKIPPED:
                    continue
                override = _event(
                    ritual_uid(ritual),
                    ritual.name,
                    moved.starts_at.astimezone(zone),
                    ritual.duration_minutes,
                    stamp,
                )
                override.add("recurrence-id", moved.scheduled_for.astimezone(zone))
                override.add("description", _ritual_description(ritual) + "\n\nMoved from its usual time.")
                cal.add_component(override)
        since = now - dt.timedelta(days=ENGAGEMENTS_SINCE_DAYS)
        engagements = (
            Engagement.objects.filter(attendees=person, starts_at__gte=since).distinct().order_by("starts_at")
        )
        for engagement in engagements:
            event = _event(
                engagement_uid(engagement),
                engagement.title,
                engagement.starts_at.astimezone(zone),
                engagement.duration_minutes,
                stamp,
            )
            details = [engagement.get_kind_display()]
            if engagement.counterpart:
                details.append(f"With {engagement.counterpart}")
            event.add("description", " · ".join(details))
            if engagement.location:
                event.add("location", engagement.location)
            if base_url:
                event.add("url", f"{base_url}/briefs/{engagement.pk}/")
            cal.add_component(event)
    _add_zone(cal, zone, now=now)
    return cal.to_ical()


def _add_zone(cal: icalendar.Calendar, zone: ZoneInfo, *, now: dt.datetime) -> None:
    """The zone's VTIMEZONE, first in the calendar, covering every event's time."""
    years = [now.astimezone(zone).year]
    for event in cal.walk("VEVENT"):
        for name in ("DTSTART", "RECURRENCE-ID"):
            if name in event:
                years.append(event[name].dt.year)
    part = vtimezone(zone, first_year=min(years) - 1, last_year=max(years) + ZONE_YEARS_AHEAD)
    cal.subcomponents.insert(0, part)
