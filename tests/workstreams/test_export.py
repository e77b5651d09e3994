"""The map as a CSV file, filtered as the user filtered it."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import SurfaceFactory
from tests.workstreams.factories import DecisionFactory, StatusUpdateFactory, WorkstreamFactory, days
from workstreams.models import State

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_export_holds_every_workstream_with_its_facts(client_as) -> None:
    gov = SurfaceFactory(key="government", name="Government")
    decision = DecisionFactory(title="Boundary scope")
    ws = WorkstreamFactory(
        name="FedRAMP boundary",
        surface=gov,
        state=State.BLOCKED,
        blocker="Waiting on the 3PAO",
        blocked_since=days(-5),
        blocked_by_decision=decision,
        next_decision_on=days(2),
        next_decision=decision,
    )
    StatusUpdateFactory(workstream=ws, posted_on=days(-3), note="Still waiting")
    WorkstreamFactory(name="Other")
    response = client_as("viewer").get("/workstreams/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="workstreams-')
    data = rows(response)
    assert len(data) == 2
    row = next(r for r in data if r["key"] == ws.key)
    assert row["name"] == "FedRAMP boundary"
    assert row["surface"] == "Government"
    assert row["state"] == "Blocked"
    assert row["blocker"] == "Waiting on the 3PAO"
    assert row["blocked_days"] == "5"
    assert row["waiting_on_decision"] == decision.key
    assert row["next_decision_on"] == days(2).isoformat()
    assert row["next_decision_title"] == "Boundary scope"
    assert row["last_update_on"] == days(-3).isoformat()
    assert row["days_since_update"] == "3"
    assert row["last_update"] == "Still waiting"
    assert row["url"].endswith(f"/workstreams/{ws.key}/")


def test_the_export_is_filtered_like_the_map(client_as) -> None:
    WorkstreamFactory(name="Blocked one", state=State.BLOCKED, blocker="x", blocked_since=days(-1))
    WorkstreamFactory(name="Fine one")
    data = rows(client_as("viewer").get("/workstreams/export.csv?state=blocked"))
    assert [r["name"] for r in data] == ["Blocked one"]


def test_text_a_spreadsheet_would_run_is_neutralised(client_as) -> None:
    WorkstreamFactory(
        name='=HYPERLINK("http://evil")', state=State.BLOCKED, blocker="+1 then", blocked_since=days(-1)
    )
    row = rows(client_as("viewer").get("/workstreams/export.csv"))[0]
    assert row["name"].startswith("'=")
    assert row["blocker"].startswith("'+")


def test_the_map_links_to_the_export_of_what_it_shows(client_as) -> None:
    html = client_as("viewer").get("/workstreams/?state=blocked&owner=none").content.decode()
    assert 'href="/workstreams/export.csv?owner=none&amp;state=blocked"' in html
