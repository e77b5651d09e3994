"""Reads for the radar, the queue and the dashboard: the engine's result for today, with snoozes
applied and each item's links resolved, in a fixed number of queries whatever the org's size."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from leadership_os import memo
from leadership_os.models import Surface
from radar.engine import (
    RULES,
    SEVERITIES,
    DecisionRef,
    EngineResult,
    QueueItem,
    RadarItem,
    Subject,
    Thresholds,
    merge_rule_items,
    trusted,
)
from radar.engine_adapter import configured_thresholds
from radar.incremental import evaluate_incrementally
from radar.models import Snooze

# Facts that grow by themselves every day; a snooze survives them, not a change of anything else.
_MOVING_FACTS = ("days", "window_start", "window_end")


def thresholds() -> Thresholds:
    return configured_thresholds()


@dataclass(frozen=True)
class _RulePiece:
    """One rule's items as the pages read them, built once per piece (see `_piece`)."""

    items: tuple[RadarItem, ...]
    by_severity: dict[str, tuple[RadarItem, ...]]
    latest_first: tuple[RadarItem, ...] = ()
    """Slipped commitments only: the latest first."""


def _piece(digest: str, rule: str, items: tuple[RadarItem, ...]) -> _RulePiece:
    """A rule's items bucketed by severity (and the slipped commitments sorted by lateness), kept
    by the piece's digest: after a status update, the thousands of slipped commitments' items are
    the same piece, and are not bucketed or sorted again."""

    def build() -> _RulePiece:
        latest = ()
        if rule == "slipped-commitment":
            latest = tuple(sorted(items, key=lambda i: (-int(i.facts.get("days_late", 0)), i.subject.key)))
        return _RulePiece(
            items=items,
            by_severity={
                severity: tuple(item for item in items if item.severity == severity)
                for severity in SEVERITIES
            },
            latest_first=latest,
        )

    return memo.keyed(_RULE_PIECES, digest, build, size=_KEPT_PIECES)  # type: ignore[no-any-return]


@dataclass
class Lookups:
    """An engine result and the lookups the pages make in it, built once per org revision from the
    result's pieces (each rule's items bucketed once per piece: see `_piece`)."""

    result: EngineResult
    by_rule: dict[str, tuple[RadarItem, ...]]
    slipped_by_lateness: tuple[RadarItem, ...]
    severity_counts: dict[str, int]
    commitment_workstream: dict[str, str | None]
    """The workstream of each commitment that can be on the radar (a slipped one)."""
    pieces: tuple[tuple[str, str], ...] = ()
    """What the result is made of (each rule's items, the queue, the commitments' workstreams), by
    name and digest: how it is shared (see `_encode`)."""

    @cached_property
    def by_key(self) -> dict[tuple[str, str, str], RadarItem]:
        """Items by rule, subject type and key (read when snoozes are to be matched)."""
        return {(i.rule, i.subject.type, i.subject.key): i for i in self.result.radar}

    @cached_property
    def position(self) -> dict[int, int]:
        """An item's place on the radar, by id() (read when snoozed items are listed)."""
        return {id(item): n for n, item in enumerate(self.result.radar)}


@dataclass
class Evaluation:
    """Today's engine result, the snapshot it came from, and what the pages need around it."""

    as_of: dt.date
    lookups: Lookups
    visible: list[RadarItem] = field(default_factory=list)
    snoozed: list[tuple[RadarItem, Snooze]] = field(default_factory=list)
    surfaces: dict[str, str] = field(default_factory=dict)

    @property
    def result(self) -> EngineResult:
        return self.lookups.result

    @property
    def commitment_workstream(self) -> dict[str, str | None]:
        """The workstream of each commitment (commitment links go to their workstream)."""
        return self.lookups.commitment_workstream

    @property
    def slipped_by_lateness(self) -> tuple[RadarItem, ...]:
        """Slipped commitments, latest first (snoozed ones included: see `first_visible`)."""
        return self.lookups.slipped_by_lateness

    def surface_name(self, key: str | None) -> str:
        return self.surfaces.get(key or "", "No surface")

    def visible_of(self, *rules: str) -> list[RadarItem]:
        """The visible items of these rules, in radar order."""
        hidden = {id(item) for item, _ in self.snoozed}
        chosen = [self.lookups.by_rule.get(rule.id, ()) for rule in RULES if rule.id in rules]
        return [item for item in merge_rule_items(chosen) if id(item) not in hidden]

    def first_visible(self, items: list[RadarItem], n: int) -> list[RadarItem]:
        """The first `n` of `items` that are not snoozed (reads no further than it needs)."""
        hidden = {id(item) for item, _ in self.snoozed}
        found: list[RadarItem] = []
        for item in items:
            if id(item) not in hidden:
                found.append(item)
                if len(found) == n:
                    break
        return found

    def visible_severity_counts(self) -> dict[str, int]:
        """How many visible items of each severity (counted once per engine result, less the snoozed)."""
        counts = dict(self.lookups.severity_counts)
        for item, _ in self.snoozed:
            counts[item.severity] -= 1
        return counts

    def count_visible(self, *rules: str) -> int:
        snoozed = sum(1 for item, _ in self.snoozed if item.rule in rules)
        return sum(len(self.lookups.by_rule.get(rule, ())) for rule in rules) - snoozed


def fingerprint(item: RadarItem) -> str:
    """The item's identity for snoozing: its severity and its facts, less the day counts."""
    stable = {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in item.facts.items()
        if not any(moving in name for moving in _MOVING_FACTS)
    }
    raw = json.dumps({"severity": item.severity, "facts": stable}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def item_id(item: RadarItem) -> str:
    """A stable id for an item on the page (and in forms): rule, subject type and key."""
    return f"{item.rule}__{item.subject.type}__{item.subject.key}"


ENGINE_SPACE = "engine"
"""The memo space of the engine's result (`memo.computations(ENGINE_SPACE)` counts its evaluations)."""


def _computed(as_of: dt.date) -> Lookups:
    """The engine's result for `as_of` and its lookups, by (org revision, day, thresholds): reused
    until the org changes, and shared by every worker and app server (leadership_os.memo), so that
    after a write one of them evaluates and the others read its result."""
    limits = thresholds()
    return memo.per_revision(
        ENGINE_SPACE, (as_of, limits), lambda: _evaluate(as_of, limits), size=4, shared=_SHARED_LOOKUPS
    )


def _evaluate(as_of: dt.date, limits: Thresholds) -> Lookups:
    evaluated = evaluate_incrementally(as_of, limits)
    pieces = tuple((name, _digest((name, key))) for name, key, _ in evaluated.pieces)
    _publish(
        [
            (digest, name, value)
            for (name, digest), (_, _, value) in zip(pieces, evaluated.pieces, strict=True)
        ]
    )
    return _lookups(as_of, [value for _, _, value in evaluated.pieces], pieces)


def _lookups(as_of: dt.date, values: list[Any], pieces: tuple[tuple[str, str], ...]) -> Lookups:
    """The lookups of a result given as its pieces' values (each rule's items in RULES' order, the
    queue, the commitments' workstreams): the radar is the pieces' items by severity, in RULES'
    order within each (`merge_rule_items`), taken from the buckets each piece keeps."""
    rules = [
        _piece(digest, name, items)
        for (name, digest), items in zip(pieces[: len(RULES)], values[: len(RULES)], strict=True)
    ]
    radar = tuple(item for severity in SEVERITIES for rule in rules for item in rule.by_severity[severity])
    result = EngineResult.model_construct(as_of=as_of, radar=radar, queue=values[len(RULES)])
    slipped = next((r.latest_first for r in rules if r.latest_first), ())
    return Lookups(
        result=result,
        by_rule={rule.id: piece.items for rule, piece in zip(RULES, rules, strict=True)},
        severity_counts={
            severity: sum(len(rule.by_severity[severity]) for rule in rules) for severity in SEVERITIES
        },
        slipped_by_lateness=slipped,
        commitment_workstream=values[len(RULES) + 1],
        pieces=pieces,
    )


# The result travels between processes in pieces: each rule's items, the queue and the commitments'
# workstreams are put in the cache once, under a digest of what they were computed from, and the
# result itself is the list of its pieces' digests. After a status update the worker that evaluates
# puts in the few pieces that changed (the workstream rules' items); another worker fetches just
# those and reuses the rest it holds. Items travel as plain tuples: unpickling thousands of
# pydantic models costs more than building them again from values the engine made.

_PIECES = "radar-pieces"  # the pieces this process holds, decoded, by digest
_RULE_PIECES = "radar-rule-pieces"  # each rule's piece bucketed for the pages, by digest
_KEPT_PIECES = 4 * 14


def _digest(key: Any) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:40]


def _piece_key(digest: str) -> str:
    return f"radar-piece:{digest}"


def _publish(pieces: list[tuple[str, str, Any]]) -> None:
    from django.core.cache import cache

    fresh = {
        _piece_key(digest): _encode_piece(name, value)
        for digest, name, value in pieces
        if memo.peek(_PIECES, digest) is None
    }
    if fresh:
        cache.set_many(fresh)
    for digest, _, value in pieces:
        memo.keyed(_PIECES, digest, lambda value=value: value, size=_KEPT_PIECES)


def _encode_piece(name: str, value: Any) -> Any:
    if name == "commitment_workstream":
        return value
    if name == "queue":
        return [
            (
                q.rank, q.bucket, q.decision.key, q.decision.title, q.waiting, q.needed_by, q.facts,
                q.explanation, q.surface,
            )
            for q in value
        ]  # fmt: skip
    return [
        (
            i.rule,
            i.severity,
            i.subject.type,
            i.subject.key,
            i.subject.title,
            i.facts,
            i.explanation,
            i.surface,
        )
        for i in value
    ]


def _decode_piece(name: str, encoded: Any) -> Any:
    if name == "commitment_workstream":
        return encoded
    if name == "queue":
        return tuple(
            trusted(
                QueueItem, rank=rank, bucket=bucket, decision=trusted(DecisionRef, key=key, title=title),
                waiting=waiting, needed_by=needed_by, facts=facts, explanation=explanation, surface=surface,
            )
            for rank, bucket, key, title, waiting, needed_by, facts, explanation, surface in encoded
        )  # fmt: skip
    return tuple(
        trusted(
            RadarItem, rule=rule, severity=severity, subject=trusted(Subject, type=kind, key=key, title=title),
            facts=facts, explanation=explanation, surface=surface,
        )
        for rule, severity, kind, key, title, facts, explanation, surface in encoded
    )  # fmt: skip


def _encode(lookups: Lookups) -> tuple[Any, ...]:
    return (lookups.result.as_of, lookups.pieces)


def _decode(encoded: tuple[Any, ...]) -> Lookups:
    from django.core.cache import cache

    as_of, pieces = encoded
    missing = [digest for _, digest in pieces if memo.peek(_PIECES, digest) is None]
    fetched = cache.get_many([_piece_key(digest) for digest in missing]) if missing else {}
    values = []
    for name, digest in pieces:
        held = memo.peek(_PIECES, digest)
        if held is None:
            if _piece_key(digest) not in fetched:
                raise LookupError(digest)  # evicted: evaluate instead
            decoded = _decode_piece(name, fetched[_piece_key(digest)])
            held = memo.keyed(_PIECES, digest, lambda decoded=decoded: decoded, size=_KEPT_PIECES)
        values.append(held)
    return _lookups(as_of, values, pieces)


_SHARED_LOOKUPS = memo.Shared(encode=_encode, decode=_decode)


def evaluate_today(as_of: dt.date | None = None) -> Evaluation:
    """The engine's result with today's snoozes applied. Snoozes are few: each is looked up by its
    item's key, and the visible list is the radar less the snoozed items."""
    as_of = as_of or timezone.localdate()
    computed = _computed(as_of)
    evaluation = Evaluation(as_of=as_of, lookups=computed)
    snoozes = {
        (s.rule, s.subject_type, s.subject_key): s
        for s in Snooze.objects.filter(until__gt=as_of, cancelled_at__isnull=True).select_related("by")
    }
    for key, snooze in snoozes.items():
        item = computed.by_key.get(key)
        if item is not None and snooze.fingerprint == fingerprint(item):
            evaluation.snoozed.append((item, snooze))
    if evaluation.snoozed:
        evaluation.snoozed.sort(key=lambda pair: computed.position[id(pair[0])])
        hidden = {id(item) for item, _ in evaluation.snoozed}
        evaluation.visible = [item for item in computed.result.radar if id(item) not in hidden]
    else:
        evaluation.visible = list(computed.result.radar)
    evaluation.surfaces = dict(Surface.objects.values_list("key", "name"))
    return evaluation


def _path(name: str, args: list[Any], fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def subject_links(evaluation: Evaluation, items: list[RadarItem]) -> dict[str, str]:
    """The record page of each item's subject, by item id (two queries at most: rituals, engagements)."""
    from briefs.models import Engagement
    from rhythms.models import Ritual

    wanted: dict[str, set[str]] = {}
    for item in items:
        wanted.setdefault(item.subject.type, set()).add(item.subject.key)
    ritual_ids = (
        dict(Ritual.objects.filter(key__in=wanted["ritual"]).values_list("key", "id"))
        if "ritual" in wanted
        else {}
    )
    engagement_ids = (
        dict(Engagement.objects.filter(key__in=wanted["engagement"]).values_list("key", "id"))
        if "engagement" in wanted
        else {}
    )
    commitment_workstream = evaluation.commitment_workstream
    links: dict[str, str] = {}
    for item in items:
        key = item.subject.key
        kind = item.subject.type
        if kind == "workstream":
            url = _path("workstreams:workstream_detail", [key], f"/workstreams/{key}/")
        elif kind == "decision":
            url = _path("decisions:decision_detail", [key], f"/decisions/{key}/")
        elif kind == "commitment":
            workstream = commitment_workstream.get(key)
            if workstream:
                url = _path("workstreams:workstream_detail", [workstream], f"/workstreams/{workstream}/")
            else:
                url = _path("workstreams:commitment_list", [], "/workstreams/commitments/")
            url = f"{url}#{key}"
        elif kind == "theme":
            url = f"/context/signals/?tag={key}"
        elif kind == "ritual":
            ident = ritual_ids.get(key)
            url = (
                _path("rhythms:ritual_detail", [ident], f"/rhythms/{ident}/") if ident else "/rhythms/audit/"
            )
        else:
            ident = engagement_ids.get(key)
            url = _path("briefs:brief_detail", [ident], f"/briefs/{ident}/") if ident else "/briefs/"
        links[item_id(item)] = url
    return links


def queue_rows(items: list[QueueItem]) -> list[dict[str, Any]]:
    """Queue items ready for the templates: the item and its decision's page."""
    return [
        {
            "item": item,
            "url": _path(
                "decisions:decision_detail", [item.decision.key], f"/decisions/{item.decision.key}/"
            ),
        }
        for item in items
    ]


def find_item(evaluation: Evaluation, ident: str) -> RadarItem | None:
    for item in evaluation.result.radar:
        if item_id(item) == ident:
            return item
    return None


def rows(evaluation: Evaluation, items: list[RadarItem]) -> list[dict[str, Any]]:
    """Items ready for the templates: the item, its id on the page, its subject's page and surface."""
    links = subject_links(evaluation, items)
    return [
        {
            "item": item,
            "ident": item_id(item),
            "url": links[item_id(item)],
            "surface": evaluation.surface_name(item.surface) if item.surface else "",
        }
        for item in items
    ]
