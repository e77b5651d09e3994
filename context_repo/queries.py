"""Reads of the context repository: the filtered list, signal themes, the start-here path."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from context_repo.models import ContextEntry, StartHereRead, StartHereStep
from decisions.models import Decision
from leadership_os import memo

Kind = ContextEntry.Kind
Status = ContextEntry.Status

# An open question still waiting for its answer (RULES.md's "open question").
OPEN_QUESTION_STATUSES = (Status.OPEN, Status.ACTIVE)
# A decision that settles a theme for RULES.md's `signal-cluster-undecided`.
DECIDING_STATUSES = (Decision.Status.OPEN, Decision.Status.DECIDED)


def entries_for_list(
    *,
    kind: str = "",
    surface: str = "",
    tag: str = "",
    status: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[ContextEntry]:
    """Entries matching the list's filters, newest first, ready to show (no query per row)."""
    entries = ContextEntry.objects.select_related("surface").prefetch_related("tags")
    return _filtered(entries, kind=kind, surface=surface, tag=tag, status=status, since=since, until=until)


def _filtered(
    entries: QuerySet[ContextEntry],
    *,
    kind: str = "",
    surface: str = "",
    tag: str = "",
    status: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[ContextEntry]:
    if kind:
        entries = entries.filter(kind=kind)
    if surface:
        entries = entries.filter(surface__key=surface)
    if tag:
        entries = entries.filter(tags__name=tag)
    if status:
        entries = entries.filter(status=status)
    if since:
        entries = entries.filter(dated_on__gte=since)
    if until:
        entries = entries.filter(dated_on__lte=until)
    return entries


def kind_counts(**filters: Any) -> dict[str, int]:
    """How many entries of each kind match the other filters (for the tabs): one counting query over
    the whole repository, reused until the org changes (leadership_os.memo)."""
    filters.pop("kind", None)

    def count() -> dict[str, int]:
        rows = (
            _filtered(ContextEntry.objects.all(), **filters).order_by().values("kind").annotate(n=Count("id"))
        )
        counts = {row["kind"]: row["n"] for row in rows}
        counts[""] = sum(counts.values())
        return counts

    return memo.per_revision("context-kind-counts", tuple(sorted(filters.items())), count)


def tags_in_use() -> list[str]:
    """The tags of at least one entry, by name (reused until the org changes)."""
    through = ContextEntry.tags.through
    return memo.per_revision(
        "context-tags",
        None,
        lambda: sorted(set(through.objects.values_list("tag__name", flat=True).distinct())),
    )


def can_edit_entry(user: Any, entry: ContextEntry) -> bool:
    """The chief of staff edits every entry; a contributor edits the entries they wrote."""
    from leadership_os.access import Perm

    if user.has_perm(Perm.EDIT_ALL):
        return True
    return bool(user.has_perm(Perm.WRITE_CONTEXT) and entry.author_id == user.pk)


# Customer signal themes ------------------------------------------------------------------------------


@dataclass
class Bar:
    start: dt.date
    end: dt.date
    count: int
    recent: bool = False
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass
class Linked:
    key: str
    title: str
    status: str
    status_label: str


@dataclass
class Theme:
    tag: str
    bars: list[Bar]
    total: int
    recent: int
    decisions: list[Linked] = field(default_factory=list)
    open_questions: list[Linked] = field(default_factory=list)
    cluster_min: int = 3

    @property
    def settled_by(self) -> list[Linked]:
        """The decisions and open questions that count as the theme's decision for the radar."""
        return [d for d in self.decisions if d.status in DECIDING_STATUSES] + [
            q for q in self.open_questions if q.status in OPEN_QUESTION_STATUSES
        ]

    @property
    def has_decision(self) -> bool:
        return bool(self.settled_by)

    @property
    def state(self) -> str:
        """`decided` when a decided decision carries the tag, `deciding` when only an open decision
        or an open question does, `none` otherwise ("no decision yet")."""
        if any(d.status == Decision.Status.DECIDED for d in self.decisions):
            return "decided"
        return "deciding" if self.has_decision else "none"

    @property
    def undecided_cluster(self) -> bool:
        """RULES.md's `signal-cluster-undecided`: enough recent signals and nothing deciding them."""
        return self.recent >= self.cluster_min and not self.has_decision

    @property
    def peak(self) -> int:
        return max((bar.count for bar in self.bars), default=0)

    @property
    def description(self) -> str:
        counts = ", ".join(f"{bar.count}" for bar in self.bars)
        return (
            f"Customer signals tagged {self.tag} per week over the last {len(self.bars)} weeks, "
            f"oldest first: {counts}."
        )


CHART_WIDTH = 240
CHART_HEIGHT = 48
CHART_GAP = 4


def _thresholds() -> tuple[int, int]:
    rules = settings.LEADERSHIP_OS_RULES
    return int(rules.get("SIGNAL_CLUSTER_MIN", 3)), int(rules.get("SIGNAL_WINDOW_DAYS", 14))


def signal_themes(today: dt.date, weeks: int = 12) -> list[Theme]:
    """Customer signals of the last `weeks` weeks grouped by tag, with counts per week (the last week
    ends today), and the decisions and open questions carrying each tag. Three queries whatever the size."""
    cluster_min, window_days = _thresholds()
    first_day = today - dt.timedelta(days=7 * weeks - 1)
    recent_from = today - dt.timedelta(days=window_days - 1)
    through = ContextEntry.tags.through
    rows = through.objects.filter(
        contextentry__kind=Kind.CUSTOMER_SIGNAL,
        contextentry__dated_on__gte=min(first_day, recent_from),
        contextentry__dated_on__lte=today,
    ).values_list("tag__name", "contextentry__dated_on")
    per_tag: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    recent: dict[str, int] = defaultdict(int)
    for tag, dated_on in rows:
        counts = per_tag[tag]
        if dated_on >= first_day:
            counts[(dated_on - first_day).days // 7] += 1
        if dated_on >= recent_from:
            recent[tag] += 1
    if not per_tag:
        return []

    themes = []
    for tag, counts in per_tag.items():
        bars = [
            Bar(
                start=first_day + dt.timedelta(days=7 * i),
                end=first_day + dt.timedelta(days=7 * i + 6),
                count=n,
                recent=first_day + dt.timedelta(days=7 * i) >= recent_from,
            )
            for i, n in enumerate(counts)
        ]
        themes.append(
            Theme(tag=tag, bars=bars, total=sum(counts), recent=recent[tag], cluster_min=cluster_min)
        )

    tags = [theme.tag for theme in themes]
    by_tag = {theme.tag: theme for theme in themes}
    decision_rows = (
        Decision.tags.through.objects.filter(tag__name__in=tags)
        .order_by("-decision__number")
        .values_list("tag__name", "decision__key", "decision__title", "decision__status")
    )
    decision_labels = dict(Decision.Status.choices)
    for tag, key, title, status in decision_rows:
        by_tag[tag].decisions.append(Linked(key, title, status, str(decision_labels.get(status, status))))
    question_rows = (
        through.objects.filter(tag__name__in=tags, contextentry__kind=Kind.OPEN_QUESTION)
        .order_by("-contextentry__dated_on")
        .values_list("tag__name", "contextentry__key", "contextentry__title", "contextentry__status")
    )
    status_labels = dict(Status.choices)
    for tag, key, title, status in question_rows:
        by_tag[tag].open_questions.append(Linked(key, title, status, str(status_labels.get(status, status))))

    peak = max((theme.peak for theme in themes), default=0) or 1
    slot = CHART_WIDTH / weeks
    for theme in themes:
        for i, bar in enumerate(theme.bars):
            bar.height = round((CHART_HEIGHT - 2) * bar.count / peak, 1) if bar.count else 0
            bar.x = round(i * slot + CHART_GAP / 2, 1)
            bar.y = round(CHART_HEIGHT - bar.height, 1)
    themes.sort(key=lambda t: (not t.undecided_cluster, -t.recent, -t.total, t.tag))
    return themes


CHART = {"width": CHART_WIDTH, "height": CHART_HEIGHT, "bar_width": CHART_WIDTH / 12 - CHART_GAP}


# The start-here path -----------------------------------------------------------------------------------


def start_here_steps() -> list[StartHereStep]:
    return list(StartHereStep.objects.select_related("entry", "decision").order_by("position", "id"))


def read_step_ids(user: Any) -> set[int]:
    return set(StartHereRead.objects.filter(user=user).values_list("step_id", flat=True))
