"""Snapshot sections of the workstreams app: workstreams, status updates and commitments.

Records refer to people, surfaces, decisions, ritual occurrences and engagements by key. A workstream
must obey the state rules (services.apply_state_rules) as written: the loader refuses, by place, a
blocked workstream without a blocker, a blocker on one that is not blocked, and the like, rather than
silently changing what the file says. Writes are bulk inserts with their history rows.

Each workstream, status update and commitment may carry its `history` (orgfiles/
history.py): oldest first, the first entry with every field, later ones with what changed.
A commitment's history leaves out `occurrence` (where it was made never changes; a commitment made
in a ritual occurrence travels inside that occurrence, in the rhythms' section).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from leadership_os.models import KeyCounter
from orgfiles import history as snapshot_history
from orgfiles.format import (
    KeyIndex,
    Problems,
    Record,
    RelDate,
    Section,
    TagName,
    WriteContext,
    iso,
    key_number,
    numbered_key,
)
from workstreams.models import Commitment, Escalation, State, StatusUpdate, Workstream
from workstreams.services import apply_state_rules

StateName = Literal["on_track", "at_risk", "blocked", "paused", "done"]
EscalationName = Literal["none", "watching", "escalated", "resolved"]

HISTORY = snapshot_history.Spec.of(
    Workstream, implied=("number", "key"), optional=("archived_on", "archive_reason")
)
UPDATE_HISTORY = snapshot_history.Spec.of(StatusUpdate)
COMMITMENT_HISTORY = snapshot_history.Spec.of(Commitment, implied=("number", "key", "occurrence"))


def add_commitment_history(
    ctx: WriteContext, commitment: Commitment, history: snapshot_history.History
) -> None:
    """Register a written commitment's history (here, or where an occurrence's commitments are written)."""
    snapshot_history.add(
        ctx,
        COMMITMENT_HISTORY,
        commitment.pk,
        history,
        number=commitment.number,
        key=commitment.key,
        occurrence_id=commitment.occurrence_id,
    )


class WorkstreamIn(Record):
    key: numbered_key("WS")  # type: ignore[valid-type]
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    surface: str | None = None
    owner: str | None = None
    tags: list[TagName] = []
    state: StateName = "on_track"
    next_decision_on: RelDate | None = None
    next_decision: str | None = None
    blocker: str = ""
    blocked_since: RelDate | None = None
    blocked_by_decision: str | None = None
    escalation: EscalationName = "none"
    escalated_on: RelDate | None = None
    created_on: RelDate | None = None
    archived_on: RelDate | None = None
    archive_reason: str = ""
    history: snapshot_history.History = None


class StatusUpdateIn(Record):
    workstream: str
    posted_on: RelDate
    author: str | None = None
    state: StateName
    note: str = Field(min_length=1)
    history: snapshot_history.History = None


class CommitmentIn(Record):
    key: numbered_key("C")  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=300)
    workstream: str | None = None
    owner: str | None = None
    promised_to: str | None = None
    due_on: RelDate
    original_due_on: RelDate | None = None
    recommitted_count: int = Field(default=0, ge=0, le=32767)
    done_on: RelDate | None = None
    decision: str | None = None
    occurrence: str | None = None
    engagement: str | None = None
    history: snapshot_history.History = None


def check_workstreams(items: list[WorkstreamIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"workstreams[{position}]"
        index.check(problems, f"{place}.surface", "surfaces", item.surface, "surface")
        index.check(problems, f"{place}.owner", "people", item.owner, "person")
        index.check(problems, f"{place}.next_decision", "decisions", item.next_decision, "decision")
        index.check(
            problems, f"{place}.blocked_by_decision", "decisions", item.blocked_by_decision, "decision"
        )
        if item.state == State.BLOCKED:
            if not item.blocker:
                problems.add(f"{place}.blocker", "a blocked workstream needs a blocker")
        else:
            for name in ("blocker", "blocked_since", "blocked_by_decision"):
                if getattr(item, name):
                    problems.add(
                        f"{place}.{name}", f"only a blocked workstream has one (state is {item.state!r})"
                    )
        if item.escalation in (Escalation.NONE, Escalation.WATCHING) and item.escalated_on:
            problems.add(f"{place}.escalated_on", f"an escalation of {item.escalation!r} has no date")
        if item.state == State.DONE and (item.next_decision_on or item.next_decision):
            problems.add(f"{place}.next_decision_on", "a done workstream has no next decision point")
        snapshot_history.check(
            item.history, f"{place}.history", index, problems, snapshot_history.only(HISTORY)
        )


def check_status_updates(items: list[StatusUpdateIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"status_updates[{position}]"
        index.check(problems, f"{place}.workstream", "workstreams", item.workstream, "workstream")
        index.check(problems, f"{place}.author", "people", item.author, "person")
        only = snapshot_history.only(UPDATE_HISTORY)
        snapshot_history.check(item.history, f"{place}.history", index, problems, only)


def check_commitments(items: list[CommitmentIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"commitments[{position}]"
        index.check(problems, f"{place}.workstream", "workstreams", item.workstream, "workstream")
        index.check(problems, f"{place}.owner", "people", item.owner, "person")
        index.check(problems, f"{place}.promised_to", "people", item.promised_to, "person")
        index.check(problems, f"{place}.decision", "decisions", item.decision, "decision")
        index.check(problems, f"{place}.occurrence", "occurrences", item.occurrence, "ritual occurrence")
        index.check(problems, f"{place}.engagement", "engagements", item.engagement, "engagement")
        if item.recommitted_count and item.original_due_on is None:
            problems.add(f"{place}.original_due_on", "a re-committed commitment keeps its original due date")
        only = snapshot_history.only(COMMITMENT_HISTORY)
        snapshot_history.check(item.history, f"{place}.history", index, problems, only)


def write_workstreams(items: list[WorkstreamIn], ctx: WriteContext) -> None:
    objects = []
    for item in items:
        number = key_number(item.key)
        ws = Workstream(
            number=number,
            key=f"{Workstream.KEY_PREFIX}-{number}",
            version=snapshot_history.final(item.history, "version", 1),
            name=item.name,
            description=item.description,
            surface=ctx.get("surfaces", item.surface),
            owner=ctx.get("people", item.owner),
            state=item.state,
            next_decision_on=ctx.date(item.next_decision_on),
            next_decision=ctx.get("decisions", item.next_decision),
            blocker=item.blocker,
            blocked_since=ctx.date(item.blocked_since),
            blocked_by_decision=ctx.get("decisions", item.blocked_by_decision),
            escalation=item.escalation,
            escalated_on=ctx.date(item.escalated_on),
            archived_on=ctx.date(item.archived_on),
            archive_reason=item.archive_reason,
        )
        ws.created_on = ctx.date(item.created_on) or ctx.anchor
        # The check refused what breaks a rule; this fills in what the rules default (blocked
        # since, escalated on) from the anchor.
        apply_state_rules(ws, today=ctx.anchor)
        objects.append(ws)
    snapshot_history.bulk_create(Workstream, objects, [item.history for item in items], batch=500)
    created = objects
    if created and not created[0].pk:
        created = list(Workstream.objects.filter(number__in=[ws.number for ws in objects]))
    by_key = {ws.key: ws for ws in created}
    through = Workstream.tags.through
    links = []
    for item in items:
        ws = by_key[item.key]
        links.extend(through(workstream_id=ws.pk, tag_id=tag.pk) for tag in ctx.tags(item.tags))
        ctx.put("workstreams", item.key, ws)
        snapshot_history.add(ctx, HISTORY, ws.pk, item.history, number=ws.number, key=ws.key)
    through.objects.bulk_create(links, batch_size=1000)
    if objects:
        KeyCounter.reserve(Workstream.KEY_PREFIX, max(ws.number for ws in objects))


def write_status_updates(items: list[StatusUpdateIn], ctx: WriteContext) -> None:
    objects = [
        StatusUpdate(
            workstream=ctx.get("workstreams", item.workstream),
            posted_on=ctx.date(item.posted_on),
            author=ctx.get("people", item.author),
            state=item.state,
            note=item.note,
        )
        for item in items
    ]
    snapshot_history.bulk_create(StatusUpdate, objects, [item.history for item in items], batch=1000)
    for item, update in zip(items, objects, strict=True):
        snapshot_history.add(ctx, UPDATE_HISTORY, update.pk, item.history)


def write_commitments(items: list[CommitmentIn], ctx: WriteContext) -> None:
    objects = []
    for item in items:
        number = key_number(item.key)
        due_on = ctx.date(item.due_on)
        objects.append(
            Commitment(
                number=number,
                key=f"{Commitment.KEY_PREFIX}-{number}",
                version=snapshot_history.final(item.history, "version", 1),
                description=item.description,
                workstream=ctx.get("workstreams", item.workstream),
                owner=ctx.get("people", item.owner),
                promised_to=ctx.get("people", item.promised_to),
                due_on=due_on,
                original_due_on=ctx.date(item.original_due_on) or due_on,
                recommitted_count=item.recommitted_count,
                done_on=ctx.date(item.done_on),
                decision=ctx.get("decisions", item.decision),
                occurrence=ctx.get("occurrences", item.occurrence),
                engagement=ctx.get("engagements", item.engagement),
            )
        )
    snapshot_history.bulk_create(Commitment, objects, [item.history for item in items], batch=1000)
    for item, commitment in zip(items, objects, strict=True):
        ctx.put("commitments", item.key, None)
        add_commitment_history(ctx, commitment, item.history)
    if objects:
        KeyCounter.reserve(Commitment.KEY_PREFIX, max(c.number for c in objects))


def _drop_empty(row: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k in keep or v not in (None, "", [])}


def export_workstreams() -> list[dict[str, Any]]:
    found = snapshot_history.read(HISTORY, snapshot_history.Refs())
    rows = []
    queryset = Workstream.objects.select_related(
        "surface", "owner", "next_decision", "blocked_by_decision"
    ).prefetch_related("tags")
    for ws in queryset.order_by("number"):
        rows.append(
            _drop_empty(
                {
                    "key": ws.key,
                    "name": ws.name,
                    "description": ws.description,
                    "surface": ws.surface.key if ws.surface else None,
                    "owner": ws.owner.key if ws.owner else None,
                    "tags": sorted(tag.name for tag in ws.tags.all()),
                    "state": ws.state,
                    "next_decision_on": iso(ws.next_decision_on),
                    "next_decision": ws.next_decision.key if ws.next_decision else None,
                    "blocker": ws.blocker,
                    "blocked_since": iso(ws.blocked_since),
                    "blocked_by_decision": ws.blocked_by_decision.key if ws.blocked_by_decision else None,
                    "escalation": ws.escalation,
                    "escalated_on": iso(ws.escalated_on),
                    "created_on": iso(ws.created_on),
                    "archived_on": iso(ws.archived_on),
                    "archive_reason": ws.archive_reason,
                },
                keep=("key", "name", "state", "escalation"),
            )
            | {"history": snapshot_history.written(found, ws.pk)}
        )
    return rows


def export_status_updates() -> list[dict[str, Any]]:
    queryset = StatusUpdate.objects.select_related("workstream", "author").order_by(
        "workstream__number", "posted_on", "id"
    )
    found = snapshot_history.read(UPDATE_HISTORY, snapshot_history.Refs())
    return [
        _drop_empty(
            {
                "workstream": u.workstream.key,
                "posted_on": iso(u.posted_on),
                "author": u.author.key if u.author else None,
                "state": u.state,
                "note": u.note,
            },
            keep=("workstream", "posted_on", "state", "note"),
        )
        | {"history": snapshot_history.written(found, u.pk)}
        for u in queryset
    ]


def export_commitments() -> list[dict[str, Any]]:
    # Commitments made in a ritual occurrence travel inside that occurrence (rhythms' section).
    queryset = (
        Commitment.objects.filter(occurrence__isnull=True)
        .select_related("workstream", "owner", "promised_to", "decision", "engagement")
        .order_by("number")
    )
    found = snapshot_history.read(COMMITMENT_HISTORY, snapshot_history.Refs())
    rows = []
    for c in queryset:
        rows.append(
            _drop_empty(
                {
                    "key": c.key,
                    "description": c.description,
                    "workstream": c.workstream.key if c.workstream else None,
                    "owner": c.owner.key if c.owner else None,
                    "promised_to": c.promised_to.key if c.promised_to else None,
                    "due_on": iso(c.due_on),
                    "original_due_on": iso(c.original_due_on),
                    "recommitted_count": c.recommitted_count or None,
                    "done_on": iso(c.done_on),
                    "decision": c.decision.key if c.decision else None,
                    "occurrence": occurrence_key(c.occurrence) if c.occurrence else None,
                    "engagement": c.engagement.key if c.engagement else None,
                },
                keep=("key", "description", "due_on"),
            )
            | {"history": snapshot_history.written(found, c.pk)}
        )
    return rows


def occurrence_key(occurrence: Any) -> str | None:
    """An occurrence's key in a snapshot. Occurrences have no key column: the rhythms app defines
    how its snapshot names one (`snapshot_key`); without it the link is not exported."""
    key = getattr(occurrence, "snapshot_key", None)
    if callable(key):
        return str(key())
    return str(key) if key else None


SECTIONS = [
    Section(
        name="workstreams",
        record=WorkstreamIn,
        order=40,
        key_of=lambda r: r.key,
        check=check_workstreams,
        write=write_workstreams,
        export=export_workstreams,
        models=(Workstream,),
    ),
    Section(
        name="status_updates",
        record=StatusUpdateIn,
        order=41,
        check=check_status_updates,
        write=write_status_updates,
        export=export_status_updates,
        models=(StatusUpdate,),
    ),
    # After rituals' occurrences and engagements, which commitments may point at.
    Section(
        name="commitments",
        record=CommitmentIn,
        order=90,
        key_of=lambda r: r.key,
        check=check_commitments,
        write=write_commitments,
        export=export_commitments,
        models=(Commitment,),
    ),
]
