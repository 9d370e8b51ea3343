"""Reads that may be served by a read replica (dashboards, reports, exports), and the router.

The one way for a selector to say "this read may go to the replica" is the decorator::

    from joinedup.core.replica import replica_read

    @replica_read
    def dashboard(*, actor, period=None) -> Dashboard:
        ...  # every query it runs, it runs inside the call (return lists or dataclasses, not querysets)

While a `@replica_read` function runs, `ReplicaRouter` sends its ORM reads to the database alias
named by the `READ_REPLICA` setting (``"replica"`` when `DATABASE_REPLICA_URL` is set, else None,
and then everything stays on the primary). Everything else stays on the primary: every write, every
read outside such a function (the adviser's pages, the services' own reads) and every read inside a
transaction the code opened on the primary, so a service that writes and then reads sees its write.
A replica may lag the primary by its replication delay: mark only reads for which figures a few
seconds old are right (aggregates, reports, exports), never a read that decides a write.

A replica is a copy the database server keeps; nothing migrates it (`allow_migrate` is refused for
it), except a stand-in replica in the test settings, which is migrated like any test database.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_REPLICA_ALLOWED: ContextVar[bool] = ContextVar("joinedup_replica_read", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_alias() -> str | None:
    """The database alias replica reads go to, or None when there is no replica (reads stay on the primary)."""
    alias = getattr(settings, "READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside this block, reads may go to the replica (what `replica_read` wraps a function in)."""
    token = _REPLICA_ALLOWED.set(True)
    try:
        yield
    finally:
        _REPLICA_ALLOWED.reset(token)


def replica_read(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a selector whose reads may be served by the replica (see the module's docstring)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return func(*args, **kwargs)

    wrapper.replica_read = True  # type: ignore[attr-defined]
    return wrapper


def _in_transaction(alias: str) -> bool:
    """Whether code (not a test case's wrapping transaction) has opened a transaction on `alias`."""
    connection = connections[alias]
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def read_database() -> str:
    """Where a read made now would go: the replica's alias, or the primary's."""
    alias = replica_alias()
    if alias is None or not _REPLICA_ALLOWED.get() or _in_transaction(DEFAULT_DB_ALIAS):
        return DEFAULT_DB_ALIAS
    return alias


class ReplicaRouter:
    """`DATABASE_ROUTERS`: reads inside `replica_read` to the replica; all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = read_database()
        return None if alias == DEFAULT_DB_ALIAS else alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == getattr(settings, "READ_REPLICA", None) else None
