"""The status map: every workstream on one page, grouped by surface, with the facts a VP scans for."""

from __future__ import annotations

import re

import pytest

from leadership_os.models import Person
from tests.factories import PersonFactory, SurfaceFactory
from tests.workstreams.factories import DecisionFactory, StatusUpdateFactory, WorkstreamFactory, days
from workstreams.models import Escalation, State

pytestmark = pytest.mark.django_db

MAP = "/workstreams/"


@pytest.fixture
def org(db: None) -> dict[str, object]:
    gov = SurfaceFactory(key="government", name="Government")
    ent = SurfaceFactory(key="enterprise", name="Enterprise deployments")
    wei = PersonFactory(key="wei-chen", name="Wei Chen")
    open_decision = DecisionFactory(title="Per-tenant keys")
    blocked = WorkstreamFactory(
        name="FedRAMP boundary",
        surface=gov,
        owner=wei,
        state=State.BLOCKED,
        blocker="3PAO has not answered about the sandbox",
        blocked_since=days(-5),
        blocked_by_decision=open_decision,
    )
    StatusUpdateFactory(workstream=blocked, posted_on=days(-2), state=State.BLOCKED, note="Still no answer.")
    stale = WorkstreamFactory(name="Reference architecture", surface=ent, owner=wei, state=State.AT_RISK)
    StatusUpdateFactory(workstream=stale, posted_on=days(-16), state=State.AT_RISK, note="Parked.")
    orphan = WorkstreamFactory(name="Onboarding runbook", surface=gov, owner=None, created_on=days(-3))
    overdue = WorkstreamFactory(
        name="Research pricing",
        surface=ent,
        next_decision_on=days(-2),
        next_decision=DecisionFactory(title="Credit pricing"),
        escalation=Escalation.ESCALATED,
        escalated_on=days(-6),
        state=State.AT_RISK,
    )
    StatusUpdateFactory(workstream=overdue, posted_on=days(0), state=State.AT_RISK)
    done = WorkstreamFactory(name="SSO", surface=ent, state=State.DONE, created_on=days(-90))
    return {
        "blocked": blocked,
        "stale": stale,
        "orphan": orphan,
        "overdue": overdue,
        "done": done,
        "decision": open_decision,
    }


def row_of(html: str, key: str) -> str:
    match = re.search(rf'<tbody id="ws-{key}".*?</tbody>', html, re.S)
    assert match, f"no row for {key}"
    return match.group(0)


def test_every_workstream_appears_grouped_by_surface(client_as, org) -> None:
    html = client_as("viewer").get(MAP).content.decode()
    assert html.index("Enterprise deployments") < html.index("Government")
    for ws in org.values():
        if hasattr(ws, "state"):
            assert f'id="ws-{ws.key}"' in html


def test_problems_come_first_within_a_surface(client_as, org) -> None:
    html = client_as("viewer").get(MAP).content.decode()
    assert html.index(f'id="ws-{org["overdue"].key}"') < html.index(f'id="ws-{org["done"].key}"')


def test_a_blocked_row_shows_its_blocker_for_how_long_and_that_it_is_not_escalated(client_as, org) -> None:
    row = row_of(client_as("viewer").get(MAP).content.decode(), org["blocked"].key)
    assert "3PAO has not answered about the sandbox" in row
    assert "Blocked 5 days, not escalated" in row
    assert f'href="/decisions/{org["decision"].key}/"' in row
    assert 'class="badge badge-blocked"' in row and "Blocked</span>" in row


def test_the_last_update_is_the_newest_status_update_else_the_start_date(client_as, org) -> None:
    html = client_as("viewer").get(MAP).content.decode()
    assert "2 days ago" in row_of(html, org["blocked"].key)
    assert "Still no answer." in row_of(html, org["blocked"].key)
    assert "3 days ago" in row_of(html, org["orphan"].key)
    assert "No update since it started" in row_of(html, org["orphan"].key)


def test_stale_updates_are_flagged_by_severity(client_as, org) -> None:
    row = row_of(client_as("viewer").get(MAP).content.decode(), org["stale"].key)
    assert 'class="badge badge-high"' in row and "16 days ago" in row


def test_a_missed_decision_point_and_a_stalled_escalation_are_flagged(client_as, org) -> None:
    row = row_of(client_as("viewer").get(MAP).content.decode(), org["overdue"].key)
    assert "2 days overdue" in row
    assert "Credit pricing" in row
    assert "Stalled 6 days" in row


def test_a_workstream_without_an_owner_says_so(client_as, org) -> None:
    assert "No owner" in row_of(client_as("viewer").get(MAP).content.decode(), org["orphan"].key)


def test_the_summary_counts_the_whole_map(client_as, org) -> None:
    html = client_as("viewer").get(MAP + "?surface=government").content.decode()
    summary = re.search(r'<section id="ws-summary".*?</section>', html, re.S).group(0)
    assert re.search(r'chip-n">5</span> workstreams', summary)
    assert re.search(r'chip-n">1</span> blocked, not escalated', summary)
    assert re.search(r'chip-n">1</span> no owner', summary)
    assert re.search(r'chip-n">1</span> stale<', summary)
    assert "Showing 2 of 5 workstreams" in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("surface=government", ["blocked", "orphan"], ["stale", "overdue", "done"]),
        ("owner=wei-chen", ["blocked", "stale"], ["orphan", "overdue"]),
        ("owner=none", ["orphan"], ["blocked", "stale"]),
        ("state=blocked", ["blocked"], ["stale", "orphan", "done"]),
        ("state=active", ["blocked", "stale", "orphan", "overdue"], ["done"]),
        ("escalation=escalated", ["overdue"], ["blocked"]),
        ("attention=stale", ["stale"], ["blocked", "orphan", "done"]),
        ("attention=decision-due", ["overdue"], ["blocked", "stale"]),
        ("attention=waiting", ["blocked"], ["stale", "overdue"]),
        ("attention=not-escalated", ["blocked"], ["overdue"]),
    ],
)
def test_filters_narrow_the_map(client_as, org, query: str, expected: list[str], absent: list[str]) -> None:
    html = client_as("viewer").get(f"{MAP}?{query}").content.decode()
    for name in expected:
        assert f'id="ws-{org[name].key}"' in html, f"{name} missing for {query}"
    for name in absent:
        assert f'id="ws-{org[name].key}"' not in html, f"{name} shown for {query}"


def test_a_filter_value_that_is_not_a_choice_is_ignored(client_as, org) -> None:
    response = client_as("viewer").get(f"{MAP}?state=bogus&surface=nowhere")
    assert response.status_code == 200
    assert f'id="ws-{org["done"].key}"' in response.content.decode()


def test_filtering_with_htmx_returns_only_the_map_region(client_as, org, htmx) -> None:
    response = client_as("viewer").get(f"{MAP}?state=blocked", **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="ws-map"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert "export.csv?state=blocked" in html


def test_a_history_restore_gets_the_whole_page(client_as, org, htmx) -> None:
    response = client_as("viewer").get(f"{MAP}?state=blocked", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **htmx)
    assert "<html" in response.content.decode()


def test_the_chief_of_staff_sees_edit_controls_and_a_viewer_does_not(client_as, org) -> None:
    key = org["blocked"].key
    assert f"/workstreams/{key}/edit/state/" in client_as("chief_of_staff").get(MAP).content.decode()
    for role in ("viewer", "principal", "contributor"):
        html = client_as(role).get(MAP).content.decode()
        assert "/edit/" not in html, role
        assert "cell-edit" not in html, role


def test_an_owner_sees_the_update_button_on_their_own_workstreams_only(client_as, contributor, org) -> None:
    mine = WorkstreamFactory(owner=Person.objects.get(user=contributor))
    html = client_as("contributor").get(MAP).content.decode()
    assert f"/workstreams/{mine.key}/updates/" in html
    assert f"/workstreams/{org['blocked'].key}/updates/" not in html


def test_an_empty_map_says_how_to_get_workstreams(client_as, db) -> None:
    html = client_as("viewer").get(MAP).content.decode()
    assert "No workstreams yet" in html
    assert "No workstream matches" in client_as("viewer").get(f"{MAP}?state=blocked").content.decode()


def test_blocked_not_escalated_counts_only_what_has_waited_long_enough(client_as, org) -> None:
    fresh = WorkstreamFactory(state=State.BLOCKED, blocker="Since this morning", blocked_since=days(-1))
    html = client_as("viewer").get(f"{MAP}?attention=not-escalated").content.decode()
    assert f'id="ws-{org["blocked"].key}"' in html
    assert f'id="ws-{fresh.key}"' not in html
    assert re.search(r'chip-n">1</span> blocked, not escalated', html)


# A large map comes a page at a time --------------------------------------------------------------


@pytest.fixture
def big_map(db: None) -> dict[str, object]:
    """Sixty workstreams in two surfaces: more than a page of the map."""
    from workstreams.queries import MAP_PAGE_SIZE

    alpha = SurfaceFactory(key="alpha", name="Alpha")
    beta = SurfaceFactory(key="beta", name="Beta")
    rows = [WorkstreamFactory(name=f"Alpha {n}", surface=alpha, state=State.ON_TRACK) for n in range(40)]
    rows += [WorkstreamFactory(name=f"Beta {n}", surface=beta, state=State.ON_TRACK) for n in range(19)]
    last = WorkstreamFactory(name="Beta blocked", surface=beta, state=State.BLOCKED, blocker="Vendor")
    assert len(rows) + 1 > MAP_PAGE_SIZE
    return {"alpha": alpha, "beta": beta, "last_beta": rows[-1], "blocked_beta": last}


def test_the_map_shows_a_page_of_rows_with_each_surface_counted_over_every_page(client_as, big_map) -> None:
    from workstreams.queries import MAP_PAGE_SIZE

    client = client_as("viewer")
    first = client.get(MAP).content.decode()
    assert first.count('<tbody id="ws-') == MAP_PAGE_SIZE
    assert "60 workstreams, 1\u201350 on this page" in first
    assert 'rel="next"' in first and "Page 1 of 2" in first
    assert "20 workstreams · 1 blocked" in first  # Beta's counts cover both pages
    assert f'id="ws-{big_map["blocked_beta"].key}"' in first  # problems first within Beta
    second = client.get(MAP + "?page=2").content.decode()
    assert second.count('<tbody id="ws-') == 10
    assert f'id="ws-{big_map["last_beta"].key}"' in second
    assert "20 workstreams · 1 blocked" in second


def test_an_htmx_page_change_pushes_its_address(client_as, big_map, htmx) -> None:
    response = client_as("viewer").get(MAP + "?page=2&state=on_track", **htmx)
    assert response["HX-Push-Url"] == "/workstreams/?state=on_track&page=2"
    assert "<html" not in response.content.decode()


def test_editing_a_row_of_a_later_page_without_htmx_shows_that_page(cos_client, big_map) -> None:
    ws = big_map["last_beta"]
    html = cos_client.get(f"/workstreams/{ws.key}/edit/state/").content.decode()
    assert "data-inline-edit" in html and f'id="ws-{ws.key}"' in html and "Page 2 of 2" in html
    response = cos_client.post(
        f"/workstreams/{ws.key}/edit/escalation/", {"version": ws.version, "escalation": "watching"}
    )
    assert response["Location"] == f"/workstreams/?page=2#ws-{ws.key}"
    # At risk, it moves up among Beta's problems, onto the first page: the redirect follows it.
    ws.refresh_from_db()
    response = cos_client.post(
        f"/workstreams/{ws.key}/edit/state/", {"version": ws.version, "state": "at_risk"}
    )
    assert response["Location"] == f"/workstreams/#ws-{ws.key}"
