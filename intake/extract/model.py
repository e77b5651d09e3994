"""The extractor's typed values: what a source reads as, and what the rules propose."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("decision", "decision_needed", "action", "blocker", "signal", "position", "update")


class SourceError(ValueError):
    """The source cannot be read: empty, too large, binary, not UTF-8, or malformed. The message
    says which, in words a person can act on."""


@dataclass(frozen=True)
class Line:
    """One line of the source as the rules see it: its 1-based line number(s) in the original file,
    its text (a speaker's prefix removed), who spoke it when the format says, and for chat exports
    the thread it belongs to."""

    number: int
    text: str
    speaker: str | None = None
    thread: str | None = None
    numbers: tuple[int, ...] = ()

    @property
    def cited(self) -> tuple[int, ...]:
        return self.numbers or (self.number,)


@dataclass(frozen=True)
class Person:
    """Someone an owner may be resolved to: a stable key, a full name and optional handles."""

    key: str
    name: str
    handles: tuple[str, ...] = ()
    external: bool = False


@dataclass(frozen=True)
class Workstream:
    """A workstream a blocker or an update may be linked to: its key (WS-14) and its name."""

    key: str
    name: str


@dataclass
class Proposal:
    kind: str
    text: str
    lines: list[int]
    rule: str
    owner: str | None = None
    owner_person: str | None = None
    due: dt.date | None = None
    speaker: str | None = None
    workstream: str | None = None
    stance: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The issue's JSON shape for one proposal."""
        return {
            "kind": self.kind,
            "text": self.text,
            "owner": self.owner,
            "owner_person": self.owner_person,
            "due": self.due.isoformat() if self.due else None,
            "lines": list(self.lines),
            "rule": self.rule,
        }


@dataclass
class Extraction:
    meeting_date: dt.date | None
    proposals: list[Proposal]
    source_format: str = "markdown"
    attendees: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "proposals": [p.as_json() for p in self.proposals],
        }
