"""Pages for the person's rights: requests and their answers, the export, rectification, erasure,
legal holds and the retention periods. Every one needs Perm.RIGHTS_MANAGE."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from joinedup.audit.services import list_read_audit
from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Membership, Perm

from . import selectors, services
from .erasure import active_hold, erasure_plan, is_erased
from .forms import AnswerForm, HoldForm, RectifyForm, RequestForm
from .models import RequestKind, RightsRequest
from .retention import RULES


def _requests_context(request: MemberRequest) -> dict[str, Any]:
    """The open requests (by the person's name, so the list is audited) and the last answered."""
    actor = request.membership
    open_requests = list(selectors.rights_requests(actor=actor))
    list_read_audit(request, "rights_requests", shown=len({rr.person_id for rr in open_requests}))
    return {
        "open": open_requests,
        "answered": selectors.rights_requests(actor=actor, open_only=False).exclude(completed_at=None)[:50],
    }


@require_perm(Perm.RIGHTS_MANAGE)
def requests(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    form = RequestForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.rights_request_record(actor=actor, **f.cleaned_data),
        template="governance/requests.html",
        context=lambda: _requests_context(request),
        success="Request recorded",
        redirect_to=lambda r: ("governance:request", r.pk),
    )


def _answer_form(rights_request: RightsRequest, data: Any = None) -> AnswerForm:
    form = AnswerForm(data, auto_id="answer_%s")
    form.helper.form_action = reverse("governance:request_answer", args=[rights_request.pk])
    return form


def _request_context(actor: Membership, rights_request: RightsRequest) -> dict[str, Any]:
    """What the request's page shows, built once per showing: it names the person (and, for a
    rectification, shows their details), so building it records that read."""
    selectors.rights_request_read_audit(actor=actor, rights_request=rights_request)
    person = rights_request.person
    return {
        "rr": rights_request,
        "kinds": RequestKind,
        "erased": is_erased(person.pk),
        "hold": active_hold(person.pk),
        "plan": erasure_plan(person) if rights_request.kind == RequestKind.ERASURE else [],
        "answer_form": _answer_form(rights_request),
    }


@require_perm(Perm.RIGHTS_MANAGE)
def request_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    """The request; for a rectification, the form of the person's details (its POST saves them)."""
    actor = request.membership
    rr = selectors.rights_request_get(actor=actor, pk=str(pk))
    if rr.kind != RequestKind.RECTIFICATION:
        return render(request, "governance/request.html", {**_request_context(actor, rr), "form": None})
    form = RectifyForm(request.POST if request.method == "POST" else None, initial=RectifyForm.initial_for(rr.person))
    return form_page(
        request,
        form,
        lambda f: services.person_rectify(actor=actor, request=rr, changes=f.cleaned_data),
        template="governance/request.html",
        context=lambda: _request_context(actor, rr),
        success=lambda changed: "Corrected: " + ", ".join(c.replace("_", " ") for c in changed),
        redirect_to=("governance:request", rr.pk),
    )


@require_POST
@require_perm(Perm.RIGHTS_MANAGE)
def request_answer(request: MemberRequest, pk: UUID) -> HttpResponse:
    actor = request.membership
    rr = selectors.rights_request_get(actor=actor, pk=str(pk))
    form = _answer_form(rr, request.POST)
    if form.is_valid():
        try:
            services.rights_request_answer(actor=actor, request=rr, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Answer recorded")
            return redirect("governance:request", rr.pk)
    return render(request, "governance/request.html", {**_request_context(actor, rr), "answer_form": form}, status=400)


@require_POST
@require_perm(Perm.RIGHTS_MANAGE)
def request_erase(request: MemberRequest, pk: UUID) -> HttpResponse:
    actor = request.membership
    rr = selectors.rights_request_get(actor=actor, pk=str(pk))
    try:
        services.erasure_on_request(actor=actor, request=rr)
    except DomainError as exc:
        context = {**_request_context(actor, rr), "erase_error": exc.message}
        return render(request, "governance/request.html", context, status=400)
    messages.success(request, "The person's record has been erased, as the registry declares")
    return redirect("governance:request", rr.pk)


@require_perm(Perm.RIGHTS_MANAGE)
def request_export(request: MemberRequest, pk: UUID, file_format: str) -> HttpResponse:
    actor = request.membership
    rr = selectors.rights_request_get(actor=actor, pk=str(pk))
    try:
        export = services.subject_access_export(actor=actor, request=rr, file_format=file_format)
    except DomainError as exc:
        context = {**_request_context(actor, rr), "erase_error": exc.message}
        return render(request, "governance/request.html", context, status=400)
    if file_format == "json":
        response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{rr.received_on:%Y-%m-%d}.json"'
        return response
    return render(request, "governance/export.html", {"rr": rr, "export": export})


def _holds_context(request: MemberRequest) -> dict[str, Any]:
    holds_in_place = list(selectors.legal_holds(actor=request.membership))
    list_read_audit(request, "legal_holds", shown=len(holds_in_place))
    return {"holds": holds_in_place}


@require_perm(Perm.RIGHTS_MANAGE)
def holds(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    form = HoldForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.legal_hold_place(actor=actor, **f.cleaned_data),
        template="governance/holds.html",
        context=lambda: _holds_context(request),
        success="Legal hold placed: nothing about the person will be erased until it is lifted",
        redirect_to=("governance:holds",),
    )


@require_POST
@require_perm(Perm.RIGHTS_MANAGE)
def hold_lift(request: MemberRequest, pk: UUID) -> HttpResponse:
    actor = request.membership
    hold = selectors.legal_hold_get(actor=actor, pk=str(pk))
    try:
        services.legal_hold_lift(actor=actor, hold=hold)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Legal hold lifted")
    return redirect("governance:holds")


@require_perm(Perm.RIGHTS_MANAGE)
def retention_page(request: MemberRequest) -> HttpResponse:
    runs = selectors.retention_runs(actor=request.membership)[:20]
    return render(request, "governance/retention.html", {"rules": RULES.values(), "runs": runs})
