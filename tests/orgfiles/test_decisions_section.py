"""The `decisions` section of the org snapshot: loading, every problem by place, export and import,
and the sample organization's decisions."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.management import call_command

from decisions import services
from decisions.models import Decision
from orgfiles import snapshot

pytestmark = pytest.mark.django_db

ANCHOR = dt.date(2026, 11, 20)
PEOPLE = [{"key": "maya", "name": "Maya Okafor"}, {"key": "rachel", "name": "Rachel Stein"}]
SURFACES = [{"key": "government", "name": "Government"}]


def document(*decisions: dict) -> dict:
    return {
        "format": snapshot.FORMAT,
        "anchor": ANCHOR.isoformat(),
        "people": PEOPLE,
        "surfaces": SURFACES,
        "decisions": list(decisions),
    }


def a_decided(key: str = "D-4", **fields: object) -> dict:
    return {
        "key": key,
        "title": "Pursue FedRAMP High directly",
        "question": "Which authorization first?",
        "status": "decided",
        "surface": "government",
        "decider": "maya",
        "tags": ["fedramp"],
        "opened_on": "@-40",
        "decided_on": "@-30",
        "outcome": "High directly.",
        "reasoning": "Phase two needs High.",
        "options": [
            {"title": "Moderate first", "rejected_because": "Two assessments."},
            {"title": "High directly", "chosen": True},
        ],
        "stakeholders": [{"person": "rachel", "stance": "neutral", "position": "Either works."}],
        "reopen_conditions": [{"text": "If CUI moves to an enclave.", "review_on": "@-1"}],
        **fields,
    }


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(doc)
    return caught.value.problems.lines()


def test_a_decision_loads_with_its_parts_and_keeps_its_key() -> None:
    counts = snapshot.load(
        document(a_decided(status="superseded"), a_decided("D-9", title="Later", supersedes="D-4"))
    )
    assert counts["decisions"] == 2
    decision = Decision.objects.get(key="D-4")
    assert decision.decided_on == ANCHOR - dt.timedelta(days=30)
    assert decision.chosen_option.title == "High directly"
    assert decision.options.get(title="Moderate first").rejected_because == "Two assessments."
    assert decision.stakeholders.get().person.name == "Rachel Stein"
    assert decision.reopen_conditions.get().review_on == ANCHOR - dt.timedelta(days=1)
    assert [t.name for t in decision.tags.all()] == ["fedramp"]
    assert decision.superseded_by.key == "D-9"
    # A decision created afterwards takes the next free key.
    assert services.decision_create(by=None, fields={"title": "New", "question": "?"}).key == "D-10"


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (lambda d: d.update(decider="nobody"), "decisions[0].decider", "no person with key 'nobody'"),
        (lambda d: d.update(driver="ghost"), "decisions[0].driver", "no person with key 'ghost'"),
        (lambda d: d.update(surface="mars"), "decisions[0].surface", "no surface with key 'mars'"),
        (lambda d: d.update(supersedes="D-77"), "decisions[0].supersedes", "no decision with key 'D-77'"),
        (lambda d: d.update(supersedes="D-4"), "decisions[0].supersedes", "cannot supersede itself"),
        (
            lambda d: d["stakeholders"][0].update(person="ghost"),
            "decisions[0].stakeholders[0].person",
            "no person",
        ),
        (
            lambda d: d["stakeholders"].append({"person": "rachel"}),
            "decisions[0].stakeholders[1].person",
            "already a stakeholder",
        ),
        (
            lambda d: d["options"][0].update(chosen=True),
            "decisions[0].options",
            "exactly one chosen option, not 2",
        ),
        (
            lambda d: d["options"][1].update(chosen=False),
            "decisions[0].options",
            "exactly one chosen option, not 0",
        ),
        (
            lambda d: d.update(status="open"),
            "decisions[0].options[1].chosen",
            "a open decision has no chosen option yet",
        ),
        (lambda d: d.pop("decided_on"), "decisions[0].decided_on", "required for a decided decision"),
        (lambda d: d.update(key="D-04"), "decisions[0].key", "must be a decision key such as D-12"),
        (lambda d: d.update(key="X-4"), "decisions[0].key", "must be a decision key such as D-12"),
        (lambda d: d.update(status="maybe"), "decisions[0].status", "must be one of"),
        (lambda d: d.update(needed_by="soon"), "decisions[0].needed_by", "not a date"),
        (
            lambda d: d["reopen_conditions"][0].update(review_on="later"),
            "decisions[0].reopen_conditions[0].review_on",
            "not a date",
        ),
        (lambda d: d["tags"].append("Not A Tag"), "decisions[0].tags[1]", "must be a key"),
        (lambda d: d["options"][0].update(colour="red"), "decisions[0].options[0].colour", "unknown field"),
        (lambda d: d.pop("question"), "decisions[0].question", "required"),
    ],
)
def test_each_problem_is_reported_at_its_place(change, place: str, message: str) -> None:
    decision = copy.deepcopy(a_decided())
    change(decision)
    lines = problems_of(document(decision))
    assert any(line.startswith(f"{place}:") and message in line for line in lines), lines
    assert not Decision.objects.exists()


def test_a_decision_superseded_twice_and_a_duplicate_key_are_refused() -> None:
    lines = problems_of(
        document(
            a_decided(),
            a_decided("D-5", supersedes="D-4"),
            a_decided("D-6", supersedes="D-4"),
            a_decided("D-5"),
        )
    )
    assert "decisions[2].supersedes: D-4 is already superseded by decisions[1]" in lines
    assert "decisions[3].key: 'D-5' is used twice (also at decisions[1])" in lines


def test_export_then_import_gives_the_same_decisions() -> None:
    snapshot.load(
        document(
            a_decided(status="superseded"),
            a_decided(
                "D-9",
                title="Later",
                supersedes="D-4",
                status="open",
                decided_on=None,
                options=[{"title": "A"}, {"title": "B"}],
            ),
        )
    )
    exported = snapshot.export()
    first = exported["decisions"]
    snapshot.load(exported, replace=True)
    assert snapshot.export()["decisions"] == first
    assert first[1]["supersedes"] == "D-4"
    assert first[0]["reopen_conditions"][0]["review_on"] == (ANCHOR - dt.timedelta(days=1)).isoformat()


def test_the_sample_organization_has_the_decisions_other_artifacts_rely_on() -> None:
    call_command("load_sample")
    decisions = {d.key: d for d in Decision.objects.prefetch_related("reopen_conditions", "options")}
    assert 28 <= len(decisions) <= 35
    assert {"frontier-labs", "government", "enterprise"} == {d.surface.key for d in decisions.values()}
    for key in ("D-3", "D-5", "D-8", "D-12"):
        assert decisions[key].status == Decision.Status.OPEN, key
    from django.utils import timezone

    today = timezone.localdate()
    open_ones = [d for d in decisions.values() if d.status == "open"]
    assert sum(1 for d in open_ones if d.needed_by and d.needed_by < today) >= 2
    assert (
        sum(1 for d in open_ones if d.needed_by and today <= d.needed_by <= today + dt.timedelta(days=7)) >= 2
    )
    chain = [decisions["D-2"], decisions["D-9"], decisions["D-17"]]
    assert [d.status for d in chain] == ["superseded", "superseded", "decided"]
    assert (chain[1].supersedes, chain[2].supersedes) == (chain[0], chain[1])
    conditions = [c for d in decisions.values() if d.status == "decided" for c in d.reopen_conditions.all()]
    assert any(c.is_due(today) for c in conditions)
    assert any(c.is_triggered(today) for c in conditions)
    assert any(c.review_on and c.review_on > today for c in conditions)
    assert sum(1 for d in decisions.values() if d.status == "withdrawn") == 1
    assert sum(1 for d in decisions.values() if d.status == "draft") >= 2
    for decision in decisions.values():
        if decision.status == "decided":
            assert sum(o.chosen for o in decision.options.all()) == 1, decision.key
            assert any(o.rejected_because for o in decision.options.all()), decision.key
