"""The audit trail in plain words (search, CSV export) and the report of unusual access."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from joinedup.core.errors import DomainError
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from .access import trail_search
from .access import unusual_access as unusual_access_report
from .forms import TrailSearchForm
from .trail import trail_csv_rows


@require_perm(Perm.AUDIT_VIEW)
def trail(request: MemberRequest) -> HttpResponse:
    form = TrailSearchForm(request.GET or None)
    form.helper.form_method = "get"
    found = None
    if form.is_valid():
        export = request.GET.get("format") == "csv"
        try:
            found = trail_search(actor=request.membership, filters=form.cleaned_data, export=export)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if export:
                response = HttpResponse(content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
                csv.writer(response).writerows(trail_csv_rows(found.events))
                return response
    query = request.GET.copy()
    query["format"] = "csv"
    context = {"form": form, "found": found, "lines": found.lines if found else [], "csv_query": query.urlencode()}
    return render(request, "governance/trail.html", context, status=400 if form.errors else 200)


@require_perm(Perm.AUDIT_REPORT)
def unusual_access(request: MemberRequest) -> HttpResponse:
    hours = unusual_access_report(actor=request.membership)
    context = {
        "hours": hours,
        "settings_min": settings.UNUSUAL_ACCESS_MIN_PEOPLE,
        "settings_factor": settings.UNUSUAL_ACCESS_FACTOR,
    }
    return render(request, "governance/unusual_access.html", context)
