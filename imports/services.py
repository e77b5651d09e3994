"""From a read folder of decision records to the decision log: the preview (what each file becomes)
and the one transaction that applies what the chief of staff confirmed.

The file path inside its source folder is a record's identity. Re-importing the same source updates
the decisions whose file changed (history: "Re-imported from …"), creates the new ones, leaves the
unchanged ones alone, and lists the files that disappeared without deleting anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from decisions.models import Decision, Option
from imports.adr.folder import Batch, FileResult
from imports.adr.records import ParsedRecord
from imports.models import ImportedLink, ImportedRecord
from leadership_os.locking import save_versioned
from leadership_os.models import Person, Surface, Tag
from leadership_os.storable import clean_text

# The log's statuses for an ADR's own (DESIGN.md's decision statuses have no "rejected" or
# "deprecated"): a rejected proposal was withdrawn without a decision; a deprecated decision is no
# longer in force, like a superseded one, but names no successor.
LOG_STATUS = {
    "proposed": Decision.Status.OPEN,
    "accepted": Decision.Status.DECIDED,
    "rejected": Decision.Status.WITHDRAWN,
    "deprecated": Decision.Status.SUPERSEDED,
    "superseded": Decision.Status.SUPERSEDED,
}
QUESTION_MAX = 1000
LINK_LABELS = dict(ImportedLink.Kind.choices)
_EXPORT_PLACEHOLDER = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:none recorded|no (?:options|pros or cons) were recorded)\.?\s*$", re.I
)
_DECIDED_LINE = re.compile(r"^Decided:\s*(?P<outcome>.+)$", re.M)
_SUPERSEDED_SENTENCE = re.compile(r"^This decision was superseded by .*$", re.M)


def log_status(record: ParsedRecord) -> Decision.Status:
    if record.adr_status is not None:
        return LOG_STATUS[record.adr_status]
    written = (record.status_as_written or "").strip().lower()
    if written.startswith("withdrawn"):
        return Decision.Status.WITHDRAWN
    return Decision.Status.DRAFT


@dataclass
class FilePlan:
    """One file of the preview: what it becomes."""

    result: FileResult
    action: str  # create | update | skip
    skip_reason: str | None
    existing: ImportedRecord | None = None

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def record(self) -> ParsedRecord | None:
        return self.result.record

    @property
    def status(self) -> str | None:
        return log_status(self.record).value if self.record else None

    @property
    def status_label(self) -> str:
        return Decision.Status(self.status).label if self.status else ""

    @property
    def labelled_links(self) -> list[tuple[str, Any]]:
        return [(LINK_LABELS[link.kind], link) for link in self.result.links]

    def as_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "path": self.path,
            "action": self.action,
            "skip_reason": self.skip_reason,
            "title": record.title if record else "",
            "adr_status": record.adr_status if record else None,
            "status": self.status,
            "date": record.date.iso() if record and record.date else None,
            "options": len(record.options) if record and record.options else None,
            "chosen_option": record.chosen_option if record else None,
            "links": [
                {"kind": link.kind, "target": link.target, "text": link.text, "partial": link.partial}
                for link in self.result.links
            ],
            "warnings": [{"line": w.line, "message": w.message} for w in self.result.warnings],
        }


@dataclass
class Plan:
    source: str
    files: list[FilePlan]
    vanished: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"files": [f.as_json() for f in self.files]}

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    @property
    def warning_count(self) -> int:
        return sum(len(f.result.warnings) for f in self.files)

    @property
    def links_resolved(self) -> int:
        return sum(1 for f in self.files for link in f.result.links if link.target)


@dataclass
class Applied:
    created: list[Decision] = field(default_factory=list)
    updated: list[Decision] = field(default_factory=list)
    unchanged: int = 0
    vanished: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_plan(batch: Batch, *, source: str) -> Plan:
    """The preview: each file's action against what `source` already imported (one query)."""
    existing = {
        r.path: r
        for r in ImportedRecord.objects.filter(source=source)
        .select_related("decision")
        .defer("original_text")
    }
    files: list[FilePlan] = []
    for result in batch.files:
        if result.record is None or result.skip_reason:
            files.append(FilePlan(result, "skip", result.skip_reason))
            continue
        before = existing.get(result.path)
        if before is None:
            files.append(FilePlan(result, "create", None))
        elif before.content_hash == content_hash(result.record.text):
            files.append(FilePlan(result, "skip", "unchanged since the last import", before))
        else:
            files.append(FilePlan(result, "update", None, before))
    seen = {f.path for f in files if f.record is not None}
    vanished = sorted(path for path in existing if path not in seen)
    return Plan(source, files, vanished)


def content_hash(text: str) -> str:
    return hashlib.sha256(clean_text(text).encode("utf-8")).hexdigest()


def preview_rows(batch: Batch) -> list[dict[str, Any]]:
    """What each file reads as, kept with the upload so that showing the preview does not read the
    folder again (the action is decided when it is shown, against the log as it is then)."""
    rows = []
    for result in batch.files:
        record = result.record if not result.skip_reason else None
        row = FilePlan(result, "skip" if record is None else "create", result.skip_reason).as_json()
        row.update(
            {
                "record": record is not None,
                "original_id": record.original_id if record else None,
                "status_as_written": record.status_as_written if record else None,
                "status_label": Decision.Status(row["status"]).label if row["status"] else "",
                "deciders": list(record.deciders) if record else [],
                "hash": content_hash(record.text) if record else None,
            }
        )
        for link in row["links"]:
            link["label"] = LINK_LABELS[link["kind"]]
        rows.append(row)
    return rows


def preview_plan(rows: Sequence[dict[str, Any]], *, source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The stored preview rows with each record's action against what `source` imported (one query),
    and the paths imported before that are not in the upload."""
    existing = dict(ImportedRecord.objects.filter(source=source).values_list("path", "content_hash"))
    shown = []
    for row in rows:
        row = dict(row)
        if row.get("record"):
            if row["path"] not in existing:
                row["action"], row["skip_reason"] = "create", None
            elif existing[row["path"]] == row["hash"]:
                row["action"], row["skip_reason"] = "skip", "unchanged since the last import"
            else:
                row["action"], row["skip_reason"] = "update", None
        shown.append(row)
    seen = {row["path"] for row in rows if row.get("record")}
    return shown, sorted(path for path in existing if path not in seen)


# --- What a record becomes ---------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


_NOT_A_QUESTION = re.compile(
    r"^(?:[#|>]|```|~~~|[-*+]\s|\d+[.)]\s|\*\*[^*]+\*\*\s*$|(?:technical\s+story|story|ticket|issue|jira|links?)\s*:)",
    re.I,
)


def _question_and_context(record: ParsedRecord) -> tuple[str, str]:
    """The first plain paragraph of the context is the question (a ticket line or a list is not)."""
    paragraphs = _paragraphs(record.context)
    for position, paragraph in enumerate(paragraphs[:3]):
        if len(paragraph) <= QUESTION_MAX and not _NOT_A_QUESTION.match(paragraph):
            return paragraph, "\n\n".join(paragraphs[:position] + paragraphs[position + 1 :])
    return record.title, record.context.strip()


def _date(record: ParsedRecord, fact: str) -> dt.date | None:
    from imports.adr.dates import DateProblem, read_date

    value = record.facts.get(fact)
    if value:
        try:
            parsed = read_date(value)
        except DateProblem:
            parsed = None
        if parsed and parsed.precision == "day":
            return parsed.value
    return None


def _decision_values(
    record: ParsedRecord, surface: Surface | None, people: dict[str, Person]
) -> dict[str, Any]:
    status = log_status(record)
    question, context = _question_and_context(record)
    day = record.date.value if record.date and record.date.precision == "day" else None
    decision_text = _SUPERSEDED_SENTENCE.sub("", record.decision).strip()
    justification = _SUPERSEDED_SENTENCE.sub("", record.justification).strip()
    decided = _DECIDED_LINE.search(justification)
    stated_outcome = ""
    if decided:
        stated_outcome = decided["outcome"].strip()
        justification = _DECIDED_LINE.sub("", justification).strip()
    outcome = ""
    reasoning = ""
    if status in (Decision.Status.DECIDED, Decision.Status.SUPERSEDED):
        if record.chosen_option:
            outcome = stated_outcome or record.chosen_option
            reasoning = "\n\n".join(p for p in (decision_text, justification) if p)
        else:
            decided_in_text = _DECIDED_LINE.search(decision_text)
            if decided_in_text:
                outcome = decided_in_text["outcome"].strip()
                reasoning = _DECIDED_LINE.sub("", decision_text).strip()
            else:
                paragraphs = _paragraphs(decision_text)
                outcome = paragraphs[0] if paragraphs else ""
                reasoning = "\n\n".join(paragraphs[1:] + ([justification] if justification else []))
    else:
        proposal = "\n\n".join(p for p in (decision_text, justification) if p)
        withdrawn = re.match(r"^Withdrawn without a decision(?::\s*(?P<why>.*)|\.)$", proposal, re.S)
        if withdrawn:
            outcome = (withdrawn["why"] or "").strip()
        elif proposal and not proposal.startswith("Not decided yet"):
            if status == Decision.Status.WITHDRAWN:
                outcome = (
                    f"Rejected: {_paragraphs(proposal)[0]}"
                    if record.adr_status == "rejected"
                    else _paragraphs(proposal)[0]
                )
            else:
                context = (context + "\n\n" if context else "") + "**Proposed decision**\n\n" + proposal
        elif record.adr_status == "rejected":
            outcome = "Rejected"
    consequences = record.consequences.strip()
    if consequences and not _consequences_repeat_options(consequences, record):
        reasoning = (reasoning + "\n\n" if reasoning else "") + "**Consequences**\n\n" + consequences
    names = [n.lower() for n in record.deciders]
    decider = people.get(names[0]) if len(names) == 1 else None
    driver_name = (record.facts.get("driver") or "").lower()
    return {
        "title": record.title,
        "question": question,
        "context": context,
        "status": status,
        "surface": surface,
        "decider": decider,
        "driver": people.get(driver_name) if driver_name else None,
        "opened_on": (day if status == Decision.Status.OPEN else None) or _date(record, "opened on"),
        "decided_on": (_date(record, "decided on") or day)
        if status in (Decision.Status.DECIDED, Decision.Status.SUPERSEDED)
        else None,
        "needed_by": _date(record, "needed by"),
        "outcome": outcome,
        "reasoning": reasoning,
    }


def _consequences_repeat_options(consequences: str, record: ParsedRecord) -> bool:
    """A consequences list that only says nothing (an export's "None recorded.") or repeats the chosen
    option's pros and cons adds nothing."""
    lines = [line for line in consequences.splitlines() if line.strip()]
    if all(_EXPORT_PLACEHOLDER.match(line) for line in lines):
        return True
    chosen = next((o for o in record.options if o.chosen), None)
    if chosen is None:
        return False
    expected = {f"good, because {p}".lower() for p in chosen.pros} | {
        f"bad, because {c}".lower() for c in chosen.cons
    }
    said = {re.sub(r"^\s*[-*+]\s+", "", line).strip().lower() for line in lines}
    return bool(expected) and said == expected


def _option_rows(record: ParsedRecord) -> list[dict[str, Any]]:
    rows = []
    for position, option in enumerate(record.options):
        description = option.description
        rejected = ""
        match = re.search(r"^Rejected,?\s+because\s+(?P<why>.+)$", description, re.M | re.I)
        if match:
            rejected = match["why"].strip()
            description = (description[: match.start()] + description[match.end() :]).strip()
        rows.append(
            {
                "position": position,
                "title": option.title[:200],
                "description": description,
                "pros": "\n".join(option.pros),
                "cons": "\n".join(option.cons),
                "rejected_because": rejected,
                "chosen": option.chosen,
            }
        )
    return rows


def _record_values(record: ParsedRecord, today: dt.date) -> dict[str, Any]:
    return {
        "original_id": (record.original_id or "")[:40],
        "status_as_written": (record.status_as_written or "")[:200],
        "date_as_written": (record.date_as_written or "")[:100],
        "date_precision": record.date.precision if record.date else "",
        "deciders": list(record.deciders),
        "consulted": list(record.consulted),
        "informed": list(record.informed),
        "consequences": record.consequences,
        "original_text": clean_text(record.text),
        "content_hash": content_hash(record.text),
        "imported_on": today,
    }


def _attribute(obj: Any, by: Any, reason: str) -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None
    obj._change_reason = reason


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in values.items()}


# --- Applying ----------------------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, plan: Plan, surface: Surface | None, by: Any, today: dt.date) -> Applied:
    """Write the plan: create the new decisions, update the changed ones, then link them (the
    supersession chain in the log; every link kept beside the record). All or nothing."""
    applied = Applied(vanished=list(plan.vanished))
    people = {p.name.lower(): p for p in Person.objects.all()}
    decisions: dict[str, Decision] = {}
    records: dict[str, ImportedRecord] = {}
    for item in plan.files:
        record = item.record
        if record is None:
            continue
        if item.action == "skip":
            if item.existing is not None:
                decisions[item.path] = item.existing.decision
                records[item.path] = item.existing
                applied.unchanged += 1
            continue
        where = f"{plan.source}/{item.path}"
        values = _clean(_decision_values(record, surface, people))
        options = [_clean(row) for row in _option_rows(record)]
        if item.action == "create":
            decision = Decision(**values)
            decision.created_by = by if getattr(by, "is_authenticated", False) else None
            _attribute(decision, by, f"Imported from {where}")
            decision.save()
            for row in options:
                option = Option(decision=decision, **row)
                _attribute(option, by, f"Imported from {where}")
                option.save()
            provenance = ImportedRecord(
                decision=decision,
                source=plan.source,
                path=item.path,
                first_imported_on=today,
                **_record_values(record, today),
            )
            _attribute(provenance, by, f"Imported from {where}")
            provenance.save()
            applied.created.append(decision)
        else:
            provenance = item.existing
            assert provenance is not None
            decision = provenance.decision
            if surface is None:
                values.pop("surface")
            for name, value in values.items():
                setattr(decision, name, value)
            _attribute(decision, by, f"Re-imported from {where}")
            save_versioned(decision, expected_version=decision.version)
            current = [
                {
                    k: getattr(o, k)
                    for k in (
                        "position",
                        "title",
                        "description",
                        "pros",
                        "cons",
                        "rejected_because",
                        "chosen",
                    )
                }
                for o in decision.options.all()
            ]
            if current != options:
                for old in decision.options.all():
                    _attribute(old, by, f"Re-imported from {where}")
                    old.delete()
                for row in options:
                    option = Option(decision=decision, **row)
                    _attribute(option, by, f"Re-imported from {where}")
                    option.save()
            for name, value in _record_values(record, today).items():
                setattr(provenance, name, value)
            _attribute(provenance, by, f"Re-imported from {where}")
            provenance.save()
            applied.updated.append(decision)
        slugs = sorted({slugify(name)[:50] for name in record.tags} - {""})
        if slugs:
            decision.tags.add(*[Tag.objects.get_or_create(name=slug)[0] for slug in slugs])
        decisions[item.path] = decision
        records[item.path] = provenance
    _link(plan, decisions, records, by, applied)
    return applied


def _link(
    plan: Plan,
    decisions: dict[str, Decision],
    records: dict[str, ImportedRecord],
    by: Any,
    applied: Applied,
) -> None:
    # Every record of the folder, unchanged ones too: a link that pointed nowhere last time may
    # find its target among this import's new files.
    written = [f for f in plan.files if f.record is not None and f.path in records]
    if not written:
        return
    ImportedLink.objects.filter(record__in=[records[f.path] for f in written]).delete()
    links: list[ImportedLink] = []
    successor_of: dict[str, str] = {}  # predecessor path -> successor path
    for item in written:
        for link in item.result.links:
            target = decisions.get(link.target) if link.target else None
            links.append(
                ImportedLink(
                    record=records[item.path],
                    kind=link.kind,
                    target=target,
                    text=clean_text(link.text)[:300],
                    partial=link.partial,
                )
            )
            if link.partial or link.target is None or link.target not in decisions:
                continue
            if link.kind == "superseded_by":
                successor_of.setdefault(item.path, link.target)
            elif link.kind == "supersedes":
                successor_of.setdefault(link.target, item.path)
    ImportedLink.objects.bulk_create(links)
    # The log's own chain: each decision supersedes at most one, and is superseded by at most one.
    taken_successors: set[int] = set()
    for predecessor_path, successor_path in sorted(successor_of.items()):
        predecessor = decisions[predecessor_path]
        successor = decisions[successor_path]
        if successor.pk in taken_successors:
            applied.notes.append(
                f"{successor_path} supersedes more than one record; the log links it to the first, every link is kept beside it"
            )
            continue
        holder = Decision.objects.filter(supersedes=predecessor).exclude(pk=successor.pk).first()
        if holder is not None:
            applied.notes.append(
                f"{predecessor_path} is already superseded by {holder.key} in the log; that link is kept"
            )
            continue
        taken_successors.add(successor.pk)
        if successor.supersedes_id != predecessor.pk:
            successor.supersedes = predecessor
            _attribute(successor, by, f"Linked: supersedes {predecessor.key}")
            successor.save(update_fields=["supersedes", "updated_at"])


def source_name(value: str) -> str:
    """A source folder's name as stored: trimmed, at most 200 characters, never empty."""
    value = clean_text(value).strip().strip("/") or "uploaded files"
    return value[:200]


def plan_for_files(batch: Batch, source: str) -> Plan:
    return import_plan(batch, source=source_name(source))


def files_to_store(files: Sequence[Any]) -> list[dict[str, Any]]:
    """The upload as kept between the preview and the confirmation: text for what reads as text."""
    from imports.adr.folder import decode, skip_by_name

    stored: list[dict[str, Any]] = []
    for f in files:
        problem = f.problem or skip_by_name(f.path)
        if problem:
            stored.append({"path": f.path, "text": None, "problem": problem})
            continue
        text, problem = decode(f.data)
        stored.append(
            {"path": f.path, "text": clean_text(text) if text is not None else None, "problem": problem}
        )
    return stored


def files_from_store(stored: Sequence[dict[str, Any]]) -> list[Any]:
    from imports.adr.folder import SourceFile

    return [
        SourceFile(item["path"], (item.get("text") or "").encode("utf-8"), item.get("problem"))
        for item in stored
    ]
