"""A case's place on a programme: its ESF participant data, leaving and follow-up, courses,
expenses, the job entries claimed (and withdrawing one's evidence); the adviser's follow-ups due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.audit.services import list_read_audit
from joinedup.cases import selectors as case_selectors
from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from .. import selectors, services
from ..forms import ChooseProgrammeForm, CourseForm, EsfForm, ExpenseForm, FollowUpForm, LeavingForm, WithdrawForm
from ..models import Expense, Participation
from .common import form_data


def _case(request: MemberRequest, case_pk: UUID) -> Any:
    return case_selectors.case_get(actor=request.membership, pk=case_pk, audit=request.method == "GET")


def _participation(request: MemberRequest, case_pk: UUID) -> tuple[Any, Participation]:
    case = _case(request, case_pk)
    participation = selectors.participation_for_case(actor=request.membership, case_id=case.pk)
    if participation is None:
        raise Http404("This case is on no programme")
    return case, participation


@require_perm(Perm.CASE_VIEW_ORG)
def participant(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    case = _case(request, case_pk)
    participation = selectors.participation_for_case(actor=request.membership, case_id=case.pk)
    context: dict[str, Any] = {"case": case, "p": participation}
    if participation is not None:
        context.update(
            courses=participation.courses.all(),
            expenses=participation.expenses.all(),
            entries=participation.job_entries.all(),
            claims=participation.claims.prefetch_related("evidence"),
            approve=has_perm(request.membership, Perm.EXPENSE_APPROVE_ORG),
            withdraw=has_perm(request.membership, Perm.CLAIM_SUBMIT_ORG),
        )
    return render(request, "programmes/participant.html", context)


def _page(
    request: MemberRequest, case: Any, form: Any, action: Callable[[Any], object], title: str, success: str
) -> HttpResponse:
    return form_page(
        request,
        form,
        action,
        template="programmes/form.html",
        context={"title": title, "caption": case.person.full_name, "back": ("programmes:participant", (case.pk,))},
        success=success,
        redirect_to=("programmes:participant", case.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def join(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    case = _case(request, case_pk)
    running = selectors.programmes_running_on(actor=request.membership, on=case.enrolled_on)
    by_pk = {str(p.pk): p for p in running}
    form = ChooseProgrammeForm(form_data(request), programmes=[(k, p.name) for k, p in by_pk.items()])
    action = lambda f: services.participation_start(  # noqa: E731
        actor=request.membership, case_id=case.pk, programme=by_pk[f.cleaned_data["programme"]]
    )
    return _page(request, case, form, action, "Choose the programme", "The case is on the programme")


@require_perm(Perm.CASE_CHANGE_ORG)
def esf(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    case, p = _participation(request, case_pk)
    initial = {name: getattr(p, name) for name in EsfForm().fields} if p.esf_complete else {}
    form = EsfForm(form_data(request), initial=initial)
    action = lambda f: services.esf_record(actor=request.membership, participation=p, data=f.esf_input())  # noqa: E731
    return _page(request, case, form, action, "ESF participant data at start", "Participant data saved")


def _participation_form(form_class: type[Any], service: Callable[..., object], title: str, success: str) -> Any:
    """A page with one form about the case's participation, whose cleaned data goes to `service`."""

    @require_perm(Perm.CASE_CHANGE_ORG)
    def view(request: MemberRequest, case_pk: UUID) -> HttpResponse:
        case, p = _participation(request, case_pk)
        form = form_class(form_data(request))
        action = lambda f: service(actor=request.membership, participation=p, **f.cleaned_data)  # noqa: E731
        return _page(request, case, form, action, title, success)

    return view


leaving = _participation_form(LeavingForm, services.leaving_record, "Status on leaving", "Leaving status saved")
follow_up = _participation_form(FollowUpForm, services.follow_up_record, "Six-month follow-up", "Follow-up saved")
course_new = _participation_form(CourseForm, services.course_record, "Add a course or qualification", "Course saved")
expense_new = _participation_form(
    ExpenseForm, services.expense_request, "Ask for an expense or hardship payment", "Payment asked for"
)


@require_POST
@require_perm(Perm.EXPENSE_APPROVE_ORG)
def expense_decide(request: MemberRequest, case_pk: UUID, expense_pk: UUID) -> HttpResponse:
    case, p = _participation(request, case_pk)
    expense = Expense.objects.filter(pk=expense_pk, participation=p).first()
    if expense is None:
        raise Http404("No such payment")
    try:
        services.expense_decide(actor=request.membership, expense=expense, approve=request.POST.get("approve") == "yes")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Payment decided")
    return redirect("programmes:participant", case.pk)


@require_perm(Perm.CLAIM_SUBMIT_ORG)
def withdraw(request: MemberRequest, case_pk: UUID, entry_pk: UUID) -> HttpResponse:
    case, p = _participation(request, case_pk)
    entry = p.job_entries.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("No such job entry")
    form = WithdrawForm(form_data(request))

    def action(f: WithdrawForm) -> object:
        return services.job_entry_withdraw(actor=request.membership, job_entry=entry, reason=f.cleaned_data["reason"])

    return _page(
        request, case, form, action, "Withdraw a job start's evidence", "Evidence withdrawn: its claims are reversed"
    )


@require_perm(Perm.CASE_VIEW_ORG)
def follow_ups(request: MemberRequest) -> HttpResponse:
    due = list(selectors.follow_ups_due(actor=request.membership))
    list_read_audit(request, "programme_follow_ups", shown=len(due))
    return render(request, "programmes/follow_ups.html", {"due": due})
