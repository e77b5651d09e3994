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
