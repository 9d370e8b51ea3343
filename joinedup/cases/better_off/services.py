"""Writes for better-off-in-work calculations. One transaction, one audit.

The adviser's page asks for a calculation (`better_off_request`: the household kept, results to
come, one audit event, a background job queued in the same transaction); the worker runs it
(`better_off_run`, the job) and fills in the results; the page shows its progress until then.
`better_off_calculate` does both at once, in the caller's process."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.events import announce
from joinedup.jobs.registry import Progress, job
from joinedup.organisations.models import Membership

from ..checks import audit, require_change
from ..enrolment.models import Case
from ..events import BetterOffKept, CaseEvent
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
    result = calculator.calculate(household, hourly_wage=hourly_wage, local_authority=_local_authority())
    with transaction.atomic():
        return _keep(
            case=case,
            actor=actor,
            household=household,
            hourly_wage=hourly_wage,
            tax_year=result.tax_year,
            model_version=result.model_version,
            results=result.as_json(),
        )


def _local_authority() -> str:
    return getattr(settings, "BETTER_OFF_LOCAL_AUTHORITY", calculator.DEFAULT_LOCAL_AUTHORITY)


def _keep(
    *,
    case: Case,
    actor: Membership,
    household: calculator.Household,
    hourly_wage: Decimal,
    tax_year: int,
    model_version: str,
    results: dict[str, object],
) -> BetterOffCalculation:
    """The calculation's row and its one audit event (in the caller's transaction)."""
    calculation = BetterOffCalculation.objects.create(
        case=case,
        household=household.as_json(),
        hourly_wage=hourly_wage,
        tax_year=tax_year,
        model_version=model_version,
        results=results,
        created_by=actor.user,
    )
    ids = {"case_id": case.pk, "calculation_id": calculation.pk, "delivery_partner_id": case.delivery_partner_id}
    announce(CaseEvent.BETTER_OFF_KEPT, BetterOffKept(**ids))
    audit(
        actor,
        AuditVerb.CALCULATED,
        calculation,
        case,
        case=str(case.pk),
        calculation="better_off_in_work",
        tax_year=tax_year,
        hourly_wage=str(hourly_wage),
    )
    return calculation


def better_off_job_key(calculation: BetterOffCalculation) -> str:
    return f"better-off:{calculation.pk}"


def better_off_request(
    *, case: Case, actor: Membership, household: calculator.Household, hourly_wage: Decimal
) -> BetterOffCalculation:
    """Keep the household and wage against the case and queue the calculation (0 to 40 hours) for
    the background worker; its results are empty (`{}`) until the worker has run it."""
    require_change(actor, case.delivery_partner_id)
    calculator.household_check(household, hourly_wage)
    with transaction.atomic():
        calculation = _keep(
            case=case,
            actor=actor,
            household=household,
            hourly_wage=hourly_wage,
            tax_year=calculator.TAX_YEAR,
            model_version=calculator.model_version(),
            results={},
        )
        better_off_run.enqueue(
            key=better_off_job_key(calculation), organisation_id=case.delivery_partner_id, calculation=calculation.pk
        )
    return calculation


@job(label="Work out a better-off-in-work calculation", max_attempts=2, backoff_seconds=5, lease_seconds=120)
def better_off_run(*, calculation: str, progress: Progress) -> dict[str, object]:
    """The background job: run the calculation kept by `better_off_request` and store its results."""
    kept = BetterOffCalculation.objects.get(pk=calculation)
    if kept.results:
        return {"calculation": calculation, "seconds": kept.results.get("seconds")}
    progress.report(10, "Working out net income at 0 to 40 hours a week")
    result = calculator.calculate(
        calculator.Household.from_json(kept.household),
        hourly_wage=kept.hourly_wage,
        local_authority=_local_authority(),
    )
    progress.report(90, "Saving the results")
    BetterOffCalculation.objects.filter(pk=kept.pk).update(
        results=result.as_json(), model_version=result.model_version, tax_year=result.tax_year
    )
    return {"calculation": calculation, "seconds": round(result.seconds, 3)}
