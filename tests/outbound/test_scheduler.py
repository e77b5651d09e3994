"""What the scheduler claims, for whom, when; and what the digest says (new or worse since the last
one). Sends go to Django's in-memory outbox here; test_worker.py sends through real SMTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from leadership_os.access import Role
from outbound.models import Delivery, Kind, Preference
from outbound.scheduler import tick
from outbound.services import delivery_send
from tests.factories import PersonFactory, UserFactory
from tests.outbound.conftest import at, mailable, prefer, today
from tests.workstreams.factories import (
    CommitmentFactory,
    DecisionFactory,
    ExternalPersonFactory,
    StatusUpdateFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def send_all() -> list[str]:
    return [
        delivery_send(delivery_id=pk) for pk in Delivery.objects.order_by("pk").values_list("pk", flat=True)
    ]


def kinds_for(user) -> list[tuple[str, str]]:
    return sorted(Delivery.objects.filter(user=user).values_list("kind", "subject"))


def test_the_digest_waits_for_the_chosen_local_time_and_weekday(principal) -> None:
    mailable(principal)
    prefer(principal, send_at=dt.time(6, 45), weekdays=str(today().weekday()))
    assert tick(at(today(), 6, 44)) == 0
    assert tick(at(today(), 6, 45)) == 1
    prefer(principal, weekdays=str((today().weekday() + 1) % 7))
    assert tick(at(day(7), 9)) == 0, "not on a weekday they did not choose"


def test_by_default_the_principal_gets_the_digest_at_half_past_seven_on_weekdays_only(principal) -> None:
    mailable(principal)
    monday = today() - dt.timedelta(days=today().weekday())
    assert tick(at(monday, 7, 29)) == 0
    assert tick(at(monday, 7, 30)) == 1
    assert tick(at(monday + dt.timedelta(days=5), 9)) == 0, "Saturday"


def test_ticking_again_claims_nothing_twice(principal) -> None:
    mailable(principal)
    prefer(principal)
    assert tick(at(today(), 8)) == 1
    assert tick(at(today(), 8, 1)) == 0
    assert tick(at(today(), 17)) == 0
    assert Delivery.objects.count() == 1


def test_the_database_refuses_a_second_claim_of_the_same_message(principal) -> None:
    from django.db import IntegrityError, transaction

    Delivery.objects.create(user=principal, kind=Kind.DIGEST, subject="digest", day=today())
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(user=principal, kind=Kind.DIGEST, subject="digest", day=today())


def test_after_two_days_down_one_digest_is_sent_covering_everything_since_the_last(principal) -> None:
    mailable(principal)
    prefer(principal)
    tick(at(day(-3), 8))
    send_all()
    WorkstreamFactory(name="Quietly blocked", state="blocked", blocker="Legal", blocked_since=day(-5))
    # The worker was down on day -2 and day -1; it comes back this morning.
    assert tick(at(today(), 10)) == 1
    assert tick(at(today(), 10, 1)) == 0
    send_all()
    digests = Delivery.objects.filter(kind=Kind.DIGEST).order_by("day")
    assert [d.day for d in digests] == [day(-3), today()]
    assert len(mail.outbox) == 2
    body = mail.outbox[-1].body
    assert f"since your last digest on {day(-3):%A %-d %B}" in body
    assert "Quietly blocked" in body


def test_the_digest_shows_what_is_new_or_worse_not_the_whole_radar_again(principal) -> None:
    mailable(principal)
    prefer(principal)
    old = WorkstreamFactory(name="Known stale one", created_on=day(-9))  # stale: medium
    tick(at(day(-1), 8))
    send_all()
    assert "Known stale one" in mail.outbox[0].body
    StatusUpdateFactory(
        workstream=WorkstreamFactory(
            name="Fresh blocker", state="blocked", blocker="x", blocked_since=day(-4)
        ),
        posted_on=day(-1),
    )
    old.created_on = day(-20)  # now 20 days without an update: high
    old.save()
    tick(at(today(), 8))
    send_all()
    body = mail.outbox[1].body
    new_part = body.split("NEW ON THE RADAR")[1].split("WORSE THAN LAST TIME")[0]
    assert "Fresh blocker" in new_part
    assert "Known stale one" not in new_part
    assert "WORSE THAN LAST TIME" in body and "[high, was medium]" in body
    state = Delivery.objects.get(day=today()).state
    assert any(key.startswith("stale-update__workstream__") for key in state["radar"])


def test_slips_and_decisions_since_the_last_digest_are_listed_once(principal) -> None:
    from decisions.models import Decision

    mailable(principal)
    prefer(principal)
    CommitmentFactory(description="Old slip", due_on=day(-10))
    tick(at(day(-1), 8))
    send_all()
    assert "Old slip" not in mail.outbox[0].body, "a first digest lists only what slipped since yesterday"
    CommitmentFactory(description="New slip", due_on=day(-1))
    DecisionFactory(
        title="Pick the eval vendor", status=Decision.Status.DECIDED, decided_on=today(), outcome="Vendor B"
    )
    tick(at(today(), 8))
    send_all()
    body = mail.outbox[1].body
    assert "New slip" in body and "Old slip" not in body
    assert "Pick the eval vendor" in body and "Vendor B" in body
    tick(at(day(1), 8))
    send_all()
    assert "Pick the eval vendor" not in mail.outbox[2].body


def test_nothing_new_gives_a_one_line_digest_or_none_as_the_user_chose(principal, chief_of_staff) -> None:
    mailable(principal)
    mailable(chief_of_staff)
    prefer(principal)
    prefer(chief_of_staff, quiet_digest=Preference.QuietDigest.NONE, weekly=False)
    tick(at(day(-1), 8))
    send_all()
    tick(at(today(), 8))
    statuses = send_all()
    today_mail = [m for m in mail.outbox if f"{today():%a %-d %b}" in m.subject]
    assert len(today_mail) == 1 and today_mail[0].to == ["vp@example.com"]
    assert "nothing new since your last digest" in today_mail[0].subject
    assert "Nothing new since your last digest" in today_mail[0].body
    assert "NEW ON THE RADAR" not in today_mail[0].body
    skipped = Delivery.objects.get(user=chief_of_staff, day=today())
    assert skipped.status == Delivery.Status.SKIPPED and "skipped" in statuses


def test_commitment_owners_are_nudged_the_day_before_and_the_day_it_slips(contributor) -> None:
    person = mailable(contributor)
    prefer(contributor)
    due = CommitmentFactory(owner=person, due_on=day(1), description="Ship the SOC2 letter")
    slipped = CommitmentFactory(owner=person, due_on=day(-1), description="Call Helix back")
    CommitmentFactory(owner=person, due_on=day(-1), done_on=day(-1))  # done: no nudge
    CommitmentFactory(owner=person, due_on=day(3))  # not yet
    tick(at(today(), 8))
    assert kinds_for(contributor) == sorted(
        [
            (Kind.DIGEST, "digest"),
            (Kind.COMMITMENT_DUE, f"{due.key}@{due.due_on}"),
            (Kind.COMMITMENT_SLIPPED, f"{slipped.key}@{slipped.due_on}"),
        ]
    ) or kinds_for(contributor) == sorted(
        [
            (Kind.COMMITMENT_DUE, f"{due.key}@{due.due_on}"),
            (Kind.COMMITMENT_SLIPPED, f"{slipped.key}@{slipped.due_on}"),
        ]
    )
    assert Delivery.objects.get(kind=Kind.COMMITMENT_SLIPPED).day == today(), "the day it slipped"
    send_all()
    subjects = sorted(m.subject for m in mail.outbox)
    assert f"{due.key} is due tomorrow: Ship the SOC2 letter" in subjects
    assert any(s.startswith(f"{slipped.key} slipped") for s in subjects)


def test_a_nudge_about_a_commitment_done_meanwhile_is_not_sent(contributor) -> None:
    person = mailable(contributor)
    prefer(contributor)
    commitment = CommitmentFactory(owner=person, due_on=day(1))
    tick(at(today(), 8))
    commitment.done_on = today()
    commitment.save()
    send_all()
    assert mail.outbox == []
    assert Delivery.objects.get(kind=Kind.COMMITMENT_DUE).status == Delivery.Status.SKIPPED


def test_workstream_owners_are_nudged_a_day_before_the_stale_rule_fires(contributor, settings) -> None:
    person = mailable(contributor)
    prefer(contributor)
    stale_days = 7
    soon = WorkstreamFactory(owner=person, name="About to go stale")
    StatusUpdateFactory(workstream=soon, posted_on=day(-(stale_days - 1)))
    fine = WorkstreamFactory(owner=person)
    StatusUpdateFactory(workstream=fine, posted_on=day(-2))
    already = WorkstreamFactory(owner=person)
    StatusUpdateFactory(workstream=already, posted_on=day(-stale_days))
    WorkstreamFactory(owner=person, state="done", created_on=day(-(stale_days - 1)))
    tick(at(today(), 8))
    stale = list(Delivery.objects.filter(kind=Kind.UPDATE_STALE).values_list("subject", flat=True))
    assert stale == [f"{soon.key}@{day(-(stale_days - 1))}"]
    send_all()
    message = next(m for m in mail.outbox if soon.key in m.subject)
    assert "needs an update by tomorrow" in message.subject
    assert "From tomorrow" in message.body and "/outbound/act/" in message.body


def test_the_stale_nudge_follows_the_configured_threshold(contributor, settings) -> None:
    settings.LEADERSHIP_OS_RULES = {"STALE_DAYS": "10"}
    person = mailable(contributor)
    prefer(contributor)
    ws = WorkstreamFactory(owner=person)
    StatusUpdateFactory(workstream=ws, posted_on=day(-9))
    tick(at(today(), 8))
    assert Delivery.objects.filter(kind=Kind.UPDATE_STALE).count() == 1


def test_external_people_and_people_without_a_login_are_never_emailed(contributor) -> None:
    mailable(contributor)
    outsider_user = UserFactory(username="partner", role=Role.CONTRIBUTOR)
    outsider = ExternalPersonFactory(user=outsider_user, email="them@partner.example")
    prefer(outsider_user, digest=True)
    no_login = PersonFactory(email="nologin@example.com")
    CommitmentFactory(owner=outsider, due_on=day(1))
    CommitmentFactory(owner=no_login, due_on=day(1))
    inactive = UserFactory(username="gone", role=Role.CONTRIBUTOR)
    gone = PersonFactory(user=inactive, email="gone@example.com")
    inactive.is_active = False
    inactive.save()
    CommitmentFactory(owner=gone, due_on=day(1))
    tick(at(today(), 8))
    send_all()
    addresses = {to for m in mail.outbox for to in m.to}
    assert addresses <= {"pm@example.com"}
    assert not Delivery.objects.exclude(user=contributor).exists()


def test_roles_decide_what_a_person_may_get(viewer, chief_of_staff) -> None:
    mailable(viewer)
    mailable(chief_of_staff)
    prefer(viewer, digest=True, weekly=True)
    prefer(chief_of_staff)
    CommitmentFactory(owner=viewer.person, due_on=day(1))
    tick(at(today() - dt.timedelta(days=today().weekday()), 8))  # a Monday: the weekly note's day
    assert {k for k, _ in kinds_for(viewer)} == {Kind.DIGEST}, "a viewer cannot act on a nudge"
    assert Kind.WEEKLY_NOTE in {k for k, _ in kinds_for(chief_of_staff)}


def test_unsubscribing_before_the_send_stops_it(principal) -> None:
    from outbound.models import Topic
    from outbound.services import unsubscribe

    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))
    unsubscribe(user=principal, topic=Topic.DIGEST)
    send_all()
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_the_weekly_note_counts_nudges_sent_answered_and_silent(chief_of_staff, contributor) -> None:
    from outbound.compose import nudge_outcomes

    mailable(chief_of_staff)
    person = mailable(contributor)
    prefer(chief_of_staff, digest=False)
    prefer(contributor, digest=False)
    answered = CommitmentFactory(owner=person, due_on=day(-3), description="Answered one")
    silent = CommitmentFactory(owner=person, due_on=day(-3), description="Silent one")
    tick(at(day(-4), 8))
    send_all()
    answered.done_on = day(-3)
    answered.save()
    rows = nudge_outcomes(day(-6), day(-1))
    assert {(r["key"], r["answered"]) for r in rows} == {(answered.key, True), (silent.key, False)}
    monday = today() - dt.timedelta(days=today().weekday()) + dt.timedelta(days=7)
    Delivery.objects.filter(kind=Kind.COMMITMENT_DUE).update(day=monday - dt.timedelta(days=3))
    mail.outbox.clear()
    tick(at(monday, 8))
    send_all()
    note = next(m for m in mail.outbox if m.subject.startswith("Follow-through"))
    assert note.to == ["cos@example.com"]
    assert "2 nudges sent, 1 answered" in note.body and "1 still silent" in note.body
    assert (
        silent.key in note.body.split("STILL SILENT")[1]
        and answered.key not in note.body.split("STILL SILENT")[1]
    )


def test_a_message_that_cannot_be_composed_waits_to_retry_and_is_not_left_sending(
    principal, monkeypatch
) -> None:
    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))

    def broken(delivery):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("outbound.compose.compose", broken)
    assert send_all() == ["retrying"]
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.RETRYING and "went away" in delivery.last_error
    assert delivery.html_body == ""
