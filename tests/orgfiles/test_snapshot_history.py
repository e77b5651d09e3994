"""History in the org snapshot: written exactly as the file gives it, every bad entry refused by place,
and read and written in a fixed number of queries whatever the size of the org."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions.models import Decision, Option
from decisions.queries import decision_history
from leadership_os.models import Tag
from orgfiles import history as snapshot_history
from orgfiles import snapshot
from tests.factories import UserFactory
from workstreams.models import Workstream

pytestmark = pytest.mark.django_db

CREATED = "2026-10-01T16:00:00+00:00"


def decision_values(**changes: object) -> dict[str, object]:
    """Every tracked field of a decision, as the first entry of its history gives them."""
    return {
        "version": 1,
        "title": "Retention for Helix",
        "question": "How long do we keep prompts?",
        "context": "",
        "status": "draft",
        "driver": None,
        "decider": "maya",
        "surface": "government",
        "needed_by": None,
        "opened_on": None,
        "decided_on": None,
        "outcome": "",
        "reasoning": "",
        "supersedes": None,
        "created_by": "cos",
        "created_at": CREATED,
        "tags": ["helix"],
        **changes,
    }


def option_values(position: int, title: str) -> dict[str, object]:
    return {
        "position": position,
        "title": title,
        "description": "",
        "pros": "",
        "cons": "",
        "rejected_because": "",
        "chosen": False,
    }


def at(minutes: int) -> str:
    return (dt.datetime(2026, 10, 1, 16, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)).isoformat()


def a_document() -> dict[str, Any]:
    """One open decision whose history runs from its creation to a second option, deleted since."""
    return {
        "format": snapshot.FORMAT,
        "anchor": "2026-11-20",
        "people": [{"key": "maya", "name": "Maya Okafor"}, {"key": "rachel", "name": "Rachel Stein"}],
        "surfaces": [{"key": "government", "name": "Government"}],
        "decisions": [
            {
                "key": "D-1",
                "title": "Retention for Helix",
                "question": "How long do we keep prompts?",
                "status": "open",
                "decider": "maya",
                "surface": "government",
                "tags": ["helix", "retention"],
                "opened_on": "2026-10-02",
                "options": [{"title": "Zero retention"}],
                "stakeholders": [{"person": "rachel", "stance": "oppose"}],
                "history": [
                    {"at": CREATED, "by": "cos", "type": "created", "values": decision_values()},
                    {"at": at(1), "by": "cos", "type": "created", "part": "option 1",
                     "values": option_values(0, "Zero retention")},
                    {"at": at(1), "by": "cos", "type": "created", "part": "deleted option 1",
                     "values": option_values(1, "Thirty days")},
                    {"at": at(2), "by": "cos", "type": "created", "part": "stakeholder rachel",
                     "values": {"person": "rachel", "position": "", "stance": "unknown"}},
                    {"at": at(60), "by": "ghost", "type": "changed", "part": "stakeholder rachel",
                     "values": {"stance": "oppose"}},
                    {"at": at(70), "by": "cos", "type": "deleted", "part": "deleted option 1"},
                    {"at": at(1440), "by": "cos", "type": "changed", "reason": "Opened for decision",
                     "values": {"status": "open", "opened_on": "2026-10-02", "version": 2,
                                "tags": ["helix", "retention"]}},
                ],
            }
        ],
    }  # fmt: skip


def problems_of(document: dict[str, Any]) -> list[str]:
    with pytest.raises(snapshot.SnapshotError) as caught:
        snapshot.load(document)
    return caught.value.problems.lines()


def test_a_history_is_written_exactly_as_the_file_gives_it() -> None:
    cos = UserFactory(username="cos")
    snapshot.load(a_document())
    decision = Decision.objects.get(key="D-1")
    rows = list(decision.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_date.isoformat(), r.history_user) for r in rows] == [
        ("+", "2026-10-01T16:00:00+00:00", cos),
        ("~", "2026-10-02T16:00:00+00:00", cos),
    ]
    assert rows[1].history_change_reason == "Opened for decision"
    assert (rows[0].status, rows[1].status, rows[1].opened_on) == ("draft", "open", dt.date(2026, 10, 2))
    assert rows[0].created_by == cos
    assert [sorted(t.tag.name for t in r.tags.all()) for r in rows] == [["helix"], ["helix", "retention"]]
    assert decision.version == 2  # the live record takes the version its history ends with
    # The import wrote no history of its own: no "created" row dated today for the record or its parts.
    assert Option.history.count() == 3


def test_a_part_deleted_since_keeps_its_history_under_a_stand_in_id() -> None:
    UserFactory(username="cos")
    snapshot.load(a_document())
    deleted = Option.history.filter(title="Thirty days").order_by("history_date")
    assert [r.history_type for r in deleted] == ["+", "-"]
    assert deleted[0].id < 0 and not Option.objects.filter(title="Thirty days").exists()
    kinds = [(e.kind, e.subject) for e in decision_history(Decision.objects.get(key="D-1"))]
    assert ("deleted", "option “Thirty days”") in kinds
    assert ("created", "option “Zero retention”") in kinds


def test_an_entry_by_a_login_that_does_not_exist_here_is_kept_without_a_user() -> None:
    snapshot.load(a_document())
    stance = Decision.objects.get(key="D-1").stakeholders.get().history.order_by("history_date")
    assert [(r.stance, r.history_user) for r in stance] == [("unknown", None), ("oppose", None)]


def test_a_record_without_history_is_imported_as_before_and_an_empty_history_writes_none() -> None:
    document = a_document()
    del document["decisions"][0]["history"]
    document["decisions"].append({**copy.deepcopy(document["decisions"][0]), "key": "D-2", "history": []})
    snapshot.load(document)
    assert [r.history_type for r in Decision.history.filter(key="D-1")] == ["~", "+"]  # then its tags
    assert not Decision.history.filter(key="D-2").exists()
    assert Decision.objects.get(key="D-2").version == 1


def test_a_tag_only_the_history_names_is_kept_as_a_tag() -> None:
    document = a_document()
    document["decisions"][0]["history"][0]["values"]["tags"] = ["dropped-since"]
    snapshot.load(document)
    assert Tag.objects.filter(name="dropped-since").exists()
    first = Decision.history.filter(key="D-1").order_by("history_date").first()
    assert [row.tag.name for row in first.tags.all()] == ["dropped-since"]


def test_a_workstream_carries_its_history_too() -> None:
    created = {
        "version": 1, "name": "FedRAMP High", "description": "", "surface": None, "owner": "maya",
        "state": "on_track", "next_decision_on": None, "next_decision": None, "blocker": "",
        "blocked_since": None, "blocked_by_decision": None, "escalation": "none", "escalated_on": None,
        "created_on": "2026-09-01", "tags": [],
    }  # fmt: skip
    document = a_document()
    document["workstreams"] = [
        {
            "key": "WS-4",
            "name": "FedRAMP High",
            "owner": "maya",
            "state": "at_risk",
            "created_on": "2026-09-01",
            "history": [
                {"at": at(0), "type": "created", "values": created},
                {"at": at(90), "type": "changed", "reason": "Status update posted",
                 "values": {"state": "at_risk", "version": 2}},
            ],
        }
    ]  # fmt: skip
    snapshot.load(document)
    workstream = Workstream.objects.get(key="WS-4")
    assert [r.state for r in workstream.history.order_by("history_date")] == ["on_track", "at_risk"]
    assert workstream.version == 2
    exported = next(w for w in snapshot.export()["workstreams"] if w["key"] == "WS-4")
    assert exported["history"][1] == {
        "at": "2026-10-01T17:30:00+00:00",
        "by": None,
        "type": "changed",
        "reason": "Status update posted",
        "values": {"version": 2, "state": "at_risk"},
    }


def entry(n: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda document: document["decisions"][0]["history"][n]


BAD: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("not a date", lambda d: entry(1)(d).update(at="yesterday"), "decisions[0].history[1].at: not a date and time"),
    ("relative", lambda d: entry(1)(d).update(at="@-3T10:00"), "decisions[0].history[1].at: not a date and time"),
    ("type", lambda d: entry(1)(d).update(type="renamed"), "decisions[0].history[1].type: must be one of"),
    ("no type", lambda d: entry(1)(d).pop("type"), "decisions[0].history[1].type: required"),
    ("field", lambda d: entry(6)(d)["values"].update(colour="red"),
     "decisions[0].history[6].values.colour: unknown field"),
    ("choice", lambda d: entry(6)(d)["values"].update(status="pending"),
     "decisions[0].history[6].values.status: must be one of 'draft'"),
    ("relative date", lambda d: entry(6)(d)["values"].update(opened_on="@-3"),
     "decisions[0].history[6].values.opened_on: not a date (history dates are absolute"),
    ("date-time", lambda d: entry(0)(d)["values"].update(created_at="2026-10-01"),
     "decisions[0].history[0].values.created_at: not a date and time"),
    ("person", lambda d: entry(6)(d)["values"].update(decider="nobody"),
     "decisions[0].history[6].values.decider: no person with key 'nobody' in this file"),
    ("tag", lambda d: entry(6)(d)["values"].update(tags=["Not A Tag"]),
     "decisions[0].history[6].values.tags[0]: must be a tag"),
    ("text", lambda d: entry(6)(d)["values"].update(title=None),
     "decisions[0].history[6].values.title: must be text"),
    ("number", lambda d: entry(6)(d)["values"].update(version="2"),
     "decisions[0].history[6].values.version: must be a whole number"),
    ("values", lambda d: entry(6)(d).update(values=["status"]),
     "decisions[0].history[6].values: must be an object"),
    ("part", lambda d: entry(1)(d).update(part="widget 2"), "decisions[0].history[1].part: unknown part"),
    ("option", lambda d: entry(1)(d).update(part="option 9"),
     "decisions[0].history[1].part: no option 9 in this decision (it has 1"),
    ("stakeholder", lambda d: entry(3)(d).update(part="stakeholder maya"),
     "decisions[0].history[3].part: no stakeholder 'maya'"),
    ("part field", lambda d: entry(1)(d)["values"].update(stance="oppose"),
     "decisions[0].history[1].values.stance: unknown field"),
    ("first", lambda d: entry(0)(d)["values"].pop("title"),
     "decisions[0].history[0].values: the first entry gives every field; missing: title"),
    ("first of a part", lambda d: entry(3)(d)["values"].pop("stance"),
     "decisions[0].history[3].values: the first entry of stakeholder rachel gives every field; missing: stance"),
    ("deleted record", lambda d: entry(6)(d).update(type="deleted"),
     "decisions[0].history[6].type: this record is in the file: its last entry is not a deletion"),
    ("deleted live part", lambda d: entry(4)(d).update(type="deleted"),
     "decisions[0].history[4].type: stakeholder rachel is in the file: its last entry is not a deletion"),
    ("after a deletion", lambda d: d["decisions"][0]["history"].insert(6, {"at": at(80), "type": "changed",
     "part": "deleted option 1", "values": {"title": "Ninety days"}}),
     "decisions[0].history[6].type: after a deletion, only a 'created' entry"),
    ("still there", lambda d: entry(5)(d).update(type="changed"),
     "decisions[0].history[5].type: the last entry of deleted option 1 is its deletion"),
    ("order", lambda d: entry(4)(d).update(at=at(-5)),
     "decisions[0].history[4].at: earlier than the entry before it"),
    ("reason", lambda d: entry(6)(d).update(reason="x" * 5001),
     "decisions[0].history[6].reason: is longer than 5000 characters"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in BAD], ids=[name for name, _, _ in BAD]
)
def test_a_bad_history_entry_is_refused_by_place_and_nothing_is_written(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    document = a_document()
    change(document)
    lines = problems_of(document)
    assert any(line.startswith(expected) for line in lines), lines
    assert not Decision.objects.exists()
    assert not Decision.history.exists()


def test_a_record_restored_after_a_deletion_keeps_its_whole_history() -> None:
    document = a_document()
    history = document["decisions"][0]["history"]
    history[6:6] = [
        {"at": at(100), "type": "deleted"},
        {"at": at(200), "type": "created", "reason": "Restored", "values": {}},
    ]
    snapshot.load(document)
    rows = Decision.history.filter(key="D-1").order_by("history_date")
    assert [r.history_type for r in rows] == ["+", "-", "+", "~"]


def test_only_a_decision_has_parts() -> None:
    document = a_document()
    document["workstreams"] = [
        {"key": "WS-1", "name": "A", "history": [{"at": at(0), "type": "created", "part": "option 1"}]}
    ]
    assert "workstreams[0].history[0].part: unknown field" in problems_of(document)


def test_history_is_read_and_written_in_a_fixed_number_of_queries(monkeypatch) -> None:
    """However many records and history rows: one query per history table (and per many-to-many
    history table) to export, and a fixed number of bulk inserts to import."""
    write_pending = snapshot_history.write_pending
    counted: list[int] = []

    def counting(ctx: snapshot.WriteContext) -> int:
        with CaptureQueriesContext(connection) as queries:
            written = write_pending(ctx)
        counted.append(len(queries))
        return written

    monkeypatch.setattr(snapshot_history, "write_pending", counting)
    exports = []
    for size in (1, 6):
        document = a_document()
        template = document["decisions"][0]
        document["decisions"] = [{**copy.deepcopy(template), "key": f"D-{n}"} for n in range(1, size + 1)]
        snapshot.load(document, replace=True)
        with CaptureQueriesContext(connection) as queries:
            snapshot.export()
        exports.append(len(queries))
    assert counted[0] == counted[1]
    assert exports[0] == exports[1]
