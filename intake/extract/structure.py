"""The structure pass: lines become items (a list item with its wrapped lines, a paragraph line, a
table row, a transcript cue) with the section they sit in and the flags that keep them out of the
proposals (fenced code, quoted earlier minutes, struck-through or done items, bot checkboxes, role
and meta lines, agenda boilerplate, a speaker's name alone)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.extract.model import Line
from intake.extract.people import fold

SECTION_WORDS: tuple[tuple[str, str], ...] = (
    (
        "attendees",
        r"attendees|attendance|(?:directors |members |officers |executive officers |others |also )?present|participants|in attendance|members present|regrets|absent|apologies|guests|invitees|people|who'?s here|roll ?call",
    ),
    (
        "previous",
        r"(?:review of |status of )?(?:review(?: of)? )?(?:previous|prior|last|old|past|open|outstanding) (?:meeting'?s? )?(?:action items?|actions|ais|todos)|(?:action items?|actions) from (?:the )?(?:last|previous) (?:meeting|call|week)",
    ),
    (
        "actions",
        r"action items?|actions?|action points?|ais|next steps?|follow[- ]?ups?|todos?|to-?dos?|tasks?|assignments?|action items? and owners|new action items?|owners and next steps|take-?aways and actions",
    ),
    (
        "decisions",
        r"decisions?(?: made| taken| log| recorded)?|key decisions|resolutions?|resolved|consensus|conclusions?|outcomes?|agreements?|agreed|summary of decisions|what we decided|decided",
    ),
    (
        "questions",
        r"open questions?|questions?|decisions? needed|decisions? pending|pending decisions?|needs? decision|parking lot|open issues|undecided|to decide|tbd",
    ),
    (
        "blockers",
        r"blockers?|blocked|risks? (?:and|&) blockers?|blockers? (?:and|&) risks?|escalations?|impediments?|issues and blockers",
    ),
    (
        "signals",
        r"customer (?:feedback|signals?|voice|notes|asks|quotes)|voice of (?:the )?customers?|field (?:feedback|notes)|signals?|what (?:customers|we) heard|feedback",
    ),
    (
        "updates",
        r"(?:status )?updates?|status|round[- ]?(?:robin|table)|progress|standup|workstream updates?",
    ),
    ("agenda", r"agenda(?: items?)?|topics?(?: for today)?|proposed agenda|discussion topics"),
)
_SECTION_RES = [(kind, re.compile(rf"^(?:\d+[.)]?\s*)?(?:{words})$")) for kind, words in SECTION_WORDS]

ROLE_LINE = re.compile(
    r"^(?:action[- ]items? scribe|bosun|scribe(?:nick)?|scribes|note[- ]?takers?|notetaker|notes by|minutes? ?(?:by|taker)?|taking notes|chairs?|co-?chairs?|"
    r"facilitators?|moderators?|timekeepers?|hosts?|recorders?|recording|recorded|video|audio|date|time|when|where|location|zoom|meet|"
    r"meeting (?:link|id|notes|recording|date)|dial[- ]?in|irc|channel|slides|calendar|doc|docs|document|previous (?:meeting|minutes)|"
    r"last (?:meeting|minutes)|next meeting|next call|meeting|duration|start(?:ed)?|end(?:ed)?|called to order|adjourned|quorum|"
    r"present|regrets|attendees|participants|absent|apologies|guests|agenda|topic|subtopic|tags?|labels?|status of (?:these )?minutes)"
    r"\s*(?:\+|-|:|=|–|—)",
    re.I,
)
IRC_NOISE = re.compile(
    r"^(?:q[+\-?]|ack\s+\w+|zakim\b|rrsagent\b|trackbot\b|github-bot\b|present[+\-]|regrets[+\-]|scribe[+\-]|"
    r"agendum\b|close agendum|take up|meeting:|chair:|scribenick:|i/|s/|rrsagent,)",
    re.I,
)
AGENDA_BOILERPLATE = re.compile(
    r"^(?:review(?:ed)?\b|goal\s*:|purpose\s*:|objective\s*:|desired outcome\s*:|timebox|time ?box\s*:|\(\d+\s*min|"
    r"\d+\s*min(?:utes|s)?\b|discuss(?:ion)?\s*(?:of|on|:)|presentation\s*(?:of|:)|intro(?:duction)?s?\b|welcome\b|"
    r"approval of (?:the )?(?:agenda|minutes)|approve (?:the )?(?:agenda|minutes)|roll call|aob\b|any other business|"
    r"adjourn|call to order|housekeeping|demo\s*:|demos?\b)",
    re.I,
)
DONE = re.compile(
    r"(?:^~~.*~~[.\s]*$|^\s*(?:done|completed?|closed|finished|resolved)\s*[:\-–—]|\((?:done|completed?|closed|finished)\)|\[(?:done|completed?|closed)\]|"
    r"[-–—:]\s*(?:done|completed|closed|finished)\s*[.!]?\s*$|[-–—(]\s*already (?:done|completed|finished|merged|sent)|✅|✔|☑)",
    re.I,
)
DONE_CAPS = re.compile(r"\bDONE\b")
BOT_CHECKBOX = re.compile(
    r"<!--|check this box|\bbot\b|dependabot|renovate|rebase|\bretry\b|\bCLA\b|I have (?:read|signed|added|tested)|I've (?:read|signed)|"
    r"\bchangelog\b.*\b(?:added|updated)\b|tests? (?:added|pass)|docs? updated",
    re.I,
)
HEADING_MD = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•▪◦‣]|\d{1,3}[.)]|[a-z][.)])\s+(?:\[( |x|X|-|~)\]\s*)?(.*)$")
CHECKBOX_PLAIN = re.compile(r"^(\s*)\[( |x|X)\]\s+(.*)$")
TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
FENCE = re.compile(r"^\s*(?:[-*+]\s+)?(```|~~~)")
BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,80}?)(?:\*\*|__)\s*:?\s*$")
COLON_HEADING = re.compile(r"^\s*([A-Z0-9][^:]{0,70}?)\s*:\s*$")
IRC_SPEAKER = re.compile(r"^\s*(?:\[?\d{1,2}:\d\d(?::\d\d)?\]?\s*)?<([\w.\-|`^]+)>\s*(.*)$")
META_CHILD = re.compile(
    r"^(owner|owners|assignee|assigned to|who|responsible|due|due date|deadline|when|by when|eta|target date)\s*[:=\-]\s*(.+)$",
    re.I,
)


_PEOPLE_ROLES = re.compile(
    r"^(?:chairs?|co-?chairs?|hosts?|facilitators?|moderators?|scribes?|note[- ]?takers?|recorders?)\b", re.I
)


def _is_task_not_role(role: re.Match[str], raw: str) -> bool:
    """ "Chairs: organize the joint meetings" gives the chairs a task; "Chair: Ana Lima" names a role."""
    if not _PEOPLE_ROLES.match(role.group(0)):
        return False
    value = (
        LIST_ITEM.sub(r"\3", raw).strip()[role.end() :].strip()
        if LIST_ITEM.match(raw)
        else raw.strip()[role.end() :].strip()
    )
    words = re.sub(r"\(.*?\)", "", value).split()
    lowercase = [
        w
        for w in words
        if w[:1].islower() and w not in ("van", "von", "de", "da", "del", "der", "le", "la", "and")
    ]
    return len(lowercase) >= 2


def section_kind(title: str) -> str:
    words = re.sub(r"[*_`#:\[\]]", "", title).strip().lower()
    words = re.sub(r"\s+", " ", re.sub(r"\(.*?\)", "", words)).strip(" .-–—")
    for kind, pattern in _SECTION_RES:
        if pattern.match(words):
            return kind
    return "other"


@dataclass
class Item:
    text: str
    lines: list[int]
    speaker: str | None = None
    section: str = "other"
    indent: int = 0
    is_list: bool = False
    checkbox: str | None = None
    parent: Item | None = None
    skip: str | None = None
    owner_hint: str | None = None
    due_hint: str | None = None
    table: dict[str, str] | None = None
    label_section: str | None = None
    children: list[Item] = field(default_factory=list)

    @property
    def top_level(self) -> bool:
        return self.parent is None


@dataclass
class Structure:
    items: list[Item]
    attendees: list[str]
    next_meeting_text: str | None = None


def _strip_inline(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)", r"\1", text)  # [label](url)
    text = re.sub(r"<https?://[^>]+>", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _attendee_names(text: str) -> list[str]:
    names = []
    text = re.sub(r"^\W*[A-Za-z ]{2,30}:\s*", "", text)
    for part in re.split(r"[,;]|\band\b|\s{2,}", text):
        part = re.sub(r"\((?![A-Z]{2,4}\))[^)]*\)|\[.*?\]", "", part)  # keep "(SFC)", a person's initials
        part = part.split(" - ")[0].split(" – ")[0].strip(" *_.\t")
        if re.fullmatch(
            r"@?[\w.'’\-]+(?: @?[\w.'’\-]+){0,4}(?: \([A-Z]{2,4}\))?", part
        ) and part.lower() not in {
            "none",
            "n/a",
            "tbd",
        }:
            names.append(part)
    return names


def build(lines: list[Line], known_names: set[str] | None = None) -> Structure:
    known = set(known_names or ())
    items: list[Item] = []
    attendees: list[str] = []
    next_meeting: str | None = None
    heading_stack: list[tuple[int, str, int]] = []
    in_fence: str | None = None
    in_comment = False
    in_front_matter = bool(lines) and lines[0].text.strip() == "---" and lines[0].number == 1
    open_items: list[Item] = []  # the current list item chain, by indent
    last: Item | None = None
    table_header: list[str] | None = None
    pending_speaker: str | None = None
    texts = [line.text for line in lines]

    def current_section() -> str:
        for depth, (_, kind, _) in enumerate(reversed(heading_stack)):
            if kind == "agenda" and depth > 0:
                return "other"  # notes under an agenda's sub-headings are the minutes themselves
            if kind != "other":
                return kind
        return "other"

    def push_heading(level: int, title: str, indent: int = 0) -> None:
        nonlocal open_items, last, table_header, pending_speaker
        while heading_stack and heading_stack[-1][0] >= level:
            heading_stack.pop()
        heading_stack.append((level, section_kind(title), indent))
        open_items, last, table_header, pending_speaker = [], None, None, None

    for index, line in enumerate(lines):
        raw = line.text.rstrip()
        stripped = raw.strip()
        if in_front_matter:
            if index > 0 and stripped in ("---", "..."):
                in_front_matter = False
            continue
        fence = FENCE.match(raw)
        if in_fence:
            if fence and fence.group(1) == in_fence:
                in_fence = None
            continue
        if fence:
            in_fence = fence.group(1)
            if raw.strip().count(in_fence) >= 2:
                in_fence = None  # a one-line fence
            last = None
            continue
        if in_comment:
            if "-->" in raw:
                in_comment = False
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        raw = re.sub(r"<!--.*?-->", "", raw)
        stripped = raw.strip()
        if not stripped:
            last, table_header = None, None
            if line.speaker is None:
                pending_speaker = None
            continue
        if stripped.startswith(">"):
            last = None
            continue  # quoted earlier minutes or a quoted message
        heading = HEADING_MD.match(raw)
        if heading:
            push_heading(len(heading.group(1)), heading.group(2))
            continue
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if (
            SETEXT.match(following)
            and not LIST_ITEM.match(raw)
            and not TABLE_ROW.match(raw)
            and len(stripped) < 100
        ):
            push_heading(1 if following.strip().startswith("=") else 2, stripped)
            continue
        if SETEXT.match(raw) or re.fullmatch(r"\s*(\*\s*){3,}|\s*(_\s*){3,}", raw):
            continue
        if (
            line.speaker is None
            and (BOLD_HEADING.match(raw) or COLON_HEADING.match(raw))
            and not LIST_ITEM.match(raw)
        ):
            title = (BOLD_HEADING.match(raw) or COLON_HEADING.match(raw)).group(1)  # type: ignore[union-attr]
            heading_indent = len(raw) - len(raw.lstrip())
            folded = fold(title.lstrip("@"))
            seen = (
                known
                | {fold(name) for name in attendees}
                | {w for name in attendees for w in fold(name).split()}
            )
            if section_kind(title) != "other" or not (
                folded in seen
                or (folded.split()[:1] and folded.split()[0] in seen and len(folded.split()) <= 3)
            ):
                push_heading(7, title, heading_indent)
                continue
            pending_speaker = title.strip().lstrip("@")
            last = None
            continue  # a speaker's name alone: who speaks next
        if IRC_NOISE.match(stripped):
            continue
        role = ROLE_LINE.match(
            re.sub(r"^[*_]+|(?<=\w)[*_]+(?=\s*[:+=])", "", LIST_ITEM.sub(r"\3", raw).strip())
        )
        if role and _is_task_not_role(role, raw):
            role = None
        if role:
            label = role.group(0).lower()
            value = _strip_inline(
                re.sub(r"^[*_]+|(?<=\w)[*_]+(?=\s*[:+=])", "", LIST_ITEM.sub(r"\3", raw).strip())[
                    role.end() :
                ]
            )
            if re.match(r"(present|attendees|participants|guests)", label):
                attendees.extend(_attendee_names(value))
                if not value:
                    push_heading(7, "attendees")
            elif re.match(r"(next meeting|next call)", label):
                next_meeting = value
            elif re.match(r"(agenda|topic|subtopic)", label) and not value:
                push_heading(7, label.rstrip(":+ "))
            elif re.match(r"(topic|subtopic)", label):
                push_heading(7, value or "topic")
            last = None
            continue
        table = TABLE_ROW.match(raw)
        if table:
            cells = [_strip_inline(cell) for cell in re.split(r"(?<!\\)\|", table.group(1))]
            if TABLE_RULE.match(raw):
                continue
            if table_header is None:
                table_header = [cell.lower() for cell in cells]
                continue
            row = dict(zip(table_header, cells, strict=False))
            item = Item(
                " ".join(c for c in cells if c), list(line.cited), line.speaker, current_section(), table=row
            )
            items.append(item)
            last = None
            continue
        speaker = line.speaker or pending_speaker
        irc = IRC_SPEAKER.match(raw)
        if irc and line.speaker is None:
            speaker, raw = irc.group(1), irc.group(2)
            stripped = raw.strip()
            if not stripped or IRC_NOISE.match(stripped):
                continue
        listed = LIST_ITEM.match(raw) or CHECKBOX_PLAIN.match(raw)
        line_indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        while heading_stack and heading_stack[-1][0] == 7 and line_indent < heading_stack[-1][2]:
            heading_stack.pop()  # a colon heading ends where the text goes back left of it
        if listed:
            indent = len(listed.group(1).expandtabs(4))
            checkbox = listed.group(2)
            body = listed.group(3)
            while open_items and open_items[-1].indent >= indent:
                open_items.pop()
            parent = open_items[-1] if open_items else None
            section = current_section()
            ancestor = parent
            while ancestor is not None:
                if ancestor.label_section:
                    section = ancestor.label_section
                    break
                ancestor = ancestor.parent
            item = Item(body, list(line.cited), speaker, section, indent, True, checkbox, parent)
            label = re.sub(r"^\d+[.)]\s*", "", _strip_inline(body)).rstrip(":").strip()
            if len(label) <= 50 and section_kind(label) != "other" and not re.search(r"[.!?]$", label):
                item.label_section = section_kind(label)
                item.skip = "section label"
            meta = META_CHILD.match(_strip_inline(body))
            if parent is not None and meta:
                if meta.group(1).lower() in (
                    "owner",
                    "owners",
                    "assignee",
                    "assigned to",
                    "who",
                    "responsible",
                ):
                    parent.owner_hint = meta.group(2).strip()
                else:
                    parent.due_hint = meta.group(2).strip()
                parent.lines.extend(line.cited)
                item.skip = "meta"
            if parent is not None:
                parent.children.append(item)
            open_items.append(item)
            items.append(item)
            last = item
            continue
        if (
            last is not None
            and last.is_list
            and len(raw) - len(raw.lstrip()) > last.indent
            and line.speaker is None
        ):
            last.text += " " + stripped
            last.lines.extend(line.cited)
            continue
        if (
            last is not None
            and line.speaker is None
            and re.match(r"[a-z(]", stripped)
            and not re.search(r"[.!?:]$", last.text.rstrip())
        ):
            last.text += " " + stripped
            last.lines.extend(line.cited)
            continue
        open_items = []
        item = Item(stripped, list(line.cited), speaker, current_section())
        items.append(item)
        last = item
    for item in items:
        _flag(item)
        if item.section == "attendees" and item.is_list:
            attendees.extend(_attendee_names(item.text))
    return Structure(items, attendees, next_meeting)


def _flag(item: Item) -> None:
    text = item.text.strip()
    if item.skip:
        return
    if item.section == "attendees":
        item.skip = "attendee list"
    elif item.checkbox in ("x", "X", "~", "-") or (
        item.parent is not None and item.parent.skip == "done item" and item.section != "other"
    ):
        item.skip = "done item"
    elif text.startswith("~~") or (
        re.fullmatch(r".*~~[^~]{3,}~~.*", text) and len(re.sub(r"~~.*?~~", "", text).strip(" .-")) < 4
    ):
        item.skip = "struck through"
    elif DONE.search(text) or DONE_CAPS.search(text):
        item.skip = "done item"
    elif item.checkbox == " " and BOT_CHECKBOX.search(text):
        item.skip = "bot checkbox"
    elif (item.section == "agenda" and item.top_level and AGENDA_BOILERPLATE.match(_strip_inline(text))) or (
        AGENDA_BOILERPLATE.match(_strip_inline(text))
        and re.match(r"(?i)\W*(goal|purpose|objective|desired outcome)\s*:", text)
    ):
        item.skip = "agenda boilerplate"
    elif item.section == "previous":
        item.skip = "earlier action item"


def clean_inline(text: str) -> str:
    return _strip_inline(text)
