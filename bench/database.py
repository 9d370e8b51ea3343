"""Which database the benchmark uses: always one called joinedup_bench, never the dev or test ones."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "joinedup_bench"
DEFAULT_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


def database_url_for(name: str, *, override: str = "") -> str:
    """The environment variable `override` as given if set; otherwise DATABASE_URL's server (or
    127.0.0.1) with the database `name`. Each benchmark keeps its own database."""
    explicit = os.environ.get(override) if override else None
    if explicit:
        return explicit
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"The benchmark needs PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    return urlunsplit(parts._replace(path="/" + name))


def bench_database_url() -> str:
    """BENCH_DATABASE_URL as given; otherwise DATABASE_URL's server (or 127.0.0.1) with joinedup_bench."""
    return database_url_for(BENCH_DATABASE, override="BENCH_DATABASE_URL")


def ensure_database(url: str) -> bool:
    """Create the benchmark database if it does not exist. Returns True when it was created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True
