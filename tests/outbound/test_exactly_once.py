"""Exactly once, enforced by the database: two workers racing (threads with their own connections,
each running the scheduler and the real django-tasks-db worker) and a restarted worker never send a
message twice. The race runs on PostgreSQL (DATABASE_URL=postgres://…), where the workers truly run
at once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection, connections

from outbound.models import Delivery, Kind
from outbound.scheduler import tick
from outbound.services import delivery_send
from tests.outbound.conftest import at, mailable, prefer, run_worker, today
from tests.workstreams.factories import CommitmentFactory

pytestmark = pytest.mark.django_db(transaction=True)
on_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="the race needs PostgreSQL"
)


def race(n: int, work: Callable[[], object]) -> list[object]:
    """Run `work` in n threads released at the same instant; each thread has its own connection."""
    barrier = threading.Barrier(n)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def people(principal, contributor, chief_of_staff) -> None:
    for user in (principal, contributor, chief_of_staff):
        mailable(user)
        prefer(user)
    for n in range(5):
        CommitmentFactory(
            owner=contributor.person, due_on=today() + dt.timedelta(days=1), description=f"Due {n}"
        )
        CommitmentFactory(
            owner=contributor.person, due_on=today() - dt.timedelta(days=1), description=f"Late {n}"
        )


@on_postgres
def test_two_workers_racing_on_postgresql_send_each_message_once(
    smtp, principal, contributor, chief_of_staff
) -> None:
    assert connection.vendor == "postgresql"
    people(principal, contributor, chief_of_staff)
    moment = at(today(), 8)

    def worker() -> int:
        claimed = tick(moment)
        run_worker()
        return claimed

    claimed = race(2, worker)
    race(2, run_worker)  # and anything one of them left queued

    deliveries = Delivery.objects.all()
    expected = 3 + 10 + 1  # a digest each, ten nudges, the weekly note if today is Monday
    assert sum(claimed) == deliveries.count()  # type: ignore[arg-type]
    assert deliveries.count() in (expected - 1, expected)
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    keys = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert len(keys) == len(set(keys)) == deliveries.count(), "nobody got the same message twice"


@on_postgres
def test_two_workers_running_the_same_job_send_it_once(smtp, principal) -> None:
    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))
    delivery = Delivery.objects.get(kind=Kind.DIGEST)
    outcomes = race(4, lambda: delivery_send(delivery_id=delivery.pk))
    assert sorted(outcomes) == ["not waiting", "not waiting", "not waiting", "sent"]  # type: ignore[type-var]
    assert len(smtp.messages) == 1


def test_a_restarted_worker_running_the_job_again_sends_nothing_more(smtp, principal) -> None:
    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))
    run_worker()
    delivery = Delivery.objects.get()
    # The worker restarts: the same job runs again, the scheduler ticks again, a day's ticks repeat.
    assert delivery_send(delivery_id=delivery.pk) == "not waiting"
    for minute in range(3):
        assert tick(at(today(), 9, minute)) == 0
    run_worker()
    assert len(smtp.messages) == 1


def test_a_worker_killed_while_sending_leaves_it_failed_for_staff_never_sent_twice(smtp, principal) -> None:
    from django.utils import timezone

    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))
    delivery = Delivery.objects.get()
    # The worker claimed it for sending, then died.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, updated_at=timezone.now() - dt.timedelta(minutes=20)
    )
    tick(timezone.now())
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "may or may not" in delivery.last_error
    assert smtp.messages == []


def test_a_job_lost_before_it_ran_is_enqueued_again_and_sent_once(smtp, principal) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    mailable(principal)
    prefer(principal)
    tick(at(today(), 8))
    DBTaskResult.objects.all().delete()  # the queue lost it
    Delivery.objects.update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    tick(timezone.now())
    tick(timezone.now())
    run_worker()
    assert len(smtp.messages) == 1
