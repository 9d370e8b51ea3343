"""FHIR as clinical systems send it, the guide's way: employment status from an Observation (LOINC
67875-5), the health condition from Condition resources (SNOMED CT), and every problem at once."""

from __future__ import annotations

import copy
import json

import pytest

from joinedup.api.services import api_token_issue
from joinedup.fhir import codes
from joinedup.fhir.intake import FhirProblem, read_bundle

from .bundles import (
    SDOH_OBSERVATION,
    bundle,
    employment_extension,
    sdoh_bundle,
    sdoh_condition,
    sdoh_observation,
    sdoh_request,
)
from .test_fhir import outcome, post, stored


@pytest.fixture
def key(partnership) -> str:
    return api_token_issue(membership=partnership.referrer)[1]


def _read(body: dict):
    return read_bundle(json.dumps(body).encode())


def _problems(body: dict) -> tuple[int, list]:
    with pytest.raises(FhirProblem) as raised:
        _read(body)
    return raised.value.status, raised.value.issues


# Employment status from an Observation (LOINC 67875-5) -------------------------------------------


@pytest.mark.parametrize(
    ("answer", "ours", "expected"),
    [
        ("LA17956-6", None, "unemployed"),
        ("LA30137-6", None, "inactive"),
        ("LA30136-8", "employed_off_sick", "employed_off_sick"),  # in work: our code says which
        ("LA30138-4", "employed_at_risk", "employed_at_risk"),
    ],
)
def test_employment_status_from_the_observations_loinc_answer(answer, ours, expected):
    extra = [{"system": codes.CS_EMPLOYMENT_STATUS, "code": ours}] if ours else []
    body = sdoh_bundle(observation=sdoh_observation(answer, *extra))
    assert _read(body).data.employment_status == expected


def test_in_work_without_saying_which_is_one_clear_problem():
    status, issues = _problems(sdoh_bundle(observation=sdoh_observation("LA30136-8")))
    assert status == 422 and len(issues) == 1
    assert issues[0].expression == "Bundle.entry[5].resource.valueCodeableConcept"
    assert "off sick" in issues[0].diagnostics and "at risk" in issues[0].diagnostics


def test_the_extension_gives_the_finer_code_when_it_agrees_and_a_problem_when_it_does_not():
    agreeing = sdoh_bundle(
        observation=sdoh_observation("LA30136-8"),
        request=sdoh_request(extension=employment_extension("employed_at_risk")),
    )
    assert _read(agreeing).data.employment_status == "employed_at_risk"
    disagreeing = sdoh_bundle(request=sdoh_request(extension=employment_extension("employed_off_sick")))
    status, issues = _problems(disagreeing)  # the Observation says unemployed
    assert status == 422 and [i.expression for i in issues] == ["Bundle.entry[6].resource.extension[0]"]
    assert "disagree" in issues[0].diagnostics


def test_the_extension_alone_still_works():
    body = sdoh_bundle(
        observation=None, request=sdoh_request(supportingInfo=None, extension=employment_extension("inactive"))
    )
    assert _read(body).data.employment_status == "inactive"


@pytest.mark.parametrize(
    ("observation", "status", "code", "expression"),
    [
        (sdoh_observation("LA30122-8"), 422, "required", "Bundle.entry[5].resource.valueCodeableConcept"),
        (sdoh_observation("LA99999-9"), 422, "value", "Bundle.entry[5].resource.valueCodeableConcept"),
        (sdoh_observation(status="entered-in-error"), 422, "value", "Bundle.entry[5].resource.status"),
        (
            sdoh_observation(subject={"reference": "Patient/someone-else"}),
            400,
            "invalid",
            "Bundle.entry[5].resource.subject",
        ),
    ],
    ids=["chose not to answer", "not a LOINC answer of 67875-5", "entered in error", "about someone else"],
)
def test_an_observation_that_cannot_be_used_is_reported(observation, status, code, expression):
    got, issues = _problems(sdoh_bundle(observation=observation))
    assert got == status
    assert [(i.code, i.expression) for i in issues] == [(code, expression)]


def test_an_observation_referred_to_from_outside_the_bundle_and_no_extension_is_missing_employment():
    body = sdoh_bundle(observation=None)  # supportingInfo still points at it
    status, issues = _problems(body)
    assert status == 422
    assert [(i.code, i.expression) for i in issues] == [("required", "Bundle.entry[5].resource.supportingInfo")]


# Health conditions from Condition resources (SNOMED CT) -----------------------------------------


def test_a_condition_in_supporting_info_is_read_too():
    request = sdoh_request(
        reasonReference=None, supportingInfo=[{"reference": SDOH_OBSERVATION}, {"reference": "urn:uuid:c2"}]
    )
    body = sdoh_bundle(
        request=request, condition=sdoh_condition(code={"coding": [{"system": codes.SNOMED, "code": "279039007"}]})
    )
    body["entry"][4]["fullUrl"] = "urn:uuid:c2"
    assert _read(body).data.health_condition == "musculoskeletal"


def test_reason_code_still_comes_first():
    reason = [{"coding": [{"system": codes.CS_HEALTH_CONDITION, "code": "autism"}]}]
    assert _read(sdoh_bundle(request=sdoh_request(reasonCode=reason))).data.health_condition == "autism"


def test_a_resolved_or_refuted_condition_is_passed_over_for_a_current_one():
    resolved = sdoh_condition(
        clinicalStatus={
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]
        }
    )
    body = sdoh_bundle(condition=resolved)
    epilepsy = copy.deepcopy(sdoh_condition(code={"coding": [{"system": codes.SNOMED, "code": "84757009"}]}))
    body["entry"].insert(
        5, {"fullUrl": "urn:uuid:c3", "resource": epilepsy, "request": {"method": "POST", "url": "Condition"}}
    )
    body["entry"][-1]["resource"]["reasonReference"].append({"reference": "urn:uuid:c3"})
    assert _read(body).data.health_condition == "neurological"


def test_a_condition_we_do_not_map_says_which_code_we_could_not_read():
    unmapped = sdoh_condition(code={"coding": [{"system": codes.SNOMED, "code": "73438004", "display": "Unemployed"}]})
    status, issues = _problems(sdoh_bundle(condition=unmapped))
    assert status == 422 and len(issues) == 1
    assert issues[0].code == "value" and "73438004" in issues[0].diagnostics


def test_a_condition_about_someone_else_is_refused():
    status, issues = _problems(sdoh_bundle(condition=sdoh_condition(subject={"reference": "Patient/other"})))
    assert status == 400
    assert ("invalid", "Bundle.entry[4].resource.subject") in [(i.code, i.expression) for i in issues]


# All problems at once --------------------------------------------------------------------------


def _broken() -> dict:
    """Five problems in four entries: structure in one, our rules in the others."""
    body = sdoh_bundle()
    patient = body["entry"][0]["resource"]
    patient["identifier"][1]["value"] = "9434765871"  # a wrong check digit
    patient["address"][2]["postalCode"] = "90210"  # not British (the current home)
    body["entry"][1]["resource"]["favouriteColour"] = "green"  # the Practitioner: not FHIR
    body["entry"][5]["resource"]["valueCodeableConcept"]["coding"][0]["code"] = "LA30136-8"  # in work, which?
    body["entry"][6]["resource"]["note"] = [{"text": "x" * 2001}]
    return body


FIXES = {
    "Bundle.entry[0].resource.identifier[1].value": lambda b: b["entry"][0]["resource"]["identifier"][1].update(
        value="9434765870"
    ),
    "Bundle.entry[0].resource.address[2].postalCode": lambda b: b["entry"][0]["resource"]["address"][2].update(
        postalCode="NG19 7AB"
    ),
    "Bundle.entry[1].resource.favouriteColour": lambda b: b["entry"][1]["resource"].pop("favouriteColour"),
    "Bundle.entry[5].resource.valueCodeableConcept": lambda b: b["entry"][5]["resource"]["valueCodeableConcept"][
        "coding"
    ].append({"system": codes.CS_EMPLOYMENT_STATUS, "code": "employed_off_sick"}),
    "Bundle.entry[6].resource.note": lambda b: b["entry"][6]["resource"].update(note=[{"text": "Back to work"}]),
}


def test_every_problem_comes_back_in_one_operation_outcome_and_fixing_them_is_enough(client, partnership, key):
    body = _broken()
    before = stored()
    response = post(client, body, key=key)
    assert response.status_code == 400  # one of them is not valid FHIR
    found = {e for i in outcome(response) for e in i.get("expression", [])}
    assert found == set(FIXES), found
    assert stored() == before
    for fix in FIXES.values():  # fix exactly what was reported: no second round of new problems
        fix(body)
    assert post(client, body, key=key).status_code == 200


def test_malformed_entries_do_not_hide_each_other():
    body = sdoh_bundle()
    body["entry"][2]["resource"]["active"] = "perhaps"  # PractitionerRole.active must be a boolean
    body["entry"][3]["resource"]["name"] = ["Meadowside"]  # Organization.name must be a string
    body["entry"][6]["resource"]["status"] = "draft"  # and a rule broken in a well-formed entry
    status, issues = _problems(body)
    assert status == 400
    where = [i.expression for i in issues]
    assert "Bundle.entry[2].resource.active" in where and "Bundle.entry[3].resource.name" in where
    assert "Bundle.entry[6].resource.status" in where


def test_a_rule_and_a_missing_value_together_still_come_back_once_each():
    body = bundle(patient={"birthDate": "2020-01-01", "address": [{"use": "home", "postalCode": "nowhere"}]})
    body["entry"][1]["resource"]["note"] = []
    status, issues = _problems(body)
    assert status == 422
    where = [i.expression for i in issues]
    assert sorted(where) == sorted(set(where))  # no field reported twice
    assert {
        "Bundle.entry[0].resource.birthDate",
        "Bundle.entry[0].resource.address[0].postalCode",
        "Bundle.entry[1].resource.note",
    } <= set(where)


def test_a_malformed_element_does_not_hide_the_same_resources_other_problems():
    body = sdoh_bundle()
    patient = body["entry"][0]["resource"]
    patient["maritalStatus"] = "married"  # should be a CodeableConcept
    patient["nickname"] = "Mira"  # not an element FHIR R4 has
    patient["identifier"][1]["value"] = "9434765871"  # and a wrong check digit, found in the same answer
    status, issues = _problems(body)
    assert status == 400
    assert [i.expression for i in issues] == [
        "Bundle.entry[0].resource.maritalStatus",
        "Bundle.entry[0].resource.nickname",
        "Bundle.entry[0].resource.identifier[1].value",
    ]


def test_an_element_refused_for_its_structure_is_not_reported_again_for_its_value():
    body = bundle(patient={"birthDate": "1985-02-30", "identifier": [{"system": codes.NHS_NUMBER, "value": "1"}]})
    status, issues = _problems(body)
    assert status == 400
    assert [(i.code, i.expression) for i in issues] == [
        ("structure", "Bundle.entry[0].resource.birthDate"),
        ("value", "Bundle.entry[0].resource.identifier[0].value"),
    ]
