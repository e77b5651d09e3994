"""History in the org snapshot: a record's django-simple-history rows, carried as its `history` list.

    "history": [
      {"at": "2026-11-20T18:31:02.123456+00:00", "by": "cos", "type": "created", "reason": "",
       "values": {"title": "…", "status": "draft", "tags": ["fedramp"], …every tracked field…}},
      {"at": "2026-11-21T09:02:11+00:00", "by": null, "type": "changed", "reason": "Opened for decision",
       "values": {"status": "open", "opened_on": "2026-11-21", "version": 2}}
    ]

Entries are oldest first. `at` is an absolute date and time (an export writes UTC); `by` is the
username of who made the change (on import, a login that does not exist leaves the entry with no
user); `type` is `created`, `changed` or `deleted`; `reason` is the change reason. `values` uses the
export's own forms (people, surfaces, decisions, workstreams and engagements by key, a login by
username, tags by name, ISO dates; date-times as absolute as `at`): the first entry of a record gives
every tracked field, each later one only what changed, and the importer rebuilds every row from them.

A record without `history` is imported as before (its rows get a "created" history row dated now);
one with a `history` list, even an empty one, gets exactly those rows instead. The writers mark such
records so that saving them writes no history, and register their entries here; `write_pending`
then bulk-inserts every historical row (and the many-to-many history rows, such as tags) once all
sections are written, so that every key a value names exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Min
from django.utils import timezone
from pydantic import BeforeValidator
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError
from simple_history.utils import bulk_create_with_history

from leadership_os.storable import date_problem
from orgfiles.format import KeyIndex, Problems, Record, WriteContext

TYPES = {"+": "created", "~": "changed", "-": "deleted"}
SYMBOLS = {name: symbol for symbol, name in TYPES.items()}
BATCH = 1000

# The sections a value may refer to, by the referenced model, and what a message calls one of them.
REFERENCES = {
    "leadership_os.person": ("people", "person"),
    "leadership_os.surface": ("surfaces", "surface"),
    "decisions.decision": ("decisions", "decision"),
    "workstreams.workstream": ("workstreams", "workstream"),
    "briefs.engagement": ("engagements", "engagement"),
}
_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _moment(value: Any) -> dt.datetime:
    """An absolute date and time; a naive one is read in the configured time zone."""
    moment: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    # A time of day is required: a bare date is not a moment.
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", value.strip()):
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(value.strip())
    if moment is None:
        raise PydanticCustomError(
            "not_a_datetime", "not a date and time (write an absolute one, e.g. 2026-11-20T18:31:02+00:00)"
        )
    # The day is checked before a time zone is applied (which could leave the calendar's range).
    problem = date_problem(moment)
    if problem is None:
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        problem = date_problem(moment)
    if problem:
        raise PydanticCustomError("date_out_of_range", problem)
    return moment


def _date(value: Any) -> dt.date:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            problem = date_problem(day)
            if problem:
                raise ValueError(problem)
            return day
    raise ValueError("not a date (history dates are absolute: write YYYY-MM-DD)")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


Moment = Annotated[dt.datetime, BeforeValidator(_moment)]


class Entry(Record):
    """One history entry of a record."""

    at: Moment
    by: str | None = None
    type: Literal["created", "changed", "deleted"]
    reason: str = PydanticField(default="", max_length=5000)
    values: dict[str, Any] = PydanticField(default_factory=dict)


class PartEntry(Entry):
    """A history entry of a record kept with its parts: `part` names the part (None: the record)."""

    part: str | None = None


History = list[Entry] | None


@dataclass(frozen=True)
class Column:
    """A tracked field as written in `values`: its kind decides how it is checked, written and read."""

    name: str
    attname: str
    kind: Literal["text", "int", "bool", "date", "datetime", "choice", "ref", "user", "author", "many"]
    section: str = ""  # what a ref or many names: a section of the snapshot, or "tags"
    what: str = ""
    model: type[models.Model] | None = None  # the referenced model (ref, many)
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    maximum: int = 0
    null: bool = False
    # A field added to the model after files were written: a first entry may leave it out, and it
    # reads as empty then (None, or "" for text), so older files stay readable as they are.
    optional: bool = False

    @property
    def empty(self) -> Any:
        return None if self.null or self.kind != "text" else ""

    def dump(self, raw: Any, refs: Refs) -> Any:
        """The value as an export writes it, from the historical row's raw column value."""
        if raw is None:
            return [] if self.kind == "many" else None
        if self.kind == "date":
            return raw.isoformat()
        if self.kind == "datetime":
            return _iso(raw)
        if self.kind in ("ref", "user", "author"):
            return refs.key(self, raw)
        if self.kind == "many":
            keys = (refs.key(self, pk) for pk in raw)
            return sorted((key for key in keys if key is not None), key=_natural)
        return raw

    def check(self, value: Any, place: str, index: KeyIndex, problems: Problems) -> None:
        if value is None and self.null:
            return
        if self.kind in ("text", "user") and not isinstance(value, str):
            problems.add(place, "must be text")
        elif self.kind == "text" and self.max_length and len(value) > self.max_length:
            problems.add(place, f"is longer than {self.max_length} characters")
        elif self.kind == "int" and (type(value) is not int or not 0 <= value <= self.maximum):
            problems.add(place, f"must be a whole number from 0 to {self.maximum}")
        elif self.kind == "bool" and not isinstance(value, bool):
            problems.add(place, "must be true or false")
        elif self.kind == "date":
            try:
                _date(value)
            except ValueError as error:
                problems.add(place, str(error))
        elif self.kind == "datetime":
            try:
                _moment(value)
            except PydanticCustomError as error:
                problems.add(place, error.message())
        elif self.kind == "choice" and value not in self.choices:
            problems.add(place, "must be one of " + ", ".join(repr(c) for c in self.choices))
        elif self.kind in ("ref", "author"):
            if not isinstance(value, str):
                problems.add(place, "must be a key (text)")
            else:
                index.check(problems, place, self.section, value, self.what)
        elif self.kind == "many":
            if not isinstance(value, list):
                problems.add(place, "must be a list")
                return
            for n, item in enumerate(value):
                if not isinstance(item, str):
                    problems.add(f"{place}[{n}]", "must be text")
                elif self.section == "tags":
                    if not _TAG.match(item) or len(item) > 50:
                        problems.add(
                            f"{place}[{n}]", "must be a tag of lowercase letters, digits, '-' and '_'"
                        )
                else:
                    index.check(problems, f"{place}[{n}]", self.section, item, self.what)

    def load(self, value: Any, resolve: Resolver) -> Any:
        """The column value to store, from a checked value."""
        if value is None:
            return None
        if self.kind == "date":
            return _date(value)
        if self.kind == "datetime":
            return _moment(value)
        if self.kind in ("ref", "user", "author"):
            return resolve.pk(self, value)
        if self.kind == "many":
            return [resolve.pk(self, item) for item in value]
        return value


@dataclass(frozen=True, eq=False)
class Spec:
    """What a model's history carries: its tracked fields as columns of `values`, less `implied`
    ones that the importer fills from the record itself (its key, the record it belongs to)."""

    model: type[models.Model]
    columns: tuple[Column, ...]
    implied: tuple[str, ...]

    @property
    def historical(self) -> Any:
        return self.model.history.model  # type: ignore[attr-defined]

    @property
    def plain(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind != "many")

    @property
    def many(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == "many")

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @classmethod
    def of(
        cls,
        model: type[models.Model],
        *,
        implied: Iterable[str] = (),
        authors: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Spec:
        """The spec of a model kept with django-simple-history. `implied` names fields left out of
        `values`; `authors` names foreign keys to a login that the snapshot writes as the key of
        that login's person (as the record itself does)."""
        implied, authors = tuple(implied), set(authors)
        historical: Any = model.history.model  # type: ignore[attr-defined]
        columns = [
            _column(model._meta.get_field(f.name), authors)
            for f in historical.tracked_fields
            if f.name not in ("id", *implied)
        ]
        columns += [_column(f, authors) for f in historical._history_m2m_fields if f.name not in implied]
        optional = set(optional)
        columns = [replace(c, optional=True) if c.name in optional else c for c in columns]
        return cls(model=model, columns=tuple(columns), implied=implied)


def _column(f: Any, authors: set[str]) -> Column:
    if f.many_to_many or f.many_to_one or f.one_to_one:
        related = f.related_model
        label = related._meta.label_lower
        if label == "leadership_os.tag":
            section, what = "tags", "tag"
        elif related is get_user_model():
            if f.name in authors:
                return Column(f.name, f.attname, "author", "people", "person", related, null=True)
            return Column(f.name, f.attname, "user", model=related, null=True)
        elif label in REFERENCES:
            section, what = REFERENCES[label]
        else:
            raise TypeError(f"{f.model.__name__}.{f.name}: no snapshot section holds {label}")
        if f.many_to_many:
            return Column(f.name, f.name, "many", section, what, related)
        # A reference may be empty in history, and one to a record deleted since is written empty.
        return Column(f.name, f.attname, "ref", section, what, related, null=True)
    null = bool(f.null)
    if f.choices:
        return Column(f.name, f.attname, "choice", choices=tuple(str(c) for c, _ in f.flatchoices), null=null)
    if isinstance(f, models.BooleanField):
        return Column(f.name, f.attname, "bool", null=null)
    if isinstance(f, models.DateTimeField):
        return Column(f.name, f.attname, "datetime", null=null)
    if isinstance(f, models.DateField):
        return Column(f.name, f.attname, "date", null=null)
    if isinstance(f, models.PositiveSmallIntegerField):
        return Column(f.name, f.attname, "int", maximum=32767, null=null)
    if isinstance(f, models.IntegerField):
        return Column(f.name, f.attname, "int", maximum=2147483647, null=null)
    if isinstance(f, models.CharField | models.TextField):
        return Column(f.name, f.attname, "text", max_length=getattr(f, "max_length", None), null=null)
    raise TypeError(f"{f.model.__name__}.{f.name}: no snapshot form for {type(f).__name__}")


def _natural(key: str) -> tuple[str, int, str]:
    head, _, tail = key.rpartition("-")
    return (head, int(tail), "") if tail.isdigit() else (key, 0, key)


# Checking ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """What a history entry is about: the record itself, or one of its parts, live or deleted."""

    spec: Spec
    live: bool = True
    name: str = ""


def check(
    entries: Sequence[Entry] | None,
    place: str,
    index: KeyIndex,
    problems: Problems,
    part_of: Callable[[str | None], Part | str],
) -> None:
    """Check a record's history: each entry by place, then each part's entries together (its first
    entry gives every field; a part deleted since ends with its deletion, a live one does not; after
    a deletion comes only a `created` entry, as when a record is restored).
    `part_of` names what an entry's `part` refers to, or says why it refers to nothing."""
    if entries is None:
        return
    groups: dict[str | None, list[tuple[int, Entry, Part]]] = defaultdict(list)
    latest: dt.datetime | None = None
    for n, entry in enumerate(entries):
        where = f"{place}[{n}]"
        if latest is not None and entry.at < latest:
            problems.add(f"{where}.at", "earlier than the entry before it (history is oldest first)")
        latest = max(latest, entry.at) if latest else entry.at
        name = getattr(entry, "part", None)
        part = part_of(name)
        if isinstance(part, str):
            problems.add(f"{where}.part", part)
            continue
        for key, value in entry.values.items():
            column = part.spec.column(key)
            if column is None:
                problems.add(f"{where}.values.{key}", "unknown field")
            else:
                column.check(value, f"{where}.values.{key}", index, problems)
        groups[name].append((n, entry, part))
    for group in groups.values():
        first, entry, part = group[0]
        missing = [c.name for c in part.spec.columns if c.name not in entry.values and not c.optional]
        if missing:
            whose = f" of {part.name}" if part.name else ""
            problems.add(
                f"{place}[{first}].values",
                f"the first entry{whose} gives every field; missing: {', '.join(missing)}",
            )
        for position, (n, entry, _) in enumerate(group):
            if position and group[position - 1][1].type == "deleted" and entry.type != "created":
                problems.add(f"{place}[{n}].type", "after a deletion, only a 'created' entry (a restore)")
        n, entry, part = group[-1]
        if part.live and entry.type == "deleted":
            what = f"{part.name} is" if part.name else "this record is"
            problems.add(f"{place}[{n}].type", f"{what} in the file: its last entry is not a deletion")
        elif not part.live and entry.type != "deleted":
            problems.add(f"{place}[{n}].type", f"the last entry of {part.name} is its deletion")


def only(spec: Spec) -> Callable[[str | None], Part | str]:
    """`part_of` for a record kept without parts."""
    return lambda name: Part(spec) if name is None else "this record has no parts"


def final(entries: Sequence[Entry] | None, name: str, default: Any) -> Any:
    """The value of `name` after the last of these entries of the record itself."""
    value = default
    for entry in entries or ():
        if getattr(entry, "part", None) is None and name in entry.values:
            value = entry.values[name]
    return value


def bulk_create(
    model: type[models.Model], objects: list[Any], histories: Sequence[History], batch: int
) -> None:
    """Insert records in bulk: those without a `history` with a "created" history row each, as an
    import always did; the others bare (their rows are registered with `add`)."""
    bare = [obj for obj, entries in zip(objects, histories, strict=True) if entries is not None]
    dated_now = [obj for obj, entries in zip(objects, histories, strict=True) if entries is None]
    if dated_now:
        bulk_create_with_history(dated_now, model, batch_size=batch)
    if bare:
        model._default_manager.bulk_create(bare, batch_size=batch)


def quiet[M: models.Model](obj: M, entries: Sequence[Entry] | None) -> M:
    """Mark a record whose history the file gives, so that saving it (and its many-to-many links)
    writes no history row of its own."""
    if entries is not None:
        obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    return obj


# Writing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    spec: Spec
    record: int | None  # the record's primary key; None for a part deleted since
    entries: tuple[Entry, ...]
    implied: dict[str, Any]
    replace: bool


def add(
    ctx: WriteContext,
    spec: Spec,
    record: int | None,
    entries: Sequence[Entry] | None,
    *,
    replace: bool = False,
    **implied: Any,
) -> None:
    """Register the history rows of one record (or part) to write once every section is written
    (nothing when the record came without `history`). `implied` gives the columns left out of
    `values`; `replace` first removes the history rows the record already has (rows made for it by
    this import, e.g. the occurrences a ritual's rule makes)."""
    if entries is None:
        return
    ctx.history.append(Pending(spec, record, tuple(entries), implied, replace))


class Resolver:
    """Primary keys of what the values name: records written by this import, tags, logins."""

    def __init__(self, ctx: WriteContext, pending: Sequence[Pending]):
        from leadership_os.models import Tag

        self.ctx = ctx
        usernames: set[str] = set()
        tags: set[str] = set()
        for item in pending:
            for entry in item.entries:
                if entry.by:
                    usernames.add(entry.by)
                for column in item.spec.columns:
                    value = entry.values.get(column.name)
                    if column.kind == "user" and value:
                        usernames.add(value)
                    elif column.kind == "many" and column.section == "tags" and value:
                        tags.update(value)
        users = get_user_model().objects.filter(username__in=sorted(usernames))
        self.users = dict(users.values_list("username", "pk"))
        self.tags = dict(Tag.objects.filter(name__in=sorted(tags)).values_list("name", "pk"))
        missing = sorted(tags - set(self.tags))
        if missing:
            # A tag only the history still names (taken off every record since) is kept as a tag too.
            Tag.objects.bulk_create([Tag(name=name) for name in missing])
            self.tags.update(Tag.objects.filter(name__in=missing).values_list("name", "pk"))

    def user(self, username: str | None) -> int | None:
        return self.users.get(username) if username else None

    def pk(self, column: Column, value: str) -> int | None:
        if column.kind == "user":
            return self.user(value)
        if column.section == "tags":
            return self.tags.get(value)
        written = self.ctx.objects.get(column.section, {}).get(value)
        if column.kind == "author":
            return written.user_id if written is not None else None
        return written.pk if written is not None else None


def write_pending(ctx: WriteContext) -> int:
    """Write every registered history row, in bulk, model by model; return how many were written."""
    if not ctx.history:
        return 0
    resolve = Resolver(ctx, ctx.history)
    by_spec: dict[Spec, list[Pending]] = defaultdict(list)
    for item in ctx.history:
        by_spec[item.spec].append(item)
    written = 0
    for spec, items in by_spec.items():
        written += _write(spec, items, resolve)
    ctx.history.clear()
    return written


def _write(spec: Spec, items: list[Pending], resolve: Resolver) -> int:
    historical = spec.historical
    replaced = [item.record for item in items if item.replace and item.record is not None]
    for start in range(0, len(replaced), BATCH):
        _delete_history(spec, replaced[start : start + BATCH])
    # A part deleted since has no row to point at: its rows get a stand-in id, below every id the
    # table holds, so that they never meet the history of a record created later.
    stand_in = 0
    if any(item.record is None for item in items):
        stand_in = min(0, historical.objects.aggregate(low=Min("id"))["low"] or 0)
    rows: list[Any] = []
    links: list[tuple[int, dict[str, Any]]] = []
    for item in items:
        record = item.record
        if record is None:
            stand_in -= 1
            record = stand_in
        state: dict[str, Any] = {c.name: c.empty for c in spec.columns if c.optional}
        for entry in item.entries:
            state.update(entry.values)
            rows.append(
                historical(
                    id=record,
                    history_date=entry.at,
                    history_type=SYMBOLS[entry.type],
                    history_user_id=resolve.user(entry.by),
                    history_change_reason=entry.reason or None,
                    **item.implied,
                    **{c.attname: c.load(state[c.name], resolve) for c in spec.plain},
                )
            )
            links.append((record, {c.name: c.load(state[c.name], resolve) for c in spec.many}))
    created = historical.objects.bulk_create(rows, batch_size=BATCH)
    for column in spec.many:
        _write_links(spec, column, created, [targets[column.name] for _, targets in links])
    return len(created)


def _delete_history(spec: Spec, records: list[int]) -> None:
    historical = spec.historical
    ids = list(historical.objects.filter(id__in=records).values_list("history_id", flat=True))
    for column in spec.many:
        getattr(historical, column.name).model.objects.filter(history_id__in=ids).delete()
    historical.objects.filter(history_id__in=ids).delete()


def _write_links(spec: Spec, column: Column, created: list[Any], targets: list[list[int | None]]) -> None:
    """The many-to-many history rows: each historical row holds the set of links at that moment."""
    m2m_field = spec.model._meta.get_field(column.name)
    through = m2m_field.remote_field.through  # type: ignore[union-attr]
    own, other = m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name()  # type: ignore[union-attr]
    live = {
        (a, b): pk for pk, a, b in through.objects.values_list("pk", f"{own}_id", f"{other}_id").iterator()
    }
    m2m_model = getattr(spec.historical, column.name).model
    rows = [
        # `id` is the link's row in the through table; a link removed since has none left (0).
        m2m_model(
            history_id=row.history_id,
            id=live.get((row.id, target), 0),
            **{f"{own}_id": row.id, f"{other}_id": target},
        )
        for row, pks in zip(created, targets, strict=True)
        for target in pks
        if target is not None
    ]
    m2m_model.objects.bulk_create(rows, batch_size=BATCH)


# Reading -----------------------------------------------------------------------------------------


class Refs:
    """The keys an export writes for the ids history rows hold, each table read once."""

    def __init__(self) -> None:
        self._maps: dict[str, dict[int, str]] = {}

    def key(self, column: Column, pk: int) -> str | None:
        name = column.kind if column.kind in ("user", "author") else column.section
        if name not in self._maps:
            self._maps[name] = self._load(column)
        return self._maps[name].get(pk)

    @staticmethod
    def _load(column: Column) -> dict[int, str]:
        from leadership_os.models import Person

        assert column.model is not None
        if column.kind == "user":
            return dict(column.model._default_manager.values_list("pk", "username"))
        if column.kind == "author":
            return dict(Person.objects.filter(user__isnull=False).values_list("user_id", "key"))
        attribute = "name" if column.section == "tags" else "key"
        return dict(column.model._default_manager.values_list("pk", attribute))


@dataclass
class RecordHistory:
    """One record's entries, oldest first, each with its sort key (date, row id)."""

    parent: int | None = None
    entries: list[tuple[tuple[dt.datetime, int], dict[str, Any]]] = field(default_factory=list)

    @property
    def first(self) -> tuple[dt.datetime, int]:
        return self.entries[0][0]


def entry(
    at: dt.datetime, by: str | None, kind: str, reason: str, values: dict[str, Any], part: str | None = None
) -> dict[str, Any]:
    """An entry as an export writes it."""
    written: dict[str, Any] = {"at": _iso(at), "by": by, "type": kind}
    if part is not None:
        written["part"] = part
    written.update(reason=reason, values=values)
    return written


def written(found: dict[int, RecordHistory], pk: int) -> list[dict[str, Any]]:
    """The entries of record `pk` as an export writes them (none if it has no history rows)."""
    history = found.get(pk)
    return [entry for _, entry in history.entries] if history is not None else []


def of_part(written: dict[str, Any], part: str) -> dict[str, Any]:
    """An entry as `entry` wrote it, about the part named `part`."""
    at, by, kind = written["at"], written["by"], written["type"]
    return {
        "at": at,
        "by": by,
        "type": kind,
        "part": part,
        "reason": written["reason"],
        "values": written["values"],
    }


def read(spec: Spec, refs: Refs, *, parent: str | None = None) -> dict[int, RecordHistory]:
    """Every history of the model by record id, in a fixed number of queries (one for the rows, one
    per many-to-many field). `parent` names the column that says which record a part belongs to."""
    historical = spec.historical
    names = ["id", "history_id", "history_date", "history_type", "history_user_id", "history_change_reason"]
    names += [parent] if parent else []
    names += [c.attname for c in spec.plain]
    links: dict[str, dict[int, list[int]]] = {}
    for column in spec.many:
        m2m_model = getattr(historical, column.name).model
        other = spec.model._meta.get_field(column.name).m2m_reverse_field_name()  # type: ignore[union-attr]
        by_row: dict[int, list[int]] = defaultdict(list)
        for history_id, target in m2m_model.objects.values_list("history_id", f"{other}_id").iterator():
            by_row[history_id].append(target)
        links[column.name] = by_row
    users = Column("by", "history_user_id", "user", model=get_user_model())
    found: dict[int, RecordHistory] = {}
    previous: dict[str, Any] = {}
    rows = historical.objects.order_by("id", "history_date", "history_id").values_list(*names)
    for row in rows.iterator(chunk_size=2000):
        record, history_id, at, symbol, user, reason = row[:6]
        raw = row[6:]
        history = found.get(record)
        if history is None:
            history = found[record] = RecordHistory()
            previous = {}
        if parent:
            history.parent, raw = raw[0], raw[1:]
        state = {c.name: c.dump(value, refs) for c, value in zip(spec.plain, raw, strict=True)}
        for column in spec.many:
            state[column.name] = column.dump(links[column.name].get(history_id, []), refs)
        state = {c.name: state[c.name] for c in spec.columns}
        values = {k: v for k, v in state.items() if k not in previous or previous[k] != v}
        by = refs.key(users, user) if user is not None else None
        history.entries.append(((at, history_id), entry(at, by, TYPES[symbol], reason or "", values)))
        previous = state
    return found
