"""ESF participant data: joining a programme, the characteristics at start, leaving, the six-month
follow-up, courses and qualifications."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.cases import selectors as case_selectors
from joinedup.core.errors import DomainError
from joinedup.directory.areas import area_for_postcode
from joinedup.organisations.permissions import Membership, Perm

from .. import cohorts, limits
from ..checks import audit, require
from ..choices import Gender, Isced, LabourMarketStatus, QualificationLevel, YesNo, YesNoPrivate
from ..models import Course, Participation, Programme
from ..tally import contribution, tallied, tally_change

FOLLOW_UP_MONTHS = 6


@dataclass(frozen=True)
class EsfInput:
    """The ESF characteristics at start. Every item is required; the sensitive ones may be
    "prefer not to say"."""

    gender: str
    labour_market_status: str
    isced: str
    jobless_household: str
    dependent_children: str
    single_adult_dependent_children: str
    basic_skills_need: str
    homeless: str
    rural: str
    disability: str
    ethnic_minority_migrant: str
    other_disadvantage: str


SENSITIVE = ("disability", "ethnic_minority_migrant", "other_disadvantage")
LABELS = {
    "gender": "gender",
    "labour_market_status": "the labour market status that best describes their situation",
    "isced": "their highest level of education",
    "jobless_household": "whether they live in a jobless household",
    "dependent_children": "whether they live with dependent children",
    "single_adult_dependent_children": "whether they are a single adult with dependent children",
    "basic_skills_need": "whether they have a basic skills need",
    "homeless": "whether they are homeless or affected by housing exclusion",
    "rural": "whether they live in a rural area",
    "disability": "whether they have a disability",
    "ethnic_minority_migrant": "whether they are from an ethnic minority or have a migrant background",
    "other_disadvantage": "whether they have another disadvantage (for example an ex-offender or care leaver)",
}
ALLOWED = {
    "gender": Gender.values,
    "labour_market_status": LabourMarketStatus.values,
    "isced": Isced.values,
    **dict.fromkeys(SENSITIVE, YesNoPrivate.values),
}


def check_esf(data: EsfInput) -> None:
    for f in fields(EsfInput):
        value = getattr(data, f.name)
        allowed = ALLOWED.get(f.name, YesNo.values)
        if value not in allowed:
            if value == YesNoPrivate.PREFER_NOT:
                raise DomainError(f"Choose yes or no for {LABELS[f.name]}: this item is not optional", field=f.name)
            raise DomainError(f"Choose {LABELS[f.name]}", field=f.name)
    if data.single_adult_dependent_children == YesNo.YES and data.dependent_children != YesNo.YES:
        raise DomainError(
            "A single adult with dependent children lives with dependent children: answer yes to both",
            field="dependent_children",
        )


def participation_join(*, programme: Programme, case_id: UUID, partner_id: UUID, started_on: date) -> Participation:
    """The case joins the programme (inside the caller's transaction). A case is on one programme."""
    if not programme.starts_on <= started_on <= programme.ends_on:
        raise DomainError(f"{programme.name} is not running on {started_on:%-d %B %Y}", field="programme")
    if not programme.contracts.filter(partner_id=partner_id).exists():
        raise DomainError(f"The case's delivery partner is not contracted on {programme.name}", field="programme")
    found = Participation.objects.filter(case_id=case_id).first()
    if found is not None:
        if found.programme_id != programme.pk:
            raise DomainError("This case already belongs to another programme", field="programme")
        return found
    created = Participation.objects.create(
        programme=programme, case_id=case_id, partner_id=partner_id, started_on=started_on
    )
    tally_change(programme.pk, Counter(), contribution(created))
    return created


def participation_start(*, actor: Membership, case_id: UUID, programme: Programme) -> Participation:
    """An adviser puts a case on a programme (when the partner runs more than one)."""
    require(actor, Perm.CASE_CHANGE_ORG)
    facts = case_selectors.case_facts(case_id)
    if facts is None or facts.delivery_partner_id != actor.organisation_id:
        raise DomainError("No such case at your organisation", field="programme")
    with transaction.atomic():
        participation = participation_join(
            programme=programme, case_id=case_id, partner_id=facts.delivery_partner_id, started_on=facts.enrolled_on
        )
        audit(actor, AuditVerb.UPDATED, participation, facts.person_id, programme=programme.code)
    return participation


def _own(actor: Membership, participation: Participation) -> None:
    require(actor, Perm.CASE_CHANGE_ORG)
    if participation.partner_id != actor.organisation_id:
        raise DomainError("This participant is not at your organisation")


def esf_record(*, actor: Membership, participation: Participation, data: EsfInput) -> Participation:
    """Record the ESF characteristics at start, and the cohort snapshot from the case."""
    _own(actor, participation)
    check_esf(data)
    facts = case_selectors.case_facts(participation.case_id)
    if facts is None:  # pragma: no cover - a participation's case is protected from deletion
        raise DomainError("The case could not be found")
    benefit = cohorts.main_benefit(facts.benefits)
    with transaction.atomic(), tallied(participation.pk, participation.programme_id):
        for f in fields(EsfInput):
            setattr(participation, f.name, getattr(data, f.name))
        participation.age_at_start = cohorts.age_on(facts.date_of_birth, participation.started_on)
        participation.health_condition = facts.health_condition
        participation.benefit = benefit
        participation.route = facts.route
        participation.local_authority = area_for_postcode(facts.postcode) or ""
        participation.months_out_of_work = facts.months_out_of_work
        participation.distance = cohorts.distance_band(
            months_out_of_work=facts.months_out_of_work,
            benefit=benefit,
            first_assessment_mean=facts.first_assessment_mean,
        )
        participation.esf_recorded_on = participation.esf_recorded_on or timezone.localdate()
        participation.save()
        audit(actor, AuditVerb.UPDATED, participation, facts.person_id, esf="recorded")
    return participation


def leaving_record(
    *,
    actor: Membership,
    participation: Participation,
    left_on: date,
    job_search: bool,
    education: bool,
    qualification: bool,
    employed: bool,
) -> Participation:
    """The status on leaving (the ESF immediate results); the follow-up falls due six months on."""
    _own(actor, participation)
    if left_on < participation.started_on:
        raise DomainError("They cannot leave before they started", field="left_on")
    if left_on > timezone.localdate():
        raise DomainError("The date they left cannot be in the future", field="left_on")
    with transaction.atomic():
        set_leaving(participation, left_on, job_search, education, qualification, employed)
        audit(actor, AuditVerb.UPDATED, participation, None, left_on=left_on)
    return participation


def set_leaving(
    p: Participation, left_on: date, job_search: bool, education: bool, qualification: bool, employed: bool
) -> None:
    with tallied(p.pk, p.programme_id):
        p.left_on = left_on
        p.leaving_job_search, p.leaving_education = job_search, education
        p.leaving_qualification, p.leaving_employed = qualification, employed
        p.follow_up_due_on = cohorts.add_months(left_on, FOLLOW_UP_MONTHS)
        p.save()


def follow_up_record(
    *, actor: Membership, participation: Participation, on: date, employed: bool, improved: bool
) -> Participation:
    """The six-month follow-up: in employment, and whether their labour market situation improved."""
    _own(actor, participation)
    if participation.follow_up_due_on is None:
        raise DomainError("The follow-up is due six months after they leave: record their leaving first")
    if on < participation.follow_up_due_on:
        raise DomainError(f"The follow-up is not due until {participation.follow_up_due_on:%-d %B %Y}", field="on")
    if on > timezone.localdate():
        raise DomainError("The follow-up date cannot be in the future", field="on")
    with transaction.atomic(), tallied(participation.pk, participation.programme_id):
        participation.follow_up_on = on
        participation.follow_up_employed, participation.follow_up_improved = employed, improved
        participation.save()
        audit(actor, AuditVerb.UPDATED, participation, None, follow_up=on)
    return participation


def course_record(
    *,
    actor: Membership,
    participation: Participation,
    name: str,
    provider: str,
    level: str,
    started_on: date,
    completed_on: date | None,
    qualification_gained: bool,
) -> Course:
    _own(actor, participation)
    for value, limit, field in ((name, limits.COURSE, "name"), (provider, limits.PROVIDER, "provider")):
        if not value.strip():
            raise DomainError(f"Enter {limit.noun}", field=field)
        if len(value.strip()) > limit.max_length:
            raise DomainError(limit.message, field=field)
    if level not in QualificationLevel.values:
        raise DomainError("Choose the course's level", field="level")
    if completed_on is not None and completed_on < started_on:
        raise DomainError("A course cannot be completed before it started", field="completed_on")
    if qualification_gained and completed_on is None:
        raise DomainError(
            "A qualification is gained on completing the course: enter when it was completed", field="completed_on"
        )
    with transaction.atomic():
        course = Course.objects.create(
            participation=participation,
            name=name.strip(),
            provider=provider.strip(),
            level=level,
            started_on=started_on,
            completed_on=completed_on,
            qualification_gained=qualification_gained,
            created_by=actor.user,
        )
        if qualification_gained and participation.left_on is None:
            with tallied(participation.pk, participation.programme_id):
                participation.leaving_qualification = True
                participation.save(update_fields=["leaving_qualification", "updated_at"])
        audit(actor, AuditVerb.UPDATED, course, None, course=course.name)
    return course
