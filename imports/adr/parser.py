"""Read one decision record (MADR 2/3/4, Nygard, log4brains, home-grown variants) from its text.

`parse_record(text, path=...)` never raises on content: whatever it cannot read without guessing
becomes a warning with the 1-based line it is about. Fenced code blocks and HTML comments are
ignored when looking for metadata, headings and links (they hold example front matter and
commented-out statuses), but kept in the prose they belong to.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from imports.adr.dates import DateProblem, read_date
from imports.adr.records import (
    AdrStatus,
    LinkKind,
    ParsedDate,
    ParsedLink,
    ParsedOption,
    ParsedRecord,
    Warning,
)
from leadership_os.storable import clean_text

TITLE_MAX = 200

# --- Vocabulary -------------------------------------------------------------------------------

STATUS_WORDS: list[tuple[AdrStatus, str]] = [
    (
        "superseded",
        r"(?:partially\s+|partly\s+)?(?:superseded|superceded|superseeded|superseded|replaced|obsoleted)",
    ),
    ("deprecated", r"deprecated|obsolete|retired|sunset(?:ted)?"),
    ("rejected", r"rejected|declined|not\s+accepted|refused|won'?t\s+do|abandoned"),
    ("accepted", r"accepted|approved|adopted|agreed|decided|implemented|active|in\s+effect|in\s+force|done"),
    (
        "proposed",
        r"proposed|proposal|pending|in\s+review|under\s+review|in\s+discussion|under\s+discussion|open|rfc|wip|work\s+in\s+progress|in\s+progress|suggested",
    ),
]
_STATUS_RES = [(status, re.compile(rf"^(?:{words})\b", re.I)) for status, words in STATUS_WORDS]
_STATUS_ANY = [(status, re.compile(rf"\b(?:{words})\b", re.I)) for status, words in STATUS_WORDS]
# Statuses the log has but the ADR vocabulary does not: kept as the log's own, with a warning.
_LOG_ONLY = {"draft": "draft", "withdrawn": "withdrawn"}

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "status": ("status", "decision status", "state", "current status", "adr status", "record status"),
    "context": (
        "context",
        "context and problem statement",
        "context & problem statement",
        "context and problem",
        "problem statement",
        "problem",
        "the problem",
        "problem description",
        "background",
        "issue",
        "motivation",
        "situation",
        "context and motivation",
        "background and context",
    ),
    "drivers": ("decision drivers", "drivers", "forces", "constraints", "requirements", "assumptions"),
    "options": (
        "considered options",
        "options",
        "options considered",
        "alternatives",
        "considered alternatives",
        "alternatives considered",
        "other options",
        "other options considered",
        "possible solutions",
        "solutions considered",
        "options and alternatives",
        "positions",
    ),
    "proscons": (
        "pros and cons of the options",
        "pros and cons of the alternatives",
        "pros and cons of options",
        "pros and cons",
        "options analysis",
        "evaluation of options",
        "comparison of options",
    ),
    "outcome": (
        "decision outcome",
        "decision",
        "outcome",
        "the decision",
        "our decision",
        "resolution",
        "decision made",
        "chosen option",
        "proposal",
        "proposed solution",
        "proposed decision",
        "what's proposed",
        "what’s proposed",
        "what is proposed",
        "proposed change",
        "solution",
        "recommendation",
    ),
    "rationale": ("rationale", "justification", "argument", "reasoning", "reasons", "why"),
    "consequences": (
        "consequences",
        "positive consequences",
        "negative consequences",
        "implications",
        "impact",
        "results",
    ),
    "confirmation": ("confirmation", "validation", "compliance"),
    "more": (
        "more information",
        "links",
        "references",
        "related",
        "related decisions",
        "related adrs",
        "related records",
        "see also",
        "notes",
        "further reading",
    ),
    "date": ("date", "dates", "decision date", "last updated", "date of decision"),
    "deciders": ("deciders", "decision makers", "decision-makers", "decision maker", "deciders and roles"),
    "consulted": ("consulted",),
    "informed": ("informed",),
}
RELATED_SECTIONS = {
    "links",
    "related",
    "related decisions",
    "related adrs",
    "related records",
    "see also",
    "related adr",
}
_SECTION_OF = {name: kind for kind, names in SECTION_NAMES.items() for name in names}

META_KEYS: dict[str, str] = {
    "status": "status",
    "state": "status",
    "date": "date",
    "decision date": "date",
    "date of decision": "date",
    "last updated": "updated",
    "last modified": "updated",
    "updated": "updated",
    "created": "created",
    "date created": "created",
    "created on": "created",
    "created at": "created",
    "decided on": "date",
    "accepted on": "date",
    "date accepted": "date",
    "decision makers and date": "date",
    "deciders": "deciders",
    "decision makers": "deciders",
    "decision maker": "deciders",
    "decided by": "deciders",
    "approvers": "deciders",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
    "labels": "tags",
    "keywords": "tags",
    "title": "title",
    "id": "id",
    "number": "id",
    "adr": "id",
    "superseded by": "superseded_by",
    "supersededby": "superseded_by",
    "supersedes": "supersedes",
    "replaces": "supersedes",
    "replaced by": "superseded_by",
    "amends": "amends",
    "amended by": "amended_by",
    "amendedby": "amended_by",
    "relates to": "relates_to",
    "related to": "relates_to",
    "related": "relates_to",
    "see also": "relates_to",
}

LINK_WORDS: list[tuple[LinkKind, str]] = [
    ("superseded_by", r"(?:superseded|superceded|superseeded|replaced|obsoleted)(?:\s+in\s+part)?\s+by"),
    ("supersedes", r"supersedes|supercedes|replaces|obsoletes"),
    ("amended_by", r"(?:amended|refined|extended|clarified)\s+by"),
    ("amends", r"amends|refines|extends|clarifies"),
    ("relates_to", r"relates\s+to|related\s+to|see\s+also|depends\s+on"),
]
_PARTIAL = re.compile(r"\b(?:partially|partly|in\s+part|partial)\b", re.I)
_LINK_LEAD = re.compile(
    r"^(?:(?:this\s+(?:adr|decision|record|document)\s+)?(?:is|was|has\s+been|it\s+is)\s+)?"
    r"(?P<partial>(?:partially|partly)\s+)?(?P<word>"
    + "|".join(f"(?:{words})" for _, words in LINK_WORDS)
    + r")\b\s*:?\s*",
    re.I,
)
_LINK_ANYWHERE = re.compile(
    r"(?P<partial>(?:partially|partly)\s+)?\b(?P<word>"
    + "|".join(f"(?:{words})" for kind, words in LINK_WORDS if kind != "relates_to")
    + r")\b\s*:?\s*",
    re.I,
)
_MD_LINK = re.compile(
    r"!?\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<href><[^>]*>|[^)\s]*)(?:\s+[\"'(][^)]*[\"')])?\)"
)
_AUTOLINK = re.compile(r"<(?P<href>(?:https?://|\./|\.\./)[^>\s]+)>")
_REF = re.compile(
    r"(?<![\w/.-])(?:(?P<prefix>ADR|RFC|DR|AD|Decision|Record|[A-Z]{1,4})[\s#_-]*|#)(?P<num>\d{1,6})\b", re.I
)
_BARE_NUMBER = re.compile(r"^\s*#?0*(?P<num>\d{1,6})\s*$")

_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})(?:\s+(?P<text>.*?))?\s*(?:\s#+\s*)?$")
_SETEXT_H1 = re.compile(r"^\s{0,3}=+\s*$")
_SETEXT_H2 = re.compile(r"^\s{0,3}-+\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+•]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)])\s+(?P<text>.*)$")
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\]\s*")
_TITLE_NUMBER = re.compile(
    r"^\s*\[?(?P<id>(?:(?:ADR|RFC|DR|AD|ADL|DEC|Decision|Record)[\s#_-]*(?P<num1>\d{1,6}))"
    r"|(?:#?(?P<num2>\d{1,6})(?=\s*[.:)\]\-–—|]|\s+-)))\]?\s*[.:)\-–—|]*\s*",
    re.I,
)
_RECORD_PREFIX = re.compile(
    r"^\s*(?:architectur(?:e|al)\s+)?(?:decision\s+record|adr|decision)\s*[:\-–—]\s*(?=[^\d\s])", re.I
)
_FILE_NUMBER = re.compile(
    r"^(?:(?P<prefix>adr|rfc|dr|ad|decision|[a-z]{1,4})[-_ ]?)?(?P<num>\d{1,6})(?=[-_ .]|$)", re.I
)
_KV = re.compile(
    r"^\s*(?:[-*+•]\s+)?(?:\|\s*)?(?:\*\*|__|\*|_)?\s*(?P<key>[A-Za-z][A-Za-z \-_/]{0,30}?)\s*(?:\*\*|__|\*|_)?\s*"
    r"(?::|\|)\s*(?:\*\*|__|\*|_)?\s*(?P<value>.*?)\s*\|?\s*$"
)
_NEUTRAL = re.compile(r"^neutral\s*(?:,|:)?\s*(?:because\s*:?\s*)?(?P<text>.+)$", re.I)
_PROS_HEAD = re.compile(
    r"^(?:\*\*|__|#+\s*)?(?:pros|advantages|benefits|strengths|good|positive|upsides?)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$",
    re.I,
)
_CONS_HEAD = re.compile(
    r"^(?:\*\*|__|#+\s*)?(?:cons|disadvantages|drawbacks|weaknesses|bad|negative|downsides?|risks)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$",
    re.I,
)
_CHOSEN = re.compile(
    r"(?:chosen|selected|preferred|picked)\s+(?:option|alternative|solution)s?\s*(?:is|was)?\s*[:\-–]?\s*(?P<rest>.+)$",
    re.I,
)
_CHOSEN_BY_LABEL = re.compile(
    r"\b(?:chose|choose|chosen|selected|select|picked|pick|go\s+with|went\s+with|going\s+with|decided\s+(?:on|for|to\s+go\s+with))"
    r"\s+(?:the\s+)?(?:option|alternative)\s*(?P<label>\d{1,2}|[A-H])\b",
    re.I,
)
_CHOSEN_BY_LABEL_AFTER = re.compile(
    r"\b(?:option|alternative)\s*(?P<label>\d{1,2}|[A-H])\b[^.\n]{0,40}?\b(?:was|is|has\s+been)\s+(?:chosen|selected|adopted|accepted)\b",
    re.I,
)
_OPTION_LABEL = re.compile(
    r"^(?:option|alternative|choice|approach|solution)\s*(?:\d+|[A-Z])\b\s*[:.\-–—)]\s*", re.I
)
_OPTION_PARAGRAPH = re.compile(
    r"^\s{0,3}(?:\*\*|__)?(?:option|alternative)\s*(?:\d+|[A-Z])\b\s*(?:\*\*|__)?\s*[:.\-–—)]", re.I
)
_PLACEHOLDER_PERSON = re.compile(r"^[\[{<].*[\]}>]$|^(?:list|tbd|n/?a|none|-+)$", re.I)
_QUOTES = "\"'“”‘’`«»„"


@dataclass
class _Heading:
    index: int
    level: int
    text: str
    kind: str | None = None
    inline: str = ""


@dataclass
class _Doc:
    lines: list[str]  # the content, HTML comments removed (kept inside code blocks)
    meta: list[str]  # the same lines with code blocks blanked too: where metadata is looked for
    offset: int  # body line i is line i + offset + 1 of the file
    headings: list[_Heading] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def lineno(self, index: int) -> int:
        return index + self.offset + 1

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(Warning(self.lineno(index), message))


# --- Small text helpers ----------------------------------------------------------------------


def _norm(text: str) -> str:
    text = re.sub(r"[*_`]+", "", text).strip()
    text = re.sub(r"^[^\w\[(]+", "", text)  # a leading emoji or symbol ("📝 Context")
    text = re.sub(r"^(?:\d+(?:\.\d+)*[.)]?|[ivx]+\.|[a-z]\))\s+", "", text, flags=re.I)
    text = text.rstrip(":").strip().lower()
    return re.sub(r"\s+", " ", text)


def normalize_title(text: str) -> str:
    """A title reduced for comparing: lower case, words only."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.findall(r"\w+", text.lower()))


def _plain(text: str) -> str:
    """Inline Markdown reduced to its words: links to their text, emphasis and code marks gone."""
    text = _MD_LINK.sub(lambda m: m["text"], text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)([*_])(.+?)\1(?!\w)", r"\2", text)
    text = text.replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def _unbullet(text: str) -> str:
    return re.sub(r"^\s*(?:[-*+•>]|\d{1,3}[.)])\s+", "", text)


def _unquote(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def _section_kind(text: str) -> tuple[str | None, str]:
    name = _norm(text)
    if name in _SECTION_OF:
        return _SECTION_OF[name], ""
    head, sep, _rest = name.partition(":")
    if sep and head.strip() in _SECTION_OF and _SECTION_OF[head.strip()] in ("status", "date", "deciders"):
        original_rest = text.split(":", 1)[1]
        return _SECTION_OF[head.strip()], original_rest.strip()
    for prefix, kind in (
        ("context", "context"),
        ("problem statement", "context"),
        ("decision outcome", "outcome"),
        ("considered options", "options"),
        ("pros and cons", "proscons"),
        ("consequences", "consequences"),
        ("decision drivers", "drivers"),
    ):
        if name.startswith(prefix):
            return kind, ""
    return None, ""


def _split_people(value: str | list[str]) -> tuple[str, ...]:
    items = value if isinstance(value, list) else re.split(r"\s*(?:[,;]|\band\b|&)\s*", value)
    people = []
    for item in items:
        name = _unquote(_plain(str(item))).strip(" .")
        if name and not _PLACEHOLDER_PERSON.match(name) and len(name) <= 120:
            people.append(name)
    return tuple(dict.fromkeys(people))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _dedent_block(lines: Iterable[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- Reading the file ---------------------------------------------------------------------------


def _front_matter(lines: list[str]) -> tuple[dict[str, str | list[str]], dict[str, int], int]:
    """YAML (`---`) or TOML (`+++`) front matter, read leniently: `key: value`, `key: [a, b]` and
    `- item` lists. Returns the values, each key's line, and how many lines it took."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, {}, 0
    fence = lines[0].strip()
    end = next((i for i in range(1, min(len(lines), 300)) if lines[i].strip() in (fence, "...")), None)
    if end is None:
        return {}, {}, 0
    sep_char = "=" if fence == "+++" else ":"
    if not any(re.match(rf"^[A-Za-z_][\w \-]*?\s*{re.escape(sep_char)}", lines[i]) for i in range(1, end)):
        return {}, {}, 0  # two rules around prose, not front matter
    values: dict[str, str | list[str]] = {}
    where: dict[str, int] = {}
    current: str | None = None
    block: str | None = None
    sep = "=" if fence == "+++" else ":"
    for i in range(1, end):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if block is not None and line[:1].isspace():
            values[block] = (str(values.get(block) or "") + " " + line.strip()).strip()
            continue
        block = None
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and current is not None:
            existing = values.get(current)
            listed = existing if isinstance(existing, list) else ([existing] if existing else [])
            listed.append(_unquote(item.group(1)))
            values[current] = listed
            continue
        match = re.match(rf"^(?P<key>[A-Za-z_][\w \-]*?)\s*{re.escape(sep)}\s*(?P<value>.*)$", line)
        if not match or line[0].isspace():
            continue
        key = match["key"].strip().lower().replace("_", " ").replace("-", " ")
        value = match["value"].strip()
        if value.startswith("[") and value.endswith("]"):
            parsed: str | list[str] = [_unquote(v) for v in re.split(r"\s*,\s*", value[1:-1]) if _unquote(v)]
        else:
            value = re.sub(r"\s+#.*$", "", value) if value[:1] not in _QUOTES else value
            parsed = _unquote(value)
        if isinstance(parsed, str) and re.fullmatch(r"[|>][+-]?", parsed):
            block, parsed = key, ""  # a YAML block scalar: its text is on the indented lines below
        values[key] = parsed
        where[key] = i + 1
        current = key
    return values, where, end + 1


def _mask(lines: list[str]) -> tuple[list[str], list[str]]:
    content: list[str] = []
    meta: list[str] = []
    fence: str | None = None
    in_comment = False
    for line in lines:
        if fence is not None:
            content.append(line)
            meta.append("")
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) <= {fence[0]}:
                fence = None
            continue
        visible = ""
        rest = line
        while rest:
            if in_comment:
                end = rest.find("-->")
                if end < 0:
                    rest = ""
                else:
                    rest = rest[end + 3 :]
                    in_comment = False
            else:
                start = rest.find("<!--")
                if start < 0:
                    visible += rest
                    rest = ""
                else:
                    visible += rest[:start]
                    rest = rest[start + 4 :]
                    in_comment = True
        opening = _FENCE.match(visible)
        if opening:
            fence = opening["fence"]
            content.append(visible)
            meta.append("")
            continue
        content.append(visible)
        meta.append(visible)
    return content, meta


def _find_headings(doc: _Doc) -> None:
    previous_blank = True
    for i, line in enumerate(doc.meta):
        atx = _ATX.match(line)
        if atx and (atx["text"] or "").strip():
            text = _plain(atx["text"])
            doc.headings.append(_Heading(i, len(atx["hashes"]), text))
        elif i > 0 and doc.meta[i - 1].strip() and not previous_blank:
            above = doc.meta[i - 1]
            if _BULLET.match(above) or _ATX.match(above) or above.lstrip().startswith(("|", ">")):
                pass
            elif _SETEXT_H1.match(line):
                doc.headings.append(_Heading(i - 1, 1, _plain(above)))
            elif _SETEXT_H2.match(line) and line.strip() != "":
                doc.headings.append(_Heading(i - 1, 2, _plain(above)))
        previous_blank = not line.strip()
    setext_rows = {h.index + 1 for h in doc.headings if not _ATX.match(doc.meta[h.index])}
    for row in setext_rows:
        doc.meta[row] = ""
        doc.lines[row] = ""
    for heading in doc.headings:
        heading.kind, heading.inline = _section_kind(heading.text)


def _end_of(doc: _Doc, position: int) -> int:
    """The index where the section of heading number `position` ends (next heading not deeper)."""
    heading = doc.headings[position]
    for later in doc.headings[position + 1 :]:
        if later.level <= heading.level:
            return later.index
    return len(doc.lines)


def _own_end(doc: _Doc, position: int) -> int:
    """Where the text directly under heading `position` ends (at the next heading of any level)."""
    return doc.headings[position + 1].index if position + 1 < len(doc.headings) else len(doc.lines)


# --- Status -------------------------------------------------------------------------------------


@dataclass
class _StatusFound:
    status: AdrStatus | None
    text: str
    index: int
    date: ParsedDate | None = None
    unknown: str | None = None


_DATE_LEAD = re.compile(
    r"^\s*(?:\(?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}[\s-][A-Za-z]{3,9}[\s-]\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\s*[:\-–—]?\s*"
)


def _status_of(value: str) -> tuple[AdrStatus | None, str | None]:
    """The ADR status a status text names, or (None, the text kept as written) when it names none,
    or several (a template's "proposed | accepted | …")."""
    text = _plain(_unbullet(value)).strip().strip(".:;,!").strip()
    text = re.sub(r"^status\s*[:\-]\s*", "", text, flags=re.I)
    text = _DATE_LEAD.sub("", text).strip()
    if re.search(r"\s(?:→|->|=>|⟶)\s", text):
        text = re.split(r"\s(?:→|->|=>|⟶)\s", text)[-1].strip()  # "Proposed → Accepted": where it ended
    text = re.sub(r"^[\[(]\s*|\s*[\])]$", "", text).strip()
    if not text:
        return None, None
    lowered = text.lower()
    if re.match(r"^(?:draft|withdrawn)\b", lowered) and len(re.findall(r"\w+", lowered)) <= 3:
        return None, text
    found = {status for status, pattern in _STATUS_ANY if pattern.search(lowered)}
    if re.search(r"[|{}]|\s/\s", text) and len(found) > 1:
        return None, text
    for status, pattern in _STATUS_RES:
        if pattern.match(lowered):
            return status, text
    if len(found) == 1 and len(lowered) <= 200:
        return found.pop(), text
    return None, text


# --- Links --------------------------------------------------------------------------------------


def _kind_of(word: str) -> LinkKind:
    for kind, words in LINK_WORDS:
        if re.fullmatch(words, word.strip(), re.I):
            return kind
    return "relates_to"


def _targets(kind: LinkKind, rest: str, line: int, partial: bool) -> list[ParsedLink]:
    """The records named after a link word: Markdown links, numbers (ADR-0012, #12, 0012), or a title."""
    rest = rest.strip()
    links: list[ParsedLink] = []
    for match in list(_MD_LINK.finditer(rest)) + list(_AUTOLINK.finditer(rest)):
        href = match["href"].strip("<>")
        text = _plain(match.groupdict().get("text") or href) or href
        if href.startswith("#"):
            continue
        number = None
        ref = _REF.search(text)
        if ref:
            number = int(ref["num"])
        links.append(ParsedLink(kind, text, line, href=href, number=number, title=text, partial=partial))
    if links:
        return links
    plain = _plain(rest)
    plain = re.split(r"(?<=[a-z0-9)])\.\s|\s+(?:on|since|as of|from)\s+\d", plain, maxsplit=1)[0].strip(
        " .,;:"
    )
    if not plain:
        return []
    refs = list(_REF.finditer(plain))
    if refs:
        for ref in refs:
            number = int(ref["num"])
            title_part = plain[ref.end() :].strip(" :-–—()")
            title = (
                title_part.split(",")[0].strip(" ()") if title_part and not _REF.search(title_part) else None
            )
            links.append(
                ParsedLink(
                    kind,
                    ref[0] + (f" ({title})" if title else ""),
                    line,
                    number=number,
                    title=title,
                    partial=partial,
                )
            )
        return links
    bare = _BARE_NUMBER.match(plain)
    if bare:
        return [ParsedLink(kind, plain, line, number=int(bare["num"]), partial=partial)]
    title = _unquote(re.sub(r"^(?:the\s+)?(?:adr|decision|record)\s+", "", plain, flags=re.I))
    if not title or len(title) > 200:
        return []
    return [ParsedLink(kind, title, line, title=title, partial=partial)]


_LINK_HINTS = (
    "supers",
    "superc",
    "replace",
    "amend",
    "relate",
    "see also",
    "obsolet",
    "refine",
    "extend",
    "clarif",
    "depends on",
)


def _links_in_line(line: str, index: int, *, anywhere: bool) -> list[ParsedLink]:
    lowered = line.lower()
    if not any(hint in lowered for hint in _LINK_HINTS):
        return []
    text = re.sub(r"^\s*(?:[-*+•>]\s+)*", "", line)
    text = re.sub(r"^(?:\*\*|__|\*|_)+", "", text).strip()
    text = re.sub(r"^status\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*", "", text, flags=re.I)
    found: list[ParsedLink] = []
    lead = _LINK_LEAD.match(text)
    if not lead:
        stripped = _DATE_LEAD.sub("", text)
        stripped = re.sub(
            r"^(?:" + "|".join(w for _, w in STATUS_WORDS) + r")\b[\s.,;:!*_)(-]*(?:and\s+|but\s+)?",
            "",
            stripped,
            flags=re.I,
        )
        lead = _LINK_LEAD.match(stripped)
        if lead:
            text = stripped
    if lead:
        partial = bool(lead["partial"]) or bool(_PARTIAL.search(text[: lead.end()]))
        rest = text[lead.end() :]
        rest = re.sub(r"^(?:\*\*|__|\*|_)+\s*:?\s*", "", rest)
        found = _targets(_kind_of(lead["word"]), rest, index, partial)
        if not partial and _PARTIAL.search(rest[:40] if not found else ""):
            found = [ParsedLink(f.kind, f.text, f.line, f.href, f.number, f.title, True) for f in found]
        return found
    if anywhere:
        for match in _LINK_ANYWHERE.finditer(text):
            before = text[: match.start()].lower()
            if re.search(r"\b(?:not|never|will be|may be|could be|might be|to be)\s*$", before):
                continue
            partial = bool(match["partial"]) or bool(_PARTIAL.search(before[-25:]))
            rest = text[match.end() :]
            targets = [
                t for t in _targets(_kind_of(match["word"]), rest, index, partial) if t.href or t.number
            ]
            found.extend(targets)
    return found


# --- Options ------------------------------------------------------------------------------------


@dataclass
class _Option:
    title: str
    description: list[str] = field(default_factory=list)
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)
    chosen: bool = False
    line: int = 0


_EMPTY_ITEM = re.compile(r"^(?:no\b.*\brecorded\.?|none(?:\s+recorded)?\.?|n/?a|tbd|…|\.\.\.)$", re.I)


def _option_title(text: str) -> tuple[str, str, bool]:
    """An option's title and description from its list item or heading, and whether it is marked chosen."""
    chosen = False
    box = _CHECKBOX.match(text)
    if box:
        chosen = box["mark"].lower() == "x"
        text = text[box.end() :]
    if re.search(r"\((?:chosen|selected|accepted|preferred|decision)\)|✅|✔️?|\[chosen\]", text, re.I):
        chosen = True
        text = re.sub(
            r"\s*(?:\((?:chosen|selected|accepted|preferred|decision)\)|✅|✔️?|\[chosen\])",
            "",
            text,
            flags=re.I,
        )
    description = ""
    bold = re.match(r"^\s*(?:\*\*|__)(?P<title>.+?)(?:\*\*|__)\s*[:.\-–—]?\s*(?P<rest>.*)$", text)
    if bold and bold["title"].strip():
        title, description = bold["title"], bold["rest"]
        if (
            re.fullmatch(r"(?:option|alternative|choice)\s*(?:\d+|[A-Z])\s*[:.]?", title.strip(), re.I)
            and description
        ):
            title, description = description, ""  # "**Option 2**: Buy it" is the option "Buy it"
    else:
        linked = re.match(r"^\s*\[(?P<title>[^\]]+)\]\((?P<href>#[^)]*)\)\s*[:.\-–—]?\s*(?P<rest>.*)$", text)
        if linked:
            title, description = linked["title"], linked["rest"]
        else:
            title = text
    title = _OPTION_LABEL.sub("", _plain(title).strip()) or _plain(title).strip()
    if not description:
        split = re.match(r"^(?P<title>[^:]{2,80}?)\s*(?::(?!//)|\s[-–—]\s)\s*(?P<rest>.{3,})$", title)
        if (
            split
            and split["title"].count("(") == split["title"].count(")")
            and not split["title"].endswith(("http", "https"))
        ):
            title, description = split["title"], split["rest"]
    return _unquote(title.strip().rstrip(".:")), description.strip(), chosen


def _read_option_body(option: _Option, lines: list[str]) -> None:
    mode = ""
    base_indent: int | None = None
    for line in lines:
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        text = bullet["text"].strip() if bullet else line.strip()
        plain = text
        if _PROS_HEAD.match(plain) or _PROS_HEAD.match(line.strip()):
            mode = "pros"
            continue
        if _CONS_HEAD.match(plain) or _CONS_HEAD.match(line.strip()):
            mode = "cons"
            continue
        inline_pros = re.match(
            r"^(?:\*\*|__)?(?:pros|advantages)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$", plain, re.I
        )
        inline_cons = re.match(
            r"^(?:\*\*|__)?(?:cons|disadvantages|drawbacks)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$",
            plain,
            re.I,
        )
        if inline_pros:
            option.pros.extend(_split_inline(inline_pros.group(1)))
            mode = "pros"
            continue
        if inline_cons:
            option.cons.extend(_split_inline(inline_cons.group(1)))
            mode = "cons"
            continue
        if bullet:
            if base_indent is None:
                base_indent = len(bullet["indent"])
            pro = re.match(
                r"^(?:(?:good|pro|plus)\s*[,:]|👍|✅|✔️?|\(\+\)|\[\+\])\s*(?:because\s*:?\s*)?(.+)$",
                text,
                re.I,
            )
            con = re.match(
                r"^(?:(?:bad|con|minus)\s*[,:]|👎|❌|✖️?|\(-\)|\[-\])\s*(?:because\s*:?\s*)?(.+)$", text, re.I
            )
            neutral = _NEUTRAL.match(text)
            if pro:
                option.pros.append(_plain(pro.group(1)))
                continue
            if con:
                option.cons.append(_plain(con.group(1)))
                continue
            if neutral:
                option.description.append(f"Neutral: {_plain(neutral.group(1))}")
                continue
            if _EMPTY_ITEM.match(_plain(text)):
                continue
            if mode == "pros":
                option.pros.append(_plain(text))
                continue
            if mode == "cons":
                option.cons.append(_plain(text))
                continue
        if re.match(r"^chosen\.?$", plain, re.I):
            option.chosen = True
            continue
        if re.match(r"^rejected,?\s+because", plain, re.I):
            option.description.append(plain)
            continue
        option.description.append(line.rstrip())


def _split_inline(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*;\s*", _plain(text)) if p.strip()]


def _options_from_list(doc: _Doc, start: int, end: int) -> list[_Option]:
    """Top-level list items (or "Option 1: …" paragraphs) between two lines, each with what is
    nested under it."""
    options: list[_Option] = []
    current: _Option | None = None
    body: list[str] = []
    top_indent: int | None = None

    def close() -> None:
        if current is not None:
            _read_option_body(current, body)

    for i in range(start, end):
        meta = doc.meta[i]
        line = doc.lines[i]
        bullet = _BULLET.match(meta)
        paragraph_option = _OPTION_PARAGRAPH.match(meta) if not bullet else None
        if bullet and top_indent is None:
            top_indent = len(bullet["indent"])
        is_top = bool(bullet) and len(bullet["indent"]) <= (top_indent or 0) + 1
        if (is_top and bullet) or paragraph_option:
            text = bullet["text"] if bullet else meta.strip()
            if (
                bullet
                and re.match(r"^(?:good|bad|neutral|pros?|cons?)\b\s*[,:]", _plain(text), re.I)
                and current
            ):
                body.append(line)
                continue
            close()
            title, description, chosen = _option_title(text)
            if not title or _EMPTY_ITEM.match(title):
                current = None
                body = []
                continue
            current = _Option(title, [description] if description else [], chosen=chosen, line=doc.lineno(i))
            options.append(current)
            body = []
        elif current is not None:
            if not meta.strip() and not line.strip():
                body.append("")
            elif line.startswith((" ", "\t")) or (bullet and not is_top) or line.strip():
                body.append(line)
    close()
    return options


def _merge_options(listed: list[_Option], detailed: list[_Option]) -> list[_Option]:
    result = list(listed)
    for position, extra in enumerate(detailed):
        key = normalize_title(extra.title)
        match = next((o for o in result if normalize_title(o.title) == key), None)
        if match is None:
            match = next(
                (
                    o
                    for o in result
                    if key
                    and normalize_title(o.title)
                    and (normalize_title(o.title).startswith(key) or key.startswith(normalize_title(o.title)))
                ),
                None,
            )
        if match is None and len(listed) == len(detailed):
            match = listed[position]
        if match is None:
            result.append(extra)
            continue
        match.description.extend(extra.description)
        match.pros.extend(p for p in extra.pros if p not in match.pros)
        match.cons.extend(c for c in extra.cons if c not in match.cons)
        match.chosen = match.chosen or extra.chosen
    return result


# --- The record ---------------------------------------------------------------------------------


def _title_and_number(raw: str) -> tuple[str, str | None, int | None]:
    """A heading without its numbering prefix ("4. ", "ADR 001: ", "ADR-0012 - "), and that number."""
    raw = _RECORD_PREFIX.sub("", raw, count=1) or raw
    match = _TITLE_NUMBER.match(raw)
    if match:
        rest = raw[match.end() :].strip()
        if rest:
            number = int(match["num1"] or match["num2"])
            return rest, match["id"].strip(), number
    return raw.strip(), None, None


def _file_number(path: str) -> tuple[str | None, int | None]:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    match = _FILE_NUMBER.match(stem)
    if not match:
        return None, None
    digits = match["num"]
    # A leading date (log4brains' 20200925-…) names a day, not a record's number.
    if len(digits) >= 6 and re.match(r"^(?:19|20|21)\d{2}[01]\d", digits):
        return None, None
    return match[0].rstrip("-_ ."), int(digits)


def title_from_filename(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem.lower() in ("index", "_index", "readme") and "/" in path:
        stem = posixpath.basename(posixpath.dirname(path))  # a page bundle: use-kafka/index.md
    stem = re.sub(r"^(?:(?:19|20|21)\d{6}|(?:adr|rfc|dr)?[-_ ]?\d{1,6})[-_ .]+", "", stem, flags=re.I)
    words = re.sub(r"[-_]+", " ", stem).strip() or stem
    return words[:1].upper() + words[1:]


def parse_record(text: str, *, path: str) -> ParsedRecord:
    """Read one decision record. `path` is its place in the folder (for the file-name fallbacks)."""
    text = clean_text(text)
    original = text
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    all_lines = text.split("\n")
    fm, fm_lines, skip = _front_matter(all_lines)
    content, meta = _mask(all_lines[skip:])
    doc = _Doc(content, meta, skip)
    _find_headings(doc)
    fence = all_lines[0].strip() if all_lines else ""
    if (
        fence in ("---", "+++")
        and skip == 0
        and not any(line.strip() in (fence, "...") for line in all_lines[1:300])
    ):
        doc.warn(0, "front matter is opened with '---' but never closed; read as text")

    # Title ----------------------------------------------------------------------------------
    title_heading = next((h for h in doc.headings if h.level == 1 and h.kind is None), None)
    number: int | None = None
    original_id: str | None = None
    if title_heading is not None:
        title, original_id, number = _title_and_number(title_heading.text)
    elif isinstance(fm.get("title"), str) and fm["title"]:
        title, original_id, number = _title_and_number(str(fm["title"]))
        doc.warnings.append(
            Warning(fm_lines.get("title", 1), "no level-1 heading; the title comes from the front matter")
        )
    else:
        first_known = next((h.index for h in doc.headings if h.kind), len(doc.lines))
        candidate = next((h for h in doc.headings if h.kind is None and h.index < first_known), None)
        if candidate is not None:
            title, original_id, number = _title_and_number(candidate.text)
            doc.warn(
                candidate.index,
                f"no level-1 heading; the title is taken from the level-{candidate.level} heading",
            )
        else:
            title = title_from_filename(path)
            doc.warnings.append(Warning(1, "no level-1 heading; the title is made from the file name"))
    file_id, file_number = _file_number(path)
    bare = re.match(r"^#?0*(\d{1,6})\s+(?=\S)", title) if number is None else None
    if bare and file_number is not None and int(bare.group(1)) == file_number:
        # "# 28 Repo scanning" in 028-repo-scanning.md: the file name confirms it is a number.
        original_id, number, title = bare.group(0).strip(), file_number, title[bare.end() :]
    if number is None and fm.get("id") and re.fullmatch(r"\D*0*\d{1,6}", str(fm["id"])):
        original_id = str(fm["id"])
        number = int(re.sub(r"\D", "", str(fm["id"])))
    if number is None and file_number is not None:
        original_id, number = file_id, file_number
    elif number is not None and file_number is not None and number != file_number:
        doc.warn(
            title_heading.index if title_heading else 0,
            f"the heading says number {number} but the file name says {file_number}; the file name's is kept",
        )
        original_id, number = file_id, file_number
    if len(title) > TITLE_MAX:
        doc.warn(
            title_heading.index if title_heading else 0,
            f"the title is longer than {TITLE_MAX} characters; cut",
        )
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    title_index = title_heading.index if title_heading else -1

    # Metadata: front matter, key-value lines before the first section, heading sections -------------
    first_section = next((h.index for h in doc.headings if h.kind), len(doc.lines))
    meta_values: dict[str, list[tuple[str, int]]] = {}

    def put(key: str, value: str, lineno: int) -> None:
        meta_values.setdefault(key, []).append((value, lineno))

    for key, value in fm.items():
        mapped = META_KEYS.get(key)
        if mapped:
            for item in value if isinstance(value, list) else [value]:
                if str(item).strip():
                    put(mapped, str(item), fm_lines.get(key, 1))
    preamble_used: set[int] = set()
    preamble_end = first_section
    for i in range(title_index + 1, preamble_end):
        line = doc.meta[i]
        match = _KV.match(line) if line.strip() else None
        if not match:
            continue
        key = re.sub(r"[\s_\-]+", " ", match["key"].strip().lower())
        mapped = META_KEYS.get(key)
        if mapped and mapped != "title":
            put(mapped, match["value"].strip(), doc.lineno(i))
            preamble_used.add(i)
    # key-value lines right under the title in the Nygard style ("Date: 2018-06-26") also count when
    # the first section comes before them (rare), so look at the status section's lines too below.

    status_found: list[_StatusFound] = []
    links: list[ParsedLink] = []
    context_parts: list[str] = []
    drivers: list[str] = []
    outcome_lines: list[str] = []
    confirmation: list[str] = []
    rationale: list[str] = []
    outcome_numbers: list[int] = []
    consequences: list[str] = []
    more_lines: list[int] = []
    option_ranges: list[tuple[int, int, str]] = []
    facts: dict[str, str] = {}

    for position, heading in enumerate(doc.headings):
        if heading.kind is None:
            continue
        end = _end_of(doc, position)
        own_end = _own_end(doc, position)
        body_range = range(heading.index + 1, own_end)
        if heading.kind == "status":
            if heading.inline:
                put("status_section", heading.inline, doc.lineno(heading.index))
            for i in range(heading.index + 1, end):
                line = doc.meta[i]
                if line.strip() and not _ATX.match(line):
                    kv = _KV.match(line)
                    key = META_KEYS.get(re.sub(r"[\s_\-]+", " ", kv["key"].strip().lower())) if kv else None
                    if kv and key in (
                        "date",
                        "deciders",
                        "consulted",
                        "informed",
                        "tags",
                        "updated",
                        "created",
                    ):
                        put(key, kv["value"], doc.lineno(i))
                        continue
                    put("status_section", line, doc.lineno(i))
                    more_lines.append(i)
        elif heading.kind in ("date", "deciders", "consulted", "informed"):
            values = [doc.meta[i].strip() for i in body_range if doc.meta[i].strip()]
            if heading.inline:
                values.insert(0, heading.inline)
            for value in values:
                bullet = _BULLET.match(value)
                put(heading.kind, bullet["text"] if bullet else value, doc.lineno(heading.index))
                if heading.kind == "date":
                    break
        elif heading.kind == "context":
            context_parts.append(_dedent_block(doc.lines[i] for i in range(heading.index + 1, end)))
        elif heading.kind == "drivers":
            drivers.append(_dedent_block(doc.lines[i] for i in range(heading.index + 1, end)))
        elif heading.kind in ("options", "proscons"):
            option_ranges.append((position, end, heading.kind))
        elif heading.kind == "outcome":
            sub_start = end
            for later in doc.headings[position + 1 :]:
                if later.index >= end:
                    break
                if later.kind in ("consequences", "confirmation", "more", "options", "proscons"):
                    sub_start = later.index
                    break
            outcome_lines.extend(doc.lines[i] for i in range(heading.index + 1, sub_start))
            outcome_numbers.extend(doc.lineno(i) for i in range(heading.index + 1, sub_start))
            outcome_lines.append("")
            outcome_numbers.append(doc.lineno(sub_start - 1))
        elif heading.kind == "consequences":
            level = (
                f"**{heading.text}**\n\n"
                if _norm(heading.text).split()[0] in ("positive", "negative")
                else ""
            )
            block = _dedent_block(doc.lines[i] for i in range(heading.index + 1, end))
            if block:
                consequences.append(level + block)
        elif heading.kind == "rationale":
            block = _dedent_block(doc.lines[i] for i in range(heading.index + 1, end))
            if block:
                rationale.append(block)
        elif heading.kind == "confirmation":
            block = _dedent_block(doc.lines[i] for i in range(heading.index + 1, end))
            if block:
                confirmation.append(block)
        elif heading.kind == "more":
            listing = _norm(heading.text) in RELATED_SECTIONS
            for i in range(heading.index + 1, end):
                more_lines.append(i)
                if listing and not _links_in_line(doc.meta[i], doc.lineno(i), anywhere=True):
                    # "## Related decisions" lists records by plain links: each relates to this one.
                    for match in _MD_LINK.finditer(doc.meta[i]):
                        href = match["href"].strip("<>")
                        if href and not href.startswith("#") and not re.match(r"^[a-z]+:", href, re.I):
                            text = _plain(match["text"]) or href
                            ref = _REF.search(text)
                            links.append(
                                ParsedLink(
                                    "relates_to",
                                    text,
                                    doc.lineno(i),
                                    href=href,
                                    number=int(ref["num"]) if ref else None,
                                    title=text,
                                )
                            )
                fact = re.match(
                    r"^\s*[-*+]\s+(?P<key>Key|Surface|Driver|Needed by|Opened on|Decided on|Tags)\s*:\s*(?P<value>.+)$",
                    doc.meta[i],
                )
                if fact:
                    facts[fact["key"].lower()] = fact["value"].strip()

    # Status ---------------------------------------------------------------------------------------
    adr_status: AdrStatus | None = None
    status_text: str | None = None
    status_line = 1
    for source in ("status", "status_section"):
        for value, lineno in meta_values.get(source, []):
            status, written = _status_of(value)
            if written is None:
                continue
            date = None
            lead = _DATE_LEAD.match(_plain(_unbullet(value)).strip())
            try:
                date = read_date(lead[0] if lead else value)
            except DateProblem:
                date = None
            is_link_only = (
                bool(_LINK_LEAD.match(re.sub(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?", "", value))) and status is None
            )
            if is_link_only:
                continue
            if status is None and re.match(
                r"^(?:amends|amended by|relates to|related to|see also|supersedes)\b", written, re.I
            ):
                continue
            status_found.append(_StatusFound(status, written, lineno, date, None if status else written))
        if status_found:
            break
    known = [s for s in status_found if s.status is not None]
    chosen_status: _StatusFound | None = None
    if known:
        dated = [s for s in known if s.date is not None]
        chosen_status = max(dated, key=lambda s: (s.date.value, s.index)) if dated else known[-1]  # type: ignore[union-attr]
    elif status_found:
        chosen_status = status_found[0]
    if chosen_status is not None:
        adr_status = chosen_status.status
        status_text = chosen_status.text[:200]
        status_line = chosen_status.index
        if adr_status is None:
            lowered = status_text.lower()
            if lowered in _LOG_ONLY or lowered.split()[0] in _LOG_ONLY:
                doc.warnings.append(
                    Warning(
                        status_line,
                        f"status '{status_text}' is not an ADR status; kept as written, imported as {lowered.split()[0]}",
                    )
                )
            else:
                doc.warnings.append(
                    Warning(
                        status_line,
                        f"status '{status_text}' is not one the log knows; kept as written, imported as a draft",
                    )
                )
    else:
        doc.warnings.append(Warning(1, "no status found; imported as a draft"))

    # Links -----------------------------------------------------------------------------------------
    link_keys = {
        "superseded_by": "superseded_by",
        "supersedes": "supersedes",
        "amends": "amends",
        "amended_by": "amended_by",
        "relates_to": "relates_to",
    }
    for key, kind in link_keys.items():
        for value, lineno in meta_values.get(key, []):
            if key == "relates_to" and not value.strip():
                continue
            links.extend(_targets(kind, value, lineno, bool(_PARTIAL.search(value))))  # type: ignore[arg-type]
    for value, lineno in meta_values.get("status", []) + meta_values.get("status_section", []):
        links.extend(_links_in_line(value, lineno, anywhere=True))
    scanned = {doc.lineno(i) for i in preamble_used}
    scanned |= {lineno for key in link_keys for _, lineno in meta_values.get(key, [])}
    scanned |= {lineno for _, lineno in meta_values.get("status_section", [])}
    in_more = set(more_lines)
    for i, line in enumerate(doc.meta):
        if not line.strip() or doc.lineno(i) in scanned or i == title_index:
            continue
        if _ATX.match(line):
            continue
        links.extend(_links_in_line(line, doc.lineno(i), anywhere=i in in_more or i < first_section))
    unique: dict[tuple[str, str], ParsedLink] = {}
    for link in links:
        key = (
            link.kind,
            (link.href or "").split("#")[0] or str(link.number or "") or (link.title or "").lower(),
        )
        if key not in unique or (link.partial and not unique[key].partial):
            unique[key] = link
    links = list(unique.values())
    if adr_status == "superseded" and not any(link.kind == "superseded_by" for link in links) and status_text:
        # "Superseded by ADR 12" written as the status itself.
        rest = re.sub(
            r"^(?:partially\s+|partly\s+)?(?:superseded|superceded|superseeded|replaced)\s*(?:in part\s*)?(?:by)?\s*:?\s*",
            "",
            status_text,
            flags=re.I,
        )
        if rest and rest != status_text:
            links.extend(_targets("superseded_by", rest, status_line, bool(_PARTIAL.search(status_text))))

    status_lines = {
        lineno
        for key in ("status", "status_section", "superseded_by")
        for _, lineno in meta_values.get(key, [])
    }
    if adr_status == "accepted" and any(
        link.kind == "superseded_by" and not link.partial and link.line in status_lines for link in links
    ):
        adr_status = "superseded"  # "Accepted (superseded by ADR 9)": superseded since

    # Date ------------------------------------------------------------------------------------------
    date: ParsedDate | None = None
    date_text: str | None = None
    candidates = meta_values.get("date", [])
    if not candidates and chosen_status is not None and chosen_status.date is not None:
        date = chosen_status.date
        date_text = chosen_status.text
    for value, lineno in candidates:
        date_text = _plain(value)[:100]
        try:
            date = read_date(value)
        except DateProblem as problem:
            doc.warnings.append(Warning(lineno, f"date {problem}"))
            date = None
        if date is not None or date_text:
            break
    if date is None and not candidates and not (chosen_status and chosen_status.date):
        # A "Date: …" line further down (after the first section) still dates the record.
        for i, line in enumerate(doc.meta):
            kv = _KV.match(line) if line.strip() and i not in preamble_used else None
            if kv and META_KEYS.get(re.sub(r"[\s_\-]+", " ", kv["key"].strip().lower())) == "date":
                meta_values.setdefault("late_date", []).append((kv["value"], doc.lineno(i)))
                break
    if date is None and not candidates and not (chosen_status and chosen_status.date):
        for value, lineno in (
            meta_values.get("late_date", []) + meta_values.get("updated", []) + meta_values.get("created", [])
        ):
            try:
                date = read_date(value)
            except DateProblem as problem:
                doc.warnings.append(Warning(lineno, f"date {problem}"))
                continue
            if date:
                date_text = _plain(value)[:100]
                break

    # People and tags ---------------------------------------------------------------------------
    people: dict[str, tuple[str, ...]] = {}
    for key in ("deciders", "consulted", "informed"):
        names: list[str] = []
        for value, _ in meta_values.get(key, []):
            names.extend(_split_people(value))
        people[key] = tuple(dict.fromkeys(names))
    tags = tuple(
        dict.fromkeys(
            t for value, _ in meta_values.get("tags", []) for t in re.split(r"\s*,\s*", _unquote(value)) if t
        )
    )

    # Context -------------------------------------------------------------------------------------
    context = "\n\n".join(p for p in context_parts if p)
    if not context:
        preamble = [
            doc.lines[i]
            for i in range(title_index + 1, first_section)
            if i not in preamble_used and not (_ATX.match(doc.meta[i]) and doc.meta[i].strip())
        ]
        context = _dedent_block(preamble)
    if drivers:
        context = (context + "\n\n" if context else "") + "**Decision drivers**\n\n" + "\n\n".join(drivers)

    # Options -------------------------------------------------------------------------------------
    listed: list[_Option] = []
    detailed: list[_Option] = []
    for position, end, kind in option_ranges:
        heading = doc.headings[position]
        subs = [h for h in doc.headings[position + 1 :] if h.index < end]
        first_sub = subs[0].index if subs else end
        from_list = _options_from_list(doc, heading.index + 1, first_sub)
        sub_level = min((h.level for h in subs), default=0)
        for sub in subs:
            if sub.level != sub_level or sub.kind in ("outcome", "consequences", "more", "status"):
                continue
            sub_position = doc.headings.index(sub)
            sub_end = _end_of(doc, sub_position)
            option_title, description, chosen = _option_title(sub.text)
            option = _Option(
                option_title, [description] if description else [], chosen=chosen, line=doc.lineno(sub.index)
            )
            _read_option_body(
                option,
                [
                    doc.lines[i]
                    for i in range(sub.index + 1, sub_end)
                    if not _ATX.match(doc.meta[i]) or not doc.meta[i].strip()
                ],
            )
            detailed.append(option)
        if kind == "options" and not listed:
            listed = from_list
        elif from_list:
            detailed = from_list + detailed if kind == "proscons" and not subs else detailed
            if kind == "options":
                listed = _merge_options(listed, from_list)
    options = _merge_options(listed, detailed) if listed else _merge_options(detailed, [])

    # Outcome ---------------------------------------------------------------------------------------
    chosen_title: str | None = None
    justification = ""
    decision_text = _dedent_block(outcome_lines)
    search_lines = outcome_lines if outcome_lines else []
    chosen_at: int | None = None
    chosen_line = 1
    for offset, line in enumerate(search_lines):
        lowered = line.lower()
        hinted = "chosen" in lowered or "selected" in lowered or "preferred" in lowered or "picked" in lowered
        match = _CHOSEN.search(_strip_lead(line)) if hinted else None
        if match:
            chosen_title, because = _split_chosen(match["rest"])
            chosen_at = offset
            chosen_line = outcome_numbers[offset] if offset < len(outcome_numbers) else 1
            rest_lines = [because] if because else []
            rest_lines += search_lines[offset + 1 :]
            justification = _dedent_block(rest_lines)
            justification = re.sub(r"^[:\s]+", "", justification)
            if not because:
                # 'Chosen option: "X",' with "because …" on the next line.
                justification = re.sub(r"^because\b[\s:]*", "", justification, flags=re.I)
                justification = justification[:1].upper() + justification[1:]
            break
    if chosen_title is None:
        for i, line in enumerate(doc.meta):
            lowered = line.lower()
            hinted = (
                "chosen" in lowered or "selected" in lowered or "preferred" in lowered or "picked" in lowered
            )
            match = _CHOSEN.search(_strip_lead(line)) if hinted else None
            if match and re.match(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*chosen", line, re.I):
                chosen_title, because = _split_chosen(match["rest"])
                justification = because
                chosen_line = doc.lineno(i)
                break
    if chosen_title is not None:
        matched = _match_option(options, chosen_title)
        if matched is None and options:
            flagged = [o for o in options if o.chosen]
            if len(flagged) == 1:
                matched = flagged[0]
        if matched is None:
            line_no = chosen_line
            options.append(_Option(chosen_title, chosen=True, line=line_no))
            if options[:-1]:
                doc.warnings.append(
                    Warning(
                        line_no,
                        f"the chosen option '{chosen_title}' is not among the considered options; added to them",
                    )
                )
        else:
            for option in options:
                option.chosen = option is matched
            chosen_title = matched.title
    else:
        flagged = [o for o in options if o.chosen]
        named = _CHOSEN_BY_LABEL.search(decision_text) or _CHOSEN_BY_LABEL_AFTER.search(decision_text)
        if not flagged and named and options:
            label = named.group("label")
            index = int(label) - 1 if label.isdigit() else ord(label.upper()) - ord("A")
            if 0 <= index < len(options):
                options[index].chosen = True
                flagged = [options[index]]
        if len(flagged) == 1:
            chosen_title = flagged[0].title
        elif len(flagged) > 1:
            for option in flagged:
                option.chosen = False
            doc.warnings.append(
                Warning(flagged[1].line, "more than one option is marked chosen; none is kept as chosen")
            )
    if chosen_at is not None:
        decision_text = _dedent_block(search_lines[:chosen_at]) if chosen_at else ""
    consequence_text = "\n\n".join(consequences).strip()
    if rationale:
        justification = "\n\n".join([justification, *rationale]).strip()
    if confirmation:
        justification = (
            (justification + "\n\n" if justification else "")
            + "**Confirmation**\n\n"
            + "\n\n".join(confirmation)
        )

    parsed_options: list[ParsedOption] = []
    for option in options:
        title_value = option.title
        if len(title_value) > TITLE_MAX:
            doc.warnings.append(
                Warning(option.line or 1, f"an option's title is longer than {TITLE_MAX} characters; cut")
            )
            title_value = title_value[: TITLE_MAX - 1] + "…"
        parsed_options.append(
            ParsedOption(
                title=title_value,
                description=_dedent_block(option.description),
                pros=tuple(p for p in option.pros if p),
                cons=tuple(c for c in option.cons if c),
                chosen=option.chosen,
            )
        )

    warnings = sorted(doc.warnings, key=lambda w: w.line)
    return ParsedRecord(
        path=path,
        title=title,
        original_id=original_id,
        number=number,
        adr_status=adr_status,
        status_as_written=status_text,
        date=date,
        date_as_written=date_text,
        deciders=people["deciders"],
        consulted=people["consulted"],
        informed=people["informed"],
        tags=tags,
        context=context,
        decision=decision_text,
        justification=justification,
        consequences=consequence_text,
        options=tuple(parsed_options),
        chosen_option=chosen_title,
        links=tuple(links),
        warnings=tuple(warnings),
        text=original,
        facts=facts,
    )


def _strip_lead(line: str) -> str:
    return re.sub(r"^\s*(?:[-*+>]\s+)?(?:\*\*|__)?", "", line)


def _split_chosen(rest: str) -> tuple[str, str]:
    """'"Option A", because it is cheap' -> ("Option A", "it is cheap")."""
    rest = rest.strip()
    rest = re.sub(r"^(?:\*\*|__)\s*", "", rest)
    match = None
    if rest[:1] in _QUOTES:
        close = re.compile(
            rf"[{_QUOTES}]\s*(?:\*\*|__)?\s*(?=(?:,|;|\s)\s*because\b|[.;,]?\s*$|\.\s)", re.I
        ).search(rest, 1)
        if close is not None:
            match = re.match(r"^.(?P<title>.*)$", rest[: close.start()], re.S)
            tail = rest[close.end() :]
            if match:
                title = _plain(match["title"]).strip().rstrip(",.")
                because = re.match(r"^[,.;:]?\s*because\b[\s:]*(?P<why>.*)$", tail.strip(), re.I | re.S)
                why = because["why"].strip() if because else tail.lstrip(",.;: ").strip()
                return title, (why[0].upper() + why[1:]) if why else ""
    if not match:
        match = re.match(r"^\[(?P<title>[^\]]+)\]\([^)]*\)(?P<rest>.*)$", rest)
    if not match:
        match = re.match(
            r"^(?:\*\*|__)?(?P<title>.+?)(?:\*\*|__)?(?P<rest>(?:\s*,\s*|\s+)because\b.*|[.]\s.*|\.?)$",
            rest,
            re.I,
        )
    if not match:
        return _plain(rest).rstrip("."), ""
    title = _plain(match["title"]).strip().rstrip(",.")
    tail = match["rest"].strip()
    because = re.match(r"^(?:\*\*|__)?[,.;:]?\s*because\b[\s:]*(?P<why>.*)$", tail, re.I | re.S)
    why = because["why"].strip() if because else tail.lstrip(",.;: ").strip()
    if why:
        why = why[0].upper() + why[1:]
    return title, why


def _match_option(options: list[_Option], title: str) -> _Option | None:
    found = _match_option_exactly(options, title)
    label = _OPTION_LABEL.match(title)
    if found is None and label:
        found = _match_option_exactly(options, title[label.end() :])
        number = re.search(r"\d+", label[0])
        if found is None and number and 1 <= int(number[0]) <= len(options):
            found = options[int(number[0]) - 1]
    return found


def _match_option_exactly(options: list[_Option], title: str) -> _Option | None:
    key = normalize_title(title)
    if not key:
        return None
    for option in options:
        if normalize_title(option.title) == key:
            return option
    candidates = [
        o
        for o in options
        if normalize_title(o.title)
        and (normalize_title(o.title).startswith(key) or key.startswith(normalize_title(o.title)))
    ]
    if len(candidates) == 1:
        return candidates[0]
    number = re.match(r"^(?:option|alternative)\s*(\d+)$", key)
    if number and 1 <= int(number.group(1)) <= len(options):
        return options[int(number.group(1)) - 1]
    return None
