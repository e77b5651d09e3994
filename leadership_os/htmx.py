"""The one helper that decides between a full page and one named fragment of the same template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx request wants a fragment, not a page, unless it is a boosted navigation or htmx
    restoring a page from history after Back (it needs the whole page then)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render `template` whole, or `template#partial` for an htmx request that targets that region."""
    name = f"{template}#{partial}" if partial and is_fragment_request(request) else template
    return render(request, name, context or {}, status=status)
