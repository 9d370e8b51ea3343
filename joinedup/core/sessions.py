"""Django's database sessions, with the read that every signed-in request makes written as one SQL
statement (SESSION_ENGINE; decision 011).

Building the ORM query for a session (``Session.objects.get(session_key=..., expire_date__gt=now)``)
cost about three times as much as running it. Everything else — creating, saving, cycling and
deleting sessions, the cookie, the signing of the data — is Django's ``db`` engine unchanged.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> SimpleNamespace | None:
        """The session's row if it exists and has not expired, as Django's engine reads it."""
        if not self.session_key:  # Django's engine finds no row for a missing or invalid key
            self._session_key = None
            return None
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - table name from the model
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])
