"""Reads for wellbeing: each questionnaire's scores over time, and the assessments' history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from joinedup.core.compiled import CompiledQuery

from ..enrolment.models import Case
from . import instruments
from .models import AreaRating, Assessment, AssessmentArea, AssessmentRating, WellbeingMeasure


@dataclass(frozen=True)
class WellbeingPoint:
    measure: WellbeingMeasure
    value: Decimal | int
    band: str


@dataclass(frozen=True)
class WellbeingSeries:
    """One score over time: a questionnaire's total (or metric score), or one ONS4 question."""

    name: str
    low: int  # the scale's lowest and highest scores
    high: int
    higher_is_better: bool
    points: list[WellbeingPoint]

    @property
    def scale(self) -> str:
        return f"{self.low} to {self.high}"

    @property
    def better(self) -> str:
        """Which way is better on this scale, in words for the chart and its table."""
        return "Higher scores are better" if self.higher_is_better else "Lower scores are better"

    @property
    def chart(self) -> Markup:
        """The scores as a line over time (issue 18), drawn by `wellbeing/charts.py`."""
        from .charts import wellbeing_chart

        return wellbeing_chart(self)

    @property
    def change(self) -> Decimal | int | None:
        return self.points[-1].value - self.points[0].value if len(self.points) > 1 else None

    @property
    def improved(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return (change > 0) == self.higher_is_better


_wellbeing_of = CompiledQuery(  # `CompiledQuery`, decision 011
    lambda case: WellbeingMeasure.objects.filter(case=case).order_by("recorded_on", "created_at"),
    case=WellbeingMeasure._meta.get_field("case"),
)


def case_wellbeing(*, case: Case) -> list[WellbeingSeries]:
    """Each instrument's scores for the case in date order, ready for a table and a line chart. One query."""
    by_code: dict[str, list[WellbeingMeasure]] = {}
    for m in _wellbeing_of(case=case.pk):
        by_code.setdefault(m.instrument, []).append(m)
    series: list[WellbeingSeries] = []
    for code, inst in instruments.REGISTRY.items():
        measures = by_code.get(code)
        if not measures:
            continue
        if inst.has_total:
            low, high = inst.total_range
            name = f"{inst.name}{', metric score' if code == instruments.SWEMWBS else ', total'}"
            points = [
                WellbeingPoint(m, v, m.band)
                for m in measures
                for v in [m.converted if m.converted is not None else m.total]
            ]
            series.append(WellbeingSeries(name, low, high, inst.higher_is_better, points))
        else:
            for i, item in enumerate(inst.item_names):
                bands = inst.item_bands[i]
                points = [WellbeingPoint(m, m.answers[i], instruments.band_of(bands, m.answers[i])) for m in measures]
                higher = item != "Anxiety"
                series.append(WellbeingSeries(f"ONS4: {item}", inst.minimum, inst.maximum, higher, points))
    return series


@dataclass(frozen=True)
class AreaHistory:
    area: str
    label: str
    ratings: list[int | None]  # one per assessment, oldest first
    labels: list[str]

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        return list(zip(self.ratings, self.labels, strict=True))

    @property
    def change(self) -> int | None:
        known = [r for r in self.ratings if r is not None]
        return known[-1] - known[0] if len(known) > 1 else None


@dataclass(frozen=True)
class AssessmentHistory:
    assessments: list[Assessment]
    areas: list[AreaHistory]


# A case's assessments, and their ratings as values (`CompiledQuery`, decision 011).
_assessments_of = CompiledQuery(
    lambda case: Assessment.objects.filter(case=case).only("assessed_on", "summary", "created_at"),
    case=Assessment._meta.get_field("case"),
)
_ratings_of = CompiledQuery(
    lambda case: AreaRating.objects.filter(assessment__case=case).values_list("assessment_id", "area", "rating"),
    case=Assessment._meta.get_field("case"),
)


def case_assessments(*, case: Case) -> AssessmentHistory:
    """Every assessment of the case, oldest first, as one row per area. Two queries: the ratings
    (a dozen an assessment) are read as values, not model instances, as the table shows only them."""
    assessments = _assessments_of(case=case.pk)
    given: dict[object, dict[str, int]] = {a.pk: {} for a in assessments}
    if given:
        for assessment_id, area, rating in _ratings_of(case=case.pk):
            given[assessment_id][area] = rating
    by_assessment = list(given.values())
    label = dict(AssessmentRating.choices)
    areas = []
    for area in AssessmentArea:
        ratings = [g.get(area.value) for g in by_assessment]
        labels = [label[r] if r else "Not rated" for r in ratings]
        areas.append(AreaHistory(area.value, area.label, ratings, labels))
    return AssessmentHistory(assessments, areas)
