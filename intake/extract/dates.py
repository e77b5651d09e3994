"""Due dates and meeting dates: absolute ("2026-12-11", "Dec 11", "11 December") or relative to the
meeting date ("tomorrow", "by Friday", "next week", "EOW", "end of month", "in two weeks").

A phrase that names no one day ("soon", "next month", "before the next review" when the next
review's date is not known, "12/11" which is December or November) gives no date and a note.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): index for index, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "thur": 3, "thurs": 3, "weds": 2})
NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "couple of": 2,
    "few": None,
}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20|21)\d\d))?"
_WEEKDAY = r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|weds|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![a-z])"

# What makes a date in an action a due date rather than a date mentioned in passing.
_MARK = r"(?:\bby|\bbefore|\bdue(?:\s+(?:on|by))?|\bno later than|\buntil|\btill|\bdeadline:?|\beta:?|\bon|\btarget:?|\bfor|\(|—|–|-)\s*(?:(?:the\s+)?end\s+of\s+)?(?:(?:this|next|coming|the)\s+)?"

ISO = re.compile(r"\b(?P<year>(?:19|20|21)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b")
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_YEAR}", re.I)
DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b{_YEAR}", re.I)
SLASH = re.compile(r"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)(?:/(?P<year>(?:19|20|21)?\d\d))?\b")

MARKED_ABSOLUTE = re.compile(
    rf"{_MARK}(?:{_WEEKDAY},?\s+)?(?P<date>(?:19|20|21)\d\d-[01]?\d-[0-3]?\d|{_MONTH.replace('?P<month>', '?:')}\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+(?:19|20|21)\d\d)?|[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('?P<month>', '?:')}(?:,?\s+(?:19|20|21)\d\d)?|[01]?\d/[0-3]?\d(?:/(?:19|20|21)?\d\d)?)\b",
    re.I,
)
RELATIVE = re.compile(
    r"\b(?P<phrase>(?:(?:by|before|on|until|due)\s+)?"
    + _WEEKDAY.replace("?P<weekday>", "?:")
    + r",?\s+(?:of\s+)?next week|tomorrow|today|tonight|eod|cob|end of (?:the )?(?:day|week|month|quarter|year)|eow|eom|eoq|eoy"
    r"|(?:this|next) week|(?:by|before|on|until|due|for|this|next|coming)\s+"
    + _WEEKDAY.replace("?P<weekday>", "?:")
    + r"|in (?:a|one|two|three|four|five|six|couple of|\d{1,2}) (?:days?|weeks?)"
    r"|within (?:a|one|two|three|four|\d{1,2}) (?:days?|weeks?)"
    r"|(?:the )?end of (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
    r"|(?:end of |by )?q[1-4]\b"
    r"|next (?:month|quarter)"
    r"|(?:before|by|at|until|for|in) (?:the )?next (?:week's |month's )?(?:review|meeting|call|sync|session|standup|retro|check-?in|one|time)"
    r"|next time)",
    re.I,
)
MEETING_DATE_PATTERNS = (ISO, MONTH_DAY, DAY_MONTH)


@dataclass(frozen=True)
class Due:
    date: dt.date | None
    phrase: str
    note: str | None = None


def month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTHS[word[:3]]


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, meeting: dt.date | None, year: str | None) -> dt.date | None:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _make(full, month, day)
    if meeting is None:
        return None
    found = _make(meeting.year, month, day)
    if found and (meeting - found).days > 60:
        found = _make(meeting.year + 1, month, day)
    return found


def parse_absolute(text: str, meeting: dt.date | None) -> tuple[dt.date | None, str | None]:
    """A date written out in `text` (which holds just the date), and a note when it is ambiguous."""
    match = ISO.fullmatch(text.strip())
    if match:
        return _make(int(match["year"]), int(match["month"]), int(match["day"])), None
    for pattern in (MONTH_DAY, DAY_MONTH):
        match = pattern.search(text)
        if match:
            month = month_number(match["month"])
            return _infer_year(month, int(match["day"]), meeting, match["year"]), None
    match = SLASH.search(text)
    if match:
        a, b = int(match["a"]), int(match["b"])
        if a <= 12 and b <= 12 and a != b:
            return None, f"'{match.group(0)}' could be month/day or day/month"
        month, day = (a, b) if a <= 12 else (b, a)
        return _infer_year(month, day, meeting, match["year"]), None
    return None, None


def _friday_of(day: dt.date, weeks_ahead: int = 0) -> dt.date:
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks_ahead)
    return monday + dt.timedelta(days=4)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(year: int, quarter: int) -> dt.date:
    return _month_end(year, quarter * 3)


def resolve_relative(phrase: str, meeting: dt.date | None, next_meeting: dt.date | None = None) -> Due:
    words = phrase.lower().strip()
    if re.search(
        r"next (?:week's |month's )?(review|meeting|call|sync|session|standup|retro|check-?in|one|time)",
        words,
    ):
        if next_meeting is not None:
            return Due(next_meeting, phrase)
        return Due(None, phrase, f"due unclear: '{phrase}' (the next meeting's date is not known)")
    if words in ("next month", "next quarter"):
        return Due(None, phrase, f"due unclear: '{phrase}' names no day")
    if meeting is None:
        return Due(None, phrase, f"due unclear: '{phrase}' needs the meeting date")
    if words in ("today", "tonight", "eod", "cob", "end of day", "end of the day"):
        return Due(meeting, phrase)
    if words == "tomorrow":
        return Due(meeting + dt.timedelta(days=1), phrase)
    if words in ("eow", "end of week", "end of the week", "this week"):
        friday = _friday_of(meeting)
        return Due(friday if friday >= meeting else _friday_of(meeting, 1), phrase)
    if words == "next week":
        return Due(_friday_of(meeting, 1), phrase)
    if words in ("eom", "end of month", "end of the month"):
        return Due(_month_end(meeting.year, meeting.month), phrase)
    if words in ("eoq", "end of quarter", "end of the quarter"):
        return Due(_quarter_end(meeting.year, (meeting.month - 1) // 3 + 1), phrase)
    if words in ("eoy", "end of year", "end of the year"):
        return Due(dt.date(meeting.year, 12, 31), phrase)
    month_end = re.match(r"(?:the )?end of ([a-z]+)", words)
    if month_end and month_end.group(1) not in ("day", "week", "month", "quarter", "year", "the"):
        number = month_number(month_end.group(1))
        end = _month_end(meeting.year, number)
        if (meeting - end).days > 60:
            end = _month_end(meeting.year + 1, number)
        return Due(end, phrase)
    quarter = re.search(r"q([1-4])", words)
    if quarter:
        end = _quarter_end(meeting.year, int(quarter.group(1)))
        if end < meeting:
            end = _quarter_end(meeting.year + 1, int(quarter.group(1)))
        return Due(end, phrase)
    span = re.match(r"(?:in|within) (a|one|two|three|four|five|six|couple of|\d{1,2}) (day|week)s?", words)
    if span:
        count = NUMBERS.get(span.group(1)) or int(span.group(1))
        return Due(meeting + dt.timedelta(days=count * (7 if span.group(2) == "week" else 1)), phrase)
    later = re.match(r"(?:(?:by|before|on|until|due)\s+)?(\w+),?\s+(?:of\s+)?next week", words)
    if later and later.group(1) in WEEKDAYS:
        monday = meeting - dt.timedelta(days=meeting.weekday()) + dt.timedelta(weeks=1)
        return Due(monday + dt.timedelta(days=WEEKDAYS[later.group(1)]), phrase)
    weekday = re.match(r"(by|before|on|until|due|for|this|next|coming)\s+(\w+)", words)
    if weekday and weekday.group(2) in WEEKDAYS:
        target = WEEKDAYS[weekday.group(2)]
        if weekday.group(1) == "next":
            monday = meeting - dt.timedelta(days=meeting.weekday()) + dt.timedelta(weeks=1)
            return Due(monday + dt.timedelta(days=target), phrase)
        ahead = (target - meeting.weekday()) % 7
        if ahead == 0 and weekday.group(1) != "this":
            ahead = 7
        return Due(meeting + dt.timedelta(days=ahead), phrase)
    return Due(None, phrase, f"due unclear: '{phrase}'")


def find_due(text: str, meeting: dt.date | None, next_meeting: dt.date | None = None) -> Due | None:
    """The due date an action's text gives, or None when it names none. A date mentioned without
    "by", "due", "before" or the like is not taken for a due date."""
    found: list[tuple[int, Due]] = []
    for match in MARKED_ABSOLUTE.finditer(text):
        date, note = parse_absolute(match["date"], meeting)
        if date is None and note is None and meeting is None:
            note = f"due unclear: '{match['date']}' needs the meeting's year"
        found.append((match.start("date"), Due(date, match["date"], note)))
    for match in RELATIVE.finditer(text):
        found.append((match.start(), resolve_relative(match["phrase"], meeting, next_meeting)))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    dated = {due.date for _, due in found if due.date}
    if len(dated) > 1:
        phrases = ", ".join(f"'{due.phrase}'" for _, due in found)
        return Due(None, phrases, f"due unclear: several dates ({phrases})")
    for _, due in found:
        if due.date:
            return due
    return found[0][1]


def meeting_date_from(filename: str, lines: list[str]) -> dt.date | None:
    """The meeting's date from the file name (2026-12-03-notes.md, 20261203.txt) or, failing that,
    from the first heading or the first lines that carry a full date."""
    stem = filename.rsplit("/", 1)[-1]
    match = re.search(r"((?:19|20|21)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)", stem)
    if match:
        found = _make(int(match[1]), int(match[2]), int(match[3]))
        if found:
            return found
    for raw in lines[:15]:
        line = raw.strip()
        if not line:
            continue
        dotted = re.search(r"\b([0-3]?\d)\.([01]?\d)\.((?:19|20|21)\d\d)\b", line)
        if dotted:
            found = _make(int(dotted[3]), int(dotted[2]), int(dotted[1]))
            if found:
                return found
        iso = ISO.search(line)
        if iso:
            found = _make(int(iso["year"]), int(iso["month"]), int(iso["day"]))
            if found:
                return found
        for pattern in (MONTH_DAY, DAY_MONTH):
            written = pattern.search(line)
            if written and written["year"]:
                month = month_number(written["month"])
                found = _make(int(written["year"]), month, int(written["day"])) if month else None
                if found:
                    return found
    return None
