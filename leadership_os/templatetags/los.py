"""Template helpers shared by every screen."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from leadership_os.markdown import markdown_for_export, markdown_plain, render_markdown

register = template.Library()

NAV = [
    ("dashboard", "Today"),
    ("radar", "Radar"),
    ("queue", "Queue"),
    ("decisions:decision_list", "Decisions"),
    ("workstreams:workstream_list", "Workstreams"),
    ("briefs:engagement_list", "Briefs"),
    ("rhythms:calendar", "Rhythms"),
    ("context_repo:entry_list", "Context"),
    ("people:person_list", "People"),
    ("intake:inbox", "Intake"),
]
# Pages in the navigation only for those who may open them.
NAV_PERMS = {"intake:inbox": "leadership_os.edit_all"}


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.inclusion_tag("components/nav.html", takes_context=True)
def main_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The shell's navigation: the pages that exist, the current one marked."""
    request = context.get("request")
    current = request.path if request else ""
    items = []
    user = context.get("user")
    for name, label in NAV:
        if name in NAV_PERMS and not (user is not None and user.has_perm(NAV_PERMS[name])):
            continue
        url = _reverse_or_none(name)
        if url is None:
            continue
        active = current == url if url == "/" else current.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {"items": items}


@register.simple_tag
def url_if_exists(name: str, *args: Any) -> str:
    """The address of a URL name (with its arguments), or "" while no app provides it yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def markdown(text: str | None) -> SafeString:
    return render_markdown(text)


# For Markdown files (exports), rendered with autoescape off: a Markdown field as the product shows
# it, and plain text on one line or on several, escaped so that Markdown makes nothing of it.
@register.filter
def md_export(text: str | None) -> str:
    return markdown_for_export(text)


@register.filter
def md_text(text: object) -> str:
    return markdown_plain("" if text is None else str(text), one_line=True)


@register.filter
def md_lines(text: object) -> str:
    return markdown_plain("" if text is None else str(text))


@register.filter
def days_since(value: dt.date | None) -> int | None:
    if value is None:
        return None
    return (timezone.localdate() - value).days


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None or '' removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k in params for v in params.getlist(k)))
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any) -> SafeString:
    """The panels other apps registered for `slot` (leadership_os.panels), rendered for `obj`."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html_join

    from leadership_os import panels as registry

    parts = []
    for name, provider in registry.for_slot(slot):
        extra = provider(obj)
        if extra is not None:
            parts.append((render_to_string(name, extra, request=context.get("request")),))
    # Each part is a rendered, auto-escaped template: format_html keeps it as it is.
    return format_html_join("", "{}", parts)
