from __future__ import annotations

import uuid

from django.db.models import QuerySet

from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals.models import Referral

from .models import AuditEvent, AuditVerb
from .services import audit_record


def audit_trail_for_person(*, actor: Membership, person_id: uuid.UUID) -> QuerySet[AuditEvent]:
    if not has_perm(actor, Perm.AUDIT_VIEW):
        raise NotPermitted("You do not have permission to read audit trails.")
    return AuditEvent.objects.filter(person_id=person_id).select_related("actor", "organisation")


def audit_trail_for_reference(*, actor: Membership, reference: str) -> tuple[Referral, QuerySet[AuditEvent]] | None:
    """The trail of the person a referral is about. Reading it is itself audited."""
    if not has_perm(actor, Perm.AUDIT_VIEW):
        raise NotPermitted("You do not have permission to read audit trails.")
    referral = Referral.objects.filter(reference=reference.strip().upper()).first()
    if referral is None:
        return None
    audit_record(
        actor=actor.user,
        verb=AuditVerb.VIEWED,
        target=referral,
        organisation=actor.organisation,
        person_id=referral.person_id,
        payload={"view": "audit_trail"},
    )
    return referral, audit_trail_for_person(actor=actor, person_id=referral.person_id)
