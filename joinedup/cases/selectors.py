"""The cases app's reads that other apps use (its public API). Each is defined in the sub-package of
what it reads; inside cases, import from the sub-package."""

from .better_off.selectors import better_off_calculations, latest_better_off
from .enrolment.selectors import case_get, case_list, case_of_person, case_read_audit
from .facts import (
    CaseFacts,
    MilestoneFacts,
    WorkFacts,
    better_off_case_ids,
    case_facts,
    case_work,
    job_start_facts,
    plan_review_missed_case_ids,
    sustainment_facts,
)
from .plan.selectors import Plan, case_plan, open_goal_texts, plan_action_get
from .work.selectors import (
    MilestoneDue,
    case_ids_of_people,
    case_milestones,
    cases_seeking_work,
    employer_names_on_records,
    job_start_get,
    job_starts_at,
)

__all__ = [
    "CaseFacts",
    "MilestoneDue",
    "Plan",
    "better_off_calculations",
    "case_ids_of_people",
    "case_milestones",
    "case_of_person",
    "case_plan",
    "plan_action_get",
    "MilestoneFacts",
    "WorkFacts",
    "case_facts",
    "case_get",
    "case_list",
    "case_read_audit",
    "case_work",
    "cases_seeking_work",
    "better_off_case_ids",
    "employer_names_on_records",
    "job_start_facts",
    "job_start_get",
    "job_starts_at",
    "latest_better_off",
    "open_goal_texts",
    "plan_review_missed_case_ids",
    "sustainment_facts",
]
