"""The FHIR R4 intake: valid UK-shaped bundles, malformed ones, idempotency, reads, permissions."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.fhir import codes
from joinedup.organisations.models import Role
from joinedup.people.models import Consent, Person
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange
from joinedup.referrals.selectors import closed_loop_status
from joinedup.referrals.services import referral_decline, referral_route
from joinedup.testkit import MembershipFactory

from .bundles import PATIENT_URL, bundle

URL = "/fhir/Bundle"


def stored() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
        ReferralStatusChange.objects.count(),
        AuditEvent.objects.exclude(verb=AuditVerb.TOKEN_ISSUED).count(),
    )


def post(client, body, *, key: str | None, content_type: str = "application/fhir+json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, data=data, content_type=content_type, **extra)


def get(client, path: str, key: str | None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(path, **extra)


def outcome(response) -> list[dict]:
    data = response.json()
    assert data["resourceType"] == "OperationOutcome", data
    assert response["Content-Type"].startswith("application/fhir+json")
    return data["issue"]


@pytest.fixture
def key(partnership) -> str:
    return api_token_issue(membership=partnership.referrer)[1]


# A valid bundle ---------------------------------------------------------------------------------


def test_a_valid_bundle_makes_one_referral_through_the_referral_service(client, partnership, key):
    response = post(client, bundle(), key=key)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    assert data["resourceType"] == "Bundle" and data["type"] == "transaction-response"
    assert [e["response"]["status"] for e in data["entry"]] == ["201 Created", "201 Created"]
    referral = Referral.objects.get()
    assert data["entry"][1]["response"]["location"] == f"ServiceRequest/{referral.pk}"
    assert response["Content-Location"] == f"Task/{referral.pk}"
    person = referral.person
    assert (person.given_name, person.family_name, person.postcode) == ("Siobhán", "Ó Briain", "NG18 1AB")
    assert person.nhs_number == "9434765919" and person.email == "siobhan@example.com"
    assert referral.health_condition == "mental_health"  # from SNOMED 35489007 Depressive disorder
    assert referral.employment_status == "unemployed" and referral.benefits == ["uc_lcw"]
    assert referral.route == "clinical_system"
    assert referral.referring_organisation == partnership.gp
    assert referral.status == statuses.RECEIVED
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED)
    assert event.channel == "fhir" and event.person_id == person.pk
    sr = data["entry"][1]["resource"]
    assert sr["resourceType"] == "ServiceRequest" and sr["status"] == "active"
    assert {"system": "https://riverside-gp.example/referrals", "value": "RMP-0001"} in sr["identifier"]
    assert {"system": codes.REFERENCE, "value": referral.reference} in sr["identifier"]


def test_a_resubmission_with_the_same_identifier_returns_the_first_referral(client, partnership, key):
    first = post(client, bundle(), key=key)
    before = stored()
    again = bundle()
    again["identifier"]["value"] = "B-0002"  # a new Bundle carrying the same ServiceRequest
    second = post(client, again, key=key)
    assert second.status_code == 200
    assert [e["response"]["status"] for e in second.json()["entry"]] == ["200 OK", "200 OK"]
    assert second.json()["entry"][1]["response"]["location"] == first.json()["entry"][1]["response"]["location"]
    # Nothing is stored twice; sending the first referral's ServiceRequest back is a read of the
    # person's record, so that read (and only that) is audited.
    people, referrals, consents, changes, events = stored()
    assert (people, referrals, consents, changes) == before[:4]
    assert events == before[4] + 1
    assert AuditEvent.objects.latest("id").verb == AuditVerb.VIEWED


def test_bundle_identifier_is_the_key_when_the_service_request_has_none(client, partnership, key):
    body = bundle(request={"identifier": None})
    assert post(client, body, key=key).status_code == 200
    before = stored()
    assert post(client, body, key=key).json()["entry"][1]["response"]["status"] == "200 OK"
    assert stored()[:4] == before[:4]  # nothing stored twice
    assert stored()[4] == before[4] + 1  # the read of the first referral sent back is audited
    assert Referral.objects.get().details["sender_identifier"] == "https://riverside-gp.example/bundles|B-0001"


def test_the_same_identifier_from_another_organisation_is_another_referral(client, partnership, key):
    other = MembershipFactory(organisation=partnership.jobcentre, role=Role.REFERRER)
    other_key = api_token_issue(membership=MembershipFactory(organisation=_gp2(), role=Role.REFERRER))[1]
    del other
    assert post(client, bundle(), key=key).status_code == 200
    assert post(client, bundle(), key=other_key).status_code == 200
    assert Referral.objects.count() == 2


def _gp2():
    from joinedup.organisations.models import OrganisationKind
    from joinedup.testkit import OrganisationFactory

    return OrganisationFactory(name="Other GP surgery", kind=OrganisationKind.GP_PRACTICE)


@pytest.mark.parametrize(
    ("postcode", "stored_as"),
    [("ng181ab", "NG18 1AB"), ("S80 2AB", "S80 2AB"), ("EC1A 1BB", "EC1A 1BB"), ("W1A 0AX", "W1A 0AX")],
)
def test_uk_postcodes_are_normalised(client, partnership, key, postcode, stored_as):
    body = bundle(patient={"address": [{"use": "home", "postalCode": postcode}]})
    assert post(client, body, key=key).status_code == 200
    assert Referral.objects.get().person.postcode == stored_as


def test_our_own_codes_and_consent_not_to_share_progress(client, partnership, key):
    body = bundle(
        request={
            "reasonCode": [{"coding": [{"system": codes.CS_HEALTH_CONDITION, "code": "musculoskeletal"}]}],
            "extension": [
                {"url": codes.EXT_EMPLOYMENT_STATUS, "valueCode": "employed_off_sick"},
                {"url": codes.EXT_BENEFIT, "valueCoding": {"system": codes.CS_BENEFIT, "code": "none"}},
                {"url": codes.EXT_SHARE_PROGRESS, "valueBoolean": False},
            ],
        }
    )
    assert post(client, body, key=key).status_code == 200
    referral = Referral.objects.get()
    assert (referral.health_condition, referral.employment_status) == ("musculoskeletal", "employed_off_sick")
    assert not Consent.objects.get(purpose="share_progress").given


# Malformed bundles: the right OperationOutcome, nothing stored ----------------------------------


def _wrong_type() -> dict:
    body = bundle()
    body["entry"][0]["resource"]["resourceType"] = "MedicationRequest"
    return body


def _not_fhir_type() -> dict:
    body = bundle()
    body["entry"][1]["resource"]["resourceType"] = "Referral"
    return body


def _no_service_request() -> dict:
    body = bundle()
    body["entry"] = body["entry"][:1]
    return body


def _subject_elsewhere() -> dict:
    return bundle(request={"subject": {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}})


MALFORMED = {
    "patient instead of bundle": (bundle()["entry"][0]["resource"], 400, "invalid", "resourceType"),
    "batch not transaction": ({**bundle(), "type": "batch"}, 400, "invalid", "Bundle.type"),
    "wrong resource type": (_wrong_type(), 400, "not-supported", "Bundle.entry[0].resource.resourceType"),
    "unknown resource type": (_not_fhir_type(), 400, "not-supported", "Bundle.entry[1].resource.resourceType"),
    "missing subject": (bundle(request={"subject": None}), 400, "required", "Bundle.entry[1].resource.subject"),
    "subject not the patient": (_subject_elsewhere(), 400, "invalid", "Bundle.entry[1].resource.subject.reference"),
    "no service request": (_no_service_request(), 400, "required", "Bundle.entry"),
    "invalid nhs number": (
        bundle(patient={"identifier": [{"system": codes.NHS_NUMBER, "value": "9434765918"}]}),
        422,
        "value",
        "Bundle.entry[0].resource.identifier[0].value",
    ),
    "nhs number too short": (
        bundle(patient={"identifier": [{"system": codes.NHS_NUMBER, "value": "94347"}]}),
        422,
        "value",
        "Bundle.entry[0].resource.identifier[0].value",
    ),
    "no nhs number": (bundle(patient={"identifier": None}), 422, "required", "Bundle.entry[0].resource.identifier"),
    "impossible birth date": (
        bundle(patient={"birthDate": "1985-02-30"}),
        400,
        "structure",
        "Bundle.entry[0].resource.birthDate",
    ),
    "under 16": (bundle(patient={"birthDate": "2020-01-01"}), 422, "value", "Bundle.entry[0].resource.birthDate"),
    "not a uk postcode": (
        bundle(patient={"address": [{"use": "home", "postalCode": "90210"}]}),
        422,
        "value",
        "Bundle.entry[0].resource.address[0].postalCode",
    ),
    "no employment status": (
        bundle(request={"extension": [{"url": codes.EXT_BENEFIT, "valueCode": "uc"}]}),
        422,
        "required",
        "Bundle.entry[1].resource.supportingInfo",
    ),
    "unknown benefit code": (
        bundle(
            request={
                "extension": [
                    {"url": codes.EXT_EMPLOYMENT_STATUS, "valueCode": "unemployed"},
                    {"url": codes.EXT_BENEFIT, "valueCode": "lottery"},
                ]
            }
        ),
        422,
        "value",
        "Bundle.entry[1].resource.extension[1]",
    ),
    "no identifier": (
        {k: v for k, v in bundle(request={"identifier": None}).items() if k != "identifier"},
        422,
        "required",
        "Bundle.entry[1].resource.identifier",
    ),
    "status not active": (bundle(request={"status": "draft"}), 422, "value", "Bundle.entry[1].resource.status"),
    "hostile markup in the name": (
        bundle(patient={"name": [{"family": "<script>alert(1)</script>" * 10, "given": ["Robert'); DROP TABLE"]}]}),
        422,
        "value",
        "Bundle.entry[0].resource.name[0].family",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_bundles_return_an_operation_outcome_and_store_nothing(client, partnership, key, case):
    body, status, code, expression = MALFORMED[case]
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code == status, response.content
    issues = outcome(response)
    assert any(i["code"] == code and expression in i.get("expression", []) for i in issues), issues
    assert all(i["diagnostics"] for i in issues)
    assert stored() == before


def test_broken_json(client, partnership, key):
    before = stored()
    response = post(client, '{"resourceType": "Bundle", "type": "transaction",', key=key)
    assert response.status_code == 400
    assert "not valid JSON" in outcome(response)[0]["diagnostics"]
    assert stored() == before


def test_not_utf8(client, partnership, key):
    response = post(client, b'{"resourceType": "\xff"}', key=key)
    assert response.status_code == 400
    assert outcome(response)[0]["code"] == "structure"


@override_settings(FHIR_MAX_BODY_BYTES=5_000)
def test_an_oversized_body_is_refused_before_it_is_read(client, partnership, key):
    body = bundle(request={"note": [{"text": "x" * 6_000}]})
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code == 413
    assert outcome(response)[0]["code"] == "too-long"
    assert stored() == before


def test_an_oversized_body_over_django_limit_is_413(client, partnership, key, settings):
    settings.FHIR_MAX_BODY_BYTES = 10_000_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    response = post(client, bundle(request={"note": [{"text": "y" * 3_000}]}), key=key)
    assert response.status_code == 413


def test_wrong_content_type_is_415(client, partnership, key):
    response = post(client, json.dumps(bundle()), key=key, content_type="text/plain")
    assert response.status_code == 415
    assert Referral.objects.count() == 0


def test_several_problems_are_reported_together(client, partnership, key):
    body = bundle(
        patient={
            "identifier": [{"system": codes.NHS_NUMBER, "value": "9434765918"}],
            "address": [{"postalCode": "nowhere"}],
        }
    )
    body["entry"][1]["resource"]["note"] = []
    response = post(client, body, key=key)
    assert response.status_code == 422
    expressions = {e for i in outcome(response) for e in i.get("expression", [])}
    assert "Bundle.entry[0].resource.identifier[0].value" in expressions


# Reads: the ServiceRequest and the Task mirroring the closed loop --------------------------------


def _made(client, key) -> Referral:
    assert post(client, bundle(), key=key).status_code == 200
    return Referral.objects.get()


def test_read_the_service_request(client, partnership, key):
    referral = _made(client, key)
    response = get(client, f"/fhir/ServiceRequest/{referral.pk}", key)
    assert response.status_code == 200
    data = response.json()
    assert data["resourceType"] == "ServiceRequest" and data["id"] == str(referral.pk)
    assert data["subject"]["identifier"] == {"system": codes.NHS_NUMBER, "value": "9434765919"}
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, channel="fhir").count() == 1


def _task(client, referral, key) -> dict:
    response = get(client, f"/fhir/Task/{referral.pk}", key)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["resourceType"] == "Task" and data["focus"]["reference"] == f"ServiceRequest/{referral.pk}"
    return data


def test_task_follows_the_referral_from_requested_to_in_progress(client, partnership, key):
    referral = _made(client, key)
    assert _task(client, referral, key)["status"] == "requested"
    referral_route(referral=referral, actor=partnership.programme, delivery_partner=partnership.partner_a)
    task = _task(client, referral, key)
    assert task["status"] == "requested" and task["businessStatus"]["text"] == "Sent to a delivery partner"
    referral_decline(referral=referral, actor=partnership.manager_a, reason_code="no_capacity")
    task = _task(client, referral, key)
    assert task["status"] == "requested"
    assert "being sent to another service" in task["businessStatus"]["text"]
    partnership.assign(referral)
    task = _task(client, referral, key)
    assert task["status"] == "accepted" and task["owner"]["display"] == "Partner A"
    partnership.enrol(Referral.objects.get(pk=referral.pk))
    assert _task(client, referral, key)["status"] == "in-progress"


def test_task_does_not_show_progress_without_consent(client, partnership, key):
    body = bundle(request={"extension": bundle()["entry"][1]["resource"]["extension"][:2]})
    referral = _made_with(client, key, body)
    partnership.assign(referral)
    partnership.enrol(Referral.objects.get(pk=referral.pk))
    assert _task(client, referral, key)["status"] == "accepted"


def _made_with(client, key, body) -> Referral:
    assert post(client, body, key=key).status_code == 200
    return Referral.objects.get()


def test_a_declined_referral_is_a_rejected_task_with_the_reason(client, partnership, key):
    referral = _made(client, key)
    referral_decline(referral=referral, actor=partnership.programme, reason_code="outside_area")
    task = _task(client, referral, key)
    assert task["status"] == "rejected"
    assert task["statusReason"]["coding"][0] == {
        "system": codes.CS_DECLINE_REASON,
        "code": "outside_area",
        "display": "Lives outside the area the service covers",
    }
    assert get(client, f"/fhir/ServiceRequest/{referral.pk}", key).json()["status"] == "revoked"


# Permissions ------------------------------------------------------------------------------------


def test_metadata_needs_no_token(client, db):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    data = response.json()
    assert data["resourceType"] == "CapabilityStatement" and data["fhirVersion"] == "4.0.1"
    readable = {r["type"] for r in data["rest"][0]["resource"] if r.get("interaction")}
    assert readable == {"ServiceRequest", "Task"}


def test_no_token_is_401(client, partnership):
    before = stored()
    response = post(client, bundle(), key=None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert outcome(response)[0]["code"] == "login"
    assert stored() == before
    assert get(client, "/fhir/Task/00000000-0000-0000-0000-000000000000", None).status_code == 401


def test_a_revoked_or_made_up_token_is_401(client, partnership):
    from django.utils import timezone

    from joinedup.api.models import ApiToken

    assert post(client, bundle(), key="ju_not-a-real-token").status_code == 401
    token, key = api_token_issue(membership=partnership.referrer)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = post(client, bundle(), key=key)
    assert response.status_code == 401 and outcome(response)[0]["code"] == "login"
    assert (
        client.post(URL, "{}", content_type="application/fhir+json", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    )
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["personal_adviser", "partner_manager", "programme_manager", "analyst", "administrator"]
)
def test_roles_that_do_not_refer_are_403(client, partnership, role):
    membership = partnership.by_role()[role]
    key = api_token_issue(membership=membership)[1]
    before = stored()
    response = post(client, bundle(), key=key)
    assert response.status_code == 403
    assert outcome(response)[0]["code"] == "forbidden"
    assert stored() == before


def test_another_organisations_service_request_and_task_are_404(client, partnership, key):
    referral = _made(client, key)
    other_key = api_token_issue(membership=partnership.other_referrer)[1]
    for path in (f"/fhir/ServiceRequest/{referral.pk}", f"/fhir/Task/{referral.pk}", "/fhir/Task/not-a-uuid"):
        response = get(client, path, other_key)
        assert response.status_code == 404
        assert outcome(response)[0]["code"] == "not-found"


def test_get_on_bundle_is_405(client, partnership, key):
    assert get(client, URL, key).status_code == 405


def test_the_patient_reference_may_be_by_id(client, partnership, key):
    body = bundle(patient={"id": "p1"}, request={"subject": {"reference": "Patient/p1"}})
    body["entry"][0]["fullUrl"] = "urn:uuid:3f1c0b7e-8a4d-4f6b-9e2a-1c5d7b9e0f11"
    assert post(client, body, key=key).status_code == 200
    assert PATIENT_URL not in body["entry"][0]["fullUrl"]


def test_the_documented_example_is_the_tested_bundle():
    from config.env import BASE_DIR

    documented = json.loads((BASE_DIR / "docs" / "fhir" / "example-bundle.json").read_text(encoding="utf-8"))
    assert documented == bundle()


def test_task_is_completed_when_support_ends(client, partnership, key):
    from django.utils import timezone

    from joinedup.cases.services import case_exit

    referral = _made(client, key)
    partnership.assign(referral)
    case = partnership.enrol(Referral.objects.get(pk=referral.pk))
    case_exit(
        case=case, actor=partnership.adviser_a, closed_on=timezone.localdate(), destination="paid_work", reason="Job"
    )
    task = _task(client, referral, key)
    assert task["status"] == "completed"
    said = closed_loop_status(referral=Referral.objects.get(pk=referral.pk))  # the one source (LOOP_LABELS)
    assert said.code in {"enrolled", "started_work"} and task["businessStatus"]["text"] == said.label


def test_an_unexpected_failure_is_still_an_operation_outcome(client, partnership, key, monkeypatch):
    from joinedup.fhir import views

    def broken(referral):
        raise RuntimeError("boom")

    referral = _made(client, key)
    monkeypatch.setattr(views.resources, "task", broken)  # a fault in our own code, not the sender's
    response = get(client, f"/fhir/Task/{referral.pk}", key)
    assert response.status_code == 500
    assert outcome(response)[0]["code"] == "exception"


def test_benefits_may_be_left_out_by_a_clinical_system(client, partnership, key):
    extensions = [e for e in bundle()["entry"][1]["resource"]["extension"] if e["url"] != codes.EXT_BENEFIT]
    assert post(client, bundle(request={"extension": extensions}), key=key).status_code == 200
    assert Referral.objects.get().benefits == []
