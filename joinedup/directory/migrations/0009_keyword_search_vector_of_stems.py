"""On PostgreSQL, keyword search's GIN-indexed `search_vector` becomes a tsvector of the stored stems
(decision 024): the service and organisation names weighted A, taxonomy terms B, the description C.
The stems are made in Python (search.py, the Snowball English stemmer) so both databases match the same
words; the `simple` configuration keeps them as they are. Replaces migration 0006's vector of the
name and description. Nothing is done on SQLite, which matches the stems in the columns themselves."""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, search_name), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, search_text), 'C')"
)
OLD_VECTOR = "to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))"


def _swap(schema_editor, expression: str) -> None:  # noqa: ANN001
    for sql in (
        "DROP INDEX IF EXISTS directory_service_search_vector",
        "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX directory_service_search_vector ON directory_service USING gin (search_vector)",
    ):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        _swap(schema_editor, VECTOR)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        _swap(schema_editor, OLD_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_keyword_search_columns")]

    operations = [migrations.RunPython(forwards, backwards)]
