"""Bring the seed directory's rules up to date after they were reviewed against each programme's own
description (issue 18): IPS is for people with a severe mental illness (not anxiety or depression
alone), Fit for Work for people in work with a health condition, and the Work and Health Programme's
early entrants include people dependent on drugs or alcohol. A service whose rules an editor changed
keeps them (seed.load_seed). The Talking Therapies service is no longer named after its
organisation ("… (Let's Talk Wellbeing) (Let's Talk Wellbeing)" where both were shown). Then every
service's keyword-search columns are worked out (decision 024)."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    from joinedup.directory.search import index_services
    from joinedup.directory.seed import load_seed

    def get_model(name):  # noqa: ANN001, ANN202
        return apps.get_model("directory", name)

    load_seed(get_model)
    index_services(get_model("Service").objects.values_list("id", flat=True), get_model=get_model)


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_keyword_search_vector_of_stems")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
