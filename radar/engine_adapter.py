"""The one place that reads the database into the rules engine's snapshot.

It makes the same number of queries whatever the size of the org (one per kind of record, plus one per
many-to-many it needs), and turns every moment into a date in the configured time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from django.db.models import Count, F, Min, Model, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, Option, ReopenCondition, Stance
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
from workstreams.models import Commitment, StatusUpdate, Workstream

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
    return _workstream_facts(Workstream.objects.filter(archived_on__isnull=True))  # archived: off the radar


def _decisions() -> tuple[DecisionFact, ...]:
    return _decision_facts(Decision.objects.all())


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


# The part of the org the rules can see on one day ---------------------------------------------------
#
# `org_snapshot()` reads every record (about 75,000 rows on a large org, a second). Most of them
# cannot change the radar or the queue of a given day: a done commitment never slips, a decided
# decision with nothing to review makes no item, a signal whose tags a decision already carries
# makes no cluster, an engagement a week away needs no brief yet. The snapshot below keeps only the
# records that can, so `evaluate(relevant_snapshot(d, t), d, t) == evaluate(org_snapshot(), d, t)`
# (tests/radar/test_fast_path.py checks it after random writes), and reads a small part of the rows.


def _through(model: type[Model], field: str) -> str:
    through: type[Model] = getattr(model, field).through
    return through._meta.label_lower


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


_TAG, _SURFACE, _PERSON = "leadership_os.tag", "leadership_os.surface", "leadership_os.person"

PART_TABLES: dict[str, tuple[str, ...]] = {
    "carriers": (
        _label(Decision), _through(Decision, "tags"), _label(ContextEntry), _through(ContextEntry, "tags"), _TAG,
    ),
    "signals": (_label(ContextEntry), _through(ContextEntry, "tags"), _TAG, _SURFACE),
    "workstreams": (_label(Workstream), _label(StatusUpdate), _label(Decision), _SURFACE, _PERSON),
    "decisions": (
        _label(Decision), _label(Option), _label(ReopenCondition), _through(Decision, "tags"), _TAG, _SURFACE,
    ),
    "commitment_rows": (_label(Commitment), _PERSON),
    "workstream_links": (_label(Workstream), _SURFACE),
    "decision_surfaces": (_label(Decision), _SURFACE),
    "engagement_surfaces": (_label(Engagement), _SURFACE),
    "commitments": (),  # made from the four above: keyed by what it uses of them
    "open_questions": (_label(ContextEntry), _through(ContextEntry, "tags"), _TAG),
    "rituals": (
        _label(Ritual), _label(Occurrence), _through(Occurrence, "decisions_informed"),
        _through(Occurrence, "blockers_surfaced"), _SURFACE,
    ),
    "engagements": (_label(Engagement), _label(Brief), _label(StakeholderPosition), _PERSON, _SURFACE),
}  # fmt: skip
"""The tables each part of `relevant_snapshot` reads (joins and deletes that clear a link included):
a part read again only when one of them was written to gives the same records."""


class PartReader(Protocol):
    """`part(name, depends_on, read, also=...)`: the part `name`, read by `read()` or reused while
    its tables, the parts it depends on and `also` are the same (see radar.incremental)."""

    def __call__(
        self, name: str, depends_on: tuple[str, ...], read: Callable[[], Any], *, also: Hashable = None
    ) -> Any: ...


def _read(name: str, depends_on: tuple[str, ...], read: Callable[[], Any], *, also: Hashable = None) -> Any:
    return read()


def relevant_snapshot(as_of: dt.date, thresholds: Thresholds, part: PartReader = _read) -> OrgSnapshot:
    """The records that can make or change an item of the radar or the queue on `as_of`, read part by
    part through `part` (which may reuse a part whose tables and inputs have not changed)."""
    carriers = part("carriers", (), _tag_carriers)
    signals, carried_tags = part(
        "signals", ("carriers",), lambda: _uncarried_signals(as_of, thresholds, carriers)
    )
    workstreams = part("workstreams", (), _active_workstreams)

    linked = tuple(sorted({ws.next_decision for ws in workstreams if ws.next_decision}))

    def decisions() -> tuple[DecisionFact, ...]:
        chosen = {carriers[tag][0] for tag in carried_tags if carriers[tag][0] is not None}
        return _relevant_decisions(as_of, set(linked), chosen)

    def questions() -> tuple[OpenQuestionFact, ...]:
        chosen = {
            carriers[t][1] for t in carried_tags if carriers[t][0] is None and carriers[t][1] is not None
        }
        return _open_questions(chosen)

    # The late commitments' rows, and their links' keys and surfaces, are parts of their own: a
    # write to a workstream (a status update) re-reads the small map of workstreams, and the facts
    # of the commitments are made again only when a surface they show changed (`also`).
    rows = part("commitment_rows", (), lambda: _late_commitment_rows(as_of))
    links = part("workstream_links", (), _workstream_links)
    decision_surfaces = part(
        "decision_surfaces",
        ("commitment_rows",),
        lambda: _surfaces_of(Decision, {r[5] for r in rows if r[5]}),
    )
    engagement_surfaces = part(
        "engagement_surfaces",
        ("commitment_rows",),
        lambda: _surfaces_of(Engagement, {r[6] for r in rows if r[6]}),
    )
    shown = tuple(sorted((pk, links[pk]) for pk in {r[4] for r in rows if r[4]} if pk in links))
    commitments = part(
        "commitments",
        ("commitment_rows",),
        lambda: _commitment_facts(rows, links, decision_surfaces, engagement_surfaces),
        also=(shown, decision_surfaces, engagement_surfaces),
    )
    return OrgSnapshot.model_construct(  # each part's keys are unique in the database
        workstreams=workstreams,
        decisions=part("decisions", ("signals", "carriers"), decisions, also=linked),
        commitments=commitments,
        signals=signals,
        open_questions=part("open_questions", ("signals", "carriers"), questions),
        rituals=part("rituals", (), lambda: _active_rituals(as_of, thresholds)),
        engagements=part("engagements", (), lambda: _engagements_near(as_of)),
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _tagged(through_rows: Any) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in through_rows:
        tags[owner_id].append(name)
    return tags


def _tag_carriers() -> dict[str, list[int | None]]:
    """Each tag that an open or decided decision or an open question carries: [the first such
    decision's id, the first such question's id] (None where there is none). Two grouped queries."""
    carriers: dict[str, list[int | None]] = defaultdict(lambda: [None, None])
    for name, first in (
        Decision.tags.through.objects.filter(decision__status__in=["open", "decided"])
        .values("tag__name")
        .annotate(first=Min("decision_id"))
        .values_list("tag__name", "first")
    ):
        carriers[name][0] = first
    for name, first in (
        ContextEntry.tags.through.objects.filter(
            contextentry__kind=ContextEntry.Kind.OPEN_QUESTION, contextentry__status=ContextEntry.Status.OPEN
        )
        .values("tag__name")
        .annotate(first=Min("contextentry_id"))
        .values_list("tag__name", "first")
    ):
        carriers[name][1] = first
    return carriers


def _uncarried_signals(
    as_of: dt.date, t: Thresholds, carriers: dict[str, list[int | None]]
) -> tuple[tuple[SignalFact, ...], set[str]]:
    """The customer signals inside the cluster window that carry a tag no decision or question
    carries (only such a tag can make a cluster), and the carried tags among theirs: for each of
    those one carrier goes in the snapshot, so that the rule sees the tag carried, as it is."""
    start = as_of - dt.timedelta(days=t.signal_window_days - 1)
    in_window = ContextEntry.objects.filter(
        kind=ContextEntry.Kind.CUSTOMER_SIGNAL, dated_on__gte=start, dated_on__lte=as_of
    )
    links = ContextEntry.tags.through.objects.filter(contextentry__in=in_window.values("pk"))
    entries = in_window.filter(pk__in=links.exclude(tag__name__in=sorted(carriers)).values("contextentry_id"))
    tags = _tagged(
        ContextEntry.tags.through.objects.filter(contextentry__in=entries.values("pk")).values_list(
            "contextentry_id", "tag__name"
        )
    )
    signals = tuple(
        SignalFact(key=key, tags=tuple(sorted(tags[pk])), dated_on=dated_on, surface=surface)
        for pk, key, dated_on, surface in entries.values_list("pk", "key", "dated_on", "surface__key")
    )
    return signals, {tag for signal in signals for tag in signal.tags if tag in carriers}


def _active_workstreams() -> tuple[WorkstreamFact, ...]:
    """Every rule about workstreams reads active ones only (blocked and at risk are active)."""
    return _workstream_facts(
        Workstream.objects.exclude(state__in=["done", "paused"]).filter(archived_on__isnull=True)
    )


def _workstream_facts(workstreams: Any) -> tuple[WorkstreamFact, ...]:
    """The facts of these workstreams (a queryset), their last update included (read per row, by
    the updates' index: grouping the workstreams' wide rows to take a maximum cost twice as much)."""
    newest = StatusUpdate.objects.filter(workstream=OuterRef("pk")).order_by("-posted_on").values("posted_on")
    rows = workstreams.annotate(last_update_on=Subquery(newest[:1])).values_list(
        "key", "name", "surface__key", "owner__key", "state", "created_on", "last_update_on",
        "next_decision_on", "next_decision__key", "blocker", "blocked_since",
        "blocked_by_decision__key", "escalation", "escalated_on",
    )  # fmt: skip
    return tuple(
        WorkstreamFact(
            key=key, title=title, surface=surface, owner=owner, state=state, created_on=created_on,
            last_update_on=last_update_on, next_decision_on=next_decision_on,
            next_decision=next_decision, blocker=blocker, blocked_since=blocked_since,
            blocked_by_decision=blocked_by, escalation=escalation, escalated_on=escalated_on,
        )
        for (
            key, title, surface, owner, state, created_on, last_update_on, next_decision_on,
            next_decision, blocker, blocked_since, blocked_by, escalation, escalated_on,
        ) in rows
    )  # fmt: skip


def _relevant_decisions(as_of: dt.date, linked: set[str], carriers: set[int]) -> tuple[DecisionFact, ...]:
    """Open decisions (the queue, the waiting rule), decided ones with a reopen condition due or
    triggered (the review bucket), those a workstream's decision point links to, and the carriers
    of the tags of the signals kept. A decided decision otherwise makes no item."""
    review = ReopenCondition.objects.filter(
        Q(review_on__lte=as_of) & (Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=F("review_on")))
        | Q(triggered_on__lte=as_of) & (Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=F("triggered_on")))
    ).values("decision_id")
    wanted = Decision.objects.filter(
        Q(status="open")
        | Q(status="decided", pk__in=review)
        | Q(key__in=sorted(linked))
        | Q(pk__in=sorted(carriers))
    )
    return _decision_facts(wanted)


def _decision_facts(decisions: Any) -> tuple[DecisionFact, ...]:
    """The facts of these decisions (a queryset), their tags and reopen conditions included."""
    ids = decisions.values("pk")
    tags = _tagged(
        Decision.tags.through.objects.filter(decision__in=ids).values_list("decision_id", "tag__name")
    )
    conditions: dict[int, list[ReopenConditionFact]] = defaultdict(list)
    for decision_id, text, review_on, triggered_on, reviewed_on in ReopenCondition.objects.filter(
        decision__in=ids
    ).values_list("decision_id", "text", "review_on", "triggered_on", "reviewed_on"):
        conditions[decision_id].append(
            ReopenConditionFact(
                text=text, review_on=review_on, triggered_on=triggered_on, reviewed_on=reviewed_on
            )
        )
    rows = decisions.annotate(options_count=Count("options")).values_list(
        "pk",
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
            key=key, title=title, status=status, surface=surface, tags=tuple(sorted(tags[pk])),
            needed_by=needed_by, opened_on=opened_on, decided_on=decided_on,
            options_count=options_count, reopen_conditions=tuple(conditions[pk]),
        )
        for pk, key, title, status, surface, needed_by, opened_on, decided_on, options_count in rows
    )  # fmt: skip


def _late_commitment_rows(as_of: dt.date) -> list[tuple[Any, ...]]:
    """Only a commitment not done and due before `as_of` makes an item. Its links stay ids here:
    the surface it is filed under comes from them (see `_commitment_facts`)."""
    return list(
        Commitment.objects.filter(done_on__isnull=True, due_on__lt=as_of).values_list(
            "key", "description", "owner__key", "due_on", "workstream_id", "decision_id", "engagement_id"
        )
    )


def _workstream_links() -> dict[int, tuple[str, str | None]]:
    """Every workstream's key and surface, by id."""
    return {
        pk: (key, surface) for pk, key, surface in Workstream.objects.values_list("pk", "key", "surface__key")
    }


def _surfaces_of(model: type[Model], ids: set[int]) -> tuple[tuple[int, str | None], ...]:
    """The surface of each of these records (decisions or engagements), by id, in id order."""
    return tuple(sorted(model.objects.filter(pk__in=sorted(ids)).values_list("pk", "surface__key")))


def _commitment_facts(
    rows: list[tuple[Any, ...]],
    workstreams: dict[int, tuple[str, str | None]],
    decisions: tuple[tuple[int, str | None], ...],
    engagements: tuple[tuple[int, str | None], ...],
) -> tuple[CommitmentFact, ...]:
    """A commitment's surface is its workstream's, else its decision's, else its engagement's."""
    decision_surface, engagement_surface = dict(decisions), dict(engagements)
    facts = []
    for key, description, owner, due_on, workstream_id, decision_id, engagement_id in rows:
        workstream, ws_surface = workstreams.get(workstream_id, (None, None))
        facts.append(
            CommitmentFact(
                key=key, description=description, owner=owner, due_on=due_on, workstream=workstream,
                surface=ws_surface or decision_surface.get(decision_id) or engagement_surface.get(engagement_id),
            )
        )  # fmt: skip
    return tuple(facts)


def _open_questions(ids: set[int]) -> tuple[OpenQuestionFact, ...]:
    """The open questions chosen as carriers: questions matter to the rules only by their tags."""
    if not ids:
        return ()
    chosen = ContextEntry.objects.filter(pk__in=sorted(ids))
    tags = _tagged(
        ContextEntry.tags.through.objects.filter(contextentry__in=chosen.values("pk")).values_list(
            "contextentry_id", "tag__name"
        )
    )
    return tuple(
        OpenQuestionFact(key=key, tags=tuple(sorted(tags[pk]))) for pk, key in chosen.values_list("pk", "key")
    )


def _active_rituals(as_of: dt.date, t: Thresholds) -> tuple[RitualFact, ...]:
    """Active rituals, each with the held occurrences that can be among its last THEATER_WINDOW on
    or before `as_of`: from the day of the window's first one on (the engine orders the occurrences
    of one day by what they produced, so that whole day is kept)."""
    limit = t.theater_window + 2
    held = Occurrence.objects.filter(
        status=Occurrence.Status.HELD,
        ritual__is_active=True,
        starts_at__lt=_midnight(as_of + dt.timedelta(days=1)),
    )
    newest = held.annotate(
        n=Window(RowNumber(), partition_by=[F("ritual_id")], order_by=[F("starts_at").desc(), F("pk").desc()])
    ).filter(n__lte=limit)
    by_ritual: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for pk, ritual_id, starts_at in newest.values_list("pk", "ritual_id", "starts_at"):
        by_ritual[ritual_id].append((_local_date(starts_at), pk))
    kept: dict[int, list[tuple[dt.date, int]]] = {}
    for ritual_id, dated in by_ritual.items():
        dated.sort(reverse=True)
        if (len(dated) == limit and dated[-1][0] >= dated[t.theater_window - 1][0]) or dated[0][0] > as_of:
            # More held the window's first day than were read, or a zone's edge: read them all.
            dated = sorted(
                (
                    (_local_date(starts_at), pk)
                    for pk, starts_at in held.filter(ritual_id=ritual_id).values_list("pk", "starts_at")
                ),
                reverse=True,
            )
            dated = [(day, pk) for day, pk in dated if day <= as_of]
        if dated:
            cutoff = dated[min(t.theater_window, len(dated)) - 1][0]
            kept[ritual_id] = [(day, pk) for day, pk in dated if day >= cutoff]
    ids = [pk for dated in kept.values() for _, pk in dated]
    informed = _count_by_occurrence(Occurrence.decisions_informed.through, "decision_id", ids)
    surfaced = _count_by_occurrence(Occurrence.blockers_surfaced.through, "workstream_id", ids)
    rituals = Ritual.objects.filter(is_active=True).values_list(
        "id", "key", "name", "surface__key", "informs_decision", "surfaces_blocker"
    )
    return tuple(
        RitualFact(
            key=key, title=name, active=True, surface=surface, informs_decision=informs,
            surfaces_blocker=surfaces,
            held=tuple(
                OccurrenceFact(
                    held_on=day, decisions_informed=informed.get(pk, 0), blockers_surfaced=surfaced.get(pk, 0)
                )
                for day, pk in kept.get(ritual_pk, [])
            ),
        )
        for ritual_pk, key, name, surface, informs, surfaces in rituals
    )  # fmt: skip


def _count_by_occurrence(through: Any, target: str, ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 500):  # SQLite's bound on a query's parameters
        rows = (
            through.objects.filter(occurrence_id__in=ids[start : start + 500])
            .values("occurrence_id")
            .annotate(n=Count(target, distinct=True))
            .values_list("occurrence_id", "n")
        )
        counts.update(rows)
    return counts


def _engagements_near(as_of: dt.date) -> tuple[EngagementFact, ...]:
    """Engagements starting on `as_of` or the day after (the brief rule's window), with their briefs."""
    days = (as_of, as_of + dt.timedelta(days=1))
    near = Engagement.objects.filter(
        cancelled_on__isnull=True,
        starts_at__gte=_midnight(as_of - dt.timedelta(days=1)),
        starts_at__lt=_midnight(as_of + dt.timedelta(days=3)),
    )
    rows = [
        row
        for row in near.values_list(
            "id",
            "key",
            "title",
            "starts_at",
            "surface__key",
            "brief__id",
            "brief__objective",
            "brief__one_thing",
        )
        if _local_date(row[3]) in days
    ]
    latest: dict[tuple[int, int], tuple[str, str]] = {}
    positions = StakeholderPosition.objects.filter(engagement_id__in=[row[0] for row in rows]).order_by(
        "-recorded_on", "-id"
    )
    for engagement_id, person_id, name, stance in positions.values_list(
        "engagement_id", "person_id", "person__name", "stance"
    ):
        latest.setdefault((engagement_id, person_id), (name, stance))
    unknown: dict[int, list[str]] = defaultdict(list)
    for (engagement_id, _), (name, stance) in latest.items():
        if stance == Stance.UNKNOWN:
            unknown[engagement_id].append(name)
    return tuple(
        EngagementFact(
            key=key, title=title, starts_on=_local_date(starts_at), surface=surface,
            brief=None
            if brief_id is None
            else BriefFact(
                has_objective=bool(objective.strip()), has_one_thing=bool(one_thing.strip()),
                unknown_stance=tuple(sorted(unknown[pk])),
            ),
        )
        for pk, key, title, starts_at, surface, brief_id, objective, one_thing in rows
    )  # fmt: skip
