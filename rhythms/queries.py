"""Reads of the operating rhythm: the calendar's weeks and months, the ritual audit, a ritual's
record. Each read uses a fixed number of queries, whatever the number of rituals."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.urls import NoReverseMatch, reverse

from briefs.models import Engagement
from leadership_os import memo
from leadership_os.thresholds import rule_thresholds
from rhythms import recurrence
from rhythms.models import Occurrence, Ritual
from rhythms.services import local_zone, ritual_instances

RULE_WITHOUT_PURPOSE = "ritual-without-purpose"
RULE_THEATER = "ritual-theater"


def theater_window() -> int:
    return rule_thresholds()["THEATER_WINDOW"]


def day_bounds(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants from the start of `first_day` to the start of the day after `last_day`, local."""
    zone = local_zone()
    return (
        dt.datetime.combine(first_day, dt.time.min, tzinfo=zone),
        dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def cadence_in_words(ritual: Ritual) -> str:
    try:
        return recurrence.describe(ritual.rrule, start=ritual.starts_at, zone=local_zone())
    except (ValueError, KeyError):
        return ritual.rrule


def engagement_url(pk: int) -> str:
    for name in ("briefs:engagement_detail", "briefs:brief_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return f"/briefs/{pk}/"


# The calendar ---------------------------------------------------------------------------------


@dataclass
class CalendarItem:
    kind: str  # "ritual" or "engagement"
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    key: str
    pk: int  # the ritual's or the engagement's
    status: str = ""  # planned, held, skipped; "" for an engagement
    moved_from: dt.datetime | None = None
    occurrence_pk: int | None = None
    detail: str = ""

    # The addresses are reversed only for the items a page shows (a month shows a few a day).
    @property
    def url(self) -> str:
        if self.kind == "engagement":
            return engagement_url(self.pk)
        return reverse("rhythms:ritual_detail", args=[self.pk])

    @property
    def record_url(self) -> str:
        return reverse("rhythms:occurrence_record", args=[self.occurrence_pk]) if self.occurrence_pk else ""

    @property
    def is_skipped(self) -> bool:
        return self.status == Occurrence.Status.SKIPPED


@dataclass
class CalendarDay:
    date: dt.date
    is_today: bool
    in_month: bool
    items: list[CalendarItem] = field(default_factory=list)
    more: int = 0  # items of the day left out of a month cell (the week view lists them all)


# A month cell shows the day's first items and says how many more there are; a busy org's month
# stays readable and the page costs the same whatever the number of rituals.
MONTH_ITEMS_PER_DAY = 4


def _ritual_item(
    *,
    ritual_pk: int,
    name: str,
    key: str,
    kind: str,
    duration: int,
    scheduled: dt.datetime,
    starts_at: dt.datetime | None = None,
    status: str = Occurrence.Status.PLANNED,
    occurrence_pk: int | None = None,
) -> CalendarItem:
    zone = local_zone()
    starts = (starts_at or scheduled).astimezone(zone)
    moved_from = scheduled.astimezone(zone) if starts_at is not None and starts_at != scheduled else None
    return CalendarItem(
        kind="ritual",
        title=name,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=duration),
        key=key,
        pk=ritual_pk,
        status=status,
        moved_from=moved_from,
        occurrence_pk=occurrence_pk,
        detail=Ritual.Kind(kind).label if kind in Ritual.Kind.values else kind,
    )


RITUAL_CALENDAR_FIELDS = [
    "id", "number", "key", "name", "kind", "rrule", "starts_at", "duration_minutes", "is_active", "retired_on",
]  # fmt: skip


def calendar_items(first_day: dt.date, last_day: dt.date) -> dict[dt.date, list[CalendarItem]]:
    """`derive_calendar_items`, reused until the org changes (leadership_os.memo): a month of a large
    org is over a thousand items."""
    return memo.per_revision(
        "calendar-items",
        (first_day, last_day, str(local_zone())),
        lambda: derive_calendar_items(first_day, last_day),
    )


def derive_calendar_items(first_day: dt.date, last_day: dt.date) -> dict[dt.date, list[CalendarItem]]:
    """Every ritual occurrence and engagement from `first_day` to `last_day`, by local date.

    Recorded and materialized occurrences come from their rows; where a ritual has no row for a slot
    (beyond the materialized window) the slot is derived from its rule. Three queries in all, read as
    plain rows (a month of a large org holds over a thousand of them).
    """
    zone = local_zone()
    low, high = day_bounds(first_day, last_day)
    rituals = list(
        Ritual.objects.filter(Q(is_active=True) | Q(retired_on__gte=first_day)).only(*RITUAL_CALENDAR_FIELDS)
    )
    occurrences = Occurrence.objects.filter(
        Q(starts_at__gte=low, starts_at__lt=high) | Q(scheduled_for__gte=low, scheduled_for__lt=high)
    ).values_list(
        "pk", "ritual_id", "scheduled_for", "starts_at", "status",
        "ritual__name", "ritual__key", "ritual__kind", "ritual__duration_minutes",
    )  # fmt: skip
    engagements = Engagement.objects.filter(starts_at__gte=low, starts_at__lt=high).values_list(
        "pk", "key", "title", "starts_at", "duration_minutes", "counterpart", "kind"
    )

    by_day: dict[dt.date, list[CalendarItem]] = defaultdict(list)
    taken: set[tuple[int, dt.datetime]] = set()
    for pk, ritual_pk, scheduled, starts_at, status, name, key, kind, duration in occurrences:
        taken.add((ritual_pk, scheduled))
        if low <= starts_at < high:
            item = _ritual_item(
                ritual_pk=ritual_pk, name=name, key=key, kind=kind, duration=duration,
                scheduled=scheduled, starts_at=starts_at, status=status, occurrence_pk=pk,
            )  # fmt: skip
            by_day[item.starts_at.date()].append(item)
    for ritual in rituals:
        for moment in ritual_instances(ritual, first_day, last_day):
            if (ritual.pk, moment) not in taken:
                item = _ritual_item(
                    ritual_pk=ritual.pk, name=ritual.name, key=ritual.key, kind=ritual.kind,
                    duration=ritual.duration_minutes, scheduled=moment,
                )  # fmt: skip
                by_day[item.starts_at.date()].append(item)
    engagement_kinds = dict(Engagement.Kind.choices)
    for pk, key, title, starts_at, duration, counterpart, kind in engagements:
        starts = starts_at.astimezone(zone)
        by_day[starts.date()].append(
            CalendarItem(
                kind="engagement",
                title=title,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=duration),
                key=key,
                pk=pk,
                detail=counterpart or engagement_kinds.get(kind, kind),
            )
        )
    for items in by_day.values():
        items.sort(key=lambda i: (i.starts_at, i.kind, i.title))
    return by_day


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def calendar_weeks(view: str, anchor: dt.date, today: dt.date) -> list[list[CalendarDay]]:
    """The weeks of the view (Monday first): one for `week`, the whole month's for `month`."""
    if view == "week":
        first = week_start(anchor)
        last = first + dt.timedelta(days=6)
    else:
        month_first = anchor.replace(day=1)
        month_last = anchor.replace(day=pycalendar.monthrange(anchor.year, anchor.month)[1])
        first = week_start(month_first)
        last = week_start(month_last) + dt.timedelta(days=6)
    items = calendar_items(first, last)
    weeks: list[list[CalendarDay]] = []
    day = first
    while day <= last:
        week = []
        for _ in range(7):
            listed = items.get(day, [])
            shown = listed if view == "week" else listed[:MONTH_ITEMS_PER_DAY]
            week.append(
                CalendarDay(
                    date=day,
                    is_today=day == today,
                    in_month=view == "week" or day.month == anchor.month,
                    items=shown,
                    more=len(listed) - len(shown),
                )
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def shift(view: str, anchor: dt.date, step: int) -> dt.date:
    """The anchor of the previous (-1) or next (+1) week or month."""
    if view == "week":
        return anchor + dt.timedelta(days=7 * step)
    month = anchor.month - 1 + step
    year = anchor.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, 1)


# The audit ------------------------------------------------------------------------------------


@dataclass
class AuditRow:
    ritual: Ritual
    cadence: str
    held: int
    window: int
    recent: list[Occurrence]
    decisions: int
    blockers: int
    commitments: int
    flags: list[str]

    @property
    def earns_its_cost(self) -> bool:
        return not self.flags

    @property
    def too_new(self) -> bool:
        return self.held < self.window


def ritual_flags(ritual: Ritual, held_newest_first: list[Any], window: int) -> list[str]:
    """RULES.md's two ritual rules for one active ritual. `held_newest_first` are its held
    occurrences on or before the day, each with `n_decisions` and `n_blockers`."""
    flags = []
    if not ritual.informs_decision.strip() and not ritual.surfaces_blocker.strip():
        flags.append(RULE_WITHOUT_PURPOSE)
    if len(held_newest_first) >= window and all(
        o.n_decisions == 0 and o.n_blockers == 0 for o in held_newest_first[:window]
    ):
        flags.append(RULE_THEATER)
    return flags


def ritual_audit(*, today: dt.date) -> tuple[list[AuditRow], list[AuditRow], list[Ritual]]:
    """Active rituals that earn their cost, those flagged (RULES.md), and the retired ones."""
    window = theater_window()
    _, end = day_bounds(today, today)
    rituals = list(Ritual.objects.select_related("owner", "surface").order_by("name", "number"))
    held = (
        Occurrence.objects.filter(ritual__is_active=True, status=Occurrence.Status.HELD, starts_at__lt=end)
        .annotate(
            n_decisions=Count("decisions_informed", distinct=True),
            n_blockers=Count("blockers_surfaced", distinct=True),
            n_commitments=Count("commitments", distinct=True),
        )
        .order_by("ritual_id", "-starts_at", "-id")
    )
    by_ritual: dict[int, list[Any]] = defaultdict(list)
    for occurrence in held:
        by_ritual[occurrence.ritual_id].append(occurrence)
    earning: list[AuditRow] = []
    flagged: list[AuditRow] = []
    retired: list[Ritual] = []
    for ritual in rituals:
        if not ritual.is_active:
            retired.append(ritual)
            continue
        mine = by_ritual.get(ritual.pk, [])
        recent = mine[:window]
        row = AuditRow(
            ritual=ritual,
            cadence=cadence_in_words(ritual),
            held=len(mine),
            window=window,
            recent=recent,
            decisions=sum(o.n_decisions for o in recent),
            blockers=sum(o.n_blockers for o in recent),
            commitments=sum(o.n_commitments for o in recent),
            flags=ritual_flags(ritual, mine, window),
        )
        (flagged if row.flags else earning).append(row)
    retired.sort(key=lambda r: r.retired_on or dt.date.min, reverse=True)
    return earning, flagged, retired


# A ritual's record ------------------------------------------------------------------------------


def ritual_for_page(pk: int) -> Ritual:
    return Ritual.objects.select_related("owner", "surface").prefetch_related("attendees").get(pk=pk)


def ritual_record(ritual: Ritual, *, now: dt.datetime) -> tuple[list[Occurrence], list[Occurrence]]:
    """Its past occurrences (newest first) with what each produced, and the next few planned."""
    occurrences = list(
        Occurrence.objects.filter(ritual=ritual)
        .prefetch_related(
            "decisions_informed",
            "blockers_surfaced",
            Prefetch("commitments", queryset=_commitments_queryset()),
        )
        .order_by("-starts_at")
    )
    past = [o for o in occurrences if o.starts_at <= now]
    upcoming = sorted((o for o in occurrences if o.starts_at > now), key=lambda o: o.starts_at)[:6]
    return past, upcoming


def _commitments_queryset() -> Any:
    from workstreams.models import Commitment

    return Commitment.objects.select_related("owner").order_by("due_on", "number")
