"""Writes for better-off-in-work calculations. One transaction, one audit."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.organisations.models import Membership

from ..checks import audit, require_change
from ..enrolment.models import Case
from . import calculator
from .models import BetterOffCalculation


def better_off_calculate(
    *, case: Case, actor: Membership, household: calculator.Household, hourly_wage: Decimal
) -> BetterOffCalculation:
    """Run the better-off-in-work calculation (0 to 40 hours, one vectorised simulation) and keep it
    against the case with its inputs, tax year and model version."""
    require_change(actor, case.delivery_partner_id)
    calculator.household_check(household, hourly_wage)
    # The simulation takes seconds: it runs before the transaction, which then only writes.
    result = calculator.calculate(
        household,
        hourly_wage=hourly_wage,
        local_authority=getattr(settings, "BETTER_OFF_LOCAL_AUTHORITY", calculator.DEFAULT_LOCAL_AUTHORITY),
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
        audit(
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
