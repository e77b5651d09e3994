"""Writing decisions: creating and editing with their parts, and each action of the decision's life."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from decisions import services
from decisions.models import Decision, Option, ReopenCondition
from leadership_os.models import KeyCounter
from tests.decisions.factories import ConditionFactory, DecisionFactory, OptionFactory, decided
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def form_data(**fields: str) -> dict[str, str]:
    data = {"title": "Require SCIM provisioning", "question": "Do we require SCIM?", "tags": "identity, SSO"}
    for kind in ("options", "stakeholders", "conditions"):
        data |= {f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"}
    return data | fields


def with_options(data: dict[str, str], *titles: str) -> dict[str, str]:
    data = dict(data)
    data["options-TOTAL_FORMS"] = str(len(titles))
    for i, title in enumerate(titles):
        data[f"options-{i}-title"] = title
        data[f"options-{i}-pros"] = f"Pro of {title}"
    return data


def test_the_chief_of_staff_creates_a_decision_with_its_parts(cos_client) -> None:
    person = PersonFactory(name="Carla Mendes")
    data = with_options(form_data(), "Require SCIM", "SCIM optional", "Invitations only")
    data |= {
        "stakeholders-TOTAL_FORMS": "1",
        "stakeholders-0-person": str(person.pk),
        "stakeholders-0-stance": "support",
        "stakeholders-0-position": "Northbank mandates SCIM.",
        "conditions-TOTAL_FORMS": "1",
        "conditions-0-text": "If a top-ten customer has no SCIM directory.",
        "conditions-0-review_on": "2027-03-01",
    }
    response = cos_client.post("/decisions/new/", data)
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/{decision.key}/"
    assert decision.key == "D-1"
    assert decision.status == Decision.Status.DRAFT
    assert decision.created_by.username == "cos"
    assert [o.title for o in decision.options.all()] == ["Require SCIM", "SCIM optional", "Invitations only"]
    assert [o.position for o in decision.options.all()] == [0, 1, 2]
    assert decision.stakeholders.get().position == "Northbank mandates SCIM."
    assert decision.reopen_conditions.get().review_on == dt.date(2027, 3, 1)
    assert sorted(t.name for t in decision.tags.all()) == ["identity", "sso"]


def test_save_and_open_opens_at_once_for_the_chief_of_staff_but_not_for_a_contributor(client_as) -> None:
    client_as("chief_of_staff").post("/decisions/new/", form_data(then="open"))
    client_as("contributor").post("/decisions/new/", form_data(title="A PM's draft", then="open"))
    by_cos, by_pm = Decision.objects.order_by("number")
    assert (by_cos.status, by_cos.opened_on) == (Decision.Status.OPEN, TODAY())
    assert (by_pm.status, by_pm.opened_on) == (Decision.Status.DRAFT, None)


def test_keys_are_never_reused(cos_client) -> None:
    cos_client.post("/decisions/new/", form_data())
    Decision.objects.get().delete()
    cos_client.post("/decisions/new/", form_data())
    assert Decision.objects.get().key == "D-2"
    assert KeyCounter.objects.get(prefix="D").last == 2


def test_an_invalid_form_is_shown_again_with_its_errors_and_nothing_saved(cos_client) -> None:
    data = with_options(form_data(title="", tags="Not a tag!"), "")
    data["options-0-pros"] = "A pro without a title"
    response = cos_client.post("/decisions/new/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content
    assert "is not a tag" in content
    assert "A pro without a title" in content
    assert not Decision.objects.exists()


def test_adding_a_row_without_javascript_redraws_the_form_with_one_more_row(cos_client) -> None:
    data = with_options(form_data(), "Require SCIM")
    response = cos_client.post("/decisions/new/", data | {"add": "options"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="options-TOTAL_FORMS" value="2"' in content
    assert 'name="options-1-title"' in content
    assert 'value="Require SCIM"' in content
    assert not Decision.objects.exists()


def test_adding_a_row_through_htmx_answers_with_the_row_and_the_new_count_out_of_band(cos_client) -> None:
    response = cos_client.get(
        "/decisions/rows/options/?options-TOTAL_FORMS=2", headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="options-2-row"' in content
    assert 'name="options-2-title"' in content
    assert "<legend>Option 3</legend>" in content
    assert 'name="options-TOTAL_FORMS" value="3" id="id_options-TOTAL_FORMS" hx-swap-oob="true"' in content
    assert "data-autofocus" in content
    assert "<html" not in content


def test_a_row_of_a_decided_decision_asks_why_it_was_rejected(cos_client) -> None:
    plain = cos_client.get("/decisions/rows/options/?options-TOTAL_FORMS=0").content.decode()
    full = cos_client.get("/decisions/rows/options/?options-TOTAL_FORMS=0&decided=1").content.decode()
    assert "rejected_because" not in plain
    assert 'name="options-0-rejected_because"' in full


def test_editing_updates_removes_and_adds_parts(cos_client) -> None:
    decision = DecisionFactory()
    keep = OptionFactory(decision=decision, title="Keep", position=0)
    drop = OptionFactory(decision=decision, title="Drop", position=1)
    data = form_data(title="Renamed", version=str(decision.version))
    data |= {
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "2",
        "options-0-id": str(keep.pk),
        "options-0-title": "Keep, reworded",
        "options-1-id": str(drop.pk),
        "options-1-title": "Drop",
        "options-1-DELETE": "on",
        "options-2-title": "Brand new",
    }
    response = cos_client.post(f"/decisions/{decision.key}/edit/", data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.title == "Renamed"
    assert decision.version == 2
    assert [o.title for o in decision.options.all()] == ["Keep, reworded", "Brand new"]
    assert not Option.objects.filter(pk=drop.pk).exists()


def test_an_unchanged_part_is_not_written_again(cos_client) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision, title="Same", pros="", cons="")
    data = form_data(version=str(decision.version))
    data |= {"options-TOTAL_FORMS": "1", "options-INITIAL_FORMS": "1"}
    data |= {"options-0-id": str(option.pk), "options-0-title": "Same"}
    cos_client.post(f"/decisions/{decision.key}/edit/", data)
    assert Option.history.filter(id=option.pk).count() == 1


def test_two_positions_of_the_same_person_are_refused(cos_client) -> None:
    person = PersonFactory()
    data = form_data() | {"stakeholders-TOTAL_FORMS": "2"}
    for i in range(2):
        data |= {f"stakeholders-{i}-person": str(person.pk), f"stakeholders-{i}-stance": "support"}
    response = cos_client.post("/decisions/new/", data)
    assert response.status_code == 200
    assert b"duplicate" in response.content.lower()
    assert not Decision.objects.exists()


def test_the_new_decision_form_shows_settled_decisions_that_match_the_title_as_it_is_typed(
    cos_client,
) -> None:
    content = " ".join(cos_client.get("/decisions/new/").content.decode().split())
    assert (
        'hx-get="/search/settled/" hx-trigger="input changed delay:400ms" hx-target="#settled-matches"'
        in content
    )
    assert '<div id="settled-matches" aria-live="polite"></div>' in content
    settled = DecisionFactory(
        title="Retain Helix prompts for 30 days",
        status=Decision.Status.DECIDED,
        outcome="Keep prompts for 30 days.",
    )
    response = cos_client.get("/search/settled/?title=Retain Helix prompts", headers={"HX-Request": "true"})
    matches = response.content.decode()
    assert matches.lstrip().startswith('<div id="settled-matches"')
    assert settled.key in matches and "Keep prompts for 30 days." in matches


def test_opening_a_draft_puts_it_in_the_queue(cos_client) -> None:
    draft = DecisionFactory(status=Decision.Status.DRAFT, opened_on=None)
    response = cos_client.post(f"/decisions/{draft.key}/open/", {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.opened_on) == (Decision.Status.OPEN, TODAY())


def test_opening_a_decision_that_is_not_a_draft_changes_nothing_and_says_why(cos_client) -> None:
    done = decided()
    response = cos_client.post(f"/decisions/{done.key}/open/", follow=True)
    assert b"not a draft" in response.content
    done.refresh_from_db()
    assert done.status == Decision.Status.DECIDED


def test_the_principal_records_the_outcome(client_as) -> None:
    decision = DecisionFactory()
    keep = OptionFactory(decision=decision, title="30 days")
    other = OptionFactory(decision=decision, title="Zero retention")
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {
            "option": keep.pk,
            "reasoning": "Abuse monitoring needs it.",
            "decided_on": TODAY().isoformat(),
            f"rejected_{other.pk}": "Blind to abuse.",
            "version": decision.version,
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    other.refresh_from_db()
    assert decision.status == Decision.Status.DECIDED
    assert decision.decided_on == TODAY()
    assert decision.outcome == "30 days"
    assert decision.reasoning == "Abuse monitoring needs it."
    assert decision.chosen_option == keep
    assert other.rejected_because == "Blind to abuse."


def test_the_outcome_form_is_a_fragment_for_htmx_and_a_page_otherwise(client_as) -> None:
    decision = DecisionFactory()
    OptionFactory(decision=decision, title="Yes")
    client = client_as("principal")
    page = client.get(f"/decisions/{decision.key}/outcome/").content.decode()
    fragment = client.get(
        f"/decisions/{decision.key}/outcome/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" in page and f'id="outcome-{decision.key}"' in page
    assert "<html" not in fragment
    assert fragment.lstrip().startswith("<form") or f'<form id="outcome-{decision.key}"' in fragment
    assert 'hx-target="this"' in fragment


def test_recording_through_htmx_answers_with_a_confirmation_and_an_event(client_as) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision, title="Yes")
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {"option": option.pk, "reasoning": "Clear win.", "decided_on": TODAY().isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "decisionDecided"
    assert f'id="outcome-{decision.key}"' in response.content.decode()
    assert "decided:" in response.content.decode()


def test_recording_through_htmx_with_next_sends_the_browser_there(client_as) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision, title="Yes")
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {"option": option.pk, "reasoning": "Clear.", "decided_on": TODAY().isoformat(), "next": "/queue/"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == "/queue/"
    unsafe = client_as("principal").get(f"/decisions/{decision.key}/outcome/?next=https://evil.example/")
    assert b"evil.example" not in unsafe.content


def test_an_outcome_without_reasoning_or_option_is_refused_in_place(client_as) -> None:
    decision = DecisionFactory()
    OptionFactory(decision=decision)
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {"decided_on": TODAY().isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN


def test_a_decision_without_options_is_decided_by_saying_what_was_decided(client_as) -> None:
    decision = DecisionFactory()
    client_as("principal").post(
        f"/decisions/{decision.key}/outcome/",
        {"outcome": "Ship it in March.", "reasoning": "Ready.", "decided_on": TODAY().isoformat()},
    )
    decision.refresh_from_db()
    assert (decision.status, decision.outcome) == (Decision.Status.DECIDED, "Ship it in March.")


def test_only_an_open_decision_can_be_decided(client_as) -> None:
    draft = DecisionFactory(status=Decision.Status.DRAFT)
    response = client_as("principal").get(f"/decisions/{draft.key}/outcome/", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert b"only an open decision is decided" in response.content


def test_an_outcome_dated_in_the_future_is_refused(client_as) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision)
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = client_as("principal").post(
        f"/decisions/{decision.key}/outcome/", {"option": option.pk, "reasoning": "x", "decided_on": tomorrow}
    )
    assert b"in the future" in response.content


def test_superseding_opens_a_successor_linked_both_ways(cos_client) -> None:
    old = decided()
    response = cos_client.post(
        f"/decisions/{old.key}/supersede/",
        {"title": "Retention, revisited", "reason": "The EU customers need 7 days.", "version": old.version},
    )
    successor = Decision.objects.get(supersedes=old)
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/{successor.key}/edit/"
    old.refresh_from_db()
    assert old.status == Decision.Status.SUPERSEDED
    assert old.superseded_by == successor
    assert successor.status == Decision.Status.OPEN
    assert successor.question == old.question
    assert [o.title for o in successor.options.all()] == ["30 days", "Zero retention"]
    assert not successor.options.filter(chosen=True).exists()
    assert "The EU customers need 7 days." in successor.context


def test_only_a_decided_decision_can_be_superseded(cos_client) -> None:
    decision = DecisionFactory()
    cos_client.post(f"/decisions/{decision.key}/supersede/", {"title": "Again"})
    assert Decision.objects.count() == 1


def test_reviewing_a_due_condition_records_that_it_still_holds(cos_client) -> None:
    done = decided()
    condition = ConditionFactory(decision=done, review_on=TODAY() - dt.timedelta(days=3))
    response = cos_client.post(
        f"/decisions/{done.key}/conditions/{condition.pk}/review/",
        {"reviewed_on": TODAY().isoformat(), "note": "Volumes unchanged."},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.reviewed_on, condition.review_note) == (TODAY(), "Volumes unchanged.")
    assert not condition.needs_review(TODAY())
    done.refresh_from_db()
    assert done.status == Decision.Status.DECIDED


def test_a_review_dated_before_the_condition_fell_due_is_refused(cos_client) -> None:
    done = decided()
    condition = ConditionFactory(decision=done, review_on=TODAY() - dt.timedelta(days=3))
    early = (TODAY() - dt.timedelta(days=5)).isoformat()
    response = cos_client.post(
        f"/decisions/{done.key}/conditions/{condition.pk}/review/", {"reviewed_on": early, "note": "x"}
    )
    assert response.status_code == 200
    assert b"on or after" in response.content
    condition.refresh_from_db()
    assert condition.reviewed_on is None


def test_the_conditions_of_an_open_decision_are_not_reviewed(chief_of_staff) -> None:
    condition = ConditionFactory(decision=DecisionFactory(), review_on=TODAY() - dt.timedelta(days=3))
    with pytest.raises(services.DecisionStateError, match="decided decision"):
        services.decision_review_condition(condition=condition, by=chief_of_staff, note="x")


def test_a_condition_that_is_not_due_cannot_be_reviewed(cos_client) -> None:
    done = decided()
    condition = ConditionFactory(decision=done, review_on=TODAY() + dt.timedelta(days=10))
    response = cos_client.post(
        f"/decisions/{done.key}/conditions/{condition.pk}/review/",
        {"reviewed_on": TODAY().isoformat(), "note": "Early."},
    )
    assert b"not due for review" in response.content


def test_reopening_sends_the_decision_back_to_open_and_keeps_the_old_outcome_in_history(cos_client) -> None:
    done = decided()
    condition = ConditionFactory(decision=done, triggered_on=TODAY() - dt.timedelta(days=1))
    response = cos_client.post(
        f"/decisions/{done.key}/reopen/",
        {"condition": condition.pk, "note": "EU rules changed.", "version": done.version},
    )
    assert response.status_code == 302
    done.refresh_from_db()
    condition.refresh_from_db()
    assert done.status == Decision.Status.OPEN
    assert (done.outcome, done.reasoning, done.decided_on) == ("", "", None)
    assert done.chosen_option is None
    assert condition.reviewed_on == TODAY()
    assert "EU rules changed." in condition.review_note
    assert Decision.history.filter(id=done.pk, outcome="Keep prompts for 30 days.").exists()
    page = cos_client.get(f"/decisions/{done.key}/").content.decode()
    assert "Reopened." in page
    assert "Keep prompts for 30 days." in page


def test_withdrawing_keeps_the_reason(cos_client) -> None:
    decision = DecisionFactory()
    cos_client.post(f"/decisions/{decision.key}/withdraw/", {"reason": "The customer churned."})
    decision.refresh_from_db()
    assert (decision.status, decision.outcome) == (Decision.Status.WITHDRAWN, "The customer churned.")


def test_a_decided_decision_cannot_be_withdrawn() -> None:
    done = decided()
    with pytest.raises(services.DecisionStateError):
        services.decision_withdraw(decision=done, by=None)


def test_the_services_record_who_acted(chief_of_staff) -> None:
    decision = services.decision_create(by=chief_of_staff, fields={"title": "T", "question": "Q?"})
    services.decision_open(decision=decision, by=chief_of_staff)
    record = Decision.history.filter(id=decision.pk).order_by("-history_date").first()
    assert record.history_user == chief_of_staff
    assert record.history_change_reason == "Opened for decision"


def test_a_reopen_condition_is_due_and_triggered_as_rules_md_says() -> None:
    today = TODAY()
    day = dt.timedelta(days=1)
    due = ReopenCondition(review_on=today)
    assert due.is_due(today) and not due.is_due(today - day)
    assert not ReopenCondition(review_on=today, reviewed_on=today).is_due(today)
    assert ReopenCondition(review_on=today, reviewed_on=today - day).is_due(today)
    triggered = ReopenCondition(triggered_on=today - day)
    assert triggered.is_triggered(today)
    assert not ReopenCondition(triggered_on=today - day, reviewed_on=today - day).is_triggered(today)
    assert ReopenCondition(triggered_on=today, reviewed_on=today - day).is_triggered(today)


def test_a_long_reopen_note_is_kept_whole_in_the_history(cos_client) -> None:
    done = decided()
    note = "The EU data rules changed in ways the pilot customers care about. " * 25  # ~1,700 characters
    response = cos_client.post(f"/decisions/{done.key}/reopen/", {"note": note, "version": done.version})
    assert response.status_code == 302
    newest = Decision.history.filter(id=done.pk).order_by("-history_date", "-history_id").first()
    assert newest.history_change_reason == f"Reopened: {note.strip()}"
