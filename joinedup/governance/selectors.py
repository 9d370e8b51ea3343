"""Reads for information governance, each checking the acting membership's permission."""

from __future__ import annotations

from django.db.models import QuerySet

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.selectors import get_in_scope
from joinedup.organisations.permissions import Membership, Perm

from .models import DataSharingAgreement, LegalHold, RetentionRun, RightsRequest
from .services import require


def rights_requests(*, actor: Membership, open_only: bool = True) -> QuerySet[RightsRequest]:
    require(actor, Perm.RIGHTS_MANAGE)
    query = RightsRequest.objects.select_related("person", "completed_by")
    return query.filter(completed_at__isnull=True) if open_only else query.order_by("-received_on")


def rights_request_get(*, actor: Membership, pk: str) -> RightsRequest:
    require(actor, Perm.RIGHTS_MANAGE)
    return get_in_scope(RightsRequest.objects.select_related("person"), pk=pk)


def rights_request_read_audit(*, actor: Membership, rights_request: RightsRequest) -> None:
    """Showing a request's page is a read of the person's record (their name, and for a
    rectification their details): one VIEWED event per showing."""
    audit_record(
        actor=actor.user,
        verb=AuditVerb.VIEWED,
        target=rights_request,
        organisation=actor.organisation,
        person_id=rights_request.person_id,
        payload={"view": "rights_request", "request": rights_request.kind},
    )


def legal_holds(*, actor: Membership) -> QuerySet[LegalHold]:
    require(actor, Perm.RIGHTS_MANAGE)
    return LegalHold.objects.filter(lifted_at__isnull=True).select_related("person", "placed_by")


def legal_hold_get(*, actor: Membership, pk: str) -> LegalHold:
    require(actor, Perm.RIGHTS_MANAGE)
    return get_in_scope(LegalHold.objects.all(), pk=pk)


def retention_runs(*, actor: Membership) -> QuerySet[RetentionRun]:
    require(actor, Perm.RIGHTS_MANAGE)
    return RetentionRun.objects.all()


def agreements(*, actor: Membership) -> QuerySet[DataSharingAgreement]:
    require(actor, Perm.EXTRACT_MANAGE)
    return DataSharingAgreement.objects.all()


def agreement_get(*, actor: Membership, pk: str) -> DataSharingAgreement:
    require(actor, Perm.EXTRACT_MANAGE)
    return get_in_scope(DataSharingAgreement.objects.prefetch_related("runs"), pk=pk)
