"""Reads of programmes, participations, follow-ups due and claim batches, scoped to the actor."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm

from ..choices import ClaimStatus
from ..models import Claim, ClaimBatch, Participation, Programme

FOLLOW_UP_LISTED_DAYS = 28  # follow-ups due within four weeks are listed, as are overdue ones


def programmes_for(*, actor: Membership) -> QuerySet[Programme]:
    """Every programme for those who see the programme figures; the ones the actor's organisation
    is contracted on for a partner."""
    if has_perm(actor, Perm.PROGRAMME_VIEW):
        return Programme.objects.all()
    if has_perm(actor, Perm.CASE_VIEW_ORG) or has_perm(actor, Perm.CLAIM_SUBMIT_ORG):
        return Programme.objects.filter(contracts__partner_id=actor.organisation_id).distinct()
    raise NotPermitted("You do not have permission to see programmes.")


def programmes_running_on(*, actor: Membership, on: date) -> QuerySet[Programme]:
    """The actor's programmes running on a day (a case may join one running on its enrolment date)."""
    return programmes_for(actor=actor).filter(starts_on__lte=on, ends_on__gte=on)


def programme_get(*, actor: Membership, pk: UUID | str) -> Programme:
    try:
        found = programmes_for(actor=actor).filter(pk=pk).first()
    except (ValueError, TypeError) as exc:  # pragma: no cover - the URL converter checks the uuid
        raise Http404("No such programme") from exc
    if found is None:
        raise Http404("No such programme")
    return found


def participation_for_case(*, actor: Membership, case_id: UUID) -> Participation | None:
    """The case's participation, for someone at the case's partner (the case page checks the case)."""
    found = Participation.objects.select_related("programme").filter(case_id=case_id).first()
    if found is not None and found.partner_id != actor.organisation_id:
        raise Http404("No such case")
    return found


def follow_ups_due(*, actor: Membership, on: date | None = None) -> QuerySet[Participation]:
    """Participants at the actor's organisation whose six-month follow-up is due (or overdue) and
    not yet recorded: the adviser's list."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see participants.")
    on = on or timezone.localdate()
    return (
        Participation.objects.filter(
            partner_id=actor.organisation_id,
            follow_up_due_on__isnull=False,
            follow_up_due_on__lte=on + timedelta(days=FOLLOW_UP_LISTED_DAYS),
            follow_up_on__isnull=True,
        )
        .select_related("case__person", "programme")
        .order_by("follow_up_due_on")
    )


def batches_for(*, actor: Membership, programme: Programme) -> QuerySet[ClaimBatch]:
    found = ClaimBatch.objects.filter(programme=programme).select_related("partner")
    if has_perm(actor, Perm.PROGRAMME_MANAGE):
        return found
    if has_perm(actor, Perm.CLAIM_SUBMIT_ORG):
        return found.filter(partner_id=actor.organisation_id)
    raise NotPermitted("You do not have permission to see claims.")


def batch_get(*, actor: Membership, programme: Programme, pk: UUID | str) -> ClaimBatch:
    found = batches_for(actor=actor, programme=programme).filter(pk=pk).first()
    if found is None:
        raise Http404("No such claim batch")
    return found


def rejected_claims(*, actor: Membership, programme: Programme) -> QuerySet[Claim]:
    """The actor's organisation's rejected claims, to be corrected."""
    if not has_perm(actor, Perm.CLAIM_SUBMIT_ORG):
        raise NotPermitted("You do not have permission to see claims.")
    return Claim.objects.filter(
        programme=programme, partner_id=actor.organisation_id, status=ClaimStatus.REJECTED
    ).select_related("participation__case__person")
