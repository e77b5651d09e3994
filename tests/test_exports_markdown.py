"""Exports say in Markdown what the product shows: a Markdown field keeps its Markdown with raw HTML
shown as text (as the product's renderer shows it), a plain field shows its very characters, and
every download is an attachment the browser may not sniff into a page. The same files opened in
a viewer that renders raw HTML are checked in Chromium in tests/browser/test_exports_in_viewers.py."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from leadership_os.markdown import markdown_for_export, markdown_plain, render_markdown
from tests.briefs.factories import BriefFactory, EngagementFactory
from tests.context_repo.xss import VECTORS, problems_in_fragment
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db

RAW_HTML_VIEWER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Markdown with code that must stay as written, and HTML that must not.
MARKDOWN = [
    *VECTORS,
    "Keep `Vec<T>` and `a < b` as code, but not <b>this</b>.",
    "| a | b |\n|---|---|\n| `x|<script>alert(1)</script>|` | y |",
    "[a](x`y) <img src=x onerror=alert(1)> `",
    "``<b>`` and ` `` <i>still code</i> `` `",
    "- a list\n\n      <script>alert(1)</script>\n\n  <img src=x onerror=alert(1)>",
    "<https://example.com/a?b=c> and <mailto:a@example.com> stay links.",
    "Text &lt;script&gt; stays text, \\<b> too.",
]


def _text(rendered: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", rendered))).strip()


@pytest.mark.parametrize("text", MARKDOWN)
def test_a_markdown_field_exports_to_what_the_product_shows(text) -> None:
    exported = markdown_for_export(text)
    # The product renders the export exactly as it renders the field...
    assert render_markdown(exported) == render_markdown(text)
    # ...and a viewer that renders raw HTML gets nothing executable out of it (a Markdown image of
    # a web address is an image there, as Markdown means it).
    problems = problems_in_fragment(RAW_HTML_VIEWER.render(exported))
    assert [p for p in problems if p != "<img> element"] == []
    for token in RAW_HTML_VIEWER.parse(exported):
        assert token.type != "html_block"
        assert all(child.type != "html_inline" for child in token.children or [])


@pytest.mark.parametrize(
    "text", [*VECTORS, "**not bold** _nor_ `code`", "# not a heading", "1. not a list", "a | b"]
)
def test_a_plain_field_exports_to_its_very_characters(text) -> None:
    one_line = " ".join(line.strip() for line in text.splitlines() if line.strip())
    exported = markdown_plain(text, one_line=True)
    assert "\n" not in exported
    assert _text(RAW_HTML_VIEWER.render(exported)) == re.sub(r"\s+", " ", one_line)
    assert _text(render_markdown(exported)) == re.sub(r"\s+", " ", one_line)


def test_the_vectors_do_run_in_such_a_viewer_when_not_escaped() -> None:
    """The check above can fail: the same vectors, written as they are, give executable HTML."""
    executable = [v for v in VECTORS if problems_in_fragment(RAW_HTML_VIEWER.render(v))]
    assert len(executable) > 40


def test_every_download_is_an_attachment_the_browser_may_not_sniff(cos_client) -> None:
    decision = DecisionFactory()
    engagement = EngagementFactory()
    BriefFactory(engagement=engagement)
    downloads = [
        f"/decisions/{decision.key}/export.md",
        "/decisions/export.zip",
        f"/briefs/{engagement.pk}/export.md",
        "/workstreams/export.csv",
    ]
    for url in downloads:
        response = cos_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment; filename="), url
        assert response["X-Content-Type-Options"] == "nosniff", url
