from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _seed_directory(request: pytest.FixtureRequest) -> None:
    """The seed directory comes from a data migration; a flushing (transactional) test elsewhere in the
    session would remove it, so put it back when missing (load_seed is idempotent)."""
    if request.instance is not None and hasattr(request.instance, "_pre_setup"):
        return  # a Django TestCase manages its own database
    if "db" not in request.fixturenames and "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from joinedup.directory.models import Service
    from joinedup.directory.seed import SOURCE, load_seed

    if not Service.objects.filter(source=SOURCE).exists():
        load_seed(lambda name: apps.get_model("directory", name))
