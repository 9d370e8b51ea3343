from __future__ import annotations

import pytest
from django.test import override_settings

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue():
    """The real queue (Django Tasks' database backend) instead of the test settings' immediate one."""
    with override_settings(TASKS=DATABASE_QUEUE):
        yield


@pytest.fixture
def marker(tmp_path):
    return str(tmp_path / "runs.txt")
