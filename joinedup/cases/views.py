from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from joinedup.core.decorators import require_perm
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import ContactForm, EnrolForm, JobStartForm, SustainmentForm


@require_perm(Perm.CASE_VIEW_ORG)
def caseload(request):  # noqa: ANN001, ANN201
    actor = request.membership
    mine = request.GET.get("show") != "all"
    cases = selectors.case_list(actor=actor, mine_only=mine).order_by("-enrolled_on")[:200]
    awaiting = selectors.referrals_awaiting_enrolment(actor=actor)
    if mine:
        awaiting = awaiting.filter(adviser=request.user)
    return render(request, "cases/caseload.html", {"cases": cases, "awaiting": awaiting[:200], "mine": mine})


@require_perm(Perm.CASE_CHANGE_ORG)
def enrol(request, referral_pk):  # noqa: ANN001, ANN201
    referral = selectors.referral_for_enrolment(actor=request.membership, pk=referral_pk)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_enrol(referral=referral, actor=request.membership, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{referral.person.full_name} is enrolled")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/enrol.html", {"referral": referral, "form": form}, status=400 if form.errors else 200)


@require_perm(Perm.CASE_VIEW_ORG)
def case_detail(request, pk):  # noqa: ANN001, ANN201
    case = selectors.case_get(actor=request.membership, pk=pk)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "contacts": case.contacts.all()[:50],
            "milestones": selectors.case_milestones(case=case),
        },
    )


def _case_form(request, case, form_class, template: str, run, success: str):  # noqa: ANN001, ANN201
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run(case, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, success)
            return redirect("cases:detail", pk=case.pk)
    return render(request, template, {"case": case, "form": form}, status=400 if form.errors else 200)


@require_perm(Perm.CASE_CHANGE_ORG)
def contact_new(request, pk):  # noqa: ANN001, ANN201
    return _case_form(
        request,
        selectors.case_get(actor=request.membership, pk=pk, audit=False),
        ContactForm,
        "cases/contact_new.html",
        lambda case, d: services.contact_record(case=case, actor=request.membership, **d),
        "Contact saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def job_start_new(request, pk):  # noqa: ANN001, ANN201
    return _case_form(
        request,
        selectors.case_get(actor=request.membership, pk=pk, audit=False),
        JobStartForm,
        "cases/job_start_new.html",
        lambda case, d: services.job_start_record(case=case, actor=request.membership, **d),
        "Job start saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def sustainment_new(request, pk, job_pk):  # noqa: ANN001, ANN201
    case = selectors.case_get(actor=request.membership, pk=pk, audit=False)
    # Look the job start up before showing the form, so another case's job start is a 404 on GET too.
    job = selectors.job_start_get(actor=request.membership, case=case, pk=job_pk)

    def run(case, d):  # noqa: ANN001, ANN202
        services.sustainment_record(job_start=job, actor=request.membership, **d)

    return _case_form(request, case, SustainmentForm, "cases/sustainment_new.html", run, "Milestone saved")
