"""Export decisions as Markdown Architectural Decision Records (MADR 4.0), one file per decision.

The YAML front matter carries `status`, `date`, `decision-makers`, `consulted` and `informed`;
the sections are MADR's, with the reopen conditions and the supersession under "More Information".
Values in the front matter are written as JSON strings and lists, which YAML reads as they are.

The file says what the product shows, also in a viewer that renders raw HTML: the Markdown fields
(context, reasoning) keep their Markdown with raw HTML escaped as the product shows it (as text),
and every plain field is escaped whole (leadership_os.markdown).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify

from decisions.models import Decision, Stance
from leadership_os.markdown import markdown_for_export, markdown_plain

STATUS = {
    Decision.Status.DRAFT: "draft",
    Decision.Status.OPEN: "proposed",
    Decision.Status.DECIDED: "accepted",
    Decision.Status.SUPERSEDED: "superseded",
    Decision.Status.WITHDRAWN: "withdrawn",
}


def _successor(decision: Decision) -> Decision | None:
    try:
        return decision.superseded_by  # type: ignore[no-any-return]
    except Decision.DoesNotExist:
        return None


def madr_status(decision: Decision) -> str:
    successor = _successor(decision)
    if decision.status == Decision.Status.SUPERSEDED and successor is not None:
        return f"superseded by {successor.key}"
    return STATUS[Decision.Status(decision.status)]


def _points(text: str) -> list[str]:
    """The lines of a free-text list, without their bullets."""
    return [
        _plain(re.sub(r"^\s*(?:[-*+•]|\d+[.)])\s+", "", line)) for line in text.splitlines() if line.strip()
    ]


def _json(value: str | list[str]) -> str:
    """A JSON string or list of strings, which YAML reads as it is, with no character a Markdown
    viewer could make HTML or a link of (a viewer that knows no front matter renders it as text)."""
    if isinstance(value, list):
        return "[" + ", ".join(_json(item) for item in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    for char in "<>&[]":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _people(names: Iterable[str]) -> str:
    return _json(list(dict.fromkeys(names)))


def _plain(text: str) -> str:
    return markdown_plain(text.strip(), one_line=True)


def filename(decision: Decision) -> str:
    return f"{decision.key}-{slugify(decision.title)[:60].strip('-')}.md"


def to_madr(decision: Decision) -> str:
    """One decision as a MADR 4.0 Markdown document."""
    options = list(decision.options.all())
    chosen = next((o for o in options if o.chosen), None)
    stakeholders = list(decision.stakeholders.all())
    consulted = [s.person.name for s in stakeholders if s.stance != Stance.UNKNOWN or s.position.strip()]
    informed = [s.person.name for s in stakeholders if s.stance == Stance.UNKNOWN and not s.position.strip()]
    date = decision.decided_on or decision.opened_on or timezone.localdate(decision.updated_at)
    successor = _successor(decision)

    out: list[str] = [
        "---",
        f"status: {_json(madr_status(decision))}",
        f"date: {date.isoformat()}",
        f"decision-makers: {_people([decision.decider.name] if decision.decider else [])}",
        f"consulted: {_people(consulted)}",
        f"informed: {_people(informed)}",
        "---",
        "",
        f"# {_plain(decision.title)}",
        "",
        "## Context and Problem Statement",
        "",
        markdown_plain(decision.question.strip()),
        "",
    ]
    if decision.context.strip():
        out += [markdown_for_export(decision.context.strip()), ""]

    out += ["## Considered Options", ""]
    out += [f"* {_plain(o.title)}" for o in options] or ["* No options were recorded."]
    out += ["", "## Decision Outcome", ""]
    if decision.has_outcome:
        reasoning = markdown_for_export(decision.reasoning.strip())
        if chosen is not None:
            # Inline only a one-line reasoning: Markdown of several lines keeps its own block, where
            # its fences, lists and escapes mean what they mean in the product.
            if reasoning and "\n" not in reasoning:
                out.append(
                    f'Chosen option: "{_plain(chosen.title)}", because {reasoning[0].lower()}{reasoning[1:]}'
                )
            else:
                out += [f'Chosen option: "{_plain(chosen.title)}", because:', "", reasoning]
            if decision.outcome.strip() and decision.outcome.strip() != chosen.title:
                out += ["", f"Decided: {_plain(decision.outcome)}"]
        else:
            out += [f"Decided: {_plain(decision.outcome)}", "", reasoning]
        if decision.status == Decision.Status.SUPERSEDED and successor is not None:
            out += ["", f"This decision was superseded by {successor.key} ({_plain(successor.title)})."]
    elif decision.status == Decision.Status.WITHDRAWN:
        out.append(
            "Withdrawn without a decision"
            + (f": {_plain(decision.outcome)}" if decision.outcome.strip() else ".")
        )
    else:
        needed = f" It is needed by {decision.needed_by.isoformat()}." if decision.needed_by else ""
        out.append(f"Not decided yet ({decision.get_status_display().lower()}).{needed}")

    out += ["", "### Consequences", ""]
    if chosen is not None and (chosen.pros.strip() or chosen.cons.strip()):
        out += [f"* Good, because {p}" for p in _points(chosen.pros)]
        out += [f"* Bad, because {c}" for c in _points(chosen.cons)]
    else:
        out.append("* None recorded.")

    out += ["", "## Pros and Cons of the Options"]
    for option in options:
        out += ["", f"### {_plain(option.title)}", ""]
        if option.description.strip():
            out += [markdown_plain(option.description.strip()), ""]
        lines = [f"* Good, because {p}" for p in _points(option.pros)]
        lines += [f"* Bad, because {c}" for c in _points(option.cons)]
        out += lines or ["* No pros or cons were recorded."]
        if option.chosen:
            out += ["", "Chosen."]
        elif option.rejected_because.strip():
            out += ["", f"Rejected, because {_plain(option.rejected_because)}"]

    out += ["", "## More Information", ""]
    facts = [f"* Key: {decision.key}"]
    if decision.surface:
        facts.append(f"* Surface: {_plain(decision.surface.name)}")
    if decision.driver:
        facts.append(f"* Driver: {_plain(decision.driver.name)}")
    for label, value in (
        ("Needed by", decision.needed_by),
        ("Opened on", decision.opened_on),
        ("Decided on", decision.decided_on),
    ):
        if value:
            facts.append(f"* {label}: {value.isoformat()}")
    tags = [t.name for t in decision.tags.all()]
    if tags:
        facts.append(f"* Tags: {_plain(', '.join(tags))}")
    if decision.supersedes:
        facts.append(f"* Supersedes: {decision.supersedes.key} ({_plain(decision.supersedes.title)})")
    if successor is not None:
        facts.append(f"* Superseded by: {successor.key} ({_plain(successor.title)})")
    out += facts

    conditions = list(decision.reopen_conditions.all())
    out += ["", "### Reopen conditions", ""]
    for condition in conditions:
        notes = []
        if condition.review_on:
            notes.append(f"review on {condition.review_on.isoformat()}")
        if condition.triggered_on:
            notes.append(f"triggered on {condition.triggered_on.isoformat()}")
        if condition.reviewed_on:
            reviewed = f"reviewed on {condition.reviewed_on.isoformat()}"
            if condition.review_note.strip():
                reviewed += f": {_plain(condition.review_note)}"
            notes.append(reviewed)
        out.append(f"* {_plain(condition.text)}" + (f" ({'; '.join(notes)})" if notes else ""))
    if not conditions:
        out.append("* None recorded.")

    if stakeholders:
        out += ["", "### Stakeholders' positions", ""]
        for s in stakeholders:
            position = f": {_plain(s.position)}" if s.position.strip() else ""
            out.append(f"* {_plain(s.person.name)} ({s.get_stance_display().lower()}){position}")
    return "\n".join(out).rstrip() + "\n"


def log_zip(decisions: Iterable[Decision]) -> bytes:
    """Every decision as its own MADR file in a zip, with an index (README.md) listing them."""
    buffer = io.BytesIO()
    index = ["# Decision log", "", "| Key | Title | Status | Date |", "|---|---|---|---|"]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for decision in decisions:
            name = filename(decision)
            archive.writestr(f"decisions/{name}", to_madr(decision))
            date = decision.decided_on or decision.opened_on
            title = _plain(decision.title)
            index.append(
                f"| {decision.key} | [{title}]({name}) | {madr_status(decision)} | {date.isoformat() if date else ''} |"
            )
        archive.writestr("decisions/README.md", "\n".join(index) + "\n")
    return buffer.getvalue()
