"""The rules engine of RULES.md: pure and deterministic, pydantic models in and out, no Django.

`evaluate(snapshot, as_of, thresholds)` gives the blocker radar and the decision queue for that day;
`describe_rules(thresholds)` gives every rule in plain words for the rules page.
"""

from __future__ import annotations

from datetime import date

from .queue import build_queue
from .results import (
    BUCKETS,
    SEVERITIES,
    Bucket,
    DecisionRef,
    EngineResult,
    QueueItem,
    RadarItem,
    Severity,
    Subject,
    SubjectType,
    natural_key,
    trusted,
)
from .rules import (
    RULES,
    Rule,
    RuleDescription,
    describe_rules,
    merge_rule_items,
    radar_order,
    rule_items,
    run_rules,
    waiting_workstreams,
)
from .snapshot import (
    BriefFact,
    CommitmentFact,
    DecisionFact,
    EngagementFact,
    OccurrenceFact,
    OpenQuestionFact,
    OrgSnapshot,
    ReopenConditionFact,
    RitualFact,
    SignalFact,
    ThresholdError,
    Thresholds,
    WorkstreamFact,
)

__all__ = [
    "BUCKETS",
    "QUEUE_READS",
    "RULES",
    "SEVERITIES",
    "BriefFact",
    "Bucket",
    "CommitmentFact",
    "DecisionFact",
    "DecisionRef",
    "EngagementFact",
    "EngineResult",
    "OccurrenceFact",
    "OpenQuestionFact",
    "OrgSnapshot",
    "QueueItem",
    "RadarItem",
    "ReopenConditionFact",
    "RitualFact",
    "Rule",
    "RuleDescription",
    "Severity",
    "SignalFact",
    "Subject",
    "SubjectType",
    "ThresholdError",
    "Thresholds",
    "WorkstreamFact",
    "describe_rules",
    "evaluate",
    "merge_rule_items",
    "natural_key",
    "radar_order",
    "rule_items",
    "trusted",
    "waiting_workstreams",
]

QUEUE_READS = ("waiting", "decisions")
"""What the decision queue reads: the decisions, and the workstreams only through
`waiting_workstreams` (see `Rule.reads`)."""


def evaluate(snapshot: OrgSnapshot, as_of: date, thresholds: Thresholds | None = None) -> EngineResult:
    """The radar and the queue of `snapshot` on `as_of`, under `thresholds` (RULES.md's defaults if None).

    Pure: no clock, no I/O, no randomness; the same inputs give the same result, byte for byte in JSON,
    whatever the order of the snapshot's records.
    """
    thresholds = thresholds or Thresholds()
    return EngineResult(
        as_of=as_of,
        radar=run_rules(snapshot, as_of, thresholds),
        queue=build_queue(snapshot, as_of, thresholds),
    )
