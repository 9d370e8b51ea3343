"""On PostgreSQL, the text keyword search matches with full-text search kept in a stored, generated
column (`search_vector`, GIN-indexed), instead of an index on the expression: the expression was
worked out again for every candidate row the other filters left (about 20 of the candidate
query's 32 ms at 10,000 services, docs/benchmarks.md), because it is OR-ed with the substring match and the index could not serve
it. The column is not on the model (SQLite has no such search); `selectors._keyword` reads it.
Nothing is done on SQLite."""

from django.db import migrations

ADD = [
    "ALTER TABLE directory_service ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS directory_service_search_vector ON directory_service USING gin (search_vector)",
    "DROP INDEX IF EXISTS directory_service_fts",
]
REMOVE = [
    "DROP INDEX IF EXISTS directory_service_search_vector",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX IF NOT EXISTS directory_service_fts ON directory_service USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))",
]


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        for sql in ADD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        for sql in REMOVE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_keyword_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
