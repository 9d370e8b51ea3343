"""The database settings both the app and the benchmark build from a URL."""

from __future__ import annotations

from config.settings.base import database_from_url


def test_postgres_binds_on_the_server_and_keeps_the_urls_options() -> None:
    database = database_from_url("postgres://app@db.example:6432/joinedup?sslmode=require", conn_max_age=60)
    assert database["OPTIONS"] == {"sslmode": "require", "server_side_binding": True}
    assert (database["HOST"], database["PORT"], database["CONN_MAX_AGE"]) == ("db.example", 6432, 60)
    assert "prepare_threshold" not in database["OPTIONS"]  # prepared statements stay off (decision 011)


def test_sqlite_gets_no_postgres_options() -> None:
    assert "server_side_binding" not in database_from_url("sqlite:///tmp/x.sqlite3", conn_max_age=0).get("OPTIONS", {})
