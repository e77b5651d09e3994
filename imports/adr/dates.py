"""Dates as people write them in decision records, read without guessing.

`read_date` answers the date with its precision (a day, or only a month), or None and the reason:
an ambiguous day/month order (05/01/2022), an impossible day (2022-02-30), only a year, or a date
outside what the product stores. Nothing is invented: a missing day stays missing.
"""

from __future__ import annotations

import datetime as dt
import re

from imports.adr.records import ParsedDate
from leadership_os.storable import date_problem

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_ISO_MONTH = re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{1,2})(?![\d/.-])")
_COMPACT = re.compile(r"(?<!\d)(?P<year>(?:19|20|21)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{2,4})(?!\d)")
_DAY_MONTH_YEAR = re.compile(rf"(?<![\w]){_DAY}(?:\s+of)?[\s\-/.]*{_MONTH}[\s\-/.,]*{_YEAR}(?!\d)", re.I)
_MONTH_DAY_YEAR = re.compile(rf"(?<![\w]){_MONTH}[\s\-/.]*{_DAY}(?:\s*,)?[\s\-/.]*{_YEAR}(?!\d)", re.I)
_MONTH_YEAR = re.compile(rf"(?<![\w]){_MONTH}[\s\-/.,]*{_YEAR}(?!\d)", re.I)
_YEAR_ONLY = re.compile(r"^\D*(?:19|20|21)\d{2}\D*$")
_PLACEHOLDER = re.compile(r"yyyy|\bdd\b|\{|\}|<[^>]*>|\btbd\b|\btba\b|\?\?", re.I)


class DateProblem(ValueError):
    """The text holds something meant as a date that cannot be read without guessing."""


def _make(year: int, month: int, day: int | None, raw: str) -> ParsedDate:
    try:
        value = dt.date(year, month, day or 1)
    except ValueError:
        raise DateProblem(f"'{raw}' is not a real date") from None
    problem = date_problem(value)
    if problem:
        raise DateProblem(f"'{raw}' is {problem}")
    return ParsedDate(value, "day" if day else "month")


def read_date(text: str) -> ParsedDate | None:
    """The first date written in `text`; None when there is none. Raises DateProblem when the
    text holds a date that is ambiguous, impossible, too vague (a year) or out of range."""
    raw = text.strip().strip("*_`\"'[]()").strip()
    if not raw:
        return None
    candidates: list[tuple[int, ParsedDate | DateProblem]] = []

    def add(match: re.Match[str] | None, build: object) -> None:
        if match is None:
            return
        try:
            candidates.append((match.start(), build(match)))  # type: ignore[operator]
        except DateProblem as problem:
            candidates.append((match.start(), problem))

    add(_ISO.search(raw), lambda m: _make(int(m["year"]), int(m["month"]), int(m["day"]), m[0]))
    add(_COMPACT.search(raw), lambda m: _make(int(m["year"]), int(m["month"]), int(m["day"]), m[0]))
    add(
        _DAY_MONTH_YEAR.search(raw),
        lambda m: _make(int(m["year"]), MONTHS[m["mon"].lower()], int(m["day"]), m[0]),
    )
    add(
        _MONTH_DAY_YEAR.search(raw),
        lambda m: _make(int(m["year"]), MONTHS[m["mon"].lower()], int(m["day"]), m[0]),
    )

    def numeric(m: re.Match[str]) -> ParsedDate:
        a, b, year = int(m["a"]), int(m["b"]), m["year"]
        if len(year) != 4:
            raise DateProblem(f"'{m[0]}' has a two-digit year; write the year in full")
        if a > 12 and b <= 12:
            return _make(int(year), b, a, m[0])
        if b > 12 and a <= 12:
            return _make(int(year), a, b, m[0])
        if a == b:
            return _make(int(year), a, b, m[0])
        raise DateProblem(f"'{m[0]}' could be day-month or month-day; left empty rather than guessed")

    if not candidates:
        add(_NUMERIC.search(raw), numeric)
    if not candidates:
        add(_MONTH_YEAR.search(raw), lambda m: _make(int(m["year"]), MONTHS[m["mon"].lower()], None, m[0]))
        add(_ISO_MONTH.search(raw), lambda m: _make(int(m["year"]), int(m["month"]), None, m[0]))
    if candidates:
        candidates.sort(key=lambda item: item[0])
        found = candidates[0][1]
        if isinstance(found, DateProblem):
            raise found
        return found
    if _PLACEHOLDER.search(raw):
        raise DateProblem(f"'{raw[:60]}' is a placeholder, not a date")
    if _YEAR_ONLY.match(raw):
        raise DateProblem(f"'{raw[:60]}' gives only a year")
    if any(ch.isdigit() for ch in raw):
        raise DateProblem(f"'{raw[:60]}' is not a date this reader understands")
    return None
