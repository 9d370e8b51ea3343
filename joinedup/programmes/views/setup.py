"""Setting up a programme: the list, a new programme, its page, targets, contracts, budgets, tariff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render

from joinedup.core.forms import GovForm
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm
from joinedup.organisations.selectors import delivery_partners

from .. import selectors, services
from ..forms import BudgetForm, ContractForm, ProgrammeForm, TargetForm, TariffForm
from ..models import Programme
from .common import form_data

VIEWERS = (Perm.PROGRAMME_VIEW, Perm.CLAIM_SUBMIT_ORG)


@require_perm(*VIEWERS)
def programme_list(request: MemberRequest) -> HttpResponse:
    programmes = selectors.programmes_for(actor=request.membership).select_related("tariff")
    return render(request, "programmes/list.html", {"programmes": programmes})


@require_perm(Perm.PROGRAMME_MANAGE)
def programme_new(request: MemberRequest) -> HttpResponse:
    form = ProgrammeForm(form_data(request))
    return form_page(
        request,
        form,
        lambda f: services.programme_create(actor=request.membership, **f.service_arguments()),
        template="programmes/form.html",
        context={"title": "Set up a programme", "back": ("programmes:list", ())},
        success="Programme set up",
        redirect_to=lambda p: ("programmes:detail", p.pk),
    )


@require_perm(*VIEWERS)
def programme_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    context = {
        "programme": programme,
        "funders": programme.funders.all(),
        "targets": programme.targets.all(),
        "contracts": programme.contracts.select_related("partner").order_by("partner__name"),
        "budgets": programme.budgets.select_related("partner").order_by("partner__name"),
        "tariff": getattr(programme, "tariff", None),
        "rules": list(programme.tariff.rules.all()) if hasattr(programme, "tariff") else [],
    }
    return render(request, "programmes/detail.html", context)


def _setup_page(
    request: MemberRequest,
    programme: Programme,
    form: GovForm,
    action: Callable[[Any], object],
    title: str,
    success: str,
) -> HttpResponse:
    return form_page(
        request,
        form,
        action,
        template="programmes/form.html",
        context={"title": title, "caption": programme.name, "back": ("programmes:detail", (programme.pk,))},
        success=success,
        redirect_to=("programmes:detail", programme.pk),
    )


def _partners() -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in delivery_partners()]


@require_perm(Perm.PROGRAMME_MANAGE)
def target_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    form = TargetForm(form_data(request), initial={"year": programme.starts_on.year})
    action = lambda f: services.target_set(actor=request.membership, programme=programme, **f.cleaned_data)  # noqa: E731
    return _setup_page(request, programme, form, action, "Set a year's targets", "Targets saved")


@require_perm(Perm.PROGRAMME_MANAGE)
def contract_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    form = ContractForm(form_data(request), partners=_partners())

    def action(f: ContractForm) -> object:
        data = f.cleaned_data
        return services.contract_set(
            actor=request.membership,
            programme=programme,
            partner_id=UUID(data["partner"]),
            allocated_starts=data["allocated_starts"],
            value=data["value"],
        )

    return _setup_page(request, programme, form, action, "Contract a delivery partner", "Contract saved")


@require_perm(Perm.PROGRAMME_MANAGE)
def budget_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    form = BudgetForm(form_data(request), partners=_partners())

    def action(f: BudgetForm) -> object:
        data = f.cleaned_data
        return services.budget_set(
            actor=request.membership, programme=programme, partner_id=UUID(data["partner"]), amount=data["amount"]
        )

    return _setup_page(request, programme, form, action, "Set a partner's expenses budget", "Budget saved")


@require_perm(Perm.PROGRAMME_MANAGE)
def tariff_edit(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    form = TariffForm(form_data(request))
    action = lambda f: services.tariff_set(actor=request.membership, programme=programme, **f.service_arguments())  # noqa: E731
    return _setup_page(request, programme, form, action, "Set the tariff", "Tariff saved")
