"""The cases app's reads that other apps use (its public API). Each is defined in the sub-package of
what it reads; inside cases, import from the sub-package."""

from .enrolment.selectors import case_get, case_list, case_read_audit
from .facts import (
    CaseFacts,
    MilestoneFacts,
    WorkFacts,
    case_facts,
    case_work,
    cases_with_better_off,
    job_start_facts,
    sustainment_facts,
)

__all__ = [
    "CaseFacts",
    "MilestoneFacts",
    "WorkFacts",
    "case_facts",
    "case_get",
    "case_work",
    "case_list",
    "case_read_audit",
    "cases_with_better_off",
    "job_start_facts",
    "sustainment_facts",
]
