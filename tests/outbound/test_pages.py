"""Outbound's pages: every address against every role, the preferences form, the decision feed, the
staff's sent-mail log, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from decisions.models import Decision
from outbound.models import DecisionFeedToken, Delivery, Kind, Preference
from tests.factories import SurfaceFactory, UserFactory
from tests.outbound.conftest import today
from tests.workstreams.factories import DecisionFactory

pytestmark = pytest.mark.django_db

ROLES = [None, "principal", "chief_of_staff", "contributor", "viewer", "staff", "no_role_user"]
SIGNED_IN = {
    "principal": 200,
    "chief_of_staff": 200,
    "contributor": 200,
    "viewer": 200,
    "staff": 200,
    "no_role_user": 403,
}
STAFF_ONLY = {
    "principal": 403,
    "chief_of_staff": 403,
    "contributor": 403,
    "viewer": 403,
    "staff": 200,
    "no_role_user": 403,
}


@pytest.fixture
def delivery(principal) -> Delivery:
    return Delivery.objects.create(
        user=principal,
        kind=Kind.DIGEST,
        subject="digest",
        day=today(),
        to="vp@example.com",
        status=Delivery.Status.FAILED,
        email_subject="Your morning",
        text_body="Hello",
        html_body="<p style='color:red'>Hello</p>",
        last_error="SMTPServerDisconnected: gone",
    )


PAGES = {
    "/outbound/preferences/": SIGNED_IN,
    "/outbound/sent/": STAFF_ONLY,
    "/outbound/sent/{pk}/": STAFF_ONLY,
    "/outbound/sent/{pk}/html/": STAFF_ONLY,
}


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client_as, delivery, path: str, role: str | None) -> None:
    response = client_as(role).get(path.format(pk=delivery.pk))
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == PAGES[path][role], f"{role} on {path}"


POSTS = {
    "/outbound/preferences/": SIGNED_IN,
    "/outbound/feeds/regenerate/": {
        **SIGNED_IN,
        "chief_of_staff": 302,
        "principal": 302,
        "contributor": 302,
        "viewer": 302,
        "staff": 302,
    },
    "/outbound/sent/{pk}/retry/": {**STAFF_ONLY, "staff": 302},
}


@pytest.mark.parametrize("path", list(POSTS))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_post_only_what_it_should(client_as, delivery, path: str, role: str | None) -> None:
    response = client_as(role).post(path.format(pk=delivery.pk), {})
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == POSTS[path][role], f"{role} on {path}"
    delivery.refresh_from_db()
    assert (delivery.status == Delivery.Status.RETRYING) == (path.endswith("retry/") and role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_the_token_pages_answer_anyone_but_only_with_a_good_token(
    client_as, principal, role: str | None
) -> None:
    token = DecisionFeedToken.objects.create(user=principal).token
    client = client_as(role)
    assert client.get(f"/outbound/feeds/decisions/{token}.atom").status_code == 200
    assert client.get("/outbound/feeds/decisions/nope.atom").status_code == 404
    assert client.get("/outbound/act/nope/").status_code == 400
    assert client.get("/outbound/unsubscribe/nope/").status_code == 400


def test_the_preferences_form_saves_and_invalid_input_rerenders_with_errors(client_as, contributor) -> None:
    client = client_as("contributor")
    page = client.get("/outbound/preferences/").content.decode()
    assert "The weekly follow-through note" not in page, "only the chief of staff gets the weekly note"
    bad = client.post("/outbound/preferences/", {"send_at": "25:99", "quiet_digest": "line"})
    assert bad.status_code == 200
    assert (
        "Choose at least one day." in bad.content.decode()
        and "Give a time such as 07:30." in bad.content.decode()
    )
    assert not Preference.objects.filter(user=contributor).exists()
    good = client.post(
        "/outbound/preferences/",
        {"digest": "on", "weekdays": ["0", "2"], "send_at": "06:15", "quiet_digest": "none"},
    )
    assert good.status_code == 302
    saved = Preference.objects.get(user=contributor)
    assert (saved.digest, saved.commitments, saved.weekdays, saved.send_at, saved.quiet_digest) == (
        True,
        False,
        "02",
        dt.time(6, 15),
        "none",
    )
    htmx = client.post(
        "/outbound/preferences/",
        {"commitments": "on", "weekdays": ["1"], "send_at": "07:00", "quiet_digest": "line"},
        headers={"HX-Request": "true"},
    )
    assert (
        htmx.status_code == 200
        and b'id="outbound-preferences-form"' in htmx.content
        and b"<html" not in htmx.content
    )


def test_the_decision_feed_lists_new_decided_superseded_and_reopened_per_surface(
    client_as, principal
) -> None:

    gov, ent = SurfaceFactory(key="gov", name="Government"), SurfaceFactory(key="ent", name="Enterprise")
    one = DecisionFactory(title="Host in GovCloud", surface=gov, status=Decision.Status.DRAFT)
    one.status = Decision.Status.OPEN
    one.save()
    one.status = Decision.Status.DECIDED
    one.outcome = "Dedicated tenancy"
    one.save()
    one.title = "Host in GovCloud (renamed)"
    one.save()  # not a change of status: no entry
    one.status = Decision.Status.OPEN
    one.save()
    two = DecisionFactory(title="Adapters leave the VPC", surface=ent, status=Decision.Status.OPEN)
    two.status = Decision.Status.SUPERSEDED
    two.save()
    DecisionFactory(title="Still a draft", surface=ent, status=Decision.Status.DRAFT)
    token = DecisionFeedToken.objects.create(user=principal).token

    response = Client().get(f"/outbound/feeds/decisions/{token}.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == [
        f"Superseded: {two.key} Adapters leave the VPC",
        f"Opened: {two.key} Adapters leave the VPC",
        f"Reopened: {one.key} Host in GovCloud (renamed)",
        f"Decided: {one.key} Host in GovCloud",
        f"Opened: {one.key} Host in GovCloud",
    ]
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]
    assert all(link.startswith("http://testserver/decisions/D-") for link in links)

    only_gov = ET.fromstring(Client().get(f"/outbound/feeds/decisions/{token}.atom?surface=gov").content)
    assert [e.findtext("a:title", namespaces=ns) for e in only_gov.findall("a:entry", ns)] == titles[2:]
    assert Client().get(f"/outbound/feeds/decisions/{token}.atom?surface=nope").status_code == 404


def test_a_new_feed_address_revokes_the_old_one(client_as, principal) -> None:
    client = client_as("principal")
    client.get("/outbound/preferences/")
    old = DecisionFeedToken.objects.get(user=principal).token
    assert Client().get(f"/outbound/feeds/decisions/{old}.atom").status_code == 200
    fragment = client.post("/outbound/feeds/regenerate/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'id="outbound-feed-address"' in fragment.content
    new = DecisionFeedToken.objects.get(user=principal).token
    assert new != old
    assert Client().get(f"/outbound/feeds/decisions/{old}.atom").status_code == 404
    assert Client().get(f"/outbound/feeds/decisions/{new}.atom").status_code == 200


def test_a_deactivated_users_feed_stops(principal) -> None:
    token = DecisionFeedToken.objects.create(user=principal).token
    principal.is_active = False
    principal.save()
    assert Client().get(f"/outbound/feeds/decisions/{token}.atom").status_code == 404


def test_staff_see_the_html_part_under_a_csp_that_allows_only_its_inline_styles(client_as, delivery) -> None:
    response = client_as("staff").get(f"/outbound/sent/{delivery.pk}/html/")
    assert response.content == b"<p style='color:red'>Hello</p>"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "style-src 'unsafe-inline'" in csp and "script-src" not in csp
    detail = client_as("staff").get(f"/outbound/sent/{delivery.pk}/").content.decode()
    assert "SMTPServerDisconnected: gone" in detail and "Send it again" in detail


# Query counts ---------------------------------------------------------------------------------------


def grow(n: int) -> None:
    users = [UserFactory() for _ in range(3)]
    surfaces = [SurfaceFactory() for _ in range(2)]
    for i in range(n):
        Delivery.objects.create(
            user=users[i % 3],
            kind=Kind.DIGEST,
            subject="digest",
            day=today() - dt.timedelta(days=i),
            to="x@example.com",
            status=[Delivery.Status.SENT, Delivery.Status.FAILED][i % 2],
            email_subject=f"Mail {i}",
        )
        decision = DecisionFactory(surface=surfaces[i % 2], status=Decision.Status.OPEN)
        decision.status = Decision.Status.DECIDED
        decision.save()


def count(client: Client, url: str, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("staff", "/outbound/sent/"),
        ("staff", "/outbound/sent/?status=failed"),
        ("principal", "/outbound/preferences/"),
        ("anonymous-feed", "/outbound/feeds/decisions/{token}.atom"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_as, principal, role: str, url: str) -> None:
    token = DecisionFeedToken.objects.create(user=principal).token
    client = Client() if role == "anonymous-feed" else client_as(role)
    url = url.format(token=token)
    grow(5)
    small = count(client, url)
    grow(60)
    assert count(client, url) == small
