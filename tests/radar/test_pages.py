"""The radar, the queue, the rules page, snoozing and the dashboard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadership_os import memo
from radar import queries as radar_queries
from radar.models import Snooze
from tests.radar.orgs import build_org, days

pytestmark = pytest.mark.django_db

BLOCKED_ITEM = "blocked-not-escalated__workstream__{key}"


def test_the_radar_lists_each_item_with_its_rule_and_explanation(client_as) -> None:
    org = build_org()
    content = client_as("viewer").get("/radar/").content.decode()
    key = org["blocked"].key
    assert f'id="{BLOCKED_ITEM.format(key=key)}"' in content
    assert "Blocked 5 days on &#x27;legal review of data terms&#x27;" in content
    assert 'href="/rules/#rule-blocked-not-escalated"' in content
    assert f'href="/workstreams/{key}/"' in content
    assert "<svg" in content and 'aria-label="High:' in content


def test_the_radar_filters_by_rule_and_returns_only_the_results_region_to_htmx(client_as) -> None:
    build_org()
    client = client_as("viewer")
    response = client.get("/radar/?rule=slipped-commitment", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="radar-results"')
    assert "slipped-commitment__commitment__" in content
    assert "blocked-not-escalated__" not in content
    assert "<html" not in content
    full = client.get("/radar/?rule=slipped-commitment").content.decode()
    assert "<html" in full and "Clear filters" in full


@pytest.mark.parametrize("role", ["principal", "chief_of_staff"])
def test_principal_and_chief_of_staff_snooze_an_item_and_it_leaves_the_radar(client_as, role) -> None:
    org = build_org()
    ident = BLOCKED_ITEM.format(key=org["blocked"].key)
    client = client_as(role)
    response = client.post(
        "/radar/snooze/", {"item": ident, "until": days(3).isoformat(), "note": "Legal call Thu"}
    )
    assert response.status_code == 302
    snooze = Snooze.objects.get()
    assert (snooze.rule, snooze.subject_key, snooze.note) == (
        "blocked-not-escalated",
        org["blocked"].key,
        "Legal call Thu",
    )
    radar_page = client.get("/radar/").content.decode()
    assert f'id="{ident}"' not in radar_page
    assert "Snoozed (1)" in radar_page and "Legal call Thu" in radar_page
    assert f'id="{ident}"' not in client.get("/").content.decode()


@pytest.mark.parametrize("role", ["contributor", "viewer", "staff"])
def test_other_roles_cannot_snooze(client_as, role) -> None:
    org = build_org()
    ident = BLOCKED_ITEM.format(key=org["blocked"].key)
    response = client_as(role).post(
        "/radar/snooze/", {"item": ident, "until": days(3).isoformat(), "note": "x"}
    )
    assert response.status_code == 403
    assert not Snooze.objects.exists()


def test_a_snooze_without_a_reason_or_in_the_past_is_refused_in_place(client_as) -> None:
    org = build_org()
    ident = BLOCKED_ITEM.format(key=org["blocked"].key)
    response = client_as("principal").post(
        "/radar/snooze/",
        {"item": ident, "until": days(-1).isoformat(), "note": ""},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<div id="snooze-{ident}"')
    assert "Choose a day after today." in content
    assert "This field is required." in content
    assert not Snooze.objects.exists()


def test_snoozing_an_item_no_longer_on_the_radar_is_refused(client_as) -> None:
    build_org()
    response = client_as("principal").post(
        "/radar/snooze/",
        {"item": "stale-update__workstream__WS-999", "until": days(2).isoformat(), "note": "x"},
    )
    assert response.status_code == 409
    assert b"no longer on the radar" in response.content


def test_a_snoozed_item_comes_back_when_its_date_arrives(principal) -> None:
    org = build_org()
    evaluation = radar_queries.evaluate_today()
    item = radar_queries.find_item(evaluation, BLOCKED_ITEM.format(key=org["blocked"].key))
    from radar.services import radar_snooze

    radar_snooze(item=item, until=days(2), note="Waiting for counsel", by=principal)
    assert item not in radar_queries.evaluate_today().visible
    still_hidden = radar_queries.evaluate_today(days(1))
    assert [i.subject.key for i, _ in still_hidden.snoozed] == [item.subject.key]
    later = radar_queries.evaluate_today(days(2))
    assert any(i.rule == item.rule and i.subject.key == item.subject.key for i in later.visible)


def test_a_snoozed_item_comes_back_when_its_facts_change(principal) -> None:
    org = build_org()
    evaluation = radar_queries.evaluate_today()
    item = radar_queries.find_item(evaluation, BLOCKED_ITEM.format(key=org["blocked"].key))
    from radar.services import radar_snooze

    radar_snooze(item=item, until=days(5), note="Waiting for counsel", by=principal)
    tomorrow = radar_queries.evaluate_today(days(1))
    assert not any(i.rule == item.rule and i.subject.key == item.subject.key for i in tomorrow.visible), (
        "a day older is not a change of facts"
    )
    workstream = org["blocked"]
    workstream.escalation = "none"
    workstream.save()
    again = radar_queries.evaluate_today()
    assert any(i.rule == item.rule and i.subject.key == item.subject.key for i in again.visible)


def test_bringing_a_snoozed_item_back(client_as, principal) -> None:
    org = build_org()
    ident = BLOCKED_ITEM.format(key=org["blocked"].key)
    client = client_as("principal")
    client.post("/radar/snooze/", {"item": ident, "until": days(3).isoformat(), "note": "later"})
    snooze = Snooze.objects.get()
    assert client_as("viewer").post(f"/radar/snooze/{snooze.pk}/cancel/").status_code == 403
    assert client.post(f"/radar/snooze/{snooze.pk}/cancel/").status_code == 302
    assert f'id="{ident}"' in client.get("/radar/").content.decode()


def test_the_queue_ranks_decisions_with_their_bucket_and_why(client_as) -> None:
    org = build_org()
    content = client_as("viewer").get("/queue/").content.decode()
    key = org["decision"].key
    assert f'id="queue-{key}"' in content
    assert "Overdue" in content
    assert "Record outcome" not in content
    principal_view = client_as("principal").get("/queue/").content.decode()
    assert f'hx-get="/decisions/{key}/outcome/?next=/queue/"' in principal_view
    fragment = client_as("principal").get(
        f"/decisions/{key}/outcome/?next=/queue/", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and b"<html" not in fragment.content


def test_the_queue_filters_by_bucket_for_htmx(client_as) -> None:
    build_org()
    response = client_as("viewer").get("/queue/?bucket=review", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="queue-list"')
    assert "Nothing in this bucket" in content


def test_the_rules_page_lists_every_rule_with_its_current_thresholds(client_as, settings) -> None:
    settings.LEADERSHIP_OS_RULES = {**settings.LEADERSHIP_OS_RULES, "STALE_DAYS": "10"}
    content = client_as("viewer").get("/rules/").content.decode()
    from radar.engine import RULES

    for rule in RULES:
        assert f'id="rule-{rule.id}"' in content
    assert "last update is 10 days old or more" in content
    assert "RULES_STALE_DAYS" in content


def test_the_dashboard_on_an_empty_database_says_how_to_load_the_sample_org(client_as) -> None:
    content = client_as("viewer").get("/").content.decode()
    assert "No organization loaded yet" in content
    assert "python manage.py load_sample" in content
    assert "Load the sample organization</button>" not in content
    assert "Load the sample organization</button>" in client_as("staff").get("/").content.decode()


def test_the_dashboard_shows_every_panel_with_links_to_records(client_as) -> None:
    org = build_org()
    content = client_as("principal").get("/").content.decode()
    for panel in (
        "dash-engagements",
        "dash-radar",
        "dash-queue",
        "dash-slipped",
        "dash-decided",
        "dash-rituals",
    ):
        assert f'id="{panel}"' in content
    assert f'href="/workstreams/{org["blocked"].key}/"' in content
    assert f'href="/decisions/{org["decision"].key}/"' in content
    assert "Brief not ready" in content and "No brief yet" in content
    assert org["ritual"].name in content


@pytest.mark.parametrize(
    "panel", ["dash-engagements", "dash-radar", "dash-queue", "dash-slipped", "dash-decided", "dash-rituals"]
)
def test_each_dashboard_panel_refreshes_on_its_own(client_as, panel) -> None:
    build_org()
    response = client_as("viewer").get(f"/?panel={panel}", headers={"HX-Request": "true"})
    content = response.content.decode().lstrip()
    assert content.startswith(f'<section id="{panel}"')
    assert "<html" not in content


def test_staff_load_the_sample_org_from_the_dashboard(client_as) -> None:
    from leadership_os.models import Person

    assert client_as("viewer").post("/sample/load/").status_code == 403
    response = client_as("staff").post("/sample/load/")
    assert response.status_code == 302
    assert Person.objects.filter(key="maya-okafor").exists()


def _queries(client, path: str, *, cold: bool) -> list[str]:
    if cold:
        memo.clear()
    else:
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("cold", [True, False], ids=["engine-computed", "engine-reused"])
@pytest.mark.parametrize("path", ["/", "/radar/", "/queue/"])
def test_pages_make_the_same_number_of_queries_for_a_small_and_a_ten_times_larger_org(
    client_as, path, cold
) -> None:
    client = client_as("principal")
    build_org(scale=2)
    small = _queries(client, path, cold=cold)
    build_org(scale=20)
    large = _queries(client, path, cold=cold)
    # Never more: a page of a larger org may even hold no ritual or engagement to look up.
    assert len(large) <= len(small), large
    assert len(large) >= len(small) - 2, large


def test_the_engine_result_is_reused_until_the_org_changes(client_as) -> None:
    org = build_org()
    client = client_as("principal")
    client.get("/radar/")
    with CaptureQueriesContext(connection) as reused:
        client.get("/radar/")
    workstream = org["blocked"]
    workstream.escalation = "escalated"
    workstream.escalated_on = days(0)
    workstream.save()
    with CaptureQueriesContext(connection) as recomputed:
        content = client.get("/radar/").content.decode()
    assert len(recomputed) > len(reused)
    assert f'id="{BLOCKED_ITEM.format(key=workstream.key)}"' not in content


@pytest.mark.parametrize(
    ("path", "anonymous", "everyone"),
    [("/radar/", 302, 200), ("/queue/", 302, 200), ("/rules/", 302, 200)],
)
@pytest.mark.parametrize(
    "role", [None, "principal", "chief_of_staff", "contributor", "viewer", "staff", "no_role_user"]
)
def test_role_matrix_of_the_radar_pages(client_as, path, anonymous, everyone, role) -> None:
    response = client_as(role).get(path)
    expected = anonymous if role is None else (403 if role == "no_role_user" else everyone)
    assert response.status_code == expected


def test_thresholds_come_from_settings_and_a_bad_one_is_named(settings) -> None:
    from django.core.checks import run_checks

    settings.LEADERSHIP_OS_RULES = {**settings.LEADERSHIP_OS_RULES, "STALE_DAYS": "soon"}
    errors = [e for e in run_checks() if e.id == "leadership_os.E001"]
    assert errors and "RULES_STALE_DAYS" in errors[0].msg


def test_the_radar_and_the_queue_are_paginated(client_as) -> None:
    from radar.views import PAGE_SIZE

    build_org(scale=PAGE_SIZE // 2 + 1)  # two radar items and one queue item per copy, at least
    client = client_as("principal")
    first = client.get("/radar/").content.decode()
    assert first.count('class="radar-row"') == PAGE_SIZE
    assert "Page 1 of" in first and 'rel="next"' in first
    second = client.get("/radar/?page=2", headers={"HX-Request": "true"}).content.decode()
    assert second.lstrip().startswith('<div id="radar-results"') and "Page 2 of" in second
    queue = client.get("/queue/").content.decode()
    assert queue.count('<tr id="queue-') <= PAGE_SIZE


def test_a_dashboard_panel_fragment_computes_only_its_own_panel(client_as) -> None:
    build_org(scale=3)
    client = client_as("principal")
    client.get("/")
    memo.clear()  # both measured requests compute what they show
    with CaptureQueriesContext(connection) as page:
        client.get("/")
    memo.clear()
    with CaptureQueriesContext(connection) as fragment:
        response = client.get("/?panel=dash-decided", headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="dash-decided"')
    assert len(fragment) < len(page) / 2


def test_the_dashboard_lists_a_dozen_engagements_and_links_to_the_rest(client_as) -> None:
    import datetime as dt

    from django.utils import timezone

    from briefs.models import Engagement

    build_org()
    for n in range(14):
        Engagement.objects.create(
            title=f"Customer call {n}", kind=Engagement.Kind.CUSTOMER_BRIEFING,
            starts_at=timezone.now() + dt.timedelta(hours=1 + n),
        )  # fmt: skip
    content = client_as("principal").get("/").content.decode()
    assert content.count('class="engagement-row"') == 12
    total = Engagement.objects.filter(
        starts_at__gte=dt.datetime.combine(
            timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone()
        ),
        starts_at__lt=dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=2), dt.time.min, tzinfo=timezone.get_current_timezone()
        ),
    ).count()
    assert f"{total - 12} more today and tomorrow" in content


def test_a_snoozed_slipped_commitment_leaves_the_dashboard_panel_and_its_count(client_as, principal) -> None:
    from radar.services import radar_snooze

    build_org(scale=2)
    evaluation = radar_queries.evaluate_today()
    slipped = evaluation.slipped_by_lateness
    assert len(slipped) >= 2
    lateness = [int(i.facts.get("days_late", 0)) for i in slipped]
    assert lateness == sorted(lateness, reverse=True)
    assert evaluation.count_visible("slipped-commitment") == len(slipped)
    radar_snooze(item=slipped[0], until=days(3), note="Owner on leave", by=principal)

    after = radar_queries.evaluate_today()
    assert after.first_visible(after.slipped_by_lateness, 8)[0] is not slipped[0]
    assert after.count_visible("slipped-commitment") == len(slipped) - 1
    counted = {s: sum(1 for i in after.visible if i.severity == s) for s in ("high", "medium", "low")}
    assert after.visible_severity_counts() == counted
    assert sum(counted.values()) == len(evaluation.visible) - 1
    assert slipped[0] not in after.visible_of("slipped-commitment")
    html = client_as("principal").get("/?panel=dash-slipped", HTTP_HX_REQUEST="true").content.decode()
    assert f"{len(slipped) - 1} in all" in html
    assert f'#{slipped[0].subject.key}"' not in html
    assert f'#{slipped[1].subject.key}"' in html


def test_the_rituals_panel_lists_eight_and_links_to_the_audit(client_as) -> None:
    from tests.rhythms.factories import RitualFactory

    RitualFactory.create_batch(10, informs_decision="", surfaces_blocker="")
    html = client_as("viewer").get("/?panel=dash-rituals", HTTP_HX_REQUEST="true").content.decode()
    panel = html.split('id="dash-rituals"')[1]
    assert panel.count("<li>") == 8
    assert "All 10 in the ritual audit" in panel


def test_the_dashboards_engagements_follow_a_change_to_a_brief(client_as) -> None:
    from tests.briefs.factories import BriefFactory, EngagementFactory

    build_org()
    client = client_as("principal")
    meeting = EngagementFactory(title="Helix pilot review")
    panel = "/?panel=dash-engagements"
    before = client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert "Helix pilot review" in before and "No brief yet" in before.split("Helix pilot review")[1]
    BriefFactory(engagement=meeting)
    after = client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert "No brief yet" not in after.split("Helix pilot review")[1].split("</li>")[0]


def test_a_status_update_reads_the_engagements_history_again_but_not_their_stances(
    client_as, principal
) -> None:
    """The dashboard's engagements are read in two parts, each reused until a table it reads is
    written to: a status update can make an engagement's history appear (a workstream of its
    surface becomes blocked), never change a brief or a stance, so only the history is read again."""
    from briefs.services import position_save
    from leadership_os.models import Surface
    from tests.briefs.factories import BriefFactory, EngagementFactory, PositionFactory, WorkstreamFactory
    from tests.factories import PersonFactory
    from workstreams.services import status_update_post

    surface = Surface.objects.create(key="payments", name="Payments")
    lena = PersonFactory(name="Lena Okafor")
    meeting = EngagementFactory(title="Helix renewal", surface=surface, attendees=[lena])
    BriefFactory(engagement=meeting)
    PositionFactory(person=lena, engagement=meeting, stance="unknown", recorded_on=days(0))
    workstream = WorkstreamFactory(name="Checkout rebuild", surface=surface)
    client = client_as("principal")
    panel = "/?panel=dash-engagements"

    def row() -> str:
        html = client.get(panel, headers={"HX-Request": "true"}).content.decode()
        return html.split("Helix renewal")[1].split("</section>")[0]

    before = row()
    assert "No history" in before and "Lena Okafor&#x27;s stance is unknown" in before

    status_update_post(
        workstream=workstream, by=principal, author=None, state="blocked", note="Waiting on legal.",
        blocker="Legal review of the data terms", expected_version=workstream.version,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as after_update:
        after = row()
    assert "No history" not in after  # read again: the blocked workstream of its surface is history
    assert "Lena Okafor&#x27;s stance is unknown" in after  # reused: nothing it reads was written
    assert not [q for q in after_update.captured_queries if "briefs_stakeholderposition" in q["sql"]]

    position_save(
        engagement=meeting, person=lena, position="Backs the renewal.", stance="support",
        source="Call", recorded_on=days(0),
    )  # fmt: skip
    assert "stance is unknown" not in row()  # a position written: the stances are read again


@pytest.mark.parametrize(
    ("hour", "greeting"),
    [(7, "morning"), (11, "morning"), (12, "afternoon"), (17, "afternoon"), (18, "evening"), (23, "evening")],
)
def test_the_dashboard_greets_the_vp_for_the_time_of_day(
    client_as, settings, hour: int, greeting: str
) -> None:
    """The VP who opens the dashboard at eight in the evening is not wished a good afternoon."""
    import datetime as dt

    build_org()
    utc_hour = dt.datetime.now(dt.UTC).hour
    offset = (hour - utc_hour) % 24
    offset = offset - 24 if offset > 14 else offset
    settings.TIME_ZONE = f"Etc/GMT{-offset:+d}" if offset else "UTC"  # Etc/GMT-3 is three hours ahead
    content = client_as("principal").get("/").content.decode()
    assert f"<h1>Good {greeting}" in content
