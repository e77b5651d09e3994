"""Pages of a long, ordered list read in two steps: first the keys of the page's rows, in the list's
order (a narrow read that an index can answer, or that sorts only keys and sort columns), then
those rows whole, with what they select and prefetch. A single read would sort every matching row
whole (a decision's context and reasoning included) to keep twenty-five of them."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """Django's paginator over a queryset, each page read keys first (see the module)."""

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
