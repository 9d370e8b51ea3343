from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..enrolment import selectors as enrolment_selectors
from ..pages import case_for_form, form_data, read_audit
from . import selectors, services
from .forms import ActionDoneForm, GoalForm, OnwardReferralForm, OnwardReferralUpdateForm, PlanActionForm
from .models import GoalStatus

if TYPE_CHECKING:
    from ..enrolment.models import Case


def _plan_page(
    request: MemberRequest, case: Case, form: BaseForm, heading: str, action: Callable[[Any], object], success: str
) -> HttpResponse:
    """A form on the personal plan: back to the plan when it is saved."""
    return form_page(
        request,
        form,
        action,
        template="cases/plan_form.html",
        context={"case": case, "heading": heading},
        success=success,
        redirect_to=("cases:plan", case.pk),
        read_audit=read_audit(request, case),
    )


@require_perm(Perm.CASE_VIEW_ORG)
def plan(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = enrolment_selectors.case_get(actor=request.membership, pk=pk)
    return render(request, "cases/plan.html", _plan_context(case))


def _plan_context(case: Case, **extra: object) -> dict[str, object]:
    return {
        "case": case,
        "plan": selectors.case_plan(case=case),
        "referrals": selectors.onward_referrals(case=case),
        **extra,
    }


@require_perm(Perm.CASE_CHANGE_ORG)
def goal_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    form = GoalForm(form_data(request))
    return _plan_page(
        request,
        case,
        form,
        "Add a goal",
        lambda f: services.plan_goal_add(case=case, actor=request.membership, **f.cleaned_data),
        "Goal saved",
    )


@require_POST
@require_perm(Perm.CASE_CHANGE_ORG)
def goal_status(request: MemberRequest, pk: UUID, goal_pk: UUID) -> HttpResponse:
    case, goal = case_for_form(request, pk, lambda case: selectors.plan_goal_get(case=case, pk=goal_pk))
    try:
        services.plan_goal_set_status(goal=goal, actor=request.membership, status=request.POST.get("status", ""))
    except DomainError as exc:
        enrolment_selectors.case_read_audit(actor=request.membership, case=case)  # the plan is shown, nothing recorded
        return render(request, "cases/plan.html", _plan_context(case, problem=exc.message), status=400)
    messages.success(request, f"Goal marked '{goal.get_status_display().lower()}'")
    return redirect("cases:plan", pk=case.pk)


@require_perm(Perm.CASE_CHANGE_ORG)
def action_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    goals = list(case.goals.filter(status=GoalStatus.OPEN))
    form = PlanActionForm(form_data(request), goals=goals)
    return _plan_page(
        request,
        case,
        form,
        "Add an action",
        lambda f: services.plan_action_add(case=case, actor=request.membership, **f.service_arguments()),
        "Action saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def action_done(request: MemberRequest, pk: UUID, action_pk: UUID) -> HttpResponse:
    case, action = case_for_form(request, pk, lambda case: selectors.plan_action_get(case=case, pk=action_pk))
    form = ActionDoneForm(form_data(request), initial={"done_on": timezone.localdate()})
    return _plan_page(
        request,
        case,
        form,
        f"Mark done: {action.description[:60]}",
        lambda f: services.plan_action_complete(action=action, actor=request.membership, **f.cleaned_data),
        "Action marked as done",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def onward_referral_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    search = request.GET.get("q", "").strip()[:200]
    services_found = selectors.services_to_refer_to(text=search)
    goals = list(case.goals.filter(status=GoalStatus.OPEN))
    form = OnwardReferralForm(
        form_data(request), services=services_found, goals=goals, initial={"made_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda f: services.onward_referral_make(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/onward_referral.html",
        context={
            "case": case,
            "search": search,
            "found": len(services_found),
            "did_you_mean": "" if services_found else selectors.services_to_refer_to_suggestion(text=search),
        },
        success=lambda r: f"Referral to {r.service_name} saved",
        redirect_to=("cases:plan", case.pk),
        read_audit=read_audit(request, case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def onward_referral_update(request: MemberRequest, pk: UUID, ref_pk: UUID) -> HttpResponse:
    case, referral = case_for_form(request, pk, lambda case: selectors.onward_referral_get(case=case, pk=ref_pk))
    form = OnwardReferralUpdateForm(form_data(request), initial={"changed_on": timezone.localdate()})
    return _plan_page(
        request,
        case,
        form,
        f"Outcome of the referral to {referral.service_name}",
        lambda f: services.onward_referral_update(referral=referral, actor=request.membership, **f.cleaned_data),
        "Referral updated",
    )
