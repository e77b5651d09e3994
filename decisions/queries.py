"""Reads of the decision log: the list, the decision page, the supersession chain and the history.

Each read fetches what its page shows in a fixed number of queries, whatever the size of the log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os.history import HistoryEntry, history_entries
from leadership_os.models import Person


def log() -> QuerySet[Decision]:
    """Every decision with what a row of the log shows."""
    return Decision.objects.select_related("surface", "decider").prefetch_related("tags", "reopen_conditions")


def annotate_for_reading(decisions: Iterable[Decision], today: dt.date) -> None:
    """Set what the templates read about each decision as of `today` (no query: parts are prefetched)."""
    for decision in decisions:
        days_left = decision.days_to_needed_by(today)
        decision.days_left = days_left  # type: ignore[attr-defined]
        decision.days_late = -days_left if days_left is not None and days_left < 0 else 0  # type: ignore[attr-defined]
        decision.to_review = decision.conditions_to_review(today)  # type: ignore[attr-defined]


def decision_for_page(key: str) -> Decision:
    """The decision with everything its page shows, or 404."""
    return get_object_or_404(
        Decision.objects.select_related(
            "surface", "decider", "driver", "supersedes", "superseded_by", "created_by"
        ).prefetch_related(
            "tags",
            "options",
            Prefetch("stakeholders", queryset=DecisionStakeholder.objects.select_related("person")),
            "reopen_conditions",
            "waiting_workstreams__owner",
            "decision_points__owner",
            "context_entries",
            "commitments__owner",
        ),
        key=key.upper(),
    )


def decision_for_edit(key: str) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("surface", "created_by").prefetch_related("tags", "options"),
        key=key.upper(),
    )


def _chain_sql() -> str:
    table = Decision._meta.db_table
    # UNION (not UNION ALL) stops the walk should the data ever hold a cycle.
    return f"""
        WITH RECURSIVE
          back(id, prev) AS (
            SELECT id, supersedes_id FROM {table} WHERE id = %s
            UNION
            SELECT d.id, d.supersedes_id FROM {table} d JOIN back ON d.id = back.prev
          ),
          ahead(id) AS (
            SELECT id FROM {table} WHERE id = %s
            UNION
            SELECT d.id FROM {table} d JOIN ahead ON d.supersedes_id = ahead.id
          )
        SELECT id FROM back UNION SELECT id FROM ahead
    """  # noqa: S608  (the table name is the model's, not user input)


def _successor(decision: Decision) -> Decision | None:
    try:
        return decision.superseded_by  # type: ignore[no-any-return]
    except Decision.DoesNotExist:
        return None


def supersession_chain(decision: Decision) -> list[Decision]:
    """The whole chain the decision belongs to, oldest first: what it superseded, what superseded
    that, and so on, and what superseded it in turn. One query, however long the chain."""
    if decision.supersedes_id is None and _successor(decision) is None:
        return [decision]
    # The SQL is a constant and the ids are passed as parameters.
    ids = RawSQL(_chain_sql(), (decision.pk, decision.pk))  # noqa: S611
    members = {d.pk: d for d in Decision.objects.filter(id__in=ids).select_related("surface")}
    members[decision.pk] = decision
    following = {d.supersedes_id: d for d in members.values() if d.supersedes_id in members}
    head = next(d for d in members.values() if d.supersedes_id not in members)
    chain = [head]
    while chain[-1].pk in following and len(chain) < len(members):
        chain.append(following[chain[-1].pk])
    return chain


def previous_outcome(decision: Decision) -> Any | None:
    """For a reopened decision: the last version of it that was decided (a historical record)."""
    if decision.status != Decision.Status.OPEN:
        return None
    return (
        Decision.history.filter(id=decision.pk, status=Decision.Status.DECIDED)
        .order_by("-history_date", "-history_id")
        .first()
    )


LABELS = {
    "rejected_because": "why rejected",
    "needed_by": "needed by",
    "opened_on": "opened on",
    "decided_on": "decided on",
    "review_on": "review on",
    "triggered_on": "triggered on",
    "reviewed_on": "reviewed on",
    "review_note": "review note",
    "created_by": "created by",
    "chosen": "chosen",
}


def _entries_by_record(
    records: list[Any], subject_of: Any, ignore: frozenset[str] = frozenset()
) -> list[HistoryEntry]:
    """Readable entries for the history of several records of one model, each record's own way."""
    by_record: dict[int, list[Any]] = defaultdict(list)
    for record in records:
        by_record[record.id].append(record)
    entries: list[HistoryEntry] = []
    for versions in by_record.values():
        entries.extend(
            history_entries(
                versions, subject=subject_of(versions[0]), labels=LABELS, ignore={"decision", *ignore}
            )
        )
    return entries


def _merge_same_save(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """One save writes the record, then its tags: show them as one change."""
    merged: list[HistoryEntry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.subject == entry.subject
            and last.who == entry.who
            and abs((last.when - entry.when).total_seconds()) < 2
            and entry.kind in ("created", "changed")
            and last.kind == "changed"
        ):
            last.changes = entry.changes + last.changes
            last.kind = entry.kind
            last.reason = last.reason or entry.reason
            continue
        merged.append(entry)
    return merged


def decision_history(decision: Decision) -> list[HistoryEntry]:
    """Every change to the decision and its options, stakeholders and reopen conditions, newest first."""

    def newest_first(model: Any, **filters: Any) -> list[Any]:
        return list(
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )

    entries = history_entries(
        newest_first(Decision, id=decision.pk),
        subject=decision.key,
        labels=LABELS,
        ignore={"supersedes"} if decision.supersedes_id is None else set(),
    )
    entries += _entries_by_record(
        newest_first(Option, decision_id=decision.pk),
        lambda r: f"option “{r.title}”",
        ignore=frozenset({"position"}),
    )
    conditions = newest_first(ReopenCondition, decision_id=decision.pk)
    entries += _entries_by_record(
        conditions, lambda r: f"reopen condition “{Truncator(r.text).words(12, truncate='…')}”"
    )
    stakeholders = newest_first(DecisionStakeholder, decision_id=decision.pk)
    people = Person.objects.in_bulk({r.person_id for r in stakeholders})
    entries += _entries_by_record(
        stakeholders,
        lambda r: f"the position of {people[r.person_id].name}" if r.person_id in people else "a stakeholder",
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return _merge_same_save(entries)


def madr_set(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """What the MADR export of these decisions reads, in a fixed number of queries."""
    return decisions.select_related(
        "surface", "decider", "driver", "supersedes", "superseded_by"
    ).prefetch_related(
        "tags",
        "options",
        Prefetch("stakeholders", queryset=DecisionStakeholder.objects.select_related("person")),
        "reopen_conditions",
    )


def timeline_decisions(start: dt.date, end: dt.date) -> QuerySet[Decision]:
    """The open, decided and superseded decisions placed (decided, else opened) between the dates."""
    return (
        Decision.objects.filter(
            status__in=[Decision.Status.OPEN, Decision.Status.DECIDED, Decision.Status.SUPERSEDED]
        )
        .annotate(dated=Coalesce("decided_on", "opened_on"))
        .filter(dated__gte=start, dated__lte=end)
        .order_by("number")
    )
