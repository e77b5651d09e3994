"""The org as the rules see it: frozen pydantic facts, dates only, records referring to each other by key."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

WorkstreamState = Literal["on_track", "at_risk", "blocked", "paused", "done"]
EscalationState = Literal["none", "watching", "escalated", "resolved"]
DecisionStatus = Literal["draft", "open", "decided", "superseded", "withdrawn"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ThresholdError(ValueError):
    """A threshold setting that cannot be used; the message names the setting (`RULES_<NAME>`)."""


class Thresholds(_Frozen):
    """RULES.md's thresholds, each a whole number of at least 1 (days, or items for the counts)."""

    blocked_escalate_days: int = Field(default=3, ge=1)
    escalation_stall_days: int = Field(default=5, ge=1)
    stale_days: int = Field(default=7, ge=1)
    stale_high_days: int = Field(default=14, ge=1)
    prep_window_days: int = Field(default=2, ge=1)
    slip_high_days: int = Field(default=7, ge=1)
    signal_cluster_min: int = Field(default=3, ge=1)
    signal_window_days: int = Field(default=14, ge=1)
    theater_window: int = Field(default=4, ge=1)
    queue_soon_days: int = Field(default=7, ge=1)

    @model_validator(mode="after")
    def _stale_high_not_below_stale(self) -> Self:
        if self.stale_high_days < self.stale_days:
            raise ValueError("RULES_STALE_HIGH_DAYS must not be smaller than RULES_STALE_DAYS")
        return self

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The settings' names without their `RULES_` prefix, e.g. `STALE_DAYS`, in RULES.md's order."""
        return tuple(name.upper() for name in cls.model_fields)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> Thresholds:
        """Thresholds from settings named as in RULES.md (`STALE_DAYS` or `RULES_STALE_DAYS`).

        Missing names keep their defaults. Raises ThresholdError naming the bad setting as
        `RULES_<NAME>`: an unknown name, a value that is not a whole number, or one below 1.
        """
        known = set(cls.names())
        parsed: dict[str, int] = {}
        for raw_name, raw in values.items():
            name = raw_name.upper().removeprefix("RULES_")
            if name not in known:
                raise ThresholdError(
                    f"RULES_{name} is not a rules threshold (known: {', '.join(cls.names())})"
                )
            parsed[name.lower()] = _whole_number(name, raw)
        try:
            return cls(**parsed)
        except ValidationError as error:
            raise ThresholdError(_first_message(error)) from None

    def as_settings(self) -> dict[str, int]:
        """The thresholds keyed by their setting names without prefix, e.g. {"STALE_DAYS": 7, ...}."""
        return {name.upper(): value for name, value in self.model_dump().items()}


def _whole_number(name: str, raw: object) -> int:
    if isinstance(raw, bool):
        raise ThresholdError(f"RULES_{name} must be a whole number of at least 1, not {raw!r}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        value = int(raw)
    else:
        raise ThresholdError(f"RULES_{name} must be a whole number of at least 1, not {raw!r}")
    if value < 1:
        raise ThresholdError(f"RULES_{name} must be at least 1, not {value}")
    return value


def _first_message(error: ValidationError) -> str:
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["loc"]:
        return f"RULES_{str(first['loc'][0]).upper()}: {message}"
    return message


class WorkstreamFact(_Frozen):
    key: str
    title: str
    surface: str | None = None
    owner: str | None = None
    state: WorkstreamState = "on_track"
    created_on: date
    last_update_on: date | None = None
    """The date of its newest status update, if it has any."""
    next_decision_on: date | None = None
    next_decision: str | None = None
    blocker: str = ""
    blocked_since: date | None = None
    blocked_by_decision: str | None = None
    escalation: EscalationState = "none"
    escalated_on: date | None = None

    @property
    def active(self) -> bool:
        return self.state not in ("done", "paused")

    @property
    def last_update(self) -> date:
        """RULES.md's last update: the newest status update's date, else the date it was created."""
        return self.last_update_on or self.created_on


class ReopenConditionFact(_Frozen):
    review_on: date | None = None
    triggered_on: date | None = None
    reviewed_on: date | None = None
    text: str = ""

    def due(self, as_of: date) -> bool:
        """`review_on` on or before as_of, and not reviewed since."""
        return (
            self.review_on is not None
            and self.review_on <= as_of
            and (self.reviewed_on is None or self.reviewed_on < self.review_on)
        )

    def triggered(self, as_of: date) -> bool:
        """`triggered_on` on or before as_of, and not reviewed since."""
        return (
            self.triggered_on is not None
            and self.triggered_on <= as_of
            and (self.reviewed_on is None or self.reviewed_on < self.triggered_on)
        )


class DecisionFact(_Frozen):
    key: str
    title: str
    status: DecisionStatus
    surface: str | None = None
    tags: tuple[str, ...] = ()
    needed_by: date | None = None
    opened_on: date | None = None
    decided_on: date | None = None
    options_count: int = Field(default=0, ge=0)
    reopen_conditions: tuple[ReopenConditionFact, ...] = ()


class CommitmentFact(_Frozen):
    key: str
    description: str
    owner: str | None = None
    due_on: date
    done_on: date | None = None
    workstream: str | None = None
    surface: str | None = None


class SignalFact(_Frozen):
    """A customer signal from the context repository."""

    key: str
    tags: tuple[str, ...] = ()
    dated_on: date
    surface: str | None = None


class OpenQuestionFact(_Frozen):
    """A context entry of kind open question whose status is open: it carries its tags as 'being asked'."""

    key: str
    tags: tuple[str, ...] = ()


class OccurrenceFact(_Frozen):
    """A held occurrence of a ritual and what it produced."""

    held_on: date
    decisions_informed: int = Field(default=0, ge=0)
    blockers_surfaced: int = Field(default=0, ge=0)


class RitualFact(_Frozen):
    key: str
    title: str
    active: bool = True
    surface: str | None = None
    informs_decision: str = ""
    """What decision does it inform (blank when nobody said)."""
    surfaces_blocker: str = ""
    """What blocker does it surface (blank when nobody said)."""
    held: tuple[OccurrenceFact, ...] = ()


class BriefFact(_Frozen):
    has_objective: bool
    has_one_thing: bool
    unknown_stance: tuple[str, ...] = ()
    """The names (or keys) of the engagement's stakeholders whose stance is unknown."""


class EngagementFact(_Frozen):
    key: str
    title: str
    starts_on: date
    """The start's date in the configured time zone (the adapter converts)."""
    surface: str | None = None
    brief: BriefFact | None = None


class OrgSnapshot(_Frozen):
    """Everything the rules read. Keys are unique within each kind of record."""

    workstreams: tuple[WorkstreamFact, ...] = ()
    decisions: tuple[DecisionFact, ...] = ()
    commitments: tuple[CommitmentFact, ...] = ()
    signals: tuple[SignalFact, ...] = ()
    open_questions: tuple[OpenQuestionFact, ...] = ()
    rituals: tuple[RitualFact, ...] = ()
    engagements: tuple[EngagementFact, ...] = ()

    @model_validator(mode="after")
    def _keys_are_unique(self) -> Self:
        for name in type(self).model_fields:
            records: Iterable[Any] = getattr(self, name)
            seen: set[str] = set()
            for record in records:
                if record.key in seen:
                    raise ValueError(f"{name}: the key {record.key!r} appears twice")
                seen.add(record.key)
        return self
