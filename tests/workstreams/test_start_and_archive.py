"""The chief of staff starts a workstream, edits every field of it, archives it and restores it."""

from __future__ import annotations

import pytest

from radar.engine_adapter import evaluate_org
from tests.factories import PersonFactory, SurfaceFactory
from tests.workstreams.factories import CommitmentFactory, ExternalPersonFactory, WorkstreamFactory, days
from workstreams.models import State, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(chief_of_staff) -> dict[str, object]:
    return {
        "gov": SurfaceFactory(key="gov", name="Government"),
        "wei": PersonFactory(key="wei", name="Wei Chen"),
    }


def start(client, **extra: str):
    data = {
        "name": "Agency onboarding",
        "surface": "gov",
        "owner": "wei",
        "state": "on_track",
        "tags": "fedramp, Pilot Program",
    }
    return client.post("/workstreams/new/", {**data, **extra})


def test_a_new_workstream_appears_in_its_surface_group_on_the_map(cos_client, org) -> None:
    response = start(
        cos_client, first_note="Kick-off held; scope agreed.", description="Onboard the first agency."
    )
    ws = Workstream.objects.get(name="Agency onboarding")
    assert response.status_code == 302 and response["Location"].endswith(f"#ws-{ws.key}")
    assert ws.owner.key == "wei" and ws.surface.key == "gov" and ws.created_on == days(0)
    assert sorted(ws.tags.values_list("name", flat=True)) == ["fedramp", "pilot-program"]
    update = StatusUpdate.objects.get(workstream=ws)
    assert update.note == "Kick-off held; scope agreed." and update.author.key == "cos"
    page = cos_client.get("/workstreams/").content.decode()
    group = page[page.index('id="surface-gov"') :]
    assert f'id="ws-{ws.key}"' in group
    assert ws.history.first().history_change_reason == "Started"


def test_a_blocked_workstream_needs_its_blocker_and_nothing_is_written_without_it(cos_client, org) -> None:
    response = start(cos_client, state=State.BLOCKED)
    assert response.status_code == 200
    assert "needs a blocker" in response.content.decode()
    assert not Workstream.objects.exists()


def test_a_duplicate_name_is_refused_with_the_key_that_has_it(cos_client, org) -> None:
    existing = WorkstreamFactory(name="Agency Onboarding")
    response = start(cos_client)
    assert response.status_code == 200
    assert f"{existing.key} is already called" in response.content.decode()
    assert Workstream.objects.count() == 1


def test_an_external_person_cannot_own_a_workstream(cos_client, org) -> None:
    ExternalPersonFactory(key="ben", name="Ben Whitaker")
    response = start(cos_client, owner="ben")
    assert "outside the company" in response.content.decode()
    assert not Workstream.objects.exists()


def test_edit_every_field_on_its_page_with_history(cos_client, org) -> None:
    ws = WorkstreamFactory(name="Old name", surface=org["gov"], owner=org["wei"])
    other = SurfaceFactory(key="ent", name="Enterprise")
    response = cos_client.post(
        f"/workstreams/{ws.key}/edit/",
        {
            "name": "New name",
            "surface": "ent",
            "owner": "",
            "description": "Now with a description",
            "tags": "evals",
            "state": "at_risk",
            "version": ws.version,
        },
    )
    assert response.status_code == 302
    ws.refresh_from_db()
    assert (ws.name, ws.surface, ws.owner, ws.state, ws.version) == (
        "New name",
        other,
        None,
        State.AT_RISK,
        2,
    )
    assert list(ws.tags.values_list("name", flat=True)) == ["evals"]
    page = cos_client.get(f"/workstreams/{ws.key}/").content.decode()
    assert "Old name" in page and "New name" in page  # in its history


def test_an_edit_based_on_an_old_version_shows_both_versions_and_saves_nothing(cos_client, org) -> None:
    ws = WorkstreamFactory(name="Kept", version=3)
    response = cos_client.post(
        f"/workstreams/{ws.key}/edit/", {"name": "Mine", "state": "on_track", "version": 2}
    )
    assert response.status_code == 200
    assert "conflict" in response.content.decode().lower()
    ws.refresh_from_db()
    assert ws.name == "Kept"


def test_archive_leaves_the_map_and_the_radar_and_restore_brings_it_back(cos_client, org) -> None:
    ws = WorkstreamFactory(name="Finished pilot", owner=None, created_on=days(-30))
    assert any(item.subject.key == ws.key for item in evaluate_org().radar)
    response = cos_client.post(
        f"/workstreams/{ws.key}/archive/", {"reason": "Pilot finished", "version": ws.version}
    )
    assert response.status_code == 302
    ws.refresh_from_db()
    assert ws.archived_on == days(0) and ws.archive_reason == "Pilot finished"
    assert f'id="ws-{ws.key}"' not in cos_client.get("/workstreams/").content.decode()
    assert not any(item.subject.key == ws.key for item in evaluate_org().radar)
    # Still readable and listed among the archived.
    assert "Archived on" in cos_client.get(f"/workstreams/{ws.key}/").content.decode()
    assert f'id="ws-{ws.key}"' in cos_client.get("/workstreams/?state=archived").content.decode()
    assert ws.history.first().history_change_reason == "Archived: Pilot finished"

    response = cos_client.post(f"/workstreams/{ws.key}/restore/", {"version": ws.version})
    ws.refresh_from_db()
    assert ws.archived_on is None
    assert f'id="ws-{ws.key}"' in cos_client.get("/workstreams/").content.decode()


def test_archiving_a_workstream_others_wait_on_names_them_and_writes_nothing(cos_client, org) -> None:
    ws = WorkstreamFactory(name="Boundary")
    ben = ExternalPersonFactory(name="Ben Whitaker")
    promise = CommitmentFactory(
        workstream=ws, description="Send the boundary diagram", promised_to=ben, due_on=days(3)
    )
    CommitmentFactory(workstream=ws, description="Already sent", done_on=days(-1))
    response = cos_client.post(
        f"/workstreams/{ws.key}/archive/", {"reason": "Abandoned", "version": ws.version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Others still wait on 1 open commitment" in page
    assert promise.key in page and "Ben Whitaker" in page and "Already sent" not in page
    ws.refresh_from_db()
    assert ws.archived_on is None and ws.version == 1
    # Knowingly, it can be archived anyway; the commitment stays open.
    cos_client.post(
        f"/workstreams/{ws.key}/archive/", {"reason": "Abandoned", "version": ws.version, "confirm": "on"}
    )
    ws.refresh_from_db()
    promise.refresh_from_db()
    assert ws.archived_on is not None and promise.done_on is None


def test_archive_needs_a_reason(cos_client, org) -> None:
    ws = WorkstreamFactory()
    response = cos_client.post(f"/workstreams/{ws.key}/archive/", {"reason": "", "version": ws.version})
    assert "Say why" in response.content.decode()
    ws.refresh_from_db()
    assert ws.archived_on is None


def test_add_someone_new_as_owner_without_javascript_keeps_the_form(cos_client, org) -> None:
    response = start(
        cos_client,
        name="Keeps its name",
        owner="",
        add_person="owner",
        **{"newperson-name": "Lena Park", "newperson-affiliation": "internal", "newperson-title": "PM"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Keeps its name"' in page
    assert '<option value="lena-park" selected>Lena Park</option>' in page
    assert "Added Lena Park to the directory" in page
    assert not Workstream.objects.exists()


def test_add_someone_new_as_owner_with_htmx_answers_the_picker_only(cos_client, org) -> None:
    response = cos_client.post(
        "/people/quick-add/",
        {
            "picker_name": "owner",
            "picker_id": "id_owner",
            "picker_scope": "internal",
            "owner": "wei",
            "newperson-name": "Lena Park",
            "newperson-affiliation": "internal",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert (
        page.startswith('\n<div class="field person-picker" id="id_owner-picker">')
        or 'id="id_owner-picker"' in page[:200]
    )
    assert '<option value="lena-park" selected>Lena Park</option>' in page
    assert '<option value="wei">Wei Chen</option>' in page
    assert "<form" not in page


def test_the_quick_add_refuses_an_email_already_used_and_adds_nobody(cos_client, org) -> None:
    PersonFactory(name="Someone", email="lena@example.com")
    response = cos_client.post(
        "/people/quick-add/",
        {
            "picker_name": "owner",
            "picker_id": "id_owner",
            "newperson-name": "Lena Park",
            "newperson-affiliation": "internal",
            "newperson-email": "LENA@example.com",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Someone already uses lena@example.com" in response.content.decode().replace("LENA", "lena")
    assert not PersonFactory._meta.model.objects.filter(name="Lena Park").exists()


def test_an_archived_workstream_stays_searchable(cos_client, org) -> None:
    ws = WorkstreamFactory(name="Quantum procurement pilot")
    cos_client.post(f"/workstreams/{ws.key}/archive/", {"reason": "Abandoned", "version": ws.version})
    page = cos_client.get("/search/?q=quantum procurement").content.decode()
    assert f'href="/workstreams/{ws.key}/"' in page


def test_a_commitment_can_be_promised_to_someone_new_without_losing_the_form(cos_client, org) -> None:
    ws = WorkstreamFactory(owner=org["wei"])
    response = cos_client.post(
        f"/workstreams/{ws.key}/commitments/",
        {
            "description": "Send the data-flow narrative",
            "owner": "wei",
            "due_on": days(5).isoformat(),
            "add_person": "promised_to",
            "newperson-name": "Dana Ilves",
            "newperson-affiliation": "agency",
            "newperson-organization": "FDSA",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Send the data-flow narrative"' in page
    assert '<option value="dana-ilves" selected>Dana Ilves (FDSA)</option>' in page
    assert '<details class="add-commitment" open>' in page
    assert not ws.commitments.exists()
