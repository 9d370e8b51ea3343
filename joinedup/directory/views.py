"""Public directory pages (no sign-in): search with reasons, and a service page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.errors import DomainError
from joinedup.organisations.decorators import require_perm
from joinedup.organisations.permissions import Perm
from joinedup.referrals.timeliness import responsiveness_by_service

from . import rule_rows, selectors, services
from .eligibility import describe
from .forms import DirectorySearchForm, EligibilityEditor, ServiceForm
from .gaps_chart import gaps_chart
from .models import Service
from .selectors import day_names


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    page_text = query.pop("page", ["1"])[-1]
    form = DirectorySearchForm(query or None)
    result = None
    if form.is_bound and form.is_valid():
        need = form.cleaned_data.get("need")
        criteria = selectors.SearchCriteria(
            text=form.cleaned_data.get("q", ""), need=uuid.UUID(need) if need else None, opening=form.opening()
        )
        page = int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
        result = selectors.search_directory(person=form.circumstances(), criteria=criteria, page=page)
    context = {
        "form": form,
        "result": result,
        "where": form.where() if result else "",
        "opening_asked": bool(result and form.opening()),
        "query": query.urlencode(),
        "did_you_mean_query": _with_keyword(query, result.did_you_mean) if result and result.did_you_mean else "",
    }
    return render(request, "directory/search.html", context)


def _with_keyword(query: QueryDict, text: str) -> str:
    """The same search with another keyword (the "did you mean" link)."""
    changed = query.copy()
    changed["q"] = text
    return changed.urlencode()


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    try:
        service = selectors.published_service(service_id=service_id)
    except Service.DoesNotExist:
        raise Http404("No published service has that address.") from None
    rules = service.current_rules()
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "responsiveness": responsiveness_by_service(service_ids=[service.pk])[service.pk],
            "rules": rules,
            "rule_lines": describe(rules.rules) if rules else [],
            "schedules": [(day_names(s.byday), s) for s in service.schedules.all()],
        },
    )


# ---------------------------------------------------------------------------------------------
# Directory managers and commissioners (signed in)


@require_perm(Perm.DIRECTORY_MANAGE)
def manage_list(request: HttpRequest) -> HttpResponse:
    services = selectors.services_for_manager(actor=request.membership)
    due = selectors.services_review_due(actor=request.membership).count()
    return render(request, "directory/manage_list.html", {"services": services, "review_due": due})


@require_perm(Perm.DIRECTORY_MANAGE)
def manage_new(request: HttpRequest) -> HttpResponse:
    return _service_form(request, None)


def _managed(request: HttpRequest, service_id: uuid.UUID) -> Service:
    try:
        return selectors.service_for_manager(actor=request.membership, service_id=service_id)
    except Service.DoesNotExist:
        raise Http404("No service has that address.") from None


@require_perm(Perm.DIRECTORY_MANAGE)
def manage_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    return _service_form(request, _managed(request, service_id))


def _service_form(request: HttpRequest, service: Service | None) -> HttpResponse:
    """Add or change a service; "Preview" shows how sample people fare under the rules, saving nothing."""
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, initial=ServiceForm.initial_for(service) if service else None)
    current = service.current_rules() if service else None
    eligibility = EligibilityEditor(data, rules=current.rules if current else None)
    preview = None
    checked = data is not None and [form.is_valid(), eligibility.is_valid()]  # both, so both show errors
    if checked and all(checked):
        if "preview" in data:
            preview = eligibility.preview()
        else:
            saved = _save(request, form, eligibility, service)
            if saved is not None:
                return redirect("directory:manage_edit", service_id=saved.pk)
    context = {
        "form": form,
        "eligibility": eligibility,
        "service": service,
        "preview": preview,
        "value_help": rule_rows.value_help(),
    }
    return render(request, "directory/manage_form.html", context)


def _save(request: HttpRequest, form: ServiceForm, eligibility: EligibilityEditor, service: Service | None):
    try:
        data = form.to_input(eligibility.rules or {"stated": False})
        if service is None:
            service = services.service_create(actor=request.membership, data=data)
            messages.success(request, f"{service.name} saved as a draft")
        else:
            services.service_update(actor=request.membership, service=service, data=data)
            messages.success(request, f"{service.name} saved")
    except DomainError as exc:
        target = eligibility.form if exc.field == "rules" else form
        target.add_domain_error(exc)
        return None
    return service


_ACTIONS = {
    "review": (services.service_review, "marked as reviewed today"),
    "publish": (services.service_publish, "published"),
    "withdraw": (services.service_withdraw, "withdrawn"),
}


@require_POST
@require_perm(Perm.DIRECTORY_MANAGE)
def manage_action(request: HttpRequest, service_id: uuid.UUID, action: str) -> HttpResponse:
    service = _managed(request, service_id)
    if action not in _ACTIONS:
        raise Http404("No such action.")
    do, done = _ACTIONS[action]
    try:
        do(actor=request.membership, service=service)
    except DomainError as exc:
        return render(
            request,
            "directory/manage_form.html",
            {
                "form": ServiceForm(initial=ServiceForm.initial_for(service)),
                "eligibility": EligibilityEditor(rules=rules.rules if (rules := service.current_rules()) else None),
                "service": service,
                "action_error": exc.message,
                "value_help": rule_rows.value_help(),
            },
            status=400,
        )
    messages.success(request, f"{service.name} {done}")
    return redirect("directory:manage_edit", service_id=service.pk)


@require_perm(Perm.DIRECTORY_GAPS_VIEW)
def gaps(request: HttpRequest) -> HttpResponse:
    area_names, rows = selectors.gaps(actor=request.membership)
    chart = gaps_chart(area_names, rows)
    return render(request, "directory/gaps.html", {"area_names": area_names, "rows": rows, "chart": chart})
