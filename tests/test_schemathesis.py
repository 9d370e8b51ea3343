"""Property-based API tests (issue 17): schemathesis generates requests from our two OpenAPI
documents, `/api/v1/schema/` and `/openreferral/openapi.json`, and sends them, with a valid token,
through the real WSGI application. No answer may be a 5xx, and every answer must be one the
document declares (status, content type, body schema). Bounded: a few dozen examples an operation.

Excluded check: `positive_data_acceptance` (a request the schema allows must be accepted). The API's
rules are stated in its document as far as OpenAPI can say them (lengths, formats, patterns, the
choices), but some cannot be said there: an NHS number's check digit, an age from 16 to 100, a
route's own questions. A schema-valid request may still be refused with a 400, which is declared.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from joinedup.api.services import api_token_issue

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def wsgi():
    """The real application. As Django's test client does, requests do not close the connection,
    which holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(partnership) -> str:
    return api_token_issue(membership=partnership.referrer)[1]


@pytest.fixture
def api_schema(wsgi, token):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi)


@pytest.fixture
def oruk_schema(wsgi):
    return schemathesis.openapi.from_wsgi("/openreferral/openapi.json", wsgi)


def _exercise(schema, headers: dict[str, str]) -> int:
    """Every operation of `schema`, each with BOUNDED generated requests. Returns how many operations."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
    return len(operations)


def test_the_api_never_fails_and_answers_as_documented(api_schema, token):
    # referrals: create, read a status; employers (issue 14): employers, one, vacancies, one, add a vacancy
    assert _exercise(api_schema, {"Authorization": f"Bearer {token}"}) == 7


def test_the_open_referral_feed_never_fails_and_answers_as_documented(oruk_schema):
    assert _exercise(oruk_schema, {}) >= 9


def test_the_served_open_referral_document_is_mended(client):
    served = client.get("/openreferral/openapi.json")
    text = served.content.decode()
    assert '"type": "time"' not in text and '"type":"time"' not in text
    assert "raw.githubusercontent.com" not in text  # whole: no network needed to read it
    doc = served.json()
    assert doc["components"]["parameters"]["start_time"]["schema"]["format"] == "time"
    assert set(doc["paths"]["/services"]["get"]["responses"]) >= {"200", "400", "404", "503"}


def test_the_api_document_states_rules_and_errors(client):
    doc = client.get("/api/v1/schema/?format=json").json()
    given = doc["components"]["schemas"]["ReferralCreate"]["properties"]["given_name"]
    assert given["maxLength"] == 100 and given["minLength"] == 1
    assert set(doc["paths"]["/api/v1/referrals/"]["post"]["responses"]) >= {"201", "400", "401", "403", "413", "503"}
    assert "Retry-After" in doc["paths"]["/api/v1/referrals/"]["post"]["responses"]["503"]["headers"]
