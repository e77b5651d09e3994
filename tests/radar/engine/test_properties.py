"""Properties over generated orgs: what must hold whatever the org looks like."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.engine import (
    BUCKETS,
    SEVERITIES,
    BriefFact,
    CommitmentFact,
    DecisionFact,
    EngagementFact,
    OccurrenceFact,
    OpenQuestionFact,
    OrgSnapshot,
    ReopenConditionFact,
    RitualFact,
    SignalFact,
    WorkstreamFact,
    evaluate,
    natural_key,
)
from radar.engine.results import FactValue

from .builders import AS_OF, RULE_ROWS
from .test_output import shuffled

settings.register_profile(
    "engine", suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)

TAGS = ("gpu", "latency", "pricing", "evals")
PEOPLE = ("ana", "bo", "cy")


def near(days: int = 40) -> st.SearchStrategy[date]:
    return st.integers(-days, days).map(lambda n: AS_OF + timedelta(days=n))


def maybe[T](strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def keyed[T](
    prefix: str, build: st.SearchStrategy[dict[str, object]], model: type[T], size: int = 12
) -> st.SearchStrategy[tuple[T, ...]]:
    """Records with unique keys PREFIX-1..PREFIX-n (numbers drawn, so natural order matters)."""
    return st.lists(st.tuples(st.integers(1, 12), build), max_size=size, unique_by=lambda pair: pair[0]).map(
        lambda pairs: tuple(model(key=f"{prefix}-{n}", **fields) for n, fields in pairs)  # type: ignore[call-arg]
    )


decision_keys = st.sampled_from([f"D-{n}" for n in range(1, 13)])

workstreams = keyed(
    "WS",
    st.fixed_dictionaries(
        {
            "title": st.text(max_size=12),
            "owner": maybe(st.sampled_from(PEOPLE)),
            "state": st.sampled_from(["on_track", "at_risk", "blocked", "paused", "done"]),
            "created_on": near(),
            "last_update_on": maybe(near()),
            "next_decision_on": maybe(near(6)),
            "next_decision": maybe(decision_keys),
            "blocker": st.sampled_from(["", "legal review", "GPU quota"]),
            "blocked_since": maybe(near(10)),
            "blocked_by_decision": maybe(decision_keys),
            "escalation": st.sampled_from(["none", "watching", "escalated", "resolved"]),
            "escalated_on": maybe(near(10)),
        }
    ),
    WorkstreamFact,
)

conditions = st.builds(
    ReopenConditionFact, review_on=maybe(near(10)), triggered_on=maybe(near(10)), reviewed_on=maybe(near(10))
)

decisions = keyed(
    "D",
    st.fixed_dictionaries(
        {
            "title": st.text(max_size=12),
            "status": st.sampled_from(["draft", "open", "decided", "superseded", "withdrawn"]),
            "tags": st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
            "needed_by": maybe(near(12)),
            "opened_on": maybe(near()),
            "decided_on": maybe(near()),
            "options_count": st.integers(0, 3),
            "reopen_conditions": st.lists(conditions, max_size=3).map(tuple),
        }
    ),
    DecisionFact,
    size=12,
)

commitments = keyed(
    "C",
    st.fixed_dictionaries(
        {"description": st.text(max_size=12), "due_on": near(12), "done_on": maybe(near(12))}
    ),
    CommitmentFact,
)

signals = keyed(
    "S",
    st.fixed_dictionaries(
        {"tags": st.lists(st.sampled_from(TAGS), max_size=3).map(tuple), "dated_on": near(16)}
    ),
    SignalFact,
    size=12,
)

open_questions = keyed(
    "Q",
    st.fixed_dictionaries({"tags": st.lists(st.sampled_from(TAGS), max_size=1).map(tuple)}),
    OpenQuestionFact,
    size=2,
)

occurrences = st.builds(
    OccurrenceFact,
    held_on=near(40),
    decisions_informed=st.sampled_from([0, 0, 0, 0, 0, 1]),
    blockers_surfaced=st.sampled_from([0, 0, 0, 2]),
)

rituals = keyed(
    "R",
    st.fixed_dictionaries(
        {
            "title": st.text(max_size=12),
            "active": st.booleans(),
            "informs_decision": st.sampled_from(["", " ", "Launch go/no-go"]),
            "surfaces_blocker": st.sampled_from(["", "Eval capacity"]),
            "held": st.lists(occurrences, min_size=3, max_size=7).map(tuple),
        }
    ),
    RitualFact,
    size=5,
)

briefs = st.builds(
    BriefFact,
    has_objective=st.booleans(),
    has_one_thing=st.booleans(),
    unknown_stance=st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True).map(tuple),
)

engagements = keyed(
    "E",
    st.fixed_dictionaries({"title": st.text(max_size=12), "starts_on": near(2), "brief": maybe(briefs)}),
    EngagementFact,
    size=5,
)

orgs = st.builds(
    OrgSnapshot,
    workstreams=workstreams,
    decisions=decisions,
    commitments=commitments,
    signals=signals,
    open_questions=open_questions,
    rituals=rituals,
    engagements=engagements,
)

PROFILE = settings(settings.get_profile("engine"), max_examples=150)


def _text(value: FactValue) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@PROFILE
@given(orgs)
def test_no_item_is_about_a_done_or_paused_workstream(org: OrgSnapshot) -> None:
    inactive = {w.key for w in org.workstreams if w.state in ("done", "paused")}
    for item in evaluate(org, AS_OF).radar:
        assert not (item.subject.type == "workstream" and item.subject.key in inactive)


@PROFILE
@given(orgs)
def test_every_explanation_names_the_facts_it_used(org: OrgSnapshot) -> None:
    result = evaluate(org, AS_OF)
    for item in (*result.radar, *result.queue):
        for name, value in item.facts.items():
            assert _text(value) in item.explanation, (name, value, item.explanation)
        assert item.explanation and "\n" not in item.explanation


@PROFILE
@given(orgs)
def test_a_rule_fires_once_per_subject_and_the_radar_is_in_order(org: OrgSnapshot) -> None:
    radar = evaluate(org, AS_OF).radar
    pairs = [(item.rule, item.subject.key) for item in radar]
    assert len(pairs) == len(set(pairs))
    keys = [
        (SEVERITIES.index(i.severity), RULE_ROWS.index(i.rule), natural_key(i.subject.key)) for i in radar
    ]
    assert keys == sorted(keys)


@PROFILE
@given(orgs)
def test_the_queue_is_ranked_from_one_in_bucket_order(org: OrgSnapshot) -> None:
    queue = evaluate(org, AS_OF).queue
    assert [item.rank for item in queue] == list(range(1, len(queue) + 1))
    buckets = [BUCKETS.index(item.bucket) for item in queue]
    assert buckets == sorted(buckets)
    open_keys = {d.key for d in org.decisions if d.status == "open"}
    assert open_keys <= {item.decision.key for item in queue}
    for item in queue:
        waiting = [
            w
            for w in org.workstreams
            if w.blocked_by_decision == item.decision.key and w.state not in ("done", "paused")
        ]
        assert item.waiting == len(waiting)


@PROFILE
@given(orgs, st.integers(0, 1000))
def test_the_order_of_the_snapshot_s_lists_changes_no_byte(org: OrgSnapshot, seed: int) -> None:
    assert evaluate(shuffled(org, seed), AS_OF).to_json() == evaluate(org, AS_OF).to_json()
