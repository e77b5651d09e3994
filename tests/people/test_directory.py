"""The directory: people and their pages, leaving the org, surfaces and tags."""

from __future__ import annotations

import pytest

from decisions.models import Decision
from leadership_os.models import Person, Surface, Tag
from tests.briefs.factories import EngagementFactory, PositionFactory
from tests.context_repo.factories import ContextEntryFactory as EntryFactory
from tests.factories import PersonFactory, SurfaceFactory, TagFactory
from tests.rhythms.factories import RitualFactory
from tests.workstreams.factories import CommitmentFactory, DecisionFactory, WorkstreamFactory, days

pytestmark = pytest.mark.django_db


def test_add_an_external_person_and_find_them(cos_client) -> None:
    SurfaceFactory(key="gov", name="Government")
    response = cos_client.post(
        "/people/new/",
        {
            "name": "Ben Whitaker",
            "title": "Deputy CIO",
            "organization": "FDSA",
            "affiliation": "agency",
            "email": "ben@fdsa.gov",
            "surface": "gov",
        },
    )
    person = Person.objects.get(name="Ben Whitaker")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.key}/"
    assert person.key == "ben-whitaker" and person.surface.key == "gov" and person.is_external
    listing = cos_client.get("/people/?affiliation=external").content.decode()
    assert "Ben Whitaker" in listing and "FDSA" in listing
    assert "Ben Whitaker" not in cos_client.get("/people/?affiliation=internal").content.decode()
    assert person.history.first().history_change_reason == "Added to the directory"


def test_an_email_already_used_is_refused_and_nothing_written(cos_client) -> None:
    PersonFactory(name="Ana Ruiz", email="ana@example.com")
    response = cos_client.post(
        "/people/new/", {"name": "Other", "affiliation": "internal", "email": "Ana@Example.com"}
    )
    assert response.status_code == 200
    assert "Ana Ruiz already uses" in response.content.decode()
    assert not Person.objects.filter(name="Other").exists()


def test_the_same_name_at_the_same_organization_is_refused(cos_client) -> None:
    PersonFactory(name="Kim Ode", organization="Northbank", affiliation="customer")
    response = cos_client.post(
        "/people/new/", {"name": "kim ode", "affiliation": "customer", "organization": "Northbank"}
    )
    assert "is already in the directory" in response.content.decode()
    assert Person.objects.filter(name__iexact="kim ode").count() == 1
    # Another Kim Ode elsewhere is someone else.
    cos_client.post("/people/new/", {"name": "Kim Ode", "affiliation": "partner", "organization": "Acme"})
    assert Person.objects.filter(name__iexact="kim ode").count() == 2


def test_a_persons_page_shows_their_part_in_every_artifact(client_as) -> None:
    client = client_as("principal")
    ana = PersonFactory(key="ana", name="Ana Ruiz")
    ws = WorkstreamFactory(name="Evals harness", owner=ana)
    CommitmentFactory(owner=ana, description="Ship the eval report", due_on=days(-4))
    CommitmentFactory(owner=ana, description="Send the deck", due_on=days(-9), done_on=days(-8))
    d = DecisionFactory(title="Which eval suite", driver=ana)
    Decision.objects.filter(pk=d.pk).update(decider=ana)
    engagement = EngagementFactory(title="Lab review", attendees=[ana])
    PositionFactory(person=ana, engagement=engagement, position="Wants a two-week pilot", stance="support")
    ritual = RitualFactory(name="Weekly product review")
    ritual.attendees.set([ana])
    page = client.get("/people/ana/").content.decode()
    for text in [
        ws.key,
        "Evals harness",
        "Ship the eval report",
        "Send the deck",
        "1 kept · 1 slipped",
        d.key,
        "drove, decides",
        "Wants a two-week pilot",
        "Weekly product review",
        "Lab review",
    ]:
        assert text in page, text
    assert (
        "Edit" not in page.split("<main", 1)[1].split("</header>", 1)[0]
    )  # a principal reads, does not edit


def test_someone_who_left_is_kept_but_no_longer_offered_and_their_login_disabled(
    cos_client, contributor
) -> None:
    priya = Person.objects.get(user=contributor)
    ws = WorkstreamFactory(owner=priya)
    response = cos_client.post(
        f"/people/{priya.key}/left/", {"left_on": days(0).isoformat(), "version": priya.version}
    )
    assert response.status_code == 302
    priya.refresh_from_db()
    contributor.refresh_from_db()
    assert priya.left_on == days(0) and not contributor.is_active
    form = cos_client.get("/workstreams/new/").content.decode()
    assert f'value="{priya.key}"' not in form
    # Still on the record that names them, and still chosen when it is edited.
    edit = cos_client.get(f"/workstreams/{ws.key}/edit/").content.decode()
    assert f'<option value="{priya.key}" selected>' in edit
    assert "Left the org on" in cos_client.get(f"/people/{priya.key}/").content.decode()
    assert f'id="person-{priya.key}"' not in cos_client.get("/people/").content.decode()
    assert f'id="person-{priya.key}"' in cos_client.get("/people/?left=1").content.decode()
    cos_client.post(f"/people/{priya.key}/back/", {"version": priya.version})
    priya.refresh_from_db()
    assert priya.left_on is None


def test_a_stale_person_edit_shows_both_versions(cos_client) -> None:
    ana = PersonFactory(name="Ana Ruiz", version=2)
    response = cos_client.post(
        f"/people/{ana.key}/edit/", {"name": "Ana R.", "affiliation": "internal", "version": 1}
    )
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.name == "Ana Ruiz"


def test_surfaces_add_rename_and_duplicate_name(cos_client) -> None:
    cos_client.post("/surfaces/", {"name": "Frontier labs"})
    surface = Surface.objects.get()
    assert surface.key == "frontier-labs"
    response = cos_client.post("/surfaces/", {"name": "frontier LABS"})
    assert "There is already a surface named" in response.content.decode()
    assert Surface.objects.count() == 1
    cos_client.post(f"/surfaces/{surface.key}/", {"name": "Frontier AI labs"})
    surface.refresh_from_db()
    assert surface.name == "Frontier AI labs" and surface.key == "frontier-labs"
    assert surface.history.first().history_change_reason == "Renamed from 'Frontier labs'"


def test_retiring_a_surface_in_use_names_its_workstreams_and_changes_nothing(cos_client) -> None:
    surface = SurfaceFactory(name="Government")
    ws = WorkstreamFactory(name="FedRAMP boundary", surface=surface)
    response = cos_client.post(f"/surfaces/{surface.key}/retire/")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "1 workstream still use Government" in page
        and ws.key in page
        and "Move them to another surface first" in page
    )
    surface.refresh_from_db()
    assert surface.retired_on is None
    ws.surface = None
    ws.save()
    cos_client.post(f"/surfaces/{surface.key}/retire/")
    surface.refresh_from_db()
    assert surface.retired_on is not None
    assert f'value="{surface.key}"' not in cos_client.get("/workstreams/new/").content.decode()


def test_merging_tags_moves_every_link_and_history_says_so(cos_client) -> None:
    old, new = TagFactory(name="fed-ramp"), TagFactory(name="fedramp")
    decision = DecisionFactory()
    decision.tags.set([old])
    both = DecisionFactory()
    both.tags.set([old, new])
    ws = WorkstreamFactory()
    ws.tags.set([old])
    entry = EntryFactory()
    entry.tags.set([old])
    engagement = EngagementFactory(tags=[old])
    response = cos_client.post("/tags/fed-ramp/merge/", {"into": "fedramp"})
    assert response.status_code == 302
    assert not Tag.objects.filter(name="fed-ramp").exists()
    for record in (decision, both, ws, entry, engagement):
        assert list(record.tags.values_list("name", flat=True)) == ["fedramp"], record
    assert "Merged 'fed-ramp' into this tag" in new.history.first().history_change_reason
    assert ws.history.first().history_change_reason == "Tag 'fed-ramp' merged into 'fedramp'"
    page = cos_client.get("/tags/").content.decode()
    assert (
        "Merged fed-ramp into fedramp: moved 2 decisions, 1 workstreams, 1 engagements, 1 context entries"
        in page
    )
    assert 'id="tag-fed-ramp"' not in page


def test_a_tag_cannot_be_renamed_to_one_that_exists(cos_client) -> None:
    TagFactory(name="evals")
    TagFactory(name="evaluation")
    response = cos_client.post("/tags/evaluation/", {"name": "Evals"})
    assert "There is already a tag “evals”" in response.content.decode()
    assert Tag.objects.filter(name="evaluation").exists()


def test_every_person_picker_leaves_out_who_left_but_keeps_a_chosen_one(cos_client) -> None:
    gone = PersonFactory(key="gone", name="Gone Person", left_on=days(-3))
    PersonFactory(key="here", name="Here Person")
    ws = WorkstreamFactory()
    kept = WorkstreamFactory(owner=gone)
    decision = DecisionFactory()
    pages = [
        f"/workstreams/{ws.key}/edit/owner/",  # the map's owner cell
        f"/workstreams/{ws.key}/",  # the commitment form
        f"/decisions/{decision.key}/edit/",
        "/rhythms/new/",
    ]
    for url in pages:
        page = cos_client.get(url, HTTP_HX_REQUEST="true" if "edit/owner" in url else None).content.decode()
        assert "Here Person" in page, url
        assert "Gone Person" not in page, url
    page = cos_client.get(f"/workstreams/{kept.key}/edit/owner/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="gone" selected' in page
