"""The one safe Markdown renderer for every Markdown field of the product.

CommonMark through markdown-it-py (raw HTML disabled), then sanitized with nh3 after rendering,
so no script, event handler, style or `javascript:`/`data:` link survives, whatever was typed.
Links are checked twice on purpose: markdown-it refuses a destination whose scheme is not allowed,
and nh3 checks again every `href` that reaches the HTML, after decoding entities, percent-escapes
and the whitespace and control characters browsers ignore inside a scheme.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# What a browser ignores or folds while reading a URL's scheme: ASCII whitespace and control characters.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def is_safe_url(url: str) -> bool:
    """True for a relative URL or one whose scheme is allowed, however the scheme is disguised
    (entities, percent-escapes, mixed case, embedded tabs and newlines)."""
    value = url
    for _ in range(3):  # entities and percent-escapes may be nested a few levels deep
        decoded = unquote(html.unescape(value))
        if decoded == value:
            break
        value = decoded
    value = _IGNORED_IN_SCHEME.sub("", value)
    match = _SCHEME.match(value)
    if match is None:
        # No scheme: relative, unless something that looks like a scheme hides behind odd characters.
        head = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return ":" not in head
    return match.group(1).lower() in ALLOWED_SCHEMES


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not is_safe_url(value):
        return None
    return value


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.validateLink = is_safe_url  # refuse a bad destination before it becomes a link at all
    return md


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown `text` to sanitized HTML that is safe to put on a page as it is."""
    if not text:
        return mark_safe("")
    rendered = _parser().render(str(text))
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308  (sanitized by nh3 just above)


def markdown_text(text: str | None) -> str:
    """The words of Markdown `text` as plain text (no markup), for search and excerpts. Not HTML:
    whoever shows it must escape it, as templates do."""
    if not text:
        return ""
    blocks: list[str] = []
    for token in _parser().parse(str(text)):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            blocks.append("".join(parts))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block.strip())


# Exports ---------------------------------------------------------------------------------------------
# A Markdown file leaves the product and is opened in viewers that pass raw HTML through (static-site
# ADR tools, many editors). The product itself never renders raw HTML: in a Markdown field it shows
# as text, and a plain field is text throughout. So an export says in Markdown what the product
# shows: every `<` that could open raw HTML is escaped, and plain text is escaped whole.

# A CommonMark autolink (`<https://…>`, `<name@example.com>`); one with a backtick is not kept, so
# that no code span can start inside it.
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+\-]{1,31}:[^\s<>`\x00-\x1f]*"
    r"|[a-zA-Z0-9.!#$%&'*+/=?^_{|}~\-]+@[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?)*)>"
)
_BACKTICKS = re.compile(r"`+")
# Characters that make Markdown of plain text; `#`, `>`, `+`, `-`, `=` and `1.` only at a line's start.
_PLAIN_SPECIAL = re.compile(r"([\\`*_\[\]<|~]|&(?=#?[A-Za-z0-9]+;))")
_PLAIN_LINE_START = re.compile(r"^(\s*\d*)([#>+\-=.)])")


@lru_cache(maxsize=1)
def _raw_html_parser() -> MarkdownIt:
    """How a viewer that renders raw HTML reads Markdown: the product's syntax with HTML on."""
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")


def _viewer_differs(text: str) -> bool:
    """True if a viewer that renders raw HTML would find HTML in `text`, or a link or image whose
    address the product refuses (and so shows as text)."""
    for token in _raw_html_parser().parse(text):
        if token.type == "html_block":
            return True
        for child in token.children or []:
            if child.type == "html_inline":
                return True
            address = child.attrGet("href") or child.attrGet("src")
            if child.type in ("link_open", "image") and not is_safe_url(str(address or "")):
                return True
    return False


def _code_lines(text: str) -> set[int]:
    """The lines (from 0) inside fenced or indented code blocks, as the product's renderer sees them."""
    lines: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _escape_line(line: str, *, keep_code_spans: bool, links: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            out.append(line[i : i + 2])
            i += 2
        elif char == "`" and keep_code_spans:
            run = _BACKTICKS.match(line, i)
            assert run is not None
            closing = re.compile(rf"(?<!`){run.group()}(?!`)").search(line, run.end())
            end = closing.end() if closing else run.end()
            out.append(line[i:end])
            i = end
        elif char == "[" and not links:
            out.append("\\[")
            i += 1
        elif char == "<":
            link = _AUTOLINK.match(line, i)
            if link and is_safe_url(link.group()[1:-1]):
                out.append(link.group())
                i = link.end()
            else:
                out.append("\\<")
                i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _escape_outside_code(text: str, *, keep_code_spans: bool, links: bool) -> str:
    code = _code_lines(text)
    lines = text.split("\n")
    return "\n".join(
        line if n in code else _escape_line(line, keep_code_spans=keep_code_spans, links=links)
        for n, line in enumerate(lines)
    )


def markdown_for_export(text: str | None) -> str:
    """Markdown `text` for a file: what the product renders from it, with raw HTML shown as the
    text it is (`\\<script>`), so that a viewer rendering raw HTML shows the same and runs nothing.
    Code blocks and code spans stay as written, unless a viewer could read HTML out of them; links
    stay links, unless one goes where the product refuses to link (then brackets are text too)."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    for keep_code_spans, links in ((True, True), (False, True), (True, False), (False, False)):
        escaped = _escape_outside_code(text, keep_code_spans=keep_code_spans, links=links)
        if not _viewer_differs(escaped):
            return escaped
    # Only reached if a viewer could still find HTML: then no `<` is left anywhere, code included.
    return text.replace("&", "&amp;").replace("<", "&lt;")


def markdown_plain(text: str | None, *, one_line: bool = False) -> str:
    """Plain `text` (a title, a name, a position) as Markdown that shows exactly those characters:
    no emphasis, link, HTML or list is made of them. `one_line` joins lines with spaces, for a
    heading, a list item or a table cell."""
    if not text:
        return ""
    lines = [line.strip() for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if one_line:
        lines = [" ".join(line for line in lines if line)]
    escaped = []
    for line in lines:
        line = _PLAIN_SPECIAL.sub(r"\\\1", line)
        escaped.append(_PLAIN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1))
    return "\n".join(escaped)
