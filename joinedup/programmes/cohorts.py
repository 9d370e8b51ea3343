"""Deriving the cohort columns kept on a participation: age at start, distance from the labour
market, the main benefit. Rules written once, here."""

from __future__ import annotations

import calendar
from datetime import date

from joinedup.people.choices import Benefit

from .choices import DistanceBand

# The benefit a participant is counted under when they are on several: the most health-related first.
BENEFIT_ORDER = (Benefit.ESA, Benefit.UC_LCWRA, Benefit.UC_LCW, Benefit.UC, Benefit.JSA, Benefit.PIP)
HEALTH_BENEFITS = frozenset({Benefit.ESA.value, Benefit.UC_LCWRA.value, Benefit.UC_LCW.value})


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# Age bands at start: (under this age, band), then the band for the rest; one list for the
# performance tables' Python (`age_band`) and SQL (`selectors.performance.AGE_BANDS`).
AGE_BAND_LIMITS = ((25, "16-24"), (35, "25-34"), (50, "35-49"), (55, "50-54"))
AGE_BAND_TOP = "55+"
AGE_NOT_RECORDED = "not recorded"


def age_band(age: int | None) -> str:
    if age is None:
        return AGE_NOT_RECORDED
    return next((band for limit, band in AGE_BAND_LIMITS if age < limit), AGE_BAND_TOP)


def main_benefit(benefits: tuple[str, ...]) -> str:
    for benefit in BENEFIT_ORDER:
        if benefit.value in benefits:
            return benefit.value
    return Benefit.NONE.value


def distance_band(*, months_out_of_work: int | None, benefit: str, first_assessment_mean: float | None) -> str:
    """Points for time out of work (12+ months 1, 24+ 2), a health-related benefit (LCW 1, ESA or
    LCWRA 2) and the first assessment (a mean rating below 3: 1, below 2: 2). 0-1 near, 2-3 middle,
    4+ far."""
    points = 0
    months = months_out_of_work or 0
    points += 2 if months >= 24 else 1 if months >= 12 else 0
    points += 2 if benefit in (Benefit.ESA, Benefit.UC_LCWRA) else 1 if benefit == Benefit.UC_LCW else 0
    if first_assessment_mean is not None:
        points += 2 if first_assessment_mean < 2 else 1 if first_assessment_mean < 3 else 0
    if points >= 4:
        return DistanceBand.FAR
    return DistanceBand.MIDDLE if points >= 2 else DistanceBand.NEAR


def add_months(start: date, months: int) -> date:
    """The same day `months` later; a day the month lacks (31st, 29 February) becomes its last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
