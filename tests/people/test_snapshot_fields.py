"""The org snapshot carries what this issue adds (archived workstreams, cancelled engagements,
a person's surface and leaving date, a retired surface) only when set, and files written before
them stay readable as they are."""

from __future__ import annotations

import copy

import pytest

from briefs.models import Engagement
from leadership_os.models import Person, Surface
from orgfiles import snapshot
from tests.briefs.factories import EngagementFactory, at
from tests.factories import PersonFactory, SurfaceFactory
from tests.workstreams.factories import WorkstreamFactory, days
from workstreams.models import Workstream

pytestmark = pytest.mark.django_db


def test_export_then_import_keeps_the_new_fields(cos_client) -> None:
    gov = SurfaceFactory(key="gov", name="Government")
    old = SurfaceFactory(key="old", name="Old surface")
    Surface.objects.filter(pk=old.pk).update(retired_on=days(-2))
    PersonFactory(key="ana", name="Ana Ruiz", surface=gov, left_on=days(-1))
    ws = WorkstreamFactory(name="Done pilot")
    cos_client.post(f"/workstreams/{ws.key}/archive/", {"reason": "Pilot finished", "version": 1})
    engagement = EngagementFactory(title="Postponed review", starts_at=at(3))
    cos_client.post(f"/briefs/{engagement.pk}/cancel/", {"reason": "They postponed", "version": 1})
    first = snapshot.export()
    people = {p["key"]: p for p in first["people"]}
    assert people["ana"]["surface"] == "gov" and people["ana"]["left_on"] == days(-1).isoformat()
    assert "surface" not in people["cos"] and "left_on" not in people["cos"]
    snapshot.load(copy.deepcopy(first), replace=True)
    assert snapshot.export() == first
    assert Workstream.objects.get(key=ws.key).archive_reason == "Pilot finished"
    assert Engagement.objects.get(key=engagement.key).cancel_reason == "They postponed"
    assert Person.objects.get(key="ana").surface.key == "gov"
    assert Surface.objects.get(key="old").retired_on == days(-2)


def test_a_file_written_before_these_fields_reads_as_it_is(cos_client) -> None:
    ws = WorkstreamFactory(name="Live")
    EngagementFactory(title="Review")
    document = snapshot.export()
    # As an older export wrote it: no archive or cancel values in the first history entries.
    for section, names in (
        ("workstreams", ("archived_on", "archive_reason")),
        ("engagements", ("cancelled_on", "cancel_reason")),
    ):
        for record in document[section]:
            for entry in record.get("history", []):
                for name in names:
                    entry.get("values", {}).pop(name, None)
    snapshot.load(document, replace=True)
    loaded = Workstream.objects.get(key=ws.key)
    assert loaded.archived_on is None and loaded.history.count() >= 1
