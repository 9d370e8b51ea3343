"""Reading a FHIR R4 transaction Bundle (a Patient and a ServiceRequest) into a `ReferralInput`.

Parsing and validation only; the referral itself is made by `referrals.services.referral_create`.
Every problem is an `Issue` naming the failing element as a FHIRPath expression, so the sender can
see which element to fix. Structure is checked with `fhir.resources` (the R4B models, which read
R4 Patient, ServiceRequest and Bundle unchanged); our rules come after, all reported at once.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.people.validators import normalise_nhs_number
from joinedup.referrals.services import ReferralInput

from . import codes

# Resources a sender may include besides the Patient and ServiceRequest (read for structure, not kept).
_INFORMATIONAL = {"Practitioner", "PractitionerRole", "Organization"}
_ACCEPTED = {"Patient", "ServiceRequest"} | _INFORMATIONAL
IDEMPOTENCY = uuid.UUID("0f6c2f52-7c1e-4c8e-9d0c-6f7f3f6b9a10")


@dataclass(frozen=True)
class Issue:
    code: str  # an OperationOutcome issue-type code: structure, required, value, invalid, ...
    diagnostics: str  # plain English
    expression: str = ""  # FHIRPath of the failing element
    severity: str = "error"


class FhirProblem(Exception):
    def __init__(self, status: int, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.status = status
        self.issues = issues


@dataclass
class Intake:
    data: ReferralInput
    identifier: tuple[str, str]  # (system, value) the resubmission key is made from
    patient_index: int
    request_index: int
    expressions: dict[str, str] = field(default_factory=dict)  # ReferralInput field -> FHIRPath

    def submission_key(self, organisation_id: uuid.UUID) -> uuid.UUID:
        """The same identifier from the same organisation always gives the same key (idempotent)."""
        system, value = self.identifier
        return uuid.uuid5(IDEMPOTENCY, f"{organisation_id}|{system}|{value}")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FhirProblem(400, [Issue("structure", "The request body must be UTF-8 encoded JSON.")]) from exc
    except json.JSONDecodeError as exc:
        raise FhirProblem(
            400,
            [Issue("structure", f"The request body is not valid JSON (line {exc.lineno}, column {exc.colno}).")],
        ) from exc


def _path(loc: tuple[Any, ...]) -> str:
    out = "Bundle"
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "union[", "tagged-union[")):
            out += f".{part}"
    return out


def _structure(raw: Any) -> Bundle:
    """The Bundle's shape: a transaction of known resource types, each valid FHIR."""
    if not isinstance(raw, dict):
        raise FhirProblem(400, [Issue("structure", "Send a FHIR Bundle as a JSON object.")])
    kind = raw.get("resourceType")
    if kind != "Bundle":
        found = f"a {kind}" if isinstance(kind, str) and kind else "no resourceType"
        raise FhirProblem(
            400, [Issue("invalid", f"Send a Bundle of type transaction (this has {found}).", "resourceType")]
        )
    if raw.get("type") != "transaction":
        raise FhirProblem(400, [Issue("invalid", "The Bundle's type must be 'transaction'.", "Bundle.type")])
    entries = raw.get("entry")
    if not isinstance(entries, list) or not entries:
        raise FhirProblem(400, [Issue("required", "The Bundle needs a Patient and a ServiceRequest.", "Bundle.entry")])
    issues = []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(kind, str) or kind not in _ACCEPTED:
            issues.append(
                Issue(
                    "not-supported",
                    f"Entry {i + 1} is {'a ' + kind if isinstance(kind, str) else 'not a resource'}: "
                    "this interface accepts a Patient and a ServiceRequest "
                    "(and Practitioner, PractitionerRole or Organization for information).",
                    f"Bundle.entry[{i}].resource.resourceType",
                )
            )
    if issues:
        raise FhirProblem(400, issues)
    try:
        return Bundle.model_validate(raw)
    except ValidationError as exc:
        raise FhirProblem(
            400,
            [
                Issue("required" if e["type"] == "missing" else "structure", _plain(e), _path(e["loc"]))
                for e in exc.errors()[:20]
            ],
        ) from exc


def _plain(error: dict[str, Any]) -> str:
    where = _path(error["loc"])
    if error["type"] == "missing":
        return f"{where} is required."
    if error["type"] == "extra_forbidden":
        return f"{where} is not an element FHIR R4 knows."
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{where}: {message}"


def read_bundle(body: bytes) -> Intake:
    bundle = _structure(parse_json(body))
    patients = [(i, e) for i, e in enumerate(bundle.entry) if e.resource.get_resource_type() == "Patient"]
    requests = [(i, e) for i, e in enumerate(bundle.entry) if e.resource.get_resource_type() == "ServiceRequest"]
    issues: list[Issue] = []
    if len(patients) != 1:
        issues.append(Issue("required" if not patients else "invalid", "Send exactly one Patient.", "Bundle.entry"))
    if len(requests) != 1:
        issues.append(
            Issue("required" if not requests else "invalid", "Send exactly one ServiceRequest.", "Bundle.entry")
        )
    if issues:
        raise FhirProblem(400, issues)
    (pi, pentry), (ri, rentry) = patients[0], requests[0]
    patient, request = pentry.resource, rentry.resource
    p, r = f"Bundle.entry[{pi}].resource", f"Bundle.entry[{ri}].resource"
    for i, entry in ((pi, pentry), (ri, rentry)):
        kind = entry.resource.get_resource_type()
        if entry.request is None or entry.request.method != "POST" or entry.request.url != kind:
            issues.append(
                Issue(
                    "invalid",
                    f"A transaction creates the {kind} with request POST {kind}.",
                    f"Bundle.entry[{i}].request",
                )
            )

    # The ServiceRequest is about this Patient.
    subject = request.subject.reference if request.subject else None
    targets = {pentry.fullUrl, f"Patient/{patient.id}" if patient.id else None} - {None}
    if not subject:
        issues.append(Issue("required", "The ServiceRequest needs a subject: the Patient.", f"{r}.subject"))
    elif subject not in targets:
        issues.append(
            Issue(
                "invalid",
                "The ServiceRequest's subject must refer to the Patient in this Bundle (its fullUrl).",
                f"{r}.subject.reference",
            )
        )
    if request.status != "active":
        issues.append(Issue("value", "The ServiceRequest's status must be 'active'.", f"{r}.status"))
    if request.intent not in {"order", "original-order"}:
        issues.append(Issue("value", "The ServiceRequest's intent must be 'order'.", f"{r}.intent"))

    # Which identifier makes a resubmission the same referral.
    identifier = None
    for where, idents in ((f"{r}.identifier", request.identifier), ("Bundle.identifier", [bundle.identifier])):
        ident = next((x for x in idents or [] if x is not None and x.value), None)
        if ident is not None:
            if not ident.system:
                issues.append(Issue("required", "The identifier needs a system as well as a value.", f"{where}.system"))
            identifier = (ident.system or "", ident.value)
            break
    if identifier is None:
        issues.append(
            Issue(
                "required",
                "Give the ServiceRequest an identifier (or the Bundle one), so a resubmission is recognised.",
                f"{r}.identifier",
            )
        )
    elif len(identifier[0]) + len(identifier[1]) > 400:
        issues.append(Issue("value", "The identifier must be 400 characters or fewer.", f"{r}.identifier"))

    expressions: dict[str, str] = {}

    # Patient: NHS number, name, date of birth, postcode, contact details.
    nhs = ""
    nhs_at = f"{p}.identifier"
    for n, ident in enumerate(patient.identifier or []):
        if ident.system == codes.NHS_NUMBER:
            nhs_at = f"{p}.identifier[{n}].value"
            try:
                nhs = normalise_nhs_number(ident.value or "")
            except Exception as exc:
                issues.append(Issue("value", f"The Patient's NHS number is not valid: {_message(exc)}.", nhs_at))
                nhs = "invalid"
            break
    else:
        issues.append(
            Issue("required", f"Give the Patient's NHS number (identifier system {codes.NHS_NUMBER}).", nhs_at)
        )
    expressions["nhs_number"] = nhs_at
    names = patient.name or []
    name = next((x for x in names if x.use == "official"), names[0] if names else None)
    ni = names.index(name) if name is not None else 0
    given = " ".join(g for g in name.given or [] if g) if name else ""
    family = (name.family or "") if name else ""
    expressions["given_name"] = f"{p}.name[{ni}].given"
    expressions["family_name"] = f"{p}.name[{ni}].family"
    birth = patient.birthDate
    expressions["date_of_birth"] = f"{p}.birthDate"
    if not isinstance(birth, date):
        issues.append(Issue("required", "Give the Patient's full date of birth.", f"{p}.birthDate"))
    addresses = patient.address or []
    home = next((a for a in addresses if a.use == "home" and a.postalCode), None) or next(
        (a for a in addresses if a.postalCode), None
    )
    expressions["postcode"] = f"{p}.address[{addresses.index(home)}].postalCode" if home else f"{p}.address"
    email = phone = ""
    for n, point in enumerate(patient.telecom or []):
        if point.system == "email" and not email:
            email, expressions["email"] = point.value or "", f"{p}.telecom[{n}].value"
        if point.system in {"phone", "sms"} and (not phone or point.use == "mobile"):
            phone, expressions["phone"] = point.value or "", f"{p}.telecom[{n}].value"

    # ServiceRequest: why (health condition), what for (note), circumstances (extensions), consent.
    health = ""
    expressions["health_condition"] = f"{r}.reasonCode"
    for n, concept in enumerate(request.reasonCode or []):
        for coding in concept.coding or []:
            if coding.system == codes.CS_HEALTH_CONDITION and coding.code in HealthCondition.values:
                health = coding.code
            elif coding.system == codes.SNOMED and coding.code in codes.SNOMED_HEALTH_CONDITION:
                health = health or codes.SNOMED_HEALTH_CONDITION[coding.code].value
        if health:
            expressions["health_condition"] = f"{r}.reasonCode[{n}]"
            break
    employment, benefits, share = "", [], False
    expressions["employment_status"] = f"{r}.extension"
    expressions["benefits"] = f"{r}.extension"
    for n, ext in enumerate(request.extension or []):
        if ext.url == codes.EXT_EMPLOYMENT_STATUS:
            employment = _code(ext)
            expressions["employment_status"] = f"{r}.extension[{n}]"
            if employment not in EmploymentStatus.values:
                issues.append(
                    Issue("value", "Use an employment-status code from our code system.", f"{r}.extension[{n}]")
                )
        elif ext.url == codes.EXT_BENEFIT:
            code = _code(ext)
            if code not in Benefit.values:
                issues.append(Issue("value", "Use a benefit code from our code system.", f"{r}.extension[{n}]"))
            benefits.append(code)
            expressions["benefits"] = f"{r}.extension[{n}]"
        elif ext.url == codes.EXT_SHARE_PROGRESS:
            share = ext.valueBoolean is True
    help_wanted = "\n".join(note.text for note in request.note or [] if note.text)
    expressions["help_wanted"] = f"{r}.note"
    if issues:
        raise FhirProblem(422 if all(i.code in {"value", "required"} for i in issues) else 400, issues)
    details = {"sender_identifier": f"{identifier[0]}|{identifier[1]}"}
    data = ReferralInput(
        given_name=given,
        family_name=family,
        date_of_birth=birth,
        postcode=home.postalCode if home else "",
        employment_status=employment,
        health_condition=health,
        help_wanted=help_wanted,
        consent_referral=True,  # a clinician sends a referral the patient has agreed to (decision 005)
        consent_share_progress=share,
        email=email,
        phone=phone,
        nhs_number=nhs,
        benefits=benefits,
        route="clinical_system",
        details=details,
    )
    return Intake(data=data, identifier=identifier, patient_index=pi, request_index=ri, expressions=expressions)


def _code(ext) -> str:
    if ext.valueCoding is not None:
        return ext.valueCoding.code or ""
    return ext.valueCode or ""


def _message(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return messages[0] if messages else str(exc)
