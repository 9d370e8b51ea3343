"""While the database cannot be reached, nobody sees a 500 (issue 17, decision 018).

The test really breaks the connection: the open one is set aside and the next one is made to a
database that is not there (a closed port on PostgreSQL, a path that cannot exist on SQLite), so
Django's own reconnect fails as it does when PostgreSQL restarts. Pages answer a plain "service
unavailable" page, the API and FHIR a 503 in their own shape, all with Retry-After.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from joinedup.api.services import api_token_issue
from joinedup.testkit import SignInClient

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down() -> Iterator[None]:
    kept, settings = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/joinedup/unreachable.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(settings)
        connection.connection = kept


def test_pages_api_and_fhir_answer_503_with_retry_after(partnership):
    page = SignInClient(raise_request_exception=False)
    page.force_login(partnership.adviser_a.user)
    anonymous = Client(raise_request_exception=False)
    _, key = api_token_issue(membership=partnership.referrer)
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    with database_down():
        answers = {
            "signed-in page": page.get("/cases/"),
            "public page": anonymous.get("/directory/?q=work"),
            "API": api.post("/api/v1/referrals/", json.dumps({"given_name": "Ann"}), content_type="application/json"),
            "API read": api.get("/api/v1/referrals/JU-AAAAAAA/"),
            "FHIR": api.get("/fhir/Task/00000000-0000-0000-0000-000000000001"),
            "open referral": anonymous.get("/openreferral/services"),
        }
    for what, response in answers.items():
        assert response.status_code == 503, f"{what}: {response.status_code} {response.content[:300]!r}"
        assert response["Retry-After"].isdigit(), what
    assert b"unavailable" in answers["signed-in page"].content
    assert answers["API"].json()["errors"][0]["message"].startswith("The service is unavailable")
    assert answers["FHIR"].json()["resourceType"] == "OperationOutcome"
    # And once the database is back, the same pages work again.
    assert page.get("/cases/").status_code == 200


def test_a_mistake_in_a_query_is_not_an_outage(partnership, client):
    from django.db import OperationalError

    from joinedup.core.hostile import is_outage

    assert client.get("/cases/").status_code in (200, 302)  # the connection is open and answers
    mistake = OperationalError("no such column: people_person.made_up")  # what SQLite says
    assert not is_outage(mistake)
    with database_down():
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            assert is_outage(exc)
        else:
            pytest.fail("the database was meant to be unreachable")
