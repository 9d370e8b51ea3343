"""Reference data: the seed directory was loaded here at first; it is now loaded by 0004_reload_seed,
after 0003 gave services their current rule-set pointer (which seed.load_seed writes). A database that
ran this migration before keeps what it loaded; 0004 brings it up to date."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
