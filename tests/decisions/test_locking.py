"""Edits never overwrite each other: a save based on an old version is refused, both versions are
shown side by side, and the user's input stays in the form."""

from __future__ import annotations

import pytest
from django.test import Client

from decisions.models import Decision
from leadership_os.access import Role
from tests.decisions.factories import DecisionFactory, OptionFactory, decided
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def edit(decision: Decision, version: int, **fields: str) -> dict[str, str]:
    data = {"title": decision.title, "question": decision.question, "version": str(version), "tags": ""}
    for kind in ("stakeholders", "conditions"):
        data |= {f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"}
    options = list(decision.options.all())
    data |= {"options-TOTAL_FORMS": str(len(options)), "options-INITIAL_FORMS": str(len(options))}
    for i, option in enumerate(options):
        data |= {f"options-{i}-id": str(option.pk), f"options-{i}-title": option.title}
    return data | fields


@pytest.fixture
def two_editors(chief_of_staff) -> tuple[Client, Client]:
    other = UserFactory(username="cos2", first_name="Ines", last_name="Alvarez", role=Role.CHIEF_OF_STAFF)
    first, second = Client(), Client()
    first.force_login(chief_of_staff)
    second.force_login(other)
    return first, second


def test_a_save_based_on_an_old_version_is_refused_with_both_versions_side_by_side(two_editors) -> None:
    mine, theirs = two_editors
    decision = DecisionFactory(title="Retention for Helix", question="How long?")
    OptionFactory(decision=decision, title="30 days")
    loaded_version = decision.version

    assert (
        theirs.post(
            f"/decisions/{decision.key}/edit/", edit(decision, loaded_version, title="Their title")
        ).status_code
        == 302
    )

    response = mine.post(
        f"/decisions/{decision.key}/edit/",
        edit(decision, loaded_version, title="My title", question="My sharper question?"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing (Ines Alvarez" in content
    assert "Nothing of yours was saved" in content
    table = content[
        content.index("conflict-table") : content.index("</table>", content.index("conflict-table"))
    ]
    assert "Their title" in table and "My title" in table
    assert "My sharper question?" in table
    # The user's input is still in the form, now based on the saved version.
    assert 'value="My title"' in content
    assert "My sharper question?</textarea>" in content
    decision.refresh_from_db()
    assert (decision.title, decision.question, decision.version) == ("Their title", "How long?", 2)
    assert 'name="version" value="2"' in content


def test_saving_again_after_a_conflict_keeps_the_users_version(two_editors) -> None:
    mine, theirs = two_editors
    decision = DecisionFactory(title="Original")
    theirs.post(f"/decisions/{decision.key}/edit/", edit(decision, 1, title="Theirs"))
    mine.post(f"/decisions/{decision.key}/edit/", edit(decision, 1, title="Mine"))
    response = mine.post(f"/decisions/{decision.key}/edit/", edit(decision, 2, title="Mine"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.title, decision.version) == ("Mine", 3)


def test_a_conflicting_edit_changes_none_of_the_parts(two_editors) -> None:
    mine, theirs = two_editors
    decision = DecisionFactory()
    option = OptionFactory(decision=decision, title="Keep me")
    theirs.post(f"/decisions/{decision.key}/edit/", edit(decision, 1, title="Theirs"))
    mine.post(
        f"/decisions/{decision.key}/edit/",
        edit(decision, 1, **{"options-0-DELETE": "on", "options-TOTAL_FORMS": "2", "options-1-title": "New"}),
    )
    assert [o.title for o in decision.options.all()] == [option.title]


def test_an_action_on_a_changed_decision_is_refused(cos_client) -> None:
    draft = DecisionFactory(status=Decision.Status.DRAFT)
    stale = draft.version
    draft.title = "Edited meanwhile"
    draft.version += 1
    draft.save()
    response = cos_client.post(f"/decisions/{draft.key}/open/", {"version": stale}, follow=True)
    assert b"changed since you loaded it" in response.content
    draft.refresh_from_db()
    assert draft.status == Decision.Status.DRAFT


def test_an_outcome_recorded_on_a_changed_decision_is_refused(client_as) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision)
    stale = decision.version
    Decision.objects.filter(pk=decision.pk).update(version=stale + 1)
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {"option": option.pk, "reasoning": "Because.", "decided_on": "2026-01-05", "version": stale},
    )
    assert response.status_code == 200
    assert b"changed since you loaded it" in response.content
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN


def test_every_action_moves_the_version_on(cos_client) -> None:
    done = decided()
    before = done.version
    cos_client.post(f"/decisions/{done.key}/reopen/", {"note": "x"})
    done.refresh_from_db()
    assert done.version == before + 1
