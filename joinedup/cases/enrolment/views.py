from __future__ import annotations

import dataclasses
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from joinedup.audit.services import list_read_audit
from joinedup.core.forms import unbound_fields_html
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..contacts.forms import ContactForm
from ..pages import case_for_form, case_page, form_data
from ..wellbeing import instruments
from . import queue, selectors, services
from .forms import CaseloadFilterForm, EnrolForm, NextStepForm


@require_perm(Perm.CASE_VIEW_ORG)
def caseload(request: MemberRequest) -> HttpResponse:
    """The caseload as a day's work queue (each group paged by its own `<group>_page`), then every
    case, searched by name or reference, filtered and sorted."""
    actor = request.membership
    form = CaseloadFilterForm(request.GET or {"show": "mine"})
    filters = selectors.CaseloadFilters(**form.filters())
    rows = selectors.caseload(actor=actor, filters=filters, page=request.GET.get("page"))
    pages = {code: request.GET.get(f"{code}_page") for code in queue.GROUPS}
    today = queue.work_queue(actor=actor, mine_only=filters.mine_only, adviser_id=filters.adviser_id, pages=pages)
    context = {
        "rows": rows,
        "page": rows,
        "query": _query_without(request, "page"),
        "queue": today,
        "queue_query": {code: _query_without(request, f"{code}_page") for code in queue.GROUPS},
        "opened": {code for code, asked in pages.items() if asked},
        "mine": filters.mine_only,
        "search": filters.text,
        "sort": filters.sort,
        "sorts": selectors.SORT_CHOICES,
        "kept": {k: v for k, v in request.GET.items() if k in _KEPT_BY_SEARCH},
        "filtered": bool(filters.stage or filters.review or filters.no_recent_contact or filters.adviser_id),
        "filter_fields": form.shown(),
        "stale_days": selectors.CONTACT_STALE_AFTER_DAYS,
    }
    list_read_audit(request, "caseload", shown=len(rows.rows) + today.shown, filters=request.GET.dict())
    return render(request, "cases/caseload.html", context)


_KEPT_BY_SEARCH = ("show", "stage", "review", "no_recent_contact", "adviser")  # the filters a search keeps


def _query_without(request: MemberRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@require_perm(Perm.CASE_VIEW_ORG)
def team(request: MemberRequest) -> HttpResponse:
    sizes = selectors.caseload_sizes(actor=request.membership)
    list_read_audit(request, "team", shown=sum(s.active for s in sizes))
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
def enrol(request: MemberRequest, referral_pk: UUID) -> HttpResponse:
    referral = selectors.referral_for_enrolment(actor=request.membership, pk=referral_pk)
    return form_page(
        request,
        EnrolForm(form_data(request)),
        lambda f: services.case_enrol(referral=referral, actor=request.membership, **f.cleaned_data),
        template="cases/enrol.html",
        context={"referral": referral},
        success=f"{referral.person.full_name} is enrolled",
        redirect_to=lambda case: ("cases:detail", case.pk),
    )


@require_perm(Perm.CASE_VIEW_ORG)
def case_detail(request: MemberRequest, pk: UUID) -> HttpResponse:
    record = selectors.case_record(actor=request.membership, pk=pk)
    context = {
        **{f.name: getattr(record, f.name) for f in dataclasses.fields(record)},
        "instruments": instruments.REGISTRY.values(),
        "quick_contact": _quick_contact_fields(),
    }
    return render(request, "cases/detail.html", context)


def _quick_contact_fields() -> SafeString:
    """The case page's quick contact entry: the contact form's fields with its defaults (the
    template's form posts them to the contact page). The same markup for every case."""
    return unbound_fields_html(ContactForm, initial=ContactForm.quick_defaults(), auto_id="quick_%s")


@require_perm(Perm.CASE_CHANGE_ORG)
def next_step(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    initial = {"next_action": case.next_action, "next_review_on": case.next_review_on}
    return case_page(
        request,
        case,
        NextStepForm(form_data(request), initial=initial),
        lambda f: services.case_next_step_set(case=case, actor=request.membership, **f.cleaned_data),
        "cases/next_step.html",
        "Next step saved",
    )
