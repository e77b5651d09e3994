"""The one helper that decides between a full page and one named fragment of the same template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


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


def safe_next(request: HttpRequest, *, within: str = "/") -> str:
    """The `next` address of a request if it is a path of this site under `within`, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith(within)
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return ""
