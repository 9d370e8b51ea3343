"""The declared registry of referral statuses: code, labels, who may set it, whether it closes.

The journey (decision 005): a triage officer *routes* a referral to a delivery partner (`routed`);
the partner *accepts* it, choosing a Personal Adviser (`assigned`), or *declines* it with a reason
from `DECLINE_REASONS` (`returned`: back in the triage queue, to be re-routed without re-keying).
A programme manager may still assign directly (`received` → `assigned`) or close the referral
(`declined`). Every move is a `ReferralStatusChange`, written by `services._change_status` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.organisations.permissions import Perm


@dataclass(frozen=True)
class ReferralStatus:
    code: str
    label: str
    referrer_label: str  # what the referrer is told in the closed loop (LOOP_LABELS; progress past
    # acceptance only with consent: a page asks `selectors.closed_loop_status`, not this)
    set_by: frozenset[Perm]
    closes: bool = False
    next: frozenset[str] = frozenset()
    in_triage: bool = False  # waiting for the triage officer to route it


RECEIVED = "received"
ROUTED = "routed"
RETURNED = "returned"
ASSIGNED = "assigned"
ENROLLED = "enrolled"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

_TRIAGE = frozenset({Perm.REFERRAL_TRIAGE_ORG, Perm.REFERRAL_TRIAGE_ALL})

# The closed loop's steps: what the referrer is told a referral's status is, written once. The code
# of each is what the referrer's list, the referral page, the API (`status`), the FHIR Task and the
# closed-loop email report; `referrals.selectors.closed_loop_status` says which one a referral is at.
# "accepted" is the registry's `assigned`; "enrolled" and "started_work" are the person's progress
# (shown only with their consent to share it).
LOOP_LABELS: dict[str, str] = {
    "received": "Referral received",
    "routed": "Sent to a delivery partner",
    "returned": "Declined by the partner: being sent to another service",
    "accepted": "Referral accepted",
    "declined": "Referral declined",
    "withdrawn": "Referral withdrawn",
    "enrolled": "Enrolled on the programme",
    "started_work": "Started work",
}

REGISTRY: dict[str, ReferralStatus] = {
    s.code: s
    for s in [
        ReferralStatus(
            RECEIVED,
            "Received",
            LOOP_LABELS["received"],
            frozenset({Perm.REFERRAL_CREATE}),
            next=frozenset({ROUTED, ASSIGNED, DECLINED, WITHDRAWN}),
            in_triage=True,
        ),
        ReferralStatus(
            ROUTED,
            "Sent to a delivery partner",
            LOOP_LABELS["routed"],
            frozenset({Perm.REFERRAL_TRIAGE_ALL}),
            next=frozenset({ASSIGNED, RETURNED, DECLINED, WITHDRAWN}),
        ),
        ReferralStatus(
            RETURNED,
            "Declined by the partner, to be re-routed",
            LOOP_LABELS["returned"],
            _TRIAGE,
            next=frozenset({ROUTED, ASSIGNED, DECLINED, WITHDRAWN}),
            in_triage=True,
        ),
        ReferralStatus(
            ASSIGNED,
            "Assigned to a delivery partner",
            LOOP_LABELS["accepted"],
            _TRIAGE,
            next=frozenset({ENROLLED, DECLINED, RETURNED, WITHDRAWN, ASSIGNED}),
        ),
        ReferralStatus(ENROLLED, "Enrolled", LOOP_LABELS["enrolled"], frozenset({Perm.CASE_CHANGE_ORG}), closes=True),
        ReferralStatus(DECLINED, "Declined", LOOP_LABELS["declined"], _TRIAGE, closes=True),
        ReferralStatus(WITHDRAWN, "Withdrawn", LOOP_LABELS["withdrawn"], _TRIAGE, closes=True),
    ]
}

CHOICES = [(s.code, s.label) for s in REGISTRY.values()]
IN_TRIAGE = frozenset(s.code for s in REGISTRY.values() if s.in_triage)


@dataclass(frozen=True)
class DeclineReason:
    """Why a referral is declined: a stable code the referrer and the reports see, with its label."""

    code: str
    label: str
    needs_note: bool = False  # the reason only makes sense with a sentence of explanation


DECLINE_REASONS: dict[str, DeclineReason] = {
    r.code: r
    for r in [
        DeclineReason("not_eligible", "Does not meet the service's eligibility criteria"),
        DeclineReason("outside_area", "Lives outside the area the service covers"),
        DeclineReason("no_capacity", "The service has no places at the moment"),
        DeclineReason("needs_other_support", "Needs more specialist or clinical support first"),
        DeclineReason("already_supported", "Already getting similar support"),
        DeclineReason("person_declined", "The person does not want the service"),
        DeclineReason("not_contactable", "The service could not contact the person"),
        DeclineReason("duplicate", "A duplicate of another referral"),
        DeclineReason("other", "Another reason", needs_note=True),
    ]
}
DECLINE_REASON_CHOICES = [(r.code, r.label) for r in DECLINE_REASONS.values()]


def check_registry() -> None:
    for status in REGISTRY.values():
        unknown = status.next - REGISTRY.keys()
        if unknown:
            raise RuntimeError(f"Referral status {status.code} leads to unknown {sorted(unknown)}")
        if status.closes and status.next:
            raise RuntimeError(f"Referral status {status.code} closes the referral but leads on")
    if "other" not in DECLINE_REASONS:
        raise RuntimeError("The decline reasons need an 'other' reason for free-text explanations")
