from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.decorators import require_perm
from joinedup.core.errors import DomainError
from joinedup.core.forms import unbound_fields_html
from joinedup.core.views import form_page
from joinedup.organisations.permissions import Perm

from . import better_off as better_off_module
from . import instruments, selectors, services
from .forms import (
    ActionDoneForm,
    AssessmentForm,
    BetterOffForm,
    CaseloadFilterForm,
    ContactForm,
    EarlyHelpForm,
    EnrolForm,
    ExitForm,
    GoalForm,
    JobApplicationForm,
    JobStartForm,
    NextStepForm,
    OnwardReferralForm,
    OnwardReferralUpdateForm,
    PlanActionForm,
    ReengageForm,
    SustainmentForm,
    WellbeingForm,
    WorkActivityForm,
)
from .models import GoalStatus

AWAITING_SHOWN = 50  # the longest waiting first; the count says how many more


@require_perm(Perm.CASE_VIEW_ORG)
def caseload(request):
    actor = request.membership
    form = CaseloadFilterForm(request.GET or {"show": "mine"})
    filters = selectors.CaseloadFilters(**form.filters())
    rows = selectors.caseload(actor=actor, filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    awaiting, awaiting_total = selectors.awaiting_enrolment_shown(
        actor=actor, mine_only=filters.mine_only, limit=AWAITING_SHOWN
    )
    context = {
        "rows": rows,
        "page": rows,
        "query": query.urlencode(),
        "milestones_due": selectors.milestones_due(actor=actor, mine_only=filters.mine_only),
        "awaiting": awaiting,
        "awaiting_total": awaiting_total,
        "mine": filters.mine_only,
        "filtered": bool(filters.stage or filters.review or filters.no_recent_contact or filters.adviser_id),
        "filter_fields": form.shown(),
        "stale_days": selectors.CONTACT_STALE_AFTER_DAYS,
    }
    return render(request, "cases/caseload.html", context)


@require_perm(Perm.CASE_VIEW_ORG)
def team(request):
    sizes = selectors.caseload_sizes(actor=request.membership)
    return render(
        request,
        "cases/team.html",
        {
            "sizes": sizes,
            "limit": selectors.IPS_MAX_ACTIVE_CASES,
            "over": [s for s in sizes if s.over_ips_limit],
        },
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def enrol(request, referral_pk):
    referral = selectors.referral_for_enrolment(actor=request.membership, pk=referral_pk)
    return form_page(
        request,
        EnrolForm(_data(request)),
        lambda f: services.case_enrol(referral=referral, actor=request.membership, **f.cleaned_data),
        template="cases/enrol.html",
        context={"referral": referral},
        success=f"{referral.person.full_name} is enrolled",
        redirect_to=lambda case: ("cases:detail", case.pk),
    )


@require_perm(Perm.CASE_VIEW_ORG)
def case_detail(request, pk):
    record = selectors.case_record(actor=request.membership, pk=pk)
    context = {
        **{f.name: getattr(record, f.name) for f in dataclasses.fields(record)},
        "instruments": instruments.REGISTRY.values(),
        "quick_contact": _quick_contact_fields(),
    }
    return render(request, "cases/detail.html", context)


def _quick_contact_fields():
    """The case page's quick contact entry: the contact form's fields with its defaults (the
    template's form posts them to the contact page). The same markup for every case."""
    return unbound_fields_html(ContactForm, initial=ContactForm.quick_defaults(), auto_id="quick_%s")


def _case_for_form(request, pk, lookup=None):
    """The case a form page is about, and with `lookup` the record of that case the form is for.
    Showing the form (GET) shows the person's name, so it is an audited read, written only once the
    record is found (a 404 reads nothing); a POST is audited by the service it calls, once."""
    case = selectors.case_get(actor=request.membership, pk=pk, audit=False)
    item = lookup(case) if lookup else None
    if request.method == "GET":
        selectors.case_read_audit(actor=request.membership, case=case)
    return (case, item) if lookup else case


def _data(request):
    return request.POST if request.method == "POST" else None


def _reads(request, case):
    """For `form_page`: a POST shown again shows the person's record without a service having
    recorded anything, so it is an audited read."""
    return lambda: selectors.case_read_audit(actor=request.membership, case=case)


def _case_page(request, case, form, action, template: str, success: str, **extra):
    """A form about one case: back to the case page when it is saved."""
    return form_page(
        request,
        form,
        action,
        template=template,
        context={"case": case, **extra},
        success=success,
        redirect_to=("cases:detail", case.pk),
        read_audit=_reads(request, case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def contact_new(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        ContactForm(_data(request), initial=ContactForm.quick_defaults()),
        lambda f: services.contact_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/contact_new.html",
        "Contact saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def job_start_new(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        JobStartForm(_data(request)),
        lambda f: services.job_start_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/job_start_new.html",
        "Job start saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def sustainment_new(request, pk, job_pk):
    # Look the job start up before showing the form, so another case's job start is a 404 on GET too.
    case, job = _case_for_form(
        request, pk, lambda case: selectors.job_start_get(actor=request.membership, case=case, pk=job_pk)
    )

    form = SustainmentForm(_data(request), initial={"weeks": request.GET.get("milestone", "")})
    return _case_page(
        request,
        case,
        form,
        lambda f: services.sustainment_record(job_start=job, actor=request.membership, **f.service_arguments()),
        "cases/sustainment_new.html",
        "Milestone saved",
        job=job,
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def wellbeing_new(request, pk, code):
    case = _case_for_form(request, pk)
    if code not in instruments.REGISTRY:
        raise Http404("No such questionnaire")
    instrument = instruments.REGISTRY[code]
    return form_page(
        request,
        WellbeingForm(_data(request), instrument=instrument),
        lambda f: services.wellbeing_record(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/wellbeing_new.html",
        context={"case": case, "instrument": instrument},
        success=lambda measure: f"{instrument.name} saved{': ' + measure.band if measure.band else ''}",
        redirect_to=("cases:detail", case.pk),
        read_audit=_reads(request, case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def next_step(request, pk):
    case = _case_for_form(request, pk)
    initial = {"next_action": case.next_action, "next_review_on": case.next_review_on}
    return _case_page(
        request,
        case,
        NextStepForm(_data(request), initial=initial),
        lambda f: services.case_next_step_set(case=case, actor=request.membership, **f.cleaned_data),
        "cases/next_step.html",
        "Next step saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def assessment_new(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        AssessmentForm(_data(request)),
        lambda f: services.assessment_record(case=case, actor=request.membership, **f.service_arguments()),
        "cases/assessment_new.html",
        "Assessment saved",
    )


def _plan_page(request, case, form, heading: str, action, success: str):
    """A form on the personal plan: back to the plan when it is saved."""
    return form_page(
        request,
        form,
        action,
        template="cases/plan_form.html",
        context={"case": case, "heading": heading},
        success=success,
        redirect_to=("cases:plan", case.pk),
        read_audit=_reads(request, case),
    )


@require_perm(Perm.CASE_VIEW_ORG)
def plan(request, pk):
    case = selectors.case_get(actor=request.membership, pk=pk)
    return render(request, "cases/plan.html", _plan_context(case))


def _plan_context(case, **extra):
    return {
        "case": case,
        "plan": selectors.case_plan(case=case),
        "referrals": selectors.onward_referrals(case=case),
        **extra,
    }


@require_perm(Perm.CASE_CHANGE_ORG)
def goal_new(request, pk):
    case = _case_for_form(request, pk)
    form = GoalForm(_data(request))
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
def goal_status(request, pk, goal_pk):
    case, goal = _case_for_form(request, pk, lambda case: selectors.plan_goal_get(case=case, pk=goal_pk))
    try:
        services.plan_goal_set_status(goal=goal, actor=request.membership, status=request.POST.get("status", ""))
    except DomainError as exc:
        selectors.case_read_audit(actor=request.membership, case=case)  # the plan is shown, nothing recorded
        return render(request, "cases/plan.html", _plan_context(case, problem=exc.message), status=400)
    messages.success(request, f"Goal marked '{goal.get_status_display().lower()}'")
    return redirect("cases:plan", pk=case.pk)


@require_perm(Perm.CASE_CHANGE_ORG)
def action_new(request, pk):
    case = _case_for_form(request, pk)
    goals = list(case.goals.filter(status=GoalStatus.OPEN))
    form = PlanActionForm(_data(request), goals=goals)
    return _plan_page(
        request,
        case,
        form,
        "Add an action",
        lambda f: services.plan_action_add(case=case, actor=request.membership, **f.service_arguments()),
        "Action saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def action_done(request, pk, action_pk):
    case, action = _case_for_form(request, pk, lambda case: selectors.plan_action_get(case=case, pk=action_pk))
    form = ActionDoneForm(_data(request), initial={"done_on": timezone.localdate()})
    return _plan_page(
        request,
        case,
        form,
        f"Mark done: {action.description[:60]}",
        lambda f: services.plan_action_complete(action=action, actor=request.membership, **f.cleaned_data),
        "Action marked as done",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def case_exit(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        ExitForm(_data(request)),
        lambda f: services.case_exit(case=case, actor=request.membership, **f.cleaned_data),
        "cases/exit.html",
        "Support ended",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def case_reengage(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        ReengageForm(_data(request)),
        lambda f: services.case_reengage(case=case, actor=request.membership, **f.cleaned_data),
        "cases/reengage.html",
        "The person is re-engaged",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def early_help_new(request, pk):
    case = _case_for_form(request, pk)
    form = EarlyHelpForm(_data(request), starting=True)
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
def early_help_edit(request, pk, help_pk):
    case, help_ = _case_for_form(request, pk, lambda case: selectors.early_help_get(case=case, pk=help_pk))
    initial = {f: getattr(help_, f) for f in services.EarlyHelpDetails.__dataclass_fields__}
    form = EarlyHelpForm(_data(request), starting=False, initial=initial)
    return _early_help_form(
        request,
        case,
        form,
        lambda f: services.early_help_update(
            early_help=help_, actor=request.membership, details=services.EarlyHelpDetails(**f.details())
        ),
    )


def _early_help_form(request, case, form, action):
    return _case_page(
        request, case, form, action, "cases/plan_form.html", "Early help saved", heading="Early help", back="detail"
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def application_new(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        JobApplicationForm(_data(request)),
        lambda f: services.job_application_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/application.html",
        "Application saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def application_edit(request, pk, app_pk):
    case, application = _case_for_form(request, pk, lambda case: selectors.job_application_get(case=case, pk=app_pk))
    initial = {"status": application.status, "interview_on": application.interview_on}
    return _case_page(
        request,
        case,
        JobApplicationForm(_data(request), updating=True, initial=initial),
        lambda f: services.job_application_update(application=application, actor=request.membership, **f.cleaned_data),
        "cases/application.html",
        "Application updated",
        application=application,
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def work_activity_new(request, pk):
    case = _case_for_form(request, pk)
    return _case_page(
        request,
        case,
        WorkActivityForm(_data(request)),
        lambda f: services.work_activity_record(case=case, actor=request.membership, **f.service_arguments()),
        "cases/plan_form.html",
        "Saved",
        heading="Record permitted work or volunteering",
        back="detail",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def better_off(request, pk):
    """The household form; on a valid POST the calculation runs and is kept, then shown."""
    case = _case_for_form(request, pk)
    form = BetterOffForm(_data(request), initial=_better_off_initial(case))
    return form_page(
        request,
        form,
        lambda f: services.better_off_calculate(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/better_off_form.html",
        context={
            "case": case,
            "assumptions": better_off_module.ASSUMPTIONS,
            "tax_year": better_off_module.TAX_YEAR_LABEL,
        },
        success="Calculation saved",
        redirect_to=lambda calc: ("cases:better_off_detail", case.pk, calc.pk),
        read_audit=_reads(request, case),
    )


def _better_off_initial(case) -> dict:
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
def better_off_detail(request, pk, calc_pk):
    case, calculation = _case_for_form(
        request, pk, lambda case: selectors.better_off_calculation_get(case=case, pk=calc_pk)
    )
    household = better_off_module.Household.from_json(calculation.household)
    return render(
        request,
        "cases/better_off.html",
        {
            "case": case,
            "calculation": calculation,
            "household": household,
            "tenure": better_off_module.TENURE_LABELS.get(household.tenure, household.tenure),
            "points": calculation.results["points"],
            "assumptions": better_off_module.ASSUMPTIONS,
            "tax_year": better_off_module.TAX_YEAR_LABEL,
        },
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def onward_referral_new(request, pk):
    case = _case_for_form(request, pk)
    search = request.GET.get("q", "").strip()[:200]
    services_found = selectors.services_to_refer_to(text=search)
    goals = list(case.goals.filter(status=GoalStatus.OPEN))
    form = OnwardReferralForm(
        _data(request), services=services_found, goals=goals, initial={"made_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        lambda f: services.onward_referral_make(case=case, actor=request.membership, **f.service_arguments()),
        template="cases/onward_referral.html",
        context={"case": case, "search": search, "found": len(services_found)},
        success=lambda r: f"Referral to {r.service_name} saved",
        redirect_to=("cases:plan", case.pk),
        read_audit=_reads(request, case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def onward_referral_update(request, pk, ref_pk):
    case, referral = _case_for_form(request, pk, lambda case: selectors.onward_referral_get(case=case, pk=ref_pk))
    form = OnwardReferralUpdateForm(_data(request), initial={"changed_on": timezone.localdate()})
    return _plan_page(
        request,
        case,
        form,
        f"Outcome of the referral to {referral.service_name}",
        lambda f: services.onward_referral_update(referral=referral, actor=request.membership, **f.cleaned_data),
        "Referral updated",
    )
