"""Reference data: the real programmes named in the source reports (see joinedup/directory/seed.py)."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    from joinedup.directory.seed import load_seed

    load_seed(lambda name: apps.get_model("directory", name))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
