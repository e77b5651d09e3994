"""Every page and endpoint of the briefs against every role: who may read, and who may edit (the
chief of staff only)."""

from __future__ import annotations

import pytest

from briefs.models import Brief, Engagement, StakeholderPosition
from tests.briefs.factories import BriefFactory, EngagementFactory, PositionFactory, at

pytestmark = pytest.mark.django_db

ROLES = [None, "principal", "chief_of_staff", "contributor", "viewer", "staff", "no_role_user"]
READERS = {"principal", "chief_of_staff", "contributor", "viewer", "staff"}


@pytest.fixture
def setup(nadia):
    engagement = EngagementFactory(counterpart="Helix Research", starts_at=at(0, 0), attendees=[nadia])
    BriefFactory(engagement=engagement)
    position = PositionFactory(person=nadia, engagement=engagement, stance="unknown")
    return engagement, position


def endpoints(engagement, position) -> list[tuple[str, str, dict[str, str], str]]:
    """(method, path, data, who may) for every page and endpoint of the app."""
    pk = engagement.pk
    return [
        ("get", "/briefs/", {}, "read"),
        ("get", f"/briefs/{pk}/", {}, "read"),
        ("get", f"/briefs/{pk}/?region=brief-objective", {}, "read"),
        ("get", f"/briefs/{pk}/print/", {}, "read"),
        ("get", f"/briefs/{pk}/export.md", {}, "read"),
        ("get", f"/briefs/{pk}/edit/objective/", {}, "edit"),
        ("post", f"/briefs/{pk}/edit/objective/", {"version": "1", "objective": "New"}, "edit"),
        ("get", f"/briefs/{pk}/edit/one_thing/", {}, "edit"),
        ("post", f"/briefs/{pk}/edit/one_thing/", {"version": "1", "one_thing": "New"}, "edit"),
        ("get", f"/briefs/{pk}/edit/notes/", {}, "edit"),
        ("post", f"/briefs/{pk}/edit/notes/", {"version": "1", "notes": "New"}, "edit"),
        ("get", f"/briefs/{pk}/attendees/", {}, "edit"),
        ("post", f"/briefs/{pk}/attendees/", {"version": "1"}, "edit"),
        (
            "post",
            f"/briefs/{pk}/positions/",
            {
                "person": str(position.person_id),
                "stance": "support",
                "position": "Yes",
                "recorded_on": "2026-11-20",
            },
            "edit",
        ),
        ("get", f"/briefs/{pk}/positions/{position.pk}/edit/", {}, "edit"),
        (
            "post",
            f"/briefs/{pk}/positions/{position.pk}/edit/",
            {
                "person": str(position.person_id),
                "stance": "support",
                "position": "Yes",
                "recorded_on": "2026-11-20",
                "version": "1",
            },
            "edit",
        ),
        ("get", f"/briefs/{pk}/outcome/", {}, "edit"),
        (
            "post",
            f"/briefs/{pk}/outcome/",
            {
                "outcome": "Done",
                "version": "1",
                "commitments-TOTAL_FORMS": "0",
                "commitments-INITIAL_FORMS": "0",
                "decisions-TOTAL_FORMS": "0",
                "decisions-INITIAL_FORMS": "0",
            },
            "edit",
        ),
    ]


def expected(role: str | None, who: str, method: str) -> int:
    if role is None:
        return 302
    if role == "no_role_user" or (who == "edit" and role != "chief_of_staff"):
        return 403
    return 302 if method == "post" else 200


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(client_as, setup, role: str | None) -> None:
    engagement, position = setup
    client = client_as(role)
    for method, path, data, who in endpoints(engagement, position):
        # Each edit starts from version 1, as if it were the first (the previous one bumped it).
        for model in (Engagement, Brief, StakeholderPosition):
            model.objects.update(version=1)
        response = getattr(client, method)(path, data)
        assert response.status_code == expected(role, who, method), (
            f"{role or 'anonymous'} {method.upper()} {path}"
        )
        if role is None:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["principal", "contributor", "viewer"])
def test_a_refused_htmx_edit_gets_a_readable_notice(client_as, setup, role: str) -> None:
    engagement, _ = setup
    response = client_as(role).post(
        f"/briefs/{engagement.pk}/edit/objective/",
        {"version": "1", "objective": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert b"Only the chief of staff edits briefs" in response.content
    assert b"<html" not in response.content


def test_readers_see_no_edit_controls_and_the_chief_of_staff_does(client_as, setup) -> None:
    engagement, _ = setup
    viewer_page = client_as("viewer").get(f"/briefs/{engagement.pk}/").content.decode()
    cos_page = client_as("chief_of_staff").get(f"/briefs/{engagement.pk}/").content.decode()
    for control in (
        f"/briefs/{engagement.pk}/edit/objective/",
        f"/briefs/{engagement.pk}/attendees/",
        "Record a position",
    ):
        assert control not in viewer_page
        assert control in cos_page


def test_get_only_pages_refuse_other_methods(cos_client, setup) -> None:
    engagement, _ = setup
    assert cos_client.post("/briefs/").status_code == 405
    assert cos_client.post(f"/briefs/{engagement.pk}/print/").status_code == 405
    assert cos_client.get(f"/briefs/{engagement.pk}/positions/").status_code == 405
    assert cos_client.get(f"/briefs/{engagement.pk}/edit/budget/").status_code == 404
    assert cos_client.get("/briefs/999999/").status_code == 404
