"""Each radar rule at the day before, at, and after its threshold, with its severity and its facts."""

from __future__ import annotations

import pytest

from radar.engine import BriefFact, OccurrenceFact, OpenQuestionFact

from .builders import AS_OF, ago, ahead, commitment, decision, engagement, fired, ritual, signal, ws

# blocked-not-escalated ------------------------------------------------------------------------------


@pytest.mark.parametrize(("blocked_days", "fires"), [(2, False), (3, True), (4, True)])
def test_blocked_not_escalated_fires_from_three_days_blocked(blocked_days: int, fires: bool) -> None:
    items = fired(
        "blocked-not-escalated",
        workstreams=[
            ws(state="blocked", blocked_since=ago(blocked_days), blocker="legal review of data terms")
        ],
    )
    assert bool(items) is fires
    if fires:
        (item,) = items
        assert item.severity == "high"
        assert item.facts == {
            "days_blocked": blocked_days,
            "blocked_since": ago(blocked_days),
            "escalation": "none",
        }
        assert f"Blocked {blocked_days} days on 'legal review of data terms'" in item.explanation


@pytest.mark.parametrize(
    ("escalation", "fires"), [("none", True), ("watching", True), ("escalated", False), ("resolved", False)]
)
def test_blocked_not_escalated_only_while_escalation_is_none_or_watching(
    escalation: str, fires: bool
) -> None:
    items = fired(
        "blocked-not-escalated",
        workstreams=[ws(state="blocked", blocked_since=ago(5), escalation=escalation, escalated_on=ago(1))],
    )
    assert bool(items) is fires


@pytest.mark.parametrize(("last_update", "fires"), [(2, False), (3, True), (4, True)])
def test_blocked_not_escalated_counts_from_the_last_update_without_blocked_since(
    last_update: int, fires: bool
) -> None:
    items = fired("blocked-not-escalated", workstreams=[ws(state="blocked", last_update_on=ago(last_update))])
    assert bool(items) is fires
    if fires:
        assert items[0].facts["last_update_on"] == ago(last_update)


def test_blocked_not_escalated_counts_from_creation_without_any_update() -> None:
    (item,) = fired(
        "blocked-not-escalated", workstreams=[ws(state="blocked", last_update_on=None, created_on=ago(3))]
    )
    assert item.facts["days_blocked"] == 3


@pytest.mark.parametrize("state", ["on_track", "at_risk", "paused", "done"])
def test_blocked_not_escalated_needs_the_blocked_state(state: str) -> None:
    assert not fired("blocked-not-escalated", workstreams=[ws(state=state, blocked_since=ago(10))])


# escalation-stalled ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("escalated_days", "fires"), [(4, False), (5, True), (6, True)])
def test_escalation_stalled_fires_from_five_days_escalated(escalated_days: int, fires: bool) -> None:
    items = fired(
        "escalation-stalled",
        workstreams=[ws(state="blocked", escalation="escalated", escalated_on=ago(escalated_days))],
    )
    assert bool(items) is fires
    if fires:
        assert items[0].severity == "high"
        assert items[0].facts == {
            "days_escalated": escalated_days,
            "escalated_on": ago(escalated_days),
            "state": "blocked",
        }


@pytest.mark.parametrize(
    ("state", "fires"),
    [("blocked", True), ("at_risk", True), ("on_track", False), ("done", False), ("paused", False)],
)
def test_escalation_stalled_only_while_blocked_or_at_risk(state: str, fires: bool) -> None:
    items = fired(
        "escalation-stalled", workstreams=[ws(state=state, escalation="escalated", escalated_on=ago(9))]
    )
    assert bool(items) is fires


def test_escalation_stalled_needs_an_escalation_date_and_the_escalated_state() -> None:
    assert not fired("escalation-stalled", workstreams=[ws(state="blocked", escalation="escalated")])
    assert not fired(
        "escalation-stalled", workstreams=[ws(state="blocked", escalation="watching", escalated_on=ago(9))]
    )


# stale-update ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "severity"),
    [(6, None), (7, "medium"), (8, "medium"), (13, "medium"), (14, "high"), (15, "high")],
)
def test_stale_update_is_medium_from_seven_days_and_high_from_fourteen(
    age: int, severity: str | None
) -> None:
    items = fired("stale-update", workstreams=[ws(last_update_on=ago(age))])
    assert [item.severity for item in items] == ([severity] if severity else [])
    if severity:
        assert items[0].facts == {"days_since_update": age, "last_update_on": ago(age)}


@pytest.mark.parametrize(("age", "fires"), [(6, False), (7, True)])
def test_stale_update_counts_from_creation_without_any_update(age: int, fires: bool) -> None:
    items = fired("stale-update", workstreams=[ws(last_update_on=None, created_on=ago(age))])
    assert bool(items) is fires
    if fires:
        assert items[0].facts == {"days_since_update": age, "created_on": ago(age)}


# no-owner -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "fires"),
    [("on_track", True), ("blocked", True), ("at_risk", True), ("paused", False), ("done", False)],
)
def test_no_owner_fires_for_an_active_workstream_without_owner(state: str, fires: bool) -> None:
    items = fired("no-owner", workstreams=[ws(owner=None, state=state)])
    assert [item.severity for item in items] == (["medium"] if fires else [])


def test_no_owner_is_silent_when_someone_owns_it() -> None:
    assert not fired("no-owner", workstreams=[ws(owner="ana")])


# decision-point-overdue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "fires"), [(ahead(1), False), (AS_OF, False), (ago(1), True), (ago(2), True)]
)
def test_decision_point_overdue_fires_the_day_after_the_point(point: object, fires: bool) -> None:
    items = fired(
        "decision-point-overdue",
        workstreams=[ws(next_decision_on=point, next_decision="D-1")],
        decisions=[decision("D-1", status="open")],
    )
    assert bool(items) is fires
    if fires:
        assert items[0].severity == "high"
        assert items[0].facts["decision_status"] == "open"


@pytest.mark.parametrize(
    ("status", "fires"),
    [("draft", True), ("open", True), ("decided", False), ("superseded", True), ("withdrawn", True)],
)
def test_decision_point_overdue_is_cleared_only_by_a_decided_decision(status: str, fires: bool) -> None:
    items = fired(
        "decision-point-overdue",
        workstreams=[ws(next_decision_on=ago(1), next_decision="D-1")],
        decisions=[decision("D-1", status=status)],
    )
    assert bool(items) is fires


@pytest.mark.parametrize("linked", [None, "D-404"])
def test_decision_point_overdue_fires_when_the_linked_decision_is_missing(linked: str | None) -> None:
    (item,) = fired("decision-point-overdue", workstreams=[ws(next_decision_on=ago(3), next_decision=linked)])
    assert item.facts == {"days_overdue": 3, "next_decision_on": ago(3)}
    assert "no decision is linked" in item.explanation


def test_decision_point_overdue_ignores_inactive_workstreams() -> None:
    assert not fired("decision-point-overdue", workstreams=[ws(state="done", next_decision_on=ago(3))])


# decision-point-unprepared --------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "fires"), [(-1, False), (0, True), (1, True), (2, True), (3, False)])
def test_decision_point_unprepared_looks_from_today_to_two_days_ahead(offset: int, fires: bool) -> None:
    items = fired("decision-point-unprepared", workstreams=[ws(next_decision_on=ahead(offset))])
    assert [item.severity for item in items] == (["medium"] if fires else [])


@pytest.mark.parametrize(
    ("status", "options", "fires"),
    [
        ("draft", 3, True),
        ("open", 0, True),
        ("open", 1, True),
        ("open", 2, False),
        ("decided", 0, False),
        ("withdrawn", 0, False),
    ],
)
def test_decision_point_unprepared_judges_the_linked_decision(status: str, options: int, fires: bool) -> None:
    items = fired(
        "decision-point-unprepared",
        workstreams=[ws(next_decision_on=ahead(1), next_decision="D-1")],
        decisions=[decision("D-1", status=status, options_count=options)],
    )
    assert bool(items) is fires


# waiting-on-decision --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waiting", "needed_by", "severity"),
    [
        (0, None, None),
        (1, None, "medium"),
        (1, ahead(1), "medium"),
        (1, AS_OF, "medium"),
        (1, ago(1), "high"),
        (2, None, "high"),
        (3, ahead(5), "high"),
    ],
)
def test_waiting_on_decision_is_high_from_two_waiting_or_once_overdue(
    waiting: int, needed_by: object, severity: str | None
) -> None:
    items = fired(
        "waiting-on-decision",
        workstreams=[
            ws(f"WS-{n}", state="blocked", blocked_by_decision="D-1", escalation="escalated")
            for n in range(waiting)
        ],
        decisions=[decision("D-1", needed_by=needed_by)],
    )
    assert [item.severity for item in items] == ([severity] if severity else [])
    if severity:
        assert items[0].facts["waiting"] == waiting
        assert items[0].subject.type == "decision"


def test_waiting_on_decision_counts_only_active_workstreams_of_an_open_decision() -> None:
    waiting = [
        ws("WS-1", blocked_by_decision="D-1"),
        ws("WS-2", state="done", blocked_by_decision="D-1"),
        ws("WS-3", state="paused", blocked_by_decision="D-1"),
    ]
    (item,) = fired("waiting-on-decision", workstreams=waiting, decisions=[decision("D-1")])
    assert item.facts["waiting"] == 1
    assert item.severity == "medium"
    for status in ("draft", "decided", "superseded", "withdrawn"):
        assert not fired(
            "waiting-on-decision", workstreams=waiting, decisions=[decision("D-1", status=status)]
        )


# slipped-commitment ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late", "severity"), [(-1, None), (0, None), (1, "medium"), (6, "medium"), (7, "high"), (8, "high")]
)
def test_slipped_commitment_is_medium_once_late_and_high_from_seven_days(
    late: int, severity: str | None
) -> None:
    items = fired("slipped-commitment", commitments=[commitment(due_on=ago(late))])
    assert [item.severity for item in items] == ([severity] if severity else [])
    if severity:
        assert items[0].facts == {"days_late": late, "due_on": ago(late)}


def test_slipped_commitment_is_silent_once_done() -> None:
    assert not fired("slipped-commitment", commitments=[commitment(due_on=ago(9), done_on=ago(2))])


# signal-cluster-undecided ---------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "fires"), [(2, False), (3, True), (4, True)])
def test_signal_cluster_fires_from_three_signals_with_a_tag(count: int, fires: bool) -> None:
    items = fired("signal-cluster-undecided", signals=[signal(f"S-{n}", "latency") for n in range(count)])
    assert bool(items) is fires
    if fires:
        (item,) = items
        assert item.severity == "medium"
        assert (item.subject.type, item.subject.key, item.subject.title) == ("theme", "latency", "latency")
        assert item.facts == {"signals": count, "window_start": ago(13), "window_end": AS_OF}


@pytest.mark.parametrize(("oldest", "fires"), [(12, True), (13, True), (14, False), (-1, False)])
def test_signal_cluster_window_is_the_last_fourteen_days_both_included(oldest: int, fires: bool) -> None:
    signals = [
        signal("S-1", "latency", dated_on=ago(oldest)),
        signal("S-2", "latency"),
        signal("S-3", "latency", dated_on=ago(1)),
    ]
    assert bool(fired("signal-cluster-undecided", signals=signals)) is fires


@pytest.mark.parametrize(
    ("status", "fires"),
    [("draft", True), ("open", False), ("decided", False), ("superseded", True), ("withdrawn", True)],
)
def test_signal_cluster_is_silenced_by_an_open_or_decided_decision_with_the_tag(
    status: str, fires: bool
) -> None:
    signals = [signal(f"S-{n}", "latency") for n in range(3)]
    items = fired(
        "signal-cluster-undecided", signals=signals, decisions=[decision(status=status, tags=("latency",))]
    )
    assert bool(items) is fires


def test_signal_cluster_is_silenced_by_an_open_question_with_the_tag() -> None:
    signals = [signal(f"S-{n}", "latency", "pricing") for n in range(3)]
    items = fired(
        "signal-cluster-undecided",
        signals=signals,
        open_questions=[OpenQuestionFact(key="Q-1", tags=("latency",))],
    )
    assert [item.subject.key for item in items] == ["pricing"]


def test_signal_cluster_counts_a_signal_once_per_tag() -> None:
    assert not fired(
        "signal-cluster-undecided", signals=[signal("S-1", "gpu", "gpu", "gpu"), signal("S-2", "gpu")]
    )


# ritual-without-purpose -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("informs", "surfaces", "active", "fires"),
    [
        ("", "", True, True),
        ("  ", "\n", True, True),
        ("Launch go/no-go", "", True, False),
        ("", "Eval capacity", True, False),
        ("", "", False, False),
    ],
)
def test_ritual_without_purpose_needs_both_purposes_blank(
    informs: str, surfaces: str, active: bool, fires: bool
) -> None:
    items = fired(
        "ritual-without-purpose",
        rituals=[ritual(informs_decision=informs, surfaces_blocker=surfaces, active=active)],
    )
    assert [item.severity for item in items] == (["low"] if fires else [])


# ritual-theater -------------------------------------------------------------------------------------


def held(*days_ago: int, decisions: int = 0, blockers: int = 0) -> tuple[OccurrenceFact, ...]:
    return tuple(
        OccurrenceFact(held_on=ago(n), decisions_informed=decisions, blockers_surfaced=blockers)
        for n in days_ago
    )


@pytest.mark.parametrize(("count", "fires"), [(3, False), (4, True), (5, True)])
def test_ritual_theater_needs_four_empty_held_occurrences(count: int, fires: bool) -> None:
    items = fired("ritual-theater", rituals=[ritual(held=held(*(7 * n for n in range(count))))])
    assert [item.severity for item in items] == (["low"] if fires else [])
    if fires:
        assert items[0].facts == {"occurrences": 4, "first_held_on": ago(21), "last_held_on": AS_OF}


def test_ritual_theater_looks_only_at_the_last_four_held_occurrences() -> None:
    productive_long_ago = held(35, decisions=2)
    assert fired("ritual-theater", rituals=[ritual(held=held(0, 7, 14, 21) + productive_long_ago)])
    assert not fired("ritual-theater", rituals=[ritual(held=held(0, 7, 14) + held(21, blockers=1))])
    assert not fired("ritual-theater", rituals=[ritual(held=held(7, 14, 21) + held(0, decisions=1))])


def test_ritual_theater_ignores_occurrences_after_as_of() -> None:
    assert not fired("ritual-theater", rituals=[ritual(held=held(0, 7, 14, -7))])
    assert fired("ritual-theater", rituals=[ritual(held=held(7, 14, 21, 28) + held(-1, decisions=1))])


def test_ritual_theater_ignores_retired_rituals() -> None:
    assert not fired("ritual-theater", rituals=[ritual(active=False, held=held(0, 7, 14, 21))])


# brief-not-ready ------------------------------------------------------------------------------------

READY = BriefFact(has_objective=True, has_one_thing=True)


@pytest.mark.parametrize(("offset", "severity"), [(-1, None), (0, "high"), (1, "medium"), (2, None)])
def test_brief_not_ready_is_high_today_and_medium_tomorrow(offset: int, severity: str | None) -> None:
    items = fired("brief-not-ready", engagements=[engagement(starts_on=ahead(offset), brief=None)])
    assert [item.severity for item in items] == ([severity] if severity else [])
    if severity:
        assert "the brief is missing" in items[0].explanation


@pytest.mark.parametrize(
    ("brief", "fires"),
    [
        (READY, False),
        (READY.model_copy(update={"has_objective": False}), True),
        (READY.model_copy(update={"has_one_thing": False}), True),
        (READY.model_copy(update={"unknown_stance": ("Bo Chen",)}), True),
    ],
)
def test_brief_not_ready_checks_objective_one_thing_and_stances(brief: BriefFact, fires: bool) -> None:
    items = fired("brief-not-ready", engagements=[engagement(brief=brief)])
    assert bool(items) is fires


def test_brief_not_ready_counts_stakeholders_of_unknown_stance() -> None:
    brief = BriefFact(has_objective=False, has_one_thing=True, unknown_stance=("Bo Chen", "Ada Li"))
    (item,) = fired("brief-not-ready", engagements=[engagement(starts_on=ahead(1), brief=brief)])
    assert item.facts == {"starts_on": ahead(1), "unknown_stances": 2}
    assert item.explanation == (
        "Starts tomorrow (2026-11-21); the brief has no objective and 2 stakeholders of unknown stance (Ada Li, Bo Chen)"
    )
