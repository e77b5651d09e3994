"""Every page and action of the decision log against every role: who gets 200 (or the redirect of a
successful POST) and who gets 403. Roles are DESIGN.md's: contributors write drafts and edit their
own; the chief of staff edits everything and runs the actions; only a principal records an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from decisions.models import Decision
from tests.decisions.factories import ConditionFactory, DecisionFactory, OptionFactory, decided

pytestmark = pytest.mark.django_db

ROLES = ["principal", "chief_of_staff", "contributor", "viewer", "staff"]
EVERYONE = dict.fromkeys(ROLES, 200)


def only(**allowed: int) -> dict[str, int]:
    return {role: allowed.get(role, 403) for role in ROLES}


@pytest.fixture
def world(request: pytest.FixtureRequest) -> dict[str, Decision]:
    """A draft of the contributor's, a draft of the chief of staff's, an open and a decided decision."""
    pm = request.getfixturevalue("contributor")
    cos = request.getfixturevalue("chief_of_staff")
    for role in ROLES:
        request.getfixturevalue(role)
    own_draft = DecisionFactory(status=Decision.Status.DRAFT, created_by=pm, opened_on=None)
    other_draft = DecisionFactory(status=Decision.Status.DRAFT, created_by=cos, opened_on=None)
    open_one = DecisionFactory(status=Decision.Status.OPEN, created_by=pm)
    OptionFactory(decision=open_one, title="Yes")
    OptionFactory(decision=open_one, title="No")
    done = decided(created_by=pm)
    ConditionFactory(decision=done, review_on=timezone.localdate() - dt.timedelta(days=1))
    return {"own_draft": own_draft, "other_draft": other_draft, "open": open_one, "decided": done}


def new_decision_data(**extra: str) -> dict[str, str]:
    data = {"title": "Adopt SCIM", "question": "Do we require SCIM?", "tags": "identity"}
    for kind in ("options", "stakeholders", "conditions"):
        data |= {f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"}
    return data | extra


def edit_data(decision: Decision) -> dict[str, str]:
    data = new_decision_data(title=decision.title + " (edited)", question=decision.question)
    data["version"] = str(decision.version)
    options = list(decision.options.all())
    data["options-TOTAL_FORMS"] = data["options-INITIAL_FORMS"] = str(len(options))
    for i, option in enumerate(options):
        data |= {f"options-{i}-id": str(option.pk), f"options-{i}-title": option.title}
        if decision.has_outcome:
            data[f"options-{i}-rejected_because"] = option.rejected_because
    return data


READS = {
    "the log": lambda w: "/decisions/",
    "a decision": lambda w: f"/decisions/{w['decided'].key}/",
    "its history": lambda w: f"/decisions/{w['decided'].key}/history/",
    "the timeline": lambda w: "/decisions/timeline/",
    "a decision as Markdown": lambda w: f"/decisions/{w['decided'].key}/export.md",
    "the log as a zip": lambda w: "/decisions/export.zip",
}


@pytest.mark.parametrize("what", list(READS))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_log(client_as, world, what: str, role: str) -> None:
    assert client_as(role).get(READS[what](world)).status_code == EVERYONE[role]


@pytest.mark.parametrize("what", list(READS))
def test_anonymous_visitors_are_sent_to_the_login_page(client_as, world, what: str) -> None:
    response = client_as(None).get(READS[what](world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


WRITES = {
    "open the new-decision form": (
        lambda w: ("get", "/decisions/new/", None),
        only(chief_of_staff=200, contributor=200),
    ),
    "create a decision": (
        lambda w: ("post", "/decisions/new/", new_decision_data()),
        only(chief_of_staff=302, contributor=302),
    ),
    "add a row through htmx": (
        lambda w: ("get", "/decisions/rows/options/?options-TOTAL_FORMS=2", None),
        only(chief_of_staff=200, contributor=200),
    ),
    "edit one's own draft": (
        lambda w: ("get", f"/decisions/{w['own_draft'].key}/edit/", None),
        only(chief_of_staff=200, contributor=200),
    ),
    "save one's own draft": (
        lambda w: ("post", f"/decisions/{w['own_draft'].key}/edit/", edit_data(w["own_draft"])),
        only(chief_of_staff=302, contributor=302),
    ),
    "edit someone else's draft": (
        lambda w: ("get", f"/decisions/{w['other_draft'].key}/edit/", None),
        only(chief_of_staff=200),
    ),
    "save someone else's draft": (
        lambda w: ("post", f"/decisions/{w['other_draft'].key}/edit/", edit_data(w["other_draft"])),
        only(chief_of_staff=302),
    ),
    "edit one's own decision once open": (
        lambda w: ("get", f"/decisions/{w['open'].key}/edit/", None),
        only(chief_of_staff=200),
    ),
    "save a decided decision": (
        lambda w: ("post", f"/decisions/{w['decided'].key}/edit/", edit_data(w["decided"])),
        only(chief_of_staff=302),
    ),
    "open a draft": (
        lambda w: ("post", f"/decisions/{w['own_draft'].key}/open/", {}),
        only(chief_of_staff=302),
    ),
    "see the outcome form": (
        lambda w: ("get", f"/decisions/{w['open'].key}/outcome/", None),
        only(principal=200),
    ),
    "record the outcome": (
        lambda w: (
            "post",
            f"/decisions/{w['open'].key}/outcome/",
            {
                "option": str(w["open"].options.first().pk),
                "reasoning": "Because.",
                "decided_on": timezone.localdate().isoformat(),
            },
        ),
        only(principal=302),
    ),
    "supersede a decided decision": (
        lambda w: ("post", f"/decisions/{w['decided'].key}/supersede/", {"title": "Revisit retention"}),
        only(chief_of_staff=302),
    ),
    "review a due reopen condition": (
        lambda w: (
            "post",
            f"/decisions/{w['decided'].key}/conditions/{w['decided'].reopen_conditions.get().pk}/review/",
            {"reviewed_on": timezone.localdate().isoformat(), "note": "Nothing changed."},
        ),
        only(chief_of_staff=302),
    ),
    "reopen a decided decision": (
        lambda w: ("post", f"/decisions/{w['decided'].key}/reopen/", {"note": "The customer changed."}),
        only(chief_of_staff=302),
    ),
    "withdraw an open decision": (
        lambda w: ("post", f"/decisions/{w['open'].key}/withdraw/", {"reason": "Moot."}),
        only(chief_of_staff=302),
    ),
}


@pytest.mark.parametrize("what", list(WRITES))
@pytest.mark.parametrize("role", ROLES)
def test_each_action_is_allowed_to_exactly_its_roles(client_as, world, what: str, role: str) -> None:
    request, expected = WRITES[what]
    method, path, data = request(world)
    client = client_as(role)
    response = client.post(path, data) if method == "post" else client.get(path)
    assert response.status_code == expected[role], (
        f"{role} may {'' if expected[role] != 403 else 'not '}{what}"
    )
    if expected[role] == 403:
        assert b"Ask the chief of staff" in response.content or b"Only" in response.content


@pytest.mark.parametrize("role", ["principal", "contributor", "viewer"])
def test_a_refused_htmx_action_answers_with_a_readable_notice(client_as, world, role: str) -> None:
    response = client_as(role).post(
        f"/decisions/{world['open'].key}/withdraw/", {}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert b'class="notice notice-error"' in response.content
    assert b"<html" not in response.content
    world["open"].refresh_from_db()
    assert world["open"].status == Decision.Status.OPEN


def test_the_decision_page_offers_each_role_only_what_it_may_do(client_as, world) -> None:
    open_key = world["open"].key
    principal = client_as("principal").get(f"/decisions/{open_key}/").content.decode()
    assert "Record the outcome" in principal
    assert f"/decisions/{open_key}/edit/" not in principal
    cos = client_as("chief_of_staff").get(f"/decisions/{open_key}/").content.decode()
    assert "Record the outcome" not in cos
    assert f"/decisions/{open_key}/edit/" in cos
    assert "Withdraw it" in cos
    viewer = client_as("viewer").get(f"/decisions/{open_key}/").content.decode()
    assert "Withdraw it" not in viewer
    assert f"/decisions/{open_key}/edit/" not in viewer
    pm_own = client_as("contributor").get(f"/decisions/{world['own_draft'].key}/").content.decode()
    assert f"/decisions/{world['own_draft'].key}/edit/" in pm_own
    pm_other = client_as("contributor").get(f"/decisions/{world['other_draft'].key}/").content.decode()
    assert f"/decisions/{world['other_draft'].key}/edit/" not in pm_other
