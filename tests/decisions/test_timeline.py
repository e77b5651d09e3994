"""The timeline: decisions over time by surface, drawn as SVG on the server, accessible, no script."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from decisions import timeline
from decisions.models import Decision
from tests.decisions.factories import DecisionFactory, decided
from tests.factories import SurfaceFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_the_timeline_draws_one_lane_per_surface_and_one_link_per_decision(client_as) -> None:
    gov = SurfaceFactory(key="government", name="Government")
    SurfaceFactory(key="frontier-labs", name="Frontier labs")
    old = decided(title="Per-seat pricing", surface=gov)
    DecisionFactory(
        title="Per-hour pricing", surface=gov, supersedes=old, needed_by=TODAY - dt.timedelta(days=1)
    )
    DecisionFactory(title="A draft", status=Decision.Status.DRAFT, surface=gov)
    content = client_as("viewer").get("/decisions/timeline/").content.decode()
    svg = content[
        content.index('<svg class="timeline"') : content.index(
            "</svg>", content.index('<svg class="timeline"')
        )
        + 6
    ]
    assert '<title id="timeline-title">Decisions by product surface, the last 12 months</title>' in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert "2 decisions from" in svg and "1 open (1 overdue)" in svg
    assert ">Government</text>" in svg and ">Frontier labs</text>" in svg
    marks = re.findall(r'<a class="tl-mark tl-(\w+)" href="([^"]+)" aria-label="([^"]+)">', svg)
    # Left to right: opened five days ago, then decided two days ago.
    assert [(kind, href) for kind, href, _ in marks] == [
        ("overdue", "/decisions/D-2/"),
        ("decided", "/decisions/D-1/"),
    ]
    assert marks[0][2].startswith("D-2: Per-hour pricing. Open since") and marks[0][2].endswith("(overdue).")
    assert 'class="tl-chain"' in svg  # the supersession
    assert "style=" not in content and "<script>" not in content


def test_the_span_can_be_chosen(client_as) -> None:
    decided(decided_on=TODAY - dt.timedelta(days=400))
    assert b"tl-mark" not in client_as("viewer").get("/decisions/timeline/").content
    assert b"tl-mark" in client_as("viewer").get("/decisions/timeline/?months=24").content
    assert b"No decision in this span" in client_as("viewer").get("/decisions/timeline/?months=6").content


def test_marks_that_would_overlap_go_on_separate_rows() -> None:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    surface = SurfaceFactory()
    same_day = [
        Decision(
            pk=n,
            number=n,
            key=f"D-{n}",
            title="T",
            status="decided",
            decided_on=dt.date(2026, 6, 1),
            surface=surface,
        )
        for n in range(1, 4)
    ]
    far = Decision(
        pk=9,
        number=9,
        key="D-9",
        title="T",
        status="decided",
        decided_on=dt.date(2026, 11, 1),
        surface=surface,
    )
    chart = timeline.build(
        [*same_day, far], lanes=[(surface.pk, "S")], start=start, end=end, today=end, url_of=lambda d: "#"
    )
    ys = [m.y for m in chart.lanes[0].marks]
    assert len(set(ys[:3])) == 3
    assert ys[3] == ys[0]
    assert chart.lanes[0].height == 3 * timeline.ROW + 2 * timeline.LANE_PAD
