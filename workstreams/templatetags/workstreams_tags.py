"""Template helpers of the workstreams screens: links to the records a row points at, and days said
the way a person says them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


def _first_reverse(names: list[str], arg: Any, fallback: str) -> str:
    for name in names:
        try:
            return reverse(name, args=[arg])
        except NoReverseMatch:
            continue
    return fallback


@register.filter
def decision_url(decision: Any) -> str:
    """A decision's page (DESIGN.md's stable address `/decisions/<key>/`)."""
    key = getattr(decision, "key", decision)
    return _first_reverse(["decisions:decision_detail"], key, f"/decisions/{key}/")


@register.filter
def engagement_url(engagement: Any) -> str:
    return _first_reverse(
        ["briefs:engagement_detail", "briefs:brief_detail"], engagement.pk, f"/briefs/{engagement.pk}/"
    )


@register.filter
def ritual_url(ritual: Any) -> str:
    return _first_reverse(["rhythms:ritual_detail"], ritual.pk, f"/rhythms/{ritual.pk}/")


@register.filter
def days_until(days: int | None) -> str:
    """-3 → "3 days overdue", -1 → "1 day overdue", 0 → "today", 1 → "tomorrow", 4 → "in 4 days"."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


@register.filter
def days_ago(days: int | None) -> str:
    """0 → "today", 1 → "yesterday", 9 → "9 days ago"."""
    if days is None:
        return ""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@register.filter
def day_count(days: int | None) -> str:
    """A duration: 0 → "since today", 1 → "1 day", 6 → "6 days"."""
    if days is None:
        return ""
    if days <= 0:
        return "since today"
    return f"{days} day{'s' if days != 1 else ''}"


@register.simple_tag
def days_between(start: Any, end: Any) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).days)


@register.filter
def first_name(name: str | None) -> str:
    """The first word of a person's name, for the densest places."""
    return (name or "").split(" ", 1)[0]
