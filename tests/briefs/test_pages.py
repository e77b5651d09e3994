"""The list of engagements, the print view, the Markdown export, and the number of SQL queries each
page runs, which does not grow with the org."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions.models import Decision, DecisionStakeholder
from leadership_os.models import KeyCounter, Tag
from tests.briefs.factories import (
    BriefFactory,
    EngagementFactory,
    PositionFactory,
    SignalFactory,
    WorkstreamFactory,
    at,
    day,
)

pytestmark = pytest.mark.django_db


def test_the_list_shows_today_tomorrow_this_week_later_and_past_with_readiness(
    client_as, engagement, earlier, nadia
) -> None:
    today = EngagementFactory(title="Escalation today", counterpart="Nobody", starts_at=at(0, 15))
    this_week = EngagementFactory(title="Architecture review", starts_at=at(4))
    later = EngagementFactory(title="Offsite", starts_at=at(12))
    BriefFactory(engagement=this_week, objective="")
    content = client_as("viewer").get("/briefs/").content.decode()

    sections = ["bucket-today-h", "bucket-tomorrow-h", "bucket-week-h", "bucket-later-h", "bucket-past-h"]
    positions = [content.index(f'id="{s}"') for s in sections]
    assert positions == sorted(positions)
    where = {e.title: content.index(e.title) for e in (today, engagement, this_week, later, earlier)}
    assert positions[0] < where["Escalation today"] < positions[1] < where["Helix briefing"] < positions[2]
    assert (
        positions[2]
        < where["Architecture review"]
        < positions[3]
        < where["Offsite"]
        < positions[4]
        < where["Quarterly review"]
    )
    assert f'href="/briefs/{engagement.pk}/"' in content
    assert "No brief yet" in content
    assert "No objective: the decision or signal sought" in content
    assert content.count("badge-ready") == 1  # the Helix briefing only
    assert "2 briefs for the coming week are not ready." in content  # later ones do not count


def test_the_past_pages_over_htmx(client_as) -> None:
    for n in range(20):
        EngagementFactory(title=f"Old meeting {n}", starts_at=at(-1 - n))
    response = client_as("viewer").get("/briefs/?page=2", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="engagement-past"')
    assert "Old meeting 19" in content and "Old meeting 0" not in content


def test_the_print_view_stands_alone_with_the_one_thing_first(client_as, engagement, nadia) -> None:
    PositionFactory(person=nadia, engagement=engagement, stance="oppose", position="Wants weights")
    content = client_as("principal").get(f"/briefs/{engagement.pk}/print/").content.decode()
    assert 'aria-label="Main"' not in content and "shell-header" not in content
    assert "css/brief_print.css" in content and "css/app.css" not in content
    assert (
        content.index("The one thing to say")
        < content.index("What we want from the room")
        < content.index("In the room")
    )
    assert "The pilot starts next month." in content and "Wants weights" in content
    assert "<script>" not in content


def test_the_markdown_export_is_the_brief_as_text(client_as, engagement, nadia) -> None:
    PositionFactory(person=nadia, engagement=engagement, stance="oppose", position="Wants weights & more")
    response = client_as("viewer").get(f"/briefs/{engagement.pk}/export.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{engagement.key.lower()}-helix-briefing.md"'
    )
    text = response.content.decode()
    assert text.startswith("# Helix briefing\n")
    assert "## The one thing that cannot be left unsaid\n\nThe pilot starts next month." in text
    assert "- **Nadia Karim** (Product manager, Helix Research): Oppose. Wants weights & more" in text
    assert "### Last time with Helix Research" in text
    assert "&amp;" not in text


def make_decisions(count: int, engagement, person) -> None:
    """`count` decisions related to the engagement by surface, tag and person, in bulk."""
    tag = Tag.objects.get_or_create(name="evals")[0]
    engagement.tags.add(tag)
    start = KeyCounter.next_number("D")
    decisions = Decision.objects.bulk_create(
        Decision(
            number=start + n,
            key=f"D-{start + n}",
            title=f"Decision {n}",
            question="?",
            status="open" if n % 2 else "decided",
            surface=engagement.surface,
            opened_on=day(-(n % 300)),
        )
        for n in range(count)
    )
    KeyCounter.reserve("D", start + count)
    Decision.tags.through.objects.bulk_create(Decision.tags.through(decision=d, tag=tag) for d in decisions)
    DecisionStakeholder.objects.bulk_create(DecisionStakeholder(decision=d, person=person) for d in decisions)


def make_org(size: int, engagement, person) -> None:
    make_decisions(size, engagement, person)
    for n in range(size // 50):
        WorkstreamFactory(surface=engagement.surface, state="blocked", blocker=f"Blocker {n}")
        SignalFactory(source="Helix Research", dated_on=day(-(n % 20)))
        EngagementFactory(counterpart="Helix Research", starts_at=at(-30 - n), attendees=[person])
        other = EngagementFactory(counterpart=f"Other {n}", starts_at=at(n % 6), attendees=[person])
        PositionFactory(person=person, engagement=other, stance="unknown")


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/briefs/{pk}/", "/briefs/{pk}/print/", "/briefs/{pk}/export.md"])
def test_a_brief_runs_as_many_queries_with_500_related_decisions_as_with_10(
    client_as, engagement, nadia, surface, path
) -> None:
    engagement.surface = surface
    engagement.save()
    client = client_as("chief_of_staff")
    make_org(10, engagement, nadia)
    small = count_queries(client, path.format(pk=engagement.pk))
    make_org(490, engagement, nadia)
    assert Decision.objects.count() == 500
    large = count_queries(client, path.format(pk=engagement.pk))
    assert large == small
    if path == "/briefs/{pk}/":
        assert (
            "The newest 8 of more than 100 are shown."
            in client.get(path.format(pk=engagement.pk)).content.decode()
        )


def test_the_list_runs_as_many_queries_for_a_large_org_as_for_a_small_one(
    client_as, engagement, nadia, surface
) -> None:
    engagement.surface = surface
    engagement.save()
    client = client_as("viewer")
    make_org(50, engagement, nadia)
    small = count_queries(client, "/briefs/")
    make_org(450, engagement, nadia)
    assert count_queries(client, "/briefs/") == small


def test_a_brief_for_an_engagement_at_midnight_counts_its_own_day(engagement) -> None:
    from briefs.queries import local_day

    assert local_day(at(1, 0)) == day(1)
    assert isinstance(local_day(at(1, 23)), dt.date)


@pytest.mark.parametrize("path", ["/briefs/{pk}/edit/objective/", "/briefs/{pk}/?region=brief-objective"])
def test_a_text_section_fragment_reads_only_its_section(client_as, engagement, nadia, surface, path) -> None:
    engagement.surface = surface
    engagement.save()
    client = client_as("chief_of_staff")
    make_org(10, engagement, nadia)
    url = path.format(pk=engagement.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="brief-objective"') and "<html" not in html
    assert not any("decisions_decision" in q["sql"] for q in queries.captured_queries)
    page = count_queries(client, f"/briefs/{engagement.pk}/")
    assert len(queries) < page / 2
