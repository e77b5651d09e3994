"""Every page and endpoint of the context repository and search, against every role and a visitor.

Reading is open to every role; writing an entry needs the contributor's or the chief of staff's
permission, and a contributor edits only the entries they wrote; only the chief of staff curates
the start-here path. Anyone signed in marks their own reading progress.
"""

from __future__ import annotations

import pytest

from tests.context_repo.factories import ContextEntryFactory, StepFactory

pytestmark = pytest.mark.django_db

ROLES = [None, "principal", "chief_of_staff", "contributor", "viewer", "staff"]
READERS = {"principal": 200, "chief_of_staff": 200, "contributor": 200, "viewer": 200, "staff": 200}
WRITERS = {"principal": 403, "chief_of_staff": 200, "contributor": 200, "viewer": 403, "staff": 403}
COS_ONLY = {"principal": 403, "chief_of_staff": 200, "contributor": 403, "viewer": 403, "staff": 403}


@pytest.fixture
def world(contributor, chief_of_staff) -> dict[str, object]:
    mine = ContextEntryFactory(title="Written by the PM", author=contributor)
    theirs = ContextEntryFactory(title="Written by the chief of staff", author=chief_of_staff)
    step = StepFactory(entry=mine, position=1)
    return {"mine": mine.key, "theirs": theirs.key, "step": step.pk}


GETS = [
    ("/context/", READERS),
    ("/context/?kind=customer_signal&tag=x&status=open&since=2026-01-01", READERS),
    ("/context/{mine}/", READERS),
    ("/context/{mine}/history/", READERS),
    ("/context/signals/", READERS),
    ("/context/start-here/", READERS),
    ("/context/start-here/1/", READERS),
    ("/search/?q=written", READERS),
    ("/search/?q=written&as=dropdown", READERS),
    ("/search/settled/?title=written+by", READERS),
    ("/context/new/", WRITERS),
    ("/context/{mine}/edit/", WRITERS),
    ("/context/{theirs}/edit/", COS_ONLY),
    ("/context/start-here/edit/", COS_ONLY),
]


@pytest.mark.parametrize(("path", "expected"), GETS, ids=[g[0] for g in GETS])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_to_each_page(client_as, world, path, expected, role) -> None:
    url = path.format(**world)
    response = client_as(role).get(url)
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected[role], f"{role} on {url}"
        if expected[role] == 403:
            assert (
                "chief of staff"
                in response.content.decode().split("callout-error", 1)[1].split("</div>", 1)[0]
            )


def _entry_form(**changes: object) -> dict[str, object]:
    data = {
        "kind": "note",
        "title": "A note",
        "body": "Body",
        "surface": "",
        "source": "",
        "dated_on": "2026-11-20",
        "status": "active",
        "tags": "",
        "decisions": "",
        "workstreams": "",
    }
    data.update(changes)
    return data


POSTS = [
    ("/context/new/", lambda w: _entry_form(), {**WRITERS, "chief_of_staff": 302, "contributor": 302}),
    (
        "/context/{mine}/edit/",
        lambda w: _entry_form(version=1),
        {**WRITERS, "chief_of_staff": 302, "contributor": 302},
    ),
    ("/context/{theirs}/edit/", lambda w: _entry_form(version=1), {**COS_ONLY, "chief_of_staff": 302}),
    ("/context/start-here/steps/{step}/read/", lambda w: {"read": "1"}, dict.fromkeys(READERS, 302)),
    (
        "/context/start-here/edit/",
        lambda w: {"record": w["mine"], "why": "Read it."},
        {**COS_ONLY, "chief_of_staff": 302},
    ),
    (
        "/context/start-here/steps/{step}/change/",
        lambda w: {"action": "down"},
        {**COS_ONLY, "chief_of_staff": 302},
    ),
]


@pytest.mark.parametrize(("path", "data", "expected"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_to_each_action(
    client_as, world, path, data, expected, role
) -> None:
    url = path.format(**world)
    response = client_as(role).post(url, data(world))
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected[role], f"{role} posting to {url}"


@pytest.mark.parametrize(
    "path",
    [
        "/context/new/",
        "/context/{mine}/edit/",
        "/context/start-here/edit/",
        "/context/start-here/steps/{step}/change/",
    ],
)
def test_a_refusal_to_an_htmx_request_is_a_readable_notice(client_as, world, path) -> None:
    response = client_as("viewer").post(
        path.format(**world), {"action": "up"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="notice notice-error"' in body and "<html" not in body


@pytest.mark.parametrize(
    "path", ["/context/start-here/steps/{step}/read/", "/context/start-here/steps/{step}/change/"]
)
def test_actions_refuse_a_get(client_as, world, path) -> None:
    assert client_as("chief_of_staff").get(path.format(**world)).status_code == 405


@pytest.mark.parametrize("path", ["/context/", "/context/{mine}/", "/context/signals/", "/search/?q=x"])
def test_read_only_pages_refuse_a_post(client_as, world, path) -> None:
    assert client_as("chief_of_staff").post(path.format(**world)).status_code == 405


def test_a_user_without_a_role_is_refused_everywhere(client, no_role_user, world) -> None:
    client.force_login(no_role_user)
    for path, _ in GETS:
        assert client.get(path.format(**world)).status_code == 403, path
