"""One search across decisions, context entries, workstreams and briefs, on SQLite and PostgreSQL.

The interface: `index_record(obj)`, `remove_record(obj)`, `search(q, types=None, limit=...)`,
`count(q, types=None)`, `settled_matches(title)` and `rebuild_index()`. Signals (connected in
`ContextRepoConfig.ready`) keep the index in step with every save and delete of the four kinds of
record and of the parts they carry (a decision's options and tags, an engagement's brief); bulk
writes that bypass signals call `rebuild_index()` (the snapshot loader does, at the end of the
`context` section; `manage.py rebuild_search_index` does it by hand).

How the two databases give the same results: the words are normalized here, in Python, once
(`words`: accents folded, lower case, split on anything that is not a letter or digit, a light
plural stemmer), and each database indexes those words with its plainest tokenizer (FTS5
'unicode61', PostgreSQL's 'simple' configuration). Queries are built from the same words, so what
matches is the same, and the ranking is computed the same way on both:

    3  the query is the record's key (`D-12`)
    2  the query's words appear in the title as a phrase
    1  all of the query's words appear in the title
    0  all of the query's words appear somewhere (title and body together)

then the newest first, then by type and id. The last word of a query matches as a prefix, so
results come while a word is still being typed. A user's query never reaches either database's
query syntax: it is reduced to words of letters and digits, and quoted.

How a search stays as fast with a large org as with a small one: on SQLite, each record's place
within a tier is one integer, its `sort_key` (`dated`, type and id; the newest first when
descending), and that is the FTS5 table's rowid. A page is then read from the full-text index
alone, each tier an FTS5 expression `ORDER BY rowid DESC LIMIT n`, which FTS5 stops after n rows
however many records match; the counts by type are read from the rowids too (the type is in their
bits); only the page's own records are read from the tables. PostgreSQL ranks the matches in a
narrow table (`SearchDocument`) and reads texts for the page shown.
"""

# The SQL below is assembled from constants only; every value that comes from a user is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextvars
import datetime as dt
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from briefs.models import Brief, Engagement
from context_repo.models import ContextEntry, SearchDocument, SearchText
from decisions.models import Decision, Option
from leadership_os.markdown import markdown_text
from workstreams.models import Workstream

Type = SearchDocument.Type
TYPES = [Type.DECISION, Type.CONTEXT, Type.WORKSTREAM, Type.BRIEF]
FTS_TABLE = "context_repo_search_fts"
FTS_WORDS = "index_title index_body"  # the FTS5 columns of a record's words (not `kind`, its type)
DOC_TABLE = "context_repo_searchdocument"
TEXT_TABLE = "context_repo_searchtext"
MAX_TERMS = 8
MAX_QUERY_CHARS = 200
MAX_INDEXED_WORDS = 20_000  # PostgreSQL positions stop at 16,383 and a tsvector at 1 MB
SNIPPET_CHARS = 220
ID_BITS = 39  # a sort key: a date's ordinal (22 bits), the type (2), the document's id (39); 63 in all
_TYPE_BITS = {t: 3 - rank for rank, t in enumerate(sorted(TYPES))}  # descending bits: types A to Z

# Words too common to say whether a typed title is the same question as a settled one.
STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being but by can
    could did do does doing for from had has have how i if in into is it its just more most must no
    nor not now of off on once only or other our out over own per same should so some such than that the
    their them then there these they this those through to too under until up very via vs was we were what
    when where which while who whom why will with would you your""".split()  # noqa: SIM905
)

_WORD = re.compile(r"[^\W_]+")


# Words ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    """A light plural stemmer (Harman's S-stemmer): signals→signal, policies→policy, issues→issue."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str | None) -> list[str]:
    """The words the index holds for `text`, in order: the one normalization both databases share."""
    if not text:
        return []
    return [_stem(word) for word in _WORD.findall(_fold(text))]


def _index_text(*parts: str | None, limit: int = MAX_INDEXED_WORDS) -> str:
    found: list[str] = []
    for part in parts:
        found.extend(words(part))
        if len(found) >= limit:
            break
    return " ".join(found[:limit])


@dataclass(frozen=True)
class Query:
    """A user's query reduced to words; `prefix` when the last word is still being typed."""

    raw: str
    terms: tuple[str, ...]
    prefix: bool

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def key(self) -> str:
        return self.raw.strip().upper()

    def matches_word(self, word: str) -> bool:
        last = len(self.terms) - 1
        for token in words(word):
            for position, term in enumerate(self.terms):
                if token == term or (self.prefix and position == last and token.startswith(term)):
                    return True
        return False


def parse(q: str | None) -> Query:
    raw = (q or "")[:MAX_QUERY_CHARS]
    unique: list[str] = []
    for term in words(raw):
        if term not in unique:
            unique.append(term)
    terms = tuple(unique[:MAX_TERMS])
    stripped = raw.rstrip()
    prefix = (
        bool(terms)
        and len(terms) == len(unique)
        and bool(raw)
        and (raw[-1].isalnum() or stripped.endswith("*"))
    )
    return Query(raw=raw, terms=terms, prefix=prefix)


# Query expressions, one builder per database ---------------------------------------------------------


def _fts5(
    query: Query, *, column: str | None = None, join: str = " AND ", terms: Sequence[str] | None = None
) -> str:
    chosen = list(terms if terms is not None else query.terms)
    last = len(query.terms) - 1
    parts = []
    for term in chosen:
        prefix = query.prefix and query.terms.index(term) == last
        parts.append(f'"{term}"' + ("*" if prefix else ""))
    expression = join.join(parts)
    return f"{{{column}}} : ({expression})" if column else expression


def _tsquery(query: Query, *, weight: str = "", join: str = " & ", terms: Sequence[str] | None = None) -> str:
    chosen = list(terms if terms is not None else query.terms)
    last = len(query.terms) - 1
    parts = []
    for term in chosen:
        prefix = query.prefix and query.terms.index(term) == last
        suffix = (":*" + weight) if prefix else (f":{weight}" if weight else "")
        parts.append(term + suffix)
    return join.join(parts)


def _fts5_types(types: Iterable[str] | None) -> str:
    """An FTS5 expression of the records of `types` (at least one of `TYPES`); none for any type."""
    if types is None:
        return ""
    chosen = set(types)
    return "{kind} : (" + " OR ".join(f'"{t}"' for t in TYPES if t in chosen) + ")"


def _type_filter(types: Iterable[str] | None) -> tuple[str, list[str]]:
    chosen = [t for t in TYPES if types is None or t in set(types)]
    if types is None:
        return "", []
    if not chosen:
        return " AND 1 = 0", []
    return f" AND d.type IN ({', '.join(['%s'] * len(chosen))})", chosen


_COLUMNS = "d.id, d.type, d.object_id, d.ref, d.subtype, d.status, d.title, d.summary, d.dated"
_ORDER = "tier DESC, dated DESC, type, id"


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _ranked_sql(query: Query, types: Iterable[str] | None, limit: int, offset: int) -> tuple[str, list[Any]]:
    """The page of hits with each one's tier and text, best first."""
    return (_sqlite_ranked_sql if not _is_postgres() else _postgres_ranked_sql)(query, types, limit, offset)


def _postgres_ranked_sql(
    query: Query, types: Iterable[str] | None, limit: int, offset: int
) -> tuple[str, list[Any]]:
    """The matches ranked in the narrow table; only the page's texts are read, for snippets."""
    where_types, type_params = _type_filter(types)
    tsq = "to_tsquery('simple'::regconfig, %s)"
    ranked = f"""
        SELECT {_COLUMNS},
            CASE WHEN d.ref = %s THEN 3 WHEN d.title_vector @@ {tsq} THEN 2
                 WHEN d.title_vector @@ {tsq} THEN 1 ELSE 0 END AS tier
        FROM {TEXT_TABLE} s JOIN {DOC_TABLE} d ON d.id = s.document_id
        WHERE s.document @@ {tsq}{where_types}"""
    params = [query.key, _tsquery(query, join=" <-> "), _tsquery(query), _tsquery(query)]
    sql = f"""
        SELECT page.*, t.text FROM (
            SELECT * FROM ({ranked}) hits ORDER BY {_ORDER} LIMIT %s OFFSET %s
        ) page JOIN {TEXT_TABLE} t ON t.document_id = page.id
        ORDER BY {_ORDER}"""
    return sql, [*params, *type_params, limit, offset]


_FTS5_NOTHING = '{kind} : "none"'  # no record has this type: FTS5 answers at once, with no rows


def _sqlite_tiers(query: Query) -> list[tuple[int, str, str | None]]:
    """Below the key, each tier as two FTS5 expressions: the records in it and in no tier above, and
    the records in the tiers above it but the key's (None for the first)."""
    title_phrase = _fts5(query, column="index_title", join=" + ")
    title_words = _fts5(query, column="index_title")
    tiers: list[tuple[int, str, str | None]] = [(2, title_phrase, None)]
    if len(query.terms) > 1:  # a phrase of one word is that word: tier 1 would be empty
        tiers.append((1, f"({title_words}) NOT ({title_phrase})", title_phrase))
    tiers.append((0, f"({_fts5(query, column=FTS_WORDS)}) NOT ({title_words})", title_words))
    return tiers


def _sqlite_ranked_sql(
    query: Query, types: Iterable[str] | None, limit: int, offset: int
) -> tuple[str, list[Any]]:
    """The page read from the full-text index: each tier in rowid (`sort_key`) order, which is the
    order within a tier, at most `offset + limit` rows of each, so that FTS5 stops early however
    many records match; a tier is not read at all when the tiers above fill the page (its MATCH is
    then an expression of no record); only the page's rows are read from the tables. The records
    whose key is the query come first and are kept out of the tiers below."""
    where_types, type_params = _type_filter(types)
    kinds = _fts5_types(types)
    end = offset + limit
    branches = [
        f"""SELECT 3 AS tier, k FROM keyed
            WHERE EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = keyed.k)"""
    ]
    params: list[Any] = [query.key, *type_params, _fts5(query, column=FTS_WORDS)]
    for tier, expression, above in _sqlite_tiers(query):
        if kinds:
            expression = f"({expression}) AND {kinds}"
        match = "%s"
        if above is not None:  # once the tiers above fill the page, this one is not read
            match = f"""CASE WHEN (
                SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)
            ) >= %s THEN %s ELSE %s END"""
            params += [f"({above}) AND {kinds}" if kinds else above, end, end, _FTS5_NOTHING]
        branches.append(
            f"""SELECT * FROM (
                SELECT {tier} AS tier, rowid AS k FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ({match})
                AND rowid NOT IN (SELECT k FROM keyed) ORDER BY rowid DESC LIMIT %s
            )"""
        )
        params += [expression, end]
    sql = f"""
        WITH keyed AS (
            SELECT t.sort_key AS k FROM {DOC_TABLE} d JOIN {TEXT_TABLE} t ON t.document_id = d.id
            WHERE d.ref = %s{where_types}
        )
        SELECT {_COLUMNS}, page.tier, t.text FROM (
            {" UNION ALL ".join(branches)} ORDER BY tier DESC, k DESC LIMIT %s OFFSET %s
        ) page JOIN {TEXT_TABLE} t ON t.sort_key = page.k JOIN {DOC_TABLE} d ON d.id = t.document_id
        ORDER BY page.tier DESC, page.k DESC"""
    return sql, [*params, limit, offset]


def _count_sql(query: Query, types: Iterable[str] | None) -> tuple[str, list[Any]]:
    """PostgreSQL: rows of (type, number of matches). SQLite: one row, the number of each of `TYPES`,
    counted from the full-text index alone, in one pass (the type is in the rowid's bits)."""
    if _is_postgres():
        where_types, type_params = _type_filter(types)
        sql = f"""SELECT d.type, COUNT(*) FROM {TEXT_TABLE} s JOIN {DOC_TABLE} d ON d.id = s.document_id
                  WHERE s.document @@ to_tsquery('simple'::regconfig, %s){where_types} GROUP BY d.type"""
        return sql, [_tsquery(query), *type_params]
    kinds = _fts5_types(types)
    expression = _fts5(query, column=FTS_WORDS)
    mask = 3 << ID_BITS
    per_type = ", ".join(f"SUM(rowid & {mask} = {_TYPE_BITS[t] << ID_BITS})" for t in TYPES)
    sql = f"SELECT {per_type} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return sql, [f"({expression}) AND {kinds}" if kinds else expression]


def _settled_sql(query: Query, terms: Sequence[str], need: int, limit: int) -> tuple[str, list[Any]]:
    settled = "((d.type = 'decision' AND d.status = 'decided') OR (d.type = 'context' AND d.subtype = 'resolved_debate'))"
    if _is_postgres():
        tsq = "to_tsquery('simple'::regconfig, %s)"
        anywhere = " + ".join(f"(s.document @@ {tsq})::int" for _ in terms)
        in_title = " + ".join(f"(d.title_vector @@ {tsq})::int" for _ in terms)
        inner = f"""SELECT {_COLUMNS}, ({anywhere}) AS matched, ({in_title}) AS title_matched
                    FROM {TEXT_TABLE} s JOIN {DOC_TABLE} d ON d.id = s.document_id
                    WHERE s.document @@ {tsq} AND {settled}"""
        params = [
            *(_tsquery(query, terms=[t]) for t in terms),
            *(_tsquery(query, terms=[t]) for t in terms),
            _tsquery(query, terms=terms, join=" | "),
        ]
    else:
        inside = f"(CASE WHEN t.sort_key IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) THEN 1 ELSE 0 END)"
        anywhere = " + ".join(inside for _ in terms)
        in_title = " + ".join(inside for _ in terms)
        inner = f"""SELECT {_COLUMNS}, ({anywhere}) AS matched, ({in_title}) AS title_matched
                    FROM {FTS_TABLE} JOIN {TEXT_TABLE} t ON t.sort_key = {FTS_TABLE}.rowid
                    JOIN {DOC_TABLE} d ON d.id = t.document_id
                    WHERE {FTS_TABLE} MATCH %s AND {settled}"""
        params = [
            *(_fts5(query, terms=[t], column=FTS_WORDS) for t in terms),
            *(_fts5(query, terms=[t], column="index_title") for t in terms),
            _fts5(query, terms=terms, join=" OR ", column=FTS_WORDS),
        ]
    sql = f"""SELECT * FROM ({inner}) found WHERE matched >= %s AND title_matched >= 1
              ORDER BY title_matched DESC, matched DESC, dated DESC, id LIMIT %s"""
    return sql, [*params, need, limit]


# Hits ------------------------------------------------------------------------------------------------


def highlight(text: str, query: Query) -> SafeString:
    """`text` escaped, with each word that matches the query wrapped in <mark>."""
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        if query.matches_word(match.group(0)):
            pieces.append(escape(text[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group(0))}</mark>")
            position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308  (every piece is escaped above)


def snippet(text: str, query: Query, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around the first matching word, escaped, the matches marked."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    first = next((m.start() for m in _WORD.finditer(text) if query.matches_word(m.group(0))), None)
    start = 0
    if first is not None and first > width // 3:
        start = text.rfind(" ", 0, first - width // 4) + 1
    end = len(text)
    if end - start > width:
        end = text.rfind(" ", start, start + width)
        end = start + width if end <= start else end
    body = highlight(text[start:end], query)
    return mark_safe(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))  # noqa: S308


def record_url(type_: str, ref: str, object_id: int) -> str:
    """The page of a record, at the stable addresses of DESIGN.md."""
    if type_ == Type.CONTEXT:
        return reverse("context_repo:entry_detail", args=[ref])
    if type_ == Type.DECISION:
        return f"/decisions/{ref}/"
    if type_ == Type.WORKSTREAM:
        return f"/workstreams/{ref}/"
    return f"/briefs/{object_id}/"


STATUS_LABELS: dict[str, str] = {
    **dict(Decision.Status.choices),
    **dict(ContextEntry.Status.choices),
    **{
        "on_track": "On track",
        "at_risk": "At risk",
        "blocked": "Blocked",
        "paused": "Paused",
        "done": "Done",
    },
}
SUBTYPE_LABELS: dict[str, str] = {**dict(ContextEntry.Kind.choices), **dict(Engagement.Kind.choices)}


@dataclass(frozen=True)
class Hit:
    type: str
    object_id: int
    ref: str
    title: str
    status: str
    subtype: str
    summary: str
    dated: dt.date
    tier: int
    title_html: SafeString
    snippet: SafeString
    url: str

    @property
    def type_label(self) -> str:
        return str(Type(self.type).label)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status.replace("_", " ").capitalize())

    @property
    def subtype_label(self) -> str:
        return SUBTYPE_LABELS.get(self.subtype, "")

    @property
    def match(self) -> str:
        """Where the query matched, in words, for people and tests."""
        return {3: "key", 2: "title phrase", 1: "title", 0: "body"}.get(self.tier, "")


def _hit(row: Sequence[Any], query: Query, tier: int, text: str = "") -> Hit:
    _id, type_, object_id, ref, subtype, status, title, summary, dated = row[:9]
    if isinstance(dated, str):  # SQLite hands dates back as text from raw SQL
        dated = dt.date.fromisoformat(dated)
    return Hit(
        type=type_,
        object_id=object_id,
        ref=ref,
        title=title,
        status=status,
        subtype=subtype,
        summary=summary,
        dated=dated,
        tier=tier,
        title_html=highlight(title, query),
        snippet=snippet(text, query),
        url=record_url(type_, ref, object_id),
    )


def search(q: str | None, types: Iterable[str] | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
    """The records matching `q`, best first (see the module's docstring), at most `limit`."""
    query = parse(q)
    if not query or limit <= 0 or (types is not None and not set(types) & set(TYPES)):
        return []
    sql, params = _ranked_sql(query, list(types) if types is not None else None, limit, offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_hit(row, query, int(row[9]), row[10] or "") for row in rows]


def count(q: str | None, types: Iterable[str] | None = None) -> dict[str, int]:
    """How many records of each type match `q` (types without a match are left out)."""
    query = parse(q)
    if not query:
        return {}
    if types is not None and not set(types) & set(TYPES):
        return {}
    sql, params = _count_sql(query, list(types) if types is not None else None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if _is_postgres() else zip(TYPES, cursor.fetchone(), strict=True)
        return {str(type_): int(n) for type_, n in rows if n}


class Results:
    """A search's results as a lazy sequence, for Django's Paginator: one query to count, one for a page."""

    def __init__(self, q: str | None, types: Iterable[str] | None = None) -> None:
        self.q = q
        self.types = list(types) if types is not None else None
        self._counts: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = count(self.q, None)
        return self._counts

    def count(self) -> int:
        counts = self.counts()
        return sum(n for type_, n in counts.items() if self.types is None or type_ in self.types)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + 20
        return search(self.q, self.types, limit=stop - start, offset=start)


def settled_matches(title: str | None, limit: int = 5) -> list[Hit]:
    """Decided decisions and resolved debates whose words overlap a typed title: at least one
    significant word in their title and at least half of the title's significant words anywhere."""
    if not title or len(title.strip()) < 3:
        return []
    query = parse(title)
    terms = [t for t in query.terms if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
    if not terms:
        return []
    need = math.ceil(len(terms) / 2)
    sql, params = _settled_sql(query, terms, need, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_hit(row, query, 1) for row in rows]


# Indexing ---------------------------------------------------------------------------------------------


def _first_line(text: str, limit: int = 240) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _local_date(value: dt.datetime | None) -> dt.date:
    if value is None:
        return timezone.localdate()
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


Indexed = tuple[SearchDocument, SearchText]
_DOCUMENT_FIELDS = ["ref", "subtype", "status", "title", "summary", "index_title", "dated"]
_TEXT_FIELDS = ["kind", "sort_key", "index_title", "index_body", "text"]


def _indexed(*, index_body: str, text: str, **fields: Any) -> Indexed:
    """A record as the index holds it: its narrow document and its text, both unsaved."""
    return SearchDocument(**fields), SearchText(
        kind=fields["type"], index_title=fields["index_title"], index_body=index_body, text=text
    )


def _decision_document(decision: Decision, tags: list[str], options: list[Option]) -> Indexed:
    context = markdown_text(decision.context)
    reasoning = markdown_text(decision.reasoning)
    option_text = [part for o in options for part in (o.title, o.description, o.rejected_because) if part]
    text = "\n".join(
        part for part in (decision.question, context, decision.outcome, reasoning, *option_text) if part
    )
    return _indexed(
        type=Type.DECISION,
        object_id=decision.pk,
        ref=decision.key,
        status=decision.status,
        title=decision.title,
        summary=_first_line(decision.outcome or decision.question or ""),
        text=text,
        index_title=_index_text(decision.key, decision.title),
        index_body=_index_text(text, " ".join(tags)),
        dated=decision.decided_on or decision.opened_on or _local_date(decision.created_at),
    )


def _entry_document(entry: ContextEntry, tags: list[str]) -> Indexed:
    body = markdown_text(entry.body)
    text = "\n".join(part for part in (body, entry.source) if part)
    return _indexed(
        type=Type.CONTEXT,
        object_id=entry.pk,
        ref=entry.key,
        subtype=entry.kind,
        status=entry.status,
        title=entry.title,
        summary=_first_line(body),
        text=text,
        index_title=_index_text(entry.key, entry.title),
        index_body=_index_text(text, " ".join(tags)),
        dated=entry.dated_on,
    )


def _workstream_document(workstream: Workstream, tags: list[str]) -> Indexed:
    text = "\n".join(part for part in (workstream.description, workstream.blocker) if part)
    return _indexed(
        type=Type.WORKSTREAM,
        object_id=workstream.pk,
        ref=workstream.key,
        status=workstream.state,
        title=workstream.name,
        summary=_first_line(workstream.blocker or workstream.description or ""),
        text=text,
        index_title=_index_text(workstream.key, workstream.name),
        index_body=_index_text(text, " ".join(tags)),
        dated=workstream.created_on,
    )


def _engagement_document(engagement: Engagement, brief: Brief | None) -> Indexed:
    parts = [engagement.counterpart, engagement.location, engagement.outcome]
    if brief is not None:
        parts = [brief.objective, brief.one_thing, markdown_text(brief.notes), *parts]
    text = "\n".join(part for part in parts if part)
    summary = (brief.objective if brief is not None else "") or engagement.outcome or engagement.counterpart
    return _indexed(
        type=Type.BRIEF,
        object_id=engagement.pk,
        ref=engagement.key,
        subtype=engagement.kind,
        title=engagement.title,
        summary=_first_line(summary or ""),
        text=text,
        index_title=_index_text(engagement.key, engagement.title),
        index_body=_index_text(text),
        dated=_local_date(engagement.starts_at),
    )


def _brief_of(engagement: Engagement) -> Brief | None:
    try:
        return engagement.brief
    except Brief.DoesNotExist:
        return None


def _document_for(obj: Model) -> Indexed | None:
    if isinstance(obj, Decision):
        return _decision_document(
            obj, list(obj.tags.values_list("name", flat=True)), list(Option.objects.filter(decision=obj))
        )
    if isinstance(obj, ContextEntry):
        return _entry_document(obj, list(obj.tags.values_list("name", flat=True)))
    if isinstance(obj, Workstream):
        return _workstream_document(obj, list(obj.tags.values_list("name", flat=True)))
    if isinstance(obj, Engagement):
        return _engagement_document(obj, Brief.objects.filter(engagement=obj).first())
    return None


def _owner(obj: Model) -> Model | None:
    """The indexed record a part belongs to (a decision's option, an engagement's brief), fresh."""
    if isinstance(obj, Option):
        return Decision.objects.filter(pk=obj.decision_id).first()
    if isinstance(obj, Brief):
        return Engagement.objects.filter(pk=obj.engagement_id).first()
    return obj


def sort_key(*, dated: dt.date, type_: str, document_id: int) -> int:
    """A document's place within a tier as one positive 64-bit integer: in descending order, the
    newest `dated` first, then by type, then by id (the order of `search` within a tier)."""
    if not 0 < document_id < 1 << ID_BITS:
        raise ValueError(f"A search document's id must be under 2**{ID_BITS} to be sorted: {document_id}")
    return (
        (dated.toordinal() << (ID_BITS + 2))
        | (_TYPE_BITS[type_] << ID_BITS)
        | ((1 << ID_BITS) - 1 - document_id)
    )


def _sort_key_of(document: SearchDocument) -> int:
    dated = SearchDocument._meta.get_field("dated").to_python(document.dated)  # a date, even if set as text
    return sort_key(dated=dated, type_=document.type, document_id=document.pk)


def index_record(obj: Model) -> None:
    """Add or refresh one record in the index (a part, such as an option, refreshes its record)."""
    record = _owner(obj)
    if record is None:
        return
    indexed = _document_for(record)
    if indexed is None:
        return
    document, text = indexed
    with transaction.atomic():
        stored, _ = SearchDocument.objects.update_or_create(
            type=document.type,
            object_id=document.object_id,
            defaults={name: getattr(document, name) for name in _DOCUMENT_FIELDS},
        )
        text.sort_key = _sort_key_of(stored)
        SearchText.objects.update_or_create(
            document=stored, defaults={name: getattr(text, name) for name in _TEXT_FIELDS}
        )


def _type_of(obj: Model) -> str | None:
    for model, type_ in (
        (Decision, Type.DECISION),
        (ContextEntry, Type.CONTEXT),
        (Workstream, Type.WORKSTREAM),
    ):
        if isinstance(obj, model):
            return type_
    if isinstance(obj, Engagement):
        return Type.BRIEF
    return None


def remove_record(obj: Model) -> None:
    """Take one record out of the index (removing a part refreshes its record instead)."""
    if isinstance(obj, Option | Brief):
        index_record(obj)
        return
    type_ = _type_of(obj)
    if type_ is not None:
        SearchDocument.objects.filter(type=type_, object_id=obj.pk).delete()


def _all_documents() -> Iterator[Indexed]:
    decisions = Decision.objects.prefetch_related("tags", "options").order_by("pk")
    for decision in decisions.iterator(chunk_size=1000):
        yield _decision_document(
            decision, [t.name for t in decision.tags.all()], list(decision.options.all())
        )
    for entry in ContextEntry.objects.prefetch_related("tags").order_by("pk").iterator(chunk_size=1000):
        yield _entry_document(entry, [t.name for t in entry.tags.all()])
    for workstream in Workstream.objects.prefetch_related("tags").order_by("pk").iterator(chunk_size=1000):
        yield _workstream_document(workstream, [t.name for t in workstream.tags.all()])
    for engagement in Engagement.objects.select_related("brief").order_by("pk").iterator(chunk_size=1000):
        yield _engagement_document(engagement, _brief_of(engagement))


def _write(batch: list[Indexed]) -> int:
    documents = SearchDocument.objects.bulk_create([document for document, _ in batch])
    for (_, text), document in zip(batch, documents, strict=True):
        text.document = document
        text.sort_key = _sort_key_of(document)
    SearchText.objects.bulk_create([text for _, text in batch])
    return len(batch)


def rebuild_index(batch_size: int = 1000) -> int:
    """Index every record again from scratch; return how many are indexed. For after bulk writes."""
    written = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TEXT_TABLE}")
            cursor.execute(f"DELETE FROM {DOC_TABLE}")
        batch: list[Indexed] = []
        for indexed in _all_documents():
            batch.append(indexed)
            if len(batch) >= batch_size:
                written += _write(batch)
                batch = []
        written += _write(batch)
        with connection.cursor() as cursor:
            if _is_postgres():  # fresh statistics, so that the planner sees the index as it now is
                cursor.execute(f"ANALYZE {DOC_TABLE}, {TEXT_TABLE}")
            else:  # one segment without the deleted rows, so that a query seeks through one b-tree
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return written


# Keeping the index in step ---------------------------------------------------------------------------

_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("search_index_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """Skip indexing on each save inside the block (a bulk writer then calls `rebuild_index()`)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _on_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw and not _paused.get():
        index_record(instance)


# Records whose delete has begun: their parts (options, a brief) go first, and need not refresh them.
_deleting = threading.local()


def _being_deleted() -> set[tuple[str, int]]:
    if not hasattr(_deleting, "records"):
        _deleting.records = set()
    return _deleting.records  # type: ignore[no-any-return]


def _on_pre_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _being_deleted().add((sender._meta.label, instance.pk))


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    deleting = _being_deleted()
    if isinstance(instance, Option) and ("decisions.Decision", instance.decision_id) in deleting:
        return
    if isinstance(instance, Brief) and ("briefs.Engagement", instance.engagement_id) in deleting:
        return
    deleting.discard((sender._meta.label, instance.pk))
    if not _paused.get():
        remove_record(instance)


def _on_m2m(sender: type[Model], instance: Model, action: str, reverse: bool, model: type[Model],
            pk_set: set[int] | None, **kwargs: Any) -> None:  # fmt: skip
    if _paused.get() or action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        index_record(instance)
    elif pk_set:
        for record in model._default_manager.filter(pk__in=pk_set):
            index_record(record)
    elif action == "post_clear":  # a tag cleared from the other side: which records is unknown
        rebuild_index()


INDEXED_MODELS: tuple[type[Model], ...] = (Decision, Option, ContextEntry, Workstream, Engagement, Brief)


def connect_signals() -> None:
    for model in (Decision, Engagement):
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=f"search-pre-delete-{model.__name__}")
    for model in INDEXED_MODELS:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    for through in (Decision.tags.through, ContextEntry.tags.through, Workstream.tags.through):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"search-m2m-{through.__name__}")
