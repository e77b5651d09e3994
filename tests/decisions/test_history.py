"""The history page: each change to a decision and its parts, as a readable difference."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import timezone

from decisions import services
from decisions.models import Decision
from tests.decisions.factories import DecisionFactory, OptionFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def text_of(markup: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", markup).split()))


def test_the_history_shows_who_changed_what_from_what_to_what(cos_client, chief_of_staff) -> None:
    ana, bo = PersonFactory(name="Ana Lima"), PersonFactory(name="Bo Persson")
    carla = PersonFactory(name="Carla Mendes")
    decision = services.decision_create(
        by=chief_of_staff,
        fields={"title": "Retention", "question": "How long?", "decider": ana},
        tags=["helix"],
        options=[{"title": "30 days"}, {"title": "Zero"}],
        stakeholders=[{"person": carla, "stance": "unknown", "position": ""}],
        reopen_conditions=[{"text": "If Helix's counsel changes.", "review_on": None, "triggered_on": None}],
    )
    thirty = decision.options.get(title="30 days")
    services.decision_update(
        decision=decision,
        by=chief_of_staff,
        expected_version=decision.version,
        fields={"title": "Retention for Helix", "decider": bo},
        tags=["helix", "data-retention"],
        options=[{"id": thirty.pk, "title": "30 days, abuse monitoring only"}],
        stakeholders=[
            {"id": decision.stakeholders.get().pk, "person": carla, "stance": "oppose", "position": "No."}
        ],
    )
    services.decision_open(decision=decision, by=chief_of_staff)

    page = text_of(cos_client.get(f"/decisions/{decision.key}/history/").content.decode())
    page = page.replace(chief_of_staff.get_full_name(), "Daniel Reyes")
    assert "Daniel Reyes changed D-1 — Opened for decision" in page
    assert "Status Draft Open" in page
    assert "Title Retention Retention for Helix" in page
    assert "Decider Ana Lima Bo Persson" in page
    assert "Tags helix data-retention, helix" in page
    assert (
        "Daniel Reyes changed option “30 days, abuse monitoring only” Field Before After "
        "Title 30 days 30 days, abuse monitoring only" in page
    )
    assert "Daniel Reyes deleted option “Zero”" in page
    assert (
        "Daniel Reyes changed the position of Carla Mendes Field Before After Position — No. Stance Unknown Oppose"
        in page
    )
    assert "Daniel Reyes created reopen condition “If Helix's counsel changes.”" in page
    assert "Daniel Reyes created D-1" in page
    # Newest first.
    assert page.index("Opened for decision") < page.index("created D-1")


def test_the_history_keeps_an_outcome_after_the_decision_is_reopened(
    cos_client, principal, chief_of_staff
) -> None:
    decision = DecisionFactory()
    option = OptionFactory(decision=decision, title="Ship in March")
    services.decision_record_outcome(decision=decision, option=option, reasoning="Ready.", by=principal)
    services.decision_reopen(decision=decision, by=chief_of_staff, note="Scope changed.")
    page = text_of(cos_client.get(f"/decisions/{decision.key}/history/").content.decode())
    page = page.replace(chief_of_staff.get_full_name(), "Daniel Reyes").replace(
        principal.get_full_name(), "Maya Okafor"
    )
    assert "Daniel Reyes changed D-1 — Reopened: Scope changed." in page
    assert "Outcome Ship in March —" in page
    assert "Maya Okafor changed D-1 — Outcome recorded" in page
    assert "Chosen yes no" in page
    assert Decision.objects.get().status == Decision.Status.OPEN


def test_a_review_of_a_reopen_condition_is_in_the_history(cos_client, chief_of_staff) -> None:
    decision = DecisionFactory(status=Decision.Status.DECIDED)
    condition = decision.reopen_conditions.create(text="If volumes double.", review_on=timezone.localdate())
    services.decision_review_condition(condition=condition, by=chief_of_staff, note="Volumes flat.")
    page = text_of(cos_client.get(f"/decisions/{decision.key}/history/").content.decode())
    assert "changed reopen condition “If volumes double.” — Reviewed: still holds" in page
    assert "Review note — Volumes flat." in page
