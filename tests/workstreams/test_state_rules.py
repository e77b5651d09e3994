"""The state rules, enforced in one place (workstreams.services), and the follow-through services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from context_repo.models import ContextEntry
from leadership_os.locking import StaleEdit
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    StatusUpdateFactory,
    WorkstreamFactory,
    days,
    today,
)
from workstreams import services
from workstreams.models import Escalation, State, StatusUpdate, Workstream

pytestmark = pytest.mark.django_db


def change(ws: Workstream, **changes: object) -> Workstream:
    ws.refresh_from_db()
    return services.workstream_change(workstream=ws, by=None, expected_version=ws.version, **changes)


def test_blocked_needs_a_blocker_and_nothing_is_saved_without_one() -> None:
    ws = WorkstreamFactory()
    with pytest.raises(ValidationError) as caught:
        change(ws, state=State.BLOCKED, blocker="   ")
    assert "blocker" in caught.value.message_dict
    ws.refresh_from_db()
    assert (ws.state, ws.version) == (State.ON_TRACK, 1)


def test_blocking_sets_blocked_since_to_today_when_empty() -> None:
    ws = change(WorkstreamFactory(), state=State.BLOCKED, blocker="Legal review")
    assert ws.blocked_since == today()
    assert ws.blocker == "Legal review"
    assert ws.version == 2


def test_blocking_keeps_a_given_blocked_since() -> None:
    ws = change(WorkstreamFactory(), state=State.BLOCKED, blocker="Legal review", blocked_since=days(-4))
    assert ws.blocked_since == days(-4)


def test_blocked_since_cannot_be_in_the_future() -> None:
    with pytest.raises(ValidationError) as caught:
        change(WorkstreamFactory(), state=State.BLOCKED, blocker="x", blocked_since=days(2))
    assert "blocked_since" in caught.value.message_dict


def test_staying_blocked_keeps_the_day_it_started() -> None:
    ws = WorkstreamFactory(state=State.BLOCKED, blocker="Old", blocked_since=days(-6))
    ws = change(ws, blocker="Still legal review, now with a date")
    assert ws.blocked_since == days(-6)


def test_leaving_blocked_clears_the_blocker_its_date_and_the_decision_it_waited_on() -> None:
    decision = DecisionFactory()
    ws = WorkstreamFactory(
        state=State.BLOCKED, blocker="Waiting", blocked_since=days(-3), blocked_by_decision=decision
    )
    ws = change(ws, state=State.AT_RISK)
    assert (ws.blocker, ws.blocked_since, ws.blocked_by_decision) == ("", None, None)


def test_a_blocker_on_a_workstream_that_is_not_blocked_is_dropped() -> None:
    ws = change(WorkstreamFactory(), blocker="Not really")
    assert ws.blocker == ""
    assert ws.version == 1  # nothing changed, nothing saved


def test_escalating_sets_escalated_on_to_today() -> None:
    ws = change(WorkstreamFactory(), escalation=Escalation.ESCALATED)
    assert ws.escalated_on == today()


def test_staying_escalated_keeps_the_day_it_started() -> None:
    ws = WorkstreamFactory(escalation=Escalation.ESCALATED, escalated_on=days(-8))
    ws = change(ws, state=State.AT_RISK)
    assert ws.escalated_on == days(-8)


@pytest.mark.parametrize("escalation", [Escalation.NONE, Escalation.WATCHING])
def test_leaving_escalated_for_none_or_watching_clears_its_date(escalation: str) -> None:
    ws = WorkstreamFactory(escalation=Escalation.ESCALATED, escalated_on=days(-8))
    assert change(ws, escalation=escalation).escalated_on is None


def test_a_resolved_escalation_keeps_the_day_it_was_raised() -> None:
    ws = WorkstreamFactory(escalation=Escalation.ESCALATED, escalated_on=days(-8))
    assert change(ws, escalation=Escalation.RESOLVED).escalated_on == days(-8)


def test_escalating_again_after_a_resolution_starts_the_clock_today() -> None:
    ws = WorkstreamFactory(escalation=Escalation.RESOLVED, escalated_on=days(-30))
    assert change(ws, escalation=Escalation.ESCALATED).escalated_on == today()


def test_done_clears_the_next_decision_point() -> None:
    ws = WorkstreamFactory(next_decision_on=days(3), next_decision=DecisionFactory())
    ws = change(ws, state=State.DONE)
    assert (ws.next_decision_on, ws.next_decision) == (None, None)


def test_done_resolves_the_open_questions_linked_to_the_workstream_and_no_others() -> None:
    ws, other = WorkstreamFactory(), WorkstreamFactory()

    def entry(kind: str, status: str, workstream: Workstream) -> ContextEntry:
        e = ContextEntry.objects.create(kind=kind, title=f"{kind} {status}", dated_on=today(), status=status)
        e.workstreams.add(workstream)
        return e

    question = entry(ContextEntry.Kind.OPEN_QUESTION, ContextEntry.Status.OPEN, ws)
    note = entry(ContextEntry.Kind.NOTE, ContextEntry.Status.OPEN, ws)
    elsewhere = entry(ContextEntry.Kind.OPEN_QUESTION, ContextEntry.Status.OPEN, other)
    change(ws, state=State.DONE)
    for e in (question, note, elsewhere):
        e.refresh_from_db()
    assert question.status == ContextEntry.Status.RESOLVED
    assert question.version == 2
    assert question.history.first().history_change_reason == f"{ws.key} was marked done"
    assert note.status == ContextEntry.Status.OPEN
    assert elsewhere.status == ContextEntry.Status.OPEN


def test_a_stale_version_is_refused_and_nothing_is_saved() -> None:
    ws = WorkstreamFactory()
    change(ws, state=State.AT_RISK)
    with pytest.raises(StaleEdit) as caught:
        services.workstream_change(workstream=ws, by=None, expected_version=1, state=State.PAUSED)
    assert caught.value.current.state == State.AT_RISK
    ws.refresh_from_db()
    assert (ws.state, ws.version) == (State.AT_RISK, 2)


def test_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="cannot change key"):
        change(WorkstreamFactory(), key="WS-999")


def test_history_records_who_changed_what(chief_of_staff) -> None:
    ws = WorkstreamFactory()
    services.workstream_change(workstream=ws, by=chief_of_staff, expected_version=1, state=State.AT_RISK)
    latest = ws.history.first()
    assert latest.history_user == chief_of_staff
    assert latest.state == State.AT_RISK


# Status updates set the state through the same rules


def test_posting_an_update_sets_the_workstream_state() -> None:
    ws = WorkstreamFactory()
    update = services.status_update_post(
        workstream=ws,
        by=None,
        author=ws.owner,
        state=State.AT_RISK,
        note="Slipping a week.",
        expected_version=1,
    )
    ws.refresh_from_db()
    assert ws.state == State.AT_RISK
    assert (update.posted_on, update.author, update.note) == (today(), ws.owner, "Slipping a week.")
    assert ws.history.first().history_change_reason == "Status update posted"


def test_a_blocked_update_needs_a_blocker_and_then_saves_neither_the_update_nor_the_state() -> None:
    ws = WorkstreamFactory()
    with pytest.raises(ValidationError) as caught:
        services.status_update_post(
            workstream=ws, by=None, author=None, state=State.BLOCKED, note="Stuck.", expected_version=1
        )
    assert "blocker" in caught.value.message_dict
    ws.refresh_from_db()
    assert ws.state == State.ON_TRACK
    assert not StatusUpdate.objects.exists()


def test_a_blocked_update_keeps_the_blocker_already_on_the_workstream() -> None:
    ws = WorkstreamFactory(state=State.BLOCKED, blocker="Vendor contract", blocked_since=days(-2))
    services.status_update_post(
        workstream=ws,
        by=None,
        author=None,
        state=State.BLOCKED,
        note="Still stuck.",
        blocker="",
        expected_version=1,
    )
    ws.refresh_from_db()
    assert (ws.blocker, ws.blocked_since) == ("Vendor contract", days(-2))


def test_an_update_without_a_note_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        services.status_update_post(
            workstream=WorkstreamFactory(),
            by=None,
            author=None,
            state=State.ON_TRACK,
            note=" ",
            expected_version=1,
        )
    assert "note" in caught.value.message_dict


def test_a_stale_update_is_refused_whole() -> None:
    ws = WorkstreamFactory()
    change(ws, escalation=Escalation.WATCHING)
    with pytest.raises(StaleEdit):
        services.status_update_post(
            workstream=ws, by=None, author=None, state=State.AT_RISK, note="x", expected_version=1
        )
    assert not StatusUpdate.objects.exists()


def test_an_update_that_keeps_the_state_does_not_change_the_workstream() -> None:
    ws = WorkstreamFactory()
    StatusUpdateFactory(workstream=ws, posted_on=days(-9))
    services.status_update_post(
        workstream=ws, by=None, author=None, state=State.ON_TRACK, note="Fine.", expected_version=1
    )
    ws.refresh_from_db()
    assert ws.version == 1
    assert ws.updates.count() == 2


# Commitments


def test_a_new_commitment_remembers_its_original_due_date() -> None:
    ws = WorkstreamFactory()
    commitment = services.commitment_create(
        description=" Send the plan ", due_on=days(3), owner=ws.owner, workstream=ws
    )
    assert commitment.key.startswith("C-")
    assert (commitment.description, commitment.original_due_on, commitment.recommitted_count) == (
        "Send the plan",
        days(3),
        0,
    )


def test_a_commitment_needs_a_description() -> None:
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(description="", due_on=days(3))
    assert "description" in caught.value.message_dict


def test_moving_a_due_date_is_a_recommitment_that_keeps_the_original_date() -> None:
    commitment = CommitmentFactory(due_on=days(-2))
    commitment = services.commitment_recommit(
        commitment=commitment, by=None, expected_version=1, due_on=days(5), reason="Waiting on legal"
    )
    commitment = services.commitment_recommit(
        commitment=commitment, by=None, expected_version=2, due_on=days(9)
    )
    commitment.refresh_from_db()
    assert (commitment.due_on, commitment.original_due_on, commitment.recommitted_count) == (
        days(9),
        days(-2),
        2,
    )
    reasons = [h.history_change_reason for h in commitment.history.all()[:2]]
    assert reasons == ["Re-committed", "Re-committed: Waiting on legal"]


def test_moving_to_the_same_date_is_not_a_recommitment() -> None:
    commitment = CommitmentFactory(due_on=days(3))
    services.commitment_recommit(commitment=commitment, by=None, expected_version=1, due_on=days(3))
    commitment.refresh_from_db()
    assert (commitment.recommitted_count, commitment.version) == (0, 1)


def test_a_done_commitment_cannot_be_moved() -> None:
    commitment = CommitmentFactory(done_on=days(-1))
    with pytest.raises(ValidationError):
        services.commitment_recommit(commitment=commitment, by=None, expected_version=1, due_on=days(3))


def test_completing_and_reopening_a_commitment() -> None:
    commitment = CommitmentFactory()
    done = services.commitment_complete(commitment=commitment, by=None, expected_version=1)
    assert (done.done_on, done.version) == (today(), 2)
    again = services.commitment_complete(commitment=done, by=None, expected_version=2)
    assert again.version == 2
    reopened = services.commitment_reopen(commitment=done, by=None, expected_version=2)
    assert (reopened.done_on, reopened.version) == (None, 3)


def test_a_stale_completion_is_refused() -> None:
    commitment = CommitmentFactory()
    services.commitment_recommit(commitment=commitment, by=None, expected_version=1, due_on=days(8))
    with pytest.raises(StaleEdit):
        services.commitment_complete(commitment=commitment, by=None, expected_version=1)
    commitment.refresh_from_db()
    assert commitment.done_on is None


def test_the_admin_obeys_the_same_rules(client_as, staff) -> None:
    staff.is_superuser = True
    staff.save()
    ws = WorkstreamFactory()
    client = client_as("staff")
    url = f"/admin/workstreams/workstream/{ws.pk}/change/"
    form = {
        "name": ws.name,
        "surface": ws.surface_id,
        "owner": ws.owner_id,
        "state": "blocked",
        "blocker": "",
        "escalation": "none",
        "created_on": ws.created_on.isoformat(),
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "A blocked workstream needs a blocker" in response.content.decode()
    client.post(url, {**form, "blocker": "Vendor"})
    ws.refresh_from_db()
    assert (ws.state, ws.blocked_since, ws.version) == (State.BLOCKED, today(), 2)
