"""Fixtures of the workstreams tests: htmx headers and a small org to look at."""

from __future__ import annotations

import pytest

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def htmx() -> dict[str, str]:
    return dict(HTMX)
