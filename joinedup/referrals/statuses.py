"""The declared registry of referral statuses: code, labels, who may set it, whether it closes."""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.organisations.permissions import Perm


@dataclass(frozen=True)
class ReferralStatus:
    code: str
    label: str
    referrer_label: str  # what the referrer is told in the closed loop
    set_by: frozenset[Perm]
    closes: bool = False
    next: frozenset[str] = frozenset()


RECEIVED = "received"
ASSIGNED = "assigned"
ENROLLED = "enrolled"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

_TRIAGE = frozenset({Perm.REFERRAL_TRIAGE_ORG, Perm.REFERRAL_TRIAGE_ALL})

REGISTRY: dict[str, ReferralStatus] = {
    s.code: s
    for s in [
        ReferralStatus(
            RECEIVED,
            "Received",
            "Referral received",
            frozenset({Perm.REFERRAL_CREATE}),
            next=frozenset({ASSIGNED, DECLINED, WITHDRAWN}),
        ),
        ReferralStatus(
            ASSIGNED,
            "Assigned to a delivery partner",
            "Referral accepted",
            _TRIAGE,
            next=frozenset({ENROLLED, DECLINED, WITHDRAWN, ASSIGNED}),
        ),
        ReferralStatus(
            ENROLLED, "Enrolled", "Enrolled on the programme", frozenset({Perm.CASE_CHANGE_ORG}), closes=True
        ),
        ReferralStatus(DECLINED, "Declined", "Referral declined", _TRIAGE, closes=True),
        ReferralStatus(WITHDRAWN, "Withdrawn", "Referral withdrawn", _TRIAGE, closes=True),
    ]
}

CHOICES = [(s.code, s.label) for s in REGISTRY.values()]


def check_registry() -> None:
    for status in REGISTRY.values():
        unknown = status.next - REGISTRY.keys()
        if unknown:
            raise RuntimeError(f"Referral status {status.code} leads to unknown {sorted(unknown)}")
