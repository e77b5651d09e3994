"""The engine's result for a day, evaluated again only where the writes since the last evaluation
can have changed it.

The engine's input is read in parts (radar.engine_adapter.relevant_snapshot: the active workstreams,
the decisions that matter, the late commitments, ...), each from a few tables whose write counts
the kernel keeps (leadership_os.models.TableRevision). A part is read again only when one of its
tables was written to (or a part it depends on changed); a rule runs again only when a part it reads
(`Rule.reads`) changed, and the queue likewise. A status update re-reads the workstreams and runs
the workstream rules again (the queue too if it changed who waits on which decision); the thousands of slipped commitments, the
signal clusters and the rituals' items are reused.

The engine stays pure: it is called with the whole relevant snapshot, rule by rule, and the rules' items are
put in radar order by `merge_rule_items`, as `evaluate` orders them. What is reused lives in this process (leadership_os.memo.keyed); the
finished result is shared between processes by radar.queries (leadership_os.memo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from leadership_os import memo
from leadership_os.models import TableRevision
from radar.engine import (
    QUEUE_READS,
    RULES,
    EngineResult,
    OrgSnapshot,
    QueueItem,
    Thresholds,
    merge_rule_items,
    rule_items,
    waiting_workstreams,
)
from radar.engine.queue import build_queue
from radar.engine_adapter import PART_TABLES, relevant_snapshot

KEPT = 3
"""Values kept per part and per rule: the newest few (a day's and the day before's, a thresholds' change)."""


def _reuse(space: str, key: Hashable, compute: Callable[[], Any]) -> Any:
    return memo.keyed(f"radar-{space}", key, compute, size=KEPT)


class _Parts:
    """Reads the snapshot's parts for one evaluation, each keyed by the day, the thresholds, the
    write counts of its tables and the keys of the parts it depends on."""

    def __init__(self, as_of: dt.date, thresholds: Thresholds, revisions: dict[str, int]):
        self.base = (
            as_of, digest(thresholds), revisions[TableRevision.EPOCH], revisions.get(TableRevision.ALL, 0)
        )  # fmt: skip
        self.revisions = revisions
        self.keys: dict[str, Hashable] = {}
        self.read: list[str] = []

    def __call__(
        self, name: str, depends_on: tuple[str, ...], read: Callable[[], Any], *, also: Hashable = None
    ) -> Any:
        tables = tuple(self.revisions.get(table, 0) for table in PART_TABLES[name])
        # `also` may hold thousands of values: it enters the key as a digest, made once, so that the
        # keys of the parts and rules built on this one stay short to hash and to print.
        key = (
            self.base,
            tables,
            tuple(self.keys[d] for d in depends_on),
            None if also is None else digest(also),
        )
        self.keys[name] = key

        def counted() -> Any:
            self.read.append(name)
            return read()

        return _reuse(f"part:{name}", key, counted)


def digest(value: Any) -> str:
    """A short, stable stand-in for a large key (the same in every process: its repr's hash)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Evaluated:
    """An evaluation: the result, the snapshot, the parts read again, and the pieces the result is
    made of (each rule's items, the queue, the commitments' workstreams), each with the key that
    says what it was computed from, in RULES' order then the queue's and the commitments'."""

    snapshot: OrgSnapshot
    read: list[str]
    pieces: list[tuple[str, Hashable, Any]]
    as_of: dt.date

    @cached_property
    def result(self) -> EngineResult:
        """The result, its radar merged from the rules' pieces (the pages bucket the pieces
        themselves: see radar.queries)."""
        radar = merge_rule_items([items for _, _, items in self.pieces[: len(RULES)]])
        return EngineResult.model_construct(as_of=self.as_of, radar=radar, queue=self.pieces[-2][2])


def evaluate_incrementally(as_of: dt.date, thresholds: Thresholds) -> Evaluated:
    """The engine's result for `as_of` (equal to `evaluate(org_snapshot(), as_of, thresholds)`)."""
    revisions = TableRevision.current()  # before the reads: a part is never older than its key
    parts = _Parts(as_of, thresholds, revisions)
    snapshot = relevant_snapshot(as_of, thresholds, parts)
    # The queue and the waiting rule see the workstreams only through who waits on which decision:
    # a status update that leaves that alone leaves them alone.
    parts.keys["waiting"] = digest(sorted((k, tuple(v)) for k, v in waiting_workstreams(snapshot).items()))
    base = (as_of, digest(thresholds))
    pieces: list[tuple[str, Hashable, Any]] = []
    for rule in RULES:
        key = (base, tuple(parts.keys[kind] for kind in rule.reads))
        items = _reuse(
            f"rule:{rule.id}", key, lambda rule=rule: rule_items(rule, snapshot, as_of, thresholds)
        )
        pieces.append((rule.id, key, items))
    queue_key = (base, tuple(parts.keys[kind] for kind in QUEUE_READS))
    queue: tuple[QueueItem, ...] = _reuse(
        "queue", queue_key, lambda: build_queue(snapshot, as_of, thresholds)
    )
    pieces.append(("queue", queue_key, queue))
    commitments_key = ("commitment-workstream", parts.keys["commitments"])
    pieces.append(
        (
            "commitment_workstream",
            commitments_key,
            _reuse(
                "commitment-workstream",
                commitments_key,
                lambda: {c.key: c.workstream for c in snapshot.commitments},
            ),
        )
    )
    return Evaluated(snapshot=snapshot, read=parts.read, pieces=pieces, as_of=as_of)
