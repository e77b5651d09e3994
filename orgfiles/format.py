"""The org snapshot format's building blocks: dates as written, records, problems by place, keys.

A date is ISO (`2026-11-20`) or relative to the anchor (`@-3`, `@+2`, `@0`); a date-time is ISO or
relative with a local time (`@+1T10:30`), read in the configured time zone. Every section module
(`orgfiles.sections.*`) builds on these; `orgfiles.snapshot` reads and writes whole documents and
`orgfiles.history` the records' history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from django.db import models
from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError, core_schema

from leadership_os.storable import (
    MAX_KEY_NUMBER,
    date_problem,
    key_number_problem,
    relative_days_problem,
    text_problem,
)

FORMAT = "leadership-os/org@1"
# The deepest a document may nest objects and lists (the document itself is level 1; the deepest
# the format goes is 7, a tag list in a history entry's values).
MAX_DEPTH = 64
# How many problems a refusal prints (the commands), then how many more there are.
PROBLEM_CAP = 200
# How many a page shows (the staff's sample reload): a notice of 200 lines would bury the page.
PAGE_PROBLEM_CAP = 20
# How long one printed problem may be (a place or a value can be as long as the file).
PROBLEM_WIDTH = 400

_RELATIVE = re.compile(r"^@([+-]?\d+)$")
_RELATIVE_TIME = re.compile(r"^@([+-]?\d+)[T ](\d{1,2}):(\d{2})$")


def _days(digits: str) -> int:
    """A relative date's day count; refused (before any arithmetic) beyond what can be stored."""
    # A count longer than 9 digits is out of range whatever it is (and int() of thousands of digits
    # is refused by Python itself).
    days = int(digits) if len(digits.lstrip("+-")) <= 9 else 10**9
    problem = relative_days_problem(days)
    if problem:
        raise PydanticCustomError("date_out_of_range", problem)
    return days


def _storable_date[D: dt.date](value: D) -> D:
    problem = date_problem(value)
    if problem:
        raise PydanticCustomError("date_out_of_range", problem)
    return value


@dataclass(frozen=True)
class RelDate:
    """A date as written in a snapshot: absolute, or a number of days from the anchor."""

    absolute: dt.date | None = None
    offset: int | None = None

    def resolve(self, anchor: dt.date) -> dt.date:
        if self.absolute is not None:
            return self.absolute
        return anchor + dt.timedelta(days=self.offset or 0)

    @classmethod
    def parse(cls, value: Any) -> RelDate:
        if isinstance(value, RelDate):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return cls(absolute=value)
        if isinstance(value, str):
            match = _RELATIVE.match(value.strip())
            if match:
                return cls(offset=_days(match.group(1)))
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                return cls(absolute=_storable_date(day))
        raise PydanticCustomError(
            "not_a_date", "not a date (write YYYY-MM-DD, or @-3 for three days before the anchor)"
        )

    def dump(self) -> str:
        return self.absolute.isoformat() if self.absolute else f"@{self.offset:+d}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.dump())
        )


@dataclass(frozen=True)
class RelDateTime:
    """A local date and time: ISO, or days from the anchor with a time of day (`@+1T10:30`)."""

    absolute: dt.datetime | None = None
    offset: int | None = None
    time: dt.time | None = None

    def resolve(self, anchor: dt.date) -> dt.datetime:
        zone = timezone.get_default_timezone()
        if self.absolute is not None:
            value = self.absolute
            return value if timezone.is_aware(value) else timezone.make_aware(value, zone)
        day = anchor + dt.timedelta(days=self.offset or 0)
        return timezone.make_aware(dt.datetime.combine(day, self.time or dt.time(9, 0)), zone)

    @classmethod
    def parse(cls, value: Any) -> RelDateTime:
        if isinstance(value, RelDateTime):
            return value
        if isinstance(value, dt.datetime):
            return cls(absolute=value)
        if isinstance(value, str):
            text = value.strip()
            match = _RELATIVE_TIME.match(text)
            if match and int(match.group(2)) < 24 and int(match.group(3)) < 60:
                return cls(
                    offset=_days(match.group(1)), time=dt.time(int(match.group(2)), int(match.group(3)))
                )
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                return cls(absolute=_storable_date(moment))
        raise PydanticCustomError(
            "not_a_datetime",
            "not a date and time (write 2026-11-20T10:30, or @+1T10:30 for tomorrow at 10:30)",
        )

    def dump(self) -> str:
        if self.absolute is not None:
            return self.absolute.isoformat()
        return f"@{self.offset:+d}T{self.time:%H:%M}" if self.time else f"@{self.offset:+d}T09:00"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.dump())
        )


def key_number(key: str) -> int:
    """The number of a stable key: `D-12` gives 12 (0 when the key ends in no number)."""
    match = re.search(r"(\d+)$", key)
    return int(match.group(1)) if match else 0


def numbered_key(prefix: str, message: str | None = None) -> Any:
    """The type of a record's stable key, `<prefix>-<number>`, with a number the database stores."""
    pattern = re.compile(rf"{prefix}-([1-9][0-9]*)")
    wrong = message or f"must be a key such as {prefix}-12"

    def check(value: str) -> str:
        match = pattern.fullmatch(value)
        if match is None:
            raise PydanticCustomError("record_key", wrong)
        digits = match.group(1)
        problem = key_number_problem(int(digits) if len(digits) <= 10 else MAX_KEY_NUMBER + 1)
        if problem:
            raise PydanticCustomError("key_number", problem)
        return value

    return Annotated[str, AfterValidator(check)]


TagName = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


def iso(value: dt.date | None) -> str | None:
    """A date as an export writes it: ISO, or None."""
    return value.isoformat() if value else None


class Record(BaseModel):
    """Base of every snapshot record: unknown fields are an error, text is trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def printable(text: str, width: int = PROBLEM_WIDTH) -> str:
    """`text` safe to print: control characters and lone surrogates escaped, cut to `width`."""
    if len(text) > width:
        text = f"{text[:width]}… ({len(text):,} characters)"
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class Problems:
    """Every problem found in a document, each by its place."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, place: str, message: str) -> None:
        self.items.append((place, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def lines(self) -> list[str]:
        return [f"{place}: {message}" if place else message for place, message in self.items]

    def report(self, cap: int = PROBLEM_CAP) -> list[str]:
        """The first `cap` problems as printable lines, then how many more there are."""
        shown = [printable(line) for line in self.lines()[:cap]]
        if len(self.items) > cap:
            shown.append(f"... and {len(self.items) - cap:,} more")
        return shown

    def refusal(self, subject: str = "The file", cap: int = PROBLEM_CAP, separator: str = "\n  ") -> str:
        """What a command (or page) says when a document is refused: a count, then the capped list."""
        count = len(self.items)
        head = f"{subject} was refused ({count:,} problem{'s' if count != 1 else ''}); nothing was written:"
        return head + separator + separator.join(self.report(cap))


class SnapshotError(Exception):
    """A document was refused; `problems` lists every problem by place. Nothing was written."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__("\n".join(problems.report()))


class Unreadable:
    """What the JSON reader puts in place of a value no record can hold (a whole number of
    thousands of digits, NaN or Infinity), so that the scan reports it by its place."""

    def __init__(self, problem: str):
        self.problem = problem

    def __repr__(self) -> str:
        return f"<{self.problem}>"


class JSONObject(dict[str, Any]):
    """A JSON object that named a key more than once (the reader keeps the last value)."""

    duplicates: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` for json.loads: an object that repeats a key is marked with the repeats."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = JSONObject(pairs)
    seen: set[str] = set()
    repeats: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in repeats:
            repeats.append(key)
        seen.add(key)
    marked.duplicates = tuple(repeats)
    return marked


def _join(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def scan(document: Any, problems: Problems, *, top: str = "") -> bool:
    """The checks that hold for any value anywhere in a document, by place: nesting no deeper than
    MAX_DEPTH, no key given twice in one object, text (names included) that can be stored, and
    nothing the JSON reader could not turn into a value. Iterative: any depth is safe to scan.
    Returns whether the document nests too deep (then nothing else should walk it)."""
    too_deep = False
    stack: list[tuple[Any, str, int]] = [(document, top, 1)]
    while stack:
        value, place, depth = stack.pop()
        where = place or "the document"
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                problems.add(where, problem)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                problems.add(where, f"nested too deep: at most {MAX_DEPTH} levels of objects and lists")
                too_deep = True
                continue
            children: list[tuple[Any, str, int]] = []
            if isinstance(value, dict):
                for key in getattr(value, "duplicates", ()):
                    problems.add(where, f"the key {key!r} is given twice in this object; give each key once")
                for key, item in value.items():
                    problem = text_problem(key) if isinstance(key, str) else None
                    if problem:
                        problems.add(where, f"a field name {problem}")
                    children.append((item, _join(place, str(key)), depth + 1))
            else:
                children = [(item, _join(place, n), depth + 1) for n, item in enumerate(value)]
            stack.extend(reversed(children))
        elif isinstance(value, Unreadable):
            problems.add(where, value.problem)
    return too_deep


def check_dates(record: BaseModel, place: str, anchor: dt.date, problems: Problems) -> None:
    """Every date of a validated record (and of the records it holds), resolved against the anchor,
    must be storable: `@+40000` from a 2026 anchor is past the last storable day."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        values = value if isinstance(value, list) else [value]
        for n, item in enumerate(values):
            where = _join(_join(place, name), n) if isinstance(value, list) else _join(place, name)
            if isinstance(item, RelDate | RelDateTime) and item.offset is not None:
                problem = date_problem(item.resolve(anchor))
                if problem:
                    problems.add(where, f"{item.dump()} from the anchor {anchor.isoformat()} is {problem}")
            elif isinstance(item, RelDateTime) and item.absolute is not None:
                # A time without a zone is read in the configured one, which can move its UTC day.
                problem = date_problem(item.resolve(anchor))
                if problem:
                    problems.add(where, problem)
            elif isinstance(item, BaseModel):
                check_dates(item, where, anchor, problems)


def place_of(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_MESSAGES = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "string_type": "must be text",
    "string_unicode": "must be valid Unicode text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "string_pattern_mismatch": "must be a key of lowercase letters, digits, '-' and '_'",
    "date_from_datetime_parsing": "not a date",
}


def message_of(error: Any) -> str:
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if error["type"] == "string_too_long":
        return f"is longer than {error.get('ctx', {}).get('max_length')} characters"
    if error["type"] in ("string_too_short", "too_short") and error["input"] in ("", []):
        return "must not be empty"
    return _MESSAGES.get(error["type"], str(error["msg"]))


@dataclass
class KeyIndex:
    """The keys each section of the document defines, to check references against."""

    keys: dict[str, dict[str, str]] = field(default_factory=dict)

    def define(self, section: str, key: str, place: str) -> str | None:
        """Record `key`; return the place of an earlier definition if it is a duplicate."""
        seen = self.keys.setdefault(section, {})
        if key in seen:
            return seen[key]
        seen[key] = place
        return None

    def has(self, section: str, key: str) -> bool:
        return key in self.keys.get(section, {})

    def check(self, problems: Problems, place: str, section: str, key: str | None, what: str) -> None:
        if key is not None and key != "" and not self.has(section, key):
            problems.add(place, f"no {what} with key {key!r} in this file")


@dataclass
class WriteContext:
    """What a section's writer needs: the anchor, and the records written so far by section and key."""

    anchor: dt.date
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[Any] = field(default_factory=list)  # snapshot_history.Pending, written last
    _tags: dict[str, Any] = field(default_factory=dict)

    def date(self, value: RelDate | None) -> dt.date | None:
        return value.resolve(self.anchor) if value is not None else None

    def datetime(self, value: RelDateTime | None) -> dt.datetime | None:
        return value.resolve(self.anchor) if value is not None else None

    def put(self, section: str, key: str, obj: Any) -> None:
        self.objects.setdefault(section, {})[key] = obj

    def get(self, section: str, key: str | None) -> Any:
        if key is None or key == "":
            return None
        return self.objects[section][key]

    def tags(self, names: Iterable[str]) -> list[Any]:
        from leadership_os.models import Tag

        result = []
        for name in names:
            if name not in self._tags:
                self._tags[name], _ = Tag.objects.get_or_create(name=name)
            result.append(self._tags[name])
        return result


@dataclass(frozen=True)
class Section:
    """One list of the document: its record type, where it stands in the write order, and how it is
    checked, written, exported and cleared."""

    name: str
    record: type[Record]
    order: int
    key_of: Callable[[Any], str | None] | None = None
    check: Callable[[list[Any], KeyIndex, Problems], None] | None = None
    write: Callable[[list[Any], WriteContext], None] | None = None
    export: Callable[[], list[dict[str, Any]]] | None = None
    models: tuple[type[models.Model], ...] = ()
