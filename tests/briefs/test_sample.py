"""The briefs' part of the org snapshot: the sample org's engagements around today, references
checked by place, and export then import giving the same engagements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from briefs.queries import attendees_prefetch, brief_readiness, stakeholder_rows
from orgfiles import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample() -> None:
    snapshot.load(snapshot.read_path(snapshot.DEFAULT_SAMPLE))


def by_title(fragment: str) -> Engagement:
    return Engagement.objects.prefetch_related(attendees_prefetch()).get(title__icontains=fragment)


def local_day(engagement: Engagement) -> dt.date:
    return timezone.localtime(engagement.starts_at).date()


def test_the_sample_org_has_engagements_around_today_some_ready_some_not(sample) -> None:
    today = timezone.localdate()
    days = sorted((local_day(e) - today).days for e in Engagement.objects.all())
    assert 8 <= len(days) <= 12
    assert days[0] < 0 < days[-1] and 0 in days and 1 in days
    readiness = {e.key: brief_readiness(e) for e in Engagement.objects.filter(starts_at__date__gte=today)}
    assert any(r.ready for r in readiness.values())
    assert any(not r.ready for r in readiness.values())
    kinds = set(Engagement.objects.values_list("kind", flat=True))
    assert kinds >= {
        "customer_briefing",
        "government",
        "architecture_review",
        "board_adjacent",
        "gtm_alignment",
    }
    past = Engagement.objects.filter(starts_at__date__lt=today)
    assert past.exclude(outcome="").exists()


def test_tomorrows_helix_briefing_is_not_ready_for_nadias_stance_and_the_one_thing(sample) -> None:
    helix = by_title("Helix Research: next-checkpoint")
    assert local_day(helix) == timezone.localdate() + dt.timedelta(days=1)
    assert helix.counterpart == "Helix Research"
    assert "nadia-karim" in {p.key for p in helix.attendees.all()}
    assert brief_readiness(helix).missing == [
        "No “one thing” that cannot be left unsaid",
        "Nadia Karim's stance is unknown",
    ]


def test_one_engagement_today_is_not_ready(sample) -> None:
    today = [e for e in Engagement.objects.all() if local_day(e) == timezone.localdate()]
    assert any(not brief_readiness(e).ready for e in today)


def test_the_sample_shows_a_stance_changing_between_two_engagements(sample) -> None:
    changed = []
    for engagement in Engagement.objects.prefetch_related(attendees_prefetch()):
        rows = stakeholder_rows(engagement, list(engagement.attendees.all()))
        changed += [(engagement.key, r.person.key) for r in rows if r.changed]
    assert ("E-4", "carla-mendes") in changed
    assert ("E-6", "ben-whitaker") in changed


def test_export_then_import_gives_the_same_engagements_briefs_and_positions(sample) -> None:
    def dump() -> tuple:
        engagements = [
            (
                e.key,
                e.title,
                e.starts_at,
                e.counterpart,
                e.surface_id and e.surface.key,
                e.outcome,
                e.outcome_recorded_on,
                sorted(p.key for p in e.attendees.all()),
                sorted(t.name for t in e.tags.all()),
            )
            for e in Engagement.objects.select_related("surface").order_by("number")
        ]
        briefs = list(
            Brief.objects.order_by("engagement__number").values_list(
                "engagement__key", "objective", "one_thing", "notes"
            )
        )
        positions = list(
            StakeholderPosition.objects.order_by("recorded_on", "id").values_list(
                "person__key", "engagement__key", "stance", "position", "recorded_on", "source"
            )
        )
        return engagements, briefs, positions

    before = dump()
    document = snapshot.export()
    snapshot.load(document, replace=True)
    assert dump() == before
    assert Engagement.objects.order_by("-number").first().key == "E-10"
    assert (
        Engagement.objects.create(title="Next", kind="strategy_session", starts_at=timezone.now()).key
        == "E-11"
    )


def test_bad_references_are_listed_by_place_and_nothing_is_written() -> None:
    document = {
        "format": snapshot.FORMAT,
        "anchor": "2026-11-20",
        "people": [{"key": "ana", "name": "Ana"}],
        "engagements": [
            {
                "key": "E-1",
                "title": "Review",
                "kind": "strategy_session",
                "starts_at": "@+1T10:00",
                "attendees": ["ana", "ghost"],
                "surface": "nowhere",
                "tags": ["Bad Tag"],
                "decisions": ["D-9"],
            },
            {"key": "X-2", "title": "", "kind": "party", "starts_at": "soon"},
        ],
        "briefs": [{"engagement": "E-7", "objective": "x"}],
        "positions": [
            {
                "person": "nobody",
                "engagement": "E-1",
                "position": "x",
                "stance": "maybe",
                "recorded_on": "@-1",
            }
        ],
    }
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(document)
    lines = caught.value.problems.lines()
    for expected in [
        "engagements[0].attendees[1]: no person with key 'ghost'",
        "engagements[0].surface: no surface with key 'nowhere'",
        "engagements[0].tags[0]: must be a tag",
        "engagements[0].decisions[0]: no decision with key 'D-9'",
        "engagements[1].key:",
        "engagements[1].title: must not be empty",
        "engagements[1].kind: must be one of",
        "engagements[1].starts_at: not a date and time",
        "briefs[0].engagement: no engagement with key 'E-7'",
        "positions[0].stance: must be one of",
    ]:
        assert any(line.startswith(expected) for line in lines), f"{expected} not in {lines}"
    assert not Engagement.objects.exists()
