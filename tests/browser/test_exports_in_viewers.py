"""The Markdown exports of hostile records, opened in a viewer that renders raw HTML (as static-site
ADR tools and many editors do): markdown-it-py with HTML on, the page loaded in Chromium. Every
field of every decision and brief holds a known XSS vector whose script calls a window function;
none of them runs from the single MADR files, the zip of all, or the briefs' files. The same
vectors written into Markdown as they are do run there, so the count can fail."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from markdown_it import MarkdownIt
from playwright.sync_api import Page

from briefs.models import Brief, Engagement, StakeholderPosition
from context_repo.models import ContextEntry
from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os.models import Person, Surface
from tests.context_repo.xss import VECTORS, problems_in_page
from workstreams.models import Commitment

# Transactional like every browser test, so that the suite runs them together after the others.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Every way a vector can run calls one of these; each call is counted. Chromium's own dialogs (from
# frames, where these are not replaced) are counted too.
PRELUDE = """<!doctype html><html><head><meta charset="utf-8"><title>Export</title><script>
window.__ran = 0;
for (const name of ["alert", "confirm", "prompt", "print"]) window[name] = () => { window.__ran += 1; };
</script></head><body>"""
# A few vectors of our own that run without any dialog, by setting a flag.
FLAGS = [
    '<img src=x onerror="window.__ran+=1">',
    "<script>window.__ran+=1</script>",
    "<svg><script>window.__ran+=1</script></svg>",
    '<details open ontoggle="window.__ran+=1">x</details>',
    '<style onload="window.__ran+=1"></style>',
]
PAYLOADS = [*VECTORS, *FLAGS]


def hostile_org() -> tuple[list[Decision], list[Engagement]]:
    """One decision and one engagement per payload, the payload in every text field they show."""
    today = timezone.localdate()
    now = timezone.now()
    surface = Surface.objects.create(key="hostile", name="<img src=x onerror=alert(1)>")
    decisions, engagements = [], []
    for n, text in enumerate(PAYLOADS):
        person = Person.objects.create(
            key=f"p{n}", name=text[:120], title=text[:120], organization=text[:120]
        )
        decision = Decision.objects.create(
            title=text, question=text, context=text, reasoning=text, outcome=text, surface=surface,
            status=Decision.Status.DECIDED, opened_on=today - dt.timedelta(days=9),
            decided_on=today - dt.timedelta(days=2), decider=person, driver=person,
        )  # fmt: skip
        Option.objects.create(
            decision=decision, title=text, description=text, pros=text, cons=text, chosen=True
        )
        Option.objects.create(decision=decision, title=text, rejected_because=text, position=1)
        DecisionStakeholder.objects.create(decision=decision, person=person, stance="support", position=text)
        ReopenCondition.objects.create(
            decision=decision, text=text, review_on=today, reviewed_on=today, review_note=text
        )
        before = Engagement.objects.create(
            title=text, kind=Engagement.Kind.CUSTOMER_BRIEFING, counterpart=text[:120],
            starts_at=now - dt.timedelta(days=20), outcome=text,
        )  # fmt: skip
        Commitment.objects.create(
            description=text[:300], owner=person, engagement=before, due_on=today, original_due_on=today
        )
        engagement = Engagement.objects.create(
            title=text, kind=Engagement.Kind.CUSTOMER_BRIEFING, counterpart=text[:120], location=text,
            starts_at=now + dt.timedelta(days=1), surface=surface,
        )  # fmt: skip
        engagement.attendees.set([person])
        Brief.objects.create(engagement=engagement, objective=text, one_thing=text, notes=text)
        StakeholderPosition.objects.create(
            person=person,
            engagement=engagement,
            position=text,
            stance="oppose",
            recorded_on=today,
            source=text,
        )
        ContextEntry.objects.create(
            kind=ContextEntry.Kind.CUSTOMER_SIGNAL,
            title=text,
            source=text[:200],
            dated_on=today,
            surface=surface,
        )
        decisions.append(decision)
        engagements.append(engagement)
    return decisions, engagements


def exported_files(
    client: Client, decisions: list[Decision], engagements: list[Engagement]
) -> dict[str, str]:
    files: dict[str, str] = {}
    # The zip holds every decision's MADR file; a few are also downloaded one by one.
    for decision in decisions[::10]:
        files[f"decision {decision.key}"] = client.get(
            f"/decisions/{decision.key}/export.md"
        ).content.decode()
    with zipfile.ZipFile(io.BytesIO(client.get("/decisions/export.zip").content)) as archive:
        for name in archive.namelist():
            files[f"zip {name}"] = archive.read(name).decode()
    for engagement in engagements:
        files[f"brief {engagement.pk}"] = client.get(f"/briefs/{engagement.pk}/export.md").content.decode()
    return files


def scripts_run(page: Page, markdown: str) -> int:
    """How many times script ran while the viewer's page for `markdown` loaded."""
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(PRELUDE + VIEWER.render(markdown) + "</body></html>", wait_until="load")
    page.wait_for_timeout(30)
    return int(page.evaluate("window.__ran")) + len(dialogs)


@pytest.fixture
def viewer_page(page: Page) -> Page:
    # Nothing leaves the machine: a vector's script or frame from the network is refused and counted.
    page.foreign_requests = []  # type: ignore[attr-defined]

    def refuse(route):
        if route.request.resource_type in ("script", "document", "subdocument"):
            page.foreign_requests.append(route.request.url)  # type: ignore[attr-defined]
        route.abort()

    page.route("**/*", refuse)
    return page


def test_no_export_of_hostile_records_runs_script_in_a_raw_html_viewer(viewer_page: Page, cos_client) -> None:
    decisions, engagements = hostile_org()
    files = exported_files(cos_client, decisions, engagements)
    assert len(files) == len(decisions[::10]) + 2 * len(PAYLOADS) + 1
    ran = {name: count for name, text in files.items() if (count := scripts_run(viewer_page, text))}
    assert ran == {}
    assert viewer_page.foreign_requests == []  # type: ignore[attr-defined]
    static = {
        name: problems
        for name, text in files.items()
        if (problems := [p for p in problems_in_page(VIEWER.render(text)) if "<img>" not in p])
    }
    assert static == {}


def test_the_same_vectors_written_as_they_are_do_run_in_that_viewer(viewer_page: Page) -> None:
    total = sum(scripts_run(viewer_page, text) for text in PAYLOADS)
    assert total >= 10
