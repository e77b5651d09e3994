"""The decision queue: membership, every bucket and their precedence, order, ranks, facts and why."""

from __future__ import annotations

from datetime import date

import pytest

from radar.engine import OrgSnapshot, ReopenConditionFact, evaluate
from radar.engine.results import QueueItem

from .builders import AS_OF, ago, ahead, decision, ws


def queue(**records: object) -> tuple[QueueItem, ...]:
    return evaluate(OrgSnapshot(**records), AS_OF).queue  # type: ignore[arg-type]


def bucket_of(d: object, *workstreams: object) -> str | None:
    items = queue(decisions=[d], workstreams=list(workstreams))
    return items[0].bucket if items else None


@pytest.mark.parametrize(
    ("status", "in_queue"),
    [("draft", False), ("open", True), ("decided", False), ("superseded", False), ("withdrawn", False)],
)
def test_the_queue_holds_open_decisions_only_unless_a_reopen_condition_is_due(
    status: str, in_queue: bool
) -> None:
    assert bool(queue(decisions=[decision(status=status)])) is in_queue


@pytest.mark.parametrize(
    ("needed_by", "bucket"),
    [
        (ago(1), "overdue"),
        (AS_OF, "due-soon"),
        (ahead(7), "due-soon"),
        (ahead(8), "open"),
        (None, "open"),
    ],
)
def test_an_open_decision_is_overdue_due_soon_or_open_by_its_needed_by(
    needed_by: date | None, bucket: str
) -> None:
    assert bucket_of(decision(needed_by=needed_by)) == bucket


def test_blocking_comes_before_due_soon_and_after_overdue() -> None:
    waiting = ws("WS-1", blocked_by_decision="D-1")
    assert bucket_of(decision("D-1", needed_by=ahead(2)), waiting) == "blocking"
    assert bucket_of(decision("D-1", needed_by=None), waiting) == "blocking"
    assert bucket_of(decision("D-1", needed_by=ago(1)), waiting) == "overdue"


def test_inactive_workstreams_do_not_make_a_decision_blocking() -> None:
    assert bucket_of(decision("D-1"), ws("WS-1", state="done", blocked_by_decision="D-1")) == "open"
    assert bucket_of(decision("D-1"), ws("WS-1", state="paused", blocked_by_decision="D-1")) == "open"


@pytest.mark.parametrize(
    ("condition", "in_review"),
    [
        (ReopenConditionFact(), False),
        (ReopenConditionFact(review_on=ahead(1)), False),
        (ReopenConditionFact(review_on=AS_OF), True),
        (ReopenConditionFact(review_on=ago(1)), True),
        (ReopenConditionFact(review_on=ago(5), reviewed_on=ago(6)), True),
        (ReopenConditionFact(review_on=ago(5), reviewed_on=ago(5)), False),
        (ReopenConditionFact(review_on=ago(5), reviewed_on=ago(4)), False),
        (ReopenConditionFact(triggered_on=ahead(1)), False),
        (ReopenConditionFact(triggered_on=AS_OF), True),
        (ReopenConditionFact(triggered_on=ago(3), reviewed_on=ago(4)), True),
        (ReopenConditionFact(triggered_on=ago(3), reviewed_on=ago(3)), False),
        (ReopenConditionFact(triggered_on=ago(3), reviewed_on=ago(1)), False),
        (ReopenConditionFact(review_on=ago(30), triggered_on=ago(2), reviewed_on=ago(10)), True),
        (ReopenConditionFact(review_on=ahead(30), triggered_on=ago(2), reviewed_on=ago(1)), False),
    ],
)
def test_a_decided_decision_is_in_review_while_a_reopen_condition_is_due_or_triggered(
    condition: ReopenConditionFact, in_review: bool
) -> None:
    d = decision(status="decided", decided_on=ago(90), reopen_conditions=(condition,))
    assert bucket_of(d) == ("review" if in_review else None)


@pytest.mark.parametrize("status", ["superseded", "withdrawn", "draft"])
def test_only_decided_decisions_come_back_for_review(status: str) -> None:
    d = decision(status=status, reopen_conditions=(ReopenConditionFact(review_on=ago(1)),))
    assert bucket_of(d) is None


def test_the_queue_orders_by_bucket_then_waiting_then_needed_by_then_opened_on_then_key() -> None:
    decisions = [
        decision("D-1", needed_by=None, opened_on=ago(50)),  # open
        decision(
            "D-2",
            status="decided",
            decided_on=ago(60),
            reopen_conditions=(ReopenConditionFact(review_on=ago(1)),),
        ),
        decision("D-3", needed_by=ahead(3)),  # due-soon
        decision("D-4", needed_by=ago(2)),  # overdue, no waiting
        decision("D-5", needed_by=ago(1)),  # overdue, 1 waiting
        decision("D-6"),  # blocking, 2 waiting
        decision("D-7", needed_by=ahead(20)),  # blocking, 1 waiting, needed_by set
        decision("D-8", opened_on=ago(10)),  # blocking, 1 waiting, no needed_by
        decision("D-9", opened_on=ago(20)),  # blocking, 1 waiting, no needed_by, opened earlier
        decision("D-10"),  # blocking, 1 waiting, nothing else: opened_on none last
        decision("D-11", needed_by=ahead(12), opened_on=ago(1)),  # open with needed_by: before none
        decision("D-12", needed_by=ahead(3)),  # due-soon tie with D-3: key order
    ]
    waiting = {"D-5": 1, "D-6": 2, "D-7": 1, "D-8": 1, "D-9": 1, "D-10": 1}
    workstreams = [
        ws(f"WS-{key}-{n}", blocked_by_decision=key) for key, count in waiting.items() for n in range(count)
    ]
    items = queue(decisions=decisions, workstreams=workstreams)
    assert [(item.rank, item.bucket, item.decision.key) for item in items] == [
        (1, "overdue", "D-5"),
        (2, "overdue", "D-4"),
        (3, "blocking", "D-6"),
        (4, "blocking", "D-7"),
        (5, "blocking", "D-9"),
        (6, "blocking", "D-8"),
        (7, "blocking", "D-10"),
        (8, "due-soon", "D-3"),
        (9, "due-soon", "D-12"),
        (10, "review", "D-2"),
        (11, "open", "D-11"),
        (12, "open", "D-1"),
    ]


def test_keys_tie_in_natural_order() -> None:
    items = queue(decisions=[decision(f"D-{n}") for n in (10, 9, 100, 1)])
    assert [item.decision.key for item in items] == ["D-1", "D-9", "D-10", "D-100"]


def test_queue_items_carry_waiting_needed_by_facts_and_why() -> None:
    (overdue, review) = queue(
        decisions=[
            decision("D-4", title="Pick the eval vendor", needed_by=ago(2)),
            decision(
                "D-2",
                status="decided",
                decided_on=ago(90),
                reopen_conditions=(
                    ReopenConditionFact(review_on=ago(3)),
                    ReopenConditionFact(triggered_on=ago(1)),
                    ReopenConditionFact(review_on=ahead(9)),
                ),
            ),
        ],
        workstreams=[ws("WS-10", blocked_by_decision="D-4"), ws("WS-9", blocked_by_decision="D-4")],
    )
    assert overdue.as_json() == {
        "rank": 1,
        "bucket": "overdue",
        "decision": {"key": "D-4", "title": "Pick the eval vendor"},
        "waiting": 2,
        "needed_by": "2026-11-18",
        "facts": {"days_overdue": 2, "needed_by": "2026-11-18", "waiting": 2},
        "explanation": "Needed by 2026-11-18, 2 days overdue; 2 active workstreams wait on it (WS-9, WS-10)",
    }
    assert review.facts == {
        "decided_on": ago(90),
        "reopen_conditions": 2,
        "review_on": ago(3),
        "triggered_on": ago(1),
    }
    assert review.needed_by is None
    assert review.explanation == (
        "Decided 2026-08-22; 2 reopen conditions to review, triggered on 2026-11-19 and due for review on 2026-11-17"
    )


def test_due_soon_and_open_say_how_many_days_are_left() -> None:
    soon, later = queue(
        decisions=[decision("D-1", needed_by=AS_OF), decision("D-2", needed_by=ahead(30), opened_on=ago(4))]
    )
    assert soon.facts == {"needed_by": AS_OF, "days_left": 0}
    assert soon.explanation == "Needed by 2026-11-20, 0 days left"
    assert later.explanation == "Open since 2026-11-16; needed by 2026-12-20, 30 days left"
