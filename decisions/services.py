"""Every write to the decision log: typed, keyword-only, each in one transaction.

Each service records who acted (`by`) in the history, with a reason where a reader would ask "why did
this change?". Writes to a decision go through optimistic locking: pass the version the user's form
was based on as `expected_version`, and a stale one raises `leadership_os.locking.StaleEdit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os.locking import save_versioned
from leadership_os.models import Tag

DECISION_FIELDS = ("title", "question", "context", "surface", "driver", "decider", "needed_by")
OPTION_FIELDS = ("title", "description", "pros", "cons", "rejected_because")
STAKEHOLDER_FIELDS = ("person", "stance", "position")
CONDITION_FIELDS = ("text", "review_on", "triggered_on")


class DecisionStateError(ValueError):
    """The action does not apply to the decision as it is now (e.g. recording an outcome on a draft)."""


def _today() -> dt.date:
    return timezone.localdate()


def _attribute(obj: models.Model, by: Any, reason: str = "") -> None:
    """Who made the change, and why, for django-simple-history (also outside a request)."""
    obj._history_user = by if getattr(by, "is_authenticated", False) else None  # type: ignore[attr-defined]
    if reason:
        obj._change_reason = reason  # type: ignore[attr-defined]


def _save(decision: Decision, *, by: Any, expected_version: int | None, reason: str = "") -> Decision:
    _attribute(decision, by, reason)
    version = decision.version if expected_version is None else expected_version
    return save_versioned(decision, expected_version=version)


def _set_tags(decision: Decision, names: Iterable[str], by: Any) -> None:
    wanted = sorted({name for name in names if name})
    if sorted(tag.name for tag in decision.tags.all()) == wanted:
        return
    tags = [Tag.objects.get_or_create(name=name)[0] for name in wanted]
    _attribute(decision, by)
    decision.tags.set(tags)


def _sync_rows(
    manager: Any,
    model: type[models.Model],
    decision: Decision,
    rows: Sequence[Mapping[str, Any]],
    fields: Sequence[str],
    by: Any,
    *,
    positioned: bool = False,
) -> None:
    """Make the decision's rows of `model` exactly `rows`: a row with an `id` updates that record, one
    without creates a record, and a record missing from `rows` is deleted. Unchanged rows are not
    saved again, so the history holds only real changes."""
    existing = {obj.pk: obj for obj in manager.all()}
    kept = {row["id"] for row in rows if row.get("id")}
    for pk, obj in existing.items():
        if pk not in kept:
            _attribute(obj, by)
            obj.delete()
    for position, row in enumerate(rows):
        obj = existing.get(row.get("id")) if row.get("id") else None
        if obj is None:
            obj = model(decision=decision)
        values = {name: row[name] for name in fields if name in row}
        if positioned:
            values["position"] = position
        changed = obj.pk is None or any(getattr(obj, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(obj, name, value)
            _attribute(obj, by)
            obj.save()


def _sync_parts(
    decision: Decision,
    *,
    by: Any,
    options: Sequence[Mapping[str, Any]] | None,
    stakeholders: Sequence[Mapping[str, Any]] | None,
    reopen_conditions: Sequence[Mapping[str, Any]] | None,
) -> None:
    if options is not None:
        _sync_rows(decision.options, Option, decision, options, OPTION_FIELDS, by, positioned=True)
    if stakeholders is not None:
        _sync_rows(decision.stakeholders, DecisionStakeholder, decision, stakeholders, STAKEHOLDER_FIELDS, by)
    if reopen_conditions is not None:
        _sync_rows(
            decision.reopen_conditions, ReopenCondition, decision, reopen_conditions, CONDITION_FIELDS, by
        )


@transaction.atomic
def decision_create(
    *,
    by: Any,
    fields: Mapping[str, Any],
    tags: Iterable[str] = (),
    options: Sequence[Mapping[str, Any]] = (),
    stakeholders: Sequence[Mapping[str, Any]] = (),
    reopen_conditions: Sequence[Mapping[str, Any]] = (),
    open_now: bool = False,
    supersedes: Decision | None = None,
) -> Decision:
    """Create a decision with its parts: a draft, or open at once when `open_now` (chief of staff).
    `fields` holds Decision attributes among DECISION_FIELDS; each row is a mapping of its model's
    fields. Returns the decision with its new key."""
    decision = Decision(**{name: fields[name] for name in DECISION_FIELDS if name in fields})
    decision.created_by = by if getattr(by, "is_authenticated", False) else None
    decision.supersedes = supersedes
    if open_now:
        decision.status = Decision.Status.OPEN
        decision.opened_on = _today()
    _attribute(decision, by)
    decision.save()
    _set_tags(decision, tags, by)
    _sync_parts(
        decision, by=by, options=options, stakeholders=stakeholders, reopen_conditions=reopen_conditions
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    by: Any,
    expected_version: int,
    fields: Mapping[str, Any],
    tags: Iterable[str] | None = None,
    options: Sequence[Mapping[str, Any]] | None = None,
    stakeholders: Sequence[Mapping[str, Any]] | None = None,
    reopen_conditions: Sequence[Mapping[str, Any]] | None = None,
) -> Decision:
    """Save an edit made from version `expected_version`: the decision's fields, its tags, and each
    list of parts given (a list replaces the parts of that kind; None leaves them as they are).
    Raises StaleEdit, and writes nothing, if someone saved the decision since."""
    for name in DECISION_FIELDS:
        if name in fields:
            setattr(decision, name, fields[name])
    _save(decision, by=by, expected_version=expected_version)
    if tags is not None:
        _set_tags(decision, tags, by)
    _sync_parts(
        decision, by=by, options=options, stakeholders=stakeholders, reopen_conditions=reopen_conditions
    )
    return decision


@transaction.atomic
def decision_open(*, decision: Decision, by: Any, expected_version: int | None = None) -> Decision:
    """Put a draft in the decision queue: status `open`, opened today."""
    if decision.status != Decision.Status.DRAFT:
        raise DecisionStateError(f"{decision.key} is {decision.get_status_display().lower()}, not a draft.")
    decision.status = Decision.Status.OPEN
    decision.opened_on = decision.opened_on or _today()
    return _save(decision, by=by, expected_version=expected_version, reason="Opened for decision")


@transaction.atomic
def decision_record_outcome(
    *,
    decision: Decision,
    option: Option | None,
    reasoning: str,
    by: Any,
    outcome: str = "",
    decided_on: dt.date | None = None,
    rejected: Mapping[int, str] | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Record the principal's decision on an open decision: the chosen option (required when the
    decision has options), the reasoning that prevailed, and optionally why each other option was
    rejected (`rejected` maps option ids to reasons; a blank reason keeps the one already written).
    The outcome defaults to the chosen option's title; decided_on defaults to today."""
    if decision.status != Decision.Status.OPEN:
        raise DecisionStateError(
            f"Only an open decision can be decided; {decision.key} is {decision.get_status_display().lower()}."
        )
    options = list(decision.options.all())
    if option is not None and option.decision_id != decision.pk:
        raise DecisionStateError(f"That option is not one of {decision.key}'s options.")
    if options and option is None:
        raise DecisionStateError("Choose one of the options.")
    if not reasoning.strip():
        raise DecisionStateError("State the reasoning that prevailed.")
    if option is None and not outcome.strip():
        raise DecisionStateError("Say what was decided.")
    rejected = rejected or {}
    for candidate in options:
        chosen = option is not None and candidate.pk == option.pk
        reason = (rejected.get(candidate.pk) or "").strip()
        changed = candidate.chosen != chosen or (
            not chosen and reason and reason != candidate.rejected_because
        )
        if changed:
            candidate.chosen = chosen
            if not chosen and reason:
                candidate.rejected_because = reason
            _attribute(candidate, by)
            candidate.save()
    decision.status = Decision.Status.DECIDED
    decision.decided_on = decided_on or _today()
    decision.outcome = outcome.strip() or (option.title if option else "")
    decision.reasoning = reasoning.strip()
    return _save(decision, by=by, expected_version=expected_version, reason="Outcome recorded")


@transaction.atomic
def decision_supersede(
    *, decision: Decision, by: Any, title: str, reason: str = "", expected_version: int | None = None
) -> Decision:
    """Replace a decided decision with a successor, open at once: it carries the question, context,
    surface, tags, people and options (none chosen; stakeholders to be asked again) and `supersedes`
    the old one, which becomes `superseded`. Returns the successor."""
    if decision.status != Decision.Status.DECIDED:
        raise DecisionStateError(
            f"Only a decided decision can be superseded; {decision.key} is {decision.get_status_display().lower()}."
        )
    decision.status = Decision.Status.SUPERSEDED
    _save(
        decision,
        by=by,
        expected_version=expected_version,
        reason=f"Superseded: {reason.strip()}" if reason.strip() else "Superseded",
    )
    context = decision.context
    if reason.strip():
        context = f"**Why this supersedes {decision.key}:** {reason.strip()}\n\n{context}".strip()
    successor = decision_create(
        by=by,
        fields={
            "title": title.strip(),
            "question": decision.question,
            "context": context,
            "surface": decision.surface,
            "driver": decision.driver,
            "decider": decision.decider,
        },
        tags=[tag.name for tag in decision.tags.all()],
        options=[
            {name: getattr(o, name) for name in ("title", "description", "pros", "cons")}
            for o in decision.options.all()
        ],
        stakeholders=[
            {"person": s.person, "stance": "unknown", "position": ""} for s in decision.stakeholders.all()
        ],
        open_now=True,
        supersedes=decision,
    )
    return successor


@transaction.atomic
def decision_review_condition(
    *, condition: ReopenCondition, by: Any, reviewed_on: dt.date | None = None, note: str
) -> ReopenCondition:
    """Record that a due or triggered reopen condition was reviewed and the decision still holds."""
    today = _today()
    if condition.decision.status != Decision.Status.DECIDED:
        raise DecisionStateError("Only the reopen conditions of a decided decision are reviewed.")
    if not condition.needs_review(today):
        raise DecisionStateError("This reopen condition is not due for review.")
    reviewed_on = reviewed_on or today
    earliest = condition.review_from(today)
    if reviewed_on > today:
        raise DecisionStateError("A review cannot be dated in the future.")
    if earliest and reviewed_on < earliest:
        raise DecisionStateError(
            f"The review must be dated on or after {earliest:%-d %b %Y}, when it fell due."
        )
    if not note.strip():
        raise DecisionStateError("Say why the decision still holds.")
    condition.reviewed_on = reviewed_on
    condition.review_note = note.strip()
    _attribute(condition, by, "Reviewed: still holds")
    condition.save()
    return condition


@transaction.atomic
def decision_reopen(
    *,
    decision: Decision,
    by: Any,
    condition: ReopenCondition | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Put a decided decision back in the queue (`open`), usually because a reopen condition came
    true. The outcome, reasoning and chosen option are cleared from the record and kept in its
    history; the condition, if given, is marked reviewed today with the note."""
    if decision.status != Decision.Status.DECIDED:
        raise DecisionStateError(
            f"Only a decided decision can be reopened; {decision.key} is {decision.get_status_display().lower()}."
        )
    if condition is not None and condition.decision_id != decision.pk:
        raise DecisionStateError(f"That reopen condition is not one of {decision.key}'s.")
    today = _today()
    for option in decision.options.all():
        if option.chosen:
            option.chosen = False
            _attribute(option, by)
            option.save()
    if condition is not None:
        condition.reviewed_on = today
        condition.review_note = f"Reopened. {note.strip()}".strip()
        _attribute(condition, by, "Reviewed: reopened the decision")
        condition.save()
    decision.status = Decision.Status.OPEN
    decision.decided_on = None
    decision.outcome = ""
    decision.reasoning = ""
    decision.opened_on = today
    reason = "Reopened" + (f": {note.strip()}" if note.strip() else "")
    return _save(decision, by=by, expected_version=expected_version, reason=reason)


@transaction.atomic
def decision_withdraw(
    *, decision: Decision, by: Any, reason: str = "", expected_version: int | None = None
) -> Decision:
    """Take a draft or open decision off the table; the reason is kept as its outcome."""
    if decision.status not in (Decision.Status.DRAFT, Decision.Status.OPEN):
        raise DecisionStateError(
            f"Only a draft or open decision can be withdrawn; {decision.key} is {decision.get_status_display().lower()}."
        )
    decision.status = Decision.Status.WITHDRAWN
    decision.outcome = reason.strip()
    return _save(
        decision,
        by=by,
        expected_version=expected_version,
        reason="Withdrawn" + (f": {reason.strip()}" if reason.strip() else ""),
    )
