"""What the engine returns: radar items, queue items, and their JSON and text forms."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["high", "medium", "low"]
SubjectType = Literal["workstream", "decision", "commitment", "theme", "ritual", "engagement"]
Bucket = Literal["overdue", "blocking", "due-soon", "review", "open"]
FactValue = int | str | date

SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
BUCKETS: tuple[Bucket, ...] = ("overdue", "blocking", "due-soon", "review", "open")


@lru_cache(maxsize=1 << 16)
def natural_key(key: str) -> tuple[Any, ...]:
    """Sort key putting `WS-9` before `WS-10`; text compares case-insensitively, ties by the raw key.
    (Pure, so kept per key: an org's keys are sorted again on every evaluation.)"""
    parts = re.split(r"(\d+)", key)
    return (
        tuple(int(part) if index % 2 else part.casefold() for index, part in enumerate(parts)),
        key,
    )


def plural(n: int, noun: str) -> str:
    """`1 day`, `2 days`: the count always in digits, so explanations carry their facts."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _fact(value: FactValue) -> int | str:
    return value.isoformat() if isinstance(value, date) else value


def _facts(facts: dict[str, FactValue]) -> dict[str, int | str]:
    return {name: _fact(facts[name]) for name in sorted(facts)}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def trusted[M: BaseModel](cls: type[M], **values: Any) -> M:
    """An instance of `cls` from values the engine built itself, already of the fields' types, every
    field given: what pydantic's `model_construct` does, without its per-field bookkeeping (which
    costs more than validating). The engine makes thousands of items per evaluation; a test checks
    that each kind equals its validated twin."""
    item = cls.__new__(cls)
    object.__setattr__(item, "__dict__", values)
    object.__setattr__(item, "__pydantic_fields_set__", set(values))
    object.__setattr__(item, "__pydantic_extra__", None)
    object.__setattr__(item, "__pydantic_private__", None)
    return item


class Subject(_Frozen):
    type: SubjectType
    key: str
    title: str


class RadarItem(_Frozen):
    """One fired rule for one subject. `surface` is for the pages' filters; it is not in RULES.md's JSON."""

    rule: str
    severity: Severity
    subject: Subject
    facts: dict[str, FactValue] = Field(default_factory=dict)
    explanation: str
    surface: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "subject": {"type": self.subject.type, "key": self.subject.key, "title": self.subject.title},
            "facts": _facts(self.facts),
            "explanation": self.explanation,
        }


class DecisionRef(_Frozen):
    key: str
    title: str


class QueueItem(_Frozen):
    """One decision in the queue: its rank (from 1), bucket, waiting workstreams and why it is there."""

    rank: int = Field(ge=1)
    bucket: Bucket
    decision: DecisionRef
    waiting: int = Field(ge=0)
    needed_by: date | None
    facts: dict[str, FactValue] = Field(default_factory=dict)
    explanation: str
    surface: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "bucket": self.bucket,
            "decision": {"key": self.decision.key, "title": self.decision.title},
            "waiting": self.waiting,
            "needed_by": self.needed_by.isoformat() if self.needed_by else None,
            "facts": _facts(self.facts),
            "explanation": self.explanation,
        }


class EngineResult(_Frozen):
    as_of: date
    radar: tuple[RadarItem, ...]
    queue: tuple[QueueItem, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "radar": [item.as_json() for item in self.radar],
            "queue": [item.as_json() for item in self.queue],
        }

    def to_json(self) -> str:
        """RULES.md's output as one JSON object; the same result always gives the same bytes."""
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        """The same content for a terminal: the radar by severity, then the ranked queue."""
        lines = [f"Blocker radar as of {self.as_of.isoformat()}: {plural(len(self.radar), 'item')}"]
        for item in self.radar:
            lines.append(
                f"  {item.severity.upper():<6} {item.rule}  {item.subject.type} {item.subject.key} "
                f"{item.subject.title}"
            )
            lines.append(f"         {item.explanation}")
        lines.append("")
        lines.append(f"Decision queue: {plural(len(self.queue), 'decision')}")
        for entry in self.queue:
            needed = entry.needed_by.isoformat() if entry.needed_by else "none"
            lines.append(
                f"  {entry.rank:>3}. {entry.bucket:<8} {entry.decision.key} {entry.decision.title} "
                f"(waiting {entry.waiting}, needed by {needed})"
            )
            lines.append(f"       {entry.explanation}")
        return "\n".join(lines)
