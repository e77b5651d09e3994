"""Small builders for engine tests: a fact with sensible defaults, changed only where a test cares."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from radar.engine import (
    CommitmentFact,
    DecisionFact,
    EngagementFact,
    OrgSnapshot,
    RitualFact,
    SignalFact,
    WorkstreamFact,
    evaluate,
)
from radar.engine.results import RadarItem

AS_OF = date(2026, 11, 20)

RULE_ROWS = [
    "blocked-not-escalated",
    "escalation-stalled",
    "stale-update",
    "no-owner",
    "decision-point-overdue",
    "decision-point-unprepared",
    "waiting-on-decision",
    "slipped-commitment",
    "signal-cluster-undecided",
    "ritual-without-purpose",
    "ritual-theater",
    "brief-not-ready",
]
"""RULES.md's rule ids in row order."""


def ago(n: int) -> date:
    """The date n days before AS_OF (negative n: after)."""
    return AS_OF - timedelta(days=n)


def ahead(n: int) -> date:
    return AS_OF + timedelta(days=n)


def ws(key: str = "WS-1", **fields: Any) -> WorkstreamFact:
    """An active, owned, freshly updated workstream with nothing wrong with it."""
    values: dict[str, Any] = {
        "title": f"Workstream {key}",
        "owner": "ana",
        "state": "on_track",
        "created_on": ago(30),
        "last_update_on": ago(1),
    }
    return WorkstreamFact(key=key, **(values | fields))


def decision(key: str = "D-1", **fields: Any) -> DecisionFact:
    values: dict[str, Any] = {"title": f"Decision {key}", "status": "open", "options_count": 2}
    return DecisionFact(key=key, **(values | fields))


def commitment(key: str = "C-1", **fields: Any) -> CommitmentFact:
    values: dict[str, Any] = {"description": f"Promise {key}", "owner": "ana", "due_on": ahead(3)}
    return CommitmentFact(key=key, **(values | fields))


def signal(key: str, *tags: str, dated_on: date = AS_OF) -> SignalFact:
    return SignalFact(key=key, tags=tags, dated_on=dated_on)


def ritual(key: str = "R-1", **fields: Any) -> RitualFact:
    values: dict[str, Any] = {
        "title": f"Ritual {key}",
        "informs_decision": "Which launches go",
        "surfaces_blocker": "Eval capacity",
    }
    return RitualFact(key=key, **(values | fields))


def engagement(key: str = "E-1", **fields: Any) -> EngagementFact:
    values: dict[str, Any] = {"title": f"Engagement {key}", "starts_on": AS_OF}
    return EngagementFact(key=key, **(values | fields))


def radar(as_of: date = AS_OF, **records: Any) -> tuple[RadarItem, ...]:
    return evaluate(OrgSnapshot(**records), as_of).radar


def fired(rule: str, as_of: date = AS_OF, **records: Any) -> list[RadarItem]:
    """The items of one rule for a snapshot made of the given records."""
    return [item for item in radar(as_of, **records) if item.rule == rule]
