"""The session engine (decision 011): Django's database sessions, read in one SQL statement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from joinedup.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_it() -> None:
    assert settings.SESSION_ENGINE == "joinedup.core.sessions"


def test_it_reads_what_django_writes_and_django_reads_what_it_writes() -> None:
    theirs = DjangoStore()
    theirs["name"] = "Siân O'Brien <b>'; DROP TABLE django_session; --"
    theirs.create()
    theirs.save()
    assert SessionStore(theirs.session_key)["name"] == "Siân O'Brien <b>'; DROP TABLE django_session; --"
    ours = SessionStore()
    ours["n"] = 1
    ours.save()
    assert DjangoStore(ours.session_key)["n"] == 1
    assert Session.objects.count() == 2


def test_an_expired_a_missing_and_a_malformed_session_are_empty_and_lose_their_key() -> None:
    store = SessionStore()
    store["n"] = 1
    store.save()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (store.session_key, "x" * 32, "short", None, "'; DROP TABLE django_session; --" * 3):
        read = SessionStore(key)
        assert read.load() == {} and read.session_key is None
    tampered = SessionStore()
    tampered["n"] = 1
    tampered.save()
    Session.objects.filter(pk=tampered.session_key).update(session_data="not signed data")
    assert SessionStore(tampered.session_key).load() == {}  # Django's decode refuses it
    assert Session.objects.count() == 2
