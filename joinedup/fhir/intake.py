"""Reading a FHIR R4 transaction Bundle into a `ReferralInput`.

Parsing and validation only; the referral itself is made by `referrals.services.referral_create`.
Every problem is an `Issue` naming the failing element as a FHIRPath expression, so the sender can
see which element to fix, and every problem comes back at once: the structure of every entry
(`structure`), our reading of the Patient and ServiceRequest, and the referral's own rules
(`referrals.services.referral_problems`, the same rules as every other channel), in one
OperationOutcome.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from joinedup.people.choices import Benefit, EmploymentStatus
from joinedup.people.validators import normalise_nhs_number
from joinedup.referrals.services import ReferralInput, referral_problems

from . import clinical, codes, current
from .reading import Reading
from .requester import requester
from .structure import FhirProblem, Issue, Shape, parse_json, shape

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import BundleEntry
    from fhir.resources.R4B.extension import Extension
    from fhir.resources.R4B.patient import Patient
    from fhir.resources.R4B.servicerequest import ServiceRequest

__all__ = ["FhirProblem", "Intake", "Issue", "parse_json", "read_bundle"]

IDEMPOTENCY = uuid.UUID("0f6c2f52-7c1e-4c8e-9d0c-6f7f3f6b9a10")
_CREATED = ("Patient", "ServiceRequest")  # the entries the transaction creates (as a person and a referral)
_INPUT_FIELDS = frozenset(f.name for f in fields(ReferralInput))


@dataclass
class Intake:
    data: ReferralInput
    identifier: tuple[str, str]  # (system, value) the resubmission key is made from
    patient_index: int
    request_index: int
    kinds: list[str] = field(default_factory=list)  # every entry's resource type, in order
    read_for: dict[int, str] = field(default_factory=dict)  # entry index -> what the referral took from it
    expressions: dict[str, str] = field(default_factory=dict)  # ReferralInput field -> FHIRPath

    def submission_key(self, organisation_id: uuid.UUID) -> uuid.UUID:
        """The same identifier from the same organisation always gives the same key (idempotent)."""
        system, value = self.identifier
        return uuid.uuid5(IDEMPOTENCY, f"{organisation_id}|{system}|{value}")


def read_bundle(body: bytes) -> Intake:
    read = shape(parse_json(body))
    pi, ri = _patient_and_request(read)
    pentry, rentry = read.entries[pi] if pi is not None else None, read.entries[ri] if ri is not None else None
    reading = Reading(
        patient=f"Bundle.entry[{pi}].resource",
        request=f"Bundle.entry[{ri}].resource",
        entries=read.entries,
        patient_targets=_targets(pentry),
        issues=list(read.issues),
        structural=bool(read.issues),
    )
    _check_creates(reading, read)
    values: dict[str, Any] = {}
    identifier = None
    # The entries were picked by resource type, so these are a Patient and a ServiceRequest.
    if pentry is not None:
        values |= _patient_fields(reading, cast("Patient", pentry.resource))
    if rentry is not None:
        request = cast("ServiceRequest", rentry.resource)
        _check_subject(reading, request, pentry)
        _check_order(reading, request)
        identifier = _resubmission_identifier(reading, read, request)
        values |= _request_fields(reading, request)
    if identifier is not None:
        values["details"] = {"sender_identifier": f"{identifier[0]}|{identifier[1]}"}
    _referral_rules(reading, values)
    reading.raise_any()
    assert pi is not None and ri is not None and identifier is not None  # else raise_any raised
    data = ReferralInput(
        **values,
        consent_referral=True,  # a clinician sends a referral the patient has agreed to (decision 005)
        route="clinical_system",
    )
    return Intake(
        data=data,
        identifier=identifier,
        patient_index=pi,
        request_index=ri,
        kinds=read.kinds,
        read_for=reading.read_for,
        expressions=reading.expressions,
    )


def _patient_and_request(read: Shape) -> tuple[int | None, int | None]:
    """The index of the Bundle's one Patient and one ServiceRequest (None where that entry is malformed)."""
    found: dict[str, int | None] = {}
    for kind in _CREATED:
        at = [i for i, k in enumerate(read.kinds) if k == kind]
        if len(at) != 1:
            code = "required" if not at else "invalid"
            read.issues.append(Issue(code, f"Send exactly one {kind}.", "Bundle.entry"))
        found[kind] = at[0] if len(at) == 1 and read.entries[at[0]] is not None else None
    return found["Patient"], found["ServiceRequest"]


def _targets(pentry: BundleEntry | None) -> frozenset[str]:
    """The references that mean the Patient: its fullUrl, or Patient/{id}."""
    if pentry is None:
        return frozenset()
    rid = pentry.resource.id if pentry.resource is not None else None
    return frozenset(t for t in (pentry.fullUrl, f"Patient/{rid}" if rid else None) if t)


def _check_creates(reading: Reading, read: Shape) -> None:
    """The Patient and ServiceRequest entries ask the transaction to create them."""
    for i, entry in enumerate(read.entries):
        kind = read.kinds[i]
        if entry is None or kind not in _CREATED:
            continue
        if entry.request is None or entry.request.method != "POST" or entry.request.url != kind:
            reading.problem(
                "invalid", f"A transaction creates the {kind} with request POST {kind}.", f"Bundle.entry[{i}].request"
            )


def _check_subject(reading: Reading, request: ServiceRequest, pentry: BundleEntry | None) -> None:
    """The ServiceRequest is about this Patient."""
    r = reading.request
    subject = request.subject.reference if request.subject else None
    if not subject:
        reading.problem("required", "The ServiceRequest needs a subject: the Patient.", f"{r}.subject")
    elif pentry is not None and subject not in reading.patient_targets:
        reading.problem(
            "invalid",
            "The ServiceRequest's subject must refer to the Patient in this Bundle (its fullUrl).",
            f"{r}.subject.reference",
        )


def _check_order(reading: Reading, request: ServiceRequest) -> None:
    """The ServiceRequest is an active order."""
    if request.status != "active":
        reading.problem("value", "The ServiceRequest's status must be 'active'.", f"{reading.request}.status")
    if request.intent not in {"order", "original-order"}:
        reading.problem("value", "The ServiceRequest's intent must be 'order'.", f"{reading.request}.intent")


def _resubmission_identifier(reading: Reading, read: Shape, request: ServiceRequest) -> tuple[str, str] | None:
    """Which identifier makes a resubmission the same referral: the ServiceRequest's, else the Bundle's."""
    r = reading.request
    identifier = None
    for where, idents in ((f"{r}.identifier", request.identifier), ("Bundle.identifier", [read.bundle.identifier])):
        ident = next((x for x in idents or [] if x is not None and x.value), None)
        if ident is not None:
            if not ident.system:
                reading.problem("required", "The identifier needs a system as well as a value.", f"{where}.system")
            identifier = (ident.system or "", ident.value or "")
            reading.expressions["sender_identifier"] = f"{where}.value"
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


# The Patient ------------------------------------------------------------------------------------


def _patient_fields(reading: Reading, patient: Patient) -> dict[str, Any]:
    """The Patient's part of the referral: NHS number, name, date of birth, postcode, contact details."""
    given, family = _name(reading, patient)
    email, phone = _contact(reading, patient)
    return {
        "nhs_number": _nhs_number(reading, patient),
        "given_name": given,
        "family_name": family,
        "date_of_birth": _birth_date(reading, patient),
        "postcode": _postcode(reading, patient),
        "email": email,
        "phone": phone,
    }


def _nhs_number(reading: Reading, patient: Patient) -> str:
    """The NHS number normalised; a problem when it is not valid or missing."""
    nhs = ""
    nhs_at = f"{reading.patient}.identifier"
    for n, ident in enumerate(patient.identifier or []):
        if ident.system == codes.NHS_NUMBER:
            nhs_at = f"{reading.patient}.identifier[{n}].value"
            try:
                nhs = normalise_nhs_number(ident.value or "")
            except Exception as exc:
                reading.problem(
                    "value", f"The Patient's NHS number is not valid: {_message(exc)}.", nhs_at, about="nhs_number"
                )
                nhs = "invalid"
            break
    else:
        reading.problem(
            "required",
            f"Give the Patient's NHS number (identifier system {codes.NHS_NUMBER}).",
            nhs_at,
            about="nhs_number",
        )
    reading.expressions["nhs_number"] = nhs_at
    return nhs


def _name(reading: Reading, patient: Patient) -> tuple[str, str]:
    """(given, family) from the current name of the best use (`current.NAME_USES`)."""
    chosen = current.choose(patient.name or [], current.NAME_USES, reading.today)
    ni, name = chosen if chosen is not None else (0, None)
    reading.expressions["given_name"] = f"{reading.patient}.name[{ni}].given"
    reading.expressions["family_name"] = f"{reading.patient}.name[{ni}].family"
    if name is None:
        return "", ""
    return " ".join(g for g in name.given or [] if g), name.family or ""


def _birth_date(reading: Reading, patient: Patient) -> Any:
    """The date of birth; anything but a full date is a problem (and is passed on as it is)."""
    birth = patient.birthDate
    reading.expressions["date_of_birth"] = f"{reading.patient}.birthDate"
    if not isinstance(birth, date):
        reading.problem(
            "required", "Give the Patient's full date of birth.", f"{reading.patient}.birthDate", about="date_of_birth"
        )
    return birth


def _postcode(reading: Reading, patient: Patient) -> str:
    """The postcode of the current address of the best use (`current.ADDRESS_USES`: home first)."""
    p = reading.patient
    indexed = [(n, a) for n, a in enumerate(patient.address or []) if a.postalCode]
    chosen = current.choose([a for _, a in indexed], current.ADDRESS_USES, reading.today)
    if chosen is None:
        reading.expressions["postcode"] = f"{p}.address"
        return ""
    n = indexed[chosen[0]][0]
    reading.expressions["postcode"] = f"{p}.address[{n}].postalCode"
    return chosen[1].postalCode or ""


def _contact(reading: Reading, patient: Patient) -> tuple[str, str]:
    """(email, phone): the first email; a mobile phone, else the first phone or sms number."""
    email = phone = ""
    for n, point in enumerate(patient.telecom or []):
        if point.system == "email" and not email:
            email, reading.expressions["email"] = point.value or "", f"{reading.patient}.telecom[{n}].value"
        if point.system in {"phone", "sms"} and (not phone or point.use == "mobile"):
            phone, reading.expressions["phone"] = point.value or "", f"{reading.patient}.telecom[{n}].value"
    return email, phone


# The ServiceRequest -----------------------------------------------------------------------------


def _request_fields(reading: Reading, request: ServiceRequest) -> dict[str, Any]:
    """The ServiceRequest's part: why (health condition), circumstances, what for (note), who asked."""
    extension, benefits, share = _circumstances(reading, request)
    reading.expressions["help_wanted"] = f"{reading.request}.note"
    return {
        "health_condition": clinical.health_condition(reading, request),
        "employment_status": clinical.employment_status(reading, request, extension),
        "benefits": benefits,
        "consent_share_progress": share,
        "help_wanted": "\n".join(note.text for note in request.note or [] if note.text),
        "requester": requester(reading, request),
    }


def _circumstances(reading: Reading, request: ServiceRequest) -> tuple[tuple[str, str] | None, list[str], bool]:
    """(employment status and where, benefits, consent to share progress) from the ServiceRequest's extensions."""
    employment: tuple[str, str] | None = None
    benefits: list[str] = []
    share = False
    reading.expressions["benefits"] = f"{reading.request}.extension"
    for n, ext in enumerate(request.extension or []):
        at = f"{reading.request}.extension[{n}]"
        if ext.url == codes.EXT_EMPLOYMENT_STATUS:
            employment = (_code(ext), at)
            reading.expressions["employment_status"] = at
            if employment[0] not in EmploymentStatus.values:
                reading.problem(
                    "value", "Use an employment-status code from our code system.", at, about="employment_status"
                )
        elif ext.url == codes.EXT_BENEFIT:
            code = _code(ext)
            if code not in Benefit.values:
                reading.problem("value", "Use a benefit code from our code system.", at, about="benefits")
            benefits.append(code)
            reading.expressions["benefits"] = at
        elif ext.url == codes.EXT_SHARE_PROGRESS:
            share = ext.valueBoolean is True
    return employment, benefits, share


def _code(ext: Extension) -> str:
    if ext.valueCoding is not None:
        return ext.valueCoding.code or ""
    return ext.valueCode or ""


def _referral_rules(reading: Reading, values: dict[str, Any]) -> None:
    """The referral's own rules (as every channel has them) on what was read, beside the problems found
    reading it: a field already reported is not reported twice."""
    checked = {k: v for k, v in values.items() if k in _INPUT_FIELDS and k not in reading.reported}
    checked["route"] = "clinical_system"
    for name, message in referral_problems(checked).items():
        if name in reading.reported:
            continue
        where = reading.expressions.get(name, "")
        blank = values.get(name) in {"", None, ()} or values.get(name) == []
        reading.problem("required" if blank else "value", message, where)


def _message(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return messages[0] if messages else str(exc)
