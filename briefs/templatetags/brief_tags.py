"""Template helpers of the briefs screens."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def relative_day(moment: dt.datetime | dt.date | None) -> str:
    """ "Today", "Tomorrow", "Yesterday", "In 3 days", "5 days ago", or the date beyond two weeks."""
    if moment is None:
        return ""
    day = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    delta = (day - timezone.localdate()).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta == -1:
        return "Yesterday"
    if 1 < delta <= 14:
        return f"In {delta} days"
    if -14 <= delta < -1:
        return f"{-delta} days ago"
    return f"{day:%-d %b %Y}"
