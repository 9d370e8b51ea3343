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
from typing import TYPE_CHECKING, Any, cast

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.people.validators import normalise_nhs_number
from joinedup.referrals.services import ReferralInput

from . import codes

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import BundleEntry
    from fhir.resources.R4B.patient import Patient
    from fhir.resources.R4B.servicerequest import ServiceRequest

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


@dataclass
class _Reading:
    """One Bundle being read: the problems found so far, in order, and where each field came from."""

    patient: str  # FHIRPath of the Patient resource, Bundle.entry[i].resource
    request: str  # FHIRPath of the ServiceRequest resource
    issues: list[Issue] = field(default_factory=list)
    expressions: dict[str, str] = field(default_factory=dict)  # ReferralInput field -> FHIRPath

    def problem(self, code: str, diagnostics: str, expression: str) -> None:
        self.issues.append(Issue(code, diagnostics, expression))

    def raise_any(self) -> None:
        """Every problem at once: 422 when each is a missing or wrong value, 400 otherwise."""
        if self.issues:
            raise FhirProblem(422 if all(i.code in {"value", "required"} for i in self.issues) else 400, self.issues)


def read_bundle(body: bytes) -> Intake:
    bundle = _structure(parse_json(body))
    (pi, pentry), (ri, rentry) = _patient_and_request(bundle)
    # The entries were picked by resource type, so these are a Patient and a ServiceRequest.
    patient, request = cast("Patient", pentry.resource), cast("ServiceRequest", rentry.resource)
    reading = _Reading(patient=f"Bundle.entry[{pi}].resource", request=f"Bundle.entry[{ri}].resource")
    _check_creates(reading, ((pi, pentry), (ri, rentry)))
    _check_subject(reading, request, pentry)
    _check_order(reading, request)
    identifier = _resubmission_identifier(reading, bundle, request)
    patient_fields = _patient_fields(reading, patient)
    request_fields = _request_fields(reading, request)
    reading.raise_any()
    data = ReferralInput(
        **patient_fields,
        **request_fields,
        consent_referral=True,  # a clinician sends a referral the patient has agreed to (decision 005)
        route="clinical_system",
        details={"sender_identifier": f"{identifier[0]}|{identifier[1]}"},
    )
    return Intake(data=data, identifier=identifier, patient_index=pi, request_index=ri, expressions=reading.expressions)


def _patient_and_request(bundle: Bundle) -> tuple[tuple[int, BundleEntry], tuple[int, BundleEntry]]:
    """The Bundle's one Patient entry and one ServiceRequest entry, each with its index."""
    found = {
        kind: [(i, e) for i, e in enumerate(bundle.entry) if e.resource.get_resource_type() == kind]
        for kind in ("Patient", "ServiceRequest")
    }
    issues = [
        Issue("required" if not entries else "invalid", f"Send exactly one {kind}.", "Bundle.entry")
        for kind, entries in found.items()
        if len(entries) != 1
    ]
    if issues:
        raise FhirProblem(400, issues)
    return found["Patient"][0], found["ServiceRequest"][0]


def _check_creates(reading: _Reading, entries: tuple[tuple[int, BundleEntry], ...]) -> None:
    """Each entry asks the transaction to create its resource."""
    for i, entry in entries:
        kind = entry.resource.get_resource_type()
        if entry.request is None or entry.request.method != "POST" or entry.request.url != kind:
            reading.problem(
                "invalid", f"A transaction creates the {kind} with request POST {kind}.", f"Bundle.entry[{i}].request"
            )


def _check_subject(reading: _Reading, request: ServiceRequest, pentry: BundleEntry) -> None:
    """The ServiceRequest is about this Patient."""
    r = reading.request
    subject = request.subject.reference if request.subject else None
    targets = {pentry.fullUrl, f"Patient/{pentry.resource.id}" if pentry.resource.id else None} - {None}
    if not subject:
        reading.problem("required", "The ServiceRequest needs a subject: the Patient.", f"{r}.subject")
    elif subject not in targets:
        reading.problem(
            "invalid",
            "The ServiceRequest's subject must refer to the Patient in this Bundle (its fullUrl).",
            f"{r}.subject.reference",
        )


def _check_order(reading: _Reading, request: ServiceRequest) -> None:
    """The ServiceRequest is an active order."""
    if request.status != "active":
        reading.problem("value", "The ServiceRequest's status must be 'active'.", f"{reading.request}.status")
    if request.intent not in {"order", "original-order"}:
        reading.problem("value", "The ServiceRequest's intent must be 'order'.", f"{reading.request}.intent")


def _resubmission_identifier(reading: _Reading, bundle: Bundle, request: ServiceRequest) -> tuple[str, str] | None:
    """Which identifier makes a resubmission the same referral: the ServiceRequest's, else the Bundle's."""
    r = reading.request
    identifier = None
    for where, idents in ((f"{r}.identifier", request.identifier), ("Bundle.identifier", [bundle.identifier])):
        ident = next((x for x in idents or [] if x is not None and x.value), None)
        if ident is not None:
            if not ident.system:
                reading.problem("required", "The identifier needs a system as well as a value.", f"{where}.system")
            identifier = (ident.system or "", ident.value)
            break
    if identifier is None:
        reading.problem(
            "required",
            "Give the ServiceRequest an identifier (or the Bundle one), so a resubmission is recognised.",
            f"{r}.identifier",
        )
    elif len(identifier[0]) + len(identifier[1]) > 400:
        reading.problem("value", "The identifier must be 400 characters or fewer.", f"{r}.identifier")
    return identifier


def _patient_fields(reading: _Reading, patient: Patient) -> dict[str, Any]:
    """The Patient's part of the referral: NHS number, name, date of birth, postcode, contact details."""
    nhs = _nhs_number(reading, patient)
    given, family = _name(reading, patient)
    birth = _birth_date(reading, patient)
    postcode = _postcode(reading, patient)
    email, phone = _contact(reading, patient)
    return {
        "nhs_number": nhs,
        "given_name": given,
        "family_name": family,
        "date_of_birth": birth,
        "postcode": postcode,
        "email": email,
        "phone": phone,
    }


def _nhs_number(reading: _Reading, patient: Patient) -> str:
    """The NHS number normalised; "invalid" for one that is not valid (a problem), blank when missing (another)."""
    nhs = ""
    nhs_at = f"{reading.patient}.identifier"
    for n, ident in enumerate(patient.identifier or []):
        if ident.system == codes.NHS_NUMBER:
            nhs_at = f"{reading.patient}.identifier[{n}].value"
            try:
                nhs = normalise_nhs_number(ident.value or "")
            except Exception as exc:
                reading.problem("value", f"The Patient's NHS number is not valid: {_message(exc)}.", nhs_at)
                nhs = "invalid"
            break
    else:
        reading.problem("required", f"Give the Patient's NHS number (identifier system {codes.NHS_NUMBER}).", nhs_at)
    reading.expressions["nhs_number"] = nhs_at
    return nhs


def _name(reading: _Reading, patient: Patient) -> tuple[str, str]:
    """(given, family) from the official name, else the first."""
    names = patient.name or []
    name = next((x for x in names if x.use == "official"), names[0] if names else None)
    ni = names.index(name) if name is not None else 0
    given = " ".join(g for g in name.given or [] if g) if name else ""
    family = (name.family or "") if name else ""
    reading.expressions["given_name"] = f"{reading.patient}.name[{ni}].given"
    reading.expressions["family_name"] = f"{reading.patient}.name[{ni}].family"
    return given, family


def _birth_date(reading: _Reading, patient: Patient) -> Any:
    """The date of birth; anything but a full date is a problem (and is passed on as it is)."""
    birth = patient.birthDate
    reading.expressions["date_of_birth"] = f"{reading.patient}.birthDate"
    if not isinstance(birth, date):
        reading.problem("required", "Give the Patient's full date of birth.", f"{reading.patient}.birthDate")
    return birth


def _postcode(reading: _Reading, patient: Patient) -> str:
    """The home address's postcode, else the first address's that has one."""
    addresses = patient.address or []
    home = next((a for a in addresses if a.use == "home" and a.postalCode), None) or next(
        (a for a in addresses if a.postalCode), None
    )
    p = reading.patient
    reading.expressions["postcode"] = f"{p}.address[{addresses.index(home)}].postalCode" if home else f"{p}.address"
    return home.postalCode if home else ""


def _contact(reading: _Reading, patient: Patient) -> tuple[str, str]:
    """(email, phone): the first email; a mobile phone, else the first phone or sms number."""
    email = phone = ""
    for n, point in enumerate(patient.telecom or []):
        if point.system == "email" and not email:
            email, reading.expressions["email"] = point.value or "", f"{reading.patient}.telecom[{n}].value"
        if point.system in {"phone", "sms"} and (not phone or point.use == "mobile"):
            phone, reading.expressions["phone"] = point.value or "", f"{reading.patient}.telecom[{n}].value"
    return email, phone


def _request_fields(reading: _Reading, request: ServiceRequest) -> dict[str, Any]:
    """The ServiceRequest's part: why (health condition), circumstances (extensions), what for (note)."""
    health = _health_condition(reading, request)
    employment, benefits, share = _circumstances(reading, request)
    reading.expressions["help_wanted"] = f"{reading.request}.note"
    return {
        "health_condition": health,
        "employment_status": employment,
        "benefits": benefits,
        "consent_share_progress": share,
        "help_wanted": "\n".join(note.text for note in request.note or [] if note.text),
    }


def _health_condition(reading: _Reading, request: ServiceRequest) -> str:
    """The first reason coded in our code system or a SNOMED code we map (ours preferred within a reason)."""
    health = ""
    reading.expressions["health_condition"] = f"{reading.request}.reasonCode"
    for n, concept in enumerate(request.reasonCode or []):
        for coding in concept.coding or []:
            if coding.system == codes.CS_HEALTH_CONDITION and coding.code in HealthCondition.values:
                health = coding.code
            elif coding.system == codes.SNOMED and coding.code in codes.SNOMED_HEALTH_CONDITION:
                health = health or codes.SNOMED_HEALTH_CONDITION[coding.code].value
        if health:
            reading.expressions["health_condition"] = f"{reading.request}.reasonCode[{n}]"
            break
    return health


def _circumstances(reading: _Reading, request: ServiceRequest) -> tuple[str, list[str], bool]:
    """(employment status, benefits, consent to share progress) from the ServiceRequest's extensions."""
    employment, benefits, share = "", [], False
    reading.expressions["employment_status"] = f"{reading.request}.extension"
    reading.expressions["benefits"] = f"{reading.request}.extension"
    for n, ext in enumerate(request.extension or []):
        at = f"{reading.request}.extension[{n}]"
        if ext.url == codes.EXT_EMPLOYMENT_STATUS:
            employment = _code(ext)
            reading.expressions["employment_status"] = at
            if employment not in EmploymentStatus.values:
                reading.problem("value", "Use an employment-status code from our code system.", at)
        elif ext.url == codes.EXT_BENEFIT:
            code = _code(ext)
            if code not in Benefit.values:
                reading.problem("value", "Use a benefit code from our code system.", at)
            benefits.append(code)
            reading.expressions["benefits"] = at
        elif ext.url == codes.EXT_SHARE_PROGRESS:
            share = ext.valueBoolean is True
    return employment, benefits, share


def _code(ext) -> str:
    if ext.valueCoding is not None:
        return ext.valueCoding.code or ""
    return ext.valueCode or ""


def _message(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return messages[0] if messages else str(exc)
