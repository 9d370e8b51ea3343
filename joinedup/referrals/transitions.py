"""A referral's status history: the one writer of `ReferralStatusChange`, and the one place a status
changes. Steps inside the referral services' transactions, not services: other apps call those."""

from __future__ import annotations

from django.utils import timezone

from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import has_perm

from . import statuses
from .models import Referral, ReferralStatusChange


def _record_status_change(
    *,
    referral: Referral,
    from_status: str,
    to: str,
    at,
    actor: Membership,
    reason: str,
    reason_code: str = "",
    service_id=None,
) -> ReferralStatusChange:
    """The one writer of `ReferralStatusChange`: every status a referral takes, from the first.

    Whatever must happen when a referral changes status (telling the referrer, say) hooks here,
    inside the caller's transaction.
    """
    return ReferralStatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to,
        at=at,
        by=actor.user,
        by_organisation=actor.organisation,
        reason=reason,
        reason_code=reason_code,
        service_id=service_id,
    )


def _change_status(
    *,
    referral: Referral,
    actor: Membership,
    to: str,
    reason: str,
    reason_code: str = "",
    at=None,
    service_id=None,
) -> ReferralStatusChange:
    """The one place a referral's status changes: checks the registry, writes the history row (and
    returns it)."""
    current = statuses.REGISTRY[referral.status]
    target = statuses.REGISTRY[to]
    if to not in current.next:
        raise DomainError(f"A referral that is {current.label.lower()} cannot become {target.label.lower()}.")
    if not any(has_perm(actor, p) for p in target.set_by):
        raise NotPermitted("You do not have permission to make that change.")
    at = at or timezone.now()
    change = _record_status_change(
        referral=referral,
        from_status=referral.status,
        to=to,
        at=at,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        service_id=service_id or referral.service_id,
    )
    referral.status = to
    referral.status_changed_at = at
    referral.save(update_fields=["status", "status_changed_at", "delivery_partner", "adviser", "service", "updated_at"])
    return change
