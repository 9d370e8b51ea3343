from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse

from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..pages import case_for_form, case_page, form_data
from . import selectors, services
from .forms import JobApplicationForm, JobStartForm, SustainmentForm, WorkActivityForm


@require_perm(Perm.CASE_CHANGE_ORG)
def job_start_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        JobStartForm(form_data(request)),
        lambda f: services.job_start_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/job_start_new.html",
        "Job start saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def sustainment_new(request: MemberRequest, pk: UUID, job_pk: UUID) -> HttpResponse:
    # Look the job start up before showing the form, so another case's job start is a 404 on GET too.
    case, job = case_for_form(
        request, pk, lambda case: selectors.job_start_get(actor=request.membership, case=case, pk=job_pk)
    )

    form = SustainmentForm(form_data(request), initial={"weeks": request.GET.get("milestone", "")})
    return case_page(
        request,
        case,
        form,
        lambda f: services.sustainment_record(job_start=job, actor=request.membership, **f.service_arguments()),
        "cases/sustainment_new.html",
        "Milestone saved",
        job=job,
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def application_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        JobApplicationForm(form_data(request)),
        lambda f: services.job_application_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/application.html",
        "Application saved",
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def application_edit(request: MemberRequest, pk: UUID, app_pk: UUID) -> HttpResponse:
    case, application = case_for_form(request, pk, lambda case: selectors.job_application_get(case=case, pk=app_pk))
    initial = {"status": application.status, "interview_on": application.interview_on}
    return case_page(
        request,
        case,
        JobApplicationForm(form_data(request), updating=True, initial=initial),
        lambda f: services.job_application_update(application=application, actor=request.membership, **f.cleaned_data),
        "cases/application.html",
        "Application updated",
        application=application,
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def work_activity_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        WorkActivityForm(form_data(request)),
        lambda f: services.work_activity_record(case=case, actor=request.membership, **f.service_arguments()),
        "cases/plan_form.html",
        "Saved",
        heading="Record permitted work or volunteering",
        back="detail",
    )
