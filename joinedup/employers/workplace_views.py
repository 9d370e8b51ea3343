"""Pages for workplace health (the employer's record) and for adjustments and Access to Work (a job)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render

from joinedup.cases import selectors as case_selectors
from joinedup.core.views import form_page
from joinedup.directory import selectors as directory_selectors
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, workplace
from .choices import CHARTER_LEVELS, CharterStandard
from .views import _data, editable_employer
from .workplace_forms import AbsenceForm, AccessToWorkForm, AdjustmentForm, AdviceForm, AnswerForm, AssessmentForm


def _answers(request: MemberRequest) -> list[workplace.Answer]:
    """Every item posted: `met-<standard>-<level>` ("yes"/"no") and `evidence-<standard>-<level>`."""
    out = []
    for standard in CharterStandard.values:
        for level in CHARTER_LEVELS:
            key = f"{standard}-{level}"
            evidence = request.POST.getlist(f"evidence-{key}")
            for i, met in enumerate(request.POST.getlist(f"met-{key}")):
                out.append(workplace.Answer(standard, level, met == "yes", evidence[i] if i < len(evidence) else ""))
    return out


def _back(employer: Any) -> tuple[str, Any]:
    return ("employers:detail", employer.pk)


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def assessment_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = editable_employer(request, pk)
    items = [(s, lv) for s in CharterStandard for lv in CHARTER_LEVELS]
    return form_page(
        request,
        AssessmentForm(_data(request)),
        lambda f: workplace.assessment_record(
            actor=request.membership, employer=employer, answers=_answers(request), **f.cleaned_data
        ),
        template="employers/assessment.html",
        context={
            "employer": employer,
            "items": items,
            "posted": request.POST,
            "answered": {(k, v) for k in request.POST for v in request.POST.getlist(k) if k.startswith("met-")},
        },
        success="Self-assessment saved",
        redirect_to=_back(employer),
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def advice_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = editable_employer(request, pk)
    providers = [(str(s.pk), s.name) for s in directory_selectors.published_services()[:200]]
    return form_page(
        request,
        AdviceForm(_data(request), providers=providers),
        lambda f: workplace.advice_request(actor=request.membership, employer=employer, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": "Ask for occupational health advice",
            "employer": employer,
            "back": _back(employer),
            "intro": "Describe an employee's situation without their name or anything that identifies them.",
        },
        success="Question sent",
        redirect_to=_back(employer),
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG)
def advice_answer(request: MemberRequest, pk: UUID, request_pk: UUID) -> HttpResponse:
    employer = selectors.employer_get(actor=request.membership, pk=pk)
    found = employer.advice_requests.filter(pk=request_pk).first()
    if found is None:
        raise Http404("No such request")
    return form_page(
        request,
        AnswerForm(_data(request)),
        lambda f: workplace.advice_answer(actor=request.membership, request=found, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": "Record the provider's answer",
            "employer": employer,
            "back": _back(employer),
            "intro": found.question,
        },
        success="Answer saved",
        redirect_to=_back(employer),
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def absence_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = editable_employer(request, pk)
    return form_page(
        request,
        AbsenceForm(_data(request)),
        lambda f: workplace.absence_record(actor=request.membership, employer=employer, **f.cleaned_data),
        template="employers/form.html",
        context={"heading": "Record sickness absence", "employer": employer, "back": _back(employer)},
        success="Saved",
        redirect_to=_back(employer),
    )


def _job(request: MemberRequest, case_pk: UUID, job_pk: UUID) -> tuple[Any, Any]:
    case = case_selectors.case_get(actor=request.membership, pk=case_pk, audit=False)
    job = case_selectors.job_start_get(actor=request.membership, case=case, pk=job_pk)
    if request.method == "GET":
        case_selectors.case_read_audit(actor=request.membership, case=case)
    return case, job


@require_perm(Perm.CASE_CHANGE_ORG)
def adjustment_new(request: MemberRequest, case_pk: UUID, job_pk: UUID) -> HttpResponse:
    case, job = _job(request, case_pk, job_pk)
    return form_page(
        request,
        AdjustmentForm(_data(request)),
        lambda f: workplace.adjustment_record(actor=request.membership, job=job, **f.cleaned_data),
        template="employers/job_support.html",
        context={"heading": "Record an adjustment", "case": case, "job": job},
        success="Adjustment saved",
        redirect_to=("employers:job_support", case.pk, job.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def access_to_work(request: MemberRequest, case_pk: UUID, job_pk: UUID) -> HttpResponse:
    case, job = _job(request, case_pk, job_pk)
    current = getattr(job, "access_to_work", None)
    initial = (
        {}
        if current is None
        else {
            "status": current.status,
            "elements": current.elements,
            "applied_on": current.applied_on,
            "decided_on": current.decided_on,
        }
    )
    return form_page(
        request,
        AccessToWorkForm(_data(request), initial=initial),
        lambda f: workplace.access_to_work_set(actor=request.membership, job=job, **f.cleaned_data),
        template="employers/job_support.html",
        context={"heading": "Access to Work", "case": case, "job": job},
        success="Access to Work saved",
        redirect_to=("employers:job_support", case.pk, job.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_VIEW_ORG)
def job_support(request: MemberRequest, case_pk: UUID, job_pk: UUID) -> HttpResponse:
    case = case_selectors.case_get(actor=request.membership, pk=case_pk)
    job = case_selectors.job_start_get(actor=request.membership, case=case, pk=job_pk)
    return render(
        request,
        "employers/job_support.html",
        {
            "case": case,
            "job": job,
            "adjustments": list(job.adjustments.all()),
            "atw": getattr(job, "access_to_work", None),
            "heading": f"Adjustments: {job.job_title} at {job.employer_name}",
        },
    )


@require_perm(Perm.CASE_VIEW_ORG)
def reminders(request: MemberRequest) -> HttpResponse:
    jobs = workplace.adjustments_reminders(actor=request.membership)
    return render(request, "employers/reminders.html", {"jobs": jobs})
