"""No user input reaches a page unescaped: every `|markdown` is on a Markdown field, no `|safe` or
`{% autoescape off %}` in any template, and `mark_safe` only where the result was sanitized or escaped.

A new use must be added to an allow-list below with the reason it is safe, so that a reviewer sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["leadership_os", "decisions", "workstreams", "briefs", "rhythms", "context_repo"]

# The attribute names a `|markdown` filter may be applied to (the last part of the variable).
MARKDOWN_ATTRIBUTES = {"body", "context", "reasoning", "notes"}
# (template path relative to the project, the expression before `|safe`) -> why it is safe.
SAFE_ALLOWED: dict[tuple[str, str], str] = {}
# Python modules allowed to call mark_safe, and why.
MARK_SAFE_ALLOWED = {
    "leadership_os/markdown.py": "the output of nh3, after rendering",
    "context_repo/search.py": "highlights and snippets built from escaped pieces and <mark> tags",
    "leadership_os/widgets.py": "a <select> whose every value and label is escaped",
}


def _templates() -> list[Path]:
    found = list((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        found.extend((ROOT / app / "templates").rglob("*.html"))
    return sorted(found)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_scan_sees_the_templates() -> None:
    names = {_relative(p) for p in _templates()}
    assert "templates/base.html" in names
    assert "templates/context_repo/entry_detail.html" in names


def test_markdown_is_only_applied_to_markdown_fields() -> None:
    uses = []
    for path in _templates():
        for match in re.finditer(r"([\w.]+)\s*\|\s*markdown\b", path.read_text(encoding="utf-8")):
            uses.append((_relative(path), match.group(1)))
    assert uses, "no |markdown use found: the scan is broken"
    wrong = [(where, expr) for where, expr in uses if expr.rsplit(".", 1)[-1] not in MARKDOWN_ATTRIBUTES]
    assert wrong == [], f"|markdown on something that is not a Markdown field: {wrong}"


def test_no_template_marks_anything_safe() -> None:
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"([\w.\"']+)\s*\|\s*safe(seq)?\b", text):
            key = (_relative(path), match.group(1))
            if key not in SAFE_ALLOWED:
                found.append(key)
        if re.search(r"{%\s*autoescape\s+off\s*%}", text):
            found.append((_relative(path), "{% autoescape off %}"))
    assert found == [], f"user data could reach the page unescaped: {found}"


def test_mark_safe_is_only_called_where_the_html_was_sanitized_or_escaped() -> None:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if (
                re.search(r"\bmark_safe\(|\bSafeString\(|\bSafeText\(", text)
                and _relative(path) not in MARK_SAFE_ALLOWED
            ):
                found.append(_relative(path))
    assert found == [], f"mark_safe outside the allow-list: {found}"
