"""Staff pages about vacancies and matching: the filterable list, a vacancy with the people who may
fit it, a person's work preferences and the vacancies that may fit them, putting someone forward,
and the job start recorded from a vacancy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from joinedup.cases import selectors as case_selectors
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from . import match_selectors, placement, selectors, services
from .choices import VacancyKind, VacancyStatus
from .forms import FilterForm, JobStartForm, NominationForm, PreferencesForm, PutForwardForm, VacancyForm
from .models import Vacancy
from .views import _data, editable_employer


@require_perm(Perm.EMPLOYER_VIEW)
def vacancy_list(request: MemberRequest) -> HttpResponse:
    f = FilterForm(request.GET)
    f.is_valid()
    d = f.cleaned_data
    filters = selectors.VacancyFilters(
        text=d.get("q") or "", status=d.get("status") or "", kind=d.get("kind") or "", district=d.get("district") or ""
    )
    vacancies = list(selectors.vacancy_list(actor=request.membership, filters=filters)[:200])
    return render(
        request,
        "employers/vacancies.html",
        {"vacancies": vacancies, "filters": d, "statuses": VacancyStatus.choices, "kinds": VacancyKind.choices},
    )


def _vacancy_form(request: MemberRequest, employer: Any, initial: dict[str, Any] | None = None) -> VacancyForm:
    sites = [(str(s.pk), str(s)) for s in employer.sites.all()]
    return VacancyForm(
        _data(request),
        sites=sites,
        initial=initial
        or {
            "status": VacancyStatus.DRAFT,
            "wage_period": "hour",
            "kind": "job",
            "age_band": "21_and_over",
            "openings": 1,
        },
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def vacancy_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    employer = editable_employer(request, pk)
    return form_page(
        request,
        _vacancy_form(request, employer),
        lambda f: services.vacancy_create(actor=request.membership, employer=employer, data=f.vacancy_input()),
        template="employers/form.html",
        context={
            "heading": f"Add a vacancy at {employer.name}",
            "employer": employer,
            "back": ("employers:detail", employer.pk),
        },
        success="Vacancy saved",
        redirect_to=lambda v: ("employers:vacancy", v.pk),
    )


@require_perm(Perm.EMPLOYER_CHANGE_ORG, Perm.EMPLOYER_SELF)
def vacancy_edit(request: MemberRequest, pk: UUID) -> HttpResponse:
    vacancy = selectors.vacancy_get(actor=request.membership, pk=pk)
    editable_employer(request, vacancy.employer_id)
    initial = {k: getattr(vacancy, k) for k in services.VacancyInput.__dataclass_fields__ if k != "site_id"}
    initial["site_id"] = str(vacancy.site_id)
    return form_page(
        request,
        _vacancy_form(request, vacancy.employer, initial),
        lambda f: services.vacancy_update(actor=request.membership, vacancy=vacancy, data=f.vacancy_input()),
        template="employers/form.html",
        context={"heading": f"Change {vacancy.title}", "back": ("employers:vacancy", vacancy.pk)},
        success="Vacancy updated",
        redirect_to=("employers:vacancy", vacancy.pk),
    )


@require_perm(Perm.EMPLOYER_VIEW, Perm.EMPLOYER_SELF)
def vacancy_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    vacancy = selectors.vacancy_get(actor=request.membership, pk=pk)
    matches = None
    if has_perm(request.membership, Perm.CASE_VIEW_ORG) and vacancy.is_open:
        matches = match_selectors.people_for_vacancy(actor=request.membership, vacancy=vacancy)
    nominations = selectors.nominations_for_vacancy(actor=request.membership, vacancy=vacancy)
    return render(
        request,
        "employers/vacancy.html",
        {
            "vacancy": vacancy,
            "matches": matches,
            "nominations": nominations,
            "can_edit": selectors.can_edit(actor=request.membership, employer=vacancy.employer),
        },
    )


def _case(request: MemberRequest, case_pk: UUID) -> Any:
    """The case a form page is about: an audited read when the page shows it (GET)."""
    case = case_selectors.case_get(actor=request.membership, pk=case_pk, audit=False)
    if request.method == "GET":
        case_selectors.case_read_audit(actor=request.membership, case=case)
    return case


@require_perm(Perm.CASE_VIEW_ORG)
def person_matches(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    case = case_selectors.case_get(actor=request.membership, pk=case_pk)
    result = match_selectors.vacancies_for_case(actor=request.membership, case=case)
    nominations = selectors.nominations_for_case(case=case)
    return render(
        request, "employers/person_matches.html", {"case": case, "result": result, "nominations": nominations}
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def preferences_edit(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    case = _case(request, case_pk)
    prefs = getattr(case, "work_preferences", None)
    initial: dict[str, Any] = {}
    if prefs is not None:
        initial = {
            "hours_min": prefs.hours_min,
            "hours_max": prefs.hours_max,
            "kinds": prefs.kinds or [],
            "travel_districts": ", ".join(prefs.travel_districts or []),
            "adjustments_known": prefs.adjustments_needed is not None,
            "adjustments_needed": prefs.adjustments_needed or [],
        }
    return form_page(
        request,
        PreferencesForm(_data(request), initial=initial),
        lambda f: placement.work_preferences_set(actor=request.membership, case=case, data=f.preferences()),
        template="employers/form.html",
        context={
            "heading": "What they want from work",
            "caption": case.person.full_name,
            "back": ("employers:person_matches", case.pk),
        },
        success="Saved",
        redirect_to=("employers:person_matches", case.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


def _open_vacancy(request: MemberRequest, pk: UUID) -> Vacancy:
    return selectors.vacancy_get(actor=request.membership, pk=pk)


@require_perm(Perm.CASE_CHANGE_ORG)
def put_forward(request: MemberRequest, pk: UUID, case_pk: UUID) -> HttpResponse:
    vacancy = _open_vacancy(request, pk)
    case = _case(request, case_pk)
    return form_page(
        request,
        PutForwardForm(_data(request)),
        lambda f: placement.put_forward(actor=request.membership, case=case, vacancy=vacancy, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": f"Put {case.person.full_name} forward for {vacancy.title}",
            "caption": vacancy.employer.name,
            "intro": f"{vacancy.employer.name} will see only what the person agrees to share, "
            "until the date the consent ends.",
            "back": ("employers:vacancy", vacancy.pk),
        },
        success=f"{case.person.full_name} put forward",
        redirect_to=("employers:person_matches", case.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def job_start_new(request: MemberRequest, pk: UUID, case_pk: UUID) -> HttpResponse:
    vacancy = _open_vacancy(request, pk)
    case = _case(request, case_pk)
    form = JobStartForm(_data(request), initial={"hours_per_week": vacancy.hours_min})
    return form_page(
        request,
        form,
        lambda f: placement.job_start_from_vacancy(
            actor=request.membership, case=case, vacancy=vacancy, **f.cleaned_data
        ),
        template="employers/form.html",
        context={
            "heading": f"Record {case.person.full_name}'s job start",
            "caption": f"{vacancy.title} at {vacancy.employer.name}",
            "intro": "The employer and job title come from the vacancy.",
            "back": ("employers:person_matches", case.pk),
        },
        success="Job start saved",
        redirect_to=("cases:detail", case.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def nomination_edit(request: MemberRequest, pk: UUID) -> HttpResponse:
    n = selectors.nomination_for_partner(actor=request.membership, pk=pk)
    case = _case(request, n.case_id)
    return form_page(
        request,
        NominationForm(_data(request), allowed=placement.allowed_moves(n)),
        lambda f: placement.nomination_update(actor=request.membership, nomination=n, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": f"How it went: {n.vacancy.title}",
            "caption": case.person.full_name,
            "back": ("employers:person_matches", case.pk),
        },
        success="Updated",
        redirect_to=("employers:person_matches", case.pk),
        read_audit=lambda: case_selectors.case_read_audit(actor=request.membership, case=case),
    )


@require_perm(Perm.CASE_CHANGE_ORG)
def consent_withdraw(request: MemberRequest, pk: UUID) -> HttpResponse:
    n = selectors.nomination_for_partner(actor=request.membership, pk=pk)
    if request.method != "POST":
        raise Http404("No such nomination")
    placement.share_consent_withdraw(actor=request.membership, consent=n.consent)
    return redirect("employers:person_matches", n.case_id)
