from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse

from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..pages import case_for_form, case_page, form_data, read_audit
from . import instruments, services
from .forms import AssessmentForm, WellbeingForm


@require_perm(Perm.CASE_CHANGE_ORG)
def wellbeing_new(request: MemberRequest, pk: UUID, code: str) -> HttpResponse:
    case = case_for_form(request, pk)
    if code not in instruments.REGISTRY:
        raise Http404("No such questionnaire")
    instrument = instruments.REGISTRY[code]
    return form_page(
        request,
        WellbeingForm(form_data(request), instrument=instrument),
        lambda f: services.wellbeing_record(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/wellbeing_new.html",
        context={"case": case, "instrument": instrument},
        success=lambda measure: f"{instrument.name} saved{': ' + measure.band if measure.band else ''}",
        redirect_to=("cases:detail", case.pk),
        read_audit=read_audit(request, case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def assessment_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        AssessmentForm(form_data(request)),
        lambda f: services.assessment_record(case=case, actor=request.membership, **f.service_arguments()),
        "cases/assessment_new.html",
        "Assessment saved",
    )
