"""Radar order, RULES.md's JSON shape, the text form, and byte-for-byte determinism."""

from __future__ import annotations

import json
import random

import pytest
from pydantic import ValidationError

from radar.engine import (
    BriefFact,
    OccurrenceFact,
    OpenQuestionFact,
    OrgSnapshot,
    ReopenConditionFact,
    evaluate,
)

from .builders import AS_OF, ago, ahead, commitment, decision, engagement, radar, ritual, signal, ws


def busy_org() -> OrgSnapshot:
    """An org where every rule fires at least once, and most queue buckets are used."""
    return OrgSnapshot(
        workstreams=(
            ws(
                "WS-10",
                state="blocked",
                blocked_since=ago(5),
                blocker="legal review of data terms",
                escalation="watching",
            ),
            ws("WS-9", state="blocked", blocked_since=ago(4), blocked_by_decision="D-4"),
            ws(
                "WS-2",
                state="at_risk",
                escalation="escalated",
                escalated_on=ago(6),
                blocked_by_decision="D-4",
            ),
            ws("WS-3", owner=None, last_update_on=ago(15)),
            ws("WS-4", last_update_on=ago(8), next_decision_on=ago(1), next_decision="D-7"),
            ws("WS-5", next_decision_on=ahead(2), next_decision="D-5"),
            ws("WS-6", state="done", owner=None, last_update_on=ago(40)),
            ws("WS-7", state="paused", owner=None, blocked_by_decision="D-5"),
        ),
        decisions=(
            decision("D-4", title="Which eval vendor", needed_by=ago(1), tags=("evals",)),
            decision("D-5", status="draft", tags=("latency",)),
            decision("D-7", needed_by=ahead(5), opened_on=ago(9)),
            decision("D-12", needed_by=ahead(40), opened_on=ago(3)),
            decision(
                "D-3",
                status="decided",
                decided_on=ago(100),
                reopen_conditions=(ReopenConditionFact(triggered_on=ago(2)),),
            ),
        ),
        commitments=(
            commitment("C-1", due_on=ago(8)),
            commitment("C-2", due_on=ago(1)),
            commitment("C-3", due_on=ago(3), done_on=ago(2)),
        ),
        signals=(
            signal("S-1", "latency", "gpu", dated_on=ago(2)),
            signal("S-2", "latency", dated_on=ago(13)),
            signal("S-3", "latency", "gpu"),
            signal("S-4", "gpu", "evals"),
            signal("S-5", "pricing", "evals"),
            signal("S-6", "pricing", "evals"),
            signal("S-7", "pricing"),
        ),
        open_questions=(OpenQuestionFact(key="Q-1", tags=("pricing",)),),
        rituals=(
            ritual("R-2", informs_decision="", surfaces_blocker=""),
            ritual("R-1", held=tuple(OccurrenceFact(held_on=ago(7 * n)) for n in range(5))),
        ),
        engagements=(
            engagement("E-2", starts_on=AS_OF, brief=None),
            engagement("E-1", starts_on=ahead(1), brief=BriefFact(has_objective=True, has_one_thing=False)),
        ),
    )


def test_every_rule_fires_on_the_busy_org() -> None:
    fired = {item.rule for item in evaluate(busy_org(), AS_OF).radar}
    assert len(fired) == 12


def test_the_radar_is_ordered_by_severity_then_rule_row_then_natural_key() -> None:
    items = evaluate(busy_org(), AS_OF).radar
    assert [(item.severity, item.rule, item.subject.key) for item in items] == [
        ("high", "blocked-not-escalated", "WS-9"),
        ("high", "blocked-not-escalated", "WS-10"),
        ("high", "escalation-stalled", "WS-2"),
        ("high", "stale-update", "WS-3"),
        ("high", "decision-point-overdue", "WS-4"),
        ("high", "waiting-on-decision", "D-4"),
        ("high", "slipped-commitment", "C-1"),
        ("high", "brief-not-ready", "E-2"),
        ("medium", "stale-update", "WS-4"),
        ("medium", "no-owner", "WS-3"),
        ("medium", "decision-point-unprepared", "WS-5"),
        ("medium", "slipped-commitment", "C-2"),
        ("medium", "signal-cluster-undecided", "gpu"),
        ("medium", "signal-cluster-undecided", "latency"),
        ("medium", "brief-not-ready", "E-1"),
        ("low", "ritual-without-purpose", "R-2"),
        ("low", "ritual-theater", "R-1"),
    ]


def test_natural_order_puts_ws_9_before_ws_10_and_ws_100() -> None:
    items = radar(workstreams=[ws(f"WS-{n}", owner=None) for n in (100, 10, 9, 1)])
    assert [item.subject.key for item in items] == ["WS-1", "WS-9", "WS-10", "WS-100"]


def test_the_queue_of_the_busy_org() -> None:
    queue = evaluate(busy_org(), AS_OF).queue
    assert [(item.rank, item.bucket, item.decision.key, item.waiting) for item in queue] == [
        (1, "overdue", "D-4", 2),
        (2, "due-soon", "D-7", 0),
        (3, "review", "D-3", 0),
        (4, "open", "D-12", 0),
    ]


def test_the_json_is_rules_md_s_shape() -> None:
    document = json.loads(evaluate(busy_org(), AS_OF).to_json())
    assert list(document) == ["as_of", "radar", "queue"]
    assert document["as_of"] == "2026-11-20"
    first = document["radar"][1]
    assert first == {
        "rule": "blocked-not-escalated",
        "severity": "high",
        "subject": {"type": "workstream", "key": "WS-10", "title": "Workstream WS-10"},
        "facts": {"blocked_since": "2026-11-15", "days_blocked": 5, "escalation": "watching"},
        "explanation": "Blocked 5 days on 'legal review of data terms' since 2026-11-15; escalation is 'watching'",
    }
    for item in document["radar"]:
        assert list(item) == ["rule", "severity", "subject", "facts", "explanation"]
        assert list(item["facts"]) == sorted(item["facts"])
    for item in document["queue"]:
        assert list(item) == ["rank", "bucket", "decision", "waiting", "needed_by", "facts", "explanation"]
        assert list(item["facts"]) == sorted(item["facts"])


def test_the_same_snapshot_gives_the_same_bytes() -> None:
    assert evaluate(busy_org(), AS_OF).to_json() == evaluate(busy_org(), AS_OF).to_json()


def shuffled(snapshot: OrgSnapshot, seed: int) -> OrgSnapshot:
    rng = random.Random(seed)

    def mix(values: tuple[object, ...]) -> tuple[object, ...]:
        values = list(values)  # type: ignore[assignment]
        rng.shuffle(values)  # type: ignore[arg-type]
        return tuple(values)

    changes: dict[str, object] = {}
    for name in type(snapshot).model_fields:
        records = []
        for record in getattr(snapshot, name):
            inner = {
                field: mix(value)
                for field, value in record
                if isinstance(value, tuple) and field in ("tags", "held", "reopen_conditions")
            }
            if name == "engagements" and record.brief is not None:
                inner["brief"] = record.brief.model_copy(
                    update={"unknown_stance": mix(record.brief.unknown_stance)}
                )
            records.append(record.model_copy(update=inner))
        changes[name] = mix(tuple(records))
    return snapshot.model_copy(update=changes)


def test_shuffling_the_snapshot_s_lists_changes_no_byte() -> None:
    expected = evaluate(busy_org(), AS_OF).to_json()
    for seed in range(20):
        assert evaluate(shuffled(busy_org(), seed), AS_OF).to_json() == expected


def test_the_text_form_lists_radar_then_queue() -> None:
    text = evaluate(busy_org(), AS_OF).to_text()
    lines = text.splitlines()
    assert lines[0] == "Blocker radar as of 2026-11-20: 17 items"
    assert "Decision queue: 4 decisions" in lines
    assert "Blocked 5 days on 'legal review of data terms' since 2026-11-15; escalation is 'watching'" in text
    assert lines.index("Decision queue: 4 decisions") > lines.index(
        next(line for line in lines if "ritual-theater" in line)
    )


def test_an_empty_org_gives_an_empty_radar_and_queue() -> None:
    result = evaluate(OrgSnapshot(), AS_OF)
    assert result.to_json() == '{\n  "as_of": "2026-11-20",\n  "radar": [],\n  "queue": []\n}'


def test_a_snapshot_refuses_a_key_twice() -> None:
    with pytest.raises(ValidationError, match="'WS-1' appears twice"):
        OrgSnapshot(workstreams=(ws("WS-1"), ws("WS-1")))
