"""Two people edit the same record at once, each in their own session, each from the form the page
gave them: the first save wins, the second is refused with both versions side by side and what its
author typed kept in the form; nothing of either is lost, and saving again keeps the second."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from briefs.models import Brief
from context_repo.models import ContextEntry, StartHereStep
from leadership_os.access import Role
from leadership_os.models import Person
from rhythms.models import Occurrence
from tests.briefs.factories import BriefFactory, EngagementFactory
from tests.context_repo.factories import ContextEntryFactory
from tests.factories import PersonFactory, UserFactory
from tests.rhythms.factories import OccurrenceFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this while you were editing"


class _FormFields(HTMLParser):
    """The values a browser would submit from the form that posts to `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def filled_form(client: Client, url: str, page: str | None = None) -> dict[str, list[str]]:
    """The form posting to `url` as the page (`url` itself unless given) shows it."""
    response = client.get(page or url)
    assert response.status_code == 200
    parser = _FormFields(url)
    parser.feed(response.content.decode())
    assert "version" in parser.values, f"no versioned form posting to {url} on its page"
    return parser.values


def session(username: str, name: str) -> Client:
    user = UserFactory(username=username, role=Role.CHIEF_OF_STAFF, first_name=name)
    PersonFactory(key=username, name=name, user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana() -> Client:
    return session("ana", "Ana")


@pytest.fixture
def ben() -> Client:
    return session("ben", "Ben")


def race(
    ana: Client, ben: Client, url: str, theirs: dict, mine: dict, htmx: bool = False, page: str | None = None
):
    """Both load the form; Ana saves first; Ben saves from his now stale form."""
    ana_form, ben_form = filled_form(ana, url, page), filled_form(ben, url, page)
    first = ana.post(url, {**ana_form, **theirs})
    assert first.status_code == 302, first.content.decode()[:2000]
    headers = {"HX-Request": "true"} if htmx else {}
    second = ben.post(url, {**ben_form, **mine}, headers=headers)
    assert second.status_code == 200
    html = second.content.decode()
    assert CONFLICT in html
    assert "Ana" in html  # who saved in between
    return html, ben_form


def test_two_people_recording_the_same_occurrence(ana, ben) -> None:
    occurrence = OccurrenceFactory(status=Occurrence.Status.PLANNED)
    blocker = WorkstreamFactory(name="Data residency review")
    url = f"/rhythms/occurrences/{occurrence.pk}/record/"
    theirs = {"notes": "Ana's notes: pricing agreed.", "blockers": [str(blocker.pk)]}
    mine = {
        "notes": "Ben's notes: pricing still open.",
        "status": "skipped",
        "commitments-TOTAL_FORMS": "2",
        "commitments-0-description": "Ben sends the pricing memo",
        "commitments-0-due_on": timezone.localdate().isoformat(),
        "commitments-0-owner": str(Person.objects.get(key="ben").pk),
    }
    html, ben_form = race(ana, ben, url, theirs, mine, htmx=True)
    assert html.lstrip().startswith('<form id="rhythms-record-form"')
    assert "Ana&#x27;s notes: pricing agreed." in html and "Ben&#x27;s notes: pricing still open." in html
    assert f"{blocker.key} Data residency review" in html
    assert "Held" in html and "Not held" in html
    assert 'value="Ben sends the pricing memo"' in html  # his commitment row is kept, not made
    occurrence.refresh_from_db()
    assert occurrence.notes == "Ana's notes: pricing agreed."
    assert occurrence.status == Occurrence.Status.HELD
    assert list(occurrence.blockers_surfaced.all()) == [blocker]
    assert not occurrence.commitments.exists()
    assert f'name="version" value="{occurrence.version}"' in html
    # Ben saves again from the form he was shown: now knowingly, his record stands.
    again = ben.post(url, {**ben_form, **mine, "version": str(occurrence.version)})
    assert again.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.notes == "Ben's notes: pricing still open."
    assert [c.description for c in occurrence.commitments.all()] == ["Ben sends the pricing memo"]
    # Ana's record is not lost either: it is the version before Ben's in the history.
    notes = [h.notes for h in occurrence.history.order_by("history_date", "history_id")]
    assert notes.index("Ana's notes: pricing agreed.") < notes.index("Ben's notes: pricing still open.")


def test_two_people_editing_the_same_brief_section(ana, ben) -> None:
    engagement = EngagementFactory()
    BriefFactory(engagement=engagement, objective="Agree the pilot scope.")
    url = f"/briefs/{engagement.pk}/edit/objective/"
    html, _ = race(
        ana, ben, url,
        {"objective": "Agree the pilot scope and its price."},
        {"objective": "Agree the pilot scope by Friday."},
    )  # fmt: skip
    assert "Agree the pilot scope and its price." in html and "Agree the pilot scope by Friday." in html
    brief = Brief.objects.get(engagement=engagement)
    assert brief.objective == "Agree the pilot scope and its price."
    assert f'name="version" value="{brief.version}"' in html


def test_two_people_editing_the_same_context_entry(ana, ben) -> None:
    entry = ContextEntryFactory(title="Enterprise buyers want audit logs", body="Three accounts asked.")
    url = f"/context/{entry.key}/edit/"
    html, _ = race(
        ana, ben, url,
        {"body": "Four accounts asked."},
        {"body": "Three accounts asked, one threatened to churn."},
    )  # fmt: skip
    assert "<td>Four accounts asked.</td><td>Three accounts asked, one threatened to churn.</td>" in html
    entry = ContextEntry.objects.get(pk=entry.pk)
    assert entry.body == "Four accounts asked."
    assert f'name="version" value="{entry.version}"' in html


def test_two_people_rewording_the_same_start_here_step(ana, ben) -> None:
    entry = ContextEntryFactory(title="Why enterprise first")
    step = StartHereStep.objects.create(position=1, entry=entry, why="Read this first.")
    url = f"/context/start-here/steps/{step.pk}/change/"
    html, _ = race(
        ana, ben, url,
        {"why": "The bet the whole year rests on."},
        {"why": "Explains the enterprise-first bet."},
        htmx=True, page="/context/start-here/edit/",
    )  # fmt: skip
    assert "<td>The bet the whole year rests on.</td><td>Explains the enterprise-first bet.</td>" in html
    assert 'value="Explains the enterprise-first bet."' in html
    step.refresh_from_db()
    assert step.why == "The bet the whole year rests on."
    assert f'name="version" value="{step.version}"' in html
