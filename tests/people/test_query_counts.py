"""The directory's pages and the new forms read with a fixed number of queries, whatever the size of
the org (two sizes, as the other pages)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadership_os.access import Role
from tests.briefs.factories import EngagementFactory, PositionFactory
from tests.factories import PersonFactory, SurfaceFactory, TagFactory, UserFactory
from tests.rhythms.factories import RitualFactory
from tests.workstreams.factories import CommitmentFactory, DecisionFactory, WorkstreamFactory, days

pytestmark = pytest.mark.django_db


def count(client, url: str, **headers: str) -> int:
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured)


def grow(n: int, star) -> None:
    """n more people (some with logins, some outside), and as many records around `star`."""
    surfaces = [SurfaceFactory() for _ in range(2)]
    for i in range(n):
        user = UserFactory(role=Role.VIEWER) if i % 4 == 0 else None
        affiliation = "customer" if i % 3 == 0 else "internal"
        PersonFactory(user=user, surface=surfaces[i % 2], affiliation=affiliation, organization="Acme")
        TagFactory()
        ws = WorkstreamFactory(
            owner=star, surface=surfaces[i % 2], archived_on=days(-1) if i % 5 == 0 else None
        )
        ws.tags.set([TagFactory(name="shared")])
        CommitmentFactory(
            owner=star, workstream=ws, due_on=days(i % 9 - 4), done_on=days(-1) if i % 2 else None
        )
        DecisionFactory(driver=star)
        engagement = EngagementFactory(attendees=[star])
        PositionFactory(person=star, engagement=engagement)
        RitualFactory().attendees.set([star])


URLS = [
    "/people/",
    "/people/?affiliation=external&q=a",
    "/people/star/",
    "/people/star/login/",
    "/surfaces/",
    "/tags/",
    "/workstreams/new/",
    "/workstreams/?state=archived",
    "/briefs/new/",
]


@pytest.mark.parametrize("url", URLS)
def test_the_new_pages_read_with_the_same_queries_for_5_and_60_people(cos_client, url) -> None:
    star = PersonFactory(key="star", name="Star Person", user=UserFactory(role=Role.CONTRIBUTOR))
    grow(5, star)
    small = count(cos_client, url)
    grow(55, star)
    assert count(cos_client, url) == small


def test_the_people_list_fragment_reads_with_the_same_queries(cos_client) -> None:
    star = PersonFactory(key="star", name="Star Person")
    grow(5, star)
    small = count(cos_client, "/people/?q=a", HTTP_HX_REQUEST="true")
    grow(55, star)
    assert count(cos_client, "/people/?q=a", HTTP_HX_REQUEST="true") == small
