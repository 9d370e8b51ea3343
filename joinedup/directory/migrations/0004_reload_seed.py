"""Load (or bring up to date) the seed directory, point every service at its newest rule set with the
age range it implies, and on PostgreSQL index the keyword search's full-text expression."""

from django.db import migrations

FTS_INDEX = (
    "CREATE INDEX IF NOT EXISTS directory_service_fts ON directory_service USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))"
)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from joinedup.directory.rules import add_rule_version
    from joinedup.directory.seed import load_seed

    load_seed(lambda name: apps.get_model("directory", name))
    service_model = apps.get_model("directory", "Service")
    rules_model = apps.get_model("directory", "EligibilityRuleSet")
    for service in service_model.objects.filter(current_rule_set__isnull=True):
        latest = rules_model.objects.filter(service_id=service.pk).order_by("-version").first()
        if latest is not None:
            add_rule_version(
                service, rules=latest.rules, stated_as=latest.stated_as, source=latest.source, rules_model=rules_model
            )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FTS_INDEX)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_fts")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_current_rules_and_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
