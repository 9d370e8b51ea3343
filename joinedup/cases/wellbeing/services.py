"""Writes for wellbeing questionnaires and assessments. One transaction, one audit."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.models import Membership

from .. import limits
from ..checks import audit, require_change, since_enrolment
from ..enrolment.models import Case
from . import instruments
from .models import AreaRating, Assessment, AssessmentArea, AssessmentRating, Timepoint, WellbeingMeasure


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
    require_change(actor, case.delivery_partner_id)
    result = instruments.score(instrument, answers)
    if timepoint not in Timepoint.values:
        raise DomainError("Select when this was completed: start, review or exit.", field="timepoint")
    since_enrolment(
        case,
        recorded_on,
        label="The date completed",
        field="recorded_on",
        before="A questionnaire cannot be completed before the person was enrolled.",
    )
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
        audit(
            actor,
            AuditVerb.WELLBEING_RECORDED,
            measure,
            case,
            case=str(case.pk),
            instrument=result.code,
            timepoint=timepoint,
        )
    return measure


def _check_ratings(ratings: dict[str, int]) -> None:
    for area in AssessmentArea:
        value = ratings.get(area.value)
        if value is None:
            raise DomainError(f"Rate {area.label.lower()}.", field=area.value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in AssessmentRating.values:
            raise DomainError(f"The rating for {area.label.lower()} must be from 1 to 5.", field=area.value)
    unknown = set(ratings) - set(AssessmentArea.values)
    if unknown:
        raise DomainError(f"Unknown assessment area: {', '.join(sorted(unknown))}.")


def assessment_record(
    *, case: Case, actor: Membership, assessed_on: date, ratings: dict[str, int], summary: str = ""
) -> Assessment:
    """Rate every area of barriers and strengths (1 major barrier to 5 a strength). Repeatable."""
    require_change(actor, case.delivery_partner_id)
    _check_ratings(ratings)
    since_enrolment(
        case,
        assessed_on,
        label="The assessment date",
        field="assessed_on",
        before="An assessment cannot be before the person was enrolled.",
    )
    limits.ASSESSMENT_SUMMARY.check(summary, field="summary")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case, assessed_on=assessed_on, summary=summary.strip(), created_by=actor.user
        )
        AreaRating.objects.bulk_create(
            AreaRating(assessment=assessment, area=area, rating=ratings[area], created_by=actor.user)
            for area in AssessmentArea.values
        )
        audit(
            actor,
            AuditVerb.ASSESSMENT_RECORDED,
            assessment,
            case,
            case=str(case.pk),
            assessed_on=assessed_on.isoformat(),
        )
    return assessment
