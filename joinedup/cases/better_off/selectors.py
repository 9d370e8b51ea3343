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
