"""The context repository's snapshot sections (`context`, `start_here`) and the sample org's part."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings

from context_repo import queries, search
from context_repo.models import ContextEntry, SearchDocument, StartHereStep
from leadership_os.models import KeyCounter
from orgfiles import snapshot

pytestmark = pytest.mark.django_db
SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "sample"
ANCHOR = dt.date(2026, 11, 20)


def _sample() -> dict:
    return snapshot.read_path(SAMPLE)


def _loads(section: str) -> bool:
    return any(s.name == section for s in snapshot.sections())


def test_the_sample_has_about_forty_entries_of_every_kind_in_prose() -> None:
    entries = json.loads((SAMPLE / "50_context.json").read_text())["context"]
    assert 35 <= len(entries) <= 45
    assert {e["kind"] for e in entries} == {k for k, _ in ContextEntry.Kind.choices}
    for entry in entries:
        assert len(entry["body"].split()) >= 25, f"{entry['key']} reads like a placeholder"
    sources = {e.get("source") for e in entries if e["kind"] == "customer_signal"}
    assert {"Helix Research", "Federal Digital Services Agency", "Northbank Financial"} <= sources


def test_the_sample_links_only_to_the_decisions_and_workstreams_the_other_parts_define() -> None:
    document = json.loads((SAMPLE / "50_context.json").read_text())
    decisions = {k for e in document["context"] for k in e.get("decisions", [])}
    decisions |= {s["decision"] for s in document["start_here"] if "decision" in s}
    workstreams = {k for e in document["context"] for k in e.get("workstreams", [])}
    assert decisions <= {f"D-{n}" for n in range(1, 13)}
    assert workstreams <= {f"WS-{n}" for n in range(1, 6)}
    assert {"D-1", "D-2"} <= decisions


def test_one_theme_has_three_fresh_signals_and_nothing_deciding_it() -> None:
    snapshot.load(_sample(), today=ANCHOR)
    residency = ContextEntry.objects.filter(tags__name="eval-data-residency")
    assert sorted((ANCHOR - e.dated_on).days for e in residency) == [2, 6, 11]
    assert {e.kind for e in residency} == {"customer_signal"}
    themes = {t.tag: t for t in queries.signal_themes(ANCHOR)}
    assert themes["eval-data-residency"].undecided_cluster
    others = [t for tag, t in themes.items() if tag != "eval-data-residency"]
    assert len(others) >= 3
    assert all(t.has_decision for t in others), [t.tag for t in others if not t.has_decision]


def test_the_sample_loads_with_its_path_and_is_searchable() -> None:
    counts = snapshot.load(_sample(), today=ANCHOR)
    assert counts["context"] == ContextEntry.objects.count()
    assert counts["start_here"] == 9
    steps = list(StartHereStep.objects.order_by("position"))
    if _loads("decisions"):
        assert len(steps) == 9 and {s.decision.key for s in steps if s.decision} == {"D-1", "D-2"}
    else:  # this build does not load decisions yet: their steps wait for it
        assert len(steps) == 7
    assert [s.position for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].entry.title == "Who decides what: the decision rights table"
    assert SearchDocument.objects.filter(type="context").count() == ContextEntry.objects.count()
    assert [h.ref for h in search.search("eval-data-residency")][:3] != []
    pm_entries = ContextEntry.objects.filter(author__username="pm")
    if pm_entries.exists():
        assert all(e.author.person.key == "priya-natarajan" for e in pm_entries)


def test_new_entries_continue_after_the_loaded_keys() -> None:
    snapshot.load(_sample(), today=ANCHOR)
    highest = max(e.number for e in ContextEntry.objects.all())
    assert KeyCounter.objects.get(prefix="CX").last == highest
    assert ContextEntry.objects.create(kind="note", title="Next", dated_on=ANCHOR).key == f"CX-{highest + 1}"


def test_export_then_import_gives_the_same_context() -> None:
    snapshot.load(_sample(), today=ANCHOR)
    exported = snapshot.export()
    first = {"context": exported["context"], "start_here": exported["start_here"]}
    snapshot.load(exported, replace=True, today=ANCHOR)
    again = snapshot.export()
    assert {"context": again["context"], "start_here": again["start_here"]} == first
    assert first["context"][0]["dated_on"] == "2026-03-25"  # written back as absolute dates


def _document(**sections: object) -> dict:
    base = {
        "format": snapshot.FORMAT,
        "anchor": "2026-11-20",
        "people": [{"key": "ana", "name": "Ana Lima"}],
        "surfaces": [{"key": "gov", "name": "Government"}],
    }
    return {**base, **sections}


def test_bad_entries_and_steps_are_refused_by_place_and_nothing_is_written() -> None:
    document = _document(
        context=[
            {"key": "CX-1", "kind": "note", "title": "Fine", "dated_on": "@-1", "surface": "gov", "author": "ana"},
            {"key": "CX-1", "kind": "note", "title": "Twice", "dated_on": "@-1"},
            {"key": "CX-2", "kind": "note", "title": "T", "dated_on": "@0", "surface": "nowhere", "author": "bob"},
            {"key": "X-3", "kind": "rumour", "title": "", "dated_on": "someday", "tags": ["Not A Slug"], "status": "maybe"},
        ],
        start_here=[
            {"entry": "CX-1", "why": "Read it."},
            {"entry": "CX-404", "why": "Missing."},
            {"entry": "CX-1", "decision": "D-1", "why": "Both."},
            {"why": "Neither."},
            {"entry": "CX-1", "why": ""},
        ],
    )  # fmt: skip
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(document)
    lines = caught.value.problems.lines()
    for expected in (
        "context[1].key: 'CX-1' is used twice (also at context[0])",
        "context[2].surface: no surface with key 'nowhere' in this file",
        "context[2].author: no person with key 'bob' in this file",
        "context[3].key: must be a context entry's key, such as CX-12",
        "context[3].kind: must be one of",
        "context[3].title: must not be empty",
        "context[3].dated_on: not a date",
        "context[3].status: must be one of",
        "context[3].tags[0]: must be a key",
        "start_here[1].entry: no context entry with key 'CX-404' in this file",
        "start_here[2]: Value error, a step is either an entry or a decision",
        "start_here[3]: Value error, a step is either an entry or a decision",
        "start_here[4].why: must not be empty",
    ):
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in {lines}"
    assert ContextEntry.objects.count() == 0 and StartHereStep.objects.count() == 0


@pytest.mark.skipif(not _loads("decisions"), reason="this build does not load decisions yet")
def test_links_to_unknown_decisions_and_workstreams_are_refused() -> None:
    document = _document(
        context=[
            {
                "key": "CX-1",
                "kind": "note",
                "title": "T",
                "dated_on": "@0",
                "decisions": ["D-99"],
                "workstreams": ["WS-99"],
            }
        ],
        start_here=[{"decision": "D-98", "why": "x"}],
    )
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(document)
    text = "\n".join(caught.value.problems.lines())
    assert "context[0].decisions[0]: no decision with key 'D-99'" in text
    assert "start_here[0].decision: no decision with key 'D-98'" in text
