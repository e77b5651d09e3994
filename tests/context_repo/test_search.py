"""Search: real full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN), the same results on both.

The suite runs on both databases in CI; the expectations below are exact, so both must meet them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from context_repo import search
from context_repo.models import ContextEntry, SearchDocument, SearchText
from decisions.models import Decision
from leadership_os.models import Tag
from tests.context_repo.factories import (
    BriefFactory,
    ContextEntryFactory,
    DecisionFactory,
    EngagementFactory,
    OptionFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def refs(q: str, **kwargs: object) -> list[str]:
    return [hit.ref for hit in search.search(q, **kwargs)]


def day(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def corpus() -> dict[str, str]:
    """A small org whose expected results are written out below, identical on both databases."""
    keys = {}
    keys["title_phrase"] = ContextEntryFactory(
        title="Evaluation data residency for EU labs", body="Nothing else here.", dated_on=day(30)
    ).key
    keys["title_words"] = ContextEntryFactory(
        title="Residency of the data behind evaluations", body="Older, but a title match.", dated_on=day(90)
    ).key
    keys["body_phrase"] = ContextEntryFactory(
        title="Helix Research quarterly review",
        body="Nadia asked about **data residency** for evaluation runs.",
        dated_on=day(2),
    ).key
    keys["body_words"] = ContextEntryFactory(
        title="Northbank regulator question",
        body="The regulator wants the data kept in the UK; residency rules apply.",
        dated_on=day(1),
    ).key
    keys["unrelated"] = ContextEntryFactory(
        title="Burst limits", body="Queued, not throttled.", dated_on=day(3)
    ).key
    decision = DecisionFactory(
        title="Keep evaluation data in region",
        question="Where does evaluation data live?",
        context="Customers asked about *residency*.",
        status=Decision.Status.DECIDED,
        outcome="Evaluation data stays in the customer's region.",
        decided_on=day(10),
    )
    keys["decision"] = decision.key
    keys["workstream"] = WorkstreamFactory(
        name="EU evaluation cluster", description="Data residency for evals.", created_on=day(60)
    ).key
    starts = timezone.make_aware(dt.datetime.combine(day(5), dt.time(12, 0)))
    keys["brief"] = BriefFactory(
        engagement=EngagementFactory(
            title="Helix Research quarterly briefing", counterpart="Helix Research", starts_at=starts
        ),
        objective="Agree where evaluation data lives.",
        notes="Bring the **residency** options.",
    ).engagement.key
    return keys


def test_the_full_text_index_is_the_databases_own() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'context_repo_search_fts'")
            created = " ".join(cursor.fetchone()[0].split())
            assert "USING fts5( index_title, index_body, kind," in created
            assert "content='context_repo_searchtext', content_rowid='sort_key'" in created
            assert "prefix='1 2 3'" in created
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'context_repo_search_fts_%'"
            )
            assert sorted(name for (name,) in cursor.fetchall()) == [
                "context_repo_search_fts_ad",
                "context_repo_search_fts_ai",
                "context_repo_search_fts_au",
            ]
        else:
            for table, column in (
                ("context_repo_searchtext", "document"),
                ("context_repo_searchdocument", "title_vector"),
            ):
                cursor.execute(
                    "SELECT data_type, is_generated FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = %s",
                    [table, column],
                )
                assert cursor.fetchone() == ("tsvector", "ALWAYS")
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'context_repo_search_document_gin'"
            )
            assert "USING gin (document)" in cursor.fetchone()[0]


def test_a_title_match_ranks_above_a_body_match(corpus) -> None:
    hits = search.search("data residency", types=["context"])
    assert [h.ref for h in hits] == [
        corpus["title_phrase"],  # the phrase in the title
        corpus["title_words"],  # both words in the title, though older
        corpus["body_words"],  # in the body: the newest first
        corpus["body_phrase"],
    ]
    assert [h.match for h in hits] == ["title phrase", "title", "body", "body"]


def test_search_spans_decisions_entries_workstreams_and_briefs(corpus) -> None:
    found = refs("residency")
    for name in ("decision", "workstream", "brief", "title_phrase", "body_words"):
        assert corpus[name] in found
    assert corpus["unrelated"] not in found
    assert search.count("residency") == {"context": 4, "decision": 1, "workstream": 1, "brief": 1}


def test_the_same_ordered_results_on_both_databases(corpus) -> None:
    """Written out exactly, so that SQLite and PostgreSQL (the suite runs on each in CI) must both
    give this order: the tier first, then the newest within a tier."""
    hits = search.search("evaluation")
    assert [(h.ref, h.match, h.dated) for h in hits] == [
        (corpus["decision"], "title phrase", day(10)),
        (corpus["title_phrase"], "title phrase", day(30)),
        (corpus["workstream"], "title phrase", day(60)),
        (corpus["title_words"], "title phrase", day(90)),  # "evaluations" is the same word
        (corpus["body_phrase"], "body", day(2)),
        (corpus["brief"], "body", day(5)),
    ]
    assert refs("data residency") == [
        corpus["title_phrase"],
        corpus["title_words"],
        corpus["body_words"],
        corpus["body_phrase"],
        corpus["brief"],
        corpus["decision"],
        corpus["workstream"],
    ]


def test_filters_by_type(corpus) -> None:
    assert refs("residency", types=["decision"]) == [corpus["decision"]]
    assert refs("residency", types=["workstream", "brief"]) == [corpus["brief"], corpus["workstream"]]
    assert refs("residency", types=[]) == []
    assert search.count("residency", types=["decision"]) == {"decision": 1}


def test_a_key_finds_its_record_first(corpus) -> None:
    assert refs(corpus["decision"])[0] == corpus["decision"]
    assert refs(corpus["title_words"].lower())[0] == corpus["title_words"]


def test_the_last_word_matches_as_a_prefix_while_it_is_typed(corpus) -> None:
    assert corpus["title_phrase"] in refs("data resid")
    assert corpus["title_phrase"] not in refs("data resid ")  # a finished word must match whole


def test_plurals_and_accents_match(corpus) -> None:
    ContextEntryFactory(title="Tomás wants fewer policies", body="One policy per surface.")
    assert refs("evaluations")[:1] == refs("evaluation")[:1]
    assert len(refs("policy")) == 1
    assert refs("tomas") == refs("TOMÁS") != []


def test_highlights_are_escaped_then_marked() -> None:
    ContextEntryFactory(
        title="<b>residency</b> & <script>", body="Text with <img src=x onerror=alert(1)> residency"
    )
    (hit,) = search.search("residency")
    assert hit.title_html == "&lt;b&gt;<mark>residency</mark>&lt;/b&gt; &amp; &lt;script&gt;"
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>residency</mark>" in hit.snippet
    assert "<img" not in hit.snippet


def test_a_snippet_is_a_window_around_the_first_match() -> None:
    body = " ".join(["filler"] * 80) + " the residency question " + " ".join(["more"] * 80)
    ContextEntryFactory(title="Long entry", body=body)
    (hit,) = search.search("residency")
    assert hit.snippet.startswith("… ")
    assert hit.snippet.endswith(" …")
    assert "<mark>residency</mark>" in hit.snippet
    assert len(hit.snippet) < 320


@pytest.mark.parametrize(
    "query",
    [
        '"', "'", "*", "-", "+", "^", ":", "(", ")", "((", '"unbalanced', "data AND", "OR OR", "NOT",
        "NEAR(a b)", "col:x", "{index_title}: x", "index_title:data", "a & b | !c", "data:*A", "<->",
        "'; DROP TABLE context_repo_searchdocument; --", "\\", "\x00", "ж" * 300, "🔥", "a" * 5000,
        "%", "_", "%s", "?", "@@", "data:B", "résidency!!!", "   ",
    ],
)  # fmt: skip
def test_no_query_errors_out(corpus, query: str) -> None:
    search.search(query)
    search.count(query)
    search.settled_matches(query)


def test_operators_typed_by_the_user_are_plain_words(corpus) -> None:
    ContextEntryFactory(title="Not now, or never", body="We said no.")
    assert len(refs("NOT now OR never")) == 1
    assert refs('"data residency" -helix*') == refs("data residency helix")


def test_the_index_follows_an_edit(corpus) -> None:
    entry = ContextEntry.objects.get(key=corpus["unrelated"])
    entry.title = "Burst limits for evaluation sweeps"
    entry.body = "Queued sweeps."
    entry.save()
    assert corpus["unrelated"] in refs("sweeps")
    entry.title = "Burst limits"
    entry.body = "Queued."
    entry.save()
    assert refs("sweeps") == []


def test_the_index_follows_a_delete(corpus) -> None:
    ContextEntry.objects.get(key=corpus["title_phrase"]).delete()
    Decision.objects.get(key=corpus["decision"]).delete()
    found = refs("residency")
    assert corpus["title_phrase"] not in found
    assert corpus["decision"] not in found
    assert not SearchDocument.objects.filter(ref=corpus["decision"]).exists()


def test_the_index_follows_tags_options_and_briefs(corpus) -> None:
    entry = ContextEntry.objects.get(key=corpus["unrelated"])
    entry.tags.add(Tag.objects.create(name="rate-limit-bursts"))
    assert corpus["unrelated"] in refs("rate-limit-bursts")
    entry.tags.clear()
    assert refs("rate-limit-bursts") == []

    decision = Decision.objects.get(key=corpus["decision"])
    option = OptionFactory(
        decision=decision, title="Single global cluster", rejected_because="Regulators refused."
    )
    assert refs("regulators refused") == [decision.key]
    option.delete()
    assert refs("regulators refused") == []

    brief = BriefFactory(
        engagement=EngagementFactory(title="Agency review"), objective="Settle the ATO boundary."
    )
    assert refs("ATO boundary") == [brief.engagement.key]
    brief.delete()
    assert refs("ATO boundary") == []
    assert refs("agency review") == [brief.engagement.key]
    brief.engagement.delete()
    assert refs("agency review") == []


def test_deleting_a_decision_does_not_reindex_it_for_each_of_its_options(corpus) -> None:
    from django.test.utils import CaptureQueriesContext

    decision = Decision.objects.get(key=corpus["decision"])
    for n in range(3):
        OptionFactory(decision=decision, title=f"Option {n}")
    with CaptureQueriesContext(connection) as captured:
        decision.delete()
    touching = [q["sql"] for q in captured.captured_queries if "context_repo_search" in q["sql"]]
    assert not [sql for sql in touching if sql.startswith(("INSERT", "UPDATE"))]  # no refresh on the way out
    assert len(touching) <= 3, "\n".join(
        s[:150] for s in touching
    )  # find the document, delete its text, delete it
    assert corpus["decision"] not in refs("residency")
    # An option deleted on its own still refreshes its decision.
    other = DecisionFactory(title="Another decision")
    option = OptionFactory(decision=other, title="Vanishing option")
    assert refs("vanishing") == [other.key]
    option.delete()
    assert refs("vanishing") == []


def test_rebuilding_gives_the_same_results_and_catches_bulk_writes(corpus) -> None:
    before = [(h.ref, h.tier) for h in search.search("residency")]
    ContextEntry.objects.bulk_create(
        [ContextEntry(number=900, key="CX-900", kind="note", title="Bulk residency note", dated_on=TODAY)]
    )
    assert "CX-900" not in refs("residency")  # bulk writes bypass the signals...
    assert search.rebuild_index() == SearchDocument.objects.count() == SearchText.objects.count() == 9
    after = [(h.ref, h.tier) for h in search.search("residency")]
    assert ("CX-900", 2) in after  # ...and a rebuild catches them
    assert [item for item in after if item[0] != "CX-900"] == before


def test_the_rebuild_command_indexes_everything(corpus) -> None:
    SearchDocument.objects.all().delete()
    assert refs("residency") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(refs("residency")) == 7


def test_paused_indexing_skips_saves_until_a_rebuild() -> None:
    with search.paused():
        entry = ContextEntryFactory(title="Quiet entry")
    assert refs("quiet") == []
    search.index_record(entry)
    assert refs("quiet") == [entry.key]
    search.remove_record(entry)
    assert refs("quiet") == []


def test_pages_of_results_do_not_overlap() -> None:
    for n in range(25):
        ContextEntryFactory(title=f"Residency note {n}", dated_on=TODAY - dt.timedelta(days=n))
    first = refs("residency", limit=10)
    second = refs("residency", limit=10, offset=10)
    third = refs("residency", limit=10, offset=20)
    assert len(first) == len(second) == 10 and len(third) == 5
    assert not set(first) & set(second) and not set(second) & set(third)


# No re-litigation ------------------------------------------------------------------------------------


@pytest.fixture
def settled() -> dict[str, str]:
    decided = DecisionFactory(
        title="Usage-based pricing for enterprise deployments",
        status=Decision.Status.DECIDED,
        outcome="Usage-based with a committed annual floor.",
        decided_on=timezone.localdate(),
    )
    still_open = DecisionFactory(title="Per-seat pricing for government", status=Decision.Status.OPEN)
    debate = ContextEntryFactory(
        kind=ContextEntry.Kind.RESOLVED_DEBATE,
        title="Seats or usage: how we price enterprise",
        body="Usage won.\n\nThe long story follows.",
    )
    note = ContextEntryFactory(kind=ContextEntry.Kind.NOTE, title="Enterprise pricing notes")
    return {"decided": decided.key, "open": still_open.key, "debate": debate.key, "note": note.key}


def test_settled_matches_are_decided_decisions_and_resolved_debates(settled) -> None:
    hits = search.settled_matches("Should we price enterprise deployments per seat?")
    assert {h.ref for h in hits} == {settled["decided"], settled["debate"]}
    summaries = {h.ref: h.summary for h in hits}
    assert summaries[settled["decided"]] == "Usage-based with a committed annual floor."
    assert summaries[settled["debate"]] == "Usage won."


def test_settled_matches_need_a_real_title(settled) -> None:
    assert search.settled_matches("pr") == []
    assert search.settled_matches("the and of") == []
    assert search.settled_matches("Kubernetes upgrade windows") == []


def test_the_settled_endpoint_answers_a_live_region(client_as, settled) -> None:
    client = client_as("contributor")
    empty = client.get("/search/settled/", {"title": "pr"})
    assert empty.content.decode().strip() == '<div id="settled-matches" aria-live="polite"></div>'
    response = client.get(
        "/search/settled/", {"title": "enterprise pricing by seat"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="settled-matches" aria-live="polite">')
    assert f"/decisions/{settled['decided']}/" in html
    assert f"/context/{settled['debate']}/" in html
    assert "Usage-based with a committed annual floor." in html
    assert settled["open"] not in html and settled["note"] not in html
    other_kind = client.get("/search/settled/", {"title": "enterprise pricing by seat", "kind": "note"})
    assert other_kind.content.decode().strip() == '<div id="settled-matches" aria-live="polite"></div>'
    question = client.get(
        "/search/settled/", {"title": "enterprise pricing by seat", "kind": "open_question"}
    )
    assert settled["debate"] in question.content.decode()


def test_the_results_page_works_with_and_without_htmx(client_as, corpus) -> None:
    client = client_as("viewer")
    page = client.get("/search/", {"q": "data residency", "type": ""}).content.decode()
    assert 'method="get" action="/search/"' in page and "<mark>data</mark>" in page
    assert "7</strong> results for “data residency”" in page
    fragment = client.get(
        "/search/", {"q": "data residency", "type": "context"}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="search-results"') and "<html" not in html
    assert "4</strong> results for “data residency” among context entries" in html
    assert "in all: 1 decision, 4 context entries, 1 workstream, 1 brief" in html
    assert fragment["HX-Push-Url"] == "/search/?q=data+residency&type=context"


def test_the_shell_dropdown_is_compact_and_links_to_all_results(client_as, corpus) -> None:
    client = client_as("viewer")
    assert client.get("/search/", {"q": "d", "as": "dropdown"}).content == b""
    html = client.get(
        "/search/", {"q": "residency", "as": "dropdown"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert html.count("<li>") == 7
    assert 'href="/search/?q=residency"' in html and "See all 7 results" in html
    assert "<html" not in html
