"""A search index made before the sort keys (migration 0009) migrates forward with its records: they
are found, in order, and the index keeps following writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from context_repo import search
from context_repo.models import SearchText
from tests.context_repo.factories import ContextEntryFactory

BEFORE = ("context_repo", "0008_start_here_step_version")
DAY = dt.date(2026, 11, 20)


def _index_the_old_way(apps: object) -> None:
    """Documents and texts as the index held them before 0009 (its triggers fill the old FTS5 table)."""
    document = apps.get_model("context_repo", "SearchDocument")  # type: ignore[attr-defined]
    text = apps.get_model("context_repo", "SearchText")  # type: ignore[attr-defined]
    rows = [  # the decision is written first, so its id is lower than the entry it must follow
        ("decision", "D-101", "Residency of the data", "", DAY),
        ("context", "CX-101", "Data residency for EU labs", "", DAY),
        (
            "workstream",
            "WS-101",
            "EU evaluation cluster",
            "data residency for evals",
            DAY - dt.timedelta(days=9),
        ),
        (
            "brief",
            "E-101",
            "Helix quarterly briefing",
            "bring the residency options",
            DAY - dt.timedelta(days=9),
        ),
        ("context", "CX-102", "Burst limits", "queued not throttled", DAY),
    ]
    for number, (type_, ref, title, body, dated) in enumerate(rows, start=1):
        index_title = " ".join(search.words(f"{ref} {title}"))
        stored = document.objects.create(
            type=type_, object_id=number, ref=ref, title=title, index_title=index_title, dated=dated
        )
        text.objects.create(document=stored, index_title=index_title, index_body=" ".join(search.words(body)))


@pytest.mark.django_db(transaction=True)
def test_an_index_from_before_the_sort_keys_migrates_forward_and_still_finds_its_records() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    try:
        _index_the_old_way(MigrationExecutor(connection).loader.project_state([BEFORE]).apps)
        MigrationExecutor(connection).migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)

    hits = search.search("residency")
    assert [(h.ref, h.match) for h in hits] == [
        ("CX-101", "title phrase"),  # the same day as D-101: a context entry before a decision
        ("D-101", "title phrase"),
        ("E-101", "body"),  # a brief before a workstream, on the same day
        ("WS-101", "body"),
    ]
    assert search.count("residency") == {"context": 1, "decision": 1, "workstream": 1, "brief": 1}
    assert [h.ref for h in search.search("data residency", ["workstream", "context"])] == ["CX-101", "WS-101"]
    assert [h.ref for h in search.search("cx-102")] == ["CX-102"]
    for text in SearchText.objects.select_related("document"):
        document = text.document
        assert text.kind == document.type
        assert text.sort_key == search.sort_key(
            dated=document.dated, type_=document.type, document_id=document.pk
        )

    entry = ContextEntryFactory(title="Residency after the migration", dated_on=DAY + dt.timedelta(days=1))
    assert [h.ref for h in search.search("residency")][:2] == [entry.key, "CX-101"]
