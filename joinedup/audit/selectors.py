from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour

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


def audit_events_search(
    *,
    actor: Membership,
    person_ids: list[uuid.UUID] | None = None,
    user_ids: list[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The trail filtered by person, by user and by time (newest first). None means any."""
    if not has_perm(actor, Perm.AUDIT_VIEW):
        raise NotPermitted("You do not have permission to read audit trails.")
    query = AuditEvent.objects.select_related("actor", "organisation")
    if person_ids is not None:
        query = query.filter(person_id__in=person_ids)
    if user_ids is not None:
        query = query.filter(actor_id__in=user_ids)
    if since is not None:
        query = query.filter(at__gte=since)
    if until is not None:
        query = query.filter(at__lt=until)
    return query


def audit_events_about(*, person_id: uuid.UUID) -> QuerySet[AuditEvent]:
    """Every event about one person, for their subject access export (the caller checks permission)."""
    return AuditEvent.objects.filter(person_id=person_id).select_related("actor", "organisation")


def records_opened_per_hour(*, since: datetime) -> list[dict[str, Any]]:
    """For each user and hour since `since`: how many different people's records they viewed."""
    return [
        dict(row)
        for row in AuditEvent.objects.filter(
            at__gte=since, verb=AuditVerb.VIEWED, person_id__isnull=False, actor__isnull=False
        )
        .annotate(hour=TruncHour("at"))
        .values("actor_id", "hour")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    ]
