"""The one place that reads the database into the rules engine's snapshot.

It makes the same number of queries whatever the size of the org (one per kind of record, plus one per
many-to-many it needs), and turns every moment into a date in the configured time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max
from django.utils import timezone

from briefs.models import Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, ReopenCondition, Stance
from radar.checks import rule_thresholds
from radar.engine import (
    BriefFact,
    CommitmentFact,
    DecisionFact,
    EngagementFact,
    EngineResult,
    OccurrenceFact,
    OpenQuestionFact,
    OrgSnapshot,
    ReopenConditionFact,
    RitualFact,
    SignalFact,
    Thresholds,
    WorkstreamFact,
    evaluate,
)
from rhythms.models import Occurrence, Ritual
from workstreams.models import Commitment, Workstream

SNAPSHOT_QUERIES = 11
"""How many queries `org_snapshot` makes, whatever the size of the org."""


def configured_thresholds() -> Thresholds:
    """The thresholds from the `RULES_*` settings (validated at start-up by radar.checks)."""
    return Thresholds.from_settings(rule_thresholds())


def org_snapshot() -> OrgSnapshot:
    """The whole org as the rules see it, read in SNAPSHOT_QUERIES queries."""
    return OrgSnapshot(
        workstreams=_workstreams(),
        decisions=_decisions(),
        commitments=_commitments(),
        **_context(),
        rituals=_rituals(),
        engagements=_engagements(),
    )


def evaluate_org(as_of: dt.date | None = None) -> EngineResult:
    """The radar and the queue of the org in the database on `as_of` (default: today in the configured zone)."""
    return evaluate(org_snapshot(), as_of or timezone.localdate(), configured_thresholds())


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _workstreams() -> tuple[WorkstreamFact, ...]:
    live = Workstream.objects.filter(archived_on__isnull=True)  # an archived workstream left the radar
    rows = live.annotate(last_update_on=Max("updates__posted_on")).values(
        "key",
        "name",
        "surface__key",
        "owner__key",
        "state",
        "created_on",
        "last_update_on",
        "next_decision_on",
        "next_decision__key",
        "blocker",
        "blocked_since",
        "blocked_by_decision__key",
        "escalation",
        "escalated_on",
    )
    return tuple(
        WorkstreamFact(
            key=row["key"],
            title=row["name"],
            surface=row["surface__key"],
            owner=row["owner__key"],
            state=row["state"],
            created_on=row["created_on"],
            last_update_on=row["last_update_on"],
            next_decision_on=row["next_decision_on"],
            next_decision=row["next_decision__key"],
            blocker=row["blocker"],
            blocked_since=row["blocked_since"],
            blocked_by_decision=row["blocked_by_decision__key"],
            escalation=row["escalation"],
            escalated_on=row["escalated_on"],
        )
        for row in rows
    )


def _decisions() -> tuple[DecisionFact, ...]:
    tags: dict[int, list[str]] = defaultdict(list)
    for decision_id, name in Decision.tags.through.objects.values_list("decision_id", "tag__name"):
        tags[decision_id].append(name)
    conditions: dict[int, list[ReopenConditionFact]] = defaultdict(list)
    for row in ReopenCondition.objects.values(
        "decision_id", "text", "review_on", "triggered_on", "reviewed_on"
    ):
        conditions[row.pop("decision_id")].append(ReopenConditionFact(**row))
    rows = Decision.objects.annotate(options_count=Count("options")).values(
        "id",
        "key",
        "title",
        "status",
        "surface__key",
        "needed_by",
        "opened_on",
        "decided_on",
        "options_count",
    )
    return tuple(
        DecisionFact(
            key=row["key"],
            title=row["title"],
            status=row["status"],
            surface=row["surface__key"],
            tags=tuple(sorted(tags[row["id"]])),
            needed_by=row["needed_by"],
            opened_on=row["opened_on"],
            decided_on=row["decided_on"],
            options_count=row["options_count"],
            reopen_conditions=tuple(conditions[row["id"]]),
        )
        for row in rows
    )


def _commitments() -> tuple[CommitmentFact, ...]:
    rows = Commitment.objects.values(
        "key",
        "description",
        "owner__key",
        "due_on",
        "done_on",
        "workstream__key",
        "workstream__surface__key",
        "decision__surface__key",
        "engagement__surface__key",
    )
    return tuple(
        CommitmentFact(
            key=row["key"],
            description=row["description"],
            owner=row["owner__key"],
            due_on=row["due_on"],
            done_on=row["done_on"],
            workstream=row["workstream__key"],
            surface=row["workstream__surface__key"]
            or row["decision__surface__key"]
            or row["engagement__surface__key"],
        )
        for row in rows
    )


def _context() -> dict[str, tuple[SignalFact, ...] | tuple[OpenQuestionFact, ...]]:
    """Customer signals, and the open questions whose tags count as 'being asked'."""
    signal, question = ContextEntry.Kind.CUSTOMER_SIGNAL, ContextEntry.Kind.OPEN_QUESTION
    tags: dict[int, list[str]] = defaultdict(list)
    for entry_id, name in ContextEntry.tags.through.objects.filter(
        contextentry__kind__in=[signal, question]
    ).values_list("contextentry_id", "tag__name"):
        tags[entry_id].append(name)
    signals: list[SignalFact] = []
    questions: list[OpenQuestionFact] = []
    for row in ContextEntry.objects.filter(kind__in=[signal, question]).values(
        "id", "key", "kind", "status", "dated_on", "surface__key"
    ):
        entry_tags = tuple(sorted(tags[row["id"]]))
        if row["kind"] == signal:
            signals.append(
                SignalFact(
                    key=row["key"], tags=entry_tags, dated_on=row["dated_on"], surface=row["surface__key"]
                )
            )
        elif row["status"] == ContextEntry.Status.OPEN:
            questions.append(OpenQuestionFact(key=row["key"], tags=entry_tags))
    return {"signals": tuple(signals), "open_questions": tuple(questions)}


def _rituals() -> tuple[RitualFact, ...]:
    held: dict[int, list[OccurrenceFact]] = defaultdict(list)
    occurrences = (
        Occurrence.objects.filter(status=Occurrence.Status.HELD)
        .annotate(
            n_decisions=Count("decisions_informed", distinct=True),
            n_blockers=Count("blockers_surfaced", distinct=True),
        )
        .values("ritual_id", "starts_at", "n_decisions", "n_blockers")
    )
    for row in occurrences:
        held[row["ritual_id"]].append(
            OccurrenceFact(
                held_on=_local_date(row["starts_at"]),
                decisions_informed=row["n_decisions"],
                blockers_surfaced=row["n_blockers"],
            )
        )
    rows = Ritual.objects.values(
        "id", "key", "name", "is_active", "surface__key", "informs_decision", "surfaces_blocker"
    )
    return tuple(
        RitualFact(
            key=row["key"],
            title=row["name"],
            active=row["is_active"],
            surface=row["surface__key"],
            informs_decision=row["informs_decision"],
            surfaces_blocker=row["surfaces_blocker"],
            held=tuple(held[row["id"]]),
        )
        for row in rows
    )


def _engagements() -> tuple[EngagementFact, ...]:
    # A person's stance is their latest recorded position for the engagement: an old "unknown"
    # followed by a "support" is known.
    latest: dict[tuple[int, int], tuple[str, str]] = {}
    positions = StakeholderPosition.objects.filter(engagement__isnull=False).order_by("-recorded_on", "-id")
    for row in positions.values("engagement_id", "person_id", "person__name", "stance"):
        latest.setdefault((row["engagement_id"], row["person_id"]), (row["person__name"], row["stance"]))
    unknown: dict[int, list[str]] = defaultdict(list)
    for (engagement_id, _), (name, stance) in latest.items():
        if stance == Stance.UNKNOWN:
            unknown[engagement_id].append(name)
    # A cancelled engagement is kept, but it is off the radar.
    rows = Engagement.objects.filter(cancelled_on__isnull=True).values(
        "id", "key", "title", "starts_at", "surface__key", "brief__id", "brief__objective", "brief__one_thing"
    )
    return tuple(
        EngagementFact(
            key=row["key"],
            title=row["title"],
            starts_on=_local_date(row["starts_at"]),
            surface=row["surface__key"],
            brief=None
            if row["brief__id"] is None
            else BriefFact(
                has_objective=bool(row["brief__objective"].strip()),
                has_one_thing=bool(row["brief__one_thing"].strip()),
                unknown_stance=tuple(sorted(unknown[row["id"]])),
            ),
        )
        for row in rows
    )
