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
from typing import Any

from django.db import models
from django.utils import timezone
from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError, core_schema

FORMAT = "leadership-os/org@1"

_RELATIVE = re.compile(r"^@([+-]?\d+)$")
_RELATIVE_TIME = re.compile(r"^@([+-]?\d+)[T ](\d{1,2}):(\d{2})$")


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
                return cls(offset=int(match.group(1)))
            try:
                return cls(absolute=dt.date.fromisoformat(value.strip()))
            except ValueError:
                pass
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
                return cls(offset=int(match.group(1)), time=dt.time(int(match.group(2)), int(match.group(3))))
            try:
                return cls(absolute=dt.datetime.fromisoformat(text))
            except ValueError:
                pass
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


def iso(value: dt.date | None) -> str | None:
    """A date as an export writes it: ISO, or None."""
    return value.isoformat() if value else None


class Record(BaseModel):
    """Base of every snapshot record: unknown fields are an error, text is trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass
class Problems:
    """Every problem found in a document, each by its place."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, place: str, message: str) -> None:
        self.items.append((place, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        return [f"{place}: {message}" if place else message for place, message in self.items]


class SnapshotError(Exception):
    """A document was refused; `problems` lists every problem by place. Nothing was written."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__("\n".join(problems.lines()))


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
