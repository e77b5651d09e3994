"""Writes to workstreams, status updates and commitments. The state rules live here and only here.

Every change of a workstream, whether from the status map, a status update or another app, goes
through `workstream_change`, which applies `apply_state_rules`. The snapshot loader applies the same
function to what it reads, so an imported org obeys the same rules as one edited in the browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import Decision
from leadership_os.locking import StaleEdit
from leadership_os.models import Person
from workstreams.models import Commitment, Escalation, State, StatusUpdate, Workstream

# The fields a caller may change through workstream_change.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "surface",
        "owner",
        "state",
        "next_decision_on",
        "next_decision",
        "blocker",
        "blocked_since",
        "blocked_by_decision",
        "escalation",
        "escalated_on",
    }
)
# Compared to decide whether a change changed anything (a foreign key by its id).
_COMPARED = [
    "name",
    "description",
    "surface_id",
    "owner_id",
    "state",
    "next_decision_on",
    "next_decision_id",
    "blocker",
    "blocked_since",
    "blocked_by_decision_id",
    "escalation",
    "escalated_on",
]


def apply_state_rules(workstream: Workstream, *, today: dt.date) -> dict[str, str]:
    """Bring a workstream's fields in line with the state rules, in place; return the problems found
    by field name (empty when it obeys them).

    - `blocked` needs a blocker; `blocked_since` becomes today when empty. Any other state has no
      blocker, no `blocked_since` and no `blocked_by_decision`.
    - `escalated` has an `escalated_on` (today when empty); `none` and `watching` have none;
      `resolved` keeps the date the escalation started, as history.
    - `done` has no next decision point.
    - Neither `blocked_since` nor `escalated_on` lies in the future.
    """
    problems: dict[str, str] = {}
    workstream.blocker = (workstream.blocker or "").strip()
    if workstream.state == State.BLOCKED:
        if not workstream.blocker:
            problems["blocker"] = "A blocked workstream needs a blocker: say what it is waiting on."
        if workstream.blocked_since is None:
            workstream.blocked_since = today
        elif workstream.blocked_since > today:
            problems["blocked_since"] = "Blocked since cannot be in the future."
    else:
        workstream.blocker = ""
        workstream.blocked_since = None
        workstream.blocked_by_decision = None
    if workstream.escalation == Escalation.ESCALATED:
        if workstream.escalated_on is None:
            workstream.escalated_on = today
        elif workstream.escalated_on > today:
            problems["escalated_on"] = "Escalated on cannot be in the future."
    elif workstream.escalation in (Escalation.NONE, Escalation.WATCHING):
        workstream.escalated_on = None
    if workstream.state == State.DONE:
        workstream.next_decision_on = None
        workstream.next_decision = None
    return problems


def _snapshot(workstream: Workstream) -> tuple[Any, ...]:
    return tuple(getattr(workstream, name) for name in _COMPARED)


def workstream_change(
    *,
    workstream: Workstream,
    by: Any,
    expected_version: int,
    today: dt.date | None = None,
    reason: str = "",
    **changes: Any,
) -> Workstream:
    """Change a workstream's fields under the state rules, and return it as saved.

    `changes` are field names of EDITABLE_FIELDS (foreign keys as objects). Raises StaleEdit when
    the stored workstream is no longer at `expected_version`, and ValidationError (by field) when
    the result would break a state rule; nothing is saved then. A change that changes nothing is
    not saved and does not bump the version. Entering `escalated` from another escalation starts
    the clock today unless `escalated_on` is given. Entering `done` resolves the open questions of
    the context repository linked to the workstream. `by` (a user, or None) is recorded in history.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"workstream_change() cannot change {', '.join(sorted(unknown))}")
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Workstream.objects.select_for_update().get(pk=workstream.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        before = _snapshot(current)
        was_state, was_escalation = current.state, current.escalation
        for name, value in changes.items():
            setattr(current, name, value)
        entering_escalation = (
            current.escalation == Escalation.ESCALATED and was_escalation != Escalation.ESCALATED
        )
        if entering_escalation and "escalated_on" not in changes:
            current.escalated_on = None
        if current.state == State.BLOCKED and was_state != State.BLOCKED and "blocked_since" not in changes:
            current.blocked_since = None
        problems = apply_state_rules(current, today=today)
        if problems:
            raise ValidationError(problems)
        if _snapshot(current) == before:
            return current
        current.version = expected_version + 1
        current._history_user = by  # type: ignore[attr-defined]
        if reason:
            current._change_reason = reason  # type: ignore[attr-defined]
        current.save()
        if current.state == State.DONE and was_state != State.DONE:
            _resolve_open_questions(current, by=by)
    return current


def _resolve_open_questions(workstream: Workstream, *, by: Any) -> int:
    from context_repo.models import ContextEntry  # the context repository links to workstreams

    entries = list(
        ContextEntry.objects.filter(
            workstreams=workstream,
            kind=ContextEntry.Kind.OPEN_QUESTION,
            status=ContextEntry.Status.OPEN,
        )
    )
    for entry in entries:
        entry.status = ContextEntry.Status.RESOLVED
        entry.version += 1
        entry._history_user = by  # type: ignore[attr-defined]
        entry._change_reason = f"{workstream.key} was marked done"  # type: ignore[attr-defined]
        entry.save(update_fields=["status", "version", "updated_at"])
    return len(entries)


def status_update_post(
    *,
    workstream: Workstream,
    by: Any,
    author: Person | None,
    state: str,
    note: str,
    expected_version: int,
    blocker: str | None = None,
    posted_on: dt.date | None = None,
    today: dt.date | None = None,
) -> StatusUpdate:
    """Post an async status update and set the workstream's state to the update's state, through
    the same rules as any other change (a `blocked` update needs a blocker, given here or already
    on the workstream). Raises ValidationError or StaleEdit as workstream_change does; then
    nothing is saved, neither the update nor the change."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what happened since the last update."})
    if state not in State.values:
        raise ValidationError({"state": "Choose a state."})
    changes: dict[str, Any] = {"state": state}
    if blocker is not None and (blocker.strip() or state != State.BLOCKED):
        changes["blocker"] = blocker
    with transaction.atomic():
        workstream_change(
            workstream=workstream,
            by=by,
            expected_version=expected_version,
            today=today,
            reason="Status update posted",
            **changes,
        )
        update = StatusUpdate(
            workstream=workstream, author=author, state=state, note=note, posted_on=posted_on or today
        )
        update._history_user = by  # type: ignore[attr-defined]
        update.save()
    return update


def commitment_create(
    *,
    description: str,
    due_on: dt.date,
    by: Any = None,
    owner: Person | None = None,
    promised_to: Person | None = None,
    workstream: Workstream | None = None,
    decision: Decision | None = None,
    occurrence: Any = None,
    engagement: Any = None,
) -> Commitment:
    """Record a commitment: what was promised, by whom (`owner`), to whom, by when, and where it was
    promised (a decision, a ritual occurrence or an engagement; any of them may be empty). Its
    original due date is the one given now. Raises ValidationError for an empty description."""
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Say what was promised."})
    max_length = Commitment._meta.get_field("description").max_length or 300
    if len(description) > max_length:
        raise ValidationError({"description": f"Keep it under {max_length} characters."})
    if due_on is None:
        raise ValidationError({"due_on": "Give the date it is due."})
    commitment = Commitment(
        description=description,
        due_on=due_on,
        original_due_on=due_on,
        owner=owner,
        promised_to=promised_to,
        workstream=workstream,
        decision=decision,
        occurrence=occurrence,
        engagement=engagement,
    )
    commitment._history_user = by  # type: ignore[attr-defined]
    commitment.save()
    return commitment


def _locked_commitment(commitment: Commitment, expected_version: int) -> Commitment:
    current = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    return current


def _save_commitment(commitment: Commitment, *, by: Any, reason: str) -> None:
    commitment.version += 1
    commitment._history_user = by  # type: ignore[attr-defined]
    commitment._change_reason = reason  # type: ignore[attr-defined]
    commitment.save()


def commitment_complete(
    *,
    commitment: Commitment,
    by: Any,
    expected_version: int,
    done_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Commitment:
    """Mark a commitment done (today unless `done_on` is given) and return it as saved. Raises
    StaleEdit when it changed since `expected_version`; completing a done commitment changes
    nothing."""
    with transaction.atomic():
        current = _locked_commitment(commitment, expected_version)
        if current.done_on is None:
            current.done_on = done_on or today or timezone.localdate()
            _save_commitment(current, by=by, reason="Marked done")
    return current


def commitment_reopen(*, commitment: Commitment, by: Any, expected_version: int) -> Commitment:
    """Take back a "done" (a commitment marked done by mistake). Raises StaleEdit as above."""
    with transaction.atomic():
        current = _locked_commitment(commitment, expected_version)
        if current.done_on is not None:
            current.done_on = None
            _save_commitment(current, by=by, reason="Reopened")
    return current


def commitment_recommit(
    *,
    commitment: Commitment,
    by: Any,
    expected_version: int,
    due_on: dt.date,
    reason: str = "",
) -> Commitment:
    """Move a commitment's due date: it is re-committed. The original due date is kept, the count
    of re-commitments grows by one, and `reason` is kept in its history. Moving it to the date it
    already has changes nothing. Raises ValidationError for a done commitment or a missing date,
    StaleEdit when it changed since `expected_version`."""
    if due_on is None:
        raise ValidationError({"due_on": "Give the new date it is due."})
    with transaction.atomic():
        current = _locked_commitment(commitment, expected_version)
        if current.done_on is not None:
            raise ValidationError({"due_on": "This commitment is already done; reopen it to move its date."})
        if due_on == current.due_on:
            return current
        if current.original_due_on is None:
            current.original_due_on = current.due_on
        current.due_on = due_on
        current.recommitted_count += 1
        text = (reason or "").strip()
        _save_commitment(current, by=by, reason=f"Re-committed: {text}" if text else "Re-committed")
    return current


def _check_name(name: str, *, workstream: Workstream | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the workstream a name."})
    others = Workstream.objects.exclude(pk=workstream.pk) if workstream else Workstream.objects.all()
    twin = others.filter(name__iexact=name).first()
    if twin is not None:
        archived = " (archived)" if twin.archived_on else ""
        raise ValidationError(
            {"name": f"{twin.key}{archived} is already called “{twin.name}”. Choose another name."}
        )
    return name


def workstream_create(
    *,
    name: str,
    by: Any,
    surface: Any = None,
    owner: Person | None = None,
    description: str = "",
    tags: list[Any] = (),  # type: ignore[assignment]
    state: str = State.ON_TRACK,
    blocker: str = "",
    next_decision_on: dt.date | None = None,
    next_decision: Decision | None = None,
    first_note: str = "",
    author: Person | None = None,
    today: dt.date | None = None,
) -> Workstream:
    """Start a workstream under the state rules, with its tags and, when `first_note` is given, its
    first status update (by `author`). Raises ValidationError by field for a missing or taken name
    or a broken state rule; nothing is written then."""
    today = today or timezone.localdate()
    with transaction.atomic():
        workstream = Workstream(
            name=_check_name(name, workstream=None),
            surface=surface,
            owner=owner,
            description=(description or "").strip(),
            state=state,
            blocker=blocker,
            next_decision_on=next_decision_on,
            next_decision=next_decision,
            created_on=today,
        )
        problems = apply_state_rules(workstream, today=today)
        if problems:
            raise ValidationError(problems)
        workstream._history_user = by  # type: ignore[attr-defined]
        workstream._change_reason = "Started"  # type: ignore[attr-defined]
        workstream.save()
        if tags:
            workstream.tags.set(tags)
        note = (first_note or "").strip()
        if note:
            update = StatusUpdate(
                workstream=workstream, author=author, state=state, note=note, posted_on=today
            )
            update._history_user = by  # type: ignore[attr-defined]
            update.save()
    return workstream


def workstream_update(
    *,
    workstream: Workstream,
    by: Any,
    expected_version: int,
    tags: list[Any],
    today: dt.date | None = None,
    **changes: Any,
) -> Workstream:
    """Change any field of a workstream (those of workstream_change) and its tags, as one edit under
    optimistic locking. Raises StaleEdit or ValidationError; nothing is written then."""
    with transaction.atomic():
        if "name" in changes:
            changes["name"] = _check_name(changes["name"], workstream=workstream)
        current = workstream_change(
            workstream=workstream, by=by, expected_version=expected_version, today=today, **changes
        )
        wanted = {tag.pk for tag in tags}
        if wanted != set(current.tags.values_list("pk", flat=True)):
            if current.version == expected_version:  # only the tags changed: still a new version
                current.version += 1
                current._history_user = by  # type: ignore[attr-defined]
                current._change_reason = "Tags changed"  # type: ignore[attr-defined]
                current.save()
            current._history_user = by  # type: ignore[attr-defined]
            current.tags.set(tags)
    return current


def waiting_on(workstream: Workstream) -> list[Commitment]:
    """What others still wait for from this workstream: its open commitments."""
    return list(
        workstream.commitments.filter(done_on__isnull=True)
        .select_related("owner", "promised_to")
        .order_by("due_on", "number")
    )


def workstream_archive(
    *,
    workstream: Workstream,
    by: Any,
    expected_version: int,
    reason: str,
    anyway: bool = False,
    today: dt.date | None = None,
) -> Workstream:
    """Archive a finished or abandoned workstream: it leaves the map and the radar, stays readable
    and searchable, and can be restored. Refused (ValidationError naming them) while others wait on
    its open commitments, unless `anyway`; refused without a reason. Raises StaleEdit as usual."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: finished, abandoned, merged into another…"})
    today = today or timezone.localdate()
    with transaction.atomic():
        current = Workstream.objects.select_for_update().get(pk=workstream.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.archived_on is not None:
            return current
        open_ones = waiting_on(current)
        if open_ones and not anyway:
            listed = "; ".join(
                f"{c.key} “{c.description}”" + (f" promised to {c.promised_to.name}" if c.promised_to else "")
                for c in open_ones[:10]
            )
            more = f" and {len(open_ones) - 10} more" if len(open_ones) > 10 else ""
            raise ValidationError(
                {
                    "confirm": f"Others still wait on {len(open_ones)} open commitment"
                    f"{'s' if len(open_ones) != 1 else ''} of {current.key}: {listed}{more}. "
                    "Close or move them first, or archive it anyway (they stay open in the ledger)."
                }
            )
        current.archived_on = today
        current.archive_reason = reason
        current.version = expected_version + 1
        current._history_user = by  # type: ignore[attr-defined]
        current._change_reason = f"Archived: {reason}"[:100]  # type: ignore[attr-defined]
        current.save()
    return current


def workstream_restore(*, workstream: Workstream, by: Any, expected_version: int) -> Workstream:
    """Bring an archived workstream back onto the map and the radar, as it was."""
    with transaction.atomic():
        current = Workstream.objects.select_for_update().get(pk=workstream.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.archived_on is None:
            return current
        current.archived_on = None
        current.archive_reason = ""
        current.version = expected_version + 1
        current._history_user = by  # type: ignore[attr-defined]
        current._change_reason = "Restored"  # type: ignore[attr-defined]
        current.save()
    return current
