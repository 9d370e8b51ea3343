from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.core.views import form_page
from joinedup.jobs.selectors import job_for
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..pages import case_for_form, form_data, read_audit
from . import calculator, selectors, services
from .charts import better_off_chart
from .forms import BetterOffForm, HoursConsideredForm

if TYPE_CHECKING:
    from ..enrolment.models import Case


@require_perm(Perm.CASE_CHANGE_ORG)
def better_off(request: MemberRequest, pk: UUID) -> HttpResponse:
    """The household form; on a valid POST the calculation is kept and queued, and its page shows
    its progress, then its result."""
    case = case_for_form(request, pk)
    form = BetterOffForm(form_data(request), initial=_better_off_initial(case))
    return form_page(
        request,
        form,
        lambda f: services.better_off_request(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/better_off_form.html",
        context={
            "case": case,
            "assumptions": calculator.ASSUMPTIONS,
            "tax_year": calculator.TAX_YEAR_LABEL,
        },
        success="Calculation started",
        redirect_to=lambda calc: ("cases:better_off_detail", case.pk, calc.pk),
        read_audit=read_audit(request, case),
    )


def _better_off_initial(case: Case) -> dict[str, object]:
    """Start from the last calculation's household, else from what the referral says."""
    last = selectors.better_off_calculations(case=case, limit=1)
    if last:
        household = last[0].household
        initial = {k: v for k, v in household.items() if k != "children_ages"}
        initial["children_ages"] = ", ".join(str(a) for a in household["children_ages"])
        initial["hourly_wage"] = last[0].hourly_wage
        return initial
    today = timezone.localdate()
    born = case.person.date_of_birth
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {
        "age": age,
        "hourly_wage": "12.71",
        "tenure": "social",
        "lcwra": "uc_lcwra" in (case.referral.benefits or []),
    }


@require_perm(Perm.CASE_VIEW_ORG)
def better_off_detail(request: MemberRequest, pk: UUID, calc_pk: UUID) -> HttpResponse:
    case, calculation = case_for_form(
        request, pk, lambda case: selectors.better_off_calculation_get(case=case, pk=calc_pk)
    )
    household = calculator.Household.from_json(calculation.household)
    if not calculation.results:  # still with the worker: where it is, refreshing itself
        job = job_for(key=services.better_off_job_key(calculation), organisation_id=case.delivery_partner_id)
        return render(
            request,
            "cases/better_off_progress.html",
            {"case": case, "calculation": calculation, "household": household, "job": job},
        )
    points = calculation.results["points"]
    hours_form = HoursConsideredForm(request.GET if "hours" in request.GET else None)
    hours = hours_form.considered()
    return render(
        request,
        "cases/better_off.html",
        {
            "case": case,
            "calculation": calculation,
            "household": household,
            "tenure": calculator.TENURE_LABELS.get(household.tenure, household.tenure),
            "points": points,
            "hours_form": hours_form,
            "hours": hours,
            "chart": better_off_chart(points, hours=hours),
            "assumptions": calculator.ASSUMPTIONS,
            "tax_year": calculator.TAX_YEAR_LABEL,
        },
    )
