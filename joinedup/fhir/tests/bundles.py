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
