"""Reads for the radar, the queue and the dashboard: the engine's result for today, with snoozes
applied and each item's links resolved, in a fixed number of queries whatever the org's size."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from leadership_os.engine import EngineResult, OrgSnapshot, QueueItem, RadarItem, Thresholds, evaluate
from leadership_os.engine_adapter import configured_thresholds, org_snapshot
from leadership_os.models import OrgRevision, Snooze, Surface

# Facts that grow by themselves every day; a snooze survives them, not a change of anything else.
_MOVING_FACTS = ("days", "window_start", "window_end")


def thresholds() -> Thresholds:
    return configured_thresholds()


@dataclass
class Evaluation:
    """Today's engine result, the snapshot it came from, and what the pages need around it."""

    as_of: dt.date
    snapshot: OrgSnapshot
    result: EngineResult
    visible: list[RadarItem] = field(default_factory=list)
    snoozed: list[tuple[RadarItem, Snooze]] = field(default_factory=list)
    surfaces: dict[str, str] = field(default_factory=dict)

    def surface_name(self, key: str | None) -> str:
        return self.surfaces.get(key or "", "No surface")


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


# The engine's results by (org revision, day, thresholds), reused until the org changes. Each app
# server keeps its own; the revision is read from the database, so they never serve a stale result.
_MEMO: dict[tuple[int, dt.date, Thresholds], tuple[OrgSnapshot, EngineResult]] = {}
_MEMO_SIZE = 4


def engine_result(as_of: dt.date) -> tuple[OrgSnapshot, EngineResult]:
    """Today's snapshot and engine result, computed once per org revision."""
    limits = thresholds()
    key = (OrgRevision.current(), as_of, limits)
    if key not in _MEMO:
        snapshot = org_snapshot()
        _MEMO[key] = (snapshot, evaluate(snapshot, as_of, limits))
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
    return _MEMO[key]


def evaluate_today(as_of: dt.date | None = None) -> Evaluation:
    as_of = as_of or timezone.localdate()
    snapshot, result = engine_result(as_of)
    snoozes = {
        (s.rule, s.subject_type, s.subject_key): s
        for s in Snooze.objects.filter(until__gt=as_of, cancelled_at__isnull=True).select_related("by")
    }
    evaluation = Evaluation(as_of=as_of, snapshot=snapshot, result=result)
    evaluation.surfaces = dict(Surface.objects.values_list("key", "name"))
    for item in result.radar:
        snooze = snoozes.get((item.rule, item.subject.type, item.subject.key))
        if snooze is not None and snooze.fingerprint == fingerprint(item):
            evaluation.snoozed.append((item, snooze))
        else:
            evaluation.visible.append(item)
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
    commitment_workstream = {c.key: c.workstream for c in evaluation.snapshot.commitments}
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
