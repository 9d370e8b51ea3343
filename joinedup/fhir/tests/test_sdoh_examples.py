"""FHIR as clinical systems send it: Bundles shaped like the HL7 SDOH Clinical Care guide's examples
(a Patient with several names and addresses; a ServiceRequest with reasonReference and
supportingInfo; informational Practitioner, PractitionerRole and Organization entries), each
answered as FHIR R4 and the guide say."""

from __future__ import annotations

import json
from datetime import date

import pytest

from joinedup.api.services import api_token_issue
from joinedup.fhir import codes, current, task_status
from joinedup.fhir.intake import FhirProblem, read_bundle
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_decline, referral_route

from .bundles import (
    ODS,
    SDOH_PATIENT,
    SDOH_ROLE,
    SDOH_SURGERY,
    SDS_ROLE,
    bundle,
    employment_extension,
    sdoh_bundle,
    sdoh_patient,
    sdoh_request,
)
from .test_fhir import get, post

KINDS = ["Patient", "Practitioner", "PractitionerRole", "Organization", "Condition", "Observation", "ServiceRequest"]


@pytest.fixture
def key(partnership) -> str:
    return api_token_issue(membership=partnership.referrer)[1]


def _read(body: dict):
    return read_bundle(json.dumps(body).encode())


def _problems(body: dict) -> tuple[int, list]:
    with pytest.raises(FhirProblem) as raised:
        _read(body)
    return raised.value.status, raised.value.issues


# The guide's shape, end to end ------------------------------------------------------------------


def test_the_guides_shape_makes_one_referral_and_answers_every_entry_in_order(client, partnership, key):
    response = post(client, sdoh_bundle(), key=key)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["type"] == "transaction-response"
    entries = data["entry"]
    assert len(entries) == 7  # one for each entry sent, in the order sent
    assert [e["response"]["status"] for e in entries] == ["201 Created"] + ["200 OK"] * 5 + ["201 Created"]
    referral = Referral.objects.get()
    assert entries[6]["response"]["location"] == f"ServiceRequest/{referral.pk}"
    assert entries[6]["resource"]["resourceType"] == "ServiceRequest"
    notes = [e["response"].get("outcome", {}).get("issue", [{}])[0].get("diagnostics", "") for e in entries[1:6]]
    assert notes[0].startswith("Read for who asked for the referral")  # Practitioner
    assert notes[1].startswith("Read for who asked for the referral")  # PractitionerRole
    assert notes[2].startswith("Read for who asked for the referral")  # Organization
    assert notes[3].startswith("Read for the person's main health condition")
    assert notes[4].startswith("Read for the person's employment status")
    assert all(e["response"]["outcome"]["issue"][0]["severity"] == "information" for e in entries[1:6])
    person = referral.person
    assert (person.given_name, person.family_name, person.postcode) == ("Amira J.", "Rahman", "NG19 7AB")
    assert person.nhs_number == "9434765870"
    assert referral.employment_status == "unemployed"  # LOINC LA17956-6 in the Observation
    assert referral.health_condition == "mental_health"  # SNOMED 35489007 in the Condition
    assert referral.requester == {
        "kind": "PractitionerRole",
        "display": "Dr Jan Waters, General practitioner",
        "identifier": "555987654321",
        "identifier_system": SDS_ROLE,
        "identifier_label": "SDS role profile ID",
        "name": "Dr Jan Waters",
        "role": "General practitioner",
        "organisation": "Meadowside Surgery",
    }


def test_informational_entries_after_the_service_request_are_answered_too(client, partnership, key):
    body = sdoh_bundle()
    body["entry"] = [body["entry"][0], body["entry"][6], *body["entry"][1:6]]  # Patient, ServiceRequest, the rest
    data = post(client, body, key=key).json()
    assert len(data["entry"]) == 7
    assert [e["response"]["status"] for e in data["entry"]] == ["201 Created", "201 Created"] + ["200 OK"] * 5
    assert data["entry"][1]["response"]["location"].startswith("ServiceRequest/")


def test_an_entry_nothing_refers_to_is_answered_as_not_read(client, partnership, key):
    body = sdoh_bundle(request=sdoh_request(supportingInfo=None, extension=employment_extension("unemployed")))
    entries = post(client, body, key=key).json()["entry"]
    assert len(entries) == 7
    assert "so not read" in entries[5]["response"]["outcome"]["issue"][0]["diagnostics"]  # the Observation


def test_a_resubmission_answers_every_entry_again(client, partnership, key):
    assert post(client, sdoh_bundle(), key=key).status_code == 200
    again = post(client, sdoh_bundle(), key=key).json()["entry"]
    assert [e["response"]["status"] for e in again] == ["200 OK"] * 7
    assert Referral.objects.count() == 1


# The Patient's current name and home address ----------------------------------------------------


def _patient(**changes) -> dict:
    return sdoh_bundle(patient={**sdoh_patient(), **changes})


NAMES = {
    "the name whose period covers today, not the one that ended": (None, ("Amira J.", "Rahman")),
    "official over nickname and usual": (
        [
            {"use": "nickname", "given": ["Mira"], "family": "R"},
            {"use": "usual", "given": ["Amy"], "family": "Rahman"},
            {"use": "official", "given": ["Amira"], "family": "Rahman"},
        ],
        ("Amira", "Rahman"),
    ),
    "usual over old": (
        [
            {"use": "old", "given": ["Amira"], "family": "Haddad"},
            {"use": "usual", "given": ["Amira"], "family": "Rahman"},
        ],
        ("Amira", "Rahman"),
    ),
    "a current name over an official one whose period ended": (
        [
            {"use": "official", "given": ["Amira"], "family": "Haddad", "period": {"end": "2020-07-22"}},
            {"given": ["Amira"], "family": "Rahman"},
        ],
        ("Amira", "Rahman"),
    ),
    "not a name that starts in the future": (
        [
            {"use": "official", "given": ["Amira"], "family": "Rahman"},
            {"use": "official", "given": ["Amira"], "family": "Stone", "period": {"start": "2099-01-01"}},
        ],
        ("Amira", "Rahman"),
    ),
    "a partial end date runs to the end of its year": (
        [
            {"use": "official", "given": ["Amira"], "family": "Haddad", "period": {"end": "2020"}},
            {"use": "usual", "given": ["Amira"], "family": "Rahman", "period": {"start": "2020"}},
        ],
        ("Amira", "Rahman"),
    ),
    "only an old name: it is all there is": (
        [{"use": "old", "given": ["Amira"], "family": "Haddad"}],
        ("Amira", "Haddad"),
    ),
}


@pytest.mark.parametrize("case", NAMES, ids=list(NAMES))
def test_the_current_name_is_chosen_by_use_and_period(case):
    names, expected = NAMES[case]
    body = sdoh_bundle() if names is None else _patient(name=names)
    data = _read(body).data
    assert (data.given_name, data.family_name) == expected


ADDRESSES = {
    "the home address whose period covers today, not the old home or work": (None, "NG19 7AB"),
    "home over work": (
        [{"use": "work", "postalCode": "NG18 1NG"}, {"use": "home", "postalCode": "NG19 7AB"}],
        "NG19 7AB",
    ),
    "home over old": (
        [{"use": "old", "postalCode": "NG18 2AB"}, {"use": "home", "postalCode": "NG19 7AB"}],
        "NG19 7AB",
    ),
    "no use over work": ([{"use": "work", "postalCode": "NG18 1NG"}, {"postalCode": "NG19 7AB"}], "NG19 7AB"),
    "an address with no postcode is passed over": (
        [{"use": "home", "line": ["1 High Street"]}, {"use": "temp", "postalCode": "NG19 7AB"}],
        "NG19 7AB",
    ),
    "a home that ended gives way to a current work address": (
        [
            {"use": "home", "postalCode": "NG18 2AB", "period": {"end": "2021-03"}},
            {"use": "work", "postalCode": "NG18 1NG"},
        ],
        "NG18 1NG",
    ),
}


@pytest.mark.parametrize("case", ADDRESSES, ids=list(ADDRESSES))
def test_the_postcode_is_the_current_home_addresss(case):
    addresses, expected = ADDRESSES[case]
    body = sdoh_bundle() if addresses is None else _patient(address=addresses)
    assert _read(body).data.postcode == expected


def test_the_failing_element_is_the_chosen_name_and_address():
    body = _patient(
        name=[
            {"use": "old", "family": "Haddad", "given": ["Amira"]},
            {"use": "official", "family": "x" * 101, "given": ["A"]},
        ],
        address=[{"use": "old", "postalCode": "NG18 2AB"}, {"use": "home", "postalCode": "90210"}],
    )
    status, issues = _problems(body)
    assert status == 422
    where = {e for i in issues for e in [i.expression]}
    assert "Bundle.entry[0].resource.name[1].family" in where
    assert "Bundle.entry[0].resource.address[1].postalCode" in where


def test_period_bounds():
    today = date(2026, 12, 7)

    class P:
        def __init__(self, start=None, end=None):
            self.start, self.end = start, end

    assert current.in_force(None, today)
    assert current.in_force(P(start="2026"), today) and current.in_force(P(end="2026-12"), today)
    assert not current.in_force(P(end="2026-11"), today) and not current.in_force(P(start="2027"), today)
    assert current.in_force(P(start=date(2026, 12, 7), end=date(2026, 12, 7)), today)


# The requester: kept, given back and shown to triage --------------------------------------------


def test_a_practitioner_or_organisation_requester_is_kept():
    practitioner = _read(
        sdoh_bundle(request=sdoh_request(requester={"reference": "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a52"}))
    )
    assert practitioner.data.requester["name"] == "Dr Jan Waters"
    assert practitioner.data.requester["kind"] == "Practitioner"
    surgery = _read(sdoh_bundle(request=sdoh_request(requester={"reference": SDOH_SURGERY})))
    assert surgery.data.requester == {
        "kind": "Organization",
        "identifier": "C84999",
        "identifier_system": ODS,
        "identifier_label": "ODS code",
        "organisation": "Meadowside Surgery",
    }


def test_a_requester_outside_the_bundle_keeps_what_the_reference_says():
    requester = {
        "reference": "https://meadowside-surgery.example/fhir/PractitionerRole/2424",
        "type": "PractitionerRole",
        "identifier": {"system": SDS_ROLE, "value": "555000111222"},
        "display": "Dr Sam Lee, GP",
    }
    kept = _read(sdoh_bundle(role=None, request=sdoh_request(requester=requester))).data.requester
    assert kept == {
        "kind": "PractitionerRole",
        "reference": requester["reference"],
        "display": "Dr Sam Lee, GP",
        "identifier": "555000111222",
        "identifier_system": SDS_ROLE,
        "identifier_label": "SDS role profile ID",
    }


def test_a_requester_of_another_kind_is_not_kept():
    body = sdoh_bundle(request=sdoh_request(requester={"reference": SDOH_PATIENT}))
    assert _read(body).data.requester == {}


def test_an_overlong_requester_name_is_a_problem():
    body = sdoh_bundle(request=sdoh_request(requester={"reference": SDOH_ROLE, "display": "D" * 201}))
    status, issues = _problems(body)
    assert status == 422 and [i.expression for i in issues] == ["Bundle.entry[6].resource.requester"]


def test_the_requester_is_given_back_and_shown_to_triage(client, partnership, key):
    assert post(client, sdoh_bundle(), key=key).status_code == 200
    referral = Referral.objects.get()
    sent = get(client, f"/fhir/ServiceRequest/{referral.pk}", key).json()["requester"]
    assert sent == {
        "type": "PractitionerRole",
        "identifier": {"system": SDS_ROLE, "value": "555987654321"},
        "display": "Dr Jan Waters, General practitioner",
    }
    assert get(client, f"/fhir/Task/{referral.pk}", key).json()["requester"] == sent
    client.force_login(partnership.programme.user)
    page = client.get(f"/referrals/triage/{referral.pk}/").content.decode()
    shown = page[page.index('id="fhir-requester"') :]
    shown = shown[: shown.index("</dl>")]
    assert "Dr Jan Waters, General practitioner" in shown and "Meadowside Surgery" in shown
    assert "SDS role profile ID 555987654321" in shown


def test_triage_shows_nothing_more_for_a_referral_without_a_requester(client, partnership):
    referral = partnership.refer()
    client.force_login(partnership.programme.user)
    page = client.get(f"/referrals/triage/{referral.pk}/")
    assert page.status_code == 200 and 'id="fhir-requester"' not in page.content.decode()


def test_without_a_requester_the_referring_organisation_is_the_requester(client, partnership, key):
    assert post(client, bundle(), key=key).status_code == 200
    referral = Referral.objects.get()
    assert get(client, f"/fhir/ServiceRequest/{referral.pk}", key).json()["requester"] == {
        "display": "Test GP Practice"
    }


# Task statuses from the guide's value set ------------------------------------------------------


def test_every_referral_status_has_a_task_status_in_the_guides_value_set():
    task_status.check_table()
    assert set(task_status.TASK_STATUS) == set(statuses.REGISTRY)
    assert not {"received", "ready"} & codes.REFERRAL_TASK_STATUSES
    for status in statuses.REGISTRY:
        for shared in (False, True):
            for ended in (False, True):
                code = task_status.task_status_code(status, progress_shared=shared, support_ended=ended)
                assert code in codes.REFERRAL_TASK_STATUSES


def test_a_new_referral_status_without_a_task_status_fails_the_check(monkeypatch):
    monkeypatch.setitem(statuses.REGISTRY, "on_hold", statuses.REGISTRY[statuses.RECEIVED])
    with pytest.raises(RuntimeError, match="on_hold"):
        task_status.check_table()


def test_the_task_is_requested_on_receipt_and_never_received_or_ready(client, partnership, key):
    assert post(client, sdoh_bundle(), key=key).status_code == 200
    referral = Referral.objects.get()
    seen = [get(client, f"/fhir/Task/{referral.pk}", key).json()["status"]]
    referral_route(referral=referral, actor=partnership.programme, delivery_partner=partnership.partner_a)
    seen.append(get(client, f"/fhir/Task/{referral.pk}", key).json()["status"])
    referral_decline(referral=referral, actor=partnership.manager_a, reason_code="no_capacity")
    seen.append(get(client, f"/fhir/Task/{referral.pk}", key).json()["status"])
    partnership.assign(referral)
    seen.append(get(client, f"/fhir/Task/{referral.pk}", key).json()["status"])
    partnership.enrol(Referral.objects.get(pk=referral.pk))
    seen.append(get(client, f"/fhir/Task/{referral.pk}", key).json()["status"])
    assert seen == ["requested", "requested", "requested", "accepted", "in-progress"]


def test_a_withdrawn_referral_is_a_cancelled_task(client, partnership, key):
    assert post(client, bundle(), key=key).status_code == 200
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(status=statuses.WITHDRAWN)  # no service withdraws one yet
    assert get(client, f"/fhir/Task/{referral.pk}", key).json()["status"] == "cancelled"


# The CapabilityStatement says what the interface takes ------------------------------------------


def test_the_capability_statement_lists_what_a_bundle_may_carry(client, db):
    data = client.get("/fhir/metadata").json()
    rest = data["rest"][0]
    by_type = {r["type"]: r for r in rest["resource"]}
    assert set(by_type) == {
        "Patient",
        "ServiceRequest",
        "Observation",
        "Condition",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Task",
    }
    assert [i["code"] for i in by_type["ServiceRequest"]["interaction"]] == ["read"]
    assert [i["code"] for i in by_type["Task"]["interaction"]] == ["read"]
    assert "interaction" not in by_type["Patient"]  # taken in a Bundle, not read on its own
    assert codes.LOINC_EMPLOYMENT_STATUS in by_type["Observation"]["documentation"]
    assert "SNOMED CT" in by_type["Condition"]["documentation"]
    assert codes.VS_REFERRAL_TASK_STATUS in by_type["Task"]["documentation"]
    assert "requester" in by_type["PractitionerRole"]["documentation"]
    assert "one entry for each entry" in rest["documentation"]


def test_the_capability_statement_and_the_docs_give_the_same_name_and_address_order(client, db):
    """Issue 18: the CapabilityStatement gave the order loosely ("none, then others; old and nickname
    last"); docs/fhir.md listed it in full. Both now say current.py's order, in the same words."""
    from config.env import BASE_DIR
    from joinedup.fhir import current

    patient = {r["type"]: r for r in client.get("/fhir/metadata").json()["rest"][0]["resource"]}["Patient"]
    docs = (BASE_DIR / "docs" / "fhir.md").read_text(encoding="utf-8")
    for uses in (current.NAME_USES, current.ADDRESS_USES):
        said = current.order_in_words(uses)
        assert said in patient["documentation"] and said in docs, said
    assert current.order_in_words(current.NAME_USES).startswith("official, then usual, then no use, then temp")


def test_the_documented_guide_shaped_example_is_the_tested_bundle():
    from config.env import BASE_DIR

    documented = json.loads((BASE_DIR / "docs" / "fhir" / "example-sdoh-bundle.json").read_text(encoding="utf-8"))
    assert documented == sdoh_bundle()
