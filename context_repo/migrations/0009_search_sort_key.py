"""Each search text gets its type (`kind`) and its place in the results (`sort_key`); on SQLite the
FTS5 table is made again with `sort_key` as its rowid and `kind` as a column, so that a page of
results and the counts by type are read from the full-text index alone (`context_repo.search`),
and with one-letter prefixes indexed beside the two- and three-letter ones.

On SQLite, Django rebuilds `context_repo_searchtext` to add the columns, which would drop the
triggers that keep FTS5 in step: the FTS5 table and its triggers are dropped first and made again
last, then filled from the texts ('rebuild'). On PostgreSQL the columns are only added and filled.
The sort key is written out here as `context_repo.search.sort_key` computes it today, so that this
migration keeps doing what it did if that function changes (a change would need a migration).

Note for a later migration that alters `context_repo_searchtext` on SQLite: the same applies; drop
the FTS5 table and its triggers first, and make them again (with `fts5_sql`) last.
"""

from django.db import migrations, models

TEXTS = "context_repo_searchtext"
FTS = "context_repo_search_fts"

ID_BITS = 39
TYPE_RANKS = {"brief": 0, "context": 1, "decision": 2, "workstream": 3}


def fts5_sql(columns: list[str], rowid: str, prefix: str) -> list[str]:
    """The FTS5 table over the texts, its three triggers, and its first filling."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
            {listed}, content='{TEXTS}', content_rowid='{rowid}',
            tokenize='unicode61 remove_diacritics 0', prefix='{prefix}'
        )""",
        f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TEXTS} BEGIN
            INSERT INTO {FTS}(rowid, {listed}) VALUES (new.{rowid}, {new});
        END""",
        f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TEXTS} BEGIN
            INSERT INTO {FTS}({FTS}, rowid, {listed}) VALUES ('delete', old.{rowid}, {old});
        END""",
        f"""CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TEXTS} BEGIN
            INSERT INTO {FTS}({FTS}, rowid, {listed}) VALUES ('delete', old.{rowid}, {old});
            INSERT INTO {FTS}(rowid, {listed}) VALUES (new.{rowid}, {new});
        END""",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
        f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')",
    ]


DROP_FTS5 = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
BEFORE = fts5_sql(["index_title", "index_body"], rowid="document_id", prefix="2 3")  # as 0004 made it
# One-letter prefixes indexed too: "residency d", typed in the search box, then reads one doclist
# instead of merging those of every word that starts with d (for about a fifth more index).
AFTER = fts5_sql(["index_title", "index_body", "kind"], rowid="sort_key", prefix="1 2 3")


def sort_key(dated, type_: str, document_id: int) -> int:  # type: ignore[no-untyped-def]
    return (
        (dated.toordinal() << (ID_BITS + 2))
        | ((3 - TYPE_RANKS[type_]) << ID_BITS)
        | ((1 << ID_BITS) - 1 - document_id)
    )


def fill(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    documents = apps.get_model("context_repo", "SearchDocument").objects.using(schema_editor.connection.alias)
    rows = [
        (sort_key(dated, type_, pk), type_, pk)
        for pk, type_, dated in documents.values_list("pk", "type", "dated").iterator(chunk_size=5000)
    ]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {TEXTS} SET sort_key = %s, kind = %s WHERE document_id = %s", rows)


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
    dependencies = [("context_repo", "0008_start_here_step_version")]

    operations = [
        RunSQLOn("sqlite", DROP_FTS5, BEFORE),
        migrations.AddField(
            model_name="searchtext",
            name="kind",
            field=models.CharField(
                choices=[
                    ("decision", "Decision"),
                    ("context", "Context entry"),
                    ("workstream", "Workstream"),
                    ("brief", "Brief"),
                ],
                default="",
                help_text="The document's type.",
                max_length=12,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchtext",
            name="sort_key",
            field=models.BigIntegerField(null=True, unique=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchtext",
            name="sort_key",
            field=models.BigIntegerField(
                help_text="The document's `dated`, type and id as one number: descending, the order of "
                "results within a tier (`context_repo.search.sort_key`).",
                unique=True,
            ),
        ),
        RunSQLOn("sqlite", AFTER, DROP_FTS5),
    ]
