"""The org snapshot (DESIGN.md): one JSON document, validated whole before anything is written.

Each artifact's section lives in `orgfiles/sections/<app>.py` (a module-level `SECTIONS` list). This module
parses the document, validates every section with pydantic, checks references across sections,
reports every problem by its place in the file (`decisions[3].needed_by: not a date`), and writes
all or nothing in one transaction.

Nothing a database cannot store gets past `validate` (so a refusal never depends on the database):
the reader refuses bytes that are not UTF-8 (a UTF-8 byte order mark is skipped), JSON nested deeper
than MAX_DEPTH, a key given twice in one object, dates outside 1900-2200 (relative ones once
resolved), key numbers past a 32-bit integer and text with NUL characters or lone surrogates, each
by place (leadership_os.storable says what is storable). A refusal prints PROBLEM_CAP problems at most.

The format's building blocks (relative dates, records, problems by place, keys) are in
`orgfiles.format`. A record may carry its `history` (its django-simple-history rows, oldest first,
dates absolute): see `orgfiles.history`. Writers register those rows on the context; `write` inserts them last.
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from pydantic import ValidationError

from leadership_os.storable import date_problem
from orgfiles.format import (
    FORMAT,
    MAX_DEPTH,
    KeyIndex,
    Problems,
    Record,
    RelDate,
    RelDateTime,
    Section,
    SnapshotError,
    Unreadable,
    WriteContext,
    check_dates,
    iso,
    json_object,
    key_number,
    message_of,
    place_of,
    scan,
)

__all__ = [
    "FORMAT",
    "KeyIndex",
    "Problems",
    "Record",
    "RelDate",
    "RelDateTime",
    "Section",
    "Snapshot",
    "SnapshotError",
    "WriteContext",
    "clear_org",
    "export",
    "iso",
    "key_number",
    "load",
    "org_is_empty",
    "read_path",
    "sections",
    "validate",
    "write",
]  # fmt: skip

DEFAULT_SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample"
SECTION_MODULES = [
    "orgfiles.sections.people",
    "orgfiles.sections.decisions",
    "orgfiles.sections.workstreams",
    "orgfiles.sections.rhythms",
    "orgfiles.sections.briefs",
    "orgfiles.sections.context_repo",
]
# Sections DESIGN.md names; one that no installed module provides yet is refused if it holds records.
KNOWN_SECTIONS = [
    "people", "surfaces", "decisions", "workstreams", "status_updates", "commitments", "rituals",
    "occurrences", "engagements", "briefs", "context",
]  # fmt: skip


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
    kept in parts, one per artifact). Raises SnapshotError for a path that names no readable file,
    bytes that are not UTF-8 (a UTF-8 byte order mark is allowed and skipped), malformed JSON, or
    JSON nested deeper than MAX_DEPTH. Every other check is `validate`'s."""
    problems = Problems()
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        for file in files:
            if not file.is_file():
                problems.add(str(file), "a folder (or other non-file) where a JSON file is expected")
        files = [file for file in files if file.is_file()]
        if not files and not problems:
            problems.add(str(path), "no snapshot file found (a folder of parts holds *.json files)")
    elif path.exists():
        files = [path] if path.is_file() else []
        if not files:
            problems.add(str(path), "not a regular file")
    else:
        files = []
        problems.add(str(path), "no such file or folder")
    merged: dict[str, Any] = {}
    for file in files:
        part = _read_json(file, file.name, problems)
        if part is _UNREAD:
            continue
        if not isinstance(part, dict):
            problems.add(file.name, "must be a JSON object")
            continue
        for key in getattr(part, "duplicates", ()):
            problems.add(file.name, f"the key {key!r} is given twice in the top object; give each key once")
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


# A JSON string (skipped whole) or a bracket: enough to measure nesting without parsing. A string
# left open runs to the end of the text, so that each quote is matched once: the scan is linear
# whatever the file holds (a pattern that could fail on an open string would try again from every
# quote after it).
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


_UNREAD = object()


def _read_json(file: Path, name: str, problems: Problems) -> Any:
    """One file's JSON value, or _UNREAD with the reason added to `problems`."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        problems.add(name, f"cannot be read ({error.strerror or error})")
        return _UNREAD
    skipped = 0
    if raw.startswith(codecs.BOM_UTF8):
        raw, skipped = raw[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
    elif raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        problems.add(name, "is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8")
        return _UNREAD
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(name, "is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8")
        return _UNREAD
    nul = raw.find(b"\x00")
    if nul >= 0:
        problems.add(
            f"{name} byte {nul + skipped} (line {_line(raw, nul)})",
            "a NUL byte: not UTF-8 JSON text (UTF-16 or UTF-32 without a byte order mark?); save it as UTF-8",
        )
        return _UNREAD
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.end].hex(" ")
        problems.add(
            f"{name} byte {error.start + skipped} (line {_line(raw, error.start)})",
            f"not UTF-8 (byte {bad}: {error.reason}); save the file as UTF-8",
        )
        return _UNREAD
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = text[token.start()]
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                column = token.start() - text.rfind("\n", 0, token.start())
                problems.add(
                    f"{name} line {line} column {column}",
                    f"nested too deep: at most {MAX_DEPTH} levels of objects and lists",
                )
                return _UNREAD
        elif bracket in "]}":
            depth -= 1
    try:
        return json.loads(
            text, object_pairs_hook=json_object, parse_int=_whole_number, parse_constant=_constant
        )
    except json.JSONDecodeError as error:
        problems.add(f"{name} line {error.lineno} column {error.colno}", f"not valid JSON ({error.msg})")
    except (ValueError, RecursionError) as error:  # a safety net: the scan above measured the depth
        problems.add(name, f"not valid JSON ({type(error).__name__})")
    return _UNREAD


def _line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _whole_number(digits: str) -> Any:
    if len(digits.lstrip("-")) > 100:
        return Unreadable(f"a whole number of {len(digits.lstrip('-')):,} digits (no field holds one)")
    return int(digits)


def _constant(name: str) -> Any:
    return Unreadable(f"{name} is not a JSON number")


def validate(document: Any, *, today: dt.date | None = None) -> Snapshot:
    """Validate a whole document; raise SnapshotError listing every problem by place."""
    problems = Problems()
    if not isinstance(document, dict):
        problems.add("", "the document must be a JSON object")
        raise SnapshotError(problems)
    if scan(document, problems):
        raise SnapshotError(problems)
    if document.get("format") != FORMAT:
        problems.add("format", f"must be {FORMAT!r}, not {document.get('format')!r}")
    anchor_raw = document.get("anchor", "today")
    anchor = today or timezone.localdate()
    if anchor_raw != "today":
        try:
            anchor = dt.date.fromisoformat(anchor_raw) if isinstance(anchor_raw, str) else None
        except ValueError:
            anchor = None
        if anchor is None:
            problems.add("anchor", "must be 'today' or a date written YYYY-MM-DD")
        elif date_problem(anchor):
            problems.add("anchor", f"{date_problem(anchor)}")
            anchor = None
    if anchor is None:
        # Relative dates cannot be resolved; they are still checked as written.
        anchor = today or timezone.localdate()
        anchor_known = False
    else:
        anchor_known = True

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
                    problems.add(place_of((place, *detail["loc"])), message_of(detail))
                # A broken record's key still counts, so that references to it are not reported too.
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    index.define(section.name, item["key"], place)
                continue
            items.append(record)
            if anchor_known:
                check_dates(record, place, anchor, problems)
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
    """Write a validated snapshot, all or nothing. Refuses a non-empty org unless `replace`.

    `validate` refuses whatever a database would (values are checked against leadership_os.storable),
    so a database error here is a gap in those checks: it is still reported as a refusal, by the
    database's own words, and nothing is written."""
    try:
        return _write(snapshot, replace=replace)
    except DatabaseError as error:
        problems = Problems()
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        problems.add("", f"the database refused to store the file ({reason})")
        raise SnapshotError(problems) from error


def _write(snapshot: Snapshot, *, replace: bool) -> dict[str, int]:
    from leadership_os.models import OrgRevision
    from leadership_os.signals import bumps_paused
    from orgfiles.history import write_pending

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
