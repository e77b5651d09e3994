"""What a storable value is: the one definition every way in (org files, forms, imports, intake) uses.

A value accepted anywhere must be writable on both databases the product runs on. SQLite stores
almost anything; PostgreSQL refuses a NUL character in text, an integer past 32 bits in an
`integer` column, and a date-time whose UTC value leaves the year range once the time zone is
applied. So the product draws its own, narrower lines and checks them before anything is written:

- dates and date-times from `MIN_YEAR` to `MAX_YEAR` (1900 to 2200), both included;
- key numbers (`D-42`'s 42) from 1 to `MAX_KEY_NUMBER` (what a PostgreSQL `integer` holds);
- text without NUL characters and without lone surrogates (which no UTF-8 database stores).

Each `*_problem` function answers `None` for a storable value or a short reason ("contains a NUL
character") that callers put after the value's place. `StorableFormMixin` applies the same checks to
every field of a Django form, so a form cannot accept what the org file reader would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

MIN_YEAR = 1900
MAX_YEAR = 2200
MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)
MAX_KEY_NUMBER = 2_147_483_647
# Beyond this many days from an anchor a relative date cannot name a storable day anyway.
MAX_RELATIVE_DAYS = (MAX_DATE - MIN_DATE).days

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return "contains a NUL character"
    if _SURROGATE.search(value):
        return "contains an unpaired surrogate (not valid Unicode)"
    return None


def clean_text(value: str) -> str:
    """`value` with what no database stores removed: for extracted text, never for what a person typed."""
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))


def date_problem(value: dt.date) -> str | None:
    """Why the date (or the date of a date-time) cannot be stored, or None."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        return f"out of range: dates run from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        utc_day = value.astimezone(dt.UTC).date()
        if not MIN_DATE <= utc_day <= MAX_DATE:
            return f"out of range: dates run from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
    return None


def relative_days_problem(days: int) -> str | None:
    """Why a relative date of `days` from an anchor cannot be stored, before it is even resolved."""
    if abs(days) > MAX_RELATIVE_DAYS:
        return f"out of range: a relative date may be at most {MAX_RELATIVE_DAYS} days from the anchor"
    return None


def key_number_problem(number: int) -> str | None:
    """Why `number` cannot be a record key's number (`D-<number>`), or None."""
    if not 1 <= number <= MAX_KEY_NUMBER:
        return f"key number out of range: from 1 to {MAX_KEY_NUMBER}"
    return None


def value_problem(value: Any) -> str | None:
    """The check that fits `value`'s type (text, date, date-time, whole number), or None."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, dt.date):
        return date_problem(value)
    return None


def validate_text(value: str) -> None:
    """A Django validator: refuses text that cannot be stored."""
    from django.core.exceptions import ValidationError

    problem = text_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValidationError(f"This text {problem}.", code="unstorable")


def validate_date(value: dt.date) -> None:
    """A Django validator: refuses a date or date-time outside the stored range."""
    from django.core.exceptions import ValidationError

    problem = date_problem(value) if isinstance(value, dt.date) else None
    if problem:
        raise ValidationError(
            f"Enter a date from {MIN_DATE:%-d %B %Y} to {MAX_DATE:%-d %B %Y}.", code="unstorable"
        )


class StorableFormMixin:
    """Adds the storable checks to every text, date and date-time field of a Django form, those a
    subclass adds in its own `__init__` included (they are checked again just before cleaning)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_storable_checks()

    def full_clean(self) -> None:
        self._add_storable_checks()
        super().full_clean()  # type: ignore[misc]

    def _add_storable_checks(self) -> None:
        from django import forms

        for form_field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(form_field, forms.CharField):
                check = validate_text
            elif isinstance(form_field, (forms.DateField, forms.DateTimeField)):
                check = validate_date
            else:
                continue
            if check not in form_field.validators:
                form_field.validators.append(check)
