"""Every address this issue adds, against every role and an anonymous visitor, with each method.

Reading is for every role (a principal reads all of it); every change is the chief of staff's
(logins: also staff's). A refusal is a 403 page that says, in words, who may do it.
"""

from __future__ import annotations

import pytest

from leadership_os.models import Person
from tests.briefs.factories import EngagementFactory
from tests.factories import PersonFactory, SurfaceFactory, TagFactory
from tests.workstreams.factories import WorkstreamFactory

pytestmark = pytest.mark.django_db

ROLES = ["principal", "chief_of_staff", "contributor", "viewer", "staff"]
READERS = dict.fromkeys(ROLES, 200)
COS_ONLY = {"principal": 403, "chief_of_staff": 200, "contributor": 403, "viewer": 403, "staff": 403}
COS_OR_STAFF = {**COS_ONLY, "staff": 200}


@pytest.fixture
def records(db: None) -> dict[str, str]:
    surface = SurfaceFactory(key="gov", name="Government")
    person = PersonFactory(key="ana-ruiz", name="Ana Ruiz", surface=surface)
    ws = WorkstreamFactory(surface=surface)
    archived = WorkstreamFactory(archived_on="2026-01-05", archive_reason="Done")
    engagement = EngagementFactory()
    TagFactory(name="fedramp")
    TagFactory(name="fed-ramp")
    return {
        "ws": ws.key,
        "archived": archived.key,
        "e": str(engagement.pk),
        "p": person.key,
        "s": surface.key,
    }


GETS = {
    "/people/": READERS,
    "/people/?affiliation=external&q=a": READERS,
    "/people/{p}/": READERS,
    "/people/new/": COS_ONLY,
    "/people/{p}/edit/": COS_ONLY,
    "/people/{p}/left/": COS_ONLY,
    "/people/{p}/login/": COS_OR_STAFF,
    "/surfaces/": READERS,
    "/surfaces/{s}/": COS_ONLY,
    "/tags/": READERS,
    "/tags/fedramp/": COS_ONLY,
    "/workstreams/new/": COS_ONLY,
    "/workstreams/{ws}/edit/": COS_ONLY,
    "/workstreams/{ws}/archive/": COS_ONLY,
    "/workstreams/{archived}/": READERS,
    "/workstreams/?state=archived": READERS,
    "/briefs/new/": COS_ONLY,
    "/briefs/{e}/edit/": COS_ONLY,
    "/briefs/{e}/reschedule/": COS_ONLY,
    "/briefs/{e}/cancel/": COS_ONLY,
}

POSTS = {
    "/people/new/": {"name": "New Person", "affiliation": "internal"},
    "/people/quick-add/": {
        "picker_name": "owner",
        "picker_id": "id_owner",
        "newperson-name": "Quick Person",
        "newperson-affiliation": "internal",
    },
    "/people/{p}/edit/": {"name": "Ana Ruiz", "affiliation": "internal", "version": 1},
    "/people/{p}/left/": {"left_on": "2026-01-01", "version": 1},
    "/people/{p}/back/": {"version": 1},
    "/people/{p}/login/": {"action": "create", "role": "Viewer"},
    "/surfaces/": {"name": "Enterprise"},
    "/surfaces/{s}/": {"name": "Public sector"},
    "/surfaces/{s}/retire/": {},
    "/surfaces/{s}/restore/": {},
    "/tags/": {"name": "evals"},
    "/tags/fedramp/": {"name": "fedramp-high"},
    "/tags/fed-ramp/merge/": {"into": "fedramp"},
    "/workstreams/new/": {"name": "Agency pilot", "state": "on_track"},
    "/workstreams/{ws}/edit/": {"name": "Renamed", "state": "on_track", "version": 1},
    "/workstreams/{ws}/archive/": {"reason": "Finished", "version": 1},
    "/workstreams/{archived}/restore/": {"version": 1},
    "/briefs/new/": {
        "title": "Pilot review",
        "kind": "customer_briefing",
        "starts_at": "2030-01-02T10:00",
        "duration_minutes": 60,
    },
    "/briefs/{e}/edit/": {
        "title": "Pilot review",
        "kind": "customer_briefing",
        "starts_at": "2030-01-02T10:00",
        "duration_minutes": 60,
        "version": 1,
    },
    "/briefs/{e}/reschedule/": {"starts_at": "2030-01-03T10:00", "duration_minutes": 60, "version": 1},
    "/briefs/{e}/cancel/": {"reason": "They postponed", "version": 1},
    "/briefs/{e}/reinstate/": {"version": 1},
}
POST_RULES = {"/people/{p}/login/": COS_OR_STAFF}

REFUSALS = ("Only the chief of staff", "Your role does not allow this")


@pytest.mark.parametrize("path", list(GETS))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_reading_each_new_address(client_as, records, path: str, role: str | None) -> None:
    url = path.format(**records)
    response = client_as(role).get(url)
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        return
    expected = GETS[path][role]
    assert response.status_code == expected, f"{role} GET {url}"
    if expected == 403:
        assert any(text in response.content.decode() for text in REFUSALS), "the refusal says why"


@pytest.mark.parametrize("path", list(POSTS))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_writing_each_new_address(client_as, records, path: str, role: str | None) -> None:
    url = path.format(**records)
    client = client_as(role)
    before = Person.objects.count()
    response = client.post(url, POSTS[path])
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        return
    expected = POST_RULES.get(path, COS_ONLY)[role]
    if expected == 200:
        assert response.status_code in (200, 302, 410), f"{role} POST {url}"
    else:
        assert response.status_code == 403, f"{role} POST {url}"
        assert any(text in response.content.decode() for text in REFUSALS), "the refusal says why"
        assert Person.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_an_htmx_refusal_is_a_readable_notice(client_as, records, role: str) -> None:
    response = client_as(role).post("/people/quick-add/", POSTS["/people/quick-add/"], HTTP_HX_REQUEST="true")
    if role == "chief_of_staff":
        assert response.status_code == 200
        assert "Quick Person" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "Only the chief of staff" in response.content.decode()


def test_the_set_password_page_is_open_to_anonymous_visitors_and_refuses_a_bad_link(client) -> None:
    response = client.get("/accounts/set-password/not-a-real-token/")
    assert response.status_code == 410
    assert "does not work any more" in response.content.decode()
