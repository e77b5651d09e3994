"""Cadences: rules refused with a message, said in words, and expanded in local wall-clock time.
Pure: no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rhythms import recurrence
from rhythms.recurrence import RuleError, describe, occurrences_between, parse_rule

LA = ZoneInfo("America/Los_Angeles")
START = dt.datetime(2026, 1, 6, 10, 0, tzinfo=LA)  # a Tuesday


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "Write a recurrence rule"),
        ("   ", "Write a recurrence rule"),
        ("every tuesday", "is not a NAME=VALUE part"),
        ("garbage;;", "is not a NAME=VALUE part"),
        ("INTERVAL=2", "needs a FREQ"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not a frequency"),
        ("FREQ=HOURLY", "too often for a ritual"),
        ("FREQ=WEEKLY;COUNT=5;UNTIL=20270101", "not both"),
        ("FREQ=WEEKLY;UNTIL=20200101", "never produces an occurrence"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never produces an occurrence"),
        ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=3", "never matches"),
        ("FREQ=WEEKLY;BYDAY=XX", "is not a day"),
        ("FREQ=WEEKLY;BYDAY=1MO", "counts days within a month"),
        ("FREQ=WEEKLY;INTERVAL=0", "out of range"),
        ("FREQ=WEEKLY;INTERVAL=two", "whole numbers"),
        ("FREQ=WEEKLY;COLOUR=blue", "COLOUR is not part of an RFC 5545"),
        ("FREQ=WEEKLY;BYHOUR=9", "start time sets its time of day"),
        ("FREQ=WEEKLY;FREQ=DAILY", "given twice"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "is not a date"),
        ("DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY", "only the rule itself"),
        ("FREQ=YEARLY;BYWEEKNO=20", "not supported"),
    ],
)
def test_a_bad_rule_is_refused_with_a_message(rule: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(rule, start=START, zone=LA)


def test_a_good_rule_is_normalized() -> None:
    rule = parse_rule("rrule:freq=weekly;byday=tu;interval=2", start=START, zone=LA)
    assert rule.text == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"


def test_until_as_a_local_date_becomes_the_end_of_that_day_in_utc() -> None:
    rule = parse_rule("FREQ=WEEKLY;UNTIL=20260630", start=START, zone=LA)
    assert rule.parts["UNTIL"] == "20260701T065959Z"


@pytest.mark.parametrize(
    ("rule", "start", "words"),
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", START, "every other Tuesday at 10:00"),
        ("FREQ=WEEKLY;BYDAY=MO", START.replace(hour=9, minute=30), "weekly on Monday at 09:30"),
        ("FREQ=WEEKLY", START, "weekly on Tuesday at 10:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", START, "weekly on Monday and Thursday at 10:00"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=FR", START, "every 3 weeks on Friday at 10:00"),
        ("FREQ=MONTHLY;BYDAY=1TH", START.replace(hour=16), "monthly on the first Thursday at 16:00"),
        (
            "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
            START.replace(hour=16),
            "monthly on the first Thursday at 16:00",
        ),
        ("FREQ=MONTHLY;BYDAY=-1FR", START, "monthly on the last Friday at 10:00"),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            START.replace(hour=9),
            "every quarter on the 15th at 09:00",
        ),
        ("FREQ=MONTHLY", START, "monthly on the 6th at 10:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", START, "monthly on the 1st and 15th at 10:00"),
        ("FREQ=DAILY", START, "every day at 10:00"),
        ("FREQ=DAILY;INTERVAL=2", START, "every other day at 10:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", START, "every weekday at 10:00"),
        ("FREQ=YEARLY", START, "every year on 6 January at 10:00"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=6", START, "weekly on Tuesday at 10:00, 6 times"),
        (
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T235959Z",
            START,
            "weekly on Tuesday at 10:00, until 31 Dec 2026",
        ),
    ],
)
def test_a_rule_is_said_in_words(rule: str, start: dt.datetime, words: str) -> None:
    assert describe(parse_rule(rule, start=start, zone=LA), start=start, zone=LA) == words


def test_an_unusual_rule_is_still_shown_as_its_rule() -> None:
    rule = parse_rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", start=START, zone=LA)
    assert describe(rule, start=START, zone=LA).startswith("on the rule FREQ=MONTHLY")


def test_a_weekly_ritual_keeps_its_local_time_across_the_november_change() -> None:
    # Daylight saving ends on Sunday 1 November 2026 in Los Angeles.
    start = dt.datetime(2026, 10, 20, 10, 0, tzinfo=LA)
    days = occurrences_between(
        "FREQ=WEEKLY;BYDAY=TU",
        start=start,
        zone=LA,
        first_day=dt.date(2026, 10, 20),
        last_day=dt.date(2026, 11, 10),
    )
    assert [(d.date().isoformat(), d.hour, d.minute) for d in days] == [
        ("2026-10-20", 10, 0), ("2026-10-27", 10, 0), ("2026-11-03", 10, 0), ("2026-11-10", 10, 0),
    ]  # fmt: skip
    assert [d.utcoffset() for d in days] == [dt.timedelta(hours=-7)] * 2 + [dt.timedelta(hours=-8)] * 2
    assert [d.astimezone(dt.UTC).hour for d in days] == [17, 17, 18, 18]


def test_a_weekly_ritual_keeps_its_local_time_across_the_march_change() -> None:
    # Daylight saving starts on Sunday 8 March 2026 in Los Angeles.
    start = dt.datetime(2026, 2, 23, 9, 30, tzinfo=LA)
    days = occurrences_between(
        "FREQ=WEEKLY;BYDAY=MO",
        start=start,
        zone=LA,
        first_day=dt.date(2026, 3, 1),
        last_day=dt.date(2026, 3, 16),
    )
    assert [(d.date().isoformat(), d.hour, d.minute) for d in days] == [
        ("2026-03-02", 9, 30), ("2026-03-09", 9, 30), ("2026-03-16", 9, 30),
    ]  # fmt: skip
    assert [d.utcoffset() for d in days] == [
        dt.timedelta(hours=-8),
        dt.timedelta(hours=-7),
        dt.timedelta(hours=-7),
    ]


def test_a_daily_ritual_on_the_change_day_itself_stays_at_its_time() -> None:
    start = dt.datetime(2026, 10, 31, 8, 0, tzinfo=LA)
    days = occurrences_between(
        "FREQ=DAILY", start=start, zone=LA, first_day=dt.date(2026, 10, 31), last_day=dt.date(2026, 11, 2)
    )
    assert [d.hour for d in days] == [8, 8, 8]
    # Same wall-clock time, so the day of the change is 25 hours long between the two.
    assert days[1].astimezone(dt.UTC) - days[0].astimezone(dt.UTC) == dt.timedelta(hours=25)


def test_the_first_occurrence_is_the_first_instance_on_or_after_the_start() -> None:
    wednesday = dt.datetime(2026, 1, 7, 10, 0, tzinfo=LA)
    assert recurrence.first_occurrence("FREQ=WEEKLY;BYDAY=TU", start=wednesday, zone=LA) == dt.datetime(
        2026, 1, 13, 10, 0, tzinfo=LA
    )


def test_derivation_is_deterministic() -> None:
    args = {"start": START, "zone": LA, "first_day": dt.date(2026, 1, 1), "last_day": dt.date(2026, 12, 31)}
    first = occurrences_between("FREQ=MONTHLY;BYDAY=1TH", **args)
    assert first == occurrences_between("FREQ=MONTHLY;BYDAY=1TH", **args)
    # The start (6 January) comes after January's first Thursday.
    assert len(first) == 11
    assert first[0].date() == dt.date(2026, 2, 5)
    assert all(d.weekday() == 3 and d.day <= 7 for d in first)
