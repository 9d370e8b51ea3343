"""Reads for cases, scoped to the acting membership's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import Http404

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral

from .models import Case, JobStart


def case_list(*, actor: Membership, mine_only: bool = False) -> QuerySet[Case]:
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see cases.")
    qs = (
        Case.objects.filter(delivery_partner=actor.organisation)
        .select_related("person", "adviser", "referral")
        .annotate(contact_count=Count("contacts"), last_contact_on=Max("contacts__happened_on"))
    )
    if mine_only:
        qs = qs.filter(adviser=actor.user)
    return qs


def referrals_awaiting_enrolment(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals routed to the actor's organisation and not yet enrolled."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see cases.")
    return (
        Referral.objects.filter(delivery_partner=actor.organisation, status=referral_statuses.ASSIGNED)
        .select_related("person", "adviser", "referring_organisation")
        .order_by("status_changed_at")
    )


def referral_for_enrolment(*, actor: Membership, pk: str) -> Referral:
    awaiting = referrals_awaiting_enrolment(actor=actor)
    try:
        return awaiting.get(pk=pk)
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such referral") from exc


def case_get(*, actor: Membership, pk: str, audit: bool = True) -> Case:
    """One case in the actor's organisation. Reading a person's record is audited."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see cases.")
    try:
        case = Case.objects.select_related("person", "adviser", "referral", "delivery_partner").get(
            pk=pk, delivery_partner=actor.organisation
        )
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such case") from exc
    if audit:
        audit_record(
            actor=actor.user,
            verb=AuditVerb.VIEWED,
            target=case,
            organisation=actor.organisation,
            person_id=case.person_id,
        )
    return case


def job_start_get(*, actor: Membership, case: Case, pk: str) -> JobStart:
    try:
        return case.job_starts.get(pk=pk)
    except (JobStart.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such job start") from exc


@dataclass(frozen=True)
class MilestoneDue:
    job_start: JobStart
    weeks: int
    due_on: date
    achieved_on: date | None


def case_milestones(*, case: Case) -> list[MilestoneDue]:
    """The 13 and 26 week milestones for each job start, due automatically from the start date."""
    result: list[MilestoneDue] = []
    for job in case.job_starts.prefetch_related("sustainments"):
        achieved = {s.weeks: s.achieved_on for s in job.sustainments.all()}
        for weeks in (13, 26):
            result.append(MilestoneDue(job, weeks, job.due_on(weeks), achieved.get(weeks)))
    return result
