"""The reader's lines, value by value: the first and last storable days, relative dates, key numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from leadership_os.storable import MAX_KEY_NUMBER, MAX_RELATIVE_DAYS
from orgfiles.format import RelDate, RelDateTime, numbered_key
from orgfiles.history import _date, _moment


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1900-01-01", True),
        ("2200-12-31", True),
        ("1899-12-31", False),
        ("2201-01-01", False),
        ("0001-01-01", False),
        ("9999-12-31", False),
        (f"@+{MAX_RELATIVE_DAYS}", True),
        (f"@-{MAX_RELATIVE_DAYS + 1}", False),
        ("@+99999999", False),
        ("@+" + "9" * 5000, False),
    ],
)
def test_a_date_is_read_only_when_it_can_be_stored(text: str, stored: bool) -> None:
    adapter = TypeAdapter(RelDate)
    if stored:
        assert adapter.validate_python(text).dump() == text
    else:
        with pytest.raises(ValidationError, match="out of range"):
            adapter.validate_python(text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2200-12-31T12:00", True),
        ("2200-12-31T23:30-05:00", False),  # 2201 in UTC
        ("1900-01-01T00:30+01:00", False),  # 1899 in UTC
        ("9999-12-31T23:59", False),
        ("@+99999999T10:00", False),
    ],
)
def test_a_date_time_is_read_only_when_its_utc_day_can_be_stored(text: str, stored: bool) -> None:
    adapter = TypeAdapter(RelDateTime)
    if stored:
        adapter.validate_python(text)
    else:
        with pytest.raises(ValidationError, match="out of range"):
            adapter.validate_python(text)


def test_history_dates_keep_the_same_range() -> None:
    assert _date("2200-12-31") == dt.date(2200, 12, 31)
    with pytest.raises(ValueError, match="out of range"):
        _date("0001-01-01")
    assert _moment("1900-01-01T12:00:00+00:00").year == 1900
    for text in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+05:00", "2200-12-31T23:00:00-05:00"):
        with pytest.raises(Exception, match="out of range"):
            _moment(text)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("D-1", None),
        (f"D-{MAX_KEY_NUMBER}", None),
        (f"D-{MAX_KEY_NUMBER + 1}", "key number out of range"),
        ("D-3000000000", "key number out of range"),
        ("D-" + "9" * 25, "key number out of range"),
        ("D-" + "9" * 5000, "key number out of range"),
        ("D-0", "must be a key such as D-12"),
        ("D-01", "must be a key such as D-12"),
        ("WS-1", "must be a key such as D-12"),
    ],
)
def test_a_key_number_is_read_only_when_the_database_stores_it(key: str, problem: str | None) -> None:
    adapter = TypeAdapter(numbered_key("D"))
    if problem is None:
        assert adapter.validate_python(key) == key
    else:
        with pytest.raises(ValidationError, match=problem):
            adapter.validate_python(key)
