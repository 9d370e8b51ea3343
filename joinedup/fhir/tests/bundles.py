"""UK-shaped FHIR R4 transaction Bundles for the tests (synthetic people, test NHS numbers)."""

from __future__ import annotations

import copy
from typing import Any

from joinedup.fhir import codes

PATIENT_URL = "urn:uuid:7d0c6a5e-3b5f-4f0a-9c6e-2f1d9b8a7c01"


def bundle(**changes: Any) -> dict[str, Any]:
    """A valid Bundle; `changes` replace Patient (patient=...) or ServiceRequest (request=...) keys."""
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": codes.NHS_NUMBER, "value": "9434765919"}],
        "name": [{"use": "official", "family": "Ó Briain", "given": ["Siobhán"]}],
        "gender": "female",
        "birthDate": "1985-03-27",
        "telecom": [
            {"system": "phone", "value": "07700 900982", "use": "mobile"},
            {"system": "email", "value": "siobhan@example.com"},
        ],
        "address": [{"use": "home", "line": ["1 Westgate"], "city": "Mansfield", "postalCode": "NG18 1AB"}],
    }
    request = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "https://riverside-gp.example/referrals", "value": "RMP-0001"}],
        "status": "active",
        "intent": "order",
        "code": {"text": "Referral to employment support"},
        "subject": {"reference": PATIENT_URL},
        "reasonCode": [{"coding": [{"system": codes.SNOMED, "code": "35489007", "display": "Depressive disorder"}]}],
        "note": [{"text": "Wants to get back to part-time work"}],
        "extension": [
            {
                "url": codes.EXT_EMPLOYMENT_STATUS,
                "valueCoding": {"system": codes.CS_EMPLOYMENT_STATUS, "code": "unemployed"},
            },
            {"url": codes.EXT_BENEFIT, "valueCoding": {"system": codes.CS_BENEFIT, "code": "uc_lcw"}},
            {"url": codes.EXT_SHARE_PROGRESS, "valueBoolean": True},
        ],
    }
    for key, value in changes.get("patient", {}).items():
        if value is None:
            patient.pop(key, None)
        else:
            patient[key] = value
    for key, value in changes.get("request", {}).items():
        if value is None:
            request.pop(key, None)
        else:
            request[key] = value
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "https://riverside-gp.example/bundles", "value": "B-0001"},
        "type": "transaction",
        "entry": [
            {"fullUrl": PATIENT_URL, "resource": patient, "request": {"method": "POST", "url": "Patient"}},
            {
                "fullUrl": "urn:uuid:0b8f2c1e-6a2d-4c7e-8f3a-5d9e1b2c3a04",
                "resource": request,
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
        ],
    }


def deep(value: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(value)


# Modelled on the HL7 SDOH Clinical Care guide's examples (the Patient with several names and
# addresses, a ServiceRequest whose reason is a Condition and whose supporting information is an
# employment-status Observation, a requester PractitionerRole with its Practitioner and
# Organization), written afresh for a UK GP system with synthetic people and test NHS numbers.

SDOH_PATIENT = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a51"
SDOH_PRACTITIONER = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a52"
SDOH_ROLE = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a53"
SDOH_SURGERY = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a54"
SDOH_CONDITION = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a55"
SDOH_OBSERVATION = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a56"
SDOH_REQUEST = "urn:uuid:5b0e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a57"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
SDS_USER = "https://fhir.nhs.uk/Id/sds-user-id"
SDS_ROLE = "https://fhir.nhs.uk/Id/sds-role-profile-id"


def sdoh_patient() -> dict[str, Any]:
    """A person who changed their name in 2020 and moved house the same year, with a nickname and a
    work address: the current name is the second, the current home the second address."""
    return {
        "resourceType": "Patient",
        "identifier": [
            {"system": "https://meadowside-surgery.example/patients", "value": "MRN-1032702"},
            {"system": codes.NHS_NUMBER, "value": "9434765870"},
        ],
        "name": [
            {"family": "Haddad", "given": ["Amira", "J."], "period": {"start": "2009-12-06", "end": "2020-07-22"}},
            {"use": "nickname", "given": ["Mira"]},
            {"family": "Rahman", "given": ["Amira", "J."], "period": {"start": "2020-07-22"}},
        ],
        "telecom": [{"system": "phone", "value": "0115 496 0755", "use": "home"}],
        "gender": "female",
        "birthDate": "1987-02-20",
        "address": [
            {
                "use": "home",
                "line": ["49 Meadow Street"],
                "city": "Mansfield",
                "postalCode": "NG18 2AB",
                "country": "GB",
                "period": {"start": "2009-12-06", "end": "2020-07-22"},
            },
            {"use": "work", "line": ["Unit 4, Station Road"], "city": "Mansfield", "postalCode": "NG18 1NG"},
            {
                "use": "home",
                "line": ["183 Mountain View Road"],
                "city": "Mansfield",
                "postalCode": "NG19 7AB",
                "country": "GB",
                "period": {"start": "2020-07-22"},
            },
        ],
    }


def sdoh_practitioner() -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "identifier": [{"system": SDS_USER, "value": "555123456789"}],
        "active": True,
        "name": [{"text": "Dr Jan Waters", "family": "Waters", "given": ["Jan"], "prefix": ["Dr"]}],
    }


def sdoh_role() -> dict[str, Any]:
    return {
        "resourceType": "PractitionerRole",
        "identifier": [{"system": SDS_ROLE, "value": "555987654321"}],
        "active": True,
        "practitioner": {"reference": SDOH_PRACTITIONER, "display": "Dr Jan Waters"},
        "organization": {"reference": SDOH_SURGERY, "display": "Meadowside Surgery"},
        "code": [{"coding": [{"system": codes.SNOMED, "code": "62247001", "display": "General practitioner"}]}],
        "telecom": [{"system": "email", "value": "jan.waters@meadowside.example", "use": "work"}],
    }


def sdoh_surgery() -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "identifier": [{"system": ODS, "value": "C84999"}],
        "active": True,
        "name": "Meadowside Surgery",
        "address": [{"line": ["133 Church Street"], "city": "Mansfield", "postalCode": "NG18 1AA"}],
    }


def sdoh_condition(**changes: Any) -> dict[str, Any]:
    condition = {
        "resourceType": "Condition",
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
        },
        "verificationStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                        "code": "problem-list-item",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": codes.SNOMED, "code": "35489007", "display": "Depressive disorder"}]},
        "subject": {"reference": SDOH_PATIENT},
        "onsetDateTime": "2025-04-26",
    }
    condition.update(changes)
    return condition


def sdoh_observation(answer: str = "LA17956-6", *extra_codings: dict[str, str], **changes: Any) -> dict[str, Any]:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "social-history"}
                ]
            }
        ],
        "code": {"coding": [{"system": codes.LOINC, "code": "67875-5", "display": "Employment status - current"}]},
        "subject": {"reference": SDOH_PATIENT},
        "effectiveDateTime": "2026-11-30T10:15:00+00:00",
        "valueCodeableConcept": {"coding": [{"system": codes.LOINC, "code": answer}, *extra_codings]},
    }
    observation.update(changes)
    return observation


def sdoh_request(**changes: Any) -> dict[str, Any]:
    request = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "https://meadowside-surgery.example/referrals", "value": "MS-2026-0042"}],
        "status": "active",
        "intent": "order",
        "category": [
            {"coding": [{"system": codes.SNOMED, "code": "410606002", "display": "Social service procedure"}]}
        ],
        "code": {"text": "Referral to employment support"},
        "subject": {"reference": SDOH_PATIENT},
        "requester": {"reference": SDOH_ROLE, "display": "Dr Jan Waters, General practitioner"},
        "reasonReference": [{"reference": SDOH_CONDITION}],
        "supportingInfo": [{"reference": SDOH_OBSERVATION}],
        "note": [{"text": "Would like help getting back into work after a long absence"}],
        "extension": [{"url": codes.EXT_SHARE_PROGRESS, "valueBoolean": True}],
    }
    for key, value in changes.items():
        if value is None:
            request.pop(key, None)
        else:
            request[key] = value
    return request


def employment_extension(code: str) -> list[dict[str, Any]]:
    """Our employment-status extension (valueCode) with consent to share progress."""
    return [
        {"url": codes.EXT_EMPLOYMENT_STATUS, "valueCode": code},
        {"url": codes.EXT_SHARE_PROGRESS, "valueBoolean": True},
    ]


def sdoh_bundle(**resources: dict[str, Any] | None) -> dict[str, Any]:
    """The guide's shape: Patient, Practitioner, PractitionerRole, Organization, Condition, Observation,
    ServiceRequest (seven entries). A keyword replaces one resource, or (None) leaves its entry out."""
    made = {
        "patient": (SDOH_PATIENT, sdoh_patient()),
        "practitioner": (SDOH_PRACTITIONER, sdoh_practitioner()),
        "role": (SDOH_ROLE, sdoh_role()),
        "surgery": (SDOH_SURGERY, sdoh_surgery()),
        "condition": (SDOH_CONDITION, sdoh_condition()),
        "observation": (SDOH_OBSERVATION, sdoh_observation()),
        "request": (SDOH_REQUEST, sdoh_request()),
    }
    entries = []
    for name, (url, made_resource) in made.items():
        replaced = resources.get(name, made_resource)
        if replaced is None:
            continue
        resource = replaced
        kind = resource["resourceType"]
        entries.append({"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": kind}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}
