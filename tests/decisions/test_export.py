"""MADR 4 export: one decision as Markdown, or the whole log as a zip, read back in the test."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest

from decisions import services
from decisions.models import Decision
from tests.decisions.factories import (
    ConditionFactory,
    DecisionFactory,
    OptionFactory,
    StakeholderFactory,
    decided,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MADR_SECTIONS = [
    "Context and Problem Statement",
    "Considered Options",
    "Decision Outcome",
    "Consequences",
    "Pros and Cons of the Options",
    "More Information",
]


def parse(markdown: str) -> tuple[dict[str, object], list[tuple[int, str]], str]:
    """Front matter (each value is YAML written as JSON), headings (level, text), and the body."""
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", markdown, re.S)
    assert match, "no YAML front matter"
    front: dict[str, object] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(": ")
        front[key] = value if key == "date" else json.loads(value)
    body = match.group(2)
    headings = [(len(m.group(1)), m.group(2)) for m in re.finditer(r"^(#{1,6}) (.+)$", body, re.M)]
    return front, headings, body


def test_a_decided_decision_exports_as_madr(client_as) -> None:
    maya = PersonFactory(name="Maya Okafor")
    decision = decided(decider=maya, title="Keep Helix prompts 30 days")
    chosen = decision.chosen_option
    chosen.pros, chosen.cons = "- Abuse monitoring works\n- Our standard term", "Helix objected once"
    chosen.save()
    StakeholderFactory(decision=decision, person=PersonFactory(name="Rachel Stein"), stance="neutral")
    StakeholderFactory(
        decision=decision, person=PersonFactory(name="Sam Lindqvist"), stance="unknown", position=""
    )
    ConditionFactory(
        decision=decision, text="If Helix's board changes its policy.", review_on=dt.date(2027, 1, 15)
    )

    response = client_as("viewer").get(f"/decisions/{decision.key}/export.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{decision.key}-keep-helix-prompts-30-days.md"'
    )
    front, headings, body = parse(response.content.decode())

    assert front == {
        "status": "accepted",
        "date": decision.decided_on.isoformat(),
        "decision-makers": ["Maya Okafor"],
        "consulted": ["Rachel Stein"],
        "informed": ["Sam Lindqvist"],
    }
    assert headings[0] == (1, "Keep Helix prompts 30 days")
    names = [text for _, text in headings]
    assert [s for s in names if s in MADR_SECTIONS] == MADR_SECTIONS
    assert (3, "Consequences") in headings
    assert (3, "30 days") in headings and (3, "Zero retention") in headings
    assert 'Chosen option: "30 days", because abuse monitoring needs **30 days**.' in body
    assert "* Good, because Abuse monitoring works" in body
    assert "* Bad, because Helix objected once" in body
    assert "Rejected, because Blind to abuse." in body
    assert "* If Helix's board changes its policy. (review on 2027-01-15)" in body


def test_the_supersession_is_in_the_export_both_ways(cos_client, chief_of_staff) -> None:
    old = decided(title="Per-seat pricing")
    successor = services.decision_supersede(decision=old, by=chief_of_staff, title="Per-GPU-hour pricing")
    front, _, body = parse(cos_client.get(f"/decisions/{old.key}/export.md").content.decode())
    assert front["status"] == f"superseded by {successor.key}"
    assert f"* Superseded by: {successor.key} (Per-GPU-hour pricing)" in body
    front, _, body = parse(cos_client.get(f"/decisions/{successor.key}/export.md").content.decode())
    assert front["status"] == "proposed"
    assert f"* Supersedes: {old.key} (Per-seat pricing)" in body
    assert "Not decided yet (open)." in body


def test_the_whole_log_exports_as_a_zip_of_madr_files_with_an_index(client_as) -> None:
    decided(title="First")
    OptionFactory(decision=DecisionFactory(title="Second, still open"), title="Maybe")
    DecisionFactory(title="Withdrawn one", status=Decision.Status.WITHDRAWN, outcome="Moot.")
    response = client_as("viewer").get("/decisions/export.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == [
        "decisions/D-1-first.md",
        "decisions/D-2-second-still-open.md",
        "decisions/D-3-withdrawn-one.md",
        "decisions/README.md",
    ]
    for name in names[:-1]:
        front, headings, _ = parse(archive.read(name).decode())
        assert set(front) == {"status", "date", "decision-makers", "consulted", "informed"}
        assert [s for _, s in headings if s in MADR_SECTIONS] == MADR_SECTIONS
    assert parse(archive.read("decisions/D-3-withdrawn-one.md").decode())[0]["status"] == "withdrawn"
    index = archive.read("decisions/README.md").decode()
    assert "| D-2 | [Second, still open](D-2-second-still-open.md) | proposed |" in index


def test_the_zip_holds_only_the_filtered_decisions_when_filters_are_given(client_as) -> None:
    decided(title="Kept")
    DecisionFactory(title="Left out")
    archive = zipfile.ZipFile(
        io.BytesIO(client_as("viewer").get("/decisions/export.zip?status=decided").content)
    )
    assert [n for n in archive.namelist() if n != "decisions/README.md"] == ["decisions/D-1-kept.md"]
