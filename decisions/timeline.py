"""The geometry of the decision timeline: one lane per product surface, one mark per decision.

Pure: decisions and dates in, positions out; templates/components/timeline.html draws the SVG.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from decisions.models import Decision

WIDTH = 1000
GUTTER = 170  # room for the lane labels
RIGHT = 24
AXIS = 34  # room for the month labels
ROW = 18  # vertical distance between two marks of a lane that would overlap
LANE_PAD = 14
MIN_GAP = 13  # marks closer than this (in px) go on separate rows of their lane
MAX_ROWS = 6
ARC = 9  # how far a supersession arc rises above its marks


@dataclass
class Mark:
    x: float
    y: int
    kind: str  # decided, superseded, open, overdue
    key: str
    href: str
    label: str
    end_x: float | None = None  # an open decision's needed-by date
    pk: int = 0
    supersedes_id: int | None = None


@dataclass
class Lane:
    label: str
    y: int
    height: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Link:
    """A supersession: from the superseded decision's mark to its successor's."""

    x1: float
    y1: int
    x2: float
    y2: int

    @property
    def path(self) -> str:
        """An arc over the marks between the two, so that it is not read as joining them too."""
        middle = round((self.x1 + self.x2) / 2, 1)
        top = min(self.y1, self.y2) - 2 * ARC
        return f"M{self.x1} {self.y1 - 6} Q{middle} {top} {self.x2} {self.y2 - 6}"


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    width: int
    height: int
    lanes: list[Lane]
    ticks: list[Tick]
    links: list[Link]
    today_x: float | None
    plot_left: int = GUTTER
    plot_right: int = WIDTH - RIGHT
    count: int = 0

    @property
    def axis_y(self) -> int:
        return AXIS - 10


def months_back(today: dt.date, months: int) -> dt.date:
    year, month = today.year, today.month - months
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def month_after(day: dt.date, months: int = 1) -> dt.date:
    year, month = day.year, day.month + months
    while month > 12:
        month -= 12
        year += 1
    return dt.date(year, month, 1)


def _fmt(day: dt.date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def describe(decision: Decision, today: dt.date) -> tuple[str, str]:
    """The mark's kind and its accessible name."""
    status = decision.status
    base = f"{decision.key}: {decision.title}."
    if status == Decision.Status.OPEN:
        needed = ""
        kind = "open"
        if decision.needed_by:
            late = decision.needed_by < today
            kind = "overdue" if late else "open"
            needed = f", needed by {_fmt(decision.needed_by)}{' (overdue)' if late else ''}"
        since = f" since {_fmt(decision.opened_on)}" if decision.opened_on else ""
        return kind, f"{base} Open{since}{needed}."
    when = f" on {_fmt(decision.decided_on)}" if decision.decided_on else ""
    if status == Decision.Status.SUPERSEDED:
        return "superseded", f"{base} Decided{when}, since superseded."
    return "decided", f"{base} Decided{when}."


def build(
    decisions: Sequence[Decision],
    *,
    lanes: Sequence[tuple[int | None, str]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    url_of: Callable[[Decision], str],
) -> Timeline:
    """Lay out `decisions` (each placed at its decided date, else its opened date) between `start`
    and `end`, one lane per (surface id, label) of `lanes`, in that order."""
    span = max((end - start).days, 1)
    plot = WIDTH - RIGHT - GUTTER

    def x_of(day: dt.date) -> float:
        clamped = min(max(day, start), end)
        return round(GUTTER + (clamped - start).days / span * plot, 1)

    by_lane: dict[int | None, list[Mark]] = {surface_id: [] for surface_id, _ in lanes}
    for decision in decisions:
        day = decision.decided_on or decision.opened_on
        if day is None or decision.surface_id not in by_lane:
            continue
        kind, label = describe(decision, today)
        end_x = x_of(decision.needed_by) if kind in ("open", "overdue") and decision.needed_by else None
        by_lane[decision.surface_id].append(
            Mark(
                x=x_of(day),
                y=0,
                kind=kind,
                key=decision.key,
                href=url_of(decision),
                label=label,
                end_x=end_x,
                pk=decision.pk,
                supersedes_id=decision.supersedes_id,
            )
        )

    result: list[Lane] = []
    top = AXIS
    for surface_id, name in lanes:
        marks = sorted(by_lane[surface_id], key=lambda m: (m.x, m.key))
        row_ends: list[float] = []
        rows_of: list[int] = []
        for mark in marks:
            reach = max(mark.x, mark.end_x or mark.x)
            row = next((i for i, last in enumerate(row_ends) if mark.x - last >= MIN_GAP), None)
            if row is None:
                if len(row_ends) < MAX_ROWS:
                    row_ends.append(reach)
                    row = len(row_ends) - 1
                else:
                    row = min(range(len(row_ends)), key=lambda i: row_ends[i])
            row_ends[row] = max(row_ends[row], reach)
            rows_of.append(row)
        rows = max(len(row_ends), 1)
        height = rows * ROW + 2 * LANE_PAD
        for mark, row in zip(marks, rows_of, strict=True):
            mark.y = top + LANE_PAD + ROW // 2 + row * ROW
        result.append(Lane(label=name, y=top, height=height, marks=marks))
        top += height

    placed = {mark.pk: mark for lane in result for mark in lane.marks}
    links = [
        Link(x1=placed[m.supersedes_id].x, y1=placed[m.supersedes_id].y, x2=m.x, y2=m.y)
        for m in placed.values()
        if m.supersedes_id in placed
    ]

    ticks = []
    month = dt.date(start.year, start.month, 1)
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 14 else 2 if months <= 26 else 3
    index = 0
    while month <= end:
        if month >= start and index % step == 0:
            text = calendar.month_abbr[month.month]
            if month.month == 1 or not ticks:
                text += f" {month.year}"
            ticks.append(Tick(x=x_of(month), label=text))
        index += 1
        month = month_after(month)

    return Timeline(
        start=start,
        end=end,
        width=WIDTH,
        height=top + 6,
        lanes=result,
        ticks=ticks,
        links=links,
        today_x=x_of(today) if start <= today <= end else None,
        count=len(placed),
    )
