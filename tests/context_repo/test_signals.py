"""Customer signal tracking: signals by theme, counted per week over 12 weeks, drawn as SVG."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from context_repo import queries
from context_repo.models import ContextEntry
from decisions.models import Decision
from tests.context_repo.factories import ContextEntryFactory, DecisionFactory
from tests.context_repo.xss import elements

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
Kind = ContextEntry.Kind


def signal(days_ago: int, *tags: str, today: dt.date = TODAY) -> ContextEntry:
    return ContextEntryFactory(
        kind=Kind.CUSTOMER_SIGNAL, dated_on=today - dt.timedelta(days=days_ago), tags=list(tags)
    )


def theme(tag: str, today: dt.date = TODAY) -> queries.Theme:
    return next(t for t in queries.signal_themes(today) if t.tag == tag)


@pytest.mark.parametrize(
    ("days_ago", "week"),
    [(0, 11), (6, 11), (7, 10), (13, 10), (14, 9), (77, 0), (83, 0)],
)
def test_a_signal_counts_in_its_week_the_last_week_ending_today(days_ago: int, week: int) -> None:
    signal(days_ago, "residency")
    counts = [bar.count for bar in theme("residency").bars]
    assert len(counts) == 12
    assert counts == [1 if i == week else 0 for i in range(12)]


def test_signals_older_than_twelve_weeks_and_other_kinds_are_not_counted() -> None:
    signal(84, "residency")
    ContextEntryFactory(kind=Kind.NOTE, dated_on=TODAY, tags=["residency"])
    signal(-1, "residency")  # dated tomorrow
    assert queries.signal_themes(TODAY) == []


@pytest.mark.parametrize(("days_ago", "recent"), [(0, 1), (13, 1), (14, 0)])
def test_the_recent_count_is_the_radars_fourteen_day_window(days_ago: int, recent: int) -> None:
    signal(days_ago, "residency")
    assert theme("residency").recent == recent


def test_a_cluster_without_a_decision_is_marked(settings) -> None:
    for days_ago in (2, 6, 11):
        signal(days_ago, "eval-data-residency")
    signal(3, "fedramp-high")
    signal(5, "fedramp-high")
    signal(9, "fedramp-high")
    ContextEntryFactory(kind=Kind.OPEN_QUESTION, status="open", title="FedRAMP High?", tags=["fedramp-high"])
    themes = queries.signal_themes(TODAY)
    assert [t.tag for t in themes] == ["eval-data-residency", "fedramp-high"]  # the undecided cluster first
    residency, fedramp = themes
    assert residency.undecided_cluster and residency.state == "none"
    assert not fedramp.undecided_cluster and fedramp.state == "deciding"
    assert [q.title for q in fedramp.open_questions] == ["FedRAMP High?"]


@pytest.mark.parametrize(
    ("status", "state", "cluster"),
    [
        (Decision.Status.DECIDED, "decided", False),
        (Decision.Status.OPEN, "deciding", False),
        (Decision.Status.DRAFT, "none", True),  # a draft is not yet in the queue (RULES.md)
        (Decision.Status.WITHDRAWN, "none", True),
    ],
)
def test_a_decision_carrying_the_tag_settles_the_theme(status, state, cluster) -> None:
    for days_ago in (1, 2, 3):
        signal(days_ago, "burst-limits")
    DecisionFactory(title="Bookable capacity", status=status, tags=["burst-limits"])
    found = theme("burst-limits")
    assert [d.title for d in found.decisions] == ["Bookable capacity"]
    assert (found.state, found.undecided_cluster) == (state, cluster)


def test_a_resolved_open_question_no_longer_counts() -> None:
    for days_ago in (1, 2, 3):
        signal(days_ago, "audit-export")
    ContextEntryFactory(kind=Kind.OPEN_QUESTION, status="resolved", tags=["audit-export"])
    assert theme("audit-export").undecided_cluster


def test_the_threshold_follows_the_rules_settings(settings) -> None:
    settings.LEADERSHIP_OS_RULES = {**settings.LEADERSHIP_OS_RULES, "SIGNAL_CLUSTER_MIN": "2"}
    signal(1, "two-only")
    signal(2, "two-only")
    assert theme("two-only").undecided_cluster


def test_bars_are_scaled_to_the_busiest_week_of_all_themes() -> None:
    for _ in range(4):
        signal(1, "busy")
    signal(1, "quiet")
    signal(8, "quiet")
    busy, quiet = theme("busy"), theme("quiet")
    assert busy.bars[11].height == 46.0 and busy.bars[11].y == 2.0
    assert quiet.bars[11].height == 11.5 and quiet.bars[10].height == 11.5
    assert quiet.bars[0].height == 0
    assert [bar.recent for bar in quiet.bars] == [False] * 10 + [True, True]
    assert quiet.description.endswith("oldest first: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1.")


def test_the_page_draws_each_theme_as_an_accessible_svg_without_inline_style(client_as) -> None:
    today = timezone.localdate()
    for days_ago in (2, 6, 11):
        signal(days_ago, "eval-data-residency", today=today)
    signal(20, "fedramp-high", today=today)
    decision = DecisionFactory(
        title="Pursue FedRAMP High", status=Decision.Status.DECIDED, tags=["fedramp-high"]
    )
    question = ContextEntryFactory(
        kind=Kind.OPEN_QUESTION, status="open", title="Which boundary?", tags=["fedramp-high"]
    )
    response = client_as("viewer").get("/context/signals/")
    html = response.content.decode()
    assert response.status_code == 200
    svgs = [attrs for tag, attrs in elements(html) if tag == "svg" and ("class", "week-bars") in attrs]
    assert len(svgs) == 2
    for attrs in svgs:
        values = dict(attrs)
        assert values["role"] == "img" and values["aria-labelledby"]
        for label_id in values["aria-labelledby"].split():
            assert f'id="{label_id}"' in html
    assert all(name != "style" for _, attrs in elements(html) for name, _ in attrs)
    assert "<style" not in html
    assert html.count('class="week-bars-bar') == 24
    assert "oldest first: 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2." in html
    assert "No decision yet: no decision or open question carries this tag." in html
    assert f'href="/decisions/{decision.key}/"' in html
    assert f'href="/context/{question.key}/"' in html
    assert 'href="/context/?kind=customer_signal&amp;tag=eval-data-residency"' in html
    assert "1 theme with recent signals and no decision yet" in html


def test_the_page_queries_do_not_grow_with_signals(client_as, django_assert_max_num_queries) -> None:
    client = client_as("viewer")
    today = timezone.localdate()
    signal(1, "a", today=today)
    client.get("/context/signals/")
    with django_assert_max_num_queries(12) as few:
        client.get("/context/signals/")
    for n in range(60):
        signal(n % 80, f"theme-{n % 7}", "a", today=today)
    for n in range(7):
        DecisionFactory(tags=[f"theme-{n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/context/signals/")
