"""Writes for work: job starts and their in-work milestones, permitted work and volunteering, and job
search. One transaction, one audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership

from .. import limits
from ..checks import audit, not_future, open_case, require_change, since_enrolment
from ..enrolment import stages
from ..enrolment.models import Case
from ..events import CaseEvent, JobStarted, MilestoneRecorded
from .models import (
    IN_WORK_OUTCOMES,
    MILESTONES_BY_CODE,
    ApplicationStatus,
    ContractType,
    JobApplication,
    JobStart,
    Milestone,
    MilestoneOutcome,
    Sustainment,
    WorkActivity,
    WorkActivityKind,
)


def _check_hours(hours_per_week: Decimal) -> None:
    if not Decimal("0.5") <= hours_per_week <= Decimal("80"):
        raise DomainError("Hours must be between 0.5 and 80 a week.", field="hours_per_week")


def _check_job(employer_name: str, job_title: str, *, no_employer: str = "Enter the employer's name.") -> None:
    """A job's employer (`no_employer`: the message when there is none) and title, both stripped."""
    if not employer_name:
        raise DomainError(no_employer, field="employer_name")
    if not job_title:
        raise DomainError("Enter the job title.", field="job_title")
    limits.EMPLOYER.check(employer_name, field="employer_name")
    limits.JOB_TITLE.check(job_title, field="job_title")


def _check_job_start(
    case: Case,
    *,
    employer_name: str,
    job_title: str,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    start_date: date,
    contract_type: str,
    evidence: str,
) -> None:
    if contract_type not in ContractType.values:
        raise DomainError("Select the type of contract, or self-employed.", field="contract_type")
    self_employed = contract_type == ContractType.SELF_EMPLOYED
    _check_job(
        employer_name,
        job_title,
        no_employer="Enter the business's name." if self_employed else "Enter the employer's name.",
    )
    since_enrolment(
        case,
        start_date,
        label="The start date",
        field="start_date",
        before="A job start cannot be before the person was enrolled.",
    )
    _check_hours(hours_per_week)
    if not Decimal("0") < hourly_pay <= Decimal("1000"):
        raise DomainError("Pay must be more than £0 and no more than £1,000 an hour.", field="hourly_pay")
    limits.WORK_EVIDENCE.check(evidence, field="evidence")
    open_case(case)


def job_start_record(
    *,
    case: Case,
    actor: Membership,
    employer_name: str,
    job_title: str,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    start_date: date,
    contract_type: str = ContractType.PERMANENT,
    evidence: str = "",
) -> JobStart:
    """Paid work, employed or self-employed. Permitted work and volunteering are `work_activity_record`.
    The same job (same employer, any letter case, and start date) cannot be recorded twice. The form
    always asks the contract type; callers that predate it (demo data, test factories) get permanent."""
    require_change(actor, case.delivery_partner_id)
    employer_name, job_title = employer_name.strip(), job_title.strip()
    job = {"employer_name": employer_name, "job_title": job_title, "hours_per_week": hours_per_week}
    job |= {"hourly_pay": hourly_pay, "start_date": start_date, "contract_type": contract_type}
    _check_job_start(case, **job, evidence=evidence)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)  # one job start write per case at a time
        if JobStart.objects.filter(case=case, employer_name__iexact=employer_name, start_date=start_date).exists():
            raise DomainError(
                f"A job start with {employer_name} on {start_date:%-d %B %Y} is already recorded for this person.",
                field="employer_name",
            )
        job_start = JobStart.objects.create(case=case, **job, evidence=evidence.strip(), created_by=actor.user)
        if case.stage == stages.ENROLLED:
            case.stage = stages.IN_WORK
            case.save(update_fields=["stage", "updated_at"])
        announce(CaseEvent.JOB_STARTED, _job_started(job_start))
        audit(
            actor,
            AuditVerb.JOB_START_RECORDED,
            job_start,
            case,
            case=str(case.pk),
            start_date=start_date.isoformat(),
            contract_type=contract_type,
        )
        notify.referral_event(referral=case.referral, event="started_work")
    return job_start


def _check_work_activity(
    case: Case,
    *,
    kind: str,
    organisation_name: str,
    role: str,
    hours_per_week: Decimal,
    started_on: date,
    weekly_earnings: Decimal,
) -> None:
    if kind not in WorkActivityKind.values:
        raise DomainError("Select permitted work or volunteering.", field="kind")
    if not organisation_name:
        raise DomainError("Enter the organisation's name.", field="organisation_name")
    if not role:
        raise DomainError("Enter what the person does.", field="role")
    limits.ORGANISATION.check(organisation_name, field="organisation_name")
    limits.ROLE.check(role, field="role")
    _check_hours(hours_per_week)
    if kind == WorkActivityKind.VOLUNTEERING and weekly_earnings:
        raise DomainError(
            "Volunteering is unpaid: leave earnings at 0 (expenses are not earnings).", field="weekly_earnings"
        )
    if not Decimal("0") <= weekly_earnings <= Decimal("10000"):
        raise DomainError("Earnings must be between £0 and £10,000 a week.", field="weekly_earnings")
    since_enrolment(
        case,
        started_on,
        label="The start date",
        field="started_on",
        before="This cannot start before the person was enrolled.",
    )


def work_activity_record(
    *,
    case: Case,
    actor: Membership,
    kind: str,
    organisation_name: str,
    role: str,
    hours_per_week: Decimal,
    started_on: date,
    weekly_earnings: Decimal = Decimal("0"),
) -> WorkActivity:
    """Permitted work or volunteering: kept apart from job starts, and never counted as one."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    activity = {"kind": kind, "organisation_name": organisation_name.strip(), "role": role.strip()}
    activity |= {"hours_per_week": hours_per_week, "weekly_earnings": weekly_earnings, "started_on": started_on}
    _check_work_activity(case, **activity)
    with transaction.atomic():
        created = WorkActivity.objects.create(case=case, **activity, created_by=actor.user)
        audit(actor, AuditVerb.CREATED, created, case, case=str(case.pk), kind=kind)
    return created


def _sentence(label: str) -> str:
    return f"{label[0].upper()}{label[1:]}"


def _check_milestone(
    job_start: JobStart, *, weeks: int | None, months: int | None, outcome: str, achieved_on: date, evidence: str
) -> Milestone:
    """The milestone a sustainment with these weeks or months records, once every answer is checked."""
    if (weeks is None) == (months is None):
        raise DomainError("Select the milestone.", field="weeks")
    code = f"{weeks}w" if weeks is not None else f"{months}m"
    if code not in MILESTONES_BY_CODE:
        raise DomainError("In-work milestones are at 4, 13 and 26 weeks and a 6-month follow-up.", field="weeks")
    milestone = MILESTONES_BY_CODE[code]
    if outcome not in MilestoneOutcome.values:
        raise DomainError("Select the outcome: still in work, changed job or left work.", field="outcome")
    not_future(achieved_on, "The date")
    due = job_start.milestone_due_on(milestone)
    if achieved_on < due:
        raise DomainError(
            f"{_sentence(milestone.label)} is reached on {due:%-d %B %Y}; the date cannot be before that.",
            field="achieved_on",
        )
    if not evidence.strip():
        raise DomainError("Enter the evidence that the person is still in work.", field="evidence")
    limits.WORK_EVIDENCE.check(evidence, field="evidence")
    if weeks == 26 and not job_start.sustainments.filter(weeks=13).exists():
        raise DomainError("Record 13 weeks in work before 26 weeks.", field="weeks")
    return milestone


def _move_stage_on(case: Case, weeks: int | None, outcome: str) -> None:
    """An in-work outcome at 13 or 26 weeks moves the case on to that stage, never back."""
    if weeks in (13, 26) and outcome in IN_WORK_OUTCOMES:
        new_stage = stages.SUSTAINED_26 if weeks == 26 else stages.SUSTAINED_13
        order = list(stages.REGISTRY)
        if order.index(new_stage) > order.index(case.stage):
            case.stage = new_stage
            case.save(update_fields=["stage", "updated_at"])


def _job_started(job: JobStart) -> JobStarted:
    ids = {"case_id": job.case_id, "job_start_id": job.pk, "delivery_partner_id": job.case.delivery_partner_id}
    return JobStarted(**ids, start_date=job.start_date, contract_type=job.contract_type)


def _milestone_recorded(sustainment: Sustainment, case: Case) -> MilestoneRecorded:
    ids = {"case_id": case.pk, "job_start_id": sustainment.job_start_id, "sustainment_id": sustainment.pk}
    return MilestoneRecorded(
        **ids,
        delivery_partner_id=case.delivery_partner_id,
        weeks=sustainment.weeks,
        months=sustainment.months,
        outcome=sustainment.outcome,
        in_work=sustainment.outcome in IN_WORK_OUTCOMES,
        achieved_on=sustainment.achieved_on,
    )


def sustainment_record(
    *,
    job_start: JobStart,
    actor: Membership,
    achieved_on: date,
    evidence: str,
    weeks: int | None = None,
    months: int | None = None,
    outcome: str = MilestoneOutcome.STILL_IN_WORK,
) -> Sustainment:
    """Record an in-work milestone — `weeks` 4, 13 or 26, or the `months` 6 follow-up — with its outcome.

    Each is due automatically from the start date; the date confirmed cannot be before that. 26 weeks
    needs 13 weeks first. An in-work outcome at 13 or 26 weeks moves the case's stage on."""
    case = job_start.case
    require_change(actor, case.delivery_partner_id)
    when = {"weeks": weeks, "months": months}
    milestone = _check_milestone(job_start, **when, outcome=outcome, achieved_on=achieved_on, evidence=evidence)
    with transaction.atomic():
        JobStart.objects.select_for_update().get(pk=job_start.pk)  # one milestone write per job at a time
        if Sustainment.objects.filter(job_start=job_start, **when).exists():
            raise DomainError(f"{_sentence(milestone.label)} is already recorded for this job.", field="weeks")
        sustainment = Sustainment.objects.create(
            job_start=job_start,
            **when,
            outcome=outcome,
            achieved_on=achieved_on,
            evidence=evidence.strip(),
            created_by=actor.user,
        )
        announce(CaseEvent.MILESTONE_RECORDED, _milestone_recorded(sustainment, case))
        _move_stage_on(case, weeks, outcome)
        audit(
            actor,
            AuditVerb.SUSTAINMENT_RECORDED,
            sustainment,
            case,
            **when,
            outcome=outcome,
            job_start=str(job_start.pk),
        )
    return sustainment


def _check_application(status: str, interview_on: date | None, applied_on: date) -> None:
    if status not in ApplicationStatus.values:
        raise DomainError("Select how the application is going.", field="status")
    if interview_on is not None and interview_on < applied_on:
        raise DomainError("The interview cannot be before the application.", field="interview_on")


def job_application_record(
    *,
    case: Case,
    actor: Membership,
    employer_name: str,
    job_title: str,
    applied_on: date,
    status: str = ApplicationStatus.APPLIED,
    interview_on: date | None = None,
) -> JobApplication:
    """Job search: a vacancy the person applied for."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    employer_name, job_title = employer_name.strip(), job_title.strip()
    _check_job(employer_name, job_title)
    since_enrolment(
        case,
        applied_on,
        label="The application date",
        field="applied_on",
        before="An application cannot be before the person was enrolled.",
    )
    _check_application(status, interview_on, applied_on)
    with transaction.atomic():
        application = JobApplication.objects.create(
            case=case,
            employer_name=employer_name,
            job_title=job_title,
            applied_on=applied_on,
            status=status,
            interview_on=interview_on,
            created_by=actor.user,
        )
        audit(actor, AuditVerb.CREATED, application, case, case=str(case.pk), status=status)
    return application


def job_application_update(
    *, application: JobApplication, actor: Membership, status: str, interview_on: date | None
) -> JobApplication:
    case = application.case
    require_change(actor, case.delivery_partner_id)
    _check_application(status, interview_on, application.applied_on)
    with transaction.atomic():
        application.status = status
        application.interview_on = interview_on
        application.save(update_fields=["status", "interview_on", "updated_at"])
        audit(actor, AuditVerb.UPDATED, application, case, case=str(case.pk), status=status)
    return application
