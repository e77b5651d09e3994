"""The chief of staff puts engagements on the calendar, edits, reschedules, cancels and reinstates them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Brief, Engagement
from radar.engine_adapter import evaluate_org
from tests.briefs.factories import DecisionFactory, EngagementFactory, at
from tests.factories import PersonFactory, SurfaceFactory
from tests.rhythms.factories import RitualFactory

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def org(chief_of_staff) -> dict[str, object]:
    return {
        "surface": SurfaceFactory(key="ent", name="Enterprise"),
        "ana": PersonFactory(key="ana", name="Ana Ruiz"),
        "kim": PersonFactory(key="kim", name="Kim Ode", affiliation="customer", organization="Northbank"),
        "decision": DecisionFactory(title="Pilot scope"),
    }


def new(client, **extra):
    data = {
        "title": "Northbank pilot review",
        "kind": "customer_briefing",
        "starts_at": local(at(1, 15)),
        "duration_minutes": "45",
        "counterpart": "Northbank",
        "surface": "ent",
        "attendees": ["ana", "kim"],
        "tags": "pilot",
    }
    return client.post("/briefs/new/", {**data, **extra})


def test_a_new_engagement_has_its_brief_at_once_showing_what_is_missing(cos_client, org) -> None:
    response = new(cos_client, decisions=org["decision"].key)
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/briefs/{engagement.pk}/"
    assert Brief.objects.filter(engagement=engagement).exists()
    assert sorted(engagement.attendees.values_list("key", flat=True)) == ["ana", "kim"]
    assert list(engagement.decisions.all()) == [org["decision"]]
    page = cos_client.get(response["Location"]).content.decode()
    assert "No objective" in page
    listing = cos_client.get("/briefs/").content.decode()
    assert "Northbank pilot review" in listing and "Not ready" in listing
    assert any(i.subject.key == engagement.key and i.rule == "brief-not-ready" for i in evaluate_org().radar)


def test_an_engagement_in_the_past_is_allowed_but_said(cos_client, org) -> None:
    response = new(cos_client, starts_at=local(at(-3, 9)))
    assert response.status_code == 302
    page = cos_client.get(response["Location"]).content.decode()
    assert "starts in the past" in page


def test_the_same_title_at_the_same_time_is_refused(cos_client, org) -> None:
    new(cos_client)
    response = new(cos_client)
    assert response.status_code == 200
    assert "is already on the calendar at that time" in response.content.decode()
    assert Engagement.objects.count() == 1


def test_a_missing_kind_or_start_is_said_and_nothing_written(cos_client, org) -> None:
    response = new(cos_client, kind="", starts_at="")
    page = response.content.decode()
    assert "Select a valid choice" in page or "Choose" in page
    assert "Give the day and time it starts." in page
    assert not Engagement.objects.exists()


def test_an_unknown_decision_key_is_said(cos_client, org) -> None:
    response = new(cos_client, decisions="D-999")
    assert "There is no decision D-999" in response.content.decode()
    assert not Engagement.objects.exists()


def test_reschedule_keeps_when_it_was_and_why(cos_client, org) -> None:
    engagement = EngagementFactory(starts_at=at(2, 10))
    response = cos_client.post(
        f"/briefs/{engagement.pk}/reschedule/",
        {"starts_at": local(at(4, 11)), "duration_minutes": 30, "reason": "Their CFO travels", "version": 1},
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.starts_at == at(4, 11) and engagement.version == 2
    assert engagement.history.first().history_change_reason.startswith("Rescheduled from")


def test_cancel_keeps_it_marked_and_out_of_readiness_the_dashboard_and_the_radar(cos_client, org) -> None:
    engagement = EngagementFactory(title="Board prep", starts_at=at(1, 10))
    assert any(i.subject.key == engagement.key for i in evaluate_org().radar)
    response = cos_client.post(
        f"/briefs/{engagement.pk}/cancel/", {"reason": "Moved to next quarter", "version": 1}
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.cancelled_on == timezone.localdate()
    assert not any(i.subject.key == engagement.key for i in evaluate_org().radar)
    listing = cos_client.get("/briefs/").content.decode()
    assert "Board prep" in listing and "Cancelled" in listing
    assert "Every brief for the coming week is ready" in listing
    assert "Board prep" not in cos_client.get("/").content.decode()
    # Reinstated, it is back.
    cos_client.post(f"/briefs/{engagement.pk}/reinstate/", {"version": engagement.version})
    engagement.refresh_from_db()
    assert engagement.cancelled_on is None
    assert any(i.subject.key == engagement.key for i in evaluate_org().radar)


def test_cancel_needs_a_reason(cos_client, org) -> None:
    engagement = EngagementFactory()
    response = cos_client.post(f"/briefs/{engagement.pk}/cancel/", {"reason": "", "version": 1})
    assert "Say why it is cancelled." in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.cancelled_on is None


def test_an_edit_on_an_old_version_is_refused_with_both_versions(cos_client, org) -> None:
    engagement = EngagementFactory(title="Theirs", version=2)
    response = cos_client.post(
        f"/briefs/{engagement.pk}/edit/",
        {
            "title": "Mine",
            "kind": "customer_briefing",
            "starts_at": local(at(1)),
            "duration_minutes": 60,
            "version": 1,
        },
    )
    assert response.status_code == 200
    engagement.refresh_from_db()
    assert engagement.title == "Theirs"


def test_a_ritual_occurrence_prefills_a_recurring_external_meeting(cos_client, org) -> None:
    from rhythms.models import Occurrence

    ritual = RitualFactory(name="Northbank monthly sync", surface=org["surface"])
    ritual.attendees.set([org["kim"]])
    occurrence = Occurrence.objects.create(ritual=ritual, scheduled_for=at(5, 16), starts_at=at(5, 16))
    page = cos_client.get(f"/briefs/new/?occurrence={occurrence.pk}").content.decode()
    assert 'value="Northbank monthly sync"' in page
    assert f'value="{local(at(5, 16))}"' in page
    assert 'value="kim" checked' in page
    record = cos_client.get(f"/rhythms/occurrences/{occurrence.pk}/record/").content.decode()
    assert f"/briefs/new/?occurrence={occurrence.pk}" in record


def test_add_an_attendee_in_place_without_javascript(cos_client, org) -> None:
    response = new(
        cos_client,
        add_person="attendees",
        **{
            "newperson-name": "Joe Bank",
            "newperson-affiliation": "customer",
            "newperson-organization": "Northbank",
        },
    )
    page = response.content.decode()
    assert 'value="joe-bank" checked' in page and 'value="ana" checked' in page
    assert 'value="Northbank pilot review"' in page
    assert not Engagement.objects.exists()
