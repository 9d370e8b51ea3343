"""The FHIR interface's identifiers, code systems and extensions (documented in docs/fhir.md).

The project's own canonical URLs start with `BASE`; they name things and need not resolve.
"""

from __future__ import annotations

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals.statuses import DECLINE_REASONS

BASE = "https://joined-up.github.io/fhir"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED = "http://snomed.info/sct"
REFERENCE = f"{BASE}/Id/referral-reference"

CS_EMPLOYMENT_STATUS = f"{BASE}/CodeSystem/employment-status"
CS_BENEFIT = f"{BASE}/CodeSystem/benefit"
CS_HEALTH_CONDITION = f"{BASE}/CodeSystem/health-condition"
CS_DECLINE_REASON = f"{BASE}/CodeSystem/decline-reason"
CS_TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"

EXT_EMPLOYMENT_STATUS = f"{BASE}/StructureDefinition/employment-status"
EXT_BENEFIT = f"{BASE}/StructureDefinition/benefit"
EXT_SHARE_PROGRESS = f"{BASE}/StructureDefinition/share-progress-consent"

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
