"""A time zone as an RFC 5545 VTIMEZONE written the way mail clients write it: one STANDARD or
DAYLIGHT part per run of yearly clock changes, each with its yearly RRULE (`BYMONTH=3;BYDAY=2SU`),
so that every reader (icalendar, vobject, ical.js, calendar clients) derives the same offsets.

A single part listing every onset on one multi-value RDATE line is valid RFC 5545, but several
readers take only its first value and then put the summer an hour off; a rule per part is read
alike everywhere.

Nothing here touches the database or the clock: the zone and the years are passed in.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _State:
    offset: dt.timedelta
    is_dst: bool
    name: str


@dataclass(frozen=True)
class _Onset:
    """One clock change: the local wall-clock time it happens at (in the offset before it)."""

    local: dt.datetime
    utc: dt.datetime
    before: _State
    after: _State

    def kind(self) -> tuple[dt.timedelta, _State, int, dt.time]:
        """What must stay the same from year to year for a run of onsets to be one yearly rule."""
        return (self.before.offset, self.after, self.local.month, self.local.time())

    def day_rules(self) -> set[str]:
        """The ways to name this onset's day in its month: 2SU, -1SU (the last), or the date itself."""
        day = self.local.day
        weekday = _WEEKDAYS[self.local.weekday()]
        rules = {f"BYDAY={(day - 1) // 7 + 1}{weekday}", f"BYMONTHDAY={day}"}
        if day + 7 > calendar.monthrange(self.local.year, self.local.month)[1]:
            rules.add(f"BYDAY=-1{weekday}")
        return rules


def _state(zone: ZoneInfo, at: dt.datetime) -> _State:
    local = at.astimezone(zone)
    return _State(
        offset=local.utcoffset() or dt.timedelta(0),
        is_dst=bool(local.dst()),
        name=local.tzname() or zone.key,
    )


def _onsets(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Onset]:
    """Every change of offset or name from the start of `first_year` to the end of `last_year`,
    found day by day and then to the second by bisection."""
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    onsets = []
    day, state = start, _state(zone, start)
    while day < end:
        following = day + _DAY
        after = _state(zone, following)
        if after != state:
            low, high = day, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            onsets.append(
                _Onset(
                    local=(high + state.offset).replace(tzinfo=None),
                    utc=high,
                    before=state,
                    after=_state(zone, high),
                )
            )
        day, state = following, after
    return onsets


def _runs(onsets: list[_Onset]) -> list[tuple[list[_Onset], str | None]]:
    """The onsets grouped into runs that one yearly rule describes, each with that rule's day part
    (None for an onset that no run shares)."""
    open_runs: dict[tuple[object, ...], tuple[list[_Onset], set[str]]] = {}
    done: list[tuple[list[_Onset], set[str]]] = []
    for onset in onsets:
        kind = onset.kind()
        current = open_runs.get(kind)
        if current is not None:
            members, rules = current
            shared = rules & onset.day_rules()
            if members[-1].local.year + 1 == onset.local.year and shared:
                open_runs[kind] = ([*members, onset], shared)
                continue
            done.append(current)
        open_runs[kind] = ([onset], onset.day_rules())
    done.extend(open_runs.values())
    done.sort(key=lambda run: run[0][0].utc)
    result: list[tuple[list[_Onset], str | None]] = []
    for members, rules in done:
        # Prefer the weekday forms mail clients write; a fixed date only when nothing else fits.
        rule = min(rules, key=lambda r: (r.startswith("BYMONTHDAY"), r)) if len(members) > 1 else None
        result.append((members, rule))
    return result


def _part(state_before: dt.timedelta, state: _State, start: dt.datetime) -> icalendar.Component:
    part = icalendar.TimezoneDaylight() if state.is_dst else icalendar.TimezoneStandard()
    part.add("dtstart", start)
    part.add("tzoffsetfrom", state_before)
    part.add("tzoffsetto", state.offset)
    part.add("tzname", state.name)
    return part


@functools.lru_cache(maxsize=32)
def _vtimezone_ical(key: str, first_year: int, last_year: int) -> bytes:
    zone = ZoneInfo(key)
    timezone = icalendar.Timezone()
    timezone.add("tzid", key)
    timezone.add("x-lic-location", key)
    opening = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    initial = _state(zone, opening)
    # What holds before the first change found; it is also the whole story of a zone without changes.
    timezone.add_component(_part(initial.offset, initial, (opening + initial.offset).replace(tzinfo=None)))
    for members, rule in _runs(_onsets(zone, first_year, last_year)):
        first = members[0]
        part = _part(first.before.offset, first.after, first.local)
        if rule is not None:
            parts = {"freq": "yearly", "bymonth": first.local.month}
            name, value = rule.split("=")
            parts[name.lower()] = value if name == "BYDAY" else int(value)
            # A run still going at the end of the years looked at goes on: the zone's rule is in force.
            if members[-1].local.year < last_year:
                parts["until"] = members[-1].utc
            part.add("rrule", parts)
        timezone.add_component(part)
    return timezone.to_ical()


def vtimezone(zone: ZoneInfo, *, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of `zone`, right for every moment from the start of `first_year` on; a yearly
    rule still in force in `last_year` is written without an end, as the zone keeps it."""
    component = icalendar.Timezone.from_ical(_vtimezone_ical(zone.key, first_year, last_year))
    assert isinstance(component, icalendar.Timezone)
    return component
