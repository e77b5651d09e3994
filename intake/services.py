"""Intake's writes: taking a source in, extracting its proposals, and the chief of staff's review.

Nothing reaches the artifacts until a proposal is accepted; accepting writes through the artifact
apps' own services (decisions, workstreams, context repository, briefs) in one transaction, and
links each record it creates or changes back to the source and the lines it came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from briefs.models import Engagement
from briefs.services import position_save
from context_repo.models import ContextEntry
from context_repo.services import entry_create
from decisions.models import Decision
from decisions.services import decision_create, decision_update
from intake import extract as extractor
from intake.extract.people import fold
from intake.extract.structure import section_kind
from intake.models import Proposal, Provenance, Source
from leadership_os.locking import StaleEdit
from leadership_os.models import Person, Tag
from leadership_os.storable import clean_text, date_problem
from rhythms.models import Occurrence
from workstreams.models import Commitment, State, Workstream
from workstreams.services import commitment_create, commitment_recommit, status_update_post, workstream_change

Kind = Proposal.Kind
Status = Proposal.Status
TARGET_PREFIX = {
    Kind.ACTION: ("C",),
    Kind.DECISION: ("D",),
    Kind.DECISION_NEEDED: ("D",),
    Kind.BLOCKER: ("WS",),
    Kind.UPDATE: ("WS",),
    Kind.SIGNAL: (),
    Kind.POSITION: (),
}


class DuplicateSource(Exception):
    """The same text was taken in before; `source` is the earlier one."""

    def __init__(self, source: Source):
        self.source = source
        super().__init__(f"This source was already taken in as '{source.title}'.")


def _today() -> dt.date:
    return timezone.localdate()


def _digest(text: str) -> str:
    """The same notes give the same digest, whatever their line endings and surrounding blank space."""
    return hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{fold(text)}".encode()).hexdigest()


def _first_heading(text: str) -> str | None:
    found = re.search(r"^#{1,3}\s+(.+?)\s*#*\s*$", "\n".join(text.splitlines()[:10]), re.M)
    if found is None or section_kind(found.group(1)) != "other":
        return None  # "## Action items" names a section, not the meeting
    return found.group(1)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def source_create(
    *,
    by: Any,
    title: str = "",
    text: str | None = None,
    upload: tuple[str, bytes] | None = None,
    meeting_date: dt.date | None = None,
    occurrence: Occurrence | None = None,
    engagement: Engagement | None = None,
) -> Source:
    """Take in pasted `text` or an `upload` (file name, bytes), read it whole first, and keep it with
    the proposals found in it. Raises extract.SourceError (empty, too large, binary, not UTF-8,
    malformed) or DuplicateSource, and then writes nothing."""
    filename = ""
    if upload is not None:
        filename, data = upload
        text = extractor.readers.decode(data)
    text = clean_text(text or "").replace("\r\n", "\n").replace("\r", "\n")
    fmt = extractor.readers.guess_format(text, filename)
    extractor.readers.read(text, fmt)  # refuses what cannot be read, before anything is written
    existing = Source.objects.filter(digest=_digest(text)).first()
    if existing is not None:
        raise DuplicateSource(existing)
    if meeting_date is None:
        meeting_date = _local_date(
            occurrence.starts_at if occurrence else engagement.starts_at if engagement else None
        )
    if meeting_date is None:
        found = extractor.extract(text, filename=filename, fmt=fmt).meeting_date
        meeting_date = found if found and not date_problem(found) else None
    if not title.strip():
        heading = _first_heading(text) if fmt == "markdown" and not (occurrence or engagement) else None
        if heading:
            title = heading
        else:
            title = (
                str(occurrence.ritual.name)
                if occurrence
                else engagement.title
                if engagement
                else filename or "Pasted notes"
            )
            if meeting_date:
                title = f"{title}, {meeting_date:%-d %b %Y}"
    with transaction.atomic():
        source = Source(
            title=clean_text(title.strip())[:200],
            filename=clean_text(filename)[:200],
            format=fmt,
            text=text,
            digest=_digest(text),
            meeting_date=meeting_date,
            occurrence=occurrence,
            engagement=engagement,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        source.save()
        source_extract(source=source)
    return source


def _people(source: Source) -> list[extractor.Person]:
    """Whom owners resolve to: the linked meeting's attendees when there are any, else everyone."""
    people = Person.objects.select_related("user").only("key", "name", "affiliation", "user__username")
    if source.occurrence_id:
        ritual = source.occurrence.ritual  # type: ignore[union-attr]
        invited = people.filter(pk__in=[*ritual.attendees.values_list("pk", flat=True), ritual.owner_id])
        people = invited if invited.exists() else people
    elif source.engagement_id:
        invited = people.filter(engagements=source.engagement)
        people = invited if invited.exists() else people

    def convert(person: Person) -> extractor.Person:
        handles = (person.user.username,) if person.user_id else ()
        return extractor.Person(person.key, person.name, handles, external=person.is_external)

    return [convert(person) for person in people]


def _organizations() -> list[str]:
    names = set(
        Person.objects.exclude(affiliation=Person.Affiliation.INTERNAL)
        .exclude(organization="")
        .values_list("organization", flat=True)
    )
    names |= set(Engagement.objects.exclude(counterpart="").values_list("counterpart", flat=True))
    return sorted(name for name in names if len(name) >= 3)


def _next_meeting(source: Source) -> dt.date | None:
    if source.occurrence is None:
        return None
    following = (
        Occurrence.objects.filter(
            ritual_id=source.occurrence.ritual_id, starts_at__gt=source.occurrence.starts_at
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return _local_date(following)


def source_extract(*, source: Source) -> int:
    """Run the rules on the source and keep every proposal it does not hold yet (a proposal's
    identity is its kind and its words, so running it again proposes nothing twice). Pending
    proposals the chief of staff has not edited take the due dates the current meeting date gives.
    Returns how many proposals are new."""
    result = extractor.extract(
        source.text,
        filename=source.filename,
        fmt=source.format,
        meeting_date=source.meeting_date,
        next_meeting=_next_meeting(source),
        people=_people(source),
        workstreams=[
            extractor.Workstream(key, name)
            for key, name in Workstream.objects.exclude(state=State.DONE).values_list("key", "name")
        ],
        tags=list(Tag.objects.values_list("name", flat=True)),
        organizations=_organizations(),
    )
    people = dict(
        Person.objects.filter(
            key__in={p.owner_person for p in result.proposals if p.owner_person}
        ).values_list("key", "pk")
    )
    with transaction.atomic():
        held = {p.fingerprint: p for p in source.proposals.all()}
        start = max((p.position for p in held.values()), default=0)
        created = 0
        for index, found in enumerate(result.proposals, start=1):
            fingerprint = _fingerprint(found.kind, found.text)
            due = found.due if found.due and not date_problem(found.due) else None
            if fingerprint in held:
                current = held[fingerprint]
                if current.status == Status.PENDING and not current.edited and current.due_on != due:
                    current.due_on = due
                    current.version += 1
                    current.save(update_fields=["due_on", "version"])
                continue
            Proposal.objects.create(
                source=source,
                kind=found.kind,
                text=clean_text(found.text),
                owner_raw=clean_text(found.owner or "")[:200],
                owner_id=people.get(found.owner_person or ""),
                due_on=due,
                workstream_key=found.workstream or "",
                stance=found.stance or "",
                tags=found.tags,
                lines=found.lines,
                rule=found.rule,
                notes=[clean_text(note) for note in found.notes],
                fingerprint=fingerprint,
                position=start + index,
            )
            created += 1
        source.extracted_at = timezone.now()
        source.save(update_fields=["extracted_at"])
    return created


def source_set_date(*, source: Source, meeting_date: dt.date | None) -> Source:
    """Correct the meeting date; the pending proposals' relative due dates follow it."""
    with transaction.atomic():
        source.meeting_date = meeting_date
        source.save(update_fields=["meeting_date"])
        source_extract(source=source)
    return source


# Review ------------------------------------------------------------------------------------------------


def _locked(proposal: Proposal, expected_version: int) -> Proposal:
    current = Proposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    return current


def _pending(proposal: Proposal) -> None:
    if proposal.status != Status.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")


def proposal_update(
    *, proposal: Proposal, by: Any, expected_version: int, fields: dict[str, Any]
) -> Proposal:
    """Save the chief of staff's corrections (kind, text, owner, due date, workstream, the existing
    record it is about, stance, tags). Raises StaleEdit if it changed since `expected_version`."""
    allowed = {"kind", "text", "owner", "due_on", "workstream_key", "target_key", "stance", "tags"}
    with transaction.atomic():
        current = _locked(proposal, expected_version)
        _pending(current)
        for name, value in fields.items():
            if name in allowed:
                setattr(current, name, value)
        current.edited = True
        current.version += 1
        current._history_user = by if getattr(by, "is_authenticated", False) else None  # type: ignore[attr-defined]
        current.save()
    return current


def _close(proposal: Proposal, *, status: str, by: Any, result_key: str = "") -> None:
    proposal.status = status
    proposal.result_key = result_key
    proposal.reviewed_by = by if getattr(by, "is_authenticated", False) else None
    proposal.reviewed_at = timezone.now()
    proposal.version += 1
    proposal._history_user = proposal.reviewed_by  # type: ignore[attr-defined]
    proposal.save()


def proposal_drop(*, proposal: Proposal, by: Any, expected_version: int) -> Proposal:
    with transaction.atomic():
        current = _locked(proposal, expected_version)
        _pending(current)
        _close(current, status=Status.DROPPED, by=by)
    return current


def proposal_merge(*, proposal: Proposal, into: Proposal, by: Any, expected_version: int) -> Proposal:
    """Fold `proposal` into `into` (same source, still pending): its lines join, its text is added
    when it says something more; `proposal` is closed as merged. Returns `into` as saved."""
    if into.pk == proposal.pk or into.source_id != proposal.source_id:
        raise ValidationError("Merge it into another proposal of the same source.")
    with transaction.atomic():
        current = _locked(proposal, expected_version)
        _pending(current)
        target = Proposal.objects.select_for_update().get(pk=into.pk)
        _pending(target)
        target.lines = sorted(set(target.lines) | set(current.lines))
        if fold(current.text) not in fold(target.text):
            target.text = f"{target.text} {current.text}".strip()
        target.owner_id = target.owner_id or current.owner_id
        target.owner_raw = target.owner_raw or current.owner_raw
        target.due_on = target.due_on or current.due_on
        target.edited = True
        target.version += 1
        target.save()
        current.merged_into = target
        _close(current, status=Status.MERGED, by=by)
    return target


@dataclass(frozen=True)
class Accepted:
    proposal: Proposal
    record_key: str


def _link(proposal: Proposal) -> str:
    url = reverse("intake:source_review", args=[proposal.source_id])
    first = min(proposal.lines) if proposal.lines else 1
    return f"[{proposal.source.title}, {proposal.lines_label}]({url}#L{first})"


def _source_entry(source: Source, by: Any) -> ContextEntry:
    """The source kept as a "meeting notes" context entry (searchable), made on the first acceptance."""
    if source.context_entry_id:
        return source.context_entry  # type: ignore[return-value]
    if source.format == Source.Format.MARKDOWN:
        body = source.text
    else:
        lines = extractor.readers.read(source.text, source.format)
        body = "\n\n".join(
            f"**{line.speaker}:** {line.text}" if line.speaker else line.text for line in lines
        )
    entry = entry_create(
        data={
            "kind": ContextEntry.Kind.MEETING_NOTES,
            "title": source.title[:200],
            "body": clean_text(body),
            "surface": None,
            "source": (source.filename or "Pasted into intake")[:200],
            "dated_on": source.meeting_date or _today(),
            "status": ContextEntry.Status.ACTIVE,
            "tags": [],
            "decisions": [],
            "workstreams": [],
        },
        author=by if getattr(by, "is_authenticated", False) else None,
    )
    source.context_entry = entry
    source.save(update_fields=["context_entry"])
    return entry


def _target(proposal: Proposal) -> Any:
    key = proposal.target_key.strip().upper()
    if not key:
        return None
    prefixes = TARGET_PREFIX[Kind(proposal.kind)]
    head = key.split("-", 1)[0]
    if head not in prefixes:
        expected = " or ".join(f"{p}-…" for p in prefixes) or "nothing"
        raise ValidationError(
            {"target_key": f"{proposal.get_kind_display()} can point at {expected}, not {key}."}
        )
    model = {"C": Commitment, "D": Decision, "WS": Workstream}[head]
    record = model.objects.filter(key=key).first()
    if record is None:
        raise ValidationError({"target_key": f"There is no {key}."})
    return record


def _workstream(proposal: Proposal) -> Workstream | None:
    key = (proposal.target_key or proposal.workstream_key).strip().upper()
    return Workstream.objects.filter(key=key).first() if key else None


def _provenance(proposal: Proposal, record_type: str, key: str, action: str) -> None:
    Provenance.objects.create(
        source=proposal.source,
        proposal=proposal,
        record_type=record_type,
        record_key=key,
        action=action,
        lines=proposal.lines,
    )


def _apply(proposal: Proposal, by: Any) -> tuple[str, str]:
    """Write what the proposal says; returns (status, record key)."""
    source = proposal.source
    day = source.meeting_date or _today()
    text = proposal.text.strip()
    origin = f"From intake: {_link(proposal)}."
    target = _target(proposal)
    kind = proposal.kind
    if kind == Kind.ACTION:
        if isinstance(target, Commitment):
            if proposal.due_on is None:
                raise ValidationError({"due_on": f"Give the new date {target.key} is due."})
            commitment_recommit(
                commitment=target,
                by=by,
                expected_version=target.version,
                due_on=proposal.due_on,
                reason=f"{source.title}, {proposal.lines_label}",
            )
            _provenance(proposal, "commitment", target.key, Provenance.Action.CHANGED)
            return Status.ACCEPTED, target.key
        if proposal.due_on is None:
            raise ValidationError({"due_on": "Give the date it is due: the notes do not say it plainly."})
        commitment = commitment_create(
            description=text[:300],
            due_on=proposal.due_on,
            by=by,
            owner=proposal.owner,
            workstream=_workstream(proposal),
            occurrence=source.occurrence,
            engagement=source.engagement,
        )
        _provenance(proposal, "commitment", commitment.key, Provenance.Action.CREATED)
        return Status.ACCEPTED, commitment.key
    if kind in (Kind.DECISION, Kind.DECISION_NEEDED) and isinstance(target, Decision):
        label = "Outcome heard" if kind == Kind.DECISION else "Still to decide"
        note = f"{label} in {source.title}: {text}\n\n{origin} A principal records the outcome."
        decision_update(
            decision=target,
            by=by,
            expected_version=target.version,
            fields={"context": f"{target.context}\n\n{note}".strip()},
        )
        _provenance(proposal, "decision", target.key, Provenance.Action.CHANGED)
        return (Status.ROUTED if kind == Kind.DECISION else Status.ACCEPTED), target.key
    if kind == Kind.DECISION:
        decision = decision_create(
            by=by,
            fields={
                "title": text[:200],
                "question": text,
                "context": f"Decided in {source.title}: {text}\n\n{origin} A principal records the outcome.",
            },
            open_now=True,
        )
        _provenance(proposal, "decision", decision.key, Provenance.Action.CREATED)
        return Status.ROUTED, decision.key
    if kind in (Kind.DECISION_NEEDED, Kind.SIGNAL):
        workstream = _workstream(proposal)
        entry = entry_create(
            data={
                "kind": ContextEntry.Kind.OPEN_QUESTION
                if kind == Kind.DECISION_NEEDED
                else ContextEntry.Kind.CUSTOMER_SIGNAL,
                "title": text[:200],
                "body": f"{text}\n\n{origin}",
                "surface": None,
                "source": (
                    source.engagement.counterpart
                    if source.engagement and source.engagement.counterpart
                    else source.title
                )[:200],
                "dated_on": day,
                "status": ContextEntry.Status.OPEN
                if kind == Kind.DECISION_NEEDED
                else ContextEntry.Status.ACTIVE,
                "tags": [tag for tag in proposal.tags if isinstance(tag, str) and tag],
                "decisions": [],
                "workstreams": [workstream] if workstream else [],
            },
            author=by if getattr(by, "is_authenticated", False) else None,
        )
        _provenance(proposal, "context entry", entry.key, Provenance.Action.CREATED)
        return Status.ACCEPTED, entry.key
    if kind in (Kind.BLOCKER, Kind.UPDATE):
        workstream = target if isinstance(target, Workstream) else _workstream(proposal)
        if workstream is None:
            raise ValidationError(
                {"workstream_key": "Say which workstream this is about (its key, e.g. WS-14)."}
            )
        if kind == Kind.BLOCKER:
            changes: dict[str, Any] = {"state": State.BLOCKED, "blocker": text}
            if proposal.rule.startswith("escalation"):
                changes["escalation"] = "escalated"
            workstream_change(
                workstream=workstream,
                by=by,
                expected_version=workstream.version,
                reason=f"Blocker from {source.title}, {proposal.lines_label}",
                **changes,
            )
        else:
            state = proposal.stance if proposal.stance in State.values else workstream.state
            status_update_post(
                workstream=workstream,
                by=by,
                author=proposal.owner,
                state=state,
                note=f"{text}\n\n{origin}",
                expected_version=workstream.version,
                posted_on=min(day, _today()),
                blocker=text if state == State.BLOCKED and not workstream.blocker else None,
            )
        _provenance(proposal, "workstream", workstream.key, Provenance.Action.CHANGED)
        return Status.ACCEPTED, workstream.key
    if kind == Kind.POSITION:
        if source.engagement is None:
            raise ValidationError(
                "A position goes into an engagement's brief: link this source to an engagement first."
            )
        if proposal.owner is None:
            raise ValidationError({"owner": "Say whose position this is."})
        stance = (
            proposal.stance if proposal.stance in ("support", "oppose", "neutral", "unknown") else "unknown"
        )
        position = position_save(
            engagement=source.engagement,
            person=proposal.owner,
            position=text,
            stance=stance,
            source=f"{source.title}, {proposal.lines_label}"[:200],
            recorded_on=day,
        )
        key = f"{source.engagement.key}/position-{position.pk}"
        _provenance(proposal, "stakeholder position", key, Provenance.Action.CREATED)
        return Status.ACCEPTED, source.engagement.key
    raise ValidationError(f"Cannot accept a proposal of kind {kind!r}.")


def proposal_accept(*, proposal: Proposal, by: Any, expected_version: int) -> Accepted:
    """Write what the proposal says through the artifact's own service, in one transaction with the
    source's context entry and the provenance link. Raises ValidationError (by field) or StaleEdit,
    and then writes nothing."""
    with transaction.atomic():
        current = _locked(proposal, expected_version)
        _pending(current)
        _source_entry(current.source, by)
        status, key = _apply(current, by)
        _close(current, status=status, by=by, result_key=key)
    return Accepted(current, key)


def ready(proposal: Proposal) -> str | None:
    """Why a proposal is not confident enough for "accept all of this kind", or None."""
    if proposal.notes and not proposal.edited:
        return "; ".join(proposal.notes)
    if (
        proposal.kind == Kind.ACTION
        and (proposal.due_on is None or proposal.owner_id is None)
        and not proposal.target_key
    ):
        return "owner or due date missing"
    if proposal.kind in (Kind.BLOCKER, Kind.UPDATE) and not (proposal.workstream_key or proposal.target_key):
        return "no workstream"
    if proposal.kind == Kind.POSITION and (
        proposal.owner_id is None or proposal.source.engagement_id is None
    ):
        return "no person or no engagement"
    return None


def proposals_accept_kind(*, source: Source, kind: str, by: Any) -> tuple[list[Accepted], list[Proposal]]:
    """Accept every pending proposal of `kind` that is ready, in one transaction (all or none);
    returns those accepted and those left for review."""
    pending = list(
        source.proposals.filter(kind=kind, status=Status.PENDING).select_related("source", "owner")
    )
    confident = [p for p in pending if ready(p) is None]
    with transaction.atomic():
        accepted = [proposal_accept(proposal=p, by=by, expected_version=p.version) for p in confident]
    return accepted, [p for p in pending if p not in confident]


def provenance_for(keys: Iterable[str]) -> list[Provenance]:
    return list(Provenance.objects.filter(record_key__in=list(keys)).select_related("source"))
