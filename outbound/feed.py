"""The decision log as an Atom feed: a decision opened, decided, superseded or reopened, newest
first, for all surfaces or one. Read from the decisions' history in two queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from decisions.models import Decision
from leadership_os.models import Surface

ENTRIES = 50
EVENTS = {
    "new": "Opened",
    "decided": "Decided",
    "superseded": "Superseded",
    "reopened": "Reopened",
}


def _event(status: str, before: str | None) -> str | None:
    """What a change of status means to a reader of the log, or None for a change they need not hear of."""
    if status == before:
        return None
    if status == Decision.Status.OPEN:
        return "reopened" if before in (Decision.Status.DECIDED, Decision.Status.SUPERSEDED) else "new"
    if status in (Decision.Status.DECIDED, Decision.Status.SUPERSEDED):
        return str(status)
    return None


def decision_events(*, surface: Surface | None = None, limit: int = ENTRIES) -> list[dict[str, Any]]:
    """The newest `limit` events of the log (of one surface when given)."""
    History = Decision.history.model
    rows = (
        History.objects.annotate(
            before=Window(
                Lag("status"), partition_by=[F("id")], order_by=[F("history_date"), F("history_id")]
            )
        )
        .filter(Q(before__isnull=True) | ~Q(before=F("status")))
        .order_by("-history_date", "-history_id")
    )
    if surface is not None:
        rows = rows.filter(surface_id=surface.pk)
    events = []
    for row in rows.values(
        "history_id",
        "id",
        "key",
        "title",
        "question",
        "outcome",
        "status",
        "before",
        "history_date",
        "history_change_reason",
        "decided_on",
    )[: limit * 3]:
        event = _event(row["status"], row["before"])
        if event is None:
            continue
        events.append({**row, "event": event})
        if len(events) == limit:
            break
    return events


def decision_feed(*, base_url: str, self_url: str, surface: Surface | None, now: dt.datetime) -> bytes:
    title = "Leadership OS decisions" + (f": {surface.name}" if surface else "")
    feed = Atom1Feed(
        title=title,
        link=f"{base_url}{reverse('decisions:decision_list')}",
        description="Decisions opened, decided, superseded and reopened.",
        feed_url=self_url,
        feed_guid=f"tag:leadership-os,2026:decisions/{surface.key if surface else 'all'}",
        language="en",
    )
    events = decision_events(surface=surface)
    for event in events:
        link = f"{base_url}{reverse('decisions:decision_detail', args=[event['key']])}"
        said = (
            event["outcome"]
            if event["event"] in ("decided", "superseded") and event["outcome"]
            else event["question"]
        )
        reason = event["history_change_reason"] or ""
        feed.add_item(
            title=f"{EVENTS[event['event']]}: {event['key']} {event['title']}",
            link=link,
            description=" ".join(part for part in (said, f"({reason})" if reason else "") if part),
            unique_id=f"tag:leadership-os,2026:decision-event/{event['history_id']}",
            unique_id_is_permalink=False,
            updateddate=event["history_date"],
            pubdate=event["history_date"],
            categories=[EVENTS[event["event"]].lower()],
        )
    if not events:
        feed.latest_post_date = lambda: now  # type: ignore[method-assign]
    return feed.writeString("utf-8").encode()
