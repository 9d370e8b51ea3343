"""On PostgreSQL, a GIN index on the expression keyword search matches with full-text search
(selectors._keyword: SearchVector("name", "description", config="english")). SQLite has no such
search, so nothing is done there. Its own migration: PostgreSQL will not build an index in the
transaction that wrote the seed rows (pending deferred foreign-key checks)."""

from django.db import migrations

FTS_INDEX = (
    "CREATE INDEX IF NOT EXISTS directory_service_fts ON directory_service USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))"
)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FTS_INDEX)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_fts")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_reload_seed")]

    operations = [migrations.RunPython(forwards, backwards)]
