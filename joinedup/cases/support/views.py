from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.forms import BaseForm
from django.http import HttpResponse

from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..pages import case_for_form, case_page, form_data
from . import selectors, services
from .forms import EarlyHelpForm, ExitForm, ReengageForm

if TYPE_CHECKING:
    from ..enrolment.models import Case


@require_perm(Perm.CASE_CHANGE_ORG)
def case_exit(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        ExitForm(form_data(request)),
        lambda f: services.case_exit(case=case, actor=request.membership, **f.cleaned_data),
        "cases/exit.html",
        "Support ended",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def case_reengage(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        ReengageForm(form_data(request)),
        lambda f: services.case_reengage(case=case, actor=request.membership, **f.cleaned_data),
        "cases/reengage.html",
        "The person is re-engaged",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def early_help_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    form = EarlyHelpForm(form_data(request), starting=True)
    return _early_help_form(
        request,
        case,
        form,
        lambda f: services.early_help_start(
            case=case,
            actor=request.membership,
            situation=f.cleaned_data["situation"],
            started_on=f.cleaned_data["started_on"],
            details=services.EarlyHelpDetails(**f.details()),
        ),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def early_help_edit(request: MemberRequest, pk: UUID, help_pk: UUID) -> HttpResponse:
    case, help_ = case_for_form(request, pk, lambda case: selectors.early_help_get(case=case, pk=help_pk))
    initial = {f: getattr(help_, f) for f in services.EarlyHelpDetails.__dataclass_fields__}
    form = EarlyHelpForm(form_data(request), starting=False, initial=initial)
    return _early_help_form(
        request,
        case,
        form,
        lambda f: services.early_help_update(
            early_help=help_, actor=request.membership, details=services.EarlyHelpDetails(**f.details())
        ),
    )


def _early_help_form(
    request: MemberRequest, case: Case, form: BaseForm, action: Callable[[Any], object]
) -> HttpResponse:
    return case_page(
        request, case, form, action, "cases/plan_form.html", "Early help saved", heading="Early help", back="detail"
    )
