"""Hostile input never reaches a 500 (issue 17, decision 018).

One parametrised test over every URL pattern: each route, given a NUL byte in its path and query,
control characters in a form body and a 10,000-deep JSON body, answers 4xx, whether the caller is
signed in or not, with a bearer token or not. Then the rules behind it, one at a time, on the
routes that take a person's details.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.api.services import api_token_issue
from joinedup.core.hostile import json_depth
from joinedup.fhir.tests.bundles import bundle
from joinedup.people.models import Person
from joinedup.referrals.models import Referral

pytestmark = pytest.mark.django_db

_SAMPLE = {"uuid": str(uuid.UUID(int=1)), "int": "1", "slug": "x", "str": "x", "path": "x"}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL pattern, as a path with sample values for its parameters."""
    found: list[str] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            found.extend(_routes(pattern, text))
        elif isinstance(pattern, URLPattern) and "(?P" not in text and "\\" not in text:
            found.append("/" + _CONVERTER.sub(lambda m: _SAMPLE.get(m.group(1) or "str", "x"), text))
    return sorted(set(found))


ROUTES = [r for r in _routes() if not r.startswith("/django-admin/")] + ["/django-admin/", "/django-admin/login/"]
DEEP = ("[" * 10_000 + "]" * 10_000).encode()


def _clients(partnership) -> dict[str, Client]:
    anonymous = Client(raise_request_exception=False)
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(partnership.programme.user)
    _, key = api_token_issue(membership=partnership.referrer)
    token = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    return {"anonymous": anonymous, "signed in": signed_in, "bearer token": token}


def test_the_route_list_covers_the_site():
    assert len(ROUTES) > 50
    for expected in ("/api/v1/referrals/", "/fhir/Bundle", "/openreferral/services", "/refer-yourself/", "/"):
        assert expected in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_refuses_hostile_input_with_a_4xx(route, partnership):
    for who, client in _clients(partnership).items():
        answers = {
            "NUL in query": client.get(route, {"q": "a\x00b", "search": "\x00"}),
            "control in query": client.get(route + "?x=%1b%5b31m%07"),
            "NUL in path": client.get(route.rstrip("/") + "%00/"),
            "NUL in form": client.post(route, {"given_name": "A\x00", "q": "\x1b"}),
            "deep JSON": client.post(route, DEEP, content_type="application/json"),
            "deep FHIR JSON": client.post(route, DEEP, content_type="application/fhir+json"),
            "NUL in JSON": client.post(route, json.dumps({"given_name": "\u0000"}), content_type="application/json"),
        }
        for what, response in answers.items():
            assert 400 <= response.status_code < 500, f"{who}, {what}: {route} answered {response.status_code}"


def test_a_refusal_speaks_the_callers_language(client):
    page = client.get("/directory/?q=%00")
    assert page.status_code == 400 and b"control character" in page.content
    api = client.get("/api/v1/referrals/%00/")
    assert api.status_code == 400 and "control character" in api.json()["errors"][0]["message"]
    fhir = client.post("/fhir/Bundle", DEEP, content_type="application/fhir+json")
    assert fhir.status_code == 400 and fhir.json()["resourceType"] == "OperationOutcome"
    feed = client.get("/openreferral/services?search=%00")
    assert feed.status_code == 400 and "error" in feed.json()


def test_json_depth_is_read_without_parsing_and_ignores_brackets_in_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth(DEEP) == 10_000
    assert json_depth(b'"\\"[["') == 0


def test_a_large_json_body_is_413(client, settings):
    settings.JSON_MAX_BYTES = 1000
    response = client.post("/api/v1/referrals/", json.dumps({"x": "a" * 2000}), content_type="application/json")
    assert response.status_code == 413


def test_new_lines_and_tabs_are_allowed_in_body_text(partnership):
    client = Client()
    _, key = api_token_issue(membership=partnership.referrer)
    body = _api_body(help_wanted="Part-time work\nnear home\tplease")
    response = client.post(
        "/api/v1/referrals/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 201, response.content


def _api_body(**changes):
    body = {
        "given_name": "Zoë",
        "family_name": "Łukasz",
        "date_of_birth": "1984-06-30",
        "postcode": "ng18 1ab",
        "employment_status": "unemployed",
        "benefits": ["uc_lcw"],
        "health_condition": "musculoskeletal",
        "help_wanted": "Getting back to work",
        "consent_referral": True,
        "consent_share_progress": True,
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_name": "Ann\u202eeL"}, "given_name"),  # right-to-left override
        ({"family_name": "Lee\u2066x"}, "family_name"),  # isolate
        ({"given_name": "Ann\u200b"}, "given_name"),  # zero-width space
        ({"email": "not-an-email"}, "email"),
        ({"details": {f"k{i}": i for i in range(5_000)}}, "details"),  # answers without a route
        ({"route": "work_coach", "details": {"made_up": 1}}, "made_up"),  # not one of the route's questions
    ],
)
def test_the_api_refuses_bad_names_emails_and_details(partnership, changes, field):
    client = Client()
    _, key = api_token_issue(membership=partnership.other_referrer)
    response = client.post(
        "/api/v1/referrals/",
        json.dumps(_api_body(**changes)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400, response.content
    assert field in {e.get("field") for e in response.json()["errors"]}
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("patient", "expression"),
    [
        ({"name": [{"family": "Lee\u202e", "given": ["Ann"]}]}, "name"),
        ({"telecom": [{"system": "email", "value": "not-an-email"}]}, "telecom"),
    ],
)
def test_fhir_refuses_bad_names_and_emails(partnership, patient, expression):
    client = Client()
    _, key = api_token_issue(membership=partnership.referrer)
    response = client.post(
        "/fhir/Bundle",
        json.dumps(bundle(patient=patient)),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 422, response.content
    issues = response.json()["issue"]
    assert any(expression in "".join(i.get("expression", [])) for i in issues), issues
    assert not Person.objects.exists()


def test_a_fhir_note_with_a_nul_is_refused(partnership):
    client = Client()
    _, key = api_token_issue(membership=partnership.referrer)
    body = json.dumps(bundle(request={"note": [{"text": "hello\u0000"}]}))
    response = client.post(
        "/fhir/Bundle", body, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 400 and response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("route", "body", "charset"),
    [
        # Brackets the API's parser would decode from UTF-7, with no bracket byte to count.
        ("/api/v1/referrals/", ("+AFs-" * 10_000 + "+AF0-" * 10_000).encode(), "utf-7"),
        # A quote only UTF-7 sees (+ACI-) hiding 10,000 brackets that FHIR, reading UTF-8, would follow.
        ("/fhir/Bundle", b'["+ACI-", ' + DEEP + b', "x"]', "utf-7"),
        ("/api/v1/referrals/", ('["\u2200", ' + "[" * 10_000 + "]" * 10_001).encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_json_in_another_charset_is_refused_before_any_parser_reads_it(partnership, route, body, charset):
    _, key = api_token_issue(membership=partnership.referrer)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    for content_type in ("application/json", "application/fhir+json"):
        response = client.post(route, body, content_type=f"{content_type}; charset={charset}")
        assert response.status_code == 400, response.content[:300]
        assert b"UTF-8" in response.content


def test_utf8_json_may_say_so(partnership):
    _, key = api_token_issue(membership=partnership.referrer)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = json.dumps(_api_body())
    response = client.post("/api/v1/referrals/", body, content_type="application/json; charset=UTF-8")
    assert response.status_code == 201, response.content
