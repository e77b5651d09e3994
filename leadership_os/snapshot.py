"""The org snapshot (DESIGN.md): one JSON document, validated whole before anything is written.

Each app contributes its sections in `<app>/snapshot.py` (a module-level `SECTIONS` list). This module
parses the document, validates every section with pydantic, checks references across sections,
reports every problem by its place in the file (`decisions[3].needed_by: not a date`), and writes
all or nothing in one transaction.

Dates are ISO (`2026-11-20`) or relative to the anchor (`@-3`, `@+2`, `@0`); date-times are ISO or
relative with a local time (`@+1T10:30`), read in the configured time zone.

A record may carry its `history` (its django-simple-history rows, oldest first, dates absolute):
see `snapshot_history`. Writers register those rows on the context; `write` inserts them last.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError, core_schema

FORMAT = "leadership-os/org@1"
DEFAULT_SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample"
SECTION_MODULES = [
    "leadership_os.snapshot_sections",
    "decisions.snapshot",
    "workstreams.snapshot",
    "rhythms.snapshot",
    "briefs.snapshot",
    "context_repo.snapshot",
]
# Sections DESIGN.md names; one that no installed module provides yet is refused if it holds records.
KNOWN_SECTIONS = [
    "people", "surfaces", "decisions", "workstreams", "status_updates", "commitments", "rituals",
    "occurrences", "engagements", "briefs", "context",
]  # fmt: skip

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


def _message(error: Any) -> str:
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


def sections() -> list[Section]:
    """Every section the installed apps provide, in write order."""
    found: list[Section] = []
    for module_name in SECTION_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        found.extend(importlib.import_module(module_name).SECTIONS)
    return sorted(found, key=lambda s: s.order)


@dataclass
class Snapshot:
    """A validated document, ready to write."""

    anchor: dt.date
    records: dict[str, list[Any]]

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.records.items() if items}


def read_path(path: Path) -> Any:
    """Read a snapshot file, or a folder of JSON parts merged in file-name order (the sample org is
    kept in parts, one per artifact). Raises SnapshotError for unreadable or malformed JSON."""
    problems = Problems()
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        problems.add(str(path), "no snapshot file found")
        raise SnapshotError(problems)
    merged: dict[str, Any] = {}
    for file in files:
        try:
            part = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.add(str(file), "no such file")
            continue
        except json.JSONDecodeError as error:
            problems.add(
                f"{file.name} line {error.lineno} column {error.colno}", f"not valid JSON ({error.msg})"
            )
            continue
        if not isinstance(part, dict):
            problems.add(file.name, "must be a JSON object")
            continue
        for key, value in part.items():
            if key in ("format", "anchor"):
                if key in merged and merged[key] != value:
                    problems.add(f"{file.name}: {key}", f"differs from the other parts ({merged[key]!r})")
                merged.setdefault(key, value)
            elif isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            else:
                merged[key] = value
    if problems:
        raise SnapshotError(problems)
    return merged


def validate(document: Any, *, today: dt.date | None = None) -> Snapshot:
    """Validate a whole document; raise SnapshotError listing every problem by place."""
    problems = Problems()
    if not isinstance(document, dict):
        problems.add("", "the document must be a JSON object")
        raise SnapshotError(problems)
    if document.get("format") != FORMAT:
        problems.add("format", f"must be {FORMAT!r}, not {document.get('format')!r}")
    anchor_raw = document.get("anchor", "today")
    anchor = today or timezone.localdate()
    if anchor_raw != "today":
        try:
            anchor = dt.date.fromisoformat(str(anchor_raw))
        except ValueError:
            problems.add("anchor", "must be 'today' or a date written YYYY-MM-DD")

    available = {section.name: section for section in sections()}
    for name in document:
        if name in ("format", "anchor"):
            continue
        if name not in available:
            if name in KNOWN_SECTIONS:
                if document[name]:
                    problems.add(name, "this version of Leadership OS cannot load this section yet")
            else:
                problems.add(name, "unknown section")

    records: dict[str, list[Any]] = {}
    index = KeyIndex()
    for section in available.values():
        raw = document.get(section.name, [])
        if not isinstance(raw, list):
            problems.add(section.name, "must be a list")
            continue
        items = []
        for position, item in enumerate(raw):
            place = f"{section.name}[{position}]"
            try:
                record = section.record.model_validate(item)
            except ValidationError as error:
                for detail in error.errors():
                    problems.add(place_of((place, *detail["loc"])), _message(detail))
                # A broken record's key still counts, so that references to it are not reported too.
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    index.define(section.name, item["key"], place)
                continue
            items.append(record)
            key = section.key_of(record) if section.key_of else None
            if key is not None:
                earlier = index.define(section.name, key, place)
                if earlier:
                    problems.add(f"{place}.key", f"{key!r} is used twice (also at {earlier})")
        records[section.name] = items
    for section in available.values():
        if section.check and section.name in records:
            section.check(records[section.name], index, problems)
    if problems:
        raise SnapshotError(problems)
    return Snapshot(anchor=anchor, records=records)


def org_is_empty() -> bool:
    return not any(model.objects.exists() for section in sections() for model in section.models)


def clear_org() -> None:
    """Remove every artifact and its history (used by --replace)."""
    from leadership_os.models import KeyCounter, OrgRevision, Tag

    for section in reversed(sections()):
        for model in reversed(section.models):
            model.objects.all().delete()
            history = getattr(model, "history", None)
            if history is not None:
                # Many-to-many history rows point at their history row without a cascade.
                for m2m_field in history.model._history_m2m_fields:
                    getattr(history.model, m2m_field.name).model.objects.all().delete()
                history.model.objects.all().delete()
    Tag.objects.all().delete()
    KeyCounter.objects.all().delete()
    OrgRevision.bump()


def write(snapshot: Snapshot, *, replace: bool = False) -> dict[str, int]:
    """Write a validated snapshot, all or nothing. Refuses a non-empty org unless `replace`."""
    from leadership_os.models import OrgRevision
    from leadership_os.signals import bumps_paused
    from leadership_os.snapshot_history import write_pending

    with transaction.atomic():
        if replace:
            clear_org()
        elif not org_is_empty():
            problems = Problems()
            problems.add("", "the database already holds an organization; load with --replace to swap it")
            raise SnapshotError(problems)
        context = WriteContext(anchor=snapshot.anchor)
        # Each save's side effects (a revision bump, a search index refresh) would be thousands of
        # writes for a large org: they are paused, then done once for the whole org.
        with bumps_paused(), _search_index_paused() as rebuild_search_index:
            for section in sections():
                if section.write and snapshot.records.get(section.name):
                    section.write(snapshot.records[section.name], context)
            write_pending(context)
        rebuild_search_index()
        OrgRevision.bump()
    return snapshot.counts()


@contextmanager
def _search_index_paused() -> Iterator[Callable[[], object]]:
    """The search index's per-save refresh paused, and the rebuild to run after (when the context
    repository, which keeps the index, is installed)."""
    if importlib.util.find_spec("context_repo.search") is None:
        yield lambda: None
        return
    search = importlib.import_module("context_repo.search")
    with search.paused():
        yield search.rebuild_index


def load(document: Any, *, replace: bool = False, today: dt.date | None = None) -> dict[str, int]:
    """Validate then write a document; return the number of records of each section."""
    return write(validate(document, today=today), replace=replace)


def export() -> dict[str, Any]:
    """The whole org as one document (absolute dates)."""
    document: dict[str, Any] = {"format": FORMAT, "anchor": "today"}
    for section in sections():
        if section.export:
            document[section.name] = section.export()
    return document
