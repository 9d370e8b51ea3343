"""Reads of the better-off-in-work calculations kept against a case."""

from __future__ import annotations

from uuid import UUID

from joinedup.core.selectors import get_in_scope

from ..enrolment.models import Case
from .models import BetterOffCalculation


def better_off_calculations(*, case: Case, limit: int = 10) -> list[BetterOffCalculation]:
    """The case's better-off-in-work calculations, newest first."""
    # The list shows when, the wage and who: the 41-point results stay in the database.
    return list(BetterOffCalculation.objects.filter(case=case).select_related("created_by").defer("results")[:limit])


def better_off_calculation_get(*, case: Case, pk: UUID | str) -> BetterOffCalculation:
    return get_in_scope(BetterOffCalculation.objects.select_related("created_by").filter(case=case), pk=pk)


def latest_better_off(*, case_ids: list[UUID]) -> dict[UUID, BetterOffCalculation]:
    """Each case's most recent better-off calculation, for matching people to vacancies (`employers`)."""
    out: dict[UUID, BetterOffCalculation] = {}
    rows = BetterOffCalculation.objects.filter(case_id__in=case_ids).only(
        "case_id", "hourly_wage", "results", "created_at"
    )
    for calc in rows.order_by("case_id", "-created_at"):
        out.setdefault(calc.case_id, calc)
    return out
