"""The one table from our referral statuses (`referrals.statuses.REGISTRY`) to the FHIR Task's status.

Codes come from the SDOH Clinical Care guide's referral task status value set
(`codes.REFERRAL_TASK_STATUSES`: FHIR's task-status without `ready` and `received`). A referral is
`requested` from its receipt until a delivery partner accepts it: while it waits for triage, is
with a partner deciding, or is being sent to another one. The person's progress after acceptance
(in progress, completed) shows only with their consent to share it with the referrer, so the table
says what a status is without that consent and what it becomes with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.referrals import statuses

from . import codes


@dataclass(frozen=True)
class TaskStatus:
    without_consent: str  # what the referrer is told when the person has not agreed to share progress
    with_consent: str = ""  # what they are told when the person has; blank when the same
    when_support_ended: str = ""  # with consent, once the person's support has ended

    def code(self, *, progress_shared: bool, support_ended: bool) -> str:
        if not progress_shared:
            return self.without_consent
        if support_ended and self.when_support_ended:
            return self.when_support_ended
        return self.with_consent or self.without_consent


TASK_STATUS: dict[str, TaskStatus] = {
    statuses.RECEIVED: TaskStatus("requested"),
    statuses.ROUTED: TaskStatus("requested"),
    statuses.RETURNED: TaskStatus("requested"),
    statuses.ASSIGNED: TaskStatus("accepted"),
    statuses.ENROLLED: TaskStatus("accepted", with_consent="in-progress", when_support_ended="completed"),
    statuses.DECLINED: TaskStatus("rejected"),
    statuses.WITHDRAWN: TaskStatus("cancelled"),
}


def task_status_code(status: str, *, progress_shared: bool, support_ended: bool) -> str:
    """The Task.status for a referral status (a code in the registry)."""
    return TASK_STATUS[status].code(progress_shared=progress_shared, support_ended=support_ended)


def check_table() -> None:
    """Every referral status has a Task status, and every Task status is in the guide's value set."""
    missing = statuses.REGISTRY.keys() - TASK_STATUS.keys()
    unknown = TASK_STATUS.keys() - statuses.REGISTRY.keys()
    if missing or unknown:
        raise RuntimeError(f"FHIR Task statuses: no mapping for {sorted(missing)}, unknown {sorted(unknown)}")
    used = {c for s in TASK_STATUS.values() for c in (s.without_consent, s.with_consent, s.when_support_ended) if c}
    outside = used - codes.REFERRAL_TASK_STATUSES
    if outside:
        raise RuntimeError(f"FHIR Task statuses outside the referral task status value set: {sorted(outside)}")
