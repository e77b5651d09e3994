"""The full-text side of the search index, one way per database.

SQLite: an FTS5 table over `context_repo_searchtext` (external content, rowid = the document's id),
kept in step by triggers, so every insert, update and delete of a search text (ORM, bulk or raw)
reaches it. PostgreSQL: a generated, stored `tsvector` of the whole record (title weighted A, body B)
on `context_repo_searchtext` with a GIN index, and one of the title alone on the narrow
`context_repo_searchdocument`, for ranking title matches without reading the bodies.

Both index the words `context_repo.search` normalized in Python, with the plainest tokenizer of
each database ('unicode61' and the 'simple' configuration), so both find the same records.

Note for a later migration that alters `context_repo_searchtext` on SQLite: Django rebuilds the
table, which drops these triggers; recreate them there and run `manage.py rebuild_search_index`.
"""

from django.db import migrations

DOCUMENTS = "context_repo_searchdocument"
TEXTS = "context_repo_searchtext"
FTS = "context_repo_search_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        index_title, index_body, content='{TEXTS}', content_rowid='document_id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TEXTS} BEGIN
        INSERT INTO {FTS}(rowid, index_title, index_body) VALUES (new.document_id, new.index_title, new.index_body);
    END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TEXTS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, index_title, index_body)
        VALUES ('delete', old.document_id, old.index_title, old.index_body);
    END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TEXTS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, index_title, index_body)
        VALUES ('delete', old.document_id, old.index_title, old.index_body);
        INSERT INTO {FTS}(rowid, index_title, index_body) VALUES (new.document_id, new.index_title, new.index_body);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]

POSTGRES_FORWARD = [
    f"""ALTER TABLE {TEXTS} ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(index_title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(index_body, '')), 'B')
    ) STORED""",
    f"CREATE INDEX context_repo_search_document_gin ON {TEXTS} USING GIN (document)",
    f"""ALTER TABLE {DOCUMENTS} ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, coalesce(index_title, ''))
    ) STORED""",
]
POSTGRES_BACKWARD = [
    f"ALTER TABLE {DOCUMENTS} DROP COLUMN IF EXISTS title_vector",
    "DROP INDEX IF EXISTS context_repo_search_document_gin",
    f"ALTER TABLE {TEXTS} DROP COLUMN IF EXISTS document",
]


class RunSQLOn(migrations.RunSQL):
    """RunSQL that runs only on one database vendor ('sqlite' or 'postgresql')."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor], {"sql": self.sql, "reverse_sql": self.reverse_sql}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL on {self.vendor} only"


class Migration(migrations.Migration):
    dependencies = [("context_repo", "0003_search_index")]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLOn("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
