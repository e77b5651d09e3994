"""Meeting notes and threads to proposals: pure Python, no Django, no network, no clock.

`extract(text, ...)` reads a source (Markdown or plain text, WebVTT, SRT, a Slack channel export) and
returns the meeting date and the proposals the rules found, each citing its 1-based source lines and
the rule that found it. The same input gives the same output, always.
"""

from __future__ import annotations

import datetime as dt
import re

from intake.extract import dates, readers
from intake.extract.model import KINDS, Extraction, Line, Person, Proposal, SourceError, Workstream
from intake.extract.people import Resolver, fold, people_from_names
from intake.extract.rules import Rules
from intake.extract.structure import build

__all__ = [
    "KINDS",
    "Extraction",
    "Line",
    "Person",
    "Proposal",
    "SourceError",
    "Workstream",
    "extract",
    "extract_bytes",
    "people_from_names",
]


def extract_bytes(data: bytes, *, filename: str = "", **kwargs: object) -> Extraction:
    """Like `extract`, for the bytes of an uploaded file (refused when too large, binary or not UTF-8)."""
    return extract(readers.decode(data), filename=filename, **kwargs)  # type: ignore[arg-type]


def extract(
    text: str,
    *,
    filename: str = "",
    fmt: str | None = None,
    meeting_date: dt.date | None = None,
    next_meeting: dt.date | None = None,
    people: list[Person] | None = None,
    workstreams: list[Workstream] | None = None,
    tags: list[str] | None = None,
    organizations: list[str] | None = None,
) -> Extraction:
    """The proposals in `text`. `meeting_date` (else the file name, else a dated heading) anchors
    relative due dates; `people` are whom owners resolve to (else the notes' own attendee list);
    `workstreams`, `tags` and `organizations` link blockers and updates, theme signals and
    recognize customers by name. Raises SourceError for a source that cannot be read."""
    fmt = fmt or readers.guess_format(text, filename)
    lines = readers.read(text, fmt)
    known = {fold(p.name) for p in people or []} | {
        w for p in people or [] for w in fold(p.name).split() if len(w) > 2
    }
    structure = build(lines, known)
    if meeting_date is None:
        meeting_date = dates.meeting_date_from(filename, [line.text for line in lines])
    if meeting_date is None and fmt == "slack":
        meeting_date = readers.slack_date(text)
    if next_meeting is None and structure.next_meeting_text and meeting_date:
        found = dates.find_due("by " + structure.next_meeting_text, meeting_date)
        next_meeting = found.date if found else None
    listed = people_from_names(structure.attendees)
    if people and listed:
        # The notes name who was there: resolve owners among them when they are on the list given.
        named = {fold(p.name) for p in listed} | {fold(h) for p in listed for h in p.handles}
        present = [p for p in people if fold(p.name) in named or any(fold(h) in named for h in p.handles)]
        people = present or people
    people = list(people) if people else listed
    speakers = {line.speaker for line in lines if line.speaker}
    if not people and fmt in ("vtt", "srt", "slack"):
        people = people_from_names(sorted(speakers))
    attendee_words: set[str] = set()
    for name in [*structure.attendees, *speakers, *(p.name for p in people)]:
        folded = fold(name.lstrip("@"))
        if folded:
            attendee_words.add(folded)
            attendee_words.update(word for word in folded.split() if len(word) > 2)
    rules = Rules(
        resolver=Resolver(people),
        meeting_date=meeting_date,
        next_meeting=next_meeting,
        attendee_words=attendee_words,
        workstreams=list(workstreams or []),
        tags=list(tags or []),
        organizations=list(organizations or []),
    )
    proposals: list[Proposal] = []
    seen: set[tuple[str, str]] = set()
    for item in structure.items:
        for proposal in rules.item(item):
            proposal.text = _tidy(proposal.text)
            identity = (proposal.kind, fold(proposal.text))
            if not proposal.text or identity in seen:
                continue
            seen.add(identity)
            proposals.append(proposal)
    return Extraction(meeting_date, proposals, fmt, [p.name for p in people])


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" -–—*_")
