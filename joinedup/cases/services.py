"""Writes for cases: enrolment, contacts, job starts and sustainment. One transaction, one audit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people.models import ConsentPurpose
from joinedup.people.services import consent_record
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_mark_enrolled

from . import stages
from .models import SUSTAINMENT_WEEKS, Case, Contact, JobStart, Sustainment


def _require_change(actor: Membership, organisation_id) -> None:  # noqa: ANN001
    if not has_perm(actor, Perm.CASE_CHANGE_ORG) or actor.organisation_id != organisation_id:
        raise NotPermitted("You do not have permission to change this case.")


def _not_future(value: date, label: str) -> None:
    if value > timezone.localdate():
        raise DomainError(f"{label} must be today or in the past.")


def case_enrol(
    *,
    referral: Referral,
    actor: Membership,
    enrolled_on: date,
    eligibility_confirmed: bool,
    eligibility_evidence: str,
    consent_to_support: bool,
) -> Case:
    """Enrol the person: eligibility checked and evidenced, consent to support recorded."""
    _require_change(actor, referral.delivery_partner_id)
    if referral.status != referral_statuses.ASSIGNED:
        raise DomainError("Only a referral assigned to your organisation can be enrolled.")
    if not eligibility_confirmed:
        raise DomainError("Confirm the person is eligible before enrolling them.", field="eligibility_confirmed")
    if not eligibility_evidence.strip():
        raise DomainError("Enter the evidence of eligibility you have seen.", field="eligibility_evidence")
    if len(eligibility_evidence) > 2000:
        raise DomainError("Evidence must be 2,000 characters or fewer.", field="eligibility_evidence")
    if not consent_to_support:
        raise DomainError("The person must consent to support before they can be enrolled.", field="consent_to_support")
    _not_future(enrolled_on, "The enrolment date")
    if enrolled_on < referral.created_at.date() - timedelta(days=1):
        raise DomainError("The enrolment date cannot be before the referral was made.", field="enrolled_on")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if Case.objects.filter(referral=referral).exists():
            raise DomainError("This person is already enrolled from this referral.")
        case = Case.objects.create(
            referral=referral,
            person=referral.person,
            delivery_partner=referral.delivery_partner,
            adviser=referral.adviser or actor.user,
            enrolled_on=enrolled_on,
            eligibility_evidence=eligibility_evidence.strip(),
            created_by=actor.user,
        )
        consent_record(
            person=referral.person,
            purpose=ConsentPurpose.SUPPORT,
            given=True,
            recorded_by=actor.user,
            recorded_by_organisation=actor.organisation,
        )
        referral_mark_enrolled(referral=referral, actor=actor)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.ENROLLED,
            target=case,
            organisation=actor.organisation,
            person_id=case.person_id,
            payload={"referral": referral.reference, "enrolled_on": enrolled_on.isoformat()},
        )
    return case


def contact_record(
    *,
    case: Case,
    actor: Membership,
    happened_on: date,
    channel: str,
    kind: str,
    duration_minutes: int,
    notes: str = "",
) -> Contact:
    _require_change(actor, case.delivery_partner_id)
    _not_future(happened_on, "The contact date")
    if happened_on < case.enrolled_on:
        raise DomainError("A contact cannot be before the person was enrolled.", field="happened_on")
    if not 1 <= duration_minutes <= 600:
        raise DomainError("Duration must be between 1 and 600 minutes.", field="duration_minutes")
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            happened_on=happened_on,
            channel=channel,
            kind=kind,
            duration_minutes=duration_minutes,
            notes=notes.strip(),
            created_by=actor.user,
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.CONTACT_RECORDED,
            target=contact,
            organisation=actor.organisation,
            person_id=case.person_id,
            payload={"case": str(case.pk), "kind": kind},
        )
    return contact


def job_start_record(
    *,
    case: Case,
    actor: Membership,
    employer_name: str,
    job_title: str,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    start_date: date,
    evidence: str = "",
) -> JobStart:
    _require_change(actor, case.delivery_partner_id)
    _not_future(start_date, "The start date")
    if start_date < case.enrolled_on:
        raise DomainError("A job start cannot be before the person was enrolled.", field="start_date")
    if not Decimal("0.5") <= hours_per_week <= Decimal("80"):
        raise DomainError("Hours must be between 0.5 and 80 a week.", field="hours_per_week")
    if not Decimal("0") < hourly_pay <= Decimal("1000"):
        raise DomainError("Pay must be more than £0 and no more than £1,000 an hour.", field="hourly_pay")
    if case.stage == stages.CLOSED:
        raise DomainError("This case is closed.")
    with transaction.atomic():
        job = JobStart.objects.create(
            case=case,
            employer_name=employer_name.strip(),
            job_title=job_title.strip(),
            hours_per_week=hours_per_week,
            hourly_pay=hourly_pay,
            start_date=start_date,
            evidence=evidence.strip(),
            created_by=actor.user,
        )
        if case.stage == stages.ENROLLED:
            case.stage = stages.IN_WORK
            case.save(update_fields=["stage", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.JOB_START_RECORDED,
            target=job,
            organisation=actor.organisation,
            person_id=case.person_id,
            payload={"case": str(case.pk), "start_date": start_date.isoformat()},
        )
    return job


def sustainment_record(
    *, job_start: JobStart, actor: Membership, weeks: int, achieved_on: date, evidence: str
) -> Sustainment:
    """Record that the person was still in work `weeks` (13 or 26) after starting."""
    case = job_start.case
    _require_change(actor, case.delivery_partner_id)
    if weeks not in SUSTAINMENT_WEEKS:
        raise DomainError("Sustainment is recorded at 13 or 26 weeks.", field="weeks")
    _not_future(achieved_on, "The date")
    if achieved_on < job_start.due_on(weeks):
        raise DomainError(
            f"{weeks} weeks in work is reached on {job_start.due_on(weeks):%-d %B %Y}; the date cannot be before that.",
            field="achieved_on",
        )
    if not evidence.strip():
        raise DomainError("Enter the evidence that the person is still in work.", field="evidence")
    if weeks == 26 and not job_start.sustainments.filter(weeks=13).exists():
        raise DomainError("Record 13 weeks in work before 26 weeks.", field="weeks")
    with transaction.atomic():
        if Sustainment.objects.filter(job_start=job_start, weeks=weeks).exists():
            raise DomainError(f"{weeks} weeks in work is already recorded for this job.", field="weeks")
        sustainment = Sustainment.objects.create(
            job_start=job_start, weeks=weeks, achieved_on=achieved_on, evidence=evidence.strip(), created_by=actor.user
        )
        new_stage = stages.SUSTAINED_26 if weeks == 26 else stages.SUSTAINED_13
        order = list(stages.REGISTRY)
        if order.index(new_stage) > order.index(case.stage):
            case.stage = new_stage
            case.save(update_fields=["stage", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.SUSTAINMENT_RECORDED,
            target=sustainment,
            organisation=actor.organisation,
            person_id=case.person_id,
            payload={"weeks": weeks, "job_start": str(job_start.pk)},
        )
    return sustainment
