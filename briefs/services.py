"""Writes of the briefs: each a keyword-only function, in one transaction, with optimistic locking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from briefs.models import Brief, Engagement, StakeholderPosition
from decisions.models import Decision, Stance
from leadership_os.locking import StaleEdit, save_versioned
from leadership_os.models import Person
from workstreams.models import Commitment

BRIEF_TEXT_FIELDS = ("objective", "one_thing", "notes")


def brief_update(*, engagement: Engagement, field: str, value: str, expected_version: int) -> Brief:
    """Set one text section of the engagement's brief, creating the brief on its first edit.

    `expected_version` is the brief's version the editor started from, 0 when there was no brief.
    Raises StaleEdit (with the brief as saved now) if someone else saved it since."""
    if field not in BRIEF_TEXT_FIELDS:
        raise ValueError(f"{field!r} is not a text section of a brief")
    with transaction.atomic():
        # Lock the engagement so that two first edits cannot both create its brief.
        Engagement.objects.select_for_update().only("pk").get(pk=engagement.pk)
        brief = Brief.objects.filter(engagement=engagement).first()
        if brief is None:
            brief = Brief(engagement=engagement, **{field: value})
            brief.save()
            return brief
        if expected_version == 0:
            raise StaleEdit(brief)
        setattr(brief, field, value)
        return save_versioned(brief, expected_version=expected_version)


def engagement_set_attendees(
    *, engagement: Engagement, attendees: Iterable[Person], expected_version: int
) -> Engagement:
    """Replace who attends the engagement; refused with StaleEdit if the engagement changed since."""
    with transaction.atomic():
        save_versioned(engagement, expected_version=expected_version)
        engagement.attendees.set(list(attendees))
    return engagement


def position_save(
    *,
    engagement: Engagement,
    person: Person,
    position: str,
    stance: str,
    source: str,
    recorded_on: dt.date,
    existing: StakeholderPosition | None = None,
    expected_version: int = 0,
) -> StakeholderPosition:
    """Record a stakeholder's position for this engagement, or correct one recorded before.

    A new statement is a new row (so positions can be followed over time); editing corrects a row.
    Raises StaleEdit if the row being corrected changed since the editor loaded it."""
    if stance not in Stance.values:
        raise ValueError(f"{stance!r} is not a stance")
    if existing is None:
        return StakeholderPosition.objects.create(
            engagement=engagement,
            person=person,
            position=position,
            stance=stance,
            source=source,
            recorded_on=recorded_on,
        )
    if existing.engagement_id != engagement.pk:
        raise ValueError("This position was recorded for another engagement")
    existing.person = person
    existing.position = position
    existing.stance = stance
    existing.source = source
    existing.recorded_on = recorded_on
    return save_versioned(existing, expected_version=expected_version)


@dataclass(frozen=True)
class CommitmentDraft:
    description: str
    due_on: dt.date
    owner: Person | None = None
    promised_to: Person | None = None


@dataclass(frozen=True)
class DecisionDraft:
    title: str
    question: str


@dataclass(frozen=True)
class OutcomeResult:
    engagement: Engagement
    commitments: list[Commitment]
    decisions: list[Decision]


def engagement_record_outcome(
    *,
    engagement: Engagement,
    outcome: str,
    commitments: Sequence[CommitmentDraft] = (),
    decisions: Sequence[DecisionDraft] = (),
    by: AbstractBaseUser | None,
    expected_version: int,
    today: dt.date | None = None,
) -> OutcomeResult:
    """After the meeting, in one step and all or nothing: record what happened on the engagement
    (dated today), create the commitments made there (they join the follow-through ledger with
    `engagement` set) and draft the decisions it raised (status draft, in the decision log, linked
    back through `Engagement.decisions`).

    Raises ValidationError listing every problem, or StaleEdit if the engagement changed since the
    editor loaded it; in both cases nothing is written."""
    today = today or timezone.localdate()
    problems: list[str] = []
    if timezone.localtime(engagement.starts_at).date() > today:
        problems.append("This engagement has not happened yet; record its outcome after the meeting.")
    if not outcome.strip():
        problems.append("Write what happened in the room.")
    for number, c in enumerate(commitments, start=1):
        if not c.description.strip():
            problems.append(f"Commitment {number} has no description.")
        if not isinstance(c.due_on, dt.date):
            problems.append(f"Commitment {number} has no due date.")
    for number, d in enumerate(decisions, start=1):
        if not d.title.strip() or not d.question.strip():
            problems.append(f"Decision {number} needs a title and a question.")
    if problems:
        raise ValidationError(problems)

    with transaction.atomic():
        engagement.outcome = outcome.strip()
        engagement.outcome_recorded_on = today
        save_versioned(engagement, expected_version=expected_version)
        created_commitments = [
            Commitment.objects.create(
                description=c.description.strip(),
                owner=c.owner,
                promised_to=c.promised_to,
                due_on=c.due_on,
                original_due_on=c.due_on,
                engagement=engagement,
            )
            for c in commitments
        ]
        raised_at = f"Raised at {engagement.key} “{engagement.title}” on {timezone.localtime(engagement.starts_at):%-d %B %Y}."
        created_decisions = [
            Decision.objects.create(
                title=d.title.strip(),
                question=d.question.strip(),
                context=raised_at,
                status=Decision.Status.DRAFT,
                surface=engagement.surface,
                created_by=by,
            )
            for d in decisions
        ]
        if created_decisions:
            engagement.decisions.add(*created_decisions)
    return OutcomeResult(engagement=engagement, commitments=created_commitments, decisions=created_decisions)


# Creating and changing an engagement --------------------------------------------------------------

ENGAGEMENT_FIELDS = ("title", "kind", "starts_at", "duration_minutes", "location", "counterpart", "surface")


def _check_engagement(values: dict[str, Any], *, engagement: Engagement | None) -> None:
    problems: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    if not title:
        problems["title"] = "Give the engagement a title."
    if values.get("kind") not in Engagement.Kind.values:
        problems["kind"] = "Choose what kind of engagement it is."
    if values.get("starts_at") is None:
        problems["starts_at"] = "Give the day and time it starts."
    elif title:
        others = Engagement.objects.exclude(pk=engagement.pk) if engagement else Engagement.objects.all()
        twin = others.filter(title__iexact=title, starts_at=values["starts_at"]).first()
        if twin is not None:
            problems["title"] = f"{twin.key} “{twin.title}” is already on the calendar at that time."
    if problems:
        raise ValidationError(problems)


def engagement_create(
    *,
    by: Any,
    attendees: Iterable[Person] = (),
    decisions: Iterable[Decision] = (),
    tags: Iterable[Any] = (),
    **values: Any,
) -> Engagement:
    """Put an engagement on the calendar (the fields of ENGAGEMENT_FIELDS, its attendees, the
    decisions it concerns and its tags) with its brief, empty, so that the brief page shows at once
    what is missing. A start in the past is allowed (a meeting recorded after the fact). Refused by
    field for a missing title, kind or start, or the same title at the same time."""
    unknown = set(values) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"engagement_create() does not take {', '.join(sorted(unknown))}")
    values["title"] = (values.get("title") or "").strip()
    _check_engagement(values, engagement=None)
    with transaction.atomic():
        engagement = Engagement(**values)
        engagement._history_user = by  # type: ignore[attr-defined]
        engagement._change_reason = "Put on the calendar"  # type: ignore[attr-defined]
        engagement.save()
        engagement.attendees.set(list(attendees))
        engagement.decisions.set(list(decisions))
        engagement.tags.set(list(tags))
        brief = Brief(engagement=engagement)
        brief._history_user = by  # type: ignore[attr-defined]
        brief.save()
    return engagement


def engagement_update(
    *,
    engagement: Engagement,
    by: Any,
    expected_version: int,
    attendees: Iterable[Person],
    decisions: Iterable[Decision],
    tags: Iterable[Any],
    **values: Any,
) -> Engagement:
    """Change every field of an engagement at once under optimistic locking (StaleEdit) and the
    checks of engagement_create (ValidationError); nothing is written when refused."""
    unknown = set(values) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"engagement_update() does not take {', '.join(sorted(unknown))}")
    values["title"] = (values.get("title") or "").strip()
    _check_engagement(values, engagement=engagement)
    with transaction.atomic():
        for name, value in values.items():
            setattr(engagement, name, value)
        engagement._history_user = by  # type: ignore[attr-defined]
        save_versioned(engagement, expected_version=expected_version)
        engagement.attendees.set(list(attendees))
        engagement.decisions.set(list(decisions))
        engagement.tags.set(list(tags))
    return engagement


def engagement_reschedule(
    *,
    engagement: Engagement,
    by: Any,
    expected_version: int,
    starts_at: dt.datetime,
    duration_minutes: int,
    reason: str = "",
) -> Engagement:
    """Move an engagement to another time; its history keeps when it was and why it moved."""
    if starts_at is None:
        raise ValidationError({"starts_at": "Give the new day and time."})
    if engagement.cancelled_on is not None:
        raise ValidationError({"starts_at": "This engagement is cancelled; reinstate it before moving it."})
    was = timezone.localtime(engagement.starts_at)
    with transaction.atomic():
        engagement.starts_at = starts_at
        engagement.duration_minutes = duration_minutes
        engagement._history_user = by  # type: ignore[attr-defined]
        text = (reason or "").strip()
        engagement._change_reason = f"Rescheduled from {was:%-d %b %H:%M}" + (f": {text}" if text else "")  # type: ignore[attr-defined]
        save_versioned(engagement, expected_version=expected_version)
    return engagement


def engagement_cancel(
    *, engagement: Engagement, by: Any, expected_version: int, reason: str, today: dt.date | None = None
) -> Engagement:
    """Cancel an engagement: it is kept and marked cancelled, out of readiness and the radar."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is cancelled."})
    with transaction.atomic():
        if engagement.cancelled_on is None:
            engagement.cancelled_on = today or timezone.localdate()
            engagement.cancel_reason = reason
            engagement._history_user = by  # type: ignore[attr-defined]
            engagement._change_reason = f"Cancelled: {reason}"  # type: ignore[attr-defined]
            save_versioned(engagement, expected_version=expected_version)
    return engagement


def engagement_reinstate(*, engagement: Engagement, by: Any, expected_version: int) -> Engagement:
    """Undo a cancellation: the engagement is back in readiness and on the radar."""
    with transaction.atomic():
        if engagement.cancelled_on is not None:
            engagement.cancelled_on = None
            engagement.cancel_reason = ""
            engagement._history_user = by  # type: ignore[attr-defined]
            engagement._change_reason = "Reinstated"  # type: ignore[attr-defined]
            save_versioned(engagement, expected_version=expected_version)
    return engagement
