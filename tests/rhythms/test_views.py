"""The rhythm screens: every page and endpoint against every role, htmx fragments, the calendar,
ritual forms, recording an occurrence, retiring, and queries that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leadership_os import memo
from rhythms import queries as rhythm_queries
from rhythms.models import Occurrence, Ritual
from rhythms.services import ritual_save, ritual_sync_occurrences
from tests.rhythms.factories import (
    DecisionFactory,
    EngagementFactory,
    OccurrenceFactory,
    RitualFactory,
    WorkstreamFactory,
)
from workstreams.models import Commitment

pytestmark = pytest.mark.django_db

ROLES = [None, "principal", "chief_of_staff", "contributor", "viewer", "staff", "no_role_user"]
HX = {"HX-Request": "true"}


def today_at(hour: int, days: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def ritual() -> Ritual:
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][timezone.localdate().weekday()]
    ritual = RitualFactory.build(
        name="Weekly product review", rrule=f"FREQ=WEEKLY;BYDAY={weekday}", starts_at=today_at(10, -200)
    )
    return ritual_save(ritual=ritual)


def past_occurrence(ritual: Ritual) -> Occurrence:
    return Occurrence.objects.filter(ritual=ritual, starts_at__lt=today_at(0)).order_by("-starts_at").first()


# Permissions ----------------------------------------------------------------------------------------

READ = {
    "principal": 200,
    "chief_of_staff": 200,
    "contributor": 200,
    "viewer": 200,
    "staff": 200,
    "no_role_user": 403,
}
EDIT = {
    "principal": 403,
    "chief_of_staff": 200,
    "contributor": 403,
    "viewer": 403,
    "staff": 403,
    "no_role_user": 403,
}


def get_pages(ritual: Ritual) -> dict[str, dict[str | None, int]]:
    occurrence = past_occurrence(ritual)
    return {
        "/rhythms/": READ,
        "/rhythms/?view=month": READ,
        "/rhythms/audit/": READ,
        f"/rhythms/{ritual.pk}/": READ,
        "/rhythms/feed/": READ,
        "/rhythms/new/": EDIT,
        f"/rhythms/{ritual.pk}/edit/": EDIT,
        f"/rhythms/{ritual.pk}/retire/": EDIT,
        f"/rhythms/occurrences/{occurrence.pk}/record/": EDIT,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_page(client_as, ritual, role) -> None:
    client = client_as(role)
    for path, expected in get_pages(ritual).items():
        response = client.get(path)
        assert response.status_code == expected.get(role, 302), f"{role or 'anonymous'} GET {path}"
        if role is None:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_the_feed_answers_anyone_holding_its_token_and_nobody_else(client_as, ritual, viewer, role) -> None:
    from rhythms.services import feed_token_for

    token = feed_token_for(viewer).token
    client = client_as(role)
    assert client.get(f"/rhythms/feed/{token}.ics").status_code == 200
    assert client.get(f"/rhythms/feed/{token[:-1]}.ics").status_code == 404


WRITE = {
    "principal": 403,
    "chief_of_staff": 302,
    "contributor": 403,
    "viewer": 403,
    "staff": 403,
    "no_role_user": 403,
}
OWN = {
    "principal": 302,
    "chief_of_staff": 302,
    "contributor": 302,
    "viewer": 302,
    "staff": 302,
    "no_role_user": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_write(client_as, ritual, role) -> None:
    occurrence = past_occurrence(ritual)
    posts = {
        reverse("rhythms:occurrence_record", args=[occurrence.pk]): (WRITE, record_post(occurrence)),
        reverse("rhythms:ritual_create"): (WRITE, ritual_post(name="New one")),
        reverse("rhythms:ritual_edit", args=[ritual.pk]): (WRITE, ritual_post(version=ritual.version)),
        reverse("rhythms:feed_regenerate"): (OWN, {}),
        reverse("rhythms:ritual_retire", args=[ritual.pk]): (
            WRITE,
            {"reason": "Done.", "version": ritual.version + 1},
        ),
    }
    client = client_as(role)
    for path, (expected, data) in posts.items():
        response = client.post(path, data)
        assert response.status_code == expected.get(role, 302), f"{role or 'anonymous'} POST {path}"
    Ritual.objects.get(pk=ritual.pk)


def test_a_refusal_to_htmx_is_a_readable_notice(client_as, ritual) -> None:
    response = client_as("viewer").post(
        reverse("rhythms:ritual_retire", args=[ritual.pk]), {"reason": "x"}, headers=HX
    )
    assert response.status_code == 403
    assert "Only the chief of staff edits the operating rhythm." in response.content.decode()
    assert "<html" not in response.content.decode()


# The calendar ----------------------------------------------------------------------------------------


def test_the_week_view_shows_rituals_and_engagements_with_today_marked(client_as, ritual) -> None:
    EngagementFactory(title="Helix Research briefing", starts_at=today_at(13))
    response = client_as("viewer").get("/rhythms/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Weekly product review" in body
    assert "Helix Research briefing" in body
    today = timezone.localdate().isoformat()
    assert f'aria-labelledby="day-{today}" aria-current="date"' in body
    assert body.count('class="today-chip"') == 1


def test_the_month_view_has_every_week_of_the_month(client_as, ritual) -> None:
    response = client_as("viewer").get("/rhythms/?view=month&date=2026-11-10")
    body = response.content.decode()
    assert "November 2026" in body
    assert 'id="day-2026-10-26"' in body  # the Monday before the 1st
    assert 'id="day-2026-12-06"' in body  # the Sunday after the 30th
    assert body.count('class="calendar-week"') == 6


def test_navigation_links_are_real_and_push_the_address(client_as, ritual) -> None:
    body = client_as("viewer").get("/rhythms/?view=week&date=2026-11-25").content.decode()
    assert 'href="/rhythms/?view=week&amp;date=2026-11-18"' in body
    assert 'hx-get="/rhythms/?view=week&amp;date=2026-12-02"' in body
    assert 'hx-push-url="true"' in body
    month = client_as("viewer").get("/rhythms/?view=month&date=2026-12-31").content.decode()
    assert 'href="/rhythms/?view=month&amp;date=2027-01-01"' in month
    assert 'href="/rhythms/?view=month&amp;date=2026-11-01"' in month


def test_an_htmx_navigation_answers_with_the_calendar_fragment_only(client_as, ritual) -> None:
    response = client_as("viewer").get("/rhythms/?view=month", headers=HX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="rhythms-calendar"')
    assert "<html" not in body
    boosted = client_as("viewer").get("/rhythms/?view=month", headers={**HX, "HX-Boosted": "true"})
    assert "<html" in boosted.content.decode()


def test_a_bad_view_or_date_falls_back_to_this_week(client_as, ritual) -> None:
    response = client_as("viewer").get("/rhythms/?view=year&date=tomorrow")
    assert response.status_code == 200
    assert 'aria-current="date"' in response.content.decode()


def test_skipped_and_moved_occurrences_are_marked(client_as, ritual) -> None:
    occurrences = list(
        Occurrence.objects.filter(ritual=ritual, starts_at__lt=today_at(0)).order_by("-starts_at")
    )
    skipped, moved = occurrences[0], occurrences[1]
    skipped.status = Occurrence.Status.SKIPPED
    skipped.save()
    moved.starts_at = moved.scheduled_for + dt.timedelta(hours=2)
    moved.save()
    anchor = timezone.localdate() - dt.timedelta(days=7)
    body = client_as("viewer").get(f"/rhythms/?view=month&date={anchor}").content.decode()
    if moved.starts_at.month != skipped.starts_at.month:
        body += (
            client_as("viewer")
            .get(f"/rhythms/?view=month&date={anchor - dt.timedelta(days=7)}")
            .content.decode()
        )
    assert "<del>Weekly product review</del>" in body
    assert "moved from" in body


def test_slots_beyond_the_materialized_window_come_from_the_rule(client_as, ritual) -> None:
    later = timezone.localdate() + dt.timedelta(days=180)
    body = client_as("viewer").get(f"/rhythms/?view=week&date={later}").content.decode()
    assert "Weekly product review" in body


def test_the_calendar_month_uses_as_many_queries_with_200_rituals_as_with_5(client_as) -> None:
    client = client_as("viewer")
    client.get("/rhythms/?view=month")  # warm the session and the role cache

    def count_with(n: int) -> int:
        existing = Ritual.objects.count()
        for i in range(existing, n):
            ritual = RitualFactory.build(
                name=f"Ritual {i}",
                rrule=["FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=MONTHLY;BYDAY=1MO"][
                    i % 3
                ],
                starts_at=today_at(9 + i % 8, -120),
            )
            ritual.save()
            ritual_sync_occurrences(ritual=ritual, today=timezone.localdate())
            if i % 10 == 0:
                EngagementFactory(starts_at=today_at(14, i % 20))
        memo.clear()  # derive the month, as after any change to the org
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/rhythms/?view=month")
        assert response.status_code == 200
        body = response.content.decode()
        listed = body.count('class="calendar-item') + sum(int(m) for m in re.findall(r">(\d+) more<", body))
        assert listed >= n
        return len(queries)

    assert count_with(5) == count_with(200)


def test_the_calendar_week_uses_as_many_queries_with_200_rituals_as_with_5(client_as) -> None:
    client = client_as("viewer")
    client.get("/rhythms/")  # warm the session and the role cache

    def count_with(n: int) -> tuple[int, int]:
        existing = Ritual.objects.count()
        for i in range(existing, n):
            ritual = RitualFactory.build(
                name=f"Ritual {i}", rrule="FREQ=WEEKLY;BYDAY=WE", starts_at=today_at(9 + i % 8, -120)
            )
            ritual.save()
            ritual_sync_occurrences(ritual=ritual, today=timezone.localdate())
        memo.clear()  # derive the week, as after any change to the org
        client.get("/rhythms/")
        with CaptureQueriesContext(connection) as queries:  # the week as it is read until the next change
            response = client.get("/rhythms/")
        body = response.content.decode()
        assert body.count('class="calendar-item') >= n  # the week lists every occurrence
        return len(queries), body.count('class="calendar-item')

    few, many = count_with(5), count_with(200)
    assert few[0] == many[0] and many[1] > few[1]


def test_the_weeks_grid_kept_for_a_viewer_does_not_offer_an_editor_less(client_as, ritual) -> None:
    assert Occurrence.objects.filter(ritual=ritual).exists()
    assert "item-record" not in client_as("viewer").get("/rhythms/").content.decode()
    assert "item-record" in client_as("chief_of_staff").get("/rhythms/").content.decode()


def test_a_busy_day_of_the_month_shows_its_first_items_and_links_to_its_week(client_as) -> None:
    for hour in range(8, 15):  # seven rituals on one day
        ritual = RitualFactory.build(
            name=f"Ritual at {hour}", rrule="FREQ=WEEKLY;BYDAY=TU", starts_at=today_at(hour, -7)
        )
        ritual.save()
    tuesday = timezone.localdate() + dt.timedelta(days=(1 - timezone.localdate().weekday()) % 7)
    client = client_as("viewer")
    body = client.get(f"/rhythms/?view=month&date={tuesday}").content.decode()
    cell = body.split(f'id="day-{tuesday}"')[1].split("</section>")[0]
    assert cell.count('<li class="calendar-item') == rhythm_queries.MONTH_ITEMS_PER_DAY
    assert "Ritual at 8" in cell and "Ritual at 14" not in cell
    assert f'href="?view=week&amp;date={tuesday}"' in cell and ">3 more<" in cell
    week = client.get(f"/rhythms/?view=week&date={tuesday}").content.decode()
    assert all(f"Ritual at {hour}" in week for hour in range(8, 15))


def test_the_calendar_sees_a_change_to_the_org_at_once(client_as, ritual) -> None:
    client = client_as("viewer")
    assert "Weekly product review" in client.get("/rhythms/?view=month").content.decode()
    ritual.name = "Renamed review"
    ritual.save()
    body = client.get("/rhythms/?view=month").content.decode()
    assert "Renamed review" in body and "Weekly product review" not in body


def test_the_audit_uses_as_many_queries_with_200_rituals_as_with_5(client_as) -> None:
    client = client_as("viewer")

    def count_with(n: int) -> int:
        for i in range(Ritual.objects.count(), n):
            ritual = RitualFactory(name=f"Ritual {i}")
            for weeks in range(1, 6):
                when = today_at(10, -7 * weeks)
                OccurrenceFactory(ritual=ritual, scheduled_for=when, starts_at=when)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rhythms/audit/").status_code == 200
        return len(queries)

    assert count_with(5) == count_with(200)


# The ritual page and form ----------------------------------------------------------------------------


def test_the_ritual_page_shows_purpose_mapping_cadence_and_record(
    client_as, ritual, person_of, viewer
) -> None:
    ritual.attendees.add(person_of(viewer))
    occurrence = past_occurrence(ritual)
    decision = DecisionFactory(title="Ship the enterprise pilot")
    blocker = WorkstreamFactory(name="Data residency")
    occurrence.status = Occurrence.Status.HELD
    occurrence.notes = "Good session."
    occurrence.save()
    occurrence.decisions_informed.add(decision)
    occurrence.blockers_surfaced.add(blocker)
    Commitment.objects.create(description="Send the plan", due_on=timezone.localdate(), occurrence=occurrence)
    body = client_as("viewer").get(f"/rhythms/{ritual.pk}/").content.decode()
    for text in [
        "Walk the week&#x27;s launches.", "Launch go or no-go.", "Cross-team dependencies.", "Weekly on ",
        "Sam Lindqvist", "Good session.", decision.key, "Ship the enterprise pilot", blocker.key, "Send the plan",
    ]:  # fmt: skip
        assert text in body, text
    assert f'href="/decisions/{decision.key}/"' in body
    assert f'href="/workstreams/{blocker.key}/"' in body
    assert "Edit" not in body.split("<main", 1)[1].split("Why it exists", 1)[0]


def test_a_ritual_key_address_leads_to_its_page(client_as, ritual) -> None:
    response = client_as("viewer").get(f"/rhythms/{ritual.key}/")
    assert response.status_code == 302
    assert response["Location"] == f"/rhythms/{ritual.pk}/"


def ritual_post(**changes) -> dict[str, object]:
    data = {
        "name": "Weekly product review",
        "kind": "product_review",
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "starts_at": "2026-09-01T10:00",
        "duration_minutes": "60",
        "purpose": "Walk the launches.",
        "informs_decision": "Go or no-go.",
        "surfaces_blocker": "",
    }
    data.update(changes)
    return data


def test_the_cos_creates_a_ritual_and_sees_its_cadence_in_words(cos_client) -> None:
    response = cos_client.post(reverse("rhythms:ritual_create"), ritual_post(name="Architecture review"))
    ritual = Ritual.objects.get(name="Architecture review")
    assert response.status_code == 302
    assert response["Location"] == f"/rhythms/{ritual.pk}/"
    assert ritual.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert ritual.occurrences.exists()
    page = cos_client.get(response["Location"]).content.decode()
    assert "Every other Tuesday at 10:00" in page


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=SOMETIMES", "FREQ=SOMETIMES is not a frequency"),
        ("whenever", "is not a NAME=VALUE part"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20301231", "not both"),
        ("FREQ=WEEKLY;UNTIL=20200101", "never produces an occurrence"),
        ("", "This field is required"),
    ],
)
def test_a_bad_rule_is_refused_in_place_with_its_message(cos_client, rule, message) -> None:
    response = cos_client.post(reverse("rhythms:ritual_create"), ritual_post(rrule=rule), headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<form id="rhythms-ritual-form"')
    assert message in body
    assert 'aria-invalid="true"' in body
    assert not Ritual.objects.exists()


def test_without_htmx_a_bad_rule_re_renders_the_whole_page(cos_client) -> None:
    response = cos_client.post(reverse("rhythms:ritual_create"), ritual_post(rrule="FREQ=NEVER"))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "FREQ=NEVER is not a frequency" in response.content.decode()


def test_an_edit_with_htmx_navigates_to_the_ritual(cos_client, ritual) -> None:
    response = cos_client.post(
        reverse("rhythms:ritual_edit", args=[ritual.pk]),
        ritual_post(name="Product review", version=ritual.version),
        headers=HX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/rhythms/{ritual.pk}/"
    ritual.refresh_from_db()
    assert (ritual.name, ritual.version) == ("Product review", 2)
    assert ritual.history.first().history_user.username == "cos"


def test_a_stale_edit_is_refused_and_both_versions_shown(cos_client, ritual) -> None:
    Ritual.objects.filter(pk=ritual.pk).update(version=5, name="Renamed by someone else")
    response = cos_client.post(
        reverse("rhythms:ritual_edit", args=[ritual.pk]), ritual_post(name="Mine", version=1), headers=HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in body
    assert "Renamed by someone else" in body
    assert 'name="version" value="5"' in body
    ritual.refresh_from_db()
    assert ritual.name == "Renamed by someone else"


# Recording an occurrence ------------------------------------------------------------------------------


def record_post(
    occurrence: Occurrence, rows: list[dict[str, str]] | None = None, **changes
) -> dict[str, object]:
    rows = rows or []
    data: dict[str, object] = {
        "status": "held",
        "starts_at": timezone.localtime(occurrence.scheduled_for).strftime("%Y-%m-%dT%H:%M"),
        "notes": "",
        "version": str(Occurrence.objects.get(pk=occurrence.pk).version),
        "commitments-TOTAL_FORMS": str(len(rows)),
        "commitments-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"commitments-{i}-{key}"] = value
    data.update(changes)
    return data


def test_the_cos_records_what_an_occurrence_produced(cos_client, ritual, person_of, chief_of_staff) -> None:
    occurrence = past_occurrence(ritual)
    decision = DecisionFactory()
    blocker = WorkstreamFactory()
    owner = person_of(chief_of_staff)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    data = record_post(
        occurrence,
        rows=[
            {"description": "Send the capacity plan", "owner": str(owner.pk), "due_on": due},
            {"description": ""},
        ],
        notes="Agreed the launch scope.",
        decisions=[str(decision.pk)],
        blockers=[str(blocker.pk)],
    )
    response = cos_client.post(reverse("rhythms:occurrence_record", args=[occurrence.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == f"/rhythms/{ritual.pk}/#occurrence-{occurrence.pk}"
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD
    assert occurrence.notes == "Agreed the launch scope."
    assert list(occurrence.decisions_informed.all()) == [decision]
    assert list(occurrence.blockers_surfaced.all()) == [blocker]
    commitment = Commitment.objects.get(occurrence=occurrence)
    assert (commitment.description, commitment.owner, str(commitment.due_on)) == (
        "Send the capacity plan",
        owner,
        due,
    )
    assert commitment.key.startswith("C-")
    assert occurrence.history.count() >= 2


def test_an_occurrence_is_recorded_as_skipped_or_moved(cos_client, ritual) -> None:
    occurrence = past_occurrence(ritual)
    cos_client.post(
        reverse("rhythms:occurrence_record", args=[occurrence.pk]), record_post(occurrence, status="skipped")
    )
    occurrence.refresh_from_db()
    assert occurrence.status == "skipped"
    new_start = timezone.localtime(occurrence.scheduled_for) + dt.timedelta(days=1, hours=2)
    cos_client.post(
        reverse("rhythms:occurrence_record", args=[occurrence.pk]),
        record_post(occurrence, starts_at=new_start.strftime("%Y-%m-%dT%H:%M")),
    )
    occurrence.refresh_from_db()
    assert occurrence.is_moved
    assert occurrence.starts_at == new_start


def test_a_half_filled_commitment_row_is_refused_in_place(cos_client, ritual) -> None:
    occurrence = past_occurrence(ritual)
    response = cos_client.post(
        reverse("rhythms:occurrence_record", args=[occurrence.pk]),
        record_post(occurrence, rows=[{"description": "Something", "owner": "", "due_on": ""}]),
        headers=HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<form id="rhythms-record-form"')
    assert "When is it due?" in body
    assert "Who made the commitment?" in body
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.PLANNED
    assert not Commitment.objects.exists()


def test_adding_a_commitment_row_keeps_what_was_typed_and_saves_nothing(cos_client, ritual) -> None:
    occurrence = past_occurrence(ritual)
    data = record_post(
        occurrence, rows=[{"description": "Draft the memo"}], notes="Typed so far", add_row="1"
    )
    for headers in ({}, HX):
        response = cos_client.post(
            reverse("rhythms:occurrence_record", args=[occurrence.pk]), data, headers=headers
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert 'name="commitments-TOTAL_FORMS" value="2"' in body
        assert "Draft the memo" in body
        assert "Typed so far" in body
        assert "errorlist" not in body
    occurrence.refresh_from_db()
    assert occurrence.notes == ""


def test_recording_with_htmx_navigates_to_the_ritual_record(cos_client, ritual) -> None:
    occurrence = past_occurrence(ritual)
    response = cos_client.post(
        reverse("rhythms:occurrence_record", args=[occurrence.pk]), record_post(occurrence), headers=HX
    )
    assert response["HX-Redirect"] == f"/rhythms/{ritual.pk}/#occurrence-{occurrence.pk}"


# Retiring ---------------------------------------------------------------------------------------------


def test_retiring_asks_why(cos_client, ritual) -> None:
    response = cos_client.post(
        reverse("rhythms:ritual_retire", args=[ritual.pk]),
        {"reason": "  ", "version": ritual.version},
        headers=HX,
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<form id="retire-form-{ritual.pk}"')
    assert "Say why the ritual is retired" in body
    ritual.refresh_from_db()
    assert ritual.is_active


def test_the_retire_form_comes_as_a_fragment_for_the_audit_row(cos_client, ritual) -> None:
    response = cos_client.get(reverse("rhythms:ritual_retire", args=[ritual.pk]), headers=HX)
    body = response.content.decode()
    assert body.lstrip().startswith(f'<form id="retire-form-{ritual.pk}"')
    assert "Why retire it?" in body


def test_retiring_keeps_the_record_and_lists_it_apart(cos_client, ritual) -> None:
    occurrence = past_occurrence(ritual)
    occurrence.status = Occurrence.Status.HELD
    occurrence.save()
    response = cos_client.post(
        reverse("rhythms:ritual_retire", args=[ritual.pk]),
        {"reason": "Replaced by the async update.", "version": ritual.version},
        headers=HX,
    )
    assert response["HX-Redirect"] == "/rhythms/audit/"
    ritual.refresh_from_db()
    assert (ritual.is_active, ritual.retired_on, ritual.retired_reason) == (
        False, timezone.localdate(), "Replaced by the async update.",
    )  # fmt: skip
    assert Occurrence.objects.filter(pk=occurrence.pk).exists()
    audit = cos_client.get("/rhythms/audit/").content.decode()
    retired_section = audit.split('id="retired-h"', 1)[1]
    assert "Replaced by the async update." in retired_section
    page = cos_client.get(f"/rhythms/{ritual.pk}/").content.decode()
    assert "Retired on" in page
    assert "Replaced by the async update." in page
    assert "Retire…" not in page
    assert "retired: Replaced by the async update." in page  # the history says why


def test_a_stale_retire_is_refused(cos_client, ritual) -> None:
    Ritual.objects.filter(pk=ritual.pk).update(version=9)
    response = cos_client.post(
        reverse("rhythms:ritual_retire", args=[ritual.pk]), {"reason": "Old news.", "version": 1}, headers=HX
    )
    assert "Someone changed this ritual" in response.content.decode()
    ritual.refresh_from_db()
    assert ritual.is_active


def test_the_audit_page_flags_rituals_and_offers_retire_to_the_cos_only(client_as) -> None:
    readout = RitualFactory(name="Weekly status readout")
    for weeks in range(1, 5):
        when = today_at(11, -7 * weeks)
        OccurrenceFactory(ritual=readout, scheduled_for=when, starts_at=when)
    RitualFactory(name="Demo hour", informs_decision="", surfaces_blocker="")
    cos = client_as("chief_of_staff").get("/rhythms/audit/").content.decode()
    flagged = cos.split('id="flagged-h"', 1)[1].split('id="retired-h"', 1)[0]
    assert "Weekly status readout" in flagged and "ritual-theater" in flagged
    assert "Demo hour" in flagged and "ritual-without-purpose" in flagged
    assert "Retire…" in cos
    assert "Retire…" not in client_as("principal").get("/rhythms/audit/").content.decode()
    fragment = client_as("viewer").get("/rhythms/audit/", headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="rhythms-audit"')


def test_materializing_occurrences_counts_as_a_change_to_the_org(db) -> None:
    from leadership_os.models import OrgRevision

    ritual = RitualFactory.build(name="Weekly sync", rrule="FREQ=WEEKLY;BYDAY=MO", starts_at=today_at(9, -30))
    ritual.save()
    Occurrence.objects.filter(ritual=ritual).delete()
    before = OrgRevision.current()
    assert ritual_sync_occurrences(ritual=ritual, today=timezone.localdate()).created
    assert OrgRevision.current() > before
