"""Signing out ends the session (`joinedup.core.sessions`) for every request, through a domain page.
Moved from core's tests, which do not use the domain apps."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db


def test_signing_out_ends_the_session_for_every_request(client, partnership) -> None:
    client.force_login(partnership.adviser_a.user)
    assert client.get("/cases/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/sign-out/")
    assert not Session.objects.filter(pk=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
