"""A better-off-in-work calculation kept against the case."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from ..enrolment.models import Case


class BetterOffCalculation(BaseModel):
    """A better-off-in-work calculation run for the person: the household it was run for, the hourly
    wage, the tax year and model version, and the net income at each number of hours (see
    `better_off.py`). Kept so the adviser and the person can come back to it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="better_off_calculations")
    household = models.JSONField()  # better_off.Household.as_json()
    hourly_wage = models.DecimalField(max_digits=6, decimal_places=2)
    tax_year = models.PositiveSmallIntegerField()  # PolicyEngine's year: 2026 is the 2026 to 2027 tax year
    model_version = models.CharField(max_length=40)
    results = models.JSONField()  # better_off.Result.as_json()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "created_at"])]
