"""What the briefs' tests share: an engagement whose brief is ready, and whose pieces each test removes."""

from __future__ import annotations

import pytest

from briefs.models import Engagement
from tests.briefs.factories import BriefFactory, EngagementFactory, at
from tests.factories import PersonFactory, SurfaceFactory


@pytest.fixture
def surface():
    return SurfaceFactory(key="frontier-labs", name="Frontier labs")


@pytest.fixture
def nadia():
    return PersonFactory(
        key="nadia-karim", name="Nadia Karim", organization="Helix Research", affiliation="customer"
    )


@pytest.fixture
def earlier(surface, nadia) -> Engagement:
    """Last month's meeting with the same counterpart: history for the brief of tomorrow's."""
    return EngagementFactory(
        title="Quarterly review", counterpart="Helix Research", starts_at=at(-20), attendees=[nadia]
    )


@pytest.fixture
def engagement(surface, nadia, earlier) -> Engagement:
    """Tomorrow's customer briefing, with a complete brief and a history: ready."""
    engagement = EngagementFactory(
        title="Helix briefing", counterpart="Helix Research", starts_at=at(1), attendees=[nadia]
    )
    BriefFactory(engagement=engagement)
    return engagement
