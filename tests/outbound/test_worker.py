"""The real path: the scheduler claims, the django-tasks-db worker runs the job, a real SMTP server
(aiosmtpd, started by the test) receives the message, and we read what it received."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbound.models import Delivery, Kind
from outbound.scheduler import tick
from outbound.services import MAX_ATTEMPTS, delivery_send, retry_delay
from tests.outbound.conftest import (
    at,
    free_port,
    links_in,
    mailable,
    parts,
    point_mail_at,
    prefer,
    run_worker,
    today,
)
from tests.workstreams.factories import CommitmentFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_the_digest_once_through_smtp_with_both_parts_and_the_headers(
    smtp, principal
) -> None:
    mailable(principal, "maya@example.com")
    prefer(principal)
    WorkstreamFactory(
        name="Sovereign cloud pilot",
        state="blocked",
        blocker="Waiting on legal",
        blocked_since=today() - dt.timedelta(days=5),
    )
    assert tick(at(today(), 7, 29)) == 0, "nothing before 07:30"
    assert tick(at(today(), 7, 30)) == 1
    run_worker()
    assert tick(at(today(), 7, 31)) == 0
    run_worker()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "maya@example.com"
    assert message["Subject"].startswith(f"Your morning, {today():%a %-d %b}")
    assert message["List-Unsubscribe"].startswith("<https://los.example.com/outbound/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert "Good morning, " in text and "NEW ON THE RADAR" in text and "Sovereign cloud pilot" in text
    assert (
        "Sovereign cloud pilot" in html
        and "Brief" not in text.split("NEW ON THE RADAR")[0].split("TODAY AND TOMORROW")[1]
    )
    hrefs = [htmlmod.unescape(h) for h in links_in(html)]
    assert hrefs and all(h.startswith("https://los.example.com/") for h in hrefs), hrefs
    assert any(urlsplit(h).path.startswith("/workstreams/WS-") for h in hrefs)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_a_refusing_smtp_server_is_retried_with_backoff_and_nothing_is_dropped(smtp, contributor) -> None:
    mailable(contributor)
    prefer(contributor)
    CommitmentFactory(
        owner=contributor.person, due_on=today() + dt.timedelta(days=1), description="Send the pricing memo"
    )
    smtp.refuse = True
    tick(at(today(), 8))
    run_worker()
    delivery = Delivery.objects.get(kind=Kind.COMMITMENT_DUE)
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.attempts == 1
    assert "451" in delivery.last_error
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after > timezone.now() + retry_delay(1) - dt.timedelta(seconds=30)
    assert smtp.messages == []

    # The server comes back; the retry (due after its delay) sends the same message, once.
    smtp.refuse = False
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 2
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"].startswith(
        f"{contributor.person.commitments.get().key} is due tomorrow"
    )


def test_an_smtp_server_that_is_down_ends_failed_after_the_last_attempt_and_staff_see_it(
    settings, smtp, contributor, client_as
) -> None:
    mailable(contributor)
    prefer(contributor)
    CommitmentFactory(owner=contributor.person, due_on=today() + dt.timedelta(days=1))
    point_mail_at(settings, free_port())  # nothing listens there: connection refused
    tick(at(today(), 8))
    delivery = Delivery.objects.get()
    delays = []
    for _ in range(MAX_ATTEMPTS):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert delivery_send(delivery_id=delivery.pk) in ("retrying", "failed")
        delivery.refresh_from_db()
        if delivery.status == Delivery.Status.RETRYING:
            delays.append(delivery.next_attempt_at - delivery.updated_at)
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
    assert delays == sorted(delays) and delays[-1] > delays[0], "each wait is longer than the one before"

    page = client_as("staff").get("/outbound/sent/")
    content = page.content.decode()
    assert "did not go out yet" in content and "Failed" in content
    # Staff send it again once the server is back.
    point_mail_at(settings, smtp.port)
    client_as("staff").post(f"/outbound/sent/{delivery.pk}/retry/")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(smtp.messages) == 1


def test_the_worker_command_runs_one_tick_and_the_queue(smtp, principal, monkeypatch) -> None:
    mailable(principal)
    prefer(principal)
    moment = at(today(), 9)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    call_command("outbound_worker", "--once", verbosity=0)
    assert len(smtp.messages) == 1
    call_command("outbound_worker", "--once", verbosity=0)
    assert len(smtp.messages) == 1, "a second run claims nothing new"
