"""The decision queue of RULES.md: which decisions are in it, in which bucket, in which order, and why."""

from __future__ import annotations

from datetime import date, timedelta

from .results import BUCKETS, Bucket, DecisionRef, FactValue, QueueItem, natural_key, plural, trusted
from .rules import days, waiting_workstreams
from .snapshot import DecisionFact, OrgSnapshot, Thresholds

_LAST = date.max


def build_queue(snapshot: OrgSnapshot, as_of: date, thresholds: Thresholds) -> tuple[QueueItem, ...]:
    """Every open decision, and every decided one with a due or triggered reopen condition, each in the
    first bucket that fits (overdue, blocking, due-soon, review, open), ranked from 1 by bucket, then
    waiting workstreams (most first), then `needed_by` (earliest first, none last), then `opened_on`
    (earliest first, none last), then key in natural order."""
    waiting = waiting_workstreams(snapshot)
    soon = as_of + timedelta(days=thresholds.queue_soon_days)
    entries: list[tuple[Bucket, DecisionFact, list[str], dict[str, FactValue], str]] = []
    for decision in snapshot.decisions:
        keys = waiting.get(decision.key, [])
        placed = _place(decision, keys, as_of, soon)
        if placed is not None:
            bucket, facts, why = placed
            entries.append((bucket, decision, keys, facts, why))
    entries.sort(
        key=lambda e: (
            BUCKETS.index(e[0]),
            -len(e[2]),
            e[1].needed_by or _LAST,
            e[1].opened_on or _LAST,
            natural_key(e[1].key),
        )
    )
    return tuple(
        trusted(
            QueueItem,
            rank=rank,
            bucket=bucket,
            decision=trusted(DecisionRef, key=decision.key, title=decision.title),
            waiting=len(keys),
            needed_by=decision.needed_by,
            facts=facts,
            explanation=why,
            surface=decision.surface,
        )
        for rank, (bucket, decision, keys, facts, why) in enumerate(entries, start=1)
    )


def _place(
    d: DecisionFact, waiting: list[str], as_of: date, soon: date
) -> tuple[Bucket, dict[str, FactValue], str] | None:
    """The decision's bucket, facts and why, or None when it is not in the queue."""
    facts: dict[str, FactValue] = {}
    parts: list[str] = []
    if d.status == "open":
        if d.needed_by is not None and d.needed_by < as_of:
            bucket: Bucket = "overdue"
            late = days(d.needed_by, as_of)
            facts |= {"needed_by": d.needed_by, "days_overdue": late}
            parts.append(f"Needed by {d.needed_by.isoformat()}, {plural(late, 'day')} overdue")
        elif waiting:
            bucket = "blocking"
        elif d.needed_by is not None and d.needed_by <= soon:
            bucket = "due-soon"
            left = days(as_of, d.needed_by)
            facts |= {"needed_by": d.needed_by, "days_left": left}
            parts.append(f"Needed by {d.needed_by.isoformat()}, {plural(left, 'day')} left")
        else:
            bucket = "open"
            if d.opened_on is not None:
                facts["opened_on"] = d.opened_on
                parts.append(f"Open since {d.opened_on.isoformat()}")
            else:
                parts.append("Open")
            if d.needed_by is not None:
                left = days(as_of, d.needed_by)
                facts |= {"needed_by": d.needed_by, "days_left": left}
                parts.append(f"needed by {d.needed_by.isoformat()}, {plural(left, 'day')} left")
            else:
                parts.append("no needed-by date")
    elif d.status == "decided":
        due = [c.review_on for c in d.reopen_conditions if c.review_on and c.due(as_of)]
        triggered = [c.triggered_on for c in d.reopen_conditions if c.triggered_on and c.triggered(as_of)]
        if not due and not triggered:
            return None
        bucket = "review"
        count = sum(1 for c in d.reopen_conditions if c.due(as_of) or c.triggered(as_of))
        facts["reopen_conditions"] = count
        reasons = []
        if triggered:
            facts["triggered_on"] = min(triggered)
            reasons.append(f"triggered on {min(triggered).isoformat()}")
        if due:
            facts["review_on"] = min(due)
            reasons.append(f"due for review on {min(due).isoformat()}")
        decided = f"Decided {d.decided_on.isoformat()}" if d.decided_on else "Decided"
        if d.decided_on:
            facts["decided_on"] = d.decided_on
        parts.append(f"{decided}; {plural(count, 'reopen condition')} to review, {' and '.join(reasons)}")
    else:
        return None
    if waiting:
        facts["waiting"] = len(waiting)
        verb = "workstream waits" if len(waiting) == 1 else "workstreams wait"
        parts.append(f"{len(waiting)} active {verb} on it ({', '.join(waiting)})")
        if bucket == "blocking":
            if d.needed_by is not None:
                facts["needed_by"] = d.needed_by
                parts.append(f"needed by {d.needed_by.isoformat()}")
            else:
                parts.append("no needed-by date")
    why = "; ".join(parts)
    return bucket, facts, why[0].upper() + why[1:]
