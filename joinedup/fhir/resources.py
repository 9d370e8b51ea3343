"""Building the FHIR resources the interface returns. Each is validated by its fhir.resources model."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from joinedup.cases.enrolment.stages import CLOSED
from joinedup.referrals import selectors, statuses
from joinedup.referrals.models import Referral

from . import codes, current
from .structure import Issue
from .task_status import task_status_code

FHIR_VERSION = "4.0.1"


def _json(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    out = []
    for issue in issues:
        entry: dict[str, Any] = {"severity": issue.severity, "code": issue.code, "diagnostics": issue.diagnostics}
        if issue.expression:
            entry["expression"] = [issue.expression]
            entry["location"] = [issue.expression]  # for clients that still read the deprecated element
        out.append(entry)
    return _json(OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": out}))


# What an entry the referral was not read from is, in its transaction-response entry.
NOT_READ = {
    "Observation": "Not referred to from the ServiceRequest's supportingInfo or reasonReference, so not read.",
    "Condition": "Not referred to from the ServiceRequest's reasonReference or supportingInfo, so not read.",
    "": "For information only: not read or kept.",
}
_NOT_KEPT = " Not kept as a resource of its own."


def information(note: str) -> dict[str, Any]:
    """An OperationOutcome of one note for the sender (severity information), for a response entry."""
    text = note if note in NOT_READ.values() else note + _NOT_KEPT
    return operation_outcome([Issue("informational", text, severity="information")])


def transaction_response(entries: list[dict[str, Any]]) -> dict[str, Any]:
    bundle = {"resourceType": "Bundle", "type": "transaction-response", "entry": entries}
    return _json(Bundle.model_validate(bundle))


def _coding(system: str, code: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": codes.CODE_SYSTEMS[system].get(code, code)}


def _sender_identifier(referral: Referral) -> dict[str, str] | None:
    system, _, value = (referral.details or {}).get("sender_identifier", "").partition("|")
    return {"system": system, "value": value} if value else None


def _identifiers(referral: Referral) -> list[dict[str, str]]:
    own = {"system": codes.REFERENCE, "value": referral.reference}
    sender = _sender_identifier(referral)
    return [sender, own] if sender else [own]


def _patient_ref(referral: Referral) -> dict[str, Any]:
    person = referral.person
    ref: dict[str, Any] = {"display": person.full_name}
    if person.nhs_number:
        ref["identifier"] = {"system": codes.NHS_NUMBER, "value": person.nhs_number}
    return ref


_SR_STATUS = {
    statuses.ENROLLED: "completed",  # the referral did its job: the person started support
    statuses.DECLINED: "revoked",
    statuses.WITHDRAWN: "revoked",
}


def service_request(referral: Referral) -> dict[str, Any]:
    extension = [
        {
            "url": codes.EXT_EMPLOYMENT_STATUS,
            "valueCoding": _coding(codes.CS_EMPLOYMENT_STATUS, referral.employment_status),
        }
    ] + [{"url": codes.EXT_BENEFIT, "valueCoding": _coding(codes.CS_BENEFIT, b)} for b in referral.benefits]
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"lastUpdated": (referral.status_changed_at or referral.created_at).isoformat()},
        "extension": extension,
        "identifier": _identifiers(referral),
        "status": _SR_STATUS.get(referral.status, "active"),
        "intent": "order",
        "subject": _patient_ref(referral),
        "authoredOn": referral.created_at.isoformat(),
        "requester": requester_reference(referral),
        "reasonCode": [{"coding": [_coding(codes.CS_HEALTH_CONDITION, referral.health_condition)]}],
        "note": [{"text": referral.help_wanted}],
    }
    if referral.delivery_partner and referral.status in {statuses.ASSIGNED, statuses.ENROLLED}:
        resource["performer"] = [{"display": referral.delivery_partner.name}]
    return _json(ServiceRequest.model_validate(resource))


def task_status(referral: Referral) -> tuple[str, str, str]:
    """(Task.status, businessStatus text, statusReason text) from what the referrer may know.

    The status comes from `task_status.TASK_STATUS`, the one table from our referral statuses to the
    SDOH Clinical Care guide's referral task statuses; progress past acceptance shows only with the
    person's consent, as `referral_closed_loop` (the one place that decides what the referrer sees)
    says. The business status is the closed loop's own label (`referrals.statuses.LOOP_LABELS`, the one
    source the referrer's list, the referral's page, the API and the email read too): once support has
    ended, `completed` says so and the text stays the person's last step ("Started work").
    """
    loop = selectors.referral_closed_loop(referral=referral)
    case = getattr(referral, "case", None)
    ended = case is not None and case.stage == CLOSED
    code = task_status_code(referral.status, progress_shared=loop.progress_shared, support_ended=ended)
    return code, loop.status.label, loop.declined_reason if code == "rejected" else ""


def requester_reference(referral: Referral) -> dict[str, Any]:
    """Who asked for the referral: the requester the clinical system named, else the referring organisation."""
    kept = referral.requester or {}
    if not kept:
        return {"display": referral.referring_organisation.name}
    ref: dict[str, Any] = {"type": kept["kind"]}
    if kept.get("reference"):
        ref["reference"] = kept["reference"]
    if kept.get("identifier"):
        ref["identifier"] = {"value": kept["identifier"]} | (
            {"system": kept["identifier_system"]} if kept.get("identifier_system") else {}
        )
    parts = [kept.get("name", ""), kept.get("role", ""), kept.get("organisation", "")]
    ref["display"] = kept.get("display") or ", ".join(p for p in parts if p) or referral.referring_organisation.name
    return ref


def task(referral: Referral) -> dict[str, Any]:
    status, business, reason = task_status(referral)
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"lastUpdated": (referral.status_changed_at or referral.created_at).isoformat()},
        "identifier": [{"system": codes.REFERENCE, "value": referral.reference}],
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "status": status,
        "businessStatus": {"text": business},
        "intent": "order",
        "code": {"coding": [{"system": codes.CS_TASK_CODE, "code": "fulfill", "display": "Fulfill the focal request"}]},
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": _patient_ref(referral),
        "authoredOn": referral.created_at.isoformat(),
        "lastModified": (referral.status_changed_at or referral.created_at).isoformat(),
        "requester": requester_reference(referral),
    }
    if reason:
        decline = referral.status_changes.filter(to_status=statuses.DECLINED).last()
        concept: dict[str, Any] = {"text": reason}
        if decline is not None and decline.reason_code in codes.CODE_SYSTEMS[codes.CS_DECLINE_REASON]:
            concept["coding"] = [_coding(codes.CS_DECLINE_REASON, decline.reason_code)]
        resource["statusReason"] = concept
    if status in {"accepted", "in-progress"} and referral.delivery_partner:
        resource["owner"] = {"display": referral.delivery_partner.name}
    return _json(Task.model_validate(resource))


# What each resource a Bundle may carry is read for (docs/fhir.md says the same, at more length).
_IN_A_BUNDLE = {
    "Patient": "Exactly one, created with POST Patient. Read: the NHS number; the current name (one whose "
    "period covers today, or that has none, before one that does not; then by use: "
    f"{current.order_in_words(current.NAME_USES)}; the first sent breaks a tie); "
    "date of birth; the postcode of the current address, chosen the same way among those with a postalCode "
    f"(by use: {current.order_in_words(current.ADDRESS_USES)}); email and phone.",
    "Observation": f"Optional. Employment status: an Observation coded {codes.LOINC}|{codes.LOINC_EMPLOYMENT_STATUS} "
    "(Employment status - current) answered with a LOINC answer (LA17956-6, LA30138-4, LA30136-8, LA30137-6), "
    "referred to from the ServiceRequest's supportingInfo or reasonReference. For someone in work, add our "
    f"{codes.CS_EMPLOYMENT_STATUS} code (employed_off_sick or employed_at_risk). Read, not kept as a resource.",
    "Condition": "Optional. The main health condition: a current Condition coded in SNOMED CT or in "
    f"{codes.CS_HEALTH_CONDITION}, referred to from the ServiceRequest's reasonReference or supportingInfo, "
    "when reasonCode does not say it. Read, not kept as a resource.",
    "Practitioner": "Optional, for information. Read when the ServiceRequest's requester (or its "
    "PractitionerRole) refers to it; not kept as a resource.",
    "PractitionerRole": "Optional, for information. Read when the ServiceRequest's requester refers to it: "
    "the practitioner, role and organisation are kept on the referral as who asked for it.",
    "Organization": "Optional, for information. Read when the ServiceRequest's requester (or its "
    "PractitionerRole) refers to it; not kept as a resource.",
}


def capability_statement(base_url: str) -> dict[str, Any]:
    read = [{"code": "read"}]
    taken = [{"type": kind, "documentation": text} for kind, text in _IN_A_BUNDLE.items()]
    resource = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "publisher": "Joined Up",
        "kind": "instance",
        "software": {"name": "Joined Up"},
        "implementation": {"description": "Joined Up referral intake for clinical systems", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "POST a transaction Bundle with one Patient and one ServiceRequest to /Bundle "
                "(with Observation, Condition, Practitioner, PractitionerRole and Organization entries as "
                "described for each). The transaction-response has one entry for each entry sent, in the same "
                "order. Every problem comes back at once, in one OperationOutcome. Then read ServiceRequest/{id} "
                "and Task/{id} (the same id) to follow the referral.",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "OAuth",
                                }
                            ],
                            "text": "Bearer token issued by the partnership (Authorization: Bearer <token>)",
                        }
                    ],
                    "description": "Every interaction except this one needs a bearer token bound to a referrer.",
                },
                "resource": [
                    *taken[:1],
                    {
                        "type": "ServiceRequest",
                        "interaction": read,
                        "documentation": "Exactly one in a Bundle, created with POST ServiceRequest; read back by id. "
                        "Its requester (a PractitionerRole, Practitioner or Organization) is kept.",
                    },
                    *taken[1:],
                    {
                        "type": "Task",
                        "interaction": read,
                        "documentation": "The closed loop. Task.status is from the SDOH Clinical Care guide's "
                        f"referral task status value set ({codes.VS_REFERRAL_TASK_STATUS}): requested on receipt "
                        "and while a delivery partner is being found, accepted, rejected, cancelled, then "
                        "in-progress and completed only with the person's consent to share progress.",
                    },
                ],
                "interaction": [{"code": "transaction"}],
            }
        ],
    }
    return _json(CapabilityStatement.model_validate(resource))
