"""The `decisions` section of the org snapshot: decisions with their options, stakeholders' positions
and reopen conditions nested, referring to people, surfaces and other decisions by key.

    {"key": "D-12", "title": "...", "question": "...", "status": "decided", "surface": "government",
     "driver": "aisha-bello", "decider": "maya-okafor", "tags": ["fedramp"], "needed_by": "@+5",
     "opened_on": "@-20", "decided_on": "@-3", "outcome": "...", "reasoning": "...", "supersedes": "D-4",
     "options": [{"title": "...", "pros": "...", "cons": "...", "rejected_because": "...", "chosen": true}],
     "stakeholders": [{"person": "rachel-stein", "stance": "oppose", "position": "..."}],
     "reopen_conditions": [{"text": "...", "review_on": "@+30", "triggered_on": null,
                            "reviewed_on": null, "review_note": ""}],
     "history": [{"at": "2026-11-02T17:04:09.511230+00:00", "by": "cos", "type": "created",
                  "reason": "", "values": {"title": "...", ...}},
                 {"at": "...", "by": "cos", "type": "changed", "part": "stakeholder rachel-stein",
                  "reason": "", "values": {"stance": "oppose"}}]}

`history` (optional; see orgfiles/history.py) holds the history of the decision and
of its parts in one list, oldest first. An entry without `part` is about the decision itself; `part`
names one of its parts: `option 2` (the second of `options`), `stakeholder rachel-stein` (by the
person's key), `reopen condition 1` (the first of `reopen_conditions`), or, for a part deleted since,
`deleted option 1`, `deleted stakeholder 1`, `deleted reopen condition 1` (numbered by when each was
first written; its entries end with its deletion). Given, it replaces the rows the import would
otherwise write for the decision and all its parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from django.contrib.auth import get_user_model
from pydantic import Field

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os.models import KeyCounter
from orgfiles import history as snapshot_history
from orgfiles.format import (
    KeyIndex,
    Problems,
    Record,
    RelDate,
    Section,
    TagName,
    WriteContext,
    iso,
    key_number,
    numbered_key,
)

Status = Literal["draft", "open", "decided", "superseded", "withdrawn"]

HISTORY = snapshot_history.Spec.of(Decision, implied=("number", "key"))
PARTS = {  # a part's kind: its history, and the list of the decision's record that holds it
    "option": (snapshot_history.Spec.of(Option, implied=("decision",)), "options"),
    "stakeholder": (snapshot_history.Spec.of(DecisionStakeholder, implied=("decision",)), "stakeholders"),
    "reopen condition": (
        snapshot_history.Spec.of(ReopenCondition, implied=("decision",)),
        "reopen_conditions",
    ),
}
_PART = re.compile(r"^(deleted )?(option|stakeholder|reopen condition) (\S+)$")


class OptionIn(Record):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    pros: str = ""
    cons: str = ""
    rejected_because: str = ""
    chosen: bool = False


class StakeholderIn(Record):
    person: str = Field(min_length=1)
    position: str = ""
    stance: Literal["support", "oppose", "neutral", "unknown"] = "unknown"


class ReopenConditionIn(Record):
    text: str = Field(min_length=1)
    review_on: RelDate | None = None
    triggered_on: RelDate | None = None
    reviewed_on: RelDate | None = None
    review_note: str = ""


class DecisionIn(Record):
    key: numbered_key("D", "must be a decision key such as D-12")  # type: ignore[valid-type]
    title: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1)
    context: str = ""
    status: Status = "draft"
    driver: str | None = None
    decider: str | None = None
    surface: str | None = None
    tags: list[TagName] = Field(default_factory=list)
    needed_by: RelDate | None = None
    opened_on: RelDate | None = None
    decided_on: RelDate | None = None
    outcome: str = ""
    reasoning: str = ""
    supersedes: str | None = None
    created_by: str | None = Field(
        default=None, description="The username of the login that wrote it, if that login exists here."
    )
    options: list[OptionIn] = Field(default_factory=list)
    stakeholders: list[StakeholderIn] = Field(default_factory=list)
    reopen_conditions: list[ReopenConditionIn] = Field(default_factory=list)
    history: list[snapshot_history.PartEntry] | None = None


def check_decisions(items: list[DecisionIn], index: KeyIndex, problems: Problems) -> None:
    superseded_by: dict[str, int] = {}
    for position, item in enumerate(items):
        place = f"decisions[{position}]"
        index.check(problems, f"{place}.driver", "people", item.driver, "person")
        index.check(problems, f"{place}.decider", "people", item.decider, "person")
        index.check(problems, f"{place}.surface", "surfaces", item.surface, "surface")
        if item.supersedes:
            if item.supersedes == item.key:
                problems.add(f"{place}.supersedes", "a decision cannot supersede itself")
            else:
                index.check(problems, f"{place}.supersedes", "decisions", item.supersedes, "decision")
            if item.supersedes in superseded_by:
                problems.add(
                    f"{place}.supersedes",
                    f"{item.supersedes} is already superseded by decisions[{superseded_by[item.supersedes]}]",
                )
            superseded_by.setdefault(item.supersedes, position)
        people: dict[str, int] = {}
        for n, stakeholder in enumerate(item.stakeholders):
            index.check(problems, f"{place}.stakeholders[{n}].person", "people", stakeholder.person, "person")
            if stakeholder.person in people:
                problems.add(
                    f"{place}.stakeholders[{n}].person",
                    f"{stakeholder.person!r} is already a stakeholder at stakeholders[{people[stakeholder.person]}]",
                )
            people.setdefault(stakeholder.person, n)
        chosen = [n for n, option in enumerate(item.options) if option.chosen]
        if item.status == "decided":
            if len(chosen) != 1 and item.options:
                problems.add(
                    f"{place}.options",
                    f"a decided decision has exactly one chosen option, not {len(chosen)}",
                )
            if not item.options and not item.outcome:
                problems.add(
                    f"{place}.outcome", "a decided decision without options must say what was decided"
                )
            if item.decided_on is None:
                problems.add(f"{place}.decided_on", "required for a decided decision")
        elif len(chosen) > 1:
            problems.add(f"{place}.options", f"at most one option is chosen, not {len(chosen)}")
        if item.status in ("draft", "open", "withdrawn") and chosen:
            problems.add(
                f"{place}.options[{chosen[0]}].chosen", f"a {item.status} decision has no chosen option yet"
            )
        snapshot_history.check(item.history, f"{place}.history", index, problems, _parts_of(item))
    _check_supersession(items, problems)


def _check_supersession(items: list[DecisionIn], problems: Problems) -> None:
    """The chain of supersession as the product keeps it (decisions.services.decision_supersede):
    a decision another one supersedes is `superseded`, a `superseded` one has a successor, and
    following `supersedes` from any decision never comes back to it."""
    position = {item.key: n for n, item in enumerate(items)}
    status = {item.key: item.status for item in items}
    supersedes = {
        item.key: item.supersedes for item in items if item.supersedes and item.supersedes != item.key
    }
    successor: dict[str, str] = {}
    for key, old in supersedes.items():
        successor.setdefault(old, key)
    for item in items:
        place = f"decisions[{position[item.key]}]"
        old = supersedes.get(item.key)
        if old in status and status[old] != "superseded":
            problems.add(
                f"decisions[{position[old]}].status",
                f"{old} is superseded by {item.key} ({place}), so its status is 'superseded', not {status[old]!r}",
            )
        if item.status == "superseded" and item.key not in successor:
            problems.add(
                f"{place}.status", f"{item.key} is 'superseded' but no decision in this file supersedes it"
            )
    settled: set[str] = set()  # decisions whose chain has been followed to its end
    for start in supersedes:
        chain, on_chain = [start], {start}
        while True:
            following = supersedes.get(chain[-1])
            if following is None or following in settled:
                break
            if following in on_chain:
                cycle = chain[chain.index(following) :]
                first = min(cycle, key=lambda key: position[key])
                turn = cycle.index(first)
                ordered = cycle[turn:] + cycle[:turn] + [first]
                problems.add(
                    f"decisions[{position[first]}].supersedes",
                    "supersession goes round in a circle: " + " supersedes ".join(ordered),
                )
                break
            chain.append(following)
            on_chain.add(following)
        settled.update(chain)


def _parts_of(item: DecisionIn) -> Callable[[str | None], snapshot_history.Part | str]:
    """What a history entry's `part` names in this decision, or why it names nothing."""
    people = {stakeholder.person for stakeholder in item.stakeholders}

    def part_of(name: str | None) -> snapshot_history.Part | str:
        if name is None:
            return snapshot_history.Part(HISTORY)
        match = _PART.match(name)
        if match is None:
            return (
                "unknown part (write 'option 2', 'stakeholder maya-okafor', 'reopen condition 1', "
                "or 'deleted option 1' for one deleted since)"
            )
        deleted, kind, ref = match.groups()
        spec, listing = PARTS[kind]
        if deleted:
            if not ref.isdigit() or int(ref) < 1:
                return f"unknown part (number a deleted {kind} from 1: 'deleted {kind} 1')"
            return snapshot_history.Part(spec, live=False, name=name)
        if kind == "stakeholder":
            if ref not in people:
                return f"no stakeholder {ref!r} in this decision's stakeholders"
            return snapshot_history.Part(spec, name=name)
        count = len(getattr(item, listing))
        if not ref.isdigit() or not 1 <= int(ref) <= count:
            return f"no {kind} {ref} in this decision (it has {count}, counted from 1)"
        return snapshot_history.Part(spec, name=name)

    return part_of


def write_decisions(items: list[DecisionIn], ctx: WriteContext) -> None:
    usernames = {item.created_by for item in items if item.created_by}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    written: dict[str, Decision] = {}
    parts: dict[str, dict[str, list[Any]]] = {}
    for item in sorted(items, key=lambda i: key_number(i.key)):
        decision = Decision(
            number=key_number(item.key),
            version=snapshot_history.final(item.history, "version", 1),
            title=item.title,
            question=item.question,
            context=item.context,
            status=item.status,
            driver=ctx.get("people", item.driver),
            decider=ctx.get("people", item.decider),
            surface=ctx.get("surfaces", item.surface),
            needed_by=ctx.date(item.needed_by),
            opened_on=ctx.date(item.opened_on),
            decided_on=ctx.date(item.decided_on),
            outcome=item.outcome,
            reasoning=item.reasoning,
            created_by=users.get(item.created_by or ""),
        )
        snapshot_history.quiet(decision, item.history).save()
        if item.tags:
            decision.tags.set(ctx.tags(item.tags))
        options = [
            Option(decision=decision, position=position, **option.model_dump())
            for position, option in enumerate(item.options)
        ]
        stakeholders = [
            DecisionStakeholder(
                decision=decision,
                person=ctx.get("people", stakeholder.person),
                position=stakeholder.position,
                stance=stakeholder.stance,
            )
            for stakeholder in item.stakeholders
        ]
        conditions = [
            ReopenCondition(
                decision=decision,
                text=condition.text,
                review_on=ctx.date(condition.review_on),
                triggered_on=ctx.date(condition.triggered_on),
                reviewed_on=ctx.date(condition.reviewed_on),
                review_note=condition.review_note,
            )
            for condition in item.reopen_conditions
        ]
        for part in (*options, *stakeholders, *conditions):
            snapshot_history.quiet(part, item.history).save()
        parts[item.key] = {"option": options, "stakeholder": stakeholders, "reopen condition": conditions}
        written[item.key] = decision
        ctx.put("decisions", item.key, decision)
    for item in items:
        if item.supersedes:
            decision = written[item.key]
            decision.supersedes = written[item.supersedes]
            decision.save(update_fields=["supersedes"])
    for item in items:
        if item.history is not None:
            _add_history(ctx, item, written[item.key], parts[item.key])
    if written:
        KeyCounter.reserve(Decision.KEY_PREFIX, max(d.number for d in written.values()))


def _add_history(
    ctx: WriteContext, item: DecisionIn, decision: Decision, parts: dict[str, list[Any]]
) -> None:
    by_part: dict[str | None, list[snapshot_history.PartEntry]] = {}
    for entry in item.history or ():
        by_part.setdefault(entry.part, []).append(entry)
    for name, entries in by_part.items():
        if name is None:
            snapshot_history.add(ctx, HISTORY, decision.pk, entries, number=decision.number, key=decision.key)
            continue
        match = _PART.match(name)
        assert match is not None  # checked
        deleted, kind, ref = match.groups()
        if deleted:
            record = None
        elif kind == "stakeholder":
            record = next(s.pk for s in parts[kind] if s.person.key == ref)
        else:
            record = parts[kind][int(ref) - 1].pk
        snapshot_history.add(ctx, PARTS[kind][0], record, entries, decision_id=decision.pk)


def export_decisions() -> list[dict[str, Any]]:
    decisions = (
        Decision.objects.select_related("driver", "decider", "surface", "supersedes", "created_by")
        .prefetch_related("tags", "options", "stakeholders__person", "reopen_conditions")
        .order_by("number")
    )
    refs = snapshot_history.Refs()
    own = snapshot_history.read(HISTORY, refs)
    parts_by_decision: dict[str, dict[int, dict[int, snapshot_history.RecordHistory]]] = {}
    for kind, (spec, _) in PARTS.items():
        grouped: dict[int, dict[int, snapshot_history.RecordHistory]] = {}
        for pk, found in snapshot_history.read(spec, refs, parent="decision_id").items():
            if found.parent is not None:
                grouped.setdefault(found.parent, {})[pk] = found
        parts_by_decision[kind] = grouped
    rows = []
    for d in decisions:
        rows.append(
            {
                "key": d.key,
                "title": d.title,
                "question": d.question,
                "context": d.context,
                "status": d.status,
                "driver": d.driver.key if d.driver else None,
                "decider": d.decider.key if d.decider else None,
                "surface": d.surface.key if d.surface else None,
                "tags": sorted(t.name for t in d.tags.all()),
                "needed_by": iso(d.needed_by),
                "opened_on": iso(d.opened_on),
                "decided_on": iso(d.decided_on),
                "outcome": d.outcome,
                "reasoning": d.reasoning,
                "supersedes": d.supersedes.key if d.supersedes else None,
                "created_by": d.created_by.username if d.created_by else None,
                "options": [
                    {
                        "title": o.title,
                        "description": o.description,
                        "pros": o.pros,
                        "cons": o.cons,
                        "rejected_because": o.rejected_because,
                        "chosen": o.chosen,
                    }
                    for o in d.options.all()
                ],
                "stakeholders": [
                    {"person": s.person.key, "position": s.position, "stance": s.stance}
                    for s in d.stakeholders.all()
                ],
                "reopen_conditions": [
                    {
                        "text": c.text,
                        "review_on": iso(c.review_on),
                        "triggered_on": iso(c.triggered_on),
                        "reviewed_on": iso(c.reviewed_on),
                        "review_note": c.review_note,
                    }
                    for c in d.reopen_conditions.all()
                ],
                "history": _history(d, own.get(d.pk), parts_by_decision),
            }
        )
    return rows


def _history(
    decision: Decision,
    own: snapshot_history.RecordHistory | None,
    parts_by_decision: dict[str, dict[int, dict[int, snapshot_history.RecordHistory]]],
) -> list[dict[str, Any]]:
    """The decision's history and its parts', merged oldest first; at the same moment the decision
    comes first, then its parts in the order of their names (live ones as listed, then deleted)."""
    live = {
        "option": [(f"option {n}", o.pk) for n, o in enumerate(decision.options.all(), start=1)],
        "stakeholder": [(f"stakeholder {s.person.key}", s.pk) for s in decision.stakeholders.all()],
        "reopen condition": [
            (f"reopen condition {n}", c.pk) for n, c in enumerate(decision.reopen_conditions.all(), start=1)
        ],
    }
    named: list[tuple[str | None, snapshot_history.RecordHistory | None]] = [(None, own)]
    for kind, listed in live.items():
        found = parts_by_decision[kind].get(decision.pk, {})
        named += [(name, found.get(pk)) for name, pk in listed]
        kept = {pk for _, pk in listed}
        gone = sorted((h for pk, h in found.items() if pk not in kept), key=lambda h: h.first)
        named += [(f"deleted {kind} {n}", h) for n, h in enumerate(gone, start=1)]
    merged = [
        ((at, rank, history_id), entry if name is None else snapshot_history.of_part(entry, name))
        for rank, (name, found) in enumerate(named)
        if found is not None
        for (at, history_id), entry in found.entries
    ]
    return [entry for _, entry in sorted(merged, key=lambda pair: pair[0])]


SECTIONS = [
    Section(
        name="decisions",
        record=DecisionIn,
        order=30,
        key_of=lambda r: r.key,
        check=check_decisions,
        write=write_decisions,
        export=export_decisions,
        # The parts too, so that clearing the org removes their history.
        models=(Decision, Option, DecisionStakeholder, ReopenCondition),
    )
]
