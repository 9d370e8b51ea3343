"""The cases app's writes that other apps use (its public API). Each is defined in the sub-package
of what it writes; inside cases, import from the sub-package."""

from .contacts.services import contact_from_person, contact_record, contact_reply_to_person
from .enrolment.services import case_enrol, case_next_step_set
from .plan.services import plan_action_add, plan_action_done_by_person, plan_goal_add
from .support.services import case_exit
from .wellbeing.services import assessment_record, wellbeing_record
from .work.services import job_application_record, job_start_record, sustainment_record

__all__ = [
    "assessment_record",
    "case_enrol",
    "case_exit",
    "case_next_step_set",
    "contact_from_person",
    "contact_record",
    "contact_reply_to_person",
    "job_application_record",
    "job_start_record",
    "plan_action_add",
    "plan_action_done_by_person",
    "plan_goal_add",
    "sustainment_record",
    "wellbeing_record",
]
