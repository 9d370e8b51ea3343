"""The FHIR interface's identifiers, code systems and extensions (documented in docs/fhir.md).

The project's own canonical URLs start with `BASE`; they name things and need not resolve.
"""

from __future__ import annotations

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals.statuses import DECLINE_REASONS

BASE = "https://joined-up.github.io/fhir"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
REFERENCE = f"{BASE}/Id/referral-reference"

# What an identifier a requester carries is called, for the people reading the referral.
IDENTIFIER_LABELS = {
    "https://fhir.nhs.uk/Id/ods-organization-code": "ODS code",
    "https://fhir.nhs.uk/Id/sds-user-id": "SDS user ID",
    "https://fhir.nhs.uk/Id/sds-role-profile-id": "SDS role profile ID",
    "https://fhir.hl7.org.uk/Id/gmc-number": "GMC number",
    "https://fhir.hl7.org.uk/Id/nmc-number": "NMC PIN",
    "https://fhir.hl7.org.uk/Id/hcpc-number": "HCPC number",
}

CS_EMPLOYMENT_STATUS = f"{BASE}/CodeSystem/employment-status"
CS_BENEFIT = f"{BASE}/CodeSystem/benefit"
CS_HEALTH_CONDITION = f"{BASE}/CodeSystem/health-condition"
CS_DECLINE_REASON = f"{BASE}/CodeSystem/decline-reason"
CS_TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"

EXT_EMPLOYMENT_STATUS = f"{BASE}/StructureDefinition/employment-status"
EXT_BENEFIT = f"{BASE}/StructureDefinition/benefit"
EXT_SHARE_PROGRESS = f"{BASE}/StructureDefinition/share-progress-consent"

# The SDOH Clinical Care guide's value set for a referral Task's status: FHIR's task-status codes but
# `ready` and `received` (http://hl7.org/fhir/us/sdoh-clinicalcare, SDOHCC-ValueSetReferralTaskStatus).
VS_REFERRAL_TASK_STATUS = "http://hl7.org/fhir/us/sdoh-clinicalcare/ValueSet/SDOHCC-ValueSetReferralTaskStatus"
REFERRAL_TASK_STATUSES = frozenset(
    {
        "draft",
        "requested",
        "accepted",
        "rejected",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
)

# Employment status as a GP system records it: an Observation coded LOINC 67875-5, answered with one
# of its LOINC answers. Each answer allows these of our codes; "in work" needs our code to say which.
LOINC_EMPLOYMENT_STATUS = "67875-5"  # Employment status - current
LOINC_EMPLOYMENT_ANSWERS: dict[str, tuple[str, frozenset[str]]] = {
    "LA17956-6": ("Unemployed", frozenset({EmploymentStatus.UNEMPLOYED.value})),
    "LA30138-4": (
        "Part-time or temporary work",
        frozenset({EmploymentStatus.OFF_SICK.value, EmploymentStatus.AT_RISK.value}),
    ),
    "LA30136-8": (
        "Full-time work",
        frozenset({EmploymentStatus.OFF_SICK.value, EmploymentStatus.AT_RISK.value}),
    ),
    "LA30137-6": ("Otherwise unemployed but not seeking work", frozenset({EmploymentStatus.INACTIVE.value})),
    "LA30122-8": ("I choose not to answer this question", frozenset()),
}

CODE_SYSTEMS: dict[str, dict[str, str]] = {
    CS_EMPLOYMENT_STATUS: dict(EmploymentStatus.choices),
    CS_BENEFIT: dict(Benefit.choices),
    CS_HEALTH_CONDITION: dict(HealthCondition.choices),
    CS_DECLINE_REASON: {r.code: r.label for r in DECLINE_REASONS.values()},
}

# A few SNOMED CT findings a GP system is likely to send, mapped to our health-condition codes.
SNOMED_HEALTH_CONDITION: dict[str, HealthCondition] = {
    "35489007": HealthCondition.MENTAL_HEALTH,  # Depressive disorder
    "197480006": HealthCondition.MENTAL_HEALTH,  # Anxiety disorder
    "279039007": HealthCondition.MUSCULOSKELETAL,  # Low back pain
    "73211009": HealthCondition.LONG_TERM,  # Diabetes mellitus
    "84757009": HealthCondition.NEUROLOGICAL,  # Epilepsy
    "110359009": HealthCondition.LEARNING_DISABILITY,  # Intellectual disability
    "408856003": HealthCondition.AUTISM,  # Autistic disorder
    "7200002": HealthCondition.SUBSTANCE,  # Alcoholism
}
