"""The referrals API: bearer tokens, idempotent creation, plain-English JSON errors, the schema."""

from __future__ import annotations

import json
import uuid
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from joinedup.api.models import ApiToken
from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.people.models import Consent, Person
from joinedup.referrals.models import Referral

URL = "/api/v1/referrals/"

BODY = {
    "given_name": "Zoë",
    "family_name": "Łukasz",
    "date_of_birth": "1984-06-30",
    "postcode": "ng18 1ab",
    "email": "zoe@example.com",
    "phone": "07700 900982",
    "nhs_number": "943 476 5919",
    "employment_status": "unemployed",
    "benefits": ["uc_lcw"],
    "health_condition": "musculoskeletal",
    "help_wanted": "Getting back to work after a back injury",
    "consent_referral": True,
    "consent_share_progress": True,
}


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, body, *, key: str | None = None, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    extra = bearer(key) if key else {}
    extra.update(headers)
    return client.post(URL, data=data, content_type="application/json", **extra)


def stored() -> tuple[int, int, int, int]:
    return Person.objects.count(), Referral.objects.count(), Consent.objects.count(), AuditEvent.objects.count()


def messages(response) -> list[str]:
    return [e["message"] for e in response.json()["errors"]]


@pytest.fixture
def key(partnership) -> str:
    _token, plain = api_token_issue(membership=partnership.referrer)
    return plain


# Creating a referral ---------------------------------------------------------------------------


def test_create_referral_returns_201_and_the_reference(client, partnership, key):
    response = post(client, BODY, key=key)
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    referral = Referral.objects.get()
    assert data["reference"] == referral.reference
    assert data["reference"].startswith("JU-")
    assert data["status"] == "received"
    assert data["progress_shared"] is True
    assert referral.referring_organisation == partnership.gp
    assert referral.person.given_name == "Zoë"
    assert referral.person.postcode == "NG18 1AB"
    assert referral.person.nhs_number == "9434765919"
    created = AuditEvent.objects.get(verb=AuditVerb.CREATED)
    assert created.channel == "api"
    assert created.actor == partnership.referrer.user


def test_token_records_when_it_was_last_used(client, partnership):
    token, plain = api_token_issue(membership=partnership.referrer)
    assert token.last_used_at is None
    post(client, BODY, key=plain)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_retry_with_the_same_idempotency_key_returns_the_first_referral(client, key):
    idem = str(uuid.uuid4())
    first = post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY=idem)
    again = post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY=idem)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert Referral.objects.count() == 1
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.CREATED).count() == 1


def test_different_idempotency_keys_make_different_referrals(client, key):
    first = post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    second = post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert first.status_code == second.status_code == 201
    assert first.json()["reference"] != second.json()["reference"]
    assert Referral.objects.count() == 2


def test_idempotency_key_used_by_another_organisation_is_refused(client, partnership, key):
    idem = str(uuid.uuid4())
    assert post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY=idem).status_code == 201
    _t, other = api_token_issue(membership=partnership.other_referrer)
    response = post(client, BODY, key=other, HTTP_IDEMPOTENCY_KEY=idem)
    assert response.status_code == 400
    assert Referral.objects.count() == 1
    # The other organisation learns nothing about the first referral.
    assert "reference" not in response.json()


def test_idempotency_key_that_is_not_a_uuid_is_refused(client, key):
    before = stored()
    response = post(client, BODY, key=key, HTTP_IDEMPOTENCY_KEY="not-a-uuid")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "Idempotency-Key", "message": "Idempotency-Key must be a UUID."}]
    assert stored() == before


# Authentication ---------------------------------------------------------------------------------


def test_bad_token_is_401_with_a_plain_message(client, key):
    before = stored()
    response = post(client, BODY, key="ju_not-a-real-token")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Bearer"
    assert messages(response) == ["That token is not valid. Ask an administrator for a new one."]
    assert stored() == before


def test_missing_token_is_401(client, key):
    before = stored()
    response = post(client, BODY)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["message"]
    assert stored() == before


@pytest.mark.parametrize(
    "header",
    ["Token {key}", "Bearer", "Bearer {key} extra", "Basic dXNlcjpwYXNz", "{key}", "Bearer: {key}"],
)
def test_malformed_authorization_header_is_401(client, key, header):
    before = stored()
    response = post(client, BODY, HTTP_AUTHORIZATION=header.format(key=key))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert messages(response) == ["Send your token as 'Authorization: Bearer <token>'."]
    assert stored() == before


def test_revoked_token_is_401(client, partnership):
    token, plain = api_token_issue(membership=partnership.referrer)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert post(client, BODY, key=plain).status_code == 401
    assert Referral.objects.count() == 0


def test_token_of_an_archived_membership_or_inactive_user_is_401(client, partnership):
    _t, plain = api_token_issue(membership=partnership.referrer)
    _t, other = api_token_issue(membership=partnership.other_referrer)
    partnership.referrer.archived_at = timezone.now()
    partnership.referrer.save()
    partnership.other_referrer.user.is_active = False
    partnership.other_referrer.user.save()
    assert post(client, BODY, key=plain).status_code == 401
    assert post(client, BODY, key=other).status_code == 401
    assert Referral.objects.count() == 0


def test_a_signed_in_browser_session_is_not_an_api_credential(client, partnership):
    client.force_login(partnership.referrer.user)
    assert post(client, BODY).status_code == 401
    assert Referral.objects.count() == 0


# Bad bodies -------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ['{"given_name": "Zoë",', "not json at all", "{'single': 'quotes'}", "[1, 2"])
def test_broken_json_is_400_with_a_message(client, key, body):
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code == 400
    assert messages(response) == ["The request body is not valid JSON."]
    assert stored() == before


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"date_of_birth": None}, {"date_of_birth"}),
        ({"date_of_birth": "31/02/1990"}, {"date_of_birth"}),
        ({"date_of_birth": "1990-02-31"}, {"date_of_birth"}),
        ({"employment_status": "astronaut", "health_condition": ""}, {"employment_status", "health_condition"}),
        ({"benefits": ["made_up"]}, {"benefits"}),
        ({"consent_referral": "maybe"}, {"consent_referral"}),
        # Rules that live in the service come back with field names too.
        ({"nhs_number": "1234567890"}, {"nhs_number"}),
        ({"nhs_number": "12345"}, {"nhs_number"}),
        ({"postcode": "not a postcode"}, {"postcode"}),
        ({"given_name": "", "family_name": "x" * 101}, {"given_name", "family_name"}),
        ({"consent_referral": False}, {"consent_referral"}),
        ({"date_of_birth": "2999-01-01"}, {"date_of_birth"}),
        ({"benefits": []}, {"benefits"}),
        ({"help_wanted": "x" * 2001}, {"help_wanted"}),
    ],
)
def test_invalid_fields_are_400_naming_the_fields(client, key, changes, fields):
    body = dict(BODY)
    for name, value in changes.items():
        if value is None:
            body.pop(name)
        else:
            body[name] = value
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {e.get("field") for e in errors} == fields
    assert all(e["message"] and "{" not in e["message"] for e in errors)
    assert stored() == before


def test_missing_fields_are_all_named(client, key):
    response = post(client, {}, key=key)
    assert response.status_code == 400
    named = {e["field"] for e in response.json()["errors"]}
    assert {"given_name", "date_of_birth", "postcode", "employment_status", "consent_referral"} <= named


def test_oversized_body_is_refused_and_nothing_is_stored(client, key):
    body = dict(BODY, padding="x" * 1_000_001)
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in messages(response)[0]
    assert stored() == before


# Reading a referral's status --------------------------------------------------------------------


def test_status_read_is_returned_and_audited_on_the_api_channel(client, partnership, key):
    referral = partnership.refer()
    partnership.assign(referral)
    response = client.get(f"{URL}{referral.reference}/", **bearer(key))
    assert response.status_code == 200
    data = response.json()
    assert data["reference"] == referral.reference
    assert data["status"] == "accepted"
    assert [s["code"] for s in data["steps"]] == ["received", "accepted", "enrolled", "started_work"]
    event = AuditEvent.objects.get(verb=AuditVerb.VIEWED)
    assert event.channel == "api"
    assert event.actor == partnership.referrer.user
    assert event.person_id == referral.person_id
    assert event.target_id == str(referral.pk)


def test_status_of_an_unknown_reference_is_404_json(client, key):
    response = client.get(f"{URL}JU-NOTREAL/", **bearer(key))
    assert response.status_code == 404
    assert messages(response) == ["Not found."]
    assert not AuditEvent.objects.filter(verb=AuditVerb.VIEWED).exists()


def test_status_read_needs_a_token(client, partnership):
    referral = partnership.refer()
    assert client.get(f"{URL}{referral.reference}/").status_code == 401
    assert client.get(f"{URL}{referral.reference}/", **bearer("ju_wrong")).status_code == 401
    assert not AuditEvent.objects.filter(verb=AuditVerb.VIEWED).exists()


# The schema -------------------------------------------------------------------------------------


def test_schema_is_served_without_a_token_as_openapi_3_yaml(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Joined Up API"
    assert "/api/v1/referrals/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/referrals/"]
    assert "/api/v1/referrals/{reference}/" in schema["paths"]


def test_schema_as_json_declares_the_bearer_scheme(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    scheme = schema["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/referrals/"]["post"]
    assert {"bearerAuth": []} in create["security"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    required = set(schema["components"]["schemas"]["ReferralCreate"]["required"])
    assert {"given_name", "date_of_birth", "consent_referral"} <= required


# The api_token command --------------------------------------------------------------------------


def test_api_token_command_prints_a_token_that_works(client, partnership):
    out = StringIO()
    call_command("api_token", "referrer", stdout=out)
    plain = out.getvalue().strip()
    assert plain.startswith("ju_")
    assert ApiToken.objects.get().membership == partnership.referrer
    assert AuditEvent.objects.filter(verb=AuditVerb.TOKEN_ISSUED).count() == 1
    assert post(client, BODY, key=plain).status_code == 201


def test_api_token_command_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "nobody-here", stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_api_token_command_for_a_user_without_a_membership_fails(db):
    from joinedup.testkit import UserFactory

    UserFactory(username="loner")
    with pytest.raises(CommandError, match="no membership"):
        call_command("api_token", "loner", stdout=StringIO())
    assert ApiToken.objects.count() == 0


# Routes through the API ------------------------------------------------------------------------


def test_a_route_and_its_answers_through_the_api(client, partnership):
    key = api_token_issue(membership=partnership.other_referrer)[1]  # a Jobcentre
    body = {
        **BODY,
        "route": "work_coach",
        "national_insurance_number": "AB 12 34 56 C",
        "details": {"months_on_benefits": 14, "months_out_of_work": 20},
    }
    response = post(client, body, key=key)
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert referral.route == "work_coach" and referral.details == {"months_on_benefits": 14, "months_out_of_work": 20}
    assert referral.person.national_insurance_number == "AB123456C"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"route": "work_coach", "details": {"months_on_benefits": 14}}, "national_insurance_number"),
        ({"route": "work_coach", "national_insurance_number": "AB123456C", "details": {"shoe_size": 9}}, "shoe_size"),
        (
            {"route": "work_coach", "national_insurance_number": "AB123456C", "details": {"months_out_of_work": -1}},
            "months_out_of_work",
        ),
        ({"route": "self"}, "route"),
    ],
)
def test_route_problems_through_the_api(client, partnership, changes, field):
    key = api_token_issue(membership=partnership.other_referrer)[1]
    before = stored()
    response = post(client, {**BODY, **changes}, key=key)
    assert response.status_code == 400, response.content
    assert field in {e.get("field") for e in response.json()["errors"]}
    assert stored() == before


def test_the_api_records_that_the_person_wants_email_updates(client, partnership, key):
    response = post(client, {**BODY, "notify_person": True}, key=key)
    assert response.status_code == 201, response.content
    assert Consent.objects.get(purpose="notify_person").given


def test_email_updates_without_an_email_address_are_refused_and_nothing_is_stored(client, partnership, key):
    before = stored()
    response = post(client, {**BODY, "notify_person": True, "email": ""}, key=key)
    assert response.status_code == 400
    assert any("Enter an email address" in m for m in messages(response))
    assert stored() == before
