"""Shared fixtures. The suite runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import os

import pytest

from joinedup.testkit import Partnership, SignInClient


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL")
    return f"database: {'PostgreSQL at ' + url.split('@')[-1] if url else 'SQLite'}; CI={os.environ.get('CI', '')}"


@pytest.fixture(autouse=True, scope="session")
def _database_is_what_was_asked(django_db_setup, django_db_blocker):
    """Fail loudly if DATABASE_URL asked for PostgreSQL but the tests are running on something else."""
    from django.db import connection

    with django_db_blocker.unblock():
        wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        assert connection.vendor == wanted, f"Tests asked for {wanted} but are running on {connection.vendor}"


@pytest.fixture
def partnership(db) -> Partnership:
    return Partnership()


@pytest.fixture
def client() -> SignInClient:
    """pytest-django's client, whose `force_login` also verifies the user's second factor with a real
    device when their role needs one (issue 17; joinedup.testkit.signin). The check stays on."""
    return SignInClient()
