"""The programme's reports: the ESF return (and the participants behind each figure, and the
participant export), performance, costs and savings, creaming and parking, IPS fidelity."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render

from joinedup.core.errors import DomainError
from joinedup.core.pagination import paginate, paginate_list
from joinedup.directory.areas import AREAS
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from .. import indicators, selectors
from ..models import Participation, Programme
from ..pds import COLUMNS
from ..selectors import costs as cost_selectors
from ..selectors import fairness
from ..selectors.performance import (
    COHORTS,
    NO_AREA,
    Filters,
    area_choices,
    performance,
    performance_participants,
    year_choices,
)
from .common import period, table_response, year

CROSS_PAGE_SIZE = 50  # rows of the performance page's cross-table on screen at a time


@require_perm(Perm.PROGRAMME_VIEW)
def esf_return(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    code, starts, ends = period(programme, request.GET.get("period"))
    ret = selectors.esf_return(actor=request.membership, programme=programme, starts=starts, ends=ends)
    context = {
        "programme": programme,
        "ret": ret,
        "period": code,
        "years": year_choices(programme),
        "drill": has_perm(request.membership, Perm.PROGRAMME_PARTICIPANTS),
    }
    return render(request, "programmes/esf_return.html", context)


def _people_page(
    request: MemberRequest, programme: Programme, found: QuerySet[Participation], heading: str, back: str
) -> HttpResponse:
    page = paginate(found, request.GET.get("page"))
    context = {"programme": programme, "page": page, "heading": heading, "back": back}
    return render(request, "programmes/participants.html", context)


@require_perm(Perm.PROGRAMME_PARTICIPANTS)
def esf_figure(request: MemberRequest, pk: UUID, code: str) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    indicator = indicators.BY_CODE.get(code)
    if indicator is None:
        raise Http404("No such indicator")
    asked, starts, ends = period(programme, request.GET.get("period"))
    gender = request.GET.get("gender", "")
    try:
        found = selectors.esf_participants(
            actor=request.membership, programme=programme, code=code, gender=gender, starts=starts, ends=ends
        )
    except DomainError as exc:
        raise Http404(exc.message) from exc
    heading = f"{indicator.code} {indicator.label}{f' ({gender})' if gender else ''}"
    return _people_page(request, programme, found, heading, f"?period={asked}")


@require_perm(Perm.PROGRAMME_PARTICIPANTS)
def esf_export(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    _code, starts, ends = period(programme, request.GET.get("period"))
    rows = selectors.pds_rows(actor=request.membership, programme=programme, starts=starts, ends=ends)

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(COLUMNS)
        for row in rows:
            yield writer.writerow(row.values())

    response = HttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.code}-participants.csv"'
    return response


def _filters(request: MemberRequest, programme: Programme) -> Filters:
    cohort = request.GET.get("cohort", "partner")
    partner = request.GET.get("partner", "")
    area = request.GET.get("area", "")
    contracted = {str(p) for p in programme.contracts.values_list("partner_id", flat=True)}
    return Filters(
        year=year(programme, request.GET.get("year")),
        partner=partner if partner in contracted else "",
        cohort=cohort if cohort in COHORTS else "partner",
        area=area if area == NO_AREA or area in AREAS else "",
    )


@require_perm(Perm.PROGRAMME_VIEW)
def performance_page(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    filters = _filters(request, programme)
    found = performance(actor=request.membership, programme=programme, filters=filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        table = found.tables().get(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such table")
        return table_response(table, export, f"{programme.code}-{table.key}-{filters.year}")
    # The cross-table can run to partners × local authorities (× a cohort's values) rows: the page
    # shows it a page at a time (its exports have every row), so rendering stays bounded.
    cross_page = paginate_list(found.cross.rows, request.GET.get("page"), size=CROSS_PAGE_SIZE)
    first = (cross_page.number - 1) * CROSS_PAGE_SIZE
    context = {
        "programme": programme,
        "perf": found,
        "cross": found.cross.sliced(first, first + CROSS_PAGE_SIZE),
        "cross_page": cross_page,
        "years": year_choices(programme),
        "cohorts": [(k, v[0]) for k, v in COHORTS.items()],
        "partners": programme.contracts.select_related("partner").order_by("partner__name"),
        "areas": area_choices(programme),
        "drill": has_perm(request.membership, Perm.PROGRAMME_PARTICIPANTS),
    }
    return render(request, "programmes/performance.html", context)


@require_perm(Perm.PROGRAMME_PARTICIPANTS)
def performance_people(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    filters = _filters(request, programme)
    month = request.GET.get("month", "")
    found = performance_participants(
        actor=request.membership,
        programme=programme,
        filters=filters,
        measure=request.GET.get("measure", "starts"),
        month=int(month) if month.isdigit() and 1 <= int(month) <= 12 else None,
        cohort=request.GET.get("cohort", "") if "value" in request.GET else "",
        value=request.GET.get("value", ""),
    )
    return _people_page(request, programme, found, f"Participants, {filters.year}", f"performance/?year={filters.year}")


@require_perm(Perm.PROGRAMME_VIEW)
def costs_page(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    found = cost_selectors.costs(actor=request.membership, programme=programme)
    return render(request, "programmes/costs.html", {"programme": programme, "costs": found})


@require_perm(Perm.PROGRAMME_VIEW)
def fairness_page(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    context = {
        "programme": programme,
        "partners": fairness.creaming_and_parking(actor=request.membership, programme=programme),
        "fidelity": fairness.ips_fidelity(actor=request.membership, programme=programme),
        "stalled_weeks": fairness.STALLED_AFTER_WEEKS,
    }
    return render(request, "programmes/fairness.html", context)
