"""Load (or bring up to date) the seed directory, and point every service at its newest rule set with
the age range it implies."""

from django.db import migrations

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


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_current_rules_and_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
