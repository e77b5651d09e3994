"""Every link of the sample org leads somewhere, for every role: the pages reachable from the
navigation are crawled with the test client, each internal href followed, and none answers 404
or 500. The chief of staff (who sees every link) follows every record; the other roles a few
records of each kind; filters and calendar steps a few variants each, so the crawl ends."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from leadership_os.demo_users import ensure_demo_users

pytestmark = pytest.mark.django_db

ROLES = ["cos", "vp", "pm", "viewer"]  # the chief of staff first: the most links
# Addresses that are not pages of the product: signing out ends the crawl's session; the admin and
# the static files are Django's own.
SKIPPED = ("/accounts/logout/", "/admin/", "/static/")
# Links that differ only in their query (filters, pages, a calendar's "next week", where to go
# back to) show one page with other data; a few of each kind (the same path but for its numbers,
# the same query names) are followed, so that a link that breeds links (the calendar)
# cannot run the crawl forever. Addresses without a query are all followed.
VARIANTS_FOLLOWED = 3
RECORDS_PER_KIND = 4
MAX_PAGES = 1500


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)


def internal_links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == "testserver":
            href = href.split("testserver", 1)[1]
        elif parts.scheme or parts.netloc or not href:
            continue
        if not href.startswith("/"):
            href = base.rsplit("/", 1)[0] + "/" + href
        if href.startswith(SKIPPED):
            continue
        links.append(href)
    return links


def crawl(
    client: Client, *, skip: Iterable[str] = (), records_per_kind: int | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """Every page reachable from the dashboard: its status, and where each address was first seen
    (the addresses in `skip` are not requested; with `records_per_kind`, only that many pages of
    each kind of record, e.g. `/decisions/D-N/history/`, are followed)."""
    statuses: dict[str, int] = {}
    found_on: dict[str, str] = {"/": "(start)"}
    variants: Counter[tuple[str, frozenset[str]]] = Counter()
    records: Counter[str] = Counter()
    queue = deque(["/"])
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(url, response.content.decode()):
            if link in found_on or link in skip:
                continue
            parts = urlsplit(link)
            path_kind = re.sub(r"\d+", "N", parts.path)
            if records_per_kind is not None and path_kind != parts.path and not parts.query:
                records[path_kind] += 1
                if records[path_kind] > records_per_kind:
                    continue
            if parts.query:
                kind = (
                    path_kind,
                    frozenset(name for name, _ in parse_qsl(parts.query, keep_blank_values=True)),
                )
                variants[kind] += 1
                if variants[kind] > VARIANTS_FOLLOWED:
                    continue
            found_on[link] = url
            queue.append(link)
    return statuses, found_on


def test_every_link_of_the_sample_org_leads_to_a_page_for_every_role(settings, django_user_model) -> None:
    settings.DEBUG = True
    ensure_demo_users()
    settings.DEBUG = False
    call_command("load_sample", verbosity=0)
    broken = {}
    downloads: set[str] = set()
    for username in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(django_user_model.objects.get(username=username))
        # The chief of staff, who sees every link, follows every record; the other roles see the
        # same records with fewer links, and follow a few of each kind. A download holds no links;
        # one role's request of each is enough to know it is there.
        statuses, found_on = crawl(
            client, skip=downloads, records_per_kind=None if username == "cos" else RECORDS_PER_KIND
        )
        downloads.update(url for url in statuses if "/export" in url)
        assert 60 < len(statuses) < MAX_PAGES, username
        broken.update(
            {
                (username, url): (status, found_on[url])
                for url, status in statuses.items()
                if status in (404, 500)
            }
        )
    assert not broken
