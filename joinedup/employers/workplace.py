"""Workplace health: an employer's self-assessment against the Workplace Wellbeing Charter (eight
standards at three levels, evidence per item, valid two years, repeatable), occupational health
advice requests to a directory provider (tracked to the answer and its response time), and the
sickness absence an employer shares; adjustments and Access to Work per job, with the reminder when
nothing is in place four weeks after the start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Perm, has_perm

from . import limits
from .access import audit, require_edit
from .choices import CHARTER_LEVELS, AccessToWorkElement, AccessToWorkStatus, AdjustmentKind, CharterStandard, WhoPays
from .models import AccessToWork, Adjustment, AdviceRequest, CharterAnswer, CharterAssessment, Employer, SicknessAbsence

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership

VALID_YEARS = 2
ADJUSTMENT_REMINDER_WEEKS = 4


@dataclass(frozen=True)
class Answer:
    standard: str
    level: str
    met: bool
    evidence: str = ""


def level_reached(answers: dict[tuple[str, str], bool], standard: str) -> str:
    """The highest level whose items, and every lower level's, are met ("" for none)."""
    reached = ""
    for level in CHARTER_LEVELS:
        if not answers.get((standard, level), False):
            break
        reached = level
    return reached


def assessment_record(
    *, actor: Membership, employer: Employer, assessed_on: date, answers: list[Answer]
) -> CharterAssessment:
    """A self-assessment. Each standard and level may be answered once: an item answered twice is
    refused, and nothing is saved."""
    require_edit(actor, employer)
    if assessed_on > timezone.localdate():
        raise DomainError("The date of the assessment cannot be in the future.", field="assessed_on")
    seen: set[tuple[str, str]] = set()
    for a in answers:
        key = (a.standard, a.level)
        if a.standard not in CharterStandard.values or a.level not in CHARTER_LEVELS:
            raise DomainError("Answer the charter's standards at its three levels.", field="answers")
        if key in seen:
            label = CharterStandard(a.standard).label
            raise DomainError(f"{label} at {a.level} level is answered twice. Answer each item once.", field="answers")
        seen.add(key)
        limits.EVIDENCE.check(a.evidence, field="answers")
    if not answers:
        raise DomainError("Answer at least one item.", field="answers")
    with transaction.atomic():
        assessment = CharterAssessment.objects.create(
            employer=employer,
            assessed_on=assessed_on,
            valid_until=assessed_on.replace(year=assessed_on.year + VALID_YEARS)
            if not (assessed_on.month == 2 and assessed_on.day == 29)
            else assessed_on + timedelta(days=365 * VALID_YEARS),
            created_by=actor.user,
        )
        try:
            CharterAnswer.objects.bulk_create(
                [
                    CharterAnswer(
                        assessment=assessment,
                        standard=a.standard,
                        level=a.level,
                        met=a.met,
                        evidence=a.evidence.strip(),
                    )
                    for a in answers
                ]
            )
        except IntegrityError as exc:  # pragma: no cover - the check above refuses it first
            raise DomainError("An item is answered twice.", field="answers") from exc
        audit(actor, AuditVerb.ASSESSMENT_RECORDED, assessment, employer=employer.pk, items=len(answers))
    return assessment


@dataclass(frozen=True)
class StandardResult:
    standard: str
    label: str
    level: str  # "" none
    score: int  # 0 to 3: the chart's bar


@dataclass(frozen=True)
class AssessmentSummary:
    assessment: CharterAssessment
    standards: list[StandardResult]

    @property
    def overall(self) -> str:
        """The charter level reached overall: the lowest level reached across the standards."""
        scores = [s.score for s in self.standards]
        lowest = min(scores) if scores else 0
        return CHARTER_LEVELS[lowest - 1].label if lowest else "Not yet at commitment"

    @property
    def current(self) -> bool:
        return self.assessment.valid_until >= timezone.localdate()


def summarise(assessment: CharterAssessment) -> AssessmentSummary:
    answers = {(a.standard, a.level): a.met for a in assessment.answers.all()}
    results = []
    for standard in CharterStandard:
        level = level_reached(answers, standard.value)
        score = CHARTER_LEVELS.index(level) + 1 if level else 0
        results.append(StandardResult(standard.value, standard.label, level, score))
    return AssessmentSummary(assessment, results)


def advice_request(
    *, actor: Membership, employer: Employer, provider_id: Any, question: str, about_employee: bool, urgency: str
) -> AdviceRequest:
    """A small employer's occupational health question to an advice provider listed in the directory.
    An employee's situation is described without naming them."""
    from joinedup.directory import selectors as directory_selectors

    require_edit(actor, employer)
    question = question.strip()
    if not question:
        raise DomainError("Enter the question.", field="question")
    limits.QUESTION.check(question, field="question")
    try:
        provider = directory_selectors.published_service(service_id=provider_id)
    except Exception as exc:
        raise DomainError("Select an advice provider from the directory.", field="provider_id") from exc
    with transaction.atomic():
        req = AdviceRequest.objects.create(
            employer=employer,
            provider=provider,
            question=question,
            about_employee=about_employee,
            urgency=urgency,
            created_by=actor.user,
        )
        audit(actor, AuditVerb.CREATED, req, employer=employer.pk, provider=provider.pk)
    return req


def advice_answer(*, actor: Membership, request: AdviceRequest, answer: str) -> AdviceRequest:
    """The provider's answer, recorded by the partnership (the owner) when it comes back."""
    if not (has_perm(actor, Perm.EMPLOYER_CHANGE_ORG) and request.employer.owner_id == actor.organisation_id):
        raise NotPermitted("Only the organisation holding the employer relationship records answers.")
    answer = answer.strip()
    if not answer:
        raise DomainError("Enter the answer.", field="answer")
    limits.ANSWER.check(answer, field="answer")
    with transaction.atomic():
        req = AdviceRequest.objects.select_for_update().get(pk=request.pk)
        if req.answered_at is None:
            req.answer, req.answered_at, req.status = answer, timezone.now(), "answered"
            req.save(update_fields=["answer", "answered_at", "status", "updated_at"])
            audit(actor, AuditVerb.UPDATED, req, status="answered")
    return req


def absence_record(
    *, actor: Membership, employer: Employer, period_start: date, period_end: date, days_lost: Decimal, headcount: int
) -> SicknessAbsence:
    require_edit(actor, employer)
    if period_end < period_start:
        raise DomainError("The end of the period cannot be before its start.", field="period_end")
    if period_end > timezone.localdate():
        raise DomainError("The period cannot end in the future.", field="period_end")
    if headcount < 1:
        raise DomainError("Enter the number of staff (at least 1).", field="headcount")
    if days_lost < 0 or days_lost > headcount * ((period_end - period_start).days + 1):
        raise DomainError("Days lost cannot be more than the staff's days in the period.", field="days_lost")
    with transaction.atomic():
        if SicknessAbsence.objects.filter(employer=employer, period_start=period_start, period_end=period_end).exists():
            raise DomainError("Sickness absence for that period is already recorded.", field="period_start")
        row = SicknessAbsence.objects.create(
            employer=employer,
            period_start=period_start,
            period_end=period_end,
            days_lost=days_lost,
            headcount=headcount,
            created_by=actor.user,
        )
        audit(actor, AuditVerb.CREATED, row, employer=employer.pk)
    return row


def employer_workplace(*, employer: Employer) -> dict[str, Any]:
    """What the employer's page shows of workplace health (no personal data)."""
    assessments = [summarise(a) for a in employer.assessments.prefetch_related("answers")[:5]]
    absences = list(employer.absences.all())
    return {
        "assessments": assessments,
        "advice_requests": list(employer.advice_requests.select_related("provider")[:20]),
        "absences": [(a, (a.days_lost / a.headcount).quantize(Decimal("0.1"))) for a in absences],
    }


# Adjustments and Access to Work, per job -----------------------------------------------------------


def _require_job(actor: Membership, job: Any) -> None:
    if not has_perm(actor, Perm.CASE_CHANGE_ORG) or job.case.delivery_partner_id != actor.organisation_id:
        raise NotPermitted("You can only do this for people your organisation supports.")


def adjustment_record(
    *, actor: Membership, job: Any, kind: str, description: str, who_pays: str, in_place_on: date | None = None
) -> Adjustment:
    _require_job(actor, job)
    if kind not in AdjustmentKind.values:
        raise DomainError("Select the kind of adjustment.", field="kind")
    if who_pays not in WhoPays.values:
        raise DomainError("Select who pays.", field="who_pays")
    description = description.strip()
    if not description:
        raise DomainError("Describe the adjustment.", field="description")
    limits.ADJUSTMENT.check(description, field="description")
    if in_place_on and in_place_on > timezone.localdate():
        raise DomainError("The date it was in place cannot be in the future.", field="in_place_on")
    with transaction.atomic():
        row = Adjustment.objects.create(
            job_start=job,
            kind=kind,
            description=description,
            who_pays=who_pays,
            in_place_on=in_place_on,
            created_by=actor.user,
        )
        audit(actor, AuditVerb.UPDATED, row, person_id=job.case.person_id, job_start=job.pk)
    return row


def access_to_work_set(
    *,
    actor: Membership,
    job: Any,
    status: str,
    elements: list[str],
    applied_on: date | None = None,
    decided_on: date | None = None,
) -> AccessToWork:
    _require_job(actor, job)
    if status not in AccessToWorkStatus.values:
        raise DomainError("Select where the Access to Work application is.", field="status")
    if set(elements) - set(AccessToWorkElement.values):
        raise DomainError("Select elements from the list.", field="elements")
    if status == AccessToWorkStatus.AWARDED and not elements:
        raise DomainError("Select what was awarded.", field="elements")
    if status != AccessToWorkStatus.NOT_APPLIED and applied_on is None:
        raise DomainError("Enter the date of the application.", field="applied_on")
    if applied_on and decided_on and decided_on < applied_on:
        raise DomainError("The decision cannot be before the application.", field="decided_on")
    values = {
        "status": status,
        "elements": elements if status == AccessToWorkStatus.AWARDED else [],
        "applied_on": applied_on,
        "decided_on": decided_on,
    }
    with transaction.atomic():
        row, _ = AccessToWork.objects.update_or_create(
            job_start=job, defaults=values, create_defaults={**values, "created_by": actor.user}
        )
        audit(actor, AuditVerb.UPDATED, row, person_id=job.case.person_id, status=status)
    return row


def adjustments_reminders(*, actor: Membership) -> list[Any]:
    """Job starts at the actor's organisation with adjustments needed but nothing in place four
    weeks after the start (no adjustment in place and no Access to Work award)."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see this.")
    from joinedup.cases import selectors as case_selectors

    cutoff = timezone.localdate() - timedelta(weeks=ADJUSTMENT_REMINDER_WEEKS)
    jobs = case_selectors.job_starts_at(partner_id=actor.organisation_id, started_before=cutoff)
    agreed = Adjustment.objects.filter(job_start=OuterRef("pk"))
    in_place = agreed.filter(in_place_on__isnull=False)
    awarded = AccessToWork.objects.filter(job_start=OuterRef("pk"), status=AccessToWorkStatus.AWARDED)
    needed = Q(case__work_preferences__adjustments_needed__isnull=False) & ~Q(
        case__work_preferences__adjustments_needed=[]
    )
    return list(
        jobs.filter(Exists(agreed) | needed)
        .exclude(Exists(in_place))
        .exclude(Exists(awarded))
        .order_by("start_date")[:100]
    )
