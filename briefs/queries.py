"""Reads of the briefs: readiness, stakeholders' positions over time, and the history the system
assembles for a brief from the rest of the org.

Every function here runs a fixed number of queries, whatever the size of the org: lists are sliced
in the database and counted there, and the list page's readiness is computed for all its
engagements at once from a few DISTINCT queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, DecisionStakeholder, Stance
from leadership_os.access import Role
from leadership_os.memo import table_labels
from leadership_os.models import Person, Surface, Tag
from leadership_os.thresholds import rule_thresholds
from workstreams.models import Commitment, Escalation, State, StatusUpdate, Workstream

SIGNAL_WINDOW_DAYS = 30
DECISIONS_SHOWN = 8
WORKSTREAMS_SHOWN = 6
SIGNALS_SHOWN = 5


# Links to the records of other artifacts: by URL name when that page exists, else the stable path.
def record_url(name: str, arg: Any, fallback: str) -> str:
    try:
        return reverse(name, args=[arg])
    except NoReverseMatch:
        return fallback


def decision_url(key: str) -> str:
    return record_url("decisions:decision_detail", key, f"/decisions/{key}/")


def workstream_url(key: str) -> str:
    return record_url("workstreams:workstream_detail", key, f"/workstreams/{key}/")


def context_url(key: str) -> str:
    return record_url("context_repo:entry_detail", key, f"/context/{key}/")


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


# Readiness ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    ready: bool
    missing: list[str]


def readiness_of(*, brief: Brief | None, unknown_stance: Sequence[str], has_history: bool) -> Readiness:
    """What a brief still lacks, in the order the VP would read it."""
    missing: list[str] = []
    if brief is None:
        missing.append("No brief yet")
    else:
        if not brief.objective.strip():
            missing.append("No objective: the decision or signal sought")
        if not brief.one_thing.strip():
            missing.append("No “one thing” that cannot be left unsaid")
    missing.extend(f"{name}'s stance is unknown" for name in unknown_stance)
    if not has_history:
        missing.append(
            "No history: nothing related in the decision log, workstreams, signals or past engagements"
        )
    return Readiness(ready=not missing, missing=missing)


CANCELLED = Readiness(ready=True, missing=[])


def brief_of(engagement: Engagement) -> Brief | None:
    try:
        return engagement.brief
    except Brief.DoesNotExist:
        return None


def brief_readiness(engagement: Engagement) -> Readiness:
    """Whether the brief of `engagement` is ready, and exactly what is missing if not."""
    loaded = list(for_readiness(Engagement.objects.filter(pk=engagement.pk)))
    return readiness_for(loaded)[engagement.pk]


def for_readiness(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """`queryset` with what `readiness_for` reads: the brief, the tags and the attendees."""
    return queryset.select_related("brief").prefetch_related("tags", attendees_prefetch())


def readiness_for(engagements: Sequence[Engagement]) -> dict[int, Readiness]:
    """Readiness of many engagements at once, in a fixed number of queries (the list page's and the
    dashboard's). The engagements come from a `for_readiness` queryset."""
    if not engagements:
        return {}
    return readiness_from(engagements, unknown_stances(engagements), history_presence(engagements))


def readiness_from(
    engagements: Sequence[Engagement], unknown: dict[int, list[str]], history: dict[int, bool]
) -> dict[int, Readiness]:
    """Readiness from its two reads, `unknown_stances` and `history_presence`, which a page may
    reuse apart (see STANCE_TABLES and HISTORY_TABLES)."""
    # A cancelled engagement needs no brief: it is out of the readiness counts.
    return {
        e.pk: CANCELLED
        if e.cancelled_on
        else readiness_of(brief=brief_of(e), unknown_stance=unknown.get(e.pk, []), has_history=history[e.pk])
        for e in engagements
    }


STANCE_TABLES = table_labels(
    Engagement, Brief, Engagement.attendees.through, Engagement.tags.through, StakeholderPosition, Person,
    Surface, Tag,
)  # fmt: skip
"""What the engagements shown with their readiness and `unknown_stances` read (the principals, who
are users' groups, are not counted: a page keys on who they are)."""

HISTORY_TABLES = table_labels(
    Engagement, Engagement.attendees.through, Engagement.tags.through, Decision, Decision.tags.through,
    DecisionStakeholder, Workstream, StatusUpdate, ContextEntry, Person, Tag,
)  # fmt: skip
"""What `history_presence` reads: a status update can make a workstream related, a brief never."""


def with_readiness(engagements: list[Engagement]) -> list[Engagement]:
    """The engagements (from a `for_readiness` queryset), each with `.readiness` set."""
    readiness = readiness_for(engagements)
    for engagement in engagements:
        engagement.readiness = readiness[engagement.pk]  # type: ignore[attr-defined]
    return engagements


# Stakeholders' positions over time ------------------------------------------------------------------


def principals() -> QuerySet[Person]:
    """The people the briefs are written for: their own stance is not a stakeholder's."""
    return Person.objects.filter(user__groups__name=Role.PRINCIPAL.value)


def attendees_prefetch() -> Prefetch:
    """The attendees, each marked `is_principal`."""
    return Prefetch(
        "attendees",
        queryset=Person.objects.annotate(
            is_principal=Exists(principals().filter(pk=OuterRef("pk")))
        ).order_by("name"),
    )


def _counts_for(position: StakeholderPosition, engagement: Engagement) -> bool:
    """A position stands as of `engagement` if it was taken for it, or recorded by its day and not
    for a later engagement."""
    if position.engagement_id == engagement.pk:
        return True
    if position.recorded_on > local_day(engagement.starts_at):
        return False
    return position.engagement is None or position.engagement.starts_at < engagement.starts_at


def _newest_first(positions: Iterable[StakeholderPosition]) -> list[StakeholderPosition]:
    return sorted(positions, key=lambda p: (p.recorded_on, p.pk), reverse=True)


@dataclass
class StakeholderRow:
    """One stakeholder of an engagement: their position now, and at the last earlier engagement."""

    person: Person
    current: StakeholderPosition | None
    baseline: StakeholderPosition | None
    for_this_engagement: StakeholderPosition | None

    @property
    def status(self) -> str:
        """`none` (no position), `first` (no earlier engagement on record), `unchanged`, `changed`,
        or `unconfirmed` (known before, unknown now)."""
        if self.current is None:
            return "none"
        if self.baseline is None:
            return "first"
        if self.current.pk == self.baseline.pk or self.current.stance == self.baseline.stance:
            return "unchanged"
        if self.current.stance == Stance.UNKNOWN:
            return "unconfirmed"
        return "changed"

    @property
    def changed(self) -> bool:
        return self.status == "changed"

    @property
    def unknown(self) -> bool:
        return (
            self.for_this_engagement is not None
            and self.current is not None
            and (self.current.stance == Stance.UNKNOWN)
        )


def _stakeholder_row(
    person: Person, engagement: Engagement, positions: list[StakeholderPosition]
) -> StakeholderRow:
    standing = [p for p in _newest_first(positions) if _counts_for(p, engagement)]
    current = standing[0] if standing else None
    baseline = next(
        (
            p
            for p in standing
            if p.engagement is not None
            and p.engagement_id != engagement.pk
            and p.engagement.starts_at < engagement.starts_at
        ),
        None,
    )
    own = next((p for p in standing if p.engagement_id == engagement.pk), None)
    return StakeholderRow(person=person, current=current, baseline=baseline, for_this_engagement=own)


def _positions_of(person_ids: Iterable[int]) -> dict[int, list[StakeholderPosition]]:
    by_person: dict[int, list[StakeholderPosition]] = defaultdict(list)
    for position in StakeholderPosition.objects.filter(person_id__in=list(person_ids)).select_related(
        "engagement"
    ):
        by_person[position.person_id].append(position)
    return by_person


def stakeholder_rows(engagement: Engagement, attendees: Sequence[Person]) -> list[StakeholderRow]:
    """The engagement's stakeholders (its attendees but the principal, and anyone whose position
    was taken for it), each with their latest position as of the engagement and whether it changed
    since the last earlier engagement they were heard at. Two queries."""
    people = {p.pk: p for p in attendees if not getattr(p, "is_principal", False)}
    for person in (
        Person.objects.filter(positions__engagement=engagement).exclude(pk__in=list(people)).distinct()
    ):
        people[person.pk] = person
    positions = _positions_of(people)
    rows = [_stakeholder_row(person, engagement, positions.get(pk, [])) for pk, person in people.items()]
    return sorted(rows, key=lambda r: (r.person.is_external is False, r.person.name))


def unknown_stances(engagements: Sequence[Engagement]) -> dict[int, list[str]]:
    """For each engagement, the people whose latest position as of it, taken for it, is unknown."""
    taken = StakeholderPosition.objects.filter(engagement_id__in=[e.pk for e in engagements])
    # A position recorded before the person's earliest one taken for these engagements is older than
    # that one, so it can never be their current position here: only the newer ones are read, which
    # keeps the read to the engagements' own weeks however long a person's record is.
    first_taken = (
        taken.filter(person_id=OuterRef("person_id"))
        .order_by()
        .values("person_id")
        .annotate(first=Min("recorded_on"))
        .values("first")
    )
    positions = StakeholderPosition.objects.filter(
        person_id__in=Subquery(taken.values("person_id")), recorded_on__gte=Subquery(first_taken)
    ).select_related("engagement", "person")
    by_person: dict[int, list[StakeholderPosition]] = defaultdict(list)
    engaged: dict[int, set[int]] = defaultdict(set)
    people: dict[int, Person] = {}
    for position in positions:
        by_person[position.person_id].append(position)
        people[position.person_id] = position.person
        if position.engagement_id is not None:
            engaged[position.engagement_id].add(position.person_id)
    result: dict[int, list[str]] = {}
    for engagement in engagements:
        names = []
        for person_id in engaged.get(engagement.pk, set()):
            row = _stakeholder_row(people[person_id], engagement, by_person[person_id])
            if row.unknown:
                names.append(people[person_id].name)
        result[engagement.pk] = sorted(names)
    return result


# The assembled history --------------------------------------------------------------------------------


def _people_subquery(engagement: Engagement) -> QuerySet[Any]:
    """The attendees who count for relatedness: everyone in the room but the principal, who is in
    every room."""
    through = Engagement.attendees.through
    return (
        through.objects.filter(engagement_id=engagement.pk)
        .exclude(person_id__in=principals().values("pk"))
        .values("person_id")
    )


def _tags_subquery(engagement: Engagement) -> QuerySet[Any]:
    return Engagement.tags.through.objects.filter(engagement_id=engagement.pk).values("tag_id")


def decisions_newest_first(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    return queryset.order_by(Coalesce("decided_on", "opened_on").desc(nulls_last=True), "-number")


def related_decisions(engagement: Engagement) -> QuerySet[Decision]:
    """Decisions of the engagement's surface, of its tags, or with its people as stakeholders;
    each annotated with why it is related."""
    by_tag = Decision.tags.through.objects.filter(tag_id__in=_tags_subquery(engagement))
    by_people = DecisionStakeholder.objects.filter(person_id__in=_people_subquery(engagement))
    condition = Q(pk__in=by_tag.values("decision_id")) | Q(pk__in=by_people.values("decision_id"))
    if engagement.surface_id:
        condition |= Q(surface_id=engagement.surface_id)
    return decisions_newest_first(
        Decision.objects.filter(condition)
        .annotate(
            via_tag=Exists(by_tag.filter(decision_id=OuterRef("pk"))),
            via_people=Exists(by_people.filter(decision_id=OuterRef("pk"))),
        )
        .select_related("surface")
    )


def radar_worthy_workstreams(today: dt.date) -> QuerySet[Workstream]:
    """Active workstreams with an open blocker or a fact the radar would raise: blocked, escalated,
    stale, or past a decision point that is not decided. Annotated with `last_update`."""
    stale_days = rule_thresholds()["STALE_DAYS"]
    newest_update = StatusUpdate.objects.filter(workstream=OuterRef("pk")).order_by("-posted_on")
    return (
        Workstream.objects.exclude(state__in=[State.DONE, State.PAUSED])
        .annotate(last_update=Coalesce(Subquery(newest_update.values("posted_on")[:1]), "created_on"))
        .filter(
            Q(state=State.BLOCKED)
            | Q(escalation=Escalation.ESCALATED)
            | Q(last_update__lte=today - dt.timedelta(days=stale_days))
            | (
                Q(next_decision_on__lt=today)
                & (Q(next_decision__isnull=True) | ~Q(next_decision__status=Decision.Status.DECIDED))
            )
        )
    )


def related_workstreams(engagement: Engagement, today: dt.date) -> QuerySet[Workstream]:
    condition = Q(owner_id__in=_people_subquery(engagement))
    if engagement.surface_id:
        condition |= Q(surface_id=engagement.surface_id)
    severity = Case(
        When(escalation=Escalation.ESCALATED, then=Value(0)),
        When(state=State.BLOCKED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        radar_worthy_workstreams(today)
        .filter(condition)
        .select_related("owner", "next_decision", "surface")
        .order_by(severity, "number")
    )


def recent_signals(today: dt.date) -> QuerySet[ContextEntry]:
    return ContextEntry.objects.filter(
        kind=ContextEntry.Kind.CUSTOMER_SIGNAL, dated_on__gte=today - dt.timedelta(days=SIGNAL_WINDOW_DAYS)
    )


def related_signals(engagement: Engagement, today: dt.date) -> QuerySet[ContextEntry]:
    """Customer signals of the last 30 days from the counterpart (its name in the source) or of the
    engagement's surface, newest first."""
    condition = Q(pk__in=[])
    if engagement.counterpart.strip():
        condition |= Q(source__icontains=engagement.counterpart.strip())
    if engagement.surface_id:
        condition |= Q(surface_id=engagement.surface_id)
    return recent_signals(today).filter(condition).select_related("surface").order_by("-dated_on", "-number")


def previous_engagement(engagement: Engagement) -> Engagement | None:
    """The last engagement with the same counterpart before this one."""
    if not engagement.counterpart.strip():
        return None
    return (
        Engagement.objects.filter(
            counterpart__iexact=engagement.counterpart.strip(), starts_at__lt=engagement.starts_at
        )
        .order_by("-starts_at")
        .first()
    )


@dataclass
class Fact:
    kind: str  # a badge kind: blocked, escalated, stale, overdue
    label: str
    text: str


@dataclass
class WorkstreamItem:
    workstream: Workstream
    facts: list[Fact]
    url: str


def workstream_facts(ws: Workstream, today: dt.date) -> list[Fact]:
    """The radar-worthy facts of a workstream annotated by `radar_worthy_workstreams`."""
    facts: list[Fact] = []
    stale_days = rule_thresholds()["STALE_DAYS"]
    if ws.state == State.BLOCKED:
        since = ws.blocked_since
        days = f" for {(today - since).days} day{pluralize((today - since).days)}" if since else ""
        facts.append(Fact("blocked", "Blocked", f"Blocked{days}: {ws.blocker or 'no blocker written down'}"))
    if ws.escalation == Escalation.ESCALATED:
        when = f" on {ws.escalated_on:%-d %b}" if ws.escalated_on else ""
        facts.append(Fact("escalated", "Escalated", f"Escalated{when}"))
    last_update = ws.last_update  # type: ignore[attr-defined]
    if last_update is not None and (today - last_update).days >= stale_days:
        age = (today - last_update).days
        facts.append(Fact("stale", "Stale", f"No update for {age} day{pluralize(age)}"))
    if (
        ws.next_decision_on
        and ws.next_decision_on < today
        and (ws.next_decision is None or ws.next_decision.status != Decision.Status.DECIDED)
    ):
        what = f"{ws.next_decision.key} is not decided" if ws.next_decision else "no decision linked"
        facts.append(
            Fact(
                "overdue",
                "Decision point overdue",
                f"Decision point was {ws.next_decision_on:%-d %b}; {what}",
            )
        )
    return facts


@dataclass
class CommitmentItem:
    commitment: Commitment
    status: str  # done, slipped, open
    url: str


def commitment_status(commitment: Commitment, today: dt.date) -> str:
    if commitment.done_on:
        return "done"
    if commitment.due_on < today:
        return "slipped"
    return "open"


@dataclass
class BriefHistory:
    """What the system knows that bears on an engagement; every item links to its record."""

    decisions: list[Decision] = field(default_factory=list)
    decisions_total: int = 0
    workstreams: list[WorkstreamItem] = field(default_factory=list)
    workstreams_total: int = 0
    signals: list[ContextEntry] = field(default_factory=list)
    signals_total: int = 0
    last_engagement: Engagement | None = None
    last_commitments: list[CommitmentItem] = field(default_factory=list)

    @property
    def decisions_count(self) -> str:
        return _count_label(self.decisions_total)

    @property
    def workstreams_count(self) -> str:
        return _count_label(self.workstreams_total)

    @property
    def signals_count(self) -> str:
        return _count_label(self.signals_total)

    @property
    def empty(self) -> bool:
        return not (
            self.decisions_total or self.workstreams_total or self.signals_total or self.last_engagement
        )


# A brief counts related records up to this many and then says "more than": an exact count of a
# large org's thousands of signals would cost a scan of them all and tell the reader nothing more.
COUNT_CAP = 100


def _count_upto(queryset: QuerySet[Any]) -> int:
    """How many rows `queryset` has, counting no further than COUNT_CAP + 1."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def _count_label(total: int) -> str:
    return f"more than {COUNT_CAP}" if total > COUNT_CAP else str(total)


def assemble_history(engagement: Engagement, *, today: dt.date | None = None) -> BriefHistory:
    """The history section of a brief, in a fixed number of queries (eight, or seven without an
    earlier engagement with the counterpart) whatever the size of the org."""
    today = today or timezone.localdate()
    history = BriefHistory()

    decisions = related_decisions(engagement)
    history.decisions = list(decisions[:DECISIONS_SHOWN])
    history.decisions_total = _count_upto(decisions)
    for decision in history.decisions:
        decision.url = decision_url(decision.key)  # type: ignore[attr-defined]
        decision.is_open = decision.status == Decision.Status.OPEN  # type: ignore[attr-defined]
        decision.via_surface = bool(engagement.surface_id) and decision.surface_id == engagement.surface_id  # type: ignore[attr-defined]

    workstreams = related_workstreams(engagement, today)
    history.workstreams = [
        WorkstreamItem(workstream=ws, facts=workstream_facts(ws, today), url=workstream_url(ws.key))
        for ws in workstreams[:WORKSTREAMS_SHOWN]
    ]
    history.workstreams_total = _count_upto(workstreams)

    signals = related_signals(engagement, today)
    history.signals = list(signals[:SIGNALS_SHOWN])
    history.signals_total = _count_upto(signals)
    for signal in history.signals:
        signal.url = context_url(signal.key)  # type: ignore[attr-defined]

    history.last_engagement = previous_engagement(engagement)
    if history.last_engagement is not None:
        history.last_commitments = [
            CommitmentItem(commitment=c, status=commitment_status(c, today), url=commitment_url(c))
            for c in Commitment.objects.filter(engagement=history.last_engagement).select_related(
                "owner", "promised_to", "workstream"
            )
        ]
    return history


def commitment_url(commitment: Commitment) -> str:
    """A commitment has no page of its own: it links to its workstream, or to where it was promised."""
    if commitment.workstream_id is not None:
        return workstream_url(commitment.workstream.key)
    if commitment.engagement_id is not None:
        return reverse("briefs:brief_detail", args=[commitment.engagement_id]) + "#outcome"
    return "/workstreams/"


def history_presence(engagements: Sequence[Engagement]) -> dict[int, bool]:
    """Whether `assemble_history` would find anything for each engagement: one query over just these
    engagements, each a CASE of EXISTS tests that stops at the first that holds (cheapest first), so
    its cost follows the engagements shown, not the size of the org."""
    today = timezone.localdate()
    attendee = Q(person__engagements=OuterRef("pk")) & ~Q(person__in=principals())
    by_surface = Q(surface_id=OuterRef("surface_id"))
    owned = Q(owner__engagements=OuterRef("pk")) & ~Q(owner__in=principals())
    earlier_meeting = Engagement.objects.filter(
        counterpart__iexact=OuterRef("counterpart"), starts_at__lt=OuterRef("starts_at")
    )
    tests = [
        Exists(Decision.objects.filter(by_surface)),
        Exists(Decision.tags.through.objects.filter(tag__engagements=OuterRef("pk"))),
        Exists(DecisionStakeholder.objects.filter(attendee)),
        Exists(radar_worthy_workstreams(today).filter(by_surface | owned)),
        Exists(recent_signals(today).filter(by_surface)),
    ]
    by_counterpart = [
        Exists(earlier_meeting),
        Exists(recent_signals(today).filter(source__icontains=OuterRef("counterpart"))),
    ]
    related = Case(
        *[When(test, then=Value(True)) for test in tests],
        When(counterpart="", then=Value(False)),
        *[When(test, then=Value(True)) for test in by_counterpart],
        default=Value(False),
        output_field=BooleanField(),
    )
    found = dict(
        Engagement.objects.filter(pk__in=[e.pk for e in engagements])
        .annotate(related=related)
        .values_list("pk", "related")
    )
    return {e.pk: bool(found.get(e.pk)) for e in engagements}
