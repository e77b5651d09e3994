"""Snapshot sections of the context repository: `context` (the entries) and `start_here` (the path).

    "context": [{"key": "CX-1", "kind": "customer_signal", "title": "…", "body": "Markdown…",
                 "surface": "government", "tags": ["eval-data-residency"], "source": "Helix Research",
                 "dated_on": "@-2", "status": "active", "decisions": ["D-3"], "workstreams": ["WS-2"],
                 "author": "priya-natarajan"}]
    "start_here": [{"entry": "CX-4", "why": "…"}, {"decision": "D-1", "why": "…"}]   (in reading order)

`author` is a person's key; the entry is written by that person's login, if they have one. Links to
decisions and workstreams are checked against the file when this version of Leadership OS loads
those sections; when it does not (yet), they are left out rather than refused.

An entry may carry its `history` (orgfiles/history.py): oldest first, the first entry
with every field (`author` as a person's key, as above; tags, decisions and workstreams as lists of
names and keys), later ones with what changed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from context_repo import search
from context_repo.models import ContextEntry, StartHereStep
from decisions.models import Decision
from leadership_os.models import KeyCounter, Person
from orgfiles import history as snapshot_history
from orgfiles.format import KeyIndex, Problems, Record, RelDate, Section, TagName, WriteContext, numbered_key
from orgfiles.snapshot import sections
from workstreams.models import Workstream

EntryKey = numbered_key("CX", "must be a context entry's key, such as CX-12")
HISTORY = snapshot_history.Spec.of(ContextEntry, implied=("number", "key"), authors=("author",))


class EntryIn(Record):
    key: EntryKey  # type: ignore[valid-type]
    kind: Literal[
        "strategy_bet",
        "customer_signal",
        "open_question",
        "resolved_debate",
        "framing",
        "note",
        "meeting_notes",
    ]
    title: str = Field(min_length=1, max_length=200)
    body: str = ""
    surface: str | None = None
    tags: list[TagName] = Field(default_factory=list)
    source: str = Field(default="", max_length=200)
    dated_on: RelDate
    status: Literal["active", "open", "resolved", "archived"] = "active"
    decisions: list[str] = Field(default_factory=list)
    workstreams: list[str] = Field(default_factory=list)
    author: str | None = None
    history: snapshot_history.History = None


class StepIn(Record):
    entry: str | None = None
    decision: str | None = None
    why: str = Field(min_length=1, max_length=300)

    @model_validator(mode="after")
    def _one_target(self) -> StepIn:
        if bool(self.entry) == bool(self.decision):
            raise ValueError("a step is either an entry or a decision: give one of 'entry' and 'decision'")
        return self


def _loads(section: str) -> bool:
    """Whether this version of Leadership OS loads `section` (another app's part of the snapshot)."""
    return any(s.name == section for s in sections())


def check_context(items: list[EntryIn], index: KeyIndex, problems: Problems) -> None:
    linked = [
        (section, what)
        for section, what in (("decisions", "decision"), ("workstreams", "workstream"))
        if _loads(section)
    ]
    for position, item in enumerate(items):
        place = f"context[{position}]"
        index.check(problems, f"{place}.surface", "surfaces", item.surface, "surface")
        index.check(problems, f"{place}.author", "people", item.author, "person")
        for section, what in linked:
            for n, key in enumerate(getattr(item, section)):
                index.check(problems, f"{place}.{section}[{n}]", section, key, what)
        snapshot_history.check(
            item.history, f"{place}.history", index, problems, snapshot_history.only(HISTORY)
        )


def check_start_here(items: list[StepIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"start_here[{position}]"
        index.check(problems, f"{place}.entry", "context", item.entry, "context entry")
        if _loads("decisions"):
            index.check(problems, f"{place}.decision", "decisions", item.decision, "decision")


def _records(ctx: WriteContext, section: str, model: type[Any], keys: list[str]) -> list[Any]:
    """The records of `keys`, as written by their section (or already in the database)."""
    written = ctx.objects.get(section, {})
    missing = [key for key in keys if key not in written]
    stored = {obj.key: obj for obj in model.objects.filter(key__in=missing)} if missing else {}
    return [written.get(key) or stored[key] for key in keys if key in written or key in stored]


def write_context(items: list[EntryIn], ctx: WriteContext) -> None:
    link_decisions, link_workstreams = _loads("decisions"), _loads("workstreams")
    authors = {
        p.key: p.user
        for p in Person.objects.filter(key__in=[i.author for i in items if i.author]).select_related("user")
    }
    with search.paused():
        for item in items:
            entry = ContextEntry(
                number=int(item.key.split("-", 1)[1]),
                version=snapshot_history.final(item.history, "version", 1),
                kind=item.kind,
                title=item.title,
                body=item.body,
                surface=ctx.get("surfaces", item.surface),
                source=item.source,
                dated_on=ctx.date(item.dated_on),
                status=item.status,
                author=authors.get(item.author) if item.author else None,
            )
            snapshot_history.quiet(entry, item.history).save()
            if item.tags:
                entry.tags.set(ctx.tags(item.tags))
            if link_decisions and item.decisions:
                entry.decisions.set(_records(ctx, "decisions", Decision, item.decisions))
            if link_workstreams and item.workstreams:
                entry.workstreams.set(_records(ctx, "workstreams", Workstream, item.workstreams))
            ctx.put("context", item.key, entry)
            snapshot_history.add(ctx, HISTORY, entry.pk, item.history, number=entry.number, key=entry.key)
        KeyCounter.reserve(ContextEntry.KEY_PREFIX, max(int(i.key.split("-", 1)[1]) for i in items))
    # The search index is rebuilt once, after the whole org is written (orgfiles.snapshot.write).


def write_start_here(items: list[StepIn], ctx: WriteContext) -> None:
    link_decisions = _loads("decisions")
    position = 0
    for item in items:
        if item.decision and not link_decisions:
            continue
        position += 1
        step = StartHereStep(position=position, why=item.why)
        if item.entry:
            step.entry = ctx.get("context", item.entry)
        else:
            step.decision = _records(ctx, "decisions", Decision, [item.decision or ""])[0]
        step.save()


def export_context() -> list[dict[str, Any]]:
    found = snapshot_history.read(HISTORY, snapshot_history.Refs())
    rows = []
    entries = ContextEntry.objects.select_related("surface", "author__person").prefetch_related(
        "tags", "decisions", "workstreams"
    )
    for entry in entries.order_by("number"):
        row: dict[str, Any] = {
            "key": entry.key,
            "kind": entry.kind,
            "title": entry.title,
            "body": entry.body,
            "dated_on": entry.dated_on.isoformat(),
            "status": entry.status,
        }
        if entry.surface:
            row["surface"] = entry.surface.key
        tags = sorted(t.name for t in entry.tags.all())
        if tags:
            row["tags"] = tags
        if entry.source:
            row["source"] = entry.source
        decisions = [d.key for d in sorted(entry.decisions.all(), key=lambda d: d.number)]
        if decisions:
            row["decisions"] = decisions
        workstreams = [w.key for w in sorted(entry.workstreams.all(), key=lambda w: w.number)]
        if workstreams:
            row["workstreams"] = workstreams
        person = getattr(entry.author, "person", None) if entry.author else None
        if person is not None:
            row["author"] = person.key
        row["history"] = snapshot_history.written(found, entry.pk)
        rows.append(row)
    return rows


def export_start_here() -> list[dict[str, Any]]:
    steps = StartHereStep.objects.select_related("entry", "decision").order_by("position", "id")
    return [
        {"entry": s.entry.key, "why": s.why} if s.entry else {"decision": s.decision.key, "why": s.why}
        for s in steps
        if s.entry or s.decision
    ]


SECTIONS = [
    Section(
        name="context",
        record=EntryIn,
        order=110,
        key_of=lambda r: r.key,
        check=check_context,
        write=write_context,
        export=export_context,
        models=(ContextEntry,),
    ),
    Section(
        name="start_here",
        record=StepIn,
        order=120,
        check=check_start_here,
        write=write_start_here,
        export=export_start_here,
        models=(StartHereStep,),
    ),
]
