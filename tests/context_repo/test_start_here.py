"""The start-here path: a new PM walks it step by step and marks steps read; the chief of staff curates it."""

from __future__ import annotations

import pytest

from context_repo.models import StartHereRead, StartHereStep
from decisions.models import Decision
from tests.context_repo.factories import ContextEntryFactory, DecisionFactory, StepFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def path() -> list[StartHereStep]:
    rights = ContextEntryFactory(
        title="Who decides what", body="| Kind | Decides |\n|---|---|\n| Pricing | the VP |"
    )
    pricing = DecisionFactory(
        title="Usage-based pricing",
        question="Seats or usage?",
        status=Decision.Status.DECIDED,
        outcome="Usage, with a floor.",
        context="Sales wanted *seats*.",
        reasoning="Agents have **no seats**.",
    )
    bet = ContextEntryFactory(title="Sovereign deployments first", kind="strategy_bet")
    return [
        StepFactory(position=1, entry=rights, why="Whose call a decision is."),
        StepFactory(position=2, decision=pricing, why="The most re-argued question, settled."),
        StepFactory(position=3, entry=bet, why="The bet behind every government conversation."),
    ]


def test_the_path_lists_its_steps_in_order_with_why_they_matter(client_as, path) -> None:
    html = client_as("contributor").get("/context/start-here/").content.decode()
    positions = [
        html.index(text)
        for text in ("Who decides what", "Usage-based pricing", "Sovereign deployments first")
    ]
    assert positions == sorted(positions)
    assert "Whose call a decision is." in html
    assert "0 of 3</strong> steps read" in html
    assert 'href="/context/start-here/1/">Begin with step 1' in html


def test_a_new_pm_walks_the_path_forward_and_back(client_as, path) -> None:
    client = client_as("contributor")
    first = client.get("/context/start-here/1/").content.decode()
    assert "Step 1 of 3" in first and "<td>the VP</td>" in first
    assert 'rel="next" href="/context/start-here/2/"' in first and 'rel="prev"' not in first
    second = client.get("/context/start-here/2/").content.decode()
    assert "Usage, with a floor." in second
    assert (
        "<em>seats</em>" in second and "<strong>no seats</strong>" in second
    )  # context and reasoning, rendered
    assert f'href="/decisions/{path[1].decision.key}/"' in second
    assert 'rel="prev" href="/context/start-here/1/"' in second
    last = client.get("/context/start-here/3/").content.decode()
    assert 'rel="next"' not in last and "Back to the path" in last
    assert client.get("/context/start-here/4/")["Location"] == "/context/start-here/"


def test_marking_a_step_read_updates_the_button_and_the_progress_in_place(
    client_as, contributor, path
) -> None:
    client = client_as("contributor")
    response = client.post(f"/context/start-here/steps/{path[0].pk}/read/", {"read": "1"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="step-read"')
    assert "You marked this step read." in html
    assert 'id="path-progress" class="path-progress" hx-swap-oob="true"' in html
    assert "1 of 3</strong> steps read" in html
    assert 'id="path-nav" class="path-nav" hx-swap-oob="true"' in html
    assert StartHereRead.objects.filter(user=contributor, step=path[0]).count() == 1
    # Twice is still once.
    client.post(f"/context/start-here/steps/{path[0].pk}/read/", {"read": "1"}, headers=HTMX)
    assert StartHereRead.objects.filter(user=contributor).count() == 1
    overview = client.get("/context/start-here/").content.decode()
    assert "Continue with step 2" in overview


def test_mark_read_and_go_on(client_as, path) -> None:
    client = client_as("contributor")
    plain = client.post(f"/context/start-here/steps/{path[0].pk}/read/", {"read": "1", "then": "next"})
    assert plain["Location"] == "/context/start-here/2/"
    htmx = client.post(
        f"/context/start-here/steps/{path[1].pk}/read/", {"read": "1", "then": "next"}, headers=HTMX
    )
    assert htmx["HX-Redirect"] == "/context/start-here/3/"


def test_a_step_can_be_marked_not_read_again(client_as, contributor, path) -> None:
    client = client_as("contributor")
    client.post(f"/context/start-here/steps/{path[2].pk}/read/", {"read": "1"})
    response = client.post(f"/context/start-here/steps/{path[2].pk}/read/", {"read": "0"})
    assert response["Location"] == "/context/start-here/3/"
    assert not StartHereRead.objects.filter(user=contributor).exists()


def test_progress_is_each_readers_own(client_as, contributor, viewer, path) -> None:
    for step in path:
        client_as("contributor").post(f"/context/start-here/steps/{step.pk}/read/", {"read": "1"})
    assert (
        "3 of 3</strong> steps read" in client_as("contributor").get("/context/start-here/").content.decode()
    )
    assert "0 of 3</strong> steps read" in client_as("viewer").get("/context/start-here/").content.decode()


def test_the_chief_of_staff_adds_a_step_with_why_it_matters(client_as, path) -> None:
    entry = ContextEntryFactory(title="Glossary")
    response = client_as("chief_of_staff").post(
        "/context/start-here/edit/",
        {"record": entry.key.lower(), "why": "The words customers hold us to."},
        headers=HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="path-steps"')
    step = StartHereStep.objects.get(entry=entry)
    assert step.position == 4 and step.why == "The words customers hold us to."
    decision = DecisionFactory(title="One catalog")
    client_as("chief_of_staff").post("/context/start-here/edit/", {"record": decision.key, "why": "Read it."})
    assert StartHereStep.objects.get(decision=decision).position == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"record": "CX-999", "why": "x"}, "No context entry or decision with the key CX-999."),
        ({"record": "WS-1", "why": "x"}, "No context entry or decision with the key WS-1."),
        ({"record": "", "why": "x"}, "This field is required."),
        ({"record": "D-1", "why": ""}, "This field is required."),
    ],
)
def test_a_bad_step_is_refused_in_place(client_as, path, data, message) -> None:
    response = client_as("chief_of_staff").post("/context/start-here/edit/", data, headers=HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StartHereStep.objects.count() == 3


def test_the_chief_of_staff_reorders_rewords_and_removes_steps(client_as, path) -> None:
    client = client_as("chief_of_staff")
    client.post(f"/context/start-here/steps/{path[2].pk}/change/", {"action": "up"}, headers=HTMX)
    assert [s.pk for s in StartHereStep.objects.order_by("position")] == [path[0].pk, path[2].pk, path[1].pk]
    client.post(f"/context/start-here/steps/{path[0].pk}/change/", {"action": "up"})  # already first
    client.post(f"/context/start-here/steps/{path[0].pk}/change/", {"action": "down"})
    assert [s.pk for s in StartHereStep.objects.order_by("position")] == [path[2].pk, path[0].pk, path[1].pk]
    client.post(
        f"/context/start-here/steps/{path[1].pk}/change/",
        {"action": "why", "why": "Reworded.", "version": path[1].version},
    )
    assert StartHereStep.objects.get(pk=path[1].pk).why == "Reworded."
    response = client.post(
        f"/context/start-here/steps/{path[0].pk}/change/", {"action": "remove"}, headers=HTMX
    )
    assert 'id="path-steps"' in response.content.decode()
    assert [(s.pk, s.position) for s in StartHereStep.objects.order_by("position")] == [
        (path[2].pk, 1),
        (path[1].pk, 2),
    ]


def test_the_curate_page_works_without_javascript(client_as, path) -> None:
    html = client_as("chief_of_staff").get("/context/start-here/edit/").content.decode()
    assert f'method="post" action="/context/start-here/steps/{path[0].pk}/change/"' in html
    assert 'method="post" action="/context/start-here/edit/"' in html
    response = client_as("chief_of_staff").post(
        f"/context/start-here/steps/{path[0].pk}/change/", {"action": "down"}
    )
    assert response["Location"] == "/context/start-here/edit/"


def test_an_empty_path_says_so(client_as) -> None:
    html = client_as("contributor").get("/context/start-here/").content.decode()
    assert "No reading path yet" in html
    assert client_as("contributor").get("/context/start-here/1/")["Location"] == "/context/start-here/"
