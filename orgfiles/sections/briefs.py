"""Snapshot sections of the briefs: engagements, their briefs, and stakeholders' dated positions.

Each engagement, brief and position may carry its `history` (orgfiles/history.py):
oldest first, the first entry with every field, later ones with what changed. A brief's history
leaves out its engagement (the record's own `engagement` key says whose brief it is).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from django.utils import timezone
from pydantic import Field

from briefs.models import Brief, Engagement, StakeholderPosition
from decisions.models import Decision, Stance
from leadership_os.models import KeyCounter, KeyedModel
from orgfiles import history as snapshot_history
from orgfiles.format import (
    KeyIndex,
    Problems,
    Record,
    RelDate,
    RelDateTime,
    Section,
    WriteContext,
    numbered_key,
)

EngagementKey = numbered_key("E")
Kind = Literal[
    "customer_briefing",
    "architecture_review",
    "strategy_session",
    "gtm_alignment",
    "government",
    "board_adjacent",
]
StanceName = Literal["support", "oppose", "neutral", "unknown"]
HISTORY = snapshot_history.Spec.of(
    Engagement, implied=("number", "key"), optional=("cancelled_on", "cancel_reason")
)
BRIEF_HISTORY = snapshot_history.Spec.of(Brief, implied=("engagement",))
POSITION_HISTORY = snapshot_history.Spec.of(StakeholderPosition)


class EngagementIn(Record):
    key: EngagementKey  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    kind: Kind
    starts_at: RelDateTime
    duration_minutes: int = Field(default=60, ge=5, le=24 * 60)
    counterpart: str = Field(default="", max_length=120)
    surface: str | None = None
    attendees: list[str] = []
    tags: list[str] = []
    location: str = Field(default="", max_length=200)
    outcome: str = ""
    outcome_recorded_on: RelDate | None = None
    decisions: list[str] = Field(default=[], description="Keys of the decisions raised at this engagement.")
    cancelled_on: RelDate | None = None
    cancel_reason: str = ""
    history: snapshot_history.History = None


class BriefIn(Record):
    engagement: EngagementKey  # type: ignore[valid-type]
    objective: str = ""
    one_thing: str = ""
    notes: str = ""
    history: snapshot_history.History = None


class PositionIn(Record):
    person: str
    engagement: str | None = None
    position: str = Field(min_length=1)
    stance: StanceName = "unknown"
    recorded_on: RelDate
    source: str = Field(default="", max_length=200)
    history: snapshot_history.History = None


def _tag_ok(name: str) -> bool:
    return re.fullmatch(r"^[a-z0-9][a-z0-9_-]{0,49}$", name) is not None


def check_engagements(items: list[EngagementIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"engagements[{position}]"
        index.check(problems, f"{place}.surface", "surfaces", item.surface, "surface")
        for n, person in enumerate(item.attendees):
            index.check(problems, f"{place}.attendees[{n}]", "people", person, "person")
        for n, tag in enumerate(item.tags):
            if not _tag_ok(tag):
                problems.add(f"{place}.tags[{n}]", "must be a tag of lowercase letters, digits, '-' and '_'")
        for n, key in enumerate(item.decisions):
            index.check(problems, f"{place}.decisions[{n}]", "decisions", key, "decision")
        if item.outcome_recorded_on is not None and not item.outcome.strip():
            problems.add(f"{place}.outcome", "required when outcome_recorded_on is given")
        snapshot_history.check(
            item.history, f"{place}.history", index, problems, snapshot_history.only(HISTORY)
        )


def check_briefs(items: list[BriefIn], index: KeyIndex, problems: Problems) -> None:
    only = snapshot_history.only(BRIEF_HISTORY)
    for position, item in enumerate(items):
        index.check(problems, f"briefs[{position}].engagement", "engagements", item.engagement, "engagement")
        snapshot_history.check(item.history, f"briefs[{position}].history", index, problems, only)


def check_positions(items: list[PositionIn], index: KeyIndex, problems: Problems) -> None:
    for position, item in enumerate(items):
        place = f"positions[{position}]"
        index.check(problems, f"{place}.person", "people", item.person, "person")
        index.check(problems, f"{place}.engagement", "engagements", item.engagement, "engagement")
        only = snapshot_history.only(POSITION_HISTORY)
        snapshot_history.check(item.history, f"{place}.history", index, problems, only)


def write_engagements(items: list[EngagementIn], ctx: WriteContext) -> None:
    highest = 0
    for item in items:
        number = KeyedModel.number_from_key(item.key, Engagement.KEY_PREFIX) or 0
        highest = max(highest, number)
        engagement = Engagement(
            number=number,
            version=snapshot_history.final(item.history, "version", 1),
            title=item.title,
            kind=item.kind,
            starts_at=ctx.datetime(item.starts_at),
            duration_minutes=item.duration_minutes,
            counterpart=item.counterpart,
            surface=ctx.get("surfaces", item.surface),
            location=item.location,
            outcome=item.outcome,
            outcome_recorded_on=ctx.date(item.outcome_recorded_on),
            cancelled_on=ctx.date(item.cancelled_on),
            cancel_reason=item.cancel_reason,
        )
        snapshot_history.quiet(engagement, item.history).save()
        if item.attendees:
            engagement.attendees.set([ctx.get("people", key) for key in item.attendees])
        if item.tags:
            engagement.tags.set(ctx.tags(item.tags))
        if item.decisions:
            engagement.decisions.set([_decision(ctx, key) for key in item.decisions])
        ctx.put("engagements", item.key, engagement)
        snapshot_history.add(
            ctx, HISTORY, engagement.pk, item.history, number=engagement.number, key=engagement.key
        )
    KeyCounter.reserve(Engagement.KEY_PREFIX, highest)


def _decision(ctx: WriteContext, key: str) -> Decision:
    found = ctx.objects.get("decisions", {}).get(key)
    return found if found is not None else Decision.objects.get(key=key)


def write_briefs(items: list[BriefIn], ctx: WriteContext) -> None:
    for item in items:
        brief = Brief(
            engagement=ctx.get("engagements", item.engagement),
            version=snapshot_history.final(item.history, "version", 1),
            objective=item.objective,
            one_thing=item.one_thing,
            notes=item.notes,
        )
        snapshot_history.quiet(brief, item.history).save()
        snapshot_history.add(ctx, BRIEF_HISTORY, brief.pk, item.history, engagement_id=brief.engagement_id)


def write_positions(items: list[PositionIn], ctx: WriteContext) -> None:
    for item in items:
        position = StakeholderPosition(
            person=ctx.get("people", item.person),
            engagement=ctx.get("engagements", item.engagement),
            version=snapshot_history.final(item.history, "version", 1),
            position=item.position,
            stance=Stance(item.stance),
            recorded_on=ctx.date(item.recorded_on),
            source=item.source,
        )
        snapshot_history.quiet(position, item.history).save()
        snapshot_history.add(ctx, POSITION_HISTORY, position.pk, item.history)


def export_engagements() -> list[dict[str, Any]]:
    found = snapshot_history.read(HISTORY, snapshot_history.Refs())
    rows = []
    queryset = Engagement.objects.select_related("surface").prefetch_related("attendees", "tags", "decisions")
    for e in queryset.order_by("number"):
        row: dict[str, Any] = {
            "key": e.key,
            "title": e.title,
            "kind": e.kind,
            "starts_at": timezone.localtime(e.starts_at).replace(tzinfo=None).isoformat(timespec="minutes"),
            "duration_minutes": e.duration_minutes,
            "counterpart": e.counterpart,
            "surface": e.surface.key if e.surface else None,
            "attendees": sorted(p.key for p in e.attendees.all()),
            "tags": sorted(t.name for t in e.tags.all()),
            "location": e.location,
            "outcome": e.outcome,
            "outcome_recorded_on": e.outcome_recorded_on.isoformat() if e.outcome_recorded_on else None,
            "decisions": sorted((d.key for d in e.decisions.all()), key=lambda k: int(k.split("-")[1])),
            "history": snapshot_history.written(found, e.pk),
        }
        if e.cancelled_on:  # written only when set, so files of uncancelled engagements are as before
            row = {**row, "cancelled_on": e.cancelled_on.isoformat(), "cancel_reason": e.cancel_reason}
        rows.append(row)
    return rows


def export_briefs() -> list[dict[str, Any]]:
    found = snapshot_history.read(BRIEF_HISTORY, snapshot_history.Refs())
    return [
        {
            "engagement": b.engagement.key,
            "objective": b.objective,
            "one_thing": b.one_thing,
            "notes": b.notes,
            "history": snapshot_history.written(found, b.pk),
        }
        for b in Brief.objects.select_related("engagement").order_by("engagement__number")
    ]


def export_positions() -> list[dict[str, Any]]:
    found = snapshot_history.read(POSITION_HISTORY, snapshot_history.Refs())
    return [
        {
            "person": p.person.key,
            "engagement": p.engagement.key if p.engagement else None,
            "position": p.position,
            "stance": p.stance,
            "recorded_on": p.recorded_on.isoformat(),
            "source": p.source,
            "history": snapshot_history.written(found, p.pk),
        }
        for p in StakeholderPosition.objects.select_related("person", "engagement").order_by(
            "recorded_on", "id"
        )
    ]


SECTIONS = [
    Section(
        name="engagements",
        record=EngagementIn,
        order=80,
        key_of=lambda r: r.key,
        check=check_engagements,
        write=write_engagements,
        export=export_engagements,
        models=(Engagement,),
    ),
    Section(
        name="briefs",
        record=BriefIn,
        order=90,
        key_of=lambda r: r.engagement,
        check=check_briefs,
        write=write_briefs,
        export=export_briefs,
        models=(Brief,),
    ),
    Section(
        name="positions",
        record=PositionIn,
        order=95,
        check=check_positions,
        write=write_positions,
        export=export_positions,
        models=(StakeholderPosition,),
    ),
]
