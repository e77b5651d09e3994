"""Cadences as RFC 5545 recurrence rules: validated with a readable message, said in words, and
expanded into local wall-clock times.

Nothing here touches the database or the clock: the zone and the dates are passed in. A rule is
evaluated from an aware local start (`dateutil` keeps the wall-clock time of each instance and lets
the zone give its offset), so a 10:00 meeting stays at 10:00 across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TOO_OFTEN = ("HOURLY", "MINUTELY", "SECONDLY")
KNOWN_PARTS = {
    "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYYEARDAY",
    "BYWEEKNO", "WKST", "BYHOUR", "BYMINUTE", "BYSECOND",
}  # fmt: skip
DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
DAY_CODES = list(DAYS)
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second-to-last"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]  # fmt: skip
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_EXAMPLE = "e.g. FREQ=WEEKLY;BYDAY=TU"
# How far ahead a rule may take to produce its first occurrence before it counts as "never".
_HORIZON_YEARS = 5


class RuleError(ValueError):
    """A rule that cannot be used; the message says why, in words a chief of staff can act on."""


@dataclass(frozen=True)
class Rule:
    """A validated rule: its normalized text (no `RRULE:` prefix, UNTIL in UTC) and its parts."""

    text: str
    parts: dict[str, str]

    @property
    def freq(self) -> str:
        return self.parts["FREQ"]

    @property
    def interval(self) -> int:
        return int(self.parts.get("INTERVAL", "1"))


def _split(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not name or not value.strip():
            raise RuleError(f"'{chunk}' is not a NAME=VALUE part of a recurrence rule ({_EXAMPLE}).")
        if name in parts:
            raise RuleError(f"{name} is given twice.")
        parts[name] = value.strip().upper()
    return parts


def _parse_until(value: str, zone: ZoneInfo) -> dt.datetime:
    """UNTIL as an aware UTC time. A date means the end of that local day; a time without Z is local."""
    try:
        if re.fullmatch(r"\d{8}", value):
            day = dt.datetime.strptime(value, "%Y%m%d").date()
            return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)
        if re.fullmatch(r"\d{8}T\d{6}Z", value):
            return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        if re.fullmatch(r"\d{8}T\d{6}", value):
            return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone).astimezone(dt.UTC)
    except ValueError:
        pass
    raise RuleError(f"UNTIL={value} is not a date (write UNTIL=20270131 or UNTIL=20270131T170000Z).")


def _int_list(name: str, value: str, low: int, high: int, *, signed: bool = True) -> list[int]:
    numbers = []
    for item in value.split(","):
        try:
            number = int(item)
        except ValueError:
            raise RuleError(f"{name}={value} must be a list of whole numbers.") from None
        if number == 0 or abs(number) < low or abs(number) > high or (number < 0 and not signed):
            raise RuleError(f"{name}={value}: {item} is out of range.")
        numbers.append(number)
    return numbers


def parse_rule(text: str, *, start: dt.datetime, zone: ZoneInfo) -> Rule:
    """Validate a rule for a ritual starting at `start` (aware); return it normalized.

    Refused, each with its own message: an empty or garbled rule, a missing or unknown FREQ, a
    cadence finer than daily, a time of day inside the rule (the start time sets it), COUNT and
    UNTIL together, parts RFC 5545 does not know, and a rule that yields no occurrence at all.
    """
    raw = (text or "").strip()
    if raw.upper().startswith("RRULE:"):
        raw = raw[6:]
    if not raw:
        raise RuleError(f"Write a recurrence rule ({_EXAMPLE}).")
    if "\n" in raw or "DTSTART" in raw.upper():
        raise RuleError("Write only the rule itself; the start is set in its own field.")
    parts = _split(raw)
    unknown = sorted(set(parts) - KNOWN_PARTS)
    if unknown:
        raise RuleError(f"{', '.join(unknown)} is not part of an RFC 5545 recurrence rule.")
    freq = parts.get("FREQ")
    if not freq:
        raise RuleError(f"The rule needs a FREQ ({_EXAMPLE}).")
    if freq in TOO_OFTEN:
        raise RuleError(f"FREQ={freq} is too often for a ritual; use DAILY, WEEKLY, MONTHLY or YEARLY.")
    if freq not in FREQS:
        raise RuleError(f"FREQ={freq} is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY.")
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if name in parts:
            raise RuleError(f"Leave {name} out: the ritual's start time sets its time of day.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("A rule ends either after a COUNT of occurrences or at an UNTIL date, not both.")
    if "INTERVAL" in parts:
        _int_list("INTERVAL", parts["INTERVAL"], 1, 1000, signed=False)
        if "," in parts["INTERVAL"]:
            raise RuleError("INTERVAL must be one whole number.")
    if "COUNT" in parts:
        _int_list("COUNT", parts["COUNT"], 1, 10000, signed=False)
        if "," in parts["COUNT"]:
            raise RuleError("COUNT must be one whole number.")
    if "BYDAY" in parts:
        for item in parts["BYDAY"].split(","):
            match = _BYDAY.match(item)
            if not match:
                raise RuleError(f"BYDAY={parts['BYDAY']}: '{item}' is not a day (MO, TU, …, 1TH, -1FR).")
            if match.group(1) and freq not in ("MONTHLY", "YEARLY"):
                raise RuleError(f"BYDAY={item} counts days within a month or year; use it with FREQ=MONTHLY.")
    if "BYMONTHDAY" in parts:
        _int_list("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31)
    if "BYMONTH" in parts:
        _int_list("BYMONTH", parts["BYMONTH"], 1, 12, signed=False)
    if "BYSETPOS" in parts:
        _int_list("BYSETPOS", parts["BYSETPOS"], 1, 366)
    if "WKST" in parts and parts["WKST"] not in DAYS:
        raise RuleError(f"WKST={parts['WKST']} is not a day (MO, TU, …).")
    for name in ("BYWEEKNO", "BYYEARDAY"):
        if name in parts:
            raise RuleError(f"{name} is not supported for rituals; use BYDAY, BYMONTHDAY and BYMONTH.")
    _refuse_impossible(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = _parse_until(parts["UNTIL"], zone).strftime("%Y%m%dT%H%M%SZ")
    order = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS"]
    names = [n for n in order if n in parts] + sorted(n for n in parts if n not in order)
    normalized = ";".join(f"{n}={parts[n]}" for n in names)
    rule = Rule(text=normalized, parts=parts)
    try:
        first = first_occurrence(rule, start=start, zone=zone)
    except (ValueError, TypeError) as error:
        raise RuleError(f"This rule cannot be read: {error}.") from None
    if first is None:
        raise RuleError("This rule never produces an occurrence after the start; check its days and its end.")
    return rule


_MONTH_LENGTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _refuse_impossible(parts: dict[str, str]) -> None:
    """Refuse the combinations that can never match (30 February, the 5th of 2 days a week) before
    expanding them: dateutil would walk to the year 9999 looking for a first instance."""
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m] or list(range(1, 13))
    longest = max(_MONTH_LENGTH[m] for m in months)
    monthdays = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    if monthdays and all(abs(d) > longest for d in monthdays):
        raise RuleError("This rule never produces an occurrence: no month it names has that day.")
    if "BYSETPOS" in parts:
        days = len([d for d in parts.get("BYDAY", "").split(",") if d]) or 1
        most = {"DAILY": 1, "WEEKLY": days, "MONTHLY": 31, "YEARLY": 366}[parts["FREQ"]]
        if "BYDAY" in parts and parts["FREQ"] == "MONTHLY":
            most = min(31, 5 * days)
        if all(abs(int(p)) > most for p in parts["BYSETPOS"].split(",")):
            raise RuleError(
                f"BYSETPOS={parts['BYSETPOS']} never matches: each period has at most {most} candidate days."
            )


def _local(start: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    value = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
    return value.replace(second=0, microsecond=0)


def build(rule: Rule | str, *, start: dt.datetime, zone: ZoneInfo) -> rrule:
    """The dateutil rule, anchored at `start` in local wall-clock time."""
    text = rule.text if isinstance(rule, Rule) else rule
    return _built(text, _local(start, zone))


@functools.lru_cache(maxsize=4096)
def _built(text: str, start: dt.datetime) -> rrule:
    # Expanding walks from the start; a ritual running for years is expanded once per process and
    # its instances kept (dateutil's own cache, guarded by its lock), so a calendar page costs the
    # same whatever the rituals' age.
    parsed = rrulestr(text, dtstart=start, forceset=False, cache=True)
    assert isinstance(parsed, rrule)
    return parsed


def first_occurrence(rule: Rule | str, *, start: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """The first instance on or after `start` (within a few years), or None."""
    local = _local(start, zone)
    horizon = local + dt.timedelta(days=366 * _HORIZON_YEARS)
    full = build(rule, start=start, zone=zone)
    # Bounded, so that a rule that can never match (30 February) is found out at once rather than
    # by walking to the year 9999. The first instance does not depend on COUNT.
    until = full._until
    bounded = full.replace(count=None, until=min(until, horizon) if until else horizon)
    for value in bounded.xafter(local, inc=True):
        return value
    return None


def occurrences_between(
    rule: Rule | str, *, start: dt.datetime, zone: ZoneInfo, first_day: dt.date, last_day: dt.date
) -> list[dt.datetime]:
    """Every instance whose local date falls from `first_day` to `last_day`, both included."""
    low = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(last_day, dt.time.max, tzinfo=zone)
    return [
        value.replace(tzinfo=zone)
        for value in build(rule, start=start, zone=zone).between(low, high, inc=True)
    ]


def ordinal_day(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _month_day(number: int) -> str:
    if number == -1:
        return "last day"
    if number < 0:
        return f"{ordinal_day(-number)}-to-last day"
    return ordinal_day(number)


def describe(rule: Rule | str, *, start: dt.datetime, zone: ZoneInfo) -> str:
    """The cadence in words: "every other Tuesday at 10:00", "monthly on the first Thursday at 16:00"."""
    parts = rule.parts if isinstance(rule, Rule) else _split(rule.removeprefix("RRULE:"))
    local = _local(start, zone)
    at = f"at {local:%H:%M}"
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    bydays = [d for d in parts.get("BYDAY", "").split(",") if d]
    plain_days = [d for d in bydays if _BYDAY.match(d) and not _BYDAY.match(d).group(1)]  # type: ignore[union-attr]
    setpos = [int(p) for p in parts.get("BYSETPOS", "").split(",") if p]
    monthdays = [int(p) for p in parts.get("BYMONTHDAY", "").split(",") if p]
    words: str | None = None

    if freq == "DAILY" and not bydays and not monthdays:
        words = {1: "every day", 2: "every other day"}.get(interval, f"every {interval} days")
    elif freq == "DAILY" and set(bydays) == {"MO", "TU", "WE", "TH", "FR"} and interval == 1:
        words = "every weekday"
    elif freq in ("WEEKLY", "DAILY") and plain_days == bydays and not monthdays:
        names = [DAYS[d] for d in sorted(bydays, key=DAY_CODES.index)] or [DAYS[DAY_CODES[local.weekday()]]]
        if freq == "DAILY" and interval != 1:
            names = []
        if names and set(bydays) == {"MO", "TU", "WE", "TH", "FR"} and interval == 1:
            words = "every weekday"
        elif names and interval == 1:
            words = f"weekly on {_and(names)}"
        elif names and interval == 2:
            words = f"every other {_and(names)}"
        elif names:
            words = f"every {interval} weeks on {_and(names)}"
    elif freq == "MONTHLY":
        every = {1: "monthly", 2: "every other month", 3: "every quarter", 6: "every six months"}.get(
            interval, f"every {interval} months"
        )
        which: str | None = None
        if len(bydays) == 1 and not monthdays:
            match = _BYDAY.match(bydays[0])
            assert match
            number = int(match.group(1)) if match.group(1) else (setpos[0] if len(setpos) == 1 else None)
            if number in ORDINALS:
                which = f"the {ORDINALS[number]} {DAYS[match.group(2)]}"
        elif monthdays and not bydays and not setpos:
            which = "the " + _and([_month_day(n) for n in monthdays])
        elif not bydays and not monthdays and not setpos:
            which = f"the {ordinal_day(local.day)}"
        if which:
            words = f"{every} on {which}"
    elif freq == "YEARLY" and not bydays and not setpos:
        months = [int(p) for p in parts.get("BYMONTH", "").split(",") if p] or [local.month]
        days = monthdays or [local.day]
        if len(months) == 1 and len(days) == 1 and days[0] > 0:
            every = "every year" if interval == 1 else f"every {interval} years"
            words = f"{every} on {days[0]} {MONTHS[months[0] - 1]}"

    if words is None:
        words = f"on the rule {parts and ';'.join(f'{k}={v}' for k, v in parts.items())}"
    text = f"{words} {at}"
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        text += ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        until = _parse_until(parts["UNTIL"], zone).astimezone(zone)
        text += f", until {until.day} {MONTHS[until.month - 1][:3]} {until.year}"
    return text
