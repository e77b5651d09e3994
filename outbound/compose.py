"""What each message says: the morning digest (what is new or worse since the last one), the nudges
and the chief of staff's weekly note, rendered as an HTML and a plain-text part with absolute links.

Each composer reads what it needs in a fixed number of queries and returns a `Message`; a composer
that finds nothing left to say (a nudge about a commitment already done) returns None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbound import links
from outbound.models import NUDGE_KINDS, TOPIC_IN_MAIL, TOPIC_OF_KIND, ActionLink, Delivery, Kind

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
SECTION_ROWS = 8  # each section of the digest lists its first eight; the rest is one link away
QUEUE_ROWS = 5


@dataclass
class Message:
    subject: str
    text: str
    html: str
    state: dict[str, Any] = field(default_factory=dict)
    quiet: bool = False


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _render(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    html = render_to_string(f"outbound/email/{kind}.html", context)
    text = render_to_string(f"outbound/email/{kind}.txt", context)
    return text.strip() + "\n", html


def _frame(delivery: Delivery, **extra: Any) -> dict[str, Any]:
    """What every message's frame shows: who it is for, and the ways out."""
    from leadership_os.models import Person

    topic = TOPIC_OF_KIND[Kind(delivery.kind)]
    name = Person.objects.filter(user_id=delivery.user_id).values_list("name", flat=True).first()
    return {
        "site_url": settings.SITE_URL,
        "recipient": name or delivery.user.get_full_name() or delivery.user.username,
        "topic_label": TOPIC_IN_MAIL[topic],
        "unsubscribe_url": links.unsubscribe_url(delivery.user, topic),
        "preferences_url": absolute(reverse("outbound:preferences")),
        **extra,
    }


# The morning digest -------------------------------------------------------------------------------


def _engagements_soon(day: dt.date) -> list[dict[str, Any]]:
    """Today's and tomorrow's engagements with their briefs' readiness, as the dashboard shows them."""
    from briefs.models import Engagement
    from briefs.queries import for_readiness, with_readiness

    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    window = Engagement.objects.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=2))
    shown = list(for_readiness(window.select_related("surface").order_by("starts_at", "number"))[:12])
    return [
        {
            "engagement": engagement,
            "day": "Today" if timezone.localtime(engagement.starts_at).date() == day else "Tomorrow",
            "time": timezone.localtime(engagement.starts_at),
            "missing": engagement.readiness.missing,
            "url": absolute(reverse("briefs:brief_detail", args=[engagement.pk])),
        }
        for engagement in with_readiness(shown)
    ]


def last_digest(user: Any, before: Delivery) -> Delivery | None:
    """The newest digest this person got (or chose to skip) before `before`: the next one says what
    changed since."""
    return (
        Delivery.objects.filter(
            user=user, kind=Kind.DIGEST, status__in=[Delivery.Status.SENT, Delivery.Status.SKIPPED]
        )
        .exclude(pk=before.pk)
        .filter(day__lt=before.day)
        .order_by("-day", "-pk")
        .only("pk", "day", "state", "sent_at", "created_at")
        .first()
    )


def digest(delivery: Delivery) -> Message:
    """The principal's morning read: today's and tomorrow's engagements, what is new or worse on the
    radar since the last digest, the top of the queue, commitments that slipped since and decisions
    recorded since. `state` is what this digest saw, for the next one to compare with."""
    from decisions.models import Decision
    from radar import queries as radar_queries

    day = delivery.day
    previous = last_digest(delivery.user, delivery)
    before: dict[str, Any] = previous.state if previous else {}
    seen_radar: dict[str, list[str]] = before.get("radar", {})
    seen_slipped = set(before.get("slipped", []))
    seen_decisions = set(before.get("decisions", []))
    since_day = previous.day if previous else day - dt.timedelta(days=1)

    evaluation = radar_queries.evaluate_today(day)
    now_radar = {
        radar_queries.item_id(item): [item.severity, radar_queries.fingerprint(item)]
        for item in evaluation.visible
    }
    fresh, worse = [], []
    for item in evaluation.visible:
        if item.rule == "slipped-commitment":
            continue  # they have their own section
        was = seen_radar.get(radar_queries.item_id(item))
        if was is None:
            fresh.append(item)
        elif SEVERITY_RANK[item.severity] > SEVERITY_RANK.get(was[0], 0):
            worse.append((item, was[0]))
    slipped_items = [
        item
        for item in evaluation.visible_of("slipped-commitment")
        if item.subject.key not in seen_slipped
        and (previous is not None or int(item.facts.get("days_late", 0)) <= 1)
    ]
    decided = list(
        Decision.objects.filter(status=Decision.Status.DECIDED, decided_on__gte=since_day)
        .exclude(key__in=seen_decisions)
        .select_related("surface", "decider")
        .order_by("-decided_on", "-number")[:50]
    )
    all_slipped = [item.subject.key for item in evaluation.visible_of("slipped-commitment")]

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        shown = radar_queries.rows(evaluation, items[:SECTION_ROWS])
        for row in shown:
            row["url"] = absolute(row["url"])
        return shown

    worse_rows = rows([item for item, _ in worse])
    for row, (_, was) in zip(worse_rows, worse[:SECTION_ROWS], strict=True):
        row["was"] = was
    queue = radar_queries.queue_rows(list(evaluation.result.queue[:QUEUE_ROWS]))
    for row in queue:
        row["url"] = absolute(row["url"])
    engagements = _engagements_soon(day)
    context = _frame(
        delivery,
        day=day,
        since=previous.day if previous else None,
        engagements=engagements,
        fresh=rows(fresh),
        fresh_more=max(len(fresh) - SECTION_ROWS, 0),
        worse=worse_rows,
        worse_more=max(len(worse) - SECTION_ROWS, 0),
        slipped=rows(slipped_items),
        slipped_more=max(len(slipped_items) - SECTION_ROWS, 0),
        decisions=[
            {"decision": d, "url": absolute(reverse("decisions:decision_detail", args=[d.key]))}
            for d in decided[:SECTION_ROWS]
        ],
        decisions_more=max(len(decided) - SECTION_ROWS, 0),
        queue=queue,
        queue_total=len(evaluation.result.queue),
        radar_url=absolute(reverse("radar")),
        queue_url=absolute(reverse("queue")),
        dashboard_url=absolute(reverse("dashboard")),
        commitments_url=absolute(reverse("workstreams:commitment_list")),
        decisions_url=absolute(reverse("decisions:decision_list")),
    )
    quiet = not (engagements or fresh or worse or slipped_items or decided)
    context["quiet"] = quiet
    if quiet:
        subject = f"Your morning, {day:%a %-d %b}: nothing new since your last digest"
    else:
        parts = []
        if engagements:
            parts.append(f"{len(engagements)} engagement{'s' if len(engagements) != 1 else ''}")
        if fresh or worse:
            parts.append(f"{len(fresh) + len(worse)} new or worse on the radar")
        if slipped_items:
            parts.append(f"{len(slipped_items)} slipped")
        if decided:
            parts.append(f"{len(decided)} decided")
        subject = f"Your morning, {day:%a %-d %b}: " + ", ".join(parts)
    text, html = _render("digest", context)
    state = {
        "radar": now_radar,
        "slipped": sorted(set(all_slipped)),
        "decisions": sorted(seen_decisions | {d.key for d in decided}),
    }
    return Message(subject=subject, text=text, html=html, state=state, quiet=quiet)


# Nudges -------------------------------------------------------------------------------------------


def _subject_key(delivery: Delivery) -> str:
    return delivery.subject.split("@", 1)[0]


def commitment_nudge(delivery: Delivery) -> Message | None:
    """To a commitment's owner the day before it is due, or on the day it slips; None when it is done,
    moved, or no longer theirs."""
    from workstreams.models import Commitment

    key = _subject_key(delivery)
    due = dt.date.fromisoformat(delivery.subject.split("@", 1)[1])
    commitment = (
        Commitment.objects.select_related("workstream", "owner", "promised_to").filter(key=key).first()
    )
    if (
        commitment is None
        or commitment.done_on is not None
        or commitment.due_on != due
        or commitment.owner is None
        or commitment.owner.user_id != delivery.user_id
    ):
        return None
    slipped = delivery.kind == Kind.COMMITMENT_SLIPPED
    place = (
        absolute(reverse("workstreams:workstream_detail", args=[commitment.workstream.key]))
        if commitment.workstream
        else absolute(reverse("workstreams:commitment_list"))
    )
    context = _frame(
        delivery,
        commitment=commitment,
        slipped=slipped,
        record_url=f"{place}#{commitment.key}",
        days_late=(delivery.day - commitment.due_on).days,
    )
    context["action_url"] = links.action_link_create(
        delivery=delivery, action=ActionLink.Action.COMMITMENT_DONE, subject_key=commitment.key
    )
    if slipped:
        subject = f"{commitment.key} slipped: it was due {commitment.due_on:%a %-d %b}"
    else:
        subject = f"{commitment.key} is due tomorrow: {commitment.description[:80]}"
    text, html = _render("commitment_nudge", context)
    return Message(subject=subject, text=text, html=html)


def stale_nudge(delivery: Delivery) -> Message | None:
    """To a workstream's owner the day before the stale-update rule fires; None when an update was
    posted since, the workstream is no longer active, or it changed hands."""
    from leadership_os.thresholds import rule_thresholds
    from workstreams.models import State, Workstream

    key = _subject_key(delivery)
    last = dt.date.fromisoformat(delivery.subject.split("@", 1)[1])
    workstream = (
        Workstream.objects.select_related("owner", "surface")
        .annotate(last_posted=Max("updates__posted_on"))
        .filter(key=key)
        .first()
    )
    if workstream is None or workstream.state in (State.DONE, State.PAUSED):
        return None
    if workstream.owner is None or workstream.owner.user_id != delivery.user_id:
        return None
    if (workstream.last_posted or workstream.created_on) != last:
        return None
    stale_days = rule_thresholds()["STALE_DAYS"]
    context = _frame(
        delivery,
        workstream=workstream,
        last=last,
        days=(delivery.day - last).days,
        stale_days=stale_days,
        fires_on=last + dt.timedelta(days=stale_days),
        record_url=absolute(reverse("workstreams:workstream_detail", args=[workstream.key])),
        action_url=links.action_link_create(
            delivery=delivery, action=ActionLink.Action.WORKSTREAM_UPDATE, subject_key=workstream.key
        ),
    )
    subject = f"{workstream.key} needs an update by tomorrow: {workstream.name[:80]}"
    text, html = _render("stale_nudge", context)
    return Message(subject=subject, text=text, html=html)


# The weekly note ----------------------------------------------------------------------------------


def nudge_outcomes(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Every nudge sent for the days from `start` to `end` (both included), each marked answered (its
    link was used, or its owner acted on the record since) or silent. A fixed number of queries."""
    from workstreams.models import Commitment, Workstream

    sent = list(
        Delivery.objects.filter(
            kind__in=NUDGE_KINDS, status=Delivery.Status.SENT, day__gte=start, day__lte=end
        )
        .select_related("user")
        .order_by("day", "pk")
    )
    used = set(
        ActionLink.objects.filter(delivery__in=sent, used_at__isnull=False).values_list(
            "delivery_id", flat=True
        )
    )
    keys = {_subject_key(d) for d in sent}
    done = dict(Commitment.objects.filter(key__in=keys, done_on__isnull=False).values_list("key", "done_on"))
    moved = dict(Commitment.objects.filter(key__in=keys).values_list("key", "due_on"))
    updated = dict(
        Workstream.objects.filter(key__in=keys)
        .annotate(last=Max("updates__posted_on"))
        .values_list("key", "last")
    )
    rows = []
    for delivery in sent:
        key = _subject_key(delivery)
        if delivery.kind == Kind.UPDATE_STALE:
            last = updated.get(key)
            acted = last is not None and last >= delivery.day
        else:
            due = dt.date.fromisoformat(delivery.subject.split("@", 1)[1])
            acted = (key in done and done[key] >= delivery.day - dt.timedelta(days=1)) or moved.get(
                key
            ) != due
        rows.append(
            {
                "delivery": delivery,
                "key": key,
                "who": delivery.user.get_full_name() or delivery.user.username,
                "answered": delivery.pk in used or acted,
                "by_link": delivery.pk in used,
            }
        )
    return rows


def weekly_note(delivery: Delivery) -> Message:
    """To the chief of staff: the last seven days' nudges, answered and still silent."""
    end = delivery.day - dt.timedelta(days=1)
    start = end - dt.timedelta(days=6)
    rows = nudge_outcomes(start, end)
    silent = [r for r in rows if not r["answered"]]
    for row in silent:
        key = row["key"]
        path = (
            reverse("workstreams:workstream_detail", args=[key])
            if key.startswith("WS-")
            else reverse("workstreams:commitment_list") + f"#{key}"
        )
        row["url"] = absolute(path)
    answered = len(rows) - len(silent)
    context = _frame(
        delivery,
        start=start,
        end=end,
        sent=len(rows),
        answered=answered,
        by_link=sum(1 for r in rows if r["by_link"]),
        silent=silent,
        commitments_url=absolute(reverse("workstreams:commitment_list")),
    )
    subject = (
        f"Follow-through, {start:%-d %b} to {end:%-d %b}: {len(rows)} nudges, {len(silent)} still silent"
    )
    text, html = _render("weekly_note", context)
    return Message(subject=subject, text=text, html=html)


COMPOSERS = {
    Kind.DIGEST: digest,
    Kind.COMMITMENT_DUE: commitment_nudge,
    Kind.COMMITMENT_SLIPPED: commitment_nudge,
    Kind.UPDATE_STALE: stale_nudge,
    Kind.WEEKLY_NOTE: weekly_note,
}


def compose(delivery: Delivery) -> Message | None:
    """The message `delivery` stands for, or None when there is nothing left to say."""
    return COMPOSERS[Kind(delivery.kind)](delivery)
