"""Writes of the briefs: each a keyword-only function, in one transaction, with optimistic locking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
