"""Template helpers of the context screens."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import Truncator

from leadership_os.markdown import markdown_text

register = template.Library()


@register.filter
def excerpt(markdown: str | None, length: int = 220) -> str:
    """The first words of a Markdown body as plain text (escaped by the template like any text)."""
    text = " ".join(markdown_text(markdown).split())
    return Truncator(text).chars(int(length))


@register.filter
def decision_url(decision: Any) -> str:
    """A decision's page, at its stable address (DESIGN.md)."""
    return f"/decisions/{decision.key}/"


@register.filter
def workstream_url(workstream: Any) -> str:
    return f"/workstreams/{workstream.key}/"
