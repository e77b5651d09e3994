"""Search's order, pages and counts checked against a plain reference computed in Python over every
match; the sort key that carries the order within a tier; and, on SQLite, a page whose work does not
grow with the number of matches. The suite runs on SQLite and PostgreSQL: both must meet these."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from context_repo import search
from context_repo.models import ContextEntry, SearchDocument, SearchText
from decisions.models import Decision
from tests.context_repo.factories import (
    BriefFactory,
    ContextEntryFactory,
    DecisionFactory,
    EngagementFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
WORDS = ["data", "residency", "resident", "region", "evaluation", "pricing", "review", "dashboard"]
TYPE_FILTERS = [
    None,
    ["decision"],
    ["context"],
    ["workstream"],
    ["brief"],
    ["brief", "workstream"],
    ["context", "decision"],
    [],
]


def day(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


# The reference: every indexed record read, matched and ordered in Python -----------------------------


def _matches(query: search.Query, position: int, token: str) -> bool:
    term = query.terms[position]
    last = position == len(query.terms) - 1
    return token == term or (query.prefix and last and token.startswith(term))


def _all_in(query: search.Query, tokens: list[str]) -> bool:
    return all(any(_matches(query, i, t) for t in tokens) for i in range(len(query.terms)))


def _phrase_in(query: search.Query, tokens: list[str]) -> bool:
    n = len(query.terms)
    return any(
        all(_matches(query, j, tokens[start + j]) for j in range(n)) for start in range(len(tokens) - n + 1)
    )


def _ranked(q: str, types: list[str] | None) -> list[tuple[str, int, str]]:
    """(ref, tier, type) of every match, best first: the tier, then the newest, then type, then id."""
    query = search.parse(q)
    if not query:
        return []
    ranked = []
    for text in SearchText.objects.select_related("document"):
        document = text.document
        title, body = text.index_title.split(), text.index_body.split()
        if (types is not None and document.type not in types) or not _all_in(query, title + body):
            continue
        if document.ref == query.key:
            tier = 3
        elif _phrase_in(query, title):
            tier = 2
        elif _all_in(query, title):
            tier = 1
        else:
            tier = 0
        place = (-tier, -document.dated.toordinal(), document.type, document.pk)
        ranked.append((place, document.ref, tier, document.type))
    return [(ref, tier, type_) for _, ref, tier, type_ in sorted(ranked)]


def reference(q: str, types: list[str] | None = None) -> list[tuple[str, int]]:
    return [(ref, tier) for ref, tier, _ in _ranked(q, types)]


def reference_counts(q: str, types: list[str] | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, _, type_ in _ranked(q, types):
        counts[type_] = counts.get(type_, 0) + 1
    return counts


def found(q: str, types: list[str] | None = None, **kwargs: int) -> list[tuple[str, int]]:
    return [(hit.ref, hit.tier) for hit in search.search(q, types, **kwargs)]


# A random org with many ties ---------------------------------------------------------------------------


def _title(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:  # the query's words as a phrase
        return f"{rng.choice(['Keep', 'Move', 'Audit'])} data residency for {rng.choice(WORDS)} labs"
    if shape == 1:  # the words scattered, in another order
        return f"Residency of the {rng.choice(WORDS)} data behind {rng.choice(WORDS)}"
    if shape == 2:  # some of the words
        return " ".join(rng.sample(WORDS, 3)).capitalize()
    return f"Quarterly {rng.choice(['planning', 'staffing', 'hiring'])} note"


def _body(rng: random.Random) -> str:
    return " ".join(rng.choice([*WORDS, "filler", "notes", "about"]) for _ in range(rng.randrange(0, 7)))


@pytest.fixture
def org() -> dict[str, str]:
    """Forty-odd records of the four types on four dates (so that the type and the id decide many
    places), matching the queries in the title as a phrase, in the title scattered, or in the body."""
    rng = random.Random(18)
    dates = [day(1), day(3), day(3), day(40), day(200)]
    keys = {}
    for n in range(44):
        dated = rng.choice(dates)
        kind = n % 4 if n < 40 else rng.randrange(4)
        if kind == 0:
            record = ContextEntryFactory(title=_title(rng), body=_body(rng), dated_on=dated)
        elif kind == 1:
            record = DecisionFactory(
                title=_title(rng),
                question=_body(rng) or "What now?",
                status=Decision.Status.DECIDED,
                outcome="Decided.",
                decided_on=dated,
            )
        elif kind == 2:
            record = WorkstreamFactory(name=_title(rng), description=_body(rng), created_on=dated)
        else:
            starts = timezone.make_aware(dt.datetime.combine(dated, dt.time(12, 0)))
            record = BriefFactory(
                engagement=EngagementFactory(title=_title(rng), counterpart="Acme", starts_at=starts),
                objective=_body(rng),
            ).engagement
        keys[f"{kind}-{n}"] = record.key
    keys["decision_key"] = Decision.objects.order_by("pk")[3].key
    keys["entry_key"] = ContextEntry.objects.order_by("pk")[2].key
    return keys


def _queries(org: dict[str, str]) -> list[str]:
    return [
        "data residency",  # a phrase: tiers 2, 1 and 0
        "residency data",
        "data residency ",  # finished: no prefix
        "data resid",  # the last word as a prefix: residency and resident
        "resid",
        "evaluation region data",
        "residency d",  # a one-letter prefix
        "pricing",
        org["decision_key"],  # a key: its record first, and not again below
        org["entry_key"].lower(),
        org["entry_key"].split("-")[0],  # every key's prefix: "CX"
        "no such words",
    ]


def test_pages_and_counts_are_the_reference_order_at_every_offset(org) -> None:
    for q in _queries(org):
        for types in TYPE_FILTERS:
            expected = reference(q, types)
            assert found(q, types, limit=len(expected) + 5) == expected, (q, types)
            assert search.count(q, types) == reference_counts(q, types), (q, types)
            for size in (1, 7, 20):
                pages = [
                    found(q, types, limit=size, offset=start)
                    for start in range(0, len(expected) + size, size)
                ]
                assert [hit for page in pages for hit in page] == expected, (q, types, size)
                assert all(len(page) == size for page in pages[: len(expected) // size]), (q, types, size)


def test_the_reference_sees_every_tier_and_ties(org) -> None:
    """The comparison above is only as good as its data: each tier is reached, and records share dates."""
    tiers = {tier for q in _queries(org) for _, tier in reference(q)}
    assert tiers == {0, 1, 2, 3}
    dates = list(SearchDocument.objects.values_list("dated", "type"))
    assert len(dates) > len(set(dates)) > len({dated for dated, _ in dates})


def test_a_rebuilt_index_gives_the_same_order(org) -> None:
    before = {q: found(q, limit=100) for q in _queries(org)}
    search.rebuild_index()  # every document gets a new id, so a new sort key
    for q, hits in before.items():
        assert found(q, limit=100) == reference(q) == hits, q


def test_a_key_filtered_out_by_type_is_not_first(org) -> None:
    key = org["decision_key"]
    assert found(key, ["decision"])[0] == (key, 3)
    assert key not in {ref for ref, _ in found(key, ["context", "brief"], limit=100)}


# The sort key ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("newer", "older"),
    [
        ((day(1), "workstream", 9), (day(2), "brief", 1)),  # the date first
        ((dt.date(1, 1, 2), "workstream", 2**39 - 1), (dt.date(1, 1, 1), "brief", 1)),  # the first dates
        ((dt.date(9999, 12, 31), "workstream", 2**39 - 1), (dt.date(9999, 12, 30), "brief", 1)),
        ((day(1), "brief", 2**39 - 1), (day(1), "context", 1)),  # then the type, A to Z
        ((day(1), "context", 500), (day(1), "decision", 2)),
        ((day(1), "decision", 500), (day(1), "workstream", 2)),
        ((day(1), "decision", 1), (day(1), "decision", 2)),  # then the id
        ((day(1), "decision", 2**39 - 2), (day(1), "decision", 2**39 - 1)),
    ],
)  # fmt: skip
def test_the_sort_key_descends_by_date_then_ascends_by_type_and_id(newer: tuple, older: tuple) -> None:
    first, second = (search.sort_key(dated=d, type_=t, document_id=i) for d, t, i in (newer, older))
    assert 0 < second < first < 2**63


@pytest.mark.parametrize("document_id", [0, 2**39])
def test_a_sort_key_refuses_an_id_it_cannot_hold(document_id: int) -> None:
    with pytest.raises(ValueError, match="under 2\\*\\*39"):
        search.sort_key(dated=TODAY, type_="decision", document_id=document_id)


def _stored_key(record_type: str, object_id: int) -> int:
    return SearchText.objects.get(document__type=record_type, document__object_id=object_id).sort_key


def test_the_sort_key_follows_a_decision_when_it_is_decided() -> None:
    decision = DecisionFactory(title="Residency of evaluation data", opened_on=day(60))
    entry = ContextEntryFactory(title="Residency of customer data", dated_on=day(10))
    assert [ref for ref, _ in found("residency")] == [entry.key, decision.key]
    document = SearchDocument.objects.get(type="decision", object_id=decision.pk)
    opened_key = search.sort_key(dated=day(60), type_="decision", document_id=document.pk)
    assert _stored_key("decision", decision.pk) == opened_key

    decision.status = Decision.Status.DECIDED
    decision.outcome = "Data stays in region."
    decision.decided_on = day(1)
    decision.save()

    decided_key = search.sort_key(dated=day(1), type_="decision", document_id=document.pk)
    assert _stored_key("decision", decision.pk) == decided_key
    assert [ref for ref, _ in found("residency")] == [decision.key, entry.key]
    if connection.vendor == "sqlite":  # the full-text index moved the record too
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH 'residency'")
            assert {rowid for (rowid,) in cursor.fetchall()} == {
                decided_key,
                _stored_key("context", entry.pk),
            }


def test_every_write_path_gives_a_text_its_type_and_sort_key(org) -> None:
    with search.paused():
        quiet = ContextEntryFactory(title="Quiet residency entry", dated_on=day(5))
    search.index_record(quiet)
    ContextEntry.objects.bulk_create(
        [ContextEntry(number=990, key="CX-990", kind="note", title="Bulk", dated_on=TODAY)]
    )
    search.rebuild_index()
    texts = list(SearchText.objects.select_related("document"))
    assert len(texts) == SearchDocument.objects.count() == 46
    for text in texts:
        document = text.document
        assert text.kind == document.type
        assert text.sort_key == search.sort_key(
            dated=document.dated, type_=document.type, document_id=document.pk
        )


# The work a search does ----------------------------------------------------------------------------------


def test_a_search_is_one_query_for_the_page_and_one_for_the_counts(org, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        search.search("data residency", ["context", "decision"], limit=5, offset=3)
    with django_assert_num_queries(1):
        search.count("data residency")
    expected = reference("data residency")
    with django_assert_num_queries(2):
        results = search.Results("data residency")
        assert len(results) == len(expected)
        assert [(hit.ref, hit.tier) for hit in results[3:6]] == expected[3:6]


def _grow(entries: int) -> None:
    """Entries that match "residency", half in the title and half in the body, on many dates."""
    have = ContextEntry.objects.count()
    ContextEntry.objects.bulk_create(
        [
            ContextEntry(
                number=n,
                key=f"CX-{n}",
                kind="note",
                title=f"Residency note {n}" if n % 2 else f"Regional note {n}",
                body="Where the data lives." if n % 2 else "Customers asked about residency again.",
                dated_on=day(n % 300),
            )
            for n in range(have + 1, have + entries + 1)
        ]
    )
    search.rebuild_index()


def _steps(run: object) -> int:
    """How many SQLite virtual-machine steps `run()` takes (in hundreds): the rows a statement
    handles, whatever the machine's speed."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    connection.ensure_connection()
    connection.connection.set_progress_handler(count, 100)
    try:
        run()  # type: ignore[operator]
    finally:
        connection.connection.set_progress_handler(None, 0)
    return steps


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the page is read from FTS5's index on SQLite")
def test_a_page_takes_as_many_steps_with_2400_matches_as_with_80() -> None:
    def pages() -> None:
        for q in ("residency", "resid", "residency note", "residency", "residency cust"):
            assert len(search.search(q, limit=20)) == 20
            assert len(search.search(q, ["context"], limit=20, offset=20)) == 20

    _grow(80)
    few = _steps(pages)
    _grow(2320)
    assert search.count("residency") == {"context": 2400}
    many = _steps(pages)
    assert many <= few * 1.2, f"{few} hundred steps with 80 matches, {many} with 2,400"
