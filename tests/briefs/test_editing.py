"""Editing a brief in place, section by section: full pages without JavaScript, one region over
htmx, and a conflicting edit shown, never silently overwritten."""

from __future__ import annotations

import pytest

from briefs.models import Brief, Engagement, StakeholderPosition
from tests.briefs.factories import BriefFactory, EngagementFactory, PositionFactory, at
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_edit_form_is_a_full_page_without_javascript(cos_client, engagement) -> None:
    response = cos_client.get(f"/briefs/{engagement.pk}/edit/objective/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" in content and 'aria-label="Main"' in content
    assert '<textarea name="objective"' in content
    assert f'action="/briefs/{engagement.pk}/edit/objective/"' in content


def test_over_htmx_the_edit_form_is_its_section_only(cos_client, engagement) -> None:
    response = cos_client.get(f"/briefs/{engagement.pk}/edit/one_thing/", headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="brief-one-thing"')
    assert "<html" not in content
    assert '<textarea name="one_thing"' in content
    assert 'name="version" value="1"' in content
    assert f'hx-get="/briefs/{engagement.pk}/?region=brief-one-thing"' in content


def test_cancelling_over_htmx_returns_the_section_as_it_was(cos_client, engagement) -> None:
    response = cos_client.get(f"/briefs/{engagement.pk}/?region=brief-one-thing", headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="brief-one-thing"')
    assert "The pilot starts next month." in content


def test_saving_without_javascript_redirects_to_the_section(cos_client, engagement) -> None:
    response = cos_client.post(
        f"/briefs/{engagement.pk}/edit/objective/", {"version": "1", "objective": " Get a yes. "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/briefs/{engagement.pk}/#brief-objective"
    brief = Brief.objects.get(engagement=engagement)
    assert (brief.objective, brief.version) == ("Get a yes.", 2)


def test_saving_over_htmx_returns_the_section_and_the_readiness_out_of_band(cos_client, engagement) -> None:
    Brief.objects.filter(engagement=engagement).update(one_thing="")
    response = cos_client.post(
        f"/briefs/{engagement.pk}/edit/one_thing/",
        {"version": "1", "one_thing": "We ship in February."},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="brief-one-thing"')
    assert "We ship in February." in content
    assert '<section id="brief-readiness" class="readiness readiness-ready"' in content
    assert 'hx-swap-oob="true"' in content


def test_the_first_edit_creates_the_brief(cos_client) -> None:
    fresh = EngagementFactory(starts_at=at(2))
    response = cos_client.get(f"/briefs/{fresh.pk}/")
    assert "No brief yet" in response.content.decode()
    assert not Brief.objects.filter(engagement=fresh).exists()
    cos_client.post(f"/briefs/{fresh.pk}/edit/notes/", {"version": "0", "notes": "- first note"})
    brief = Brief.objects.get(engagement=fresh)
    assert (brief.notes, brief.version, brief.objective) == ("- first note", 1, "")


def test_a_conflicting_edit_is_shown_side_by_side_and_nothing_is_overwritten(cos_client, engagement) -> None:
    Brief.objects.filter(engagement=engagement).update(objective="Their objective", version=2)
    response = cos_client.post(
        f"/briefs/{engagement.pk}/edit/objective/",
        {"version": "1", "objective": "My objective"},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in content
    assert "Their objective" in content and "My objective" in content
    assert 'name="version" value="2"' in content
    assert Brief.objects.get(engagement=engagement).objective == "Their objective"
    # Saving again, now from the version shown, keeps the editor's text.
    cos_client.post(f"/briefs/{engagement.pk}/edit/objective/", {"version": "2", "objective": "My objective"})
    assert Brief.objects.get(engagement=engagement).objective == "My objective"


def test_a_brief_created_by_someone_else_meanwhile_is_a_conflict(cos_client) -> None:
    fresh = EngagementFactory(starts_at=at(2))
    BriefFactory(engagement=fresh, objective="Theirs")
    response = cos_client.post(f"/briefs/{fresh.pk}/edit/objective/", {"version": "0", "objective": "Mine"})
    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert Brief.objects.get(engagement=fresh).objective == "Theirs"


def test_notes_are_markdown_rendered_safely(cos_client, engagement) -> None:
    Brief.objects.filter(engagement=engagement).update(
        notes="**Bold** and <script>alert(1)</script> [x](javascript:alert(1))"
    )
    content = cos_client.get(f"/briefs/{engagement.pk}/").content.decode()
    assert "<strong>Bold</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert 'href="javascript:' not in content


def test_editing_attendees_updates_positions_history_and_readiness_out_of_band(
    cos_client, engagement, nadia
) -> None:
    lena = PersonFactory(name="Lena Vogel")
    form = cos_client.get(f"/briefs/{engagement.pk}/attendees/", headers=HTMX).content.decode()
    assert form.lstrip().startswith('<section id="brief-attendees"')
    assert 'type="checkbox"' in form
    response = cos_client.post(
        f"/briefs/{engagement.pk}/attendees/",
        {"version": "1", "attendees": [nadia.pk, lena.pk]},
        headers=HTMX,
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="brief-attendees"')
    for region in ("brief-readiness", "brief-positions", "brief-history"):
        assert f'<section id="{region}"' in content
    assert content.count('hx-swap-oob="true"') == 3
    assert "Lena Vogel" in content
    assert set(engagement.attendees.all()) == {nadia, lena}
    assert Engagement.objects.get(pk=engagement.pk).version == 2


def test_a_conflicting_attendee_edit_is_shown(cos_client, engagement, nadia) -> None:
    Engagement.objects.filter(pk=engagement.pk).update(version=5)
    response = cos_client.post(f"/briefs/{engagement.pk}/attendees/", {"version": "1", "attendees": []})
    content = response.content.decode()
    assert "Someone else saved this" in content
    assert list(engagement.attendees.all()) == [nadia]


def test_editing_a_position_in_place_settles_the_readiness(cos_client, engagement, nadia) -> None:
    position = PositionFactory(person=nadia, engagement=engagement, stance="unknown", position="Unclear")
    form = cos_client.get(
        f"/briefs/{engagement.pk}/positions/{position.pk}/edit/", headers=HTMX
    ).content.decode()
    assert form.lstrip().startswith('<section id="brief-positions"')
    assert 'id="edit-position-stance"' in form
    response = cos_client.post(
        f"/briefs/{engagement.pk}/positions/{position.pk}/edit/",
        {
            "person": nadia.pk,
            "stance": "support",
            "position": "Will run the suite",
            "source": "Call",
            "recorded_on": "2026-11-20",
            "version": "1",
        },
        headers=HTMX,
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="brief-positions"')
    assert "Will run the suite" in content
    assert '<section id="brief-readiness" class="readiness readiness-ready"' in content
    position.refresh_from_db()
    assert (position.stance, position.version) == ("support", 2)


def test_a_conflicting_position_edit_is_shown(cos_client, engagement, nadia) -> None:
    position = PositionFactory(person=nadia, engagement=engagement, stance="unknown")
    StakeholderPosition.objects.filter(pk=position.pk).update(stance="oppose", version=2)
    response = cos_client.post(
        f"/briefs/{engagement.pk}/positions/{position.pk}/edit/",
        {
            "person": nadia.pk,
            "stance": "support",
            "position": "Mine",
            "source": "",
            "recorded_on": "2026-11-20",
            "version": "1",
        },
    )
    content = response.content.decode()
    assert "Someone else saved this" in content and "Oppose" in content
    assert StakeholderPosition.objects.get(pk=position.pk).stance == "oppose"


def test_a_position_needs_a_stakeholder_from_the_room(cos_client, engagement) -> None:
    stranger = PersonFactory(name="Not In The Room")
    response = cos_client.post(
        f"/briefs/{engagement.pk}/positions/",
        {"person": stranger.pk, "stance": "support", "position": "x", "recorded_on": "2026-11-20"},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="brief-positions"')
    assert "Select a valid choice" in content
    assert '<details class="position-add" open>' in content
    assert not StakeholderPosition.objects.exists()


def test_the_add_form_offers_the_attendees_and_defaults_to_today(
    cos_client, engagement, nadia, principal, person_of
) -> None:
    engagement.attendees.add(person_of(principal))
    content = cos_client.get(f"/briefs/{engagement.pk}/").content.decode()
    assert f'<option value="{nadia.pk}">Nadia Karim, Helix Research</option>' in content
    assert "Maya Okafor</option>" not in content
    from django.utils import timezone

    assert f'value="{timezone.localdate().isoformat()}"' in content
