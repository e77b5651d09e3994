"""The radar rules of RULES.md, one small function each, in RULES.md's row order.

Each rule reads the snapshot at `as_of` and yields at most one item per subject. An item's facts are
the numbers, dates and states the rule used; its explanation is one sentence built from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from .results import (
    SEVERITIES,
    FactValue,
    RadarItem,
    Severity,
    Subject,
    SubjectType,
    natural_key,
    plural,
    trusted,
)
from .snapshot import DecisionFact, OrgSnapshot, Thresholds, WorkstreamFact

Check = Callable[[OrgSnapshot, date, Thresholds], Iterator[RadarItem]]


def days(a: date, b: date) -> int:
    """Whole calendar days from a to b: RULES.md's `days(a, b) = (b - a).days`."""
    return (b - a).days


@dataclass(frozen=True)
class Rule:
    """A radar rule: its id, the kind of subject it is about, its check and its words for the rules page."""

    id: str
    subject: SubjectType
    check: Check
    severity_text: str
    """How severe its items are, with `{THRESHOLD}` placeholders."""
    description: str
    """When it fires, in plain words, with `{THRESHOLD}` placeholders."""
    reads: tuple[str, ...] = ()
    """The kinds of record it reads (`OrgSnapshot` fields), its items changing only with them;
    `waiting` stands for the workstreams read only through `waiting_workstreams`."""


class RuleDescription(BaseModel):
    """A rule as the rules page shows it: thresholds substituted."""

    model_config = ConfigDict(frozen=True)

    id: str
    subject: SubjectType
    severity: str
    description: str


RULES: list[Rule] = []


def rule(
    rule_id: str, subject: SubjectType, *, severity: str, description: str, reads: tuple[str, ...]
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, subject, check, severity, description, reads))
        return check

    return register


def describe_rules(thresholds: Thresholds) -> tuple[RuleDescription, ...]:
    """Every rule, in RULES.md's order, in plain words with the given thresholds."""
    values = thresholds.as_settings()
    return tuple(
        RuleDescription(
            id=r.id,
            subject=r.subject,
            severity=r.severity_text.format(**values),
            description=r.description.format(**values),
        )
        for r in RULES
    )


def run_rules(snapshot: OrgSnapshot, as_of: date, thresholds: Thresholds) -> tuple[RadarItem, ...]:
    """Every rule's items in radar order: severity, then the rule's row, then the subject's natural key."""
    return radar_order([item for r in RULES for item in r.check(snapshot, as_of, thresholds)])


def radar_order(items: Iterable[RadarItem]) -> tuple[RadarItem, ...]:
    """Items of any rules in radar order: severity, then the rule's row, then the subject's natural key."""
    row = {r.id: index for index, r in enumerate(RULES)}
    return tuple(
        sorted(
            items,
            key=lambda item: (SEVERITIES.index(item.severity), row[item.rule], natural_key(item.subject.key)),
        )
    )


def rule_items(r: Rule, snapshot: OrgSnapshot, as_of: date, thresholds: Thresholds) -> tuple[RadarItem, ...]:
    """One rule's items, by severity then the subject's natural key (see `merge_rule_items`)."""
    return tuple(
        sorted(
            r.check(snapshot, as_of, thresholds),
            key=lambda item: (SEVERITIES.index(item.severity), natural_key(item.subject.key)),
        )
    )


def merge_rule_items(per_rule: Sequence[Sequence[RadarItem]]) -> tuple[RadarItem, ...]:
    """The radar from each rule's `rule_items`, given in RULES' order: `radar_order` of them all,
    without sorting again what each rule sorted."""
    return tuple(
        item for severity in SEVERITIES for items in per_rule for item in items if item.severity == severity
    )


def _workstream_item(
    rule_id: str, ws: WorkstreamFact, severity: Severity, facts: dict[str, FactValue], explanation: str
) -> RadarItem:
    return trusted(
        RadarItem,
        rule=rule_id,
        severity=severity,
        subject=trusted(Subject, type="workstream", key=ws.key, title=ws.title),
        facts=facts,
        explanation=explanation,
        surface=ws.surface,
    )


def _active(snapshot: OrgSnapshot) -> Iterator[WorkstreamFact]:
    return (ws for ws in snapshot.workstreams if ws.active)


def _decisions(snapshot: OrgSnapshot) -> dict[str, DecisionFact]:
    return {d.key: d for d in snapshot.decisions}


@rule(
    "blocked-not-escalated",
    "workstream",
    severity="high",
    description=(
        "An active workstream has been blocked for {BLOCKED_ESCALATE_DAYS} days or more (counted from "
        "when it was blocked, else from its last update) and its escalation is still 'none' or 'watching'."
    ),
    reads=("workstreams",),
)
def blocked_not_escalated(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, state `blocked`, blocked ≥ BLOCKED_ESCALATE_DAYS days (from `blocked_since`, else from its
    last update), escalation `none` or `watching`. Severity high."""
    for ws in _active(snapshot):
        if ws.state != "blocked" or ws.escalation not in ("none", "watching"):
            continue
        since, since_name = (
            (ws.blocked_since, "blocked_since") if ws.blocked_since else (ws.last_update, "last_update_on")
        )
        blocked = days(since, as_of)
        if blocked < t.blocked_escalate_days:
            continue
        on = f" on '{ws.blocker.strip()}'" if ws.blocker.strip() else ""
        counted = "" if ws.blocked_since else " (counted from its last update)"
        yield _workstream_item(
            "blocked-not-escalated",
            ws,
            "high",
            {"days_blocked": blocked, since_name: since, "escalation": ws.escalation},
            f"Blocked {plural(blocked, 'day')}{on} since {since.isoformat()}{counted}; "
            f"escalation is '{ws.escalation}'",
        )


@rule(
    "escalation-stalled",
    "workstream",
    severity="high",
    description=(
        "A workstream was escalated {ESCALATION_STALL_DAYS} days ago or more and is still blocked or at risk."
    ),
    reads=("workstreams",),
)
def escalation_stalled(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Escalation `escalated` for ≥ ESCALATION_STALL_DAYS days (from `escalated_on`; without that date it
    cannot be counted), and state still `blocked` or `at_risk`. Severity high."""
    for ws in snapshot.workstreams:
        if ws.escalation != "escalated" or ws.escalated_on is None or ws.state not in ("blocked", "at_risk"):
            continue
        escalated = days(ws.escalated_on, as_of)
        if escalated < t.escalation_stall_days:
            continue
        yield _workstream_item(
            "escalation-stalled",
            ws,
            "high",
            {"days_escalated": escalated, "escalated_on": ws.escalated_on, "state": ws.state},
            f"Escalated {plural(escalated, 'day')} ago on {ws.escalated_on.isoformat()} "
            f"and still '{ws.state}'",
        )


@rule(
    "stale-update",
    "workstream",
    severity="medium; high from {STALE_HIGH_DAYS} days",
    description="An active workstream's last update is {STALE_DAYS} days old or more.",
    reads=("workstreams",),
)
def stale_update(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, last update (newest status update, else creation) ≥ STALE_DAYS days ago. Severity medium;
    high at ≥ STALE_HIGH_DAYS."""
    for ws in _active(snapshot):
        age = days(ws.last_update, as_of)
        if age < t.stale_days:
            continue
        if ws.last_update_on:
            facts: dict[str, FactValue] = {"days_since_update": age, "last_update_on": ws.last_update_on}
            since = f"; the last was on {ws.last_update_on.isoformat()}"
        else:
            facts = {"days_since_update": age, "created_on": ws.created_on}
            since = f" since it was created on {ws.created_on.isoformat()}"
        yield _workstream_item(
            "stale-update",
            ws,
            "high" if age >= t.stale_high_days else "medium",
            facts,
            f"No update for {plural(age, 'day')}{since}",
        )


@rule(
    "no-owner",
    "workstream",
    severity="medium",
    description="An active workstream has no owner.",
    reads=("workstreams",),
)
def no_owner(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active and no owner. Severity medium."""
    for ws in _active(snapshot):
        if ws.owner is None:
            yield _workstream_item(
                "no-owner", ws, "medium", {"state": ws.state}, f"Active ('{ws.state}') with no owner"
            )


def _linked(ws: WorkstreamFact, decisions: dict[str, DecisionFact]) -> DecisionFact | None:
    return decisions.get(ws.next_decision) if ws.next_decision else None


@rule(
    "decision-point-overdue",
    "workstream",
    severity="high",
    description=(
        "An active workstream's next decision point has passed and its linked decision is missing "
        "or not decided."
    ),
    reads=("workstreams", "decisions"),
)
def decision_point_overdue(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, `next_decision_on` before as_of, and its linked next decision missing or not `decided`.
    Severity high."""
    decisions = _decisions(snapshot)
    for ws in _active(snapshot):
        if ws.next_decision_on is None or ws.next_decision_on >= as_of:
            continue
        decision = _linked(ws, decisions)
        if decision is not None and decision.status == "decided":
            continue
        overdue = days(ws.next_decision_on, as_of)
        facts: dict[str, FactValue] = {"days_overdue": overdue, "next_decision_on": ws.next_decision_on}
        if decision is None:
            state = "no decision is linked"
        else:
            facts["decision_status"] = decision.status
            state = f"its decision {decision.key} is '{decision.status}'"
        yield _workstream_item(
            "decision-point-overdue",
            ws,
            "high",
            facts,
            f"Decision point {ws.next_decision_on.isoformat()} passed {plural(overdue, 'day')} ago; {state}",
        )


@rule(
    "decision-point-unprepared",
    "workstream",
    severity="medium",
    description=(
        "An active workstream's next decision point is today or within {PREP_WINDOW_DAYS} days, and its "
        "linked decision is missing, still a draft, or open with fewer than 2 options."
    ),
    reads=("workstreams", "decisions"),
)
def decision_point_unprepared(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, `next_decision_on` from as_of to as_of + PREP_WINDOW_DAYS, and its linked decision missing,
    a `draft`, or `open` with fewer than 2 options. Severity medium."""
    decisions = _decisions(snapshot)
    for ws in _active(snapshot):
        if ws.next_decision_on is None:
            continue
        ahead = days(as_of, ws.next_decision_on)
        if not 0 <= ahead <= t.prep_window_days:
            continue
        decision = _linked(ws, decisions)
        facts: dict[str, FactValue] = {"next_decision_on": ws.next_decision_on}
        if decision is None:
            state = "no decision is linked"
        elif decision.status == "draft":
            facts["decision_status"] = "draft"
            state = f"its decision {decision.key} is still a 'draft'"
        elif decision.status == "open" and decision.options_count < 2:
            facts |= {"decision_status": "open", "options": decision.options_count}
            state = f"its decision {decision.key} is 'open' with {plural(decision.options_count, 'option')}"
        else:
            continue
        when = "today" if ahead == 0 else f"in {plural(ahead, 'day')}"
        yield _workstream_item(
            "decision-point-unprepared",
            ws,
            "medium",
            facts,
            f"Decision point {ws.next_decision_on.isoformat()} is {when}; {state}",
        )


def waiting_workstreams(snapshot: OrgSnapshot) -> dict[str, list[str]]:
    """Decision key → keys (natural order) of the active workstreams whose `blocked_by_decision` it is."""
    waiting: dict[str, list[str]] = {}
    for ws in _active(snapshot):
        if ws.blocked_by_decision:
            waiting.setdefault(ws.blocked_by_decision, []).append(ws.key)
    return {key: sorted(keys, key=natural_key) for key, keys in waiting.items()}


@rule(
    "waiting-on-decision",
    "decision",
    severity="high if 2 or more workstreams wait or the decision is past its needed-by date; else medium",
    description="An open decision has at least one active workstream blocked by it.",
    reads=("waiting", "decisions"),
)
def waiting_on_decision(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Open, with at least one waiting workstream. Severity high if ≥ 2 wait or `needed_by` is before
    as_of; else medium."""
    waiting = waiting_workstreams(snapshot)
    for decision in snapshot.decisions:
        keys = waiting.get(decision.key, [])
        if decision.status != "open" or not keys:
            continue
        overdue = decision.needed_by is not None and decision.needed_by < as_of
        facts: dict[str, FactValue] = {"waiting": len(keys)}
        verb = "workstream waits" if len(keys) == 1 else "workstreams wait"
        sentence = f"{len(keys)} active {verb} on it ({', '.join(keys)})"
        if decision.needed_by is not None:
            facts["needed_by"] = decision.needed_by
            sentence += f"; needed by {decision.needed_by.isoformat()}"
            if overdue:
                late = days(decision.needed_by, as_of)
                facts["days_overdue"] = late
                sentence += f", {plural(late, 'day')} ago"
        yield trusted(
            RadarItem,
            rule="waiting-on-decision",
            severity="high" if len(keys) >= 2 or overdue else "medium",
            subject=trusted(Subject, type="decision", key=decision.key, title=decision.title),
            facts=facts,
            explanation=sentence,
            surface=decision.surface,
        )


@rule(
    "slipped-commitment",
    "commitment",
    severity="medium; high from {SLIP_HIGH_DAYS} days late",
    description="A commitment is not done and its due date has passed.",
    reads=("commitments",),
)
def slipped_commitment(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Not done and `due_on` before as_of. Severity medium; high when ≥ SLIP_HIGH_DAYS days late."""
    for c in snapshot.commitments:
        if c.done_on is not None or c.due_on >= as_of:
            continue
        late = days(c.due_on, as_of)
        yield trusted(
            RadarItem,
            rule="slipped-commitment",
            severity="high" if late >= t.slip_high_days else "medium",
            subject=trusted(Subject, type="commitment", key=c.key, title=c.description),
            facts={"days_late": late, "due_on": c.due_on},
            explanation=f"Due {c.due_on.isoformat()}, not done, {plural(late, 'day')} late",
            surface=c.surface,
        )


@rule(
    "signal-cluster-undecided",
    "theme",
    severity="medium",
    description=(
        "{SIGNAL_CLUSTER_MIN} or more customer signals carry the same tag within the last "
        "{SIGNAL_WINDOW_DAYS} days (today included), and no open or decided decision and no open "
        "question carries that tag."
    ),
    reads=("signals", "decisions", "open_questions"),
)
def signal_cluster_undecided(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """≥ SIGNAL_CLUSTER_MIN customer signals with a tag, dated as_of - (SIGNAL_WINDOW_DAYS - 1) to as_of
    (both included), and no open or decided decision and no open question carries the tag. The subject
    is the theme; its key and title are the tag. Severity medium."""
    start = as_of - timedelta(days=t.signal_window_days - 1)
    counts: dict[str, int] = {}
    for signal in snapshot.signals:
        if start <= signal.dated_on <= as_of:
            for tag in set(signal.tags):
                counts[tag] = counts.get(tag, 0) + 1
    carried = {tag for d in snapshot.decisions if d.status in ("open", "decided") for tag in d.tags}
    carried |= {tag for q in snapshot.open_questions for tag in q.tags}
    for tag, count in counts.items():
        if count < t.signal_cluster_min or tag in carried:
            continue
        yield trusted(
            RadarItem,
            rule="signal-cluster-undecided",
            severity="medium",
            subject=trusted(Subject, type="theme", key=tag, title=tag),
            facts={"signals": count, "window_start": start, "window_end": as_of},
            explanation=(
                f"{count} customer signals tagged '{tag}' from {start.isoformat()} to {as_of.isoformat()}, "
                "and no open or decided decision or open question carries the tag"
            ),
            surface=None,
        )


@rule(
    "ritual-without-purpose",
    "ritual",
    severity="low",
    description=("An active ritual says neither what decision it informs nor what blocker it surfaces."),
    reads=("rituals",),
)
def ritual_without_purpose(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, and both "what decision does it inform" and "what blocker does it surface" blank (blank
    includes only whitespace). Severity low."""
    for ritual in snapshot.rituals:
        if ritual.active and not ritual.informs_decision.strip() and not ritual.surfaces_blocker.strip():
            yield trusted(
                RadarItem,
                rule="ritual-without-purpose",
                severity="low",
                subject=trusted(Subject, type="ritual", key=ritual.key, title=ritual.title),
                facts={},
                explanation="Active, but it names no decision it informs and no blocker it surfaces",
                surface=ritual.surface,
            )


@rule(
    "ritual-theater",
    "ritual",
    severity="low",
    description=(
        "An active ritual's last {THEATER_WINDOW} held occurrences informed no decision and surfaced no "
        "blocker."
    ),
    reads=("rituals",),
)
def ritual_theater(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Active, ≥ THEATER_WINDOW held occurrences on or before as_of, and the last THEATER_WINDOW of them
    informed no decision and surfaced no blocker. Severity low."""
    for ritual in snapshot.rituals:
        if not ritual.active:
            continue
        held = sorted(
            (o for o in ritual.held if o.held_on <= as_of),
            key=lambda o: (o.held_on, o.decisions_informed, o.blockers_surfaced),
        )
        if len(held) < t.theater_window:
            continue
        last = held[-t.theater_window :]
        if any(o.decisions_informed or o.blockers_surfaced for o in last):
            continue
        first_on, last_on = last[0].held_on, last[-1].held_on
        yield trusted(
            RadarItem,
            rule="ritual-theater",
            severity="low",
            subject=trusted(Subject, type="ritual", key=ritual.key, title=ritual.title),
            facts={"occurrences": len(last), "first_held_on": first_on, "last_held_on": last_on},
            explanation=(
                f"Its last {len(last)} held occurrences, from {first_on.isoformat()} to {last_on.isoformat()}, "
                "informed no decision and surfaced no blocker"
            ),
            surface=ritual.surface,
        )


@rule(
    "brief-not-ready",
    "engagement",
    severity="high if it starts today; medium if tomorrow",
    description=(
        "An engagement starts today or tomorrow and its brief is missing, or has no objective, or no "
        "'one thing that cannot be left unsaid', or a stakeholder whose stance is unknown."
    ),
    reads=("engagements",),
)
def brief_not_ready(snapshot: OrgSnapshot, as_of: date, t: Thresholds) -> Iterator[RadarItem]:
    """Starts (its date in the configured time zone) on as_of or the day after, and its brief is missing,
    or has no objective, or no one thing that cannot be left unsaid, or a stakeholder of unknown stance.
    Severity high if it starts on as_of; else medium."""
    for engagement in snapshot.engagements:
        ahead = days(as_of, engagement.starts_on)
        if ahead not in (0, 1):
            continue
        brief = engagement.brief
        facts: dict[str, FactValue] = {"starts_on": engagement.starts_on}
        if brief is None:
            gaps = ["the brief is missing"]
        else:
            gaps = []
            if not brief.has_objective:
                gaps.append("no objective")
            if not brief.has_one_thing:
                gaps.append("no one thing that cannot be left unsaid")
            if brief.unknown_stance:
                unknown = sorted(brief.unknown_stance)
                facts["unknown_stances"] = len(unknown)
                gaps.append(f"{plural(len(unknown), 'stakeholder')} of unknown stance ({', '.join(unknown)})")
            if not gaps:
                continue
            gaps[0] = f"the brief has {gaps[0]}"
        when = "today" if ahead == 0 else "tomorrow"
        yield trusted(
            RadarItem,
            rule="brief-not-ready",
            severity="high" if ahead == 0 else "medium",
            subject=trusted(Subject, type="engagement", key=engagement.key, title=engagement.title),
            facts=facts,
            explanation=f"Starts {when} ({engagement.starts_on.isoformat()}); {_join(gaps)}",
            surface=engagement.surface,
        )


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]
