"""The background jobs (Django's Tasks framework): send one delivery. Enqueued by the scheduler in the
same transaction as the delivery's row, so a job exists exactly when its claim does."""

from __future__ import annotations

from django.tasks import task


@task
def deliver(delivery_id: int) -> str:
    """Send one claimed delivery; idempotent (a delivery already sent, or taken by another worker,
    is left alone)."""
    from outbound.services import delivery_send

    return delivery_send(delivery_id=delivery_id)
