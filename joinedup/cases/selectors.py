"""The cases app's reads that other apps use (its public API). Each is defined in the sub-package of
what it reads; inside cases, import from the sub-package."""

from .enrolment.selectors import case_get, case_list, case_read_audit
from .facts import CaseFacts, WorkFacts, case_facts, cases_with_better_off, job_start_facts, sustainment_facts

__all__ = [
    "CaseFacts",
    "WorkFacts",
    "case_facts",
    "case_get",
    "case_list",
    "case_read_audit",
    "cases_with_better_off",
    "job_start_facts",
    "sustainment_facts",
]
