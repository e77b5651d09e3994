"""Snapshot sections of the operating rhythm: `rituals` (written at order 60) and `occurrences` (70).

A ritual's occurrences are derived from its rule: the rituals writer creates each ritual and syncs
its occurrence rows for the window around the anchor; the occurrences writer then applies what the
file records about some of them, matching each by ritual and scheduled time. A recorded occurrence
names its slot either by `scheduled_for` (what an export writes) or by `index` (what the sample org
writes, so that it is valid on any load day: -1 is the ritual's last slot before the anchor day, -2
the one before, 0 the first on or after it). Commitments made in an occurrence are written with it.

Rituals, recorded occurrences and the commitments made in them may carry their `history`
(orgfiles/history.py): oldest first, the first entry with every field, later ones with
what changed. An occurrence's history replaces the rows its ritual's rule made for it on import;
its `ritual`, and a commitment's `occurrence`, are where the record sits in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.db.models import F, Q
from pydantic import Field

from decisions.models import Decision
from leadership_os.models import KeyCounter, Person, Surface
from orgfiles import history as snapshot_history
from orgfiles.format import (
    KeyIndex,
    Problems,
    Record,
    RelDate,
    RelDateTime,
    Section,
    SnapshotError,
    WriteContext,
    key_number,
    numbered_key,
)
from orgfiles.sections.workstreams import COMMITMENT_HISTORY, add_commitment_history
from orgfiles.snapshot import sections
from rhythms import recurrence
from rhythms.models import Occurrence, Ritual
from rhythms.services import local_zone, normalized_start, ritual_sync_occurrences
from workstreams.models import Commitment, Workstream

RitualKey = numbered_key("R")
HISTORY = snapshot_history.Spec.of(Ritual, implied=("number", "key"))
OCCURRENCE_HISTORY = snapshot_history.Spec.of(Occurrence, implied=("ritual",))
Kind = Literal[
    "product_review", "async_update", "architecture_review", "gtm_sync", "strategy_review",
    "retrospective", "status_readout", "cross_functional",
]  # fmt: skip


class RitualIn(Record):
    key: RitualKey  # type: ignore[valid-type]
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    rrule: str = Field(min_length=1, max_length=300)
    starts_at: RelDateTime
    duration_minutes: int = Field(default=30, ge=5, le=600)
    owner: str | None = None
    attendees: list[str] = []
    surface: str | None = None
    purpose: str = ""
    informs_decision: str = ""
    surfaces_blocker: str = ""
    is_active: bool = True
    retired_on: RelDate | None = None
    retired_reason: str = ""
    history: snapshot_history.History = None


class CommitmentMadeIn(Record):
    key: numbered_key("C")  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=300)
    owner: str | None = None
    promised_to: str | None = None
    due_on: RelDate
    done_on: RelDate | None = None
    workstream: str | None = None
    history: snapshot_history.History = None


class OccurrenceIn(Record):
    ritual: RitualKey  # type: ignore[valid-type]
    scheduled_for: RelDateTime | None = None
    index: int | None = Field(default=None, ge=-500, le=500)
    status: Literal["planned", "held", "skipped"] = "held"
    starts_at: RelDateTime | None = None
    moved_minutes: int | None = Field(default=None, ge=-10080, le=10080)
    notes: str = ""
    decisions_informed: list[str] = []
    blockers_surfaced: list[str] = []
    commitments: list[CommitmentMadeIn] = []
    history: snapshot_history.History = None


def _installed(name: str) -> bool:
    return any(section.name == name for section in sections())


def _check_ref(
    index: KeyIndex, problems: Problems, place: str, section: str, key: str | None, what: str
) -> None:
    # A reference into a section this version cannot load (its app not installed) cannot be checked.
    if _installed(section):
        index.check(problems, place, section, key, what)


def check_rituals(items: list[RitualIn], index: KeyIndex, problems: Problems) -> None:
    provisional = dt.datetime(2000, 1, 3, 9, 0, tzinfo=local_zone())
    for position, item in enumerate(items):
        place = f"rituals[{position}]"
        try:
            recurrence.parse_rule(item.rrule, start=provisional, zone=local_zone())
        except recurrence.RuleError as error:
            problems.add(f"{place}.rrule", str(error))
        index.check(problems, f"{place}.owner", "people", item.owner, "person")
        for n, person in enumerate(item.attendees):
            index.check(problems, f"{place}.attendees[{n}]", "people", person, "person")
        index.check(problems, f"{place}.surface", "surfaces", item.surface, "surface")
        if not item.is_active and item.retired_on is None:
            problems.add(f"{place}.retired_on", "required for a retired ritual (is_active false)")
        if item.is_active and (item.retired_on is not None or item.retired_reason):
            problems.add(f"{place}.is_active", "must be false for a ritual with retired_on or retired_reason")
        snapshot_history.check(
            item.history, f"{place}.history", index, problems, snapshot_history.only(HISTORY)
        )


def check_occurrences(items: list[OccurrenceIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"occurrences[{position}]"
        index.check(problems, f"{place}.ritual", "rituals", item.ritual, "ritual")
        if (item.scheduled_for is None) == (item.index is None):
            problems.add(place, "name the slot with either scheduled_for or index, not both")
        if item.starts_at is not None and item.moved_minutes is not None:
            problems.add(f"{place}.moved_minutes", "give either starts_at or moved_minutes, not both")
        for n, key in enumerate(item.decisions_informed):
            _check_ref(index, problems, f"{place}.decisions_informed[{n}]", "decisions", key, "decision")
        for n, key in enumerate(item.blockers_surfaced):
            _check_ref(index, problems, f"{place}.blockers_surfaced[{n}]", "workstreams", key, "workstream")
        for n, made in enumerate(item.commitments):
            where = f"{place}.commitments[{n}]"
            earlier = index.define("commitments", made.key, where)
            if earlier:
                problems.add(f"{where}.key", f"{made.key!r} is used twice (also at {earlier})")
            index.check(problems, f"{where}.owner", "people", made.owner, "person")
            index.check(problems, f"{where}.promised_to", "people", made.promised_to, "person")
            _check_ref(index, problems, f"{where}.workstream", "workstreams", made.workstream, "workstream")
            only = snapshot_history.only(COMMITMENT_HISTORY)
            snapshot_history.check(made.history, f"{where}.history", index, problems, only)
        only = snapshot_history.only(OCCURRENCE_HISTORY)
        snapshot_history.check(item.history, f"{place}.history", index, problems, only)


def _person(ctx: WriteContext, key: str | None) -> Person | None:
    if not key:
        return None
    found = ctx.objects.get("people", {}).get(key)
    return found if found is not None else Person.objects.get(key=key)


def write_rituals(items: list[RitualIn], ctx: WriteContext) -> None:
    zone = local_zone()
    problems = Problems()
    for position, item in enumerate(items):
        start = ctx.datetime(item.starts_at)
        assert start is not None
        try:
            rule = recurrence.parse_rule(item.rrule, start=start, zone=zone)
        except recurrence.RuleError as error:
            problems.add(f"rituals[{position}].rrule", str(error))
            continue
        number = key_number(item.key)
        KeyCounter.reserve(Ritual.KEY_PREFIX, number)
        surface = (
            ctx.objects.get("surfaces", {}).get(item.surface) or Surface.objects.get(key=item.surface)
            if item.surface
            else None
        )
        ritual = Ritual(
            number=number,
            version=snapshot_history.final(item.history, "version", 1),
            name=item.name,
            kind=item.kind,
            rrule=rule.text,
            starts_at=normalized_start(rule.text, start),
            duration_minutes=item.duration_minutes,
            owner=_person(ctx, item.owner),
            surface=surface,
            purpose=item.purpose,
            informs_decision=item.informs_decision,
            surfaces_blocker=item.surfaces_blocker,
            is_active=item.is_active,
            retired_on=ctx.date(item.retired_on),
            retired_reason=item.retired_reason,
        )
        snapshot_history.quiet(ritual, item.history).save()
        ritual.attendees.set([p for p in (_person(ctx, key) for key in item.attendees) if p is not None])
        ritual_sync_occurrences(ritual=ritual, today=ctx.anchor)
        ctx.put("rituals", item.key, ritual)
        snapshot_history.add(ctx, HISTORY, ritual.pk, item.history, number=ritual.number, key=ritual.key)
    if problems:
        raise SnapshotError(problems)


def _slot(ritual: Ritual, item: OccurrenceIn, ctx: WriteContext) -> dt.datetime | None:
    """The rule's instance the record names, or None if the rule has no such instance."""
    zone = local_zone()
    if item.scheduled_for is not None:
        wanted = ctx.datetime(item.scheduled_for)
        assert wanted is not None
        day = wanted.astimezone(zone).date()
        for moment in recurrence.occurrences_between(
            ritual.rrule, start=ritual.starts_at, zone=zone, first_day=day, last_day=day
        ):
            if moment == wanted:
                return moment
        return None
    assert item.index is not None
    anchor_start = dt.datetime.combine(ctx.anchor, dt.time.min, tzinfo=zone)
    rule = recurrence.build(ritual.rrule, start=ritual.starts_at, zone=zone)
    if item.index >= 0:
        for position, moment in enumerate(rule.xafter(anchor_start, count=item.index + 1, inc=True)):
            if position == item.index:
                return moment
        return None
    before = rule.between(ritual.starts_at.astimezone(zone), anchor_start, inc=True)
    before = [m for m in before if m < anchor_start]
    return before[item.index] if len(before) >= -item.index else None


def _by_key(model: Any, keys: Iterable[str]) -> dict[str, Any]:
    wanted = sorted(set(keys))
    return {obj.key: obj for obj in model.objects.filter(key__in=wanted)} if wanted else {}


def write_occurrences(items: list[OccurrenceIn], ctx: WriteContext) -> None:
    problems = Problems()
    decisions = _by_key(Decision, (k for item in items for k in item.decisions_informed))
    workstreams = _by_key(
        Workstream,
        [k for item in items for k in item.blockers_surfaced]
        + [c.workstream for item in items for c in item.commitments if c.workstream],
    )
    seen: dict[tuple[int, dt.datetime], int] = {}
    for position, item in enumerate(items):
        place = f"occurrences[{position}]"
        ritual: Ritual = ctx.get("rituals", item.ritual)
        slot = _slot(ritual, item, ctx)
        if slot is None:
            what = "scheduled_for" if item.scheduled_for is not None else "index"
            problems.add(f"{place}.{what}", f"{ritual.key}'s rule has no occurrence there ({ritual.rrule})")
            continue
        if (ritual.pk, slot) in seen:
            problems.add(place, f"the same occurrence as occurrences[{seen[(ritual.pk, slot)]}]")
            continue
        seen[(ritual.pk, slot)] = position
        occurrence, _ = Occurrence.objects.get_or_create(
            ritual=ritual, scheduled_for=slot, defaults={"starts_at": slot}
        )
        if item.starts_at is not None:
            occurrence.starts_at = ctx.datetime(item.starts_at)
        elif item.moved_minutes is not None:
            occurrence.starts_at = slot + dt.timedelta(minutes=item.moved_minutes)
        occurrence.status = item.status
        occurrence.notes = item.notes
        snapshot_history.quiet(occurrence, item.history).save()
        # Links to sections this version cannot load are dropped (check_occurrences let them pass).
        occurrence.decisions_informed.set([decisions[k] for k in item.decisions_informed if k in decisions])
        occurrence.blockers_surfaced.set([workstreams[k] for k in item.blockers_surfaced if k in workstreams])
        for made in item.commitments:
            number = key_number(made.key)
            KeyCounter.reserve(Commitment.KEY_PREFIX, number)
            due = ctx.date(made.due_on)
            commitment = Commitment(
                number=number,
                version=snapshot_history.final(made.history, "version", 1),
                description=made.description,
                owner=_person(ctx, made.owner),
                promised_to=_person(ctx, made.promised_to),
                due_on=due,
                original_due_on=due,
                done_on=ctx.date(made.done_on),
                workstream=workstreams.get(made.workstream) if made.workstream else None,
                occurrence=occurrence,
            )
            snapshot_history.quiet(commitment, made.history).save()
            add_commitment_history(ctx, commitment, made.history)
        if item.history is not None:
            # The rule's sync (or get_or_create above) wrote rows for it; the file's replace them.
            snapshot_history.add(
                ctx, OCCURRENCE_HISTORY, occurrence.pk, item.history, replace=True, ritual_id=ritual.pk
            )
    if problems:
        raise SnapshotError(problems)


def export_rituals() -> list[dict[str, Any]]:
    zone = local_zone()
    found = snapshot_history.read(HISTORY, snapshot_history.Refs())
    rows = []
    for r in (
        Ritual.objects.select_related("owner", "surface").prefetch_related("attendees").order_by("number")
    ):
        row: dict[str, Any] = {
            "key": r.key,
            "name": r.name,
            "kind": r.kind,
            "rrule": r.rrule,
            "starts_at": r.starts_at.astimezone(zone).isoformat(),
            "duration_minutes": r.duration_minutes,
            "owner": r.owner.key if r.owner else None,
            "attendees": sorted(p.key for p in r.attendees.all()),
            "surface": r.surface.key if r.surface else None,
            "purpose": r.purpose,
            "informs_decision": r.informs_decision,
            "surfaces_blocker": r.surfaces_blocker,
            "is_active": r.is_active,
        }
        if not r.is_active:
            row["retired_on"] = r.retired_on.isoformat() if r.retired_on else None
            row["retired_reason"] = r.retired_reason
        row["history"] = snapshot_history.written(found, r.pk)
        rows.append(row)
    return rows


def export_occurrences() -> list[dict[str, Any]]:
    """The recorded occurrences only; planned slots are derived again from the rules on import."""
    zone = local_zone()
    recorded = (
        Occurrence.objects.filter(
            ~Q(status=Occurrence.Status.PLANNED)
            | ~Q(notes="")
            | ~Q(starts_at=F("scheduled_for"))
            | Q(decisions_informed__isnull=False)
            | Q(blockers_surfaced__isnull=False)
            | Q(commitments__isnull=False)
        )
        .distinct()
        .select_related("ritual")
        .prefetch_related(
            "decisions_informed",
            "blockers_surfaced",
            "commitments__owner",
            "commitments__promised_to",
            "commitments__workstream",
        )
        .order_by("ritual__number", "scheduled_for")
    )
    refs = snapshot_history.Refs()
    found = snapshot_history.read(OCCURRENCE_HISTORY, refs)
    made = snapshot_history.read(COMMITMENT_HISTORY, refs)
    rows = []
    for o in recorded:
        row: dict[str, Any] = {
            "ritual": o.ritual.key,
            "scheduled_for": o.scheduled_for.astimezone(zone).isoformat(),
            "status": o.status,
        }
        if o.starts_at != o.scheduled_for:
            row["starts_at"] = o.starts_at.astimezone(zone).isoformat()
        if o.notes:
            row["notes"] = o.notes
        row["decisions_informed"] = sorted((d.key for d in o.decisions_informed.all()), key=_natural)
        row["blockers_surfaced"] = sorted((w.key for w in o.blockers_surfaced.all()), key=_natural)
        row["commitments"] = [
            {
                "key": c.key,
                "description": c.description,
                "owner": c.owner.key if c.owner else None,
                "promised_to": c.promised_to.key if c.promised_to else None,
                "due_on": c.due_on.isoformat(),
                "done_on": c.done_on.isoformat() if c.done_on else None,
                "workstream": c.workstream.key if c.workstream else None,
                "history": snapshot_history.written(made, c.pk),
            }
            for c in sorted(o.commitments.all(), key=lambda c: c.number)
        ]
        row["history"] = snapshot_history.written(found, o.pk)
        rows.append(row)
    return rows


def _natural(key: str) -> tuple[str, int]:
    head, _, tail = key.partition("-")
    return head, int(tail) if tail.isdigit() else 0


SECTIONS = [
    Section(
        name="rituals",
        record=RitualIn,
        order=60,
        key_of=lambda r: r.key,
        check=check_rituals,
        write=write_rituals,
        export=export_rituals,
        models=(Ritual,),
    ),
    Section(
        name="occurrences",
        record=OccurrenceIn,
        order=70,
        check=check_occurrences,
        write=write_occurrences,
        export=export_occurrences,
        # Commitments made in occurrences are written here, so they are cleared with them too.
        models=(Occurrence, Commitment),
    ),
]
