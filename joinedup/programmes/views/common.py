"""What the programmes pages share: the period and year asked for, and file responses."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from ..models import Programme
from ..selectors.performance import default_year, year_choices
from ..tables import Table


def form_data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def period(programme: Programme, asked: str | None) -> tuple[str, date, date]:
    """The period asked for: a calendar year inside the programme (clipped to it), or all of it."""
    if asked and asked.isdigit() and int(asked) in year_choices(programme):
        year = int(asked)
        return asked, max(date(year, 1, 1), programme.starts_on), min(date(year, 12, 31), programme.ends_on)
    return "all", programme.starts_on, programme.ends_on


def year(programme: Programme, asked: str | None) -> int:
    if asked and asked.isdigit() and int(asked) in year_choices(programme):
        return int(asked)
    return default_year(programme, timezone.localdate())


def table_response(table: Table, form: str, filename: str) -> HttpResponse:
    if form == "xlsx":
        response = HttpResponse(
            table.xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
