"""Fill the matching table (decision 030) for the cases already seeking work.

It calls the app's own `match_table.match_rows_rebuild` (the one definition of a row) rather than
copying it here: the table is derived, so a later rebuild writes the same rows."""

from django.db import migrations


def fill(apps, schema_editor):
    from joinedup.employers.match_table import match_rows_rebuild

    match_rows_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0002_match_table"),
        ("cases", "0006_alter_contact_channel"),
        ("people", "0004_person_postcode_district"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
