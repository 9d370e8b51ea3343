"""What a clinical system says of the person's situation, as a GP system sends it: employment status as
an `Observation` (LOINC 67875-5 "Employment status - current", with its LOINC answers) and health
conditions as `Condition` resources (SNOMED CT), each in the Bundle and referred to from the
ServiceRequest's `reasonReference` or `supportingInfo`; beside our own extension and `reasonCode`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from joinedup.people.choices import EmploymentStatus, HealthCondition

from . import codes
from .reading import Found, Reading

if TYPE_CHECKING:
    from fhir.resources.R4B.servicerequest import ServiceRequest

_NOT_CURRENT_OBSERVATION = {"cancelled", "entered-in-error"}
_NOT_CURRENT_CONDITION = {"inactive", "resolved", "remission"}
_NOT_ASSERTED = {"refuted", "entered-in-error"}
_ANSWERS = ", ".join(f"{code} {label}" for code, (label, _) in codes.LOINC_EMPLOYMENT_ANSWERS.items())


def _codings(concept: Any) -> list[Any]:
    return list(getattr(concept, "coding", None) or [])


def _coded(concept: Any, system: str, code: str) -> bool:
    return any(c.system == system and c.code == code for c in _codings(concept))


# Employment status ------------------------------------------------------------------------------


def employment_status(reading: Reading, request: ServiceRequest, extension: tuple[str, str] | None) -> str:
    """Our employment-status code from the Observation, the extension (`(code, where)`), or both agreeing."""
    observations = [
        (at, found)
        for at, found in reading.referenced(request)
        if found.kind == "Observation" and _coded(found.resource.code, codes.LOINC, codes.LOINC_EMPLOYMENT_STATUS)
    ]
    if not observations:
        if extension is None:
            reading.problem(
                "required",
                "Give the person's employment status: an Observation coded LOINC 67875-5 (Employment status - "
                "current) in the Bundle, referred to from the ServiceRequest's supportingInfo, or our "
                "employment-status extension.",
                f"{reading.request}.supportingInfo",
                about="employment_status",
            )
        return extension[0] if extension else ""
    _, found = observations[0]
    reading.read_for[found.index] = "Read for the person's employment status."
    allowed = _observed(reading, found)
    if allowed is None:
        return extension[0] if extension else ""
    return _agreed(reading, found, allowed, extension)


def _observed(reading: Reading, found: Found) -> frozenset[str] | None:
    """The codes of ours the Observation's answer allows; None (with a problem) when it cannot be read."""
    obs, at = found.resource, found.at
    reading.expressions["employment_status"] = f"{at}.valueCodeableConcept"
    if obs.status in _NOT_CURRENT_OBSERVATION:
        reading.problem(
            "value", f"The employment-status Observation is {obs.status}: send a current one.", f"{at}.status",
            about="employment_status",
        )  # fmt: skip
        return None
    if not reading.about_the_patient(found, obs.subject, "employment-status Observation"):
        reading.reported.add("employment_status")
        return None
    allowed: frozenset[str] | None = None
    for coding in _codings(obs.valueCodeableConcept):
        if coding.system == codes.LOINC and coding.code in codes.LOINC_EMPLOYMENT_ANSWERS:
            these = codes.LOINC_EMPLOYMENT_ANSWERS[coding.code][1]
        elif coding.system == codes.CS_EMPLOYMENT_STATUS and coding.code in EmploymentStatus.values:
            these = frozenset({coding.code})
        else:
            continue
        allowed = these if allowed is None else allowed & these
    if allowed is None:
        reading.problem(
            "value",
            f"Answer the employment-status Observation with one of LOINC's answers ({_ANSWERS}) in "
            "valueCodeableConcept.",
            f"{at}.valueCodeableConcept",
            about="employment_status",
        )
    return allowed


def _agreed(reading: Reading, found: Found, allowed: frozenset[str], extension: tuple[str, str] | None) -> str:
    at = f"{found.at}.valueCodeableConcept"
    if extension is not None:
        if extension[0] in allowed or extension[0] not in EmploymentStatus.values:
            return extension[0]  # the finer code; an unknown one is reported where the extension is read
        reading.problem(
            "value",
            "The employment-status extension and the employment-status Observation disagree: send one status.",
            extension[1],
            about="employment_status",
        )
        return extension[0]
    if len(allowed) == 1:
        return next(iter(allowed))
    if not allowed:
        reading.problem(
            "required",
            "The person did not say their employment status, and a referral needs it: ask them, then send it.",
            at,
            about="employment_status",
        )
        return ""
    reading.problem(
        "value",
        "The Observation says the person is in work: say whether they are off sick (employed_off_sick) or at "
        f"risk of losing their job (employed_at_risk), with a coding in {codes.CS_EMPLOYMENT_STATUS} beside the "
        "LOINC answer, or with our employment-status extension.",
        at,
        about="employment_status",
    )
    return ""


# Health condition -------------------------------------------------------------------------------


def _health_code(concept: Any) -> str:
    """Our health-condition code for a concept: ours first, else a SNOMED CT code we map; blank when neither."""
    health = ""
    for coding in _codings(concept):
        if coding.system == codes.CS_HEALTH_CONDITION and coding.code in HealthCondition.values:
            return str(coding.code)
        if coding.system == codes.SNOMED and coding.code in codes.SNOMED_HEALTH_CONDITION:
            health = health or codes.SNOMED_HEALTH_CONDITION[coding.code].value
    return health


def health_condition(reading: Reading, request: ServiceRequest) -> str:
    """The main health condition: the first reason in `reasonCode` we read, else the first current
    Condition referred to from `reasonReference`, then `supportingInfo`."""
    r = reading.request
    reading.expressions["health_condition"] = f"{r}.reasonCode"
    unread: list[str] = []
    for n, concept in enumerate(request.reasonCode or []):
        health = _health_code(concept)
        if health:
            reading.expressions["health_condition"] = f"{r}.reasonCode[{n}]"
            return health
        unread += [f"{c.system} {c.code}" for c in _codings(concept) if c.code]
    for _, found in reading.referenced(request):
        if found.kind == "Condition" and _current_condition(reading, found):
            health = _health_code(found.resource.code)
            if health:
                reading.expressions["health_condition"] = f"{found.at}.code"
                reading.read_for[found.index] = "Read for the person's main health condition."
                return health
            unread += [f"{c.system} {c.code}" for c in _codings(found.resource.code) if c.code]
    if "health_condition" not in reading.reported:
        _no_health_condition(reading, unread)
    return ""


def _current_condition(reading: Reading, found: Found) -> bool:
    condition = found.resource
    clinical = {c.code for c in _codings(condition.clinicalStatus)}
    verified = {c.code for c in _codings(condition.verificationStatus)}
    if clinical & _NOT_CURRENT_CONDITION or verified & _NOT_ASSERTED:
        return False
    if not reading.about_the_patient(found, condition.subject, "Condition"):
        reading.reported.add("health_condition")
        return False
    return True


def _no_health_condition(reading: Reading, unread: list[str]) -> None:
    snomed = ", ".join(codes.SNOMED_HEALTH_CONDITION)
    sent = f" We do not read {'; '.join(unread[:5])}." if unread else ""
    reading.problem(
        "value" if unread else "required",
        "Give the main health condition: a reasonCode, or a current Condition in the Bundle referred to from "
        f"reasonReference or supportingInfo, coded in SNOMED CT ({snomed}) or in {codes.CS_HEALTH_CONDITION}.{sent}",
        reading.expressions["health_condition"],
        about="health_condition",
    )
