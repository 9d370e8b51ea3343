from django.db import migrations


def recount(apps, schema_editor):  # noqa: ANN001
    from joinedup.outcomes.services import tallies_rebuild

    tallies_rebuild(apps.get_model)


class Migration(migrations.Migration):
    """Count what a database already holds, so the dashboard is right from the first deployment."""

    dependencies = [
        ("outcomes", "0001_initial"),
        ("cases", "0003_adviser_workspace"),
        ("referrals", "0001_initial"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
