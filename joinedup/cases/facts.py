"""Facts about a case for another app's records (the programmes app's ESF participant data, claims
evidence and fidelity scores). Unscoped: called by subscribers and services that have already
checked the actor may see the case, inside the announcing service's transaction or their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import Avg, Q, QuerySet

from .better_off.models import BetterOffCalculation
from .enrolment.models import Case
from .wellbeing.models import AreaRating
from .work.models import JobStart, Sustainment


@dataclass(frozen=True)
class CaseFacts:
    case_id: UUID
    person_id: UUID
    delivery_partner_id: UUID
    enrolled_on: date
    date_of_birth: date
    postcode: str
    employment_status: str
    health_condition: str
    benefits: tuple[str, ...]
    route: str
    months_out_of_work: int | None
    eligibility_evidence: str
    first_assessment_mean: float | None  # the first assessment's mean rating (1 major barrier .. 5 strength)


def _months(details: dict[str, object], name: str) -> int | None:
    value = details.get(name)
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def case_facts(case_id: UUID) -> CaseFacts | None:
    case = Case.objects.select_related("person", "referral").filter(pk=case_id).first()
    if case is None:
        return None
    referral, person = case.referral, case.person
    details = referral.details or {}
    first = case.assessments.order_by("assessed_on", "created_at").first()
    mean = AreaRating.objects.filter(assessment=first).aggregate(m=Avg("rating"))["m"] if first else None
    return CaseFacts(
        case_id=case.pk,
        person_id=person.pk,
        delivery_partner_id=case.delivery_partner_id,
        enrolled_on=case.enrolled_on,
        date_of_birth=person.date_of_birth,
        postcode=person.postcode,
        employment_status=referral.employment_status,
        health_condition=referral.health_condition,
        benefits=tuple(referral.benefits or ()),
        route=referral.route,
        months_out_of_work=_months(details, "months_out_of_work") or _months(details, "months_on_benefits"),
        eligibility_evidence=case.eligibility_evidence,
        first_assessment_mean=float(mean) if mean is not None else None,
    )


@dataclass(frozen=True)
class WorkFacts:
    """A job start or an in-work milestone, as evidence."""

    record_id: UUID
    case_id: UUID
    job_start_id: UUID
    happened_on: date
    described: str
    evidence: str
    hours_per_week: Decimal
    self_employed: bool


def job_start_facts(job_start_id: UUID) -> WorkFacts | None:
    job = JobStart.objects.filter(pk=job_start_id).first()
    if job is None:
        return None
    return WorkFacts(
        record_id=job.pk,
        case_id=job.case_id,
        job_start_id=job.pk,
        happened_on=job.start_date,
        described=f"Job start: {job.job_title} at {job.employer_name}, {job.hours_per_week} hours a week",
        evidence=job.evidence,
        hours_per_week=job.hours_per_week,
        self_employed=job.self_employed,
    )


def sustainment_facts(sustainment_id: UUID) -> WorkFacts | None:
    found = Sustainment.objects.select_related("job_start").filter(pk=sustainment_id).first()
    if found is None:
        return None
    job = found.job_start
    return WorkFacts(
        record_id=found.pk,
        case_id=job.case_id,
        job_start_id=job.pk,
        happened_on=found.achieved_on,
        described=f"{found.milestone.label}: {found.get_outcome_display()} ({job.job_title} at {job.employer_name})",
        evidence=found.evidence,
        hours_per_week=job.hours_per_week,
        self_employed=job.self_employed,
    )


def better_off_case_ids() -> QuerySet[BetterOffCalculation, UUID]:
    """The cases that have had a better-off-in-work calculation, as a subquery for another app's
    grouped counts (`Q(case_id__in=better_off_case_ids())`: one query, however many cases)."""
    return BetterOffCalculation.objects.values_list("case_id", flat=True)


def plan_review_missed_case_ids(*, today: date, enrolled_before: date) -> QuerySet[Case, UUID]:
    """The cases whose plan has missed its review: the date it was next to be reviewed
    (`next_review_on`, set by the adviser at each review) has passed, or no review was ever set and
    the case was enrolled before `enrolled_before`. A subquery for another app's grouped counts."""
    missed = Q(next_review_on__lt=today) | Q(next_review_on__isnull=True, enrolled_on__lt=enrolled_before)
    return Case.objects.filter(missed).values_list("pk", flat=True)


@dataclass(frozen=True)
class MilestoneFacts:
    sustainment_id: UUID
    job_start_id: UUID
    weeks: int | None
    in_work: bool


def case_work(case_id: UUID) -> tuple[list[UUID], list[MilestoneFacts]]:
    """The case's job starts (ids, earliest first) and their in-work milestones."""
    jobs = list(JobStart.objects.filter(case_id=case_id).order_by("start_date").values_list("pk", flat=True))
    milestones = [
        MilestoneFacts(s.pk, s.job_start_id, s.weeks, s.in_work)
        for s in Sustainment.objects.filter(job_start__case_id=case_id).order_by("achieved_on")
    ]
    return jobs, milestones
