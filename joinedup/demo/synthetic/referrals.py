"""Referrals and their status history: every referral with what triage and its partner did by the as-of date."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from joinedup.demo.synth.base import (
    ASSIGNED,
    DECLINED,
    ENROLLED,
    NONE,
    NULL,
    WITHDRAWN,
    check_copy_text,
    weighted_table,
)
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange

from . import synthetic

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as referrals.services
EMPLOYMENT_WEIGHTS = dict(zip(EmploymentStatus.values, [45, 35, 12, 8], strict=True))
# The last, "prefer not to say" (issue 17), about one referral in fifty.
HEALTH_WEIGHTS = dict(zip(HealthCondition.values, [45, 20, 12, 5, 5, 4, 4, 2, 3, 2], strict=True))
BENEFIT_SETS = [
    ([Benefit.UC], 18),
    ([Benefit.UC_LCW], 12),
    ([Benefit.UC_LCWRA], 16),
    ([Benefit.ESA], 8),
    ([Benefit.ESA, Benefit.PIP], 6),
    ([Benefit.UC_LCWRA, Benefit.PIP], 10),
    ([Benefit.UC, Benefit.PIP], 4),
    ([Benefit.JSA], 3),
    ([Benefit.NONE], 23),
]
API_SHARE = 0.35  # sent by a clinical or case-management system through the API (with a submission key)
HELP = [
    "Getting back to work after a long time off sick",
    "Confidence and finding part-time work",
    "Working out what jobs I could do with my back condition",
    "Help with CV and interviews",
    "Worried about losing benefits if I work",
    "Staying in my job while I recover",
    "Finding work that fits around my anxiety",
    "Talking to my employer about adjustments",
    "Getting into work after years caring for a relative",
    "Finding a job with hours that suit my treatment",
    "Retraining for work I can do with my condition",
    "Building up to full-time hours",
]
DECLINE_REASONS = [
    "Already getting similar support from another programme",
    "Lives outside the partnership area",
    "Duplicate of an earlier referral",
    "Not eligible: no health condition affecting work",
    "Person needs clinical support first",
]
WITHDRAW_REASONS = [
    "Person no longer wants support",
    "Could not be contacted after three attempts",
    "Moved out of the area",
    "Person found work before enrolment",
]
ASSIGN_REASONS = ["", "", "", "Closest partner to the person's home", "Specialist mental health support"]
STATUS = {ASSIGNED: statuses.ASSIGNED, DECLINED: statuses.DECLINED, WITHDRAWN: statuses.WITHDRAWN}
STATUS[ENROLLED] = statuses.ENROLLED
check_copy_text(HELP, DECLINE_REASONS, WITHDRAW_REASONS, ASSIGN_REASONS)


@synthetic(Referral, demo="referral_services.referral_create, then referral_assign/decline and case_enrol")
def referrals(plan, row: Callable[..., str]) -> Iterator[str]:
    """Circumstances in the proportions above; the status and partner the plan reached."""
    rng = plan.rng("referrals")
    ids, person, keys = plan.ids["referral"], plan.ids["person"], plan.ids["key"]
    employment = weighted_table(EMPLOYMENT_WEIGHTS, 100)
    health = weighted_table(HEALTH_WEIGHTS, 100)
    benefits = weighted_table({json.dumps(sorted(set(b))): w for b, w in BENEFIT_SETS}, 100)
    seen: set[str] = set()
    nkeys = 0
    for i in range(plan.n):
        while True:
            reference = "JU-" + "".join(rng.choices(REFERENCE_ALPHABET, k=7))
            if reference not in seen:
                seen.add(reference)
                break
        status = statuses.RECEIVED if plan.status[i] == NONE else STATUS[plan.status[i]]
        partner = adviser = NULL
        if plan.partner[i] >= 0:
            partner = plan.partners[plan.partner[i]].id
            adviser = plan.adviser_uid(i)
        key = NULL
        if rng.random() < API_SHARE:
            key = keys(nkeys)
            nkeys += 1
        created, changed = plan.ts(plan.t_ref[i]), plan.ts(plan.t_status[i])
        yield row(
            id=ids(i), created_at=created, updated_at=changed, created_by=plan.referrer_uid(i), reference=reference,
            person=person(i), referring_organisation=plan.referrers[plan.ref_org[i]].id,
            employment_status=employment[rng.randrange(100)], benefits=benefits[rng.randrange(100)],
            health_condition=health[rng.randrange(100)], help_wanted=rng.choice(HELP), status=status,
            status_changed_at=changed, delivery_partner=partner, adviser=adviser, submission_key=key,
        )  # fmt: skip


@synthetic(ReferralStatusChange, demo="the referral services, each writing its status change")
def status_changes(plan, row: Callable[..., str]) -> Iterator[str]:
    """Received; then triage (by a programme manager, or a partner's manager); then the partner's decision."""
    rng = plan.rng("status_changes")
    ids = plan.ids["referral"]
    lead = plan.lead.id
    cutoff = plan.cutoff_day * 1440
    for i in range(plan.n):
        rid = ids(i)
        yield row(
            referral=rid, from_status="", to_status=statuses.RECEIVED, at=plan.ts(plan.t_ref[i]),
            by=plan.referrer_uid(i), by_organisation=plan.referrers[plan.ref_org[i]].id, reason="",
        )  # fmt: skip
        t1, k1 = plan.t1[i], plan.k1[i]
        if t1 >= cutoff:
            continue
        p = plan.partner[i]
        if p >= 0 and plan.by_partner_manager[i]:
            by, by_org = _partner_manager(plan, p, rng), plan.partners[p].id
        else:
            by, by_org = plan.pm_users[rng.randrange(len(plan.pm_users))], lead
        reasons = ASSIGN_REASONS if k1 == ASSIGNED else DECLINE_REASONS if k1 == DECLINED else WITHDRAW_REASONS
        yield row(
            referral=rid, from_status=statuses.RECEIVED, to_status=STATUS[k1], at=plan.ts(t1), by=by,
            by_organisation=by_org, reason=rng.choice(reasons),
        )  # fmt: skip
        t2, k2 = plan.t2[i], plan.k2[i]
        if k2 == NONE or t2 >= cutoff:
            continue
        if k2 == ENROLLED:
            by, by_org, reason = plan.adviser_uid(i), plan.partners[p].id, "Enrolled on the programme"
        else:
            by, by_org = _partner_manager(plan, p, rng), plan.partners[p].id
            reason = rng.choice(DECLINE_REASONS[3:] if k2 == DECLINED else WITHDRAW_REASONS)
        yield row(
            referral=rid, from_status=statuses.ASSIGNED, to_status=STATUS[k2], at=plan.ts(t2), by=by,
            by_organisation=by_org, reason=reason,
        )  # fmt: skip


def _partner_manager(plan, p: int, rng) -> int:
    managers = plan.partner_managers[p]
    return plan.partners[p].users[managers[rng.randrange(len(managers))]]
