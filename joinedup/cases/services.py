"""Writes for cases: enrolment, contacts, job starts and sustainment. One transaction, one audit."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.directory import selectors as directory_selectors
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.outcomes.models import Measure
from joinedup.outcomes.services import tally_add
from joinedup.people.models import ConsentPurpose
from joinedup.people.services import consent_record
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_mark_enrolled

from . import better_off, instruments, stages
from .models import (
    IN_WORK_OUTCOMES,
    MILESTONES_BY_CODE,
    AccessToWork,
    ActionOwner,
    ApplicationStatus,
    AreaRating,
    Assessment,
    AssessmentArea,
    AssessmentRating,
    BetterOffCalculation,
    Case,
    CaseExit,
    Contact,
    ContractType,
    EarlyHelp,
    EarlyHelpOutcome,
    EarlyHelpSituation,
    ExitDestination,
    FitNoteAdvice,
    GoalStatus,
    JobApplication,
    JobStart,
    MilestoneOutcome,
    OnwardReferral,
    OnwardReferralStatus,
    PlanAction,
    PlanGoal,
    Sustainment,
    Timepoint,
    WellbeingMeasure,
    WorkActivity,
    WorkActivityKind,
)


def _require_change(actor: Membership, organisation_id) -> None:
    if not has_perm(actor, Perm.CASE_CHANGE_ORG) or actor.organisation_id != organisation_id:
        raise NotPermitted("You do not have permission to change this case.")


def _not_future(value: date, label: str) -> None:
    if value > timezone.localdate():
        raise DomainError(f"{label} must be today or in the past.")


def _audit(actor: Membership, verb: AuditVerb, target, case: Case, /, **payload) -> None:
    """The one audit event of a write about a case: who, in which organisation, about whom."""
    audit_record(
        actor=actor.user,
        verb=verb,
        target=target,
        organisation=actor.organisation,
        person_id=case.person_id,
        payload=payload,
    )


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
        tally_add(measure=Measure.STARTS, partner_id=case.delivery_partner_id, on=enrolled_on)
        tally_add(measure=Measure.CONVERTED, partner_id=case.delivery_partner_id, on=referral.created_at)
        _audit(actor, AuditVerb.ENROLLED, case, case, referral=referral.reference, enrolled_on=enrolled_on.isoformat())
        notify.referral_event(referral=referral, event="enrolled")
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
        _audit(actor, AuditVerb.CONTACT_RECORDED, contact, case, case=str(case.pk), kind=kind)
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
    contract_type: str = ContractType.PERMANENT,
    evidence: str = "",
) -> JobStart:
    """Paid work, employed or self-employed. Permitted work and volunteering are `work_activity_record`.
    The same job (same employer, any letter case, and start date) cannot be recorded twice. The form
    always asks the contract type; callers that predate it (demo data, test factories) get permanent."""
    _require_change(actor, case.delivery_partner_id)
    employer_name, job_title = employer_name.strip(), job_title.strip()
    self_employed = contract_type == ContractType.SELF_EMPLOYED
    if contract_type not in ContractType.values:
        raise DomainError("Select the type of contract, or self-employed.", field="contract_type")
    if not employer_name:
        raise DomainError(
            "Enter the business's name." if self_employed else "Enter the employer's name.", field="employer_name"
        )
    if not job_title:
        raise DomainError("Enter the job title.", field="job_title")
    if len(employer_name) > 200 or len(job_title) > 200:
        raise DomainError("Employer and job title must each be 200 characters or fewer.")
    _not_future(start_date, "The start date")
    if start_date < case.enrolled_on:
        raise DomainError("A job start cannot be before the person was enrolled.", field="start_date")
    if not Decimal("0.5") <= hours_per_week <= Decimal("80"):
        raise DomainError("Hours must be between 0.5 and 80 a week.", field="hours_per_week")
    if not Decimal("0") < hourly_pay <= Decimal("1000"):
        raise DomainError("Pay must be more than £0 and no more than £1,000 an hour.", field="hourly_pay")
    if len(evidence) > 2000:
        raise DomainError("Evidence must be 2,000 characters or fewer.", field="evidence")
    if case.stage == stages.CLOSED:
        raise DomainError("This case is closed.")
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)  # one job start write per case at a time
        if JobStart.objects.filter(case=case, employer_name__iexact=employer_name, start_date=start_date).exists():
            raise DomainError(
                f"A job start with {employer_name} on {start_date:%-d %B %Y} is already recorded for this person.",
                field="employer_name",
            )
        job = JobStart.objects.create(
            case=case,
            employer_name=employer_name,
            job_title=job_title,
            hours_per_week=hours_per_week,
            hourly_pay=hourly_pay,
            start_date=start_date,
            contract_type=contract_type,
            evidence=evidence.strip(),
            created_by=actor.user,
        )
        if case.stage == stages.ENROLLED:
            case.stage = stages.IN_WORK
            case.save(update_fields=["stage", "updated_at"])
        tally_add(measure=Measure.JOB_STARTS, partner_id=case.delivery_partner_id, on=start_date)
        _audit(
            actor,
            AuditVerb.JOB_START_RECORDED,
            job,
            case,
            case=str(case.pk),
            start_date=start_date.isoformat(),
            contract_type=contract_type,
        )
        notify.referral_event(referral=case.referral, event="started_work")
    return job


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
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    if kind not in WorkActivityKind.values:
        raise DomainError("Select permitted work or volunteering.", field="kind")
    organisation_name, role = organisation_name.strip(), role.strip()
    if not organisation_name:
        raise DomainError("Enter the organisation's name.", field="organisation_name")
    if not role:
        raise DomainError("Enter what the person does.", field="role")
    if len(organisation_name) > 200 or len(role) > 200:
        raise DomainError("The organisation and role must each be 200 characters or fewer.")
    if not Decimal("0.5") <= hours_per_week <= Decimal("80"):
        raise DomainError("Hours must be between 0.5 and 80 a week.", field="hours_per_week")
    if kind == WorkActivityKind.VOLUNTEERING and weekly_earnings:
        raise DomainError(
            "Volunteering is unpaid: leave earnings at 0 (expenses are not earnings).", field="weekly_earnings"
        )
    if not Decimal("0") <= weekly_earnings <= Decimal("10000"):
        raise DomainError("Earnings must be between £0 and £10,000 a week.", field="weekly_earnings")
    _not_future(started_on, "The start date")
    if started_on < case.enrolled_on:
        raise DomainError("This cannot start before the person was enrolled.", field="started_on")
    with transaction.atomic():
        activity = WorkActivity.objects.create(
            case=case,
            kind=kind,
            organisation_name=organisation_name,
            role=role,
            hours_per_week=hours_per_week,
            weekly_earnings=weekly_earnings,
            started_on=started_on,
            created_by=actor.user,
        )
        _audit(actor, AuditVerb.CREATED, activity, case, case=str(case.pk), kind=kind)
    return activity


def better_off_calculate(
    *, case: Case, actor: Membership, household: better_off.Household, hourly_wage: Decimal
) -> BetterOffCalculation:
    """Run the better-off-in-work calculation (0 to 40 hours, one vectorised simulation) and keep it
    against the case with its inputs, tax year and model version."""
    _require_change(actor, case.delivery_partner_id)
    better_off.household_check(household, hourly_wage)
    # The simulation takes seconds: it runs before the transaction, which then only writes.
    result = better_off.calculate(
        household,
        hourly_wage=hourly_wage,
        local_authority=getattr(settings, "BETTER_OFF_LOCAL_AUTHORITY", better_off.DEFAULT_LOCAL_AUTHORITY),
    )
    with transaction.atomic():
        calculation = BetterOffCalculation.objects.create(
            case=case,
            household=household.as_json(),
            hourly_wage=hourly_wage,
            tax_year=result.tax_year,
            model_version=result.model_version,
            results=result.as_json(),
            created_by=actor.user,
        )
        _audit(
            actor,
            AuditVerb.CALCULATED,
            calculation,
            case,
            case=str(case.pk),
            calculation="better_off_in_work",
            tax_year=result.tax_year,
            hourly_wage=str(hourly_wage),
        )
    return calculation


def onward_referral_make(
    *,
    case: Case,
    actor: Membership,
    service_id: uuid.UUID,
    reason: str,
    made_on: date,
    goal: PlanGoal | None = None,
) -> OnwardReferral:
    """Refer the person on, from their plan, to a service published in the directory."""
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why you are referring the person to this service.", field="reason")
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer.", field="reason")
    _not_future(made_on, "The referral date")
    if made_on < case.enrolled_on:
        raise DomainError("An onward referral cannot be before the person was enrolled.", field="made_on")
    if goal is not None and goal.case_id != case.pk:
        raise DomainError("Choose one of this person's goals.", field="goal")
    try:
        service = directory_selectors.published_service(service_id=service_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise DomainError("Choose a service that is published in the directory.", field="service") from exc
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if case.onward_referrals.filter(service=service, made_on=made_on, status=OnwardReferralStatus.MADE).exists():
            raise DomainError(
                f"A referral to {service.name} on {made_on:%-d %B %Y} is already recorded.", field="service"
            )
        referral = OnwardReferral.objects.create(
            case=case,
            service=service,
            service_name=service.name,
            organisation_name=service.organisation.name,
            goal=goal,
            reason=reason,
            made_on=made_on,
            status=OnwardReferralStatus.MADE,
            status_changed_on=made_on,
            created_by=actor.user,
        )
        _audit(
            actor,
            AuditVerb.REFERRED_ON,
            referral,
            case,
            case=str(case.pk),
            service=str(service.pk),
            service_name=service.name,
            status=OnwardReferralStatus.MADE.value,
        )
    return referral


def onward_referral_update(
    *, referral: OnwardReferral, actor: Membership, status: str, changed_on: date
) -> OnwardReferral:
    """Track an onward referral to its outcome: accepted, declined, attended or no response."""
    case = referral.case
    _require_change(actor, case.delivery_partner_id)
    if status not in OnwardReferralStatus.values:
        raise DomainError("Select what happened with the referral.", field="status")
    _not_future(changed_on, "The date")
    if changed_on < referral.made_on:
        raise DomainError("The outcome cannot be before the referral was made.", field="changed_on")
    with transaction.atomic():
        locked = OnwardReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == status:
            raise DomainError(
                f"This referral is already marked '{OnwardReferralStatus(status).label.lower()}'.", field="status"
            )
        referral.status = status
        referral.status_changed_on = changed_on
        referral.save(update_fields=["status", "status_changed_on", "updated_at"])
        _audit(
            actor,
            AuditVerb.REFERRED_ON,
            referral,
            case,
            case=str(case.pk),
            service_name=referral.service_name,
            status=status,
            change="outcome",
        )
    return referral


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
    _require_change(actor, case.delivery_partner_id)
    if (weeks is None) == (months is None):
        raise DomainError("Select the milestone.", field="weeks")
    code = f"{weeks}w" if weeks is not None else f"{months}m"
    if code not in MILESTONES_BY_CODE:
        raise DomainError("In-work milestones are at 4, 13 and 26 weeks and a 6-month follow-up.", field="weeks")
    milestone = MILESTONES_BY_CODE[code]
    if outcome not in MilestoneOutcome.values:
        raise DomainError("Select the outcome: still in work, changed job or left work.", field="outcome")
    _not_future(achieved_on, "The date")
    due = job_start.milestone_due_on(milestone)
    if achieved_on < due:
        raise DomainError(
            f"{milestone.label[0].upper()}{milestone.label[1:]} is reached on {due:%-d %B %Y}; "
            "the date cannot be before that.",
            field="achieved_on",
        )
    if not evidence.strip():
        raise DomainError("Enter the evidence that the person is still in work.", field="evidence")
    if len(evidence) > 2000:
        raise DomainError("Evidence must be 2,000 characters or fewer.", field="evidence")
    if weeks == 26 and not job_start.sustainments.filter(weeks=13).exists():
        raise DomainError("Record 13 weeks in work before 26 weeks.", field="weeks")
    with transaction.atomic():
        JobStart.objects.select_for_update().get(pk=job_start.pk)  # one milestone write per job at a time
        if Sustainment.objects.filter(job_start=job_start, weeks=weeks, months=months).exists():
            raise DomainError(
                f"{milestone.label[0].upper()}{milestone.label[1:]} is already recorded for this job.", field="weeks"
            )
        sustainment = Sustainment.objects.create(
            job_start=job_start,
            weeks=weeks,
            months=months,
            outcome=outcome,
            achieved_on=achieved_on,
            evidence=evidence.strip(),
            created_by=actor.user,
        )
        if weeks == 26 and outcome in IN_WORK_OUTCOMES:
            tally_add(measure=Measure.SUSTAINED_26, partner_id=case.delivery_partner_id, on=achieved_on)
        if weeks in (13, 26) and outcome in IN_WORK_OUTCOMES:
            new_stage = stages.SUSTAINED_26 if weeks == 26 else stages.SUSTAINED_13
            order = list(stages.REGISTRY)
            if order.index(new_stage) > order.index(case.stage):
                case.stage = new_stage
                case.save(update_fields=["stage", "updated_at"])
        _audit(
            actor,
            AuditVerb.SUSTAINMENT_RECORDED,
            sustainment,
            case,
            weeks=weeks,
            months=months,
            outcome=outcome,
            job_start=str(job_start.pk),
        )
    return sustainment


def wellbeing_record(
    *,
    case: Case,
    actor: Membership,
    instrument: str,
    answers: list[int],
    recorded_on: date,
    timepoint: str,
) -> WellbeingMeasure:
    """Record one completed questionnaire, scored by `instruments.score` (every answer checked)."""
    _require_change(actor, case.delivery_partner_id)
    result = instruments.score(instrument, answers)
    if timepoint not in Timepoint.values:
        raise DomainError("Select when this was completed: start, review or exit.", field="timepoint")
    _not_future(recorded_on, "The date completed")
    if recorded_on < case.enrolled_on:
        raise DomainError("A questionnaire cannot be completed before the person was enrolled.", field="recorded_on")
    with transaction.atomic():
        measure = WellbeingMeasure.objects.create(
            case=case,
            instrument=result.code,
            answers=list(result.answers),
            total=result.total,
            converted=result.converted,
            band=result.band,
            recorded_on=recorded_on,
            timepoint=timepoint,
            created_by=actor.user,
        )
        _audit(
            actor,
            AuditVerb.WELLBEING_RECORDED,
            measure,
            case,
            case=str(case.pk),
            instrument=result.code,
            timepoint=timepoint,
        )
    return measure


def case_next_step_set(*, case: Case, actor: Membership, next_action: str, next_review_on: date | None) -> Case:
    """The adviser's next action with the person and the date the plan is next reviewed."""
    _require_change(actor, case.delivery_partner_id)
    next_action = next_action.strip()
    if len(next_action) > 300:
        raise DomainError("The next action must be 300 characters or fewer.", field="next_action")
    if next_review_on is not None and next_review_on < case.enrolled_on:
        raise DomainError("The review date cannot be before the person was enrolled.", field="next_review_on")
    if case.stage == stages.CLOSED:
        raise DomainError("This case is closed.")
    with transaction.atomic():
        case.next_action = next_action
        case.next_review_on = next_review_on
        case.save(update_fields=["next_action", "next_review_on", "updated_at"])
        _audit(
            actor,
            AuditVerb.NEXT_STEP_SET,
            case,
            case,
            next_review_on=next_review_on.isoformat() if next_review_on else None,
        )
    return case


def assessment_record(
    *, case: Case, actor: Membership, assessed_on: date, ratings: dict[str, int], summary: str = ""
) -> Assessment:
    """Rate every area of barriers and strengths (1 major barrier to 5 a strength). Repeatable."""
    _require_change(actor, case.delivery_partner_id)
    for area in AssessmentArea:
        value = ratings.get(area.value)
        if value is None:
            raise DomainError(f"Rate {area.label.lower()}.", field=area.value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in AssessmentRating.values:
            raise DomainError(f"The rating for {area.label.lower()} must be from 1 to 5.", field=area.value)
    unknown = set(ratings) - set(AssessmentArea.values)
    if unknown:
        raise DomainError(f"Unknown assessment area: {', '.join(sorted(unknown))}.")
    _not_future(assessed_on, "The assessment date")
    if assessed_on < case.enrolled_on:
        raise DomainError("An assessment cannot be before the person was enrolled.", field="assessed_on")
    if len(summary) > 5000:
        raise DomainError("The summary must be 5,000 characters or fewer.", field="summary")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case, assessed_on=assessed_on, summary=summary.strip(), created_by=actor.user
        )
        AreaRating.objects.bulk_create(
            AreaRating(assessment=assessment, area=area, rating=ratings[area], created_by=actor.user)
            for area in AssessmentArea.values
        )
        _audit(
            actor,
            AuditVerb.ASSESSMENT_RECORDED,
            assessment,
            case,
            case=str(case.pk),
            assessed_on=assessed_on.isoformat(),
        )
    return assessment


def _plan_audit(actor: Membership, case: Case, target: PlanGoal | PlanAction, change: str) -> None:
    _audit(actor, AuditVerb.PLAN_UPDATED, target, case, case=str(case.pk), change=change)


def _open_case(case: Case) -> None:
    if case.stage == stages.CLOSED:
        raise DomainError("This case is closed.")


def plan_goal_add(*, case: Case, actor: Membership, text: str) -> PlanGoal:
    """A goal, in the person's own words."""
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    text = text.strip()
    if not text:
        raise DomainError("Enter the goal, in the person's words.", field="text")
    if len(text) > 500:
        raise DomainError("The goal must be 500 characters or fewer.", field="text")
    with transaction.atomic():
        goal = PlanGoal.objects.create(case=case, text=text, created_by=actor.user)
        _plan_audit(actor, case, goal, "goal_added")
    return goal


def plan_goal_set_status(*, goal: PlanGoal, actor: Membership, status: str) -> PlanGoal:
    case = goal.case
    _require_change(actor, case.delivery_partner_id)
    if status not in GoalStatus.values:
        raise DomainError("Select the goal's status.", field="status")
    if status == goal.status:
        raise DomainError(f"This goal is already marked '{GoalStatus(status).label.lower()}'.", field="status")
    with transaction.atomic():
        goal.status = status
        goal.status_changed_on = timezone.localdate()
        goal.save(update_fields=["status", "status_changed_on", "updated_at"])
        _plan_audit(actor, case, goal, f"goal_{status}")
    return goal


def plan_action_add(
    *,
    case: Case,
    actor: Membership,
    description: str,
    owner: str,
    due_on: date,
    owner_name: str = "",
    goal: PlanGoal | None = None,
) -> PlanAction:
    """An action towards the plan, with who does it and by when."""
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    description = description.strip()
    owner_name = owner_name.strip()
    if not description:
        raise DomainError("Enter the action.", field="description")
    if len(description) > 500:
        raise DomainError("The action must be 500 characters or fewer.", field="description")
    if owner not in ActionOwner.values:
        raise DomainError("Select who will do this.", field="owner")
    if owner == ActionOwner.OTHER and not owner_name:
        raise DomainError("Enter the name of the person who will do this.", field="owner_name")
    if len(owner_name) > 200:
        raise DomainError("The name must be 200 characters or fewer.", field="owner_name")
    if due_on < case.enrolled_on:
        raise DomainError("The due date cannot be before the person was enrolled.", field="due_on")
    if goal is not None and goal.case_id != case.pk:
        raise DomainError("Choose one of this person's goals.", field="goal")
    with transaction.atomic():
        action = PlanAction.objects.create(
            case=case,
            goal=goal,
            description=description,
            owner=owner,
            owner_name=owner_name if owner == ActionOwner.OTHER else "",
            due_on=due_on,
            created_by=actor.user,
        )
        _plan_audit(actor, case, action, "action_added")
    return action


def plan_action_complete(*, action: PlanAction, actor: Membership, done_on: date) -> PlanAction:
    case = action.case
    _require_change(actor, case.delivery_partner_id)
    _not_future(done_on, "The date done")
    if done_on < case.enrolled_on:
        raise DomainError("The date done cannot be before the person was enrolled.", field="done_on")
    with transaction.atomic():
        locked = PlanAction.objects.select_for_update().get(pk=action.pk)
        if locked.done_on is not None:
            raise DomainError("This action is already marked done.")
        action.done_on = done_on
        action.save(update_fields=["done_on", "updated_at"])
        _plan_audit(actor, case, action, "action_done")
    return action


def case_exit(*, case: Case, actor: Membership, closed_on: date, destination: str, reason: str) -> CaseExit:
    """End support, with where the person went and why. The case can be re-engaged later."""
    _require_change(actor, case.delivery_partner_id)
    if case.stage == stages.CLOSED:
        raise DomainError("This case is already closed.")
    if destination not in ExitDestination.values:
        raise DomainError("Select where the person went when support ended.", field="destination")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why support ended.", field="reason")
    if len(reason) > 2000:
        raise DomainError("The reason must be 2,000 characters or fewer.", field="reason")
    _not_future(closed_on, "The date support ended")
    if closed_on < case.enrolled_on:
        raise DomainError("Support cannot end before the person was enrolled.", field="closed_on")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.stage == stages.CLOSED:
            raise DomainError("This case is already closed.")
        exit_ = CaseExit.objects.create(
            case=case,
            closed_on=closed_on,
            destination=destination,
            reason=reason,
            stage_before=case.stage,
            created_by=actor.user,
        )
        case.stage = stages.CLOSED
        case.closed_on = closed_on
        case.save(update_fields=["stage", "closed_on", "updated_at"])
        _audit(
            actor,
            AuditVerb.STATUS_CHANGED,
            case,
            case,
            change="exited",
            destination=destination,
            closed_on=closed_on.isoformat(),
        )
    return exit_


def case_reengage(*, case: Case, actor: Membership, reengaged_on: date, reason: str) -> Case:
    """A person who returns: reopen the case at the stage it had when support ended."""
    _require_change(actor, case.delivery_partner_id)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the person is coming back.", field="reason")
    if len(reason) > 2000:
        raise DomainError("The reason must be 2,000 characters or fewer.", field="reason")
    _not_future(reengaged_on, "The date of re-engagement")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        last = case.exits.filter(reengaged_on__isnull=True).order_by("-closed_on", "-created_at").first()
        if case.stage != stages.CLOSED or last is None:
            raise DomainError("Only a closed case can be re-engaged.")
        if reengaged_on < last.closed_on:
            raise DomainError("Re-engagement cannot be before support ended.", field="reengaged_on")
        last.reengaged_on = reengaged_on
        last.reengage_reason = reason
        last.save(update_fields=["reengaged_on", "reengage_reason", "updated_at"])
        case.stage = last.stage_before
        case.closed_on = None
        case.save(update_fields=["stage", "closed_on", "updated_at"])
        _audit(
            actor,
            AuditVerb.STATUS_CHANGED,
            case,
            case,
            change="reengaged",
            stage=case.stage,
            reengaged_on=reengaged_on.isoformat(),
        )
    return case


@dataclass(frozen=True)
class EarlyHelpDetails:
    """What the adviser keeps up to date during early help: the fit note, the employer contact, the
    return-to-work plan, Access to Work and the outcome."""

    employer_contact: str = ""
    fit_note_advice: str = FitNoteAdvice.NONE
    fit_note_from: date | None = None
    fit_note_to: date | None = None
    phased_return: bool = False
    adjusted_duties: bool = False
    adjusted_hours: bool = False
    equipment: bool = False
    plan_notes: str = ""
    access_to_work: str = AccessToWork.NOT_NEEDED
    outcome: str = EarlyHelpOutcome.OPEN
    outcome_on: date | None = None


def _check_early_help(details: EarlyHelpDetails, started_on: date) -> EarlyHelpDetails:
    if details.fit_note_advice not in FitNoteAdvice.values:
        raise DomainError("Select what the fit note says.", field="fit_note_advice")
    if details.fit_note_advice != FitNoteAdvice.NONE and details.fit_note_from is None:
        raise DomainError("Enter the date the fit note starts.", field="fit_note_from")
    if details.fit_note_from and details.fit_note_to and details.fit_note_to < details.fit_note_from:
        raise DomainError("The fit note's end date cannot be before its start date.", field="fit_note_to")
    if details.access_to_work not in AccessToWork.values:
        raise DomainError("Select the Access to Work status.", field="access_to_work")
    if details.outcome not in EarlyHelpOutcome.values:
        raise DomainError("Select the outcome.", field="outcome")
    if details.outcome == EarlyHelpOutcome.OPEN and details.outcome_on is not None:
        raise DomainError("Leave the outcome date empty while the person is still being supported.", field="outcome_on")
    if details.outcome != EarlyHelpOutcome.OPEN:
        if details.outcome_on is None:
            raise DomainError("Enter the date of the outcome.", field="outcome_on")
        _not_future(details.outcome_on, "The date of the outcome")
        if details.outcome_on < started_on:
            raise DomainError("The outcome cannot be before early help started.", field="outcome_on")
    for name, limit in (("employer_contact", 300), ("plan_notes", 2000)):
        if len(getattr(details, name)) > limit:
            raise DomainError(f"This must be {limit:,} characters or fewer.", field=name)
    return replace(details, employer_contact=details.employer_contact.strip(), plan_notes=details.plan_notes.strip())


def early_help_start(
    *, case: Case, actor: Membership, situation: str, started_on: date, details: EarlyHelpDetails
) -> EarlyHelp:
    """Start early help for a person in work who is off sick or at risk of falling out of work."""
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    if situation not in EarlyHelpSituation.values:
        raise DomainError("Select the person's situation.", field="situation")
    _not_future(started_on, "The start date")
    if started_on < case.enrolled_on:
        raise DomainError("Early help cannot start before the person was enrolled.", field="started_on")
    details = _check_early_help(details, started_on)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if case.early_help.filter(outcome=EarlyHelpOutcome.OPEN).exists():
            raise DomainError("Early help is already open for this person: update it instead.")
        help_ = EarlyHelp.objects.create(
            case=case, situation=situation, started_on=started_on, created_by=actor.user, **asdict(details)
        )
        _audit(actor, AuditVerb.CREATED, help_, case, case=str(case.pk), situation=situation)
    return help_


def early_help_update(*, early_help: EarlyHelp, actor: Membership, details: EarlyHelpDetails) -> EarlyHelp:
    """Keep the fit note, return-to-work plan, Access to Work and outcome up to date."""
    case = early_help.case
    _require_change(actor, case.delivery_partner_id)
    details = _check_early_help(details, early_help.started_on)
    with transaction.atomic():
        for name, value in asdict(details).items():
            setattr(early_help, name, value)
        early_help.save()
        _audit(
            actor,
            AuditVerb.UPDATED,
            early_help,
            case,
            case=str(case.pk),
            outcome=details.outcome,
            access_to_work=details.access_to_work,
        )
    return early_help


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
    _require_change(actor, case.delivery_partner_id)
    _open_case(case)
    employer_name, job_title = employer_name.strip(), job_title.strip()
    if not employer_name:
        raise DomainError("Enter the employer's name.", field="employer_name")
    if not job_title:
        raise DomainError("Enter the job title.", field="job_title")
    if len(employer_name) > 200 or len(job_title) > 200:
        raise DomainError("Employer and job title must each be 200 characters or fewer.")
    _not_future(applied_on, "The application date")
    if applied_on < case.enrolled_on:
        raise DomainError("An application cannot be before the person was enrolled.", field="applied_on")
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
        _audit(actor, AuditVerb.CREATED, application, case, case=str(case.pk), status=status)
    return application


def job_application_update(
    *, application: JobApplication, actor: Membership, status: str, interview_on: date | None
) -> JobApplication:
    case = application.case
    _require_change(actor, case.delivery_partner_id)
    _check_application(status, interview_on, application.applied_on)
    with transaction.atomic():
        application.status = status
        application.interview_on = interview_on
        application.save(update_fields=["status", "interview_on", "updated_at"])
        _audit(actor, AuditVerb.UPDATED, application, case, case=str(case.pk), status=status)
    return application
