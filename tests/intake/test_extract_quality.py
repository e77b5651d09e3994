"""The extractor against labelled notes in the styles of real public minutes: precision and recall
per kind, and how often a proposed owner or due date is right. Prints the table (pytest -s)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from intake.extract import Person, extract, people_from_names
from intake.extract.people import fold

CORPUS = Path(__file__).parent / "corpus"
MEASURED = ("decision", "decision_needed", "action", "blocker", "signal", "position", "update")


def _load() -> list[tuple[str, str, dict]]:
    out = []
    for labels in sorted(CORPUS.glob("*.labels.json")):
        stem = labels.name.removesuffix(".labels.json")
        source = next(p for p in CORPUS.iterdir() if p.name.startswith(stem + ".") and p != labels)
        out.append(
            (source.name, source.read_text(encoding="utf-8"), json.loads(labels.read_text(encoding="utf-8")))
        )
    return out


def _line_of(text: str, fragment: str) -> int:
    hits = [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if fragment in line or fragment in line.replace('\\"', '"')
    ]
    assert len(hits) == 1, f"{fragment!r} must be on exactly one line, found {hits}"
    return hits[0]


def _same_owner(expected: str, proposal_owner: str, person: str | None, people: list[Person]) -> bool:
    want = fold(expected.lstrip("@"))
    got = fold(proposal_owner.lstrip("@"))
    if want == got or got.startswith(want + " ") or want.startswith(got + " "):
        return True
    keys = {p.key for p in people if fold(p.name) == want or want in {fold(h) for h in p.handles}}
    return person is not None and person in keys


def evaluate() -> dict[str, dict[str, float]]:
    found = {kind: [0, 0, 0] for kind in MEASURED}  # true positives, proposed, expected
    owner = [0, 0]
    due = [0, 0]
    misses: list[str] = []
    for name, text, labels in _load():
        people = people_from_names(labels["attendees"]) if labels.get("attendees") else []
        for person_name in labels.get("external", []):
            people = [
                Person(p.key, p.name, p.handles, external=True) if p.name == person_name else p
                for p in people
            ]
        date = dt.date.fromisoformat(labels["date"]) if labels.get("date") else None
        result = extract(
            text,
            filename=name,
            meeting_date=date,
            people=people or None,
            organizations=labels.get("organizations", []),
        )
        proposals = [p for p in result.proposals if p.kind in MEASURED]
        used: set[int] = set()
        for expected in labels["expected"]:
            line = _line_of(text, expected["match"])
            found[expected["kind"]][2] += 1
            match = next(
                (
                    i
                    for i, p in enumerate(proposals)
                    if i not in used and p.kind == expected["kind"] and line in p.lines
                ),
                None,
            )
            if match is None:
                misses.append(f"{name}:{line} missed {expected['kind']}: {expected['match']}")
                continue
            used.add(match)
            proposal = proposals[match]
            found[expected["kind"]][0] += 1
            if expected["kind"] == "action":
                if proposal.owner:
                    owner[1] += 1
                    if expected.get("owner") and _same_owner(
                        expected["owner"], proposal.owner, proposal.owner_person, people
                    ):
                        owner[0] += 1
                    else:
                        misses.append(
                            f"{name}:{line} owner {proposal.owner!r}, expected {expected.get('owner')!r}"
                        )
                if proposal.due:
                    due[1] += 1
                    if expected.get("due") == proposal.due.isoformat():
                        due[0] += 1
                    else:
                        misses.append(f"{name}:{line} due {proposal.due}, expected {expected.get('due')}")
        for i, proposal in enumerate(proposals):
            found[proposal.kind][1] += 1
            if i not in used:
                misses.append(
                    f"{name}:{proposal.lines} extra {proposal.kind} ({proposal.rule}): {proposal.text[:70]}"
                )
    table: dict[str, dict[str, float]] = {}
    for kind, (tp, proposed, expected_count) in found.items():
        table[kind] = {
            "precision": tp / proposed if proposed else 1.0,
            "recall": tp / expected_count if expected_count else 1.0,
            "proposed": proposed,
            "expected": expected_count,
        }
    table["owner"] = {"right": owner[0] / owner[1] if owner[1] else 1.0, "proposed": owner[1]}
    table["due"] = {"right": due[0] / due[1] if due[1] else 1.0, "proposed": due[1]}
    table["_misses"] = misses  # type: ignore[assignment]
    return table


def test_extraction_meets_the_targets_on_the_labelled_notes() -> None:
    table = evaluate()
    misses = table.pop("_misses")
    print()
    print(f"{'kind':<16}{'precision':>10}{'recall':>8}{'proposed':>10}{'expected':>10}")
    for kind in MEASURED:
        row = table[kind]
        print(
            f"{kind:<16}{row['precision']:>10.2f}{row['recall']:>8.2f}{row['proposed']:>10}{row['expected']:>10}"
        )
    for kind in ("owner", "due"):
        print(f"{kind + ' right':<16}{table[kind]['right']:>10.2f}{'':>8}{table[kind]['proposed']:>10}")
    for miss in misses:  # type: ignore[union-attr]
        print("  ", miss)
    for kind in ("action", "decision"):
        assert table[kind]["recall"] >= 0.8, kind
        assert table[kind]["precision"] >= 0.8, kind
    assert table["owner"]["right"] >= 0.9
    assert table["due"]["right"] >= 0.9
