"""A background worker in its own process, against the test database, for tests that need the real
thing (`manage.py jobs_worker`, the database queue): the killed-worker test, the browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_database_url() -> str:
    """The URL of the database this test is using (a file on SQLite: see config/settings/test.py)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if "memory" in str(db["NAME"]):
            raise RuntimeError("A worker in another process cannot see an in-memory SQLite database")
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*, worker_id: str = "test-worker") -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "joinedup.jobs.tests.worker_settings",
        "JOBS_TEST_DATABASE_URL": test_database_url(),
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "jobs_worker", "--interval", "0.2", "--worker-id", worker_id],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@contextmanager
def worker_process(*, worker_id: str = "test-worker") -> Iterator[subprocess.Popen[bytes]]:
    """A running worker, stopped (SIGTERM, then killed if need be) when the block ends."""
    worker = start_worker(worker_id=worker_id)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_for(predicate: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"Not true within {seconds} s")
