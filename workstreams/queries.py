"""Reads for the status map, the workstream page and the follow-through ledger.

Each screen reads with a fixed number of queries whatever the size of the org: the newest status
update and the next decision's option count are correlated subqueries, not one query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from decisions.models import Decision, Option
from leadership_os.models import Person, Surface
from leadership_os.thresholds import rule_thresholds
from workstreams.models import Commitment, Escalation, State, StatusUpdate, Workstream

# Problems first: the order in which a VP scans a surface.
STATE_ORDER = [State.BLOCKED, State.AT_RISK, State.ON_TRACK, State.PAUSED, State.DONE]
ACTIVE_STATES = [State.ON_TRACK, State.AT_RISK, State.BLOCKED]
ATTENTION_CHOICES = [
    ("stale", "Stale update"),
    ("decision-due", "Decision point due or overdue"),
    ("waiting", "Waiting on a decision"),
    ("not-escalated", "Blocked, not escalated"),
]


def thresholds() -> dict[str, int]:
    return rule_thresholds()


def map_queryset() -> QuerySet[Workstream]:
    """Every workstream with what the map shows: its surface, owner and decisions joined, its newest
    status update (date, state, note, author) and the next decision's number of options."""
    newest = StatusUpdate.objects.filter(workstream=OuterRef("pk")).order_by("-posted_on", "-id")
    options = (
        Option.objects.filter(decision=OuterRef("next_decision"))
        .order_by()
        .values("decision")
        .annotate(n=Count("id"))
        .values("n")
    )
    state_rank = Case(
        *[When(state=state, then=Value(rank)) for rank, state in enumerate(STATE_ORDER)],
        default=Value(len(STATE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Workstream.objects.select_related("surface", "owner", "next_decision", "blocked_by_decision")
        .annotate(
            last_posted_on=Subquery(newest.values("posted_on")[:1]),
            last_note=Subquery(newest.values("note")[:1]),
            last_state=Subquery(newest.values("state")[:1]),
            last_author=Subquery(newest.values("author__name")[:1]),
            next_decision_options=Coalesce(Subquery(options), Value(0)),
            state_rank=state_rank,
        )
        .annotate(last_update_on=Coalesce("last_posted_on", "created_on"))
    )


@dataclass(frozen=True)
class MapFilters:
    surface: str = ""
    owner: str = ""  # a person's key, or "none"
    state: str = ""
    escalation: str = ""
    attention: str = ""

    @property
    def active(self) -> bool:
        return any((self.surface, self.owner, self.state, self.escalation, self.attention))

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


def filter_map(
    queryset: QuerySet[Workstream], filters: MapFilters, *, today: dt.date, limits: dict[str, int]
) -> QuerySet[Workstream]:
    # Archived workstreams are off the map, unless asked for by themselves.
    if filters.state == "archived":
        queryset = queryset.filter(archived_on__isnull=False)
    else:
        queryset = queryset.filter(archived_on__isnull=True)
    if filters.surface == "none":
        queryset = queryset.filter(surface__isnull=True)
    elif filters.surface:
        queryset = queryset.filter(surface__key=filters.surface)
    if filters.owner == "none":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner:
        queryset = queryset.filter(owner__key=filters.owner)
    if filters.state == "active":
        queryset = queryset.filter(state__in=ACTIVE_STATES)
    elif filters.state and filters.state != "archived":
        queryset = queryset.filter(state=filters.state)
    if filters.escalation:
        queryset = queryset.filter(escalation=filters.escalation)
    if filters.attention == "stale":
        cutoff = today - dt.timedelta(days=limits["STALE_DAYS"])
        queryset = queryset.filter(state__in=ACTIVE_STATES, last_update_on__lte=cutoff)
    elif filters.attention == "decision-due":
        horizon = today + dt.timedelta(days=limits["PREP_WINDOW_DAYS"])
        queryset = queryset.filter(state__in=ACTIVE_STATES, next_decision_on__lte=horizon).exclude(
            next_decision_on__lt=today, next_decision__status=Decision.Status.DECIDED
        )
    elif filters.attention == "waiting":
        queryset = queryset.filter(state__in=ACTIVE_STATES, blocked_by_decision__isnull=False)
    elif filters.attention == "not-escalated":
        queryset = queryset.filter(_blocked_not_escalated(today, limits))
    return queryset


def _blocked_not_escalated(today: dt.date, limits: dict[str, int]) -> Q:
    """Blocked long enough that the radar asks for an escalation, and not escalated (RULES.md)."""
    cutoff = today - dt.timedelta(days=limits["BLOCKED_ESCALATE_DAYS"])
    long_enough = Q(blocked_since__lte=cutoff) | Q(blocked_since__isnull=True, last_update_on__lte=cutoff)
    return Q(state=State.BLOCKED, escalation__in=[Escalation.NONE, Escalation.WATCHING]) & long_enough


@dataclass
class Facts:
    """What the map says about one workstream, in days, with the radar's thresholds applied."""

    active: bool
    update_age: int
    stale: str  # "", "medium" or "high"
    blocked_days: int | None
    not_escalated: bool  # blocked long enough that the radar asks for an escalation
    escalated_days: int | None
    escalation_stalled: bool
    decision_in: int | None  # days until the next decision point (negative: overdue)
    decision_flag: str  # "", "overdue" or "unprepared"

    @property
    def not_escalated_label(self) -> str:
        return f"Blocked {_days(self.blocked_days)}, not escalated"

    @property
    def stalled_label(self) -> str:
        return f"Stalled {_days(self.escalated_days)}"


def _days(n: int | None) -> str:
    n = n or 0
    return f"{n} day{'s' if n != 1 else ''}"


def facts_for(ws: Workstream, *, today: dt.date, limits: dict[str, int]) -> Facts:
    """The same facts the radar's workstream rules use (RULES.md), for display."""
    active = ws.state in ACTIVE_STATES
    last_update_on = getattr(ws, "last_update_on", None) or ws.created_on
    update_age = (today - last_update_on).days
    stale = ""
    if active and update_age >= limits["STALE_HIGH_DAYS"]:
        stale = "high"
    elif active and update_age >= limits["STALE_DAYS"]:
        stale = "medium"
    blocked_days = None
    not_escalated = False
    if ws.state == State.BLOCKED:
        blocked_days = (today - (ws.blocked_since or last_update_on)).days
        not_escalated = blocked_days >= limits["BLOCKED_ESCALATE_DAYS"] and ws.escalation in (
            Escalation.NONE,
            Escalation.WATCHING,
        )
    escalated_days = None
    stalled = False
    if ws.escalation == Escalation.ESCALATED and ws.escalated_on:
        escalated_days = (today - ws.escalated_on).days
        stalled = escalated_days >= limits["ESCALATION_STALL_DAYS"] and ws.state in (
            State.BLOCKED,
            State.AT_RISK,
        )
    decision_in = None
    flag = ""
    if ws.next_decision_on:
        decision_in = (ws.next_decision_on - today).days
        decision = ws.next_decision
        if active and decision_in < 0 and (decision is None or decision.status != Decision.Status.DECIDED):
            flag = "overdue"
        elif active and 0 <= decision_in <= limits["PREP_WINDOW_DAYS"]:
            options = getattr(ws, "next_decision_options", 0) or 0
            if (
                decision is None
                or decision.status == Decision.Status.DRAFT
                or (decision.status == Decision.Status.OPEN and options < 2)
            ):
                flag = "unprepared"
    return Facts(
        active=active,
        update_age=update_age,
        stale=stale,
        blocked_days=blocked_days,
        not_escalated=not_escalated,
        escalated_days=escalated_days,
        escalation_stalled=stalled,
        decision_in=decision_in,
        decision_flag=flag,
    )


def with_facts(rows: list[Workstream], *, today: dt.date, limits: dict[str, int]) -> list[Workstream]:
    for ws in rows:
        ws.facts = facts_for(ws, today=today, limits=limits)  # type: ignore[attr-defined]
    return rows


@dataclass
class SurfaceGroup:
    """The rows of one surface on a page of the map, with the surface's counts over every page."""

    key: str
    name: str
    rows: list[Workstream] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


MAP_PAGE_SIZE = 50
MAP_ORDER = ("surface__name", "state_rank", "number")


def map_rows(filters: MapFilters, *, today: dt.date, limits: dict[str, int]) -> list[Workstream]:
    """Every workstream the filters match, in map order (the CSV export; the page shows one page)."""
    queryset = filter_map(map_queryset(), filters, today=today, limits=limits)
    return with_facts(list(queryset.order_by(*MAP_ORDER)), today=today, limits=limits)


@dataclass
class MapPage:
    groups: list[SurfaceGroup]
    page: Page[Workstream]


def map_page(filters: MapFilters, number: Any, *, today: dt.date, limits: dict[str, int]) -> MapPage:
    """One page of the map (MAP_PAGE_SIZE rows) grouped by surface, each group with its surface's
    counts over the whole filtered map: four queries whatever the size of the org."""
    queryset = filter_map(map_queryset(), filters, today=today, limits=limits)
    page = Paginator(queryset.order_by(*MAP_ORDER), MAP_PAGE_SIZE).get_page(number)
    rows = with_facts(list(page.object_list), today=today, limits=limits)
    totals = {
        row["surface_id"]: row
        for row in Workstream.objects.filter(pk__in=queryset.values("pk"))
        .order_by()
        .values("surface_id")
        .annotate(
            total=Count("pk"),
            blocked=Count("pk", filter=Q(state=State.BLOCKED)),
            at_risk=Count("pk", filter=Q(state=State.AT_RISK)),
        )
    }
    groups = group_by_surface(rows)
    for group in groups:
        surface_id = group.rows[0].surface_id
        counts = totals.get(surface_id, {})
        group.total = counts.get("total", len(group.rows))
        group.counts = {"blocked": counts.get("blocked", 0), "at_risk": counts.get("at_risk", 0)}
    page.object_list = rows
    return MapPage(groups=groups, page=page)


def page_of(key: str, filters: MapFilters, *, today: dt.date, limits: dict[str, int]) -> int:
    """The page of the map that shows workstream `key` (1 when the filters hide it)."""
    keys = list(
        filter_map(map_queryset(), filters, today=today, limits=limits)
        .order_by(*MAP_ORDER)
        .values_list("key", flat=True)
    )
    return keys.index(key) // MAP_PAGE_SIZE + 1 if key in keys else 1


def map_row(key: str, *, today: dt.date, limits: dict[str, int]) -> Workstream:
    """One workstream as the map shows it (raises Workstream.DoesNotExist)."""
    ws = map_queryset().get(key=key.upper())
    return with_facts([ws], today=today, limits=limits)[0]


def group_by_surface(rows: list[Workstream]) -> list[SurfaceGroup]:
    groups = []
    for _, items in groupby(rows, key=lambda ws: ws.surface_id):
        items = list(items)
        surface = items[0].surface
        groups.append(
            SurfaceGroup(
                key=surface.key if surface else "none",
                name=surface.name if surface else "No surface",
                rows=items,
            )
        )
    # Workstreams without a surface sort first in SQL; they belong last on the page.
    return sorted(groups, key=lambda g: g.key == "none")


@dataclass
class MapSummary:
    total: int
    by_state: dict[str, int]
    escalated: int
    stale: int
    unowned: int
    decision_due: int
    waiting: int
    not_escalated: int


def map_summary(*, today: dt.date, limits: dict[str, int]) -> MapSummary:
    """Counts over the whole map (not the filtered view), in one query."""
    stale_cutoff = today - dt.timedelta(days=limits["STALE_DAYS"])
    horizon = today + dt.timedelta(days=limits["PREP_WINDOW_DAYS"])
    active = Q(state__in=ACTIVE_STATES)
    live = map_queryset().filter(archived_on__isnull=True)
    counts = live.aggregate(
        total=Count("pk"),
        **{f"state_{state.value}": Count("pk", filter=Q(state=state)) for state in STATE_ORDER},
        escalated=Count("pk", filter=Q(escalation=Escalation.ESCALATED)),
        stale=Count("pk", filter=active & Q(last_update_on__lte=stale_cutoff)),
        unowned=Count("pk", filter=active & Q(owner__isnull=True)),
        decision_due=Count(
            "pk",
            filter=active
            & Q(next_decision_on__lte=horizon)
            & ~Q(next_decision_on__lt=today, next_decision__status=Decision.Status.DECIDED),
        ),
        waiting=Count("pk", filter=active & Q(blocked_by_decision__isnull=False)),
        not_escalated=Count("pk", filter=_blocked_not_escalated(today, limits)),
    )
    return MapSummary(
        total=counts["total"],
        by_state={state.value: counts[f"state_{state.value}"] for state in STATE_ORDER},
        escalated=counts["escalated"],
        stale=counts["stale"],
        unowned=counts["unowned"],
        decision_due=counts["decision_due"],
        waiting=counts["waiting"],
        not_escalated=counts["not_escalated"],
    )


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The surfaces and owners the map's filters offer (two queries)."""
    surfaces = [(s.key, s.name) for s in Surface.objects.order_by("name")]
    owners = [
        (p.key, p.name)
        for p in Person.objects.filter(workstreams_owned__isnull=False).distinct().order_by("name")
    ]
    return {"surfaces": surfaces, "owners": owners}


# The workstream page


def updates_of(ws: Workstream) -> QuerySet[StatusUpdate]:
    return ws.updates.select_related("author").order_by("-posted_on", "-id")


def commitments_queryset() -> QuerySet[Commitment]:
    return Commitment.objects.select_related(
        "owner",
        "promised_to",
        "workstream",
        "decision",
        "occurrence__ritual",
        "engagement",
    )


# The follow-through ledger

AUDIENCE_CHOICES = [("internal", "Internal"), ("external", "External: customers, agencies, partners")]
STATUS_CHOICES = [("open", "Open"), ("slipped", "Slipped"), ("moved", "Re-committed"), ("done", "Done")]
ORDER_CHOICES = [("due", "Slipped first, then by due date"), ("owner", "By owner, then due date")]


@dataclass(frozen=True)
class LedgerFilters:
    owner: str = ""  # a person's key
    audience: str = ""  # "internal" or "external"
    status: str = "open"
    surface: str = ""
    order: str = "due"

    def as_params(self) -> dict[str, str]:
        defaults = {"status": "open", "order": "due"}
        return {name: value for name, value in self.__dict__.items() if value and value != defaults.get(name)}


def ledger_queryset(filters: LedgerFilters, *, today: dt.date) -> QuerySet[Commitment]:
    """Commitments as the ledger lists them: slipped ones first, the latest first among them, then
    the rest by due date; done ones (status "done") newest first."""
    queryset = commitments_queryset()
    if filters.status == "done":
        queryset = queryset.filter(done_on__isnull=False).order_by("-done_on", "-number")
    else:
        queryset = queryset.filter(done_on__isnull=True)
        if filters.status == "slipped":
            queryset = queryset.filter(due_on__lt=today)
        elif filters.status == "moved":
            queryset = queryset.filter(recommitted_count__gt=0)
        queryset = queryset.annotate(
            slipped=Case(When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        if filters.order == "owner":
            queryset = queryset.order_by("owner__name", "slipped", "due_on", "number")
        else:
            queryset = queryset.order_by("slipped", "due_on", "owner__name", "number")
    if filters.owner == "none":
        queryset = queryset.filter(owner__isnull=True)
    elif filters.owner:
        queryset = queryset.filter(owner__key=filters.owner)
    if filters.audience == "external":
        queryset = queryset.filter(promised_to__isnull=False).exclude(
            promised_to__affiliation=Person.Affiliation.INTERNAL
        )
    elif filters.audience == "internal":
        queryset = queryset.filter(
            Q(promised_to__isnull=True) | Q(promised_to__affiliation=Person.Affiliation.INTERNAL)
        )
    if filters.surface:
        queryset = queryset.filter(workstream__surface__key=filters.surface)
    return queryset


@dataclass
class LedgerSummary:
    open: int
    slipped: int
    slipped_external: int
    due_this_week: int
    recommitted: int
    owners: list[dict[str, Any]]


def ledger_summary(*, today: dt.date) -> LedgerSummary:
    """Counts over every open commitment, and the owners with slipped ones (two queries)."""
    external = Q(promised_to__isnull=False) & ~Q(promised_to__affiliation=Person.Affiliation.INTERNAL)
    open_ = Commitment.objects.filter(done_on__isnull=True)
    counts = open_.aggregate(
        open=Count("pk"),
        slipped=Count("pk", filter=Q(due_on__lt=today)),
        slipped_external=Count("pk", filter=Q(due_on__lt=today) & external),
        due_this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=6))),
        recommitted=Count("pk", filter=Q(recommitted_count__gt=0)),
    )
    owners = list(
        open_.filter(due_on__lt=today, owner__isnull=False)
        .values("owner__key", "owner__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__name")[:8]
    )
    return LedgerSummary(owners=owners, **counts)


def ledger_owner_choices() -> list[tuple[str, str]]:
    return [
        (p.key, p.name) for p in Person.objects.filter(commitments__isnull=False).distinct().order_by("name")
    ]


def decorate_commitments(
    rows: list[Commitment], *, today: dt.date, limits: dict[str, int], order: str = "due"
) -> list[Commitment]:
    """Attach what a ledger row shows: how late (or how soon), how bad, how often it moved, and the
    heading of the group it falls in."""
    for c in rows:
        c.late_days = 0 if c.done_on else max(0, (today - c.due_on).days)  # type: ignore[attr-defined]
        c.due_in = (c.due_on - today).days  # type: ignore[attr-defined]
        c.slip_level = "high" if c.late_days >= limits["SLIP_HIGH_DAYS"] else "medium"  # type: ignore[attr-defined]
        c.late_label = f"{_days(c.late_days)} late"  # type: ignore[attr-defined]
        c.recommitted_label = (  # type: ignore[attr-defined]
            "Moved once" if c.recommitted_count == 1 else f"Moved {c.recommitted_count} times"
        )
        if c.done_on:
            c.group_label = "Done"  # type: ignore[attr-defined]
        elif order == "owner":
            c.group_label = c.owner.name if c.owner else "No owner"  # type: ignore[attr-defined]
        else:
            c.group_label = "Slipped" if c.late_days else "Due next"  # type: ignore[attr-defined]
    return rows
