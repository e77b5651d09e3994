"""After the meeting: the outcome, its commitments and draft decisions, recorded in one step, all or
nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from briefs.models import Engagement
from briefs.services import CommitmentDraft, DecisionDraft, engagement_record_outcome
from decisions.models import Decision
from leadership_os.locking import StaleEdit
from tests.briefs.factories import EngagementFactory, at, day
from tests.factories import PersonFactory
from workstreams.models import Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(surface) -> Engagement:
    return EngagementFactory(
        title="Northbank escalation", counterpart="Northbank Financial", surface=surface, starts_at=at(0, 0)
    )


def formset_data(
    commitments: list[dict[str, str]], decisions: list[dict[str, str]], **extra: str
) -> dict[str, str]:
    data = {
        "commitments-TOTAL_FORMS": str(len(commitments)),
        "commitments-INITIAL_FORMS": "0",
        "decisions-TOTAL_FORMS": str(len(decisions)),
        "decisions-INITIAL_FORMS": "0",
        **extra,
    }
    for prefix, rows in (("commitments", commitments), ("decisions", decisions)):
        for n, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{n}-{name}"] = value
    return data


def test_the_outcome_commitments_and_draft_decisions_are_created_and_linked(held, chief_of_staff) -> None:
    priya = PersonFactory(name="Priya Natarajan")
    carla = PersonFactory(name="Carla Mendes")
    result = engagement_record_outcome(
        engagement=held,
        outcome="Carla agreed to a staged rollout.",
        commitments=[
            CommitmentDraft(description="Send the dated plan", due_on=day(3), owner=priya, promised_to=carla)
        ],
        decisions=[
            DecisionDraft(
                title="Freeze the audit-log schema", question="Do we freeze the schema by 10 January?"
            )
        ],
        by=chief_of_staff,
        expected_version=held.version,
    )
    held.refresh_from_db()
    assert held.outcome == "Carla agreed to a staged rollout."
    assert held.outcome_recorded_on == timezone.localdate()
    assert held.version == 2

    commitment = Commitment.objects.get()
    assert commitment.key == f"C-{commitment.number}"
    assert (commitment.engagement, commitment.owner, commitment.promised_to, commitment.due_on) == (
        held,
        priya,
        carla,
        day(3),
    )
    assert result.commitments == [commitment]

    decision = Decision.objects.get()
    assert decision.status == Decision.Status.DRAFT
    assert (decision.created_by, decision.surface) == (chief_of_staff, held.surface)
    assert decision.question == "Do we freeze the schema by 10 January?"
    assert held.key in decision.context
    assert list(held.decisions.all()) == [decision]
    assert list(decision.engagements.all()) == [held]


def test_bad_input_writes_nothing_and_lists_every_problem(held, chief_of_staff) -> None:
    with pytest.raises(ValidationError) as caught:
        engagement_record_outcome(
            engagement=held,
            outcome=" ",
            commitments=[CommitmentDraft(description="", due_on=day(3))],
            decisions=[DecisionDraft(title="A title", question="")],
            by=chief_of_staff,
            expected_version=held.version,
        )
    assert caught.value.messages == [
        "Write what happened in the room.",
        "Commitment 1 has no description.",
        "Decision 1 needs a title and a question.",
    ]
    held.refresh_from_db()
    assert (held.outcome, held.outcome_recorded_on, held.version) == ("", None, 1)
    assert not Commitment.objects.exists() and not Decision.objects.exists()


def test_a_failure_half_way_leaves_nothing_behind(held, chief_of_staff, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Decision.objects, "create", broken)
    with pytest.raises(RuntimeError):
        engagement_record_outcome(
            engagement=held,
            outcome="Agreed.",
            commitments=[CommitmentDraft(description="Send the plan", due_on=day(3))],
            decisions=[DecisionDraft(title="Freeze", question="Freeze?")],
            by=chief_of_staff,
            expected_version=held.version,
        )
    held.refresh_from_db()
    assert (held.outcome, held.version) == ("", 1)
    assert not Commitment.objects.exists()


def test_an_outcome_based_on_an_old_version_is_refused(held, chief_of_staff) -> None:
    Engagement.objects.filter(pk=held.pk).update(version=3, outcome="Someone else's account")
    with pytest.raises(StaleEdit):
        engagement_record_outcome(
            engagement=held,
            outcome="Mine",
            commitments=[CommitmentDraft(description="Send the plan", due_on=day(3))],
            by=chief_of_staff,
            expected_version=1,
        )
    assert not Commitment.objects.exists()
    assert Engagement.objects.get(pk=held.pk).outcome == "Someone else's account"


def test_an_engagement_that_has_not_happened_has_no_outcome_yet(chief_of_staff) -> None:
    tomorrow = EngagementFactory(starts_at=at(1))
    with pytest.raises(ValidationError, match="has not happened yet"):
        engagement_record_outcome(engagement=tomorrow, outcome="x", by=chief_of_staff, expected_version=1)


def test_the_form_records_everything_in_one_post_and_returns_to_the_brief(cos_client, held) -> None:
    owner = PersonFactory(name="Wei Chen")
    data = formset_data(
        [{"description": "Send the dated plan", "owner": str(owner.pk), "due_on": day(2).isoformat()}, {}],
        [{"title": "Freeze the schema", "question": "Freeze by 10 January?"}, {}],
        outcome="Staged rollout agreed.",
        version="1",
    )
    response = cos_client.post(f"/briefs/{held.pk}/outcome/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/briefs/{held.pk}/#outcome"
    assert Commitment.objects.get().owner == owner
    decision = Decision.objects.get()
    page = cos_client.get(response["Location"]).content.decode()
    assert "Staged rollout agreed." in page
    assert "Send the dated plan" in page
    assert f'href="/decisions/{decision.key}/"' in page
    assert "Outcome recorded, with 1 commitment and 1 draft decision." in page


def test_over_htmx_success_redirects_the_page(cos_client, held) -> None:
    data = formset_data([], [], outcome="Nothing agreed.", version="1")
    response = cos_client.post(f"/briefs/{held.pk}/outcome/", data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/briefs/{held.pk}/#outcome"


def test_an_incomplete_row_is_shown_with_its_error_and_nothing_is_saved(cos_client, held) -> None:
    data = formset_data(
        [{"description": "Send the dated plan", "due_on": ""}],
        [{"title": "Freeze the schema", "question": "Freeze?"}],
        outcome="Staged rollout agreed.",
        version="1",
    )
    response = cos_client.post(f"/briefs/{held.pk}/outcome/", data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="outcome-form">')
    assert "Nothing was saved" in content
    assert "This field is required." in content
    assert 'value="Send the dated plan"' in content
    assert not Commitment.objects.exists() and not Decision.objects.exists()
    assert Engagement.objects.get(pk=held.pk).outcome == ""


@pytest.mark.parametrize("htmx", [False, True])
def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(cos_client, held, htmx: bool) -> None:
    data = formset_data(
        [{"description": "Send the dated plan", "due_on": day(2).isoformat()}],
        [{"title": "", "question": ""}],
        outcome="Half written",
        version="1",
        add="commitment",
    )
    headers = {"HX-Request": "true"} if htmx else {}
    response = cos_client.post(f"/briefs/{held.pk}/outcome/", data, headers=headers)
    content = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in content) is not htmx
    assert 'name="commitments-TOTAL_FORMS" value="2"' in content
    assert 'name="commitments-1-description"' in content
    assert 'value="Send the dated plan"' in content
    assert "Half written" in content
    assert "This field is required." not in content
    assert not Commitment.objects.exists()
    assert Engagement.objects.get(pk=held.pk).outcome == ""


def test_the_outcome_page_starts_with_one_empty_row_of_each(cos_client, held) -> None:
    content = cos_client.get(f"/briefs/{held.pk}/outcome/").content.decode()
    assert 'name="commitments-TOTAL_FORMS" value="1"' in content
    assert 'name="decisions-TOTAL_FORMS" value="1"' in content
    assert 'name="version" value="1"' in content
