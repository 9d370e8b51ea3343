"""The ESF return: each indicator by gender for a programme and a period, the participants behind
each figure, and the participant-level export in the Participant Data Schema's option strings."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.db.models import Count, Q, QuerySet, Sum

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm

from .. import indicators
from ..checks import audit, require
from ..choices import Gender
from ..cohorts import add_months
from ..models import Participation, Programme, ProgrammeTally
from ..pds import pds_row
from ..tally import GENDER

GENDERS = tuple(Gender.values)
Counts = dict[tuple[str, str], int]  # (indicator code, gender) -> participants


@dataclass(frozen=True)
class Figure:
    indicator: indicators.Indicator
    by_gender: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_gender.values())


@dataclass(frozen=True)
class EsfReturn:
    programme: Programme
    starts: date
    ends: date
    total: Figure
    outputs: list[Figure]
    results: list[Figure]


def _recorded(programme: Programme) -> QuerySet[Participation]:
    return Participation.objects.filter(programme=programme, esf_recorded_on__isnull=False)


def _in_period(programme: Programme, on: str, starts: date, ends: date) -> QuerySet[Participation]:
    return _recorded(programme).filter(**{f"{on}__gte": starts, f"{on}__lte": ends})


def _edges(starts: date, ends: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The period split into whole months (first and last month's first day, or None) and the
    part-months at its edges."""
    first = starts if starts.day == 1 else add_months(starts.replace(day=1), 1)
    after = add_months(ends.replace(day=1), 1)
    last = ends.replace(day=1) if ends == after - timedelta(days=1) else add_months(ends.replace(day=1), -1)
    if first > last:
        return None, [(starts, ends)]
    parts = [(starts, first - timedelta(days=1))] if starts < first else []
    if ends >= add_months(last, 1):
        parts.append((add_months(last, 1), ends))
    return (first, last), parts


def _from_tallies(programme: Programme, wanted: tuple[indicators.Indicator, ...], months: tuple[date, date]) -> Counts:
    rows = (
        ProgrammeTally.objects.filter(
            programme=programme,
            measure__in=[i.code for i in wanted],
            dimension=GENDER,
            month__gte=months[0],
            month__lte=months[1],
        )
        .values_list("measure", "value")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return {(code, gender): int(n) for code, gender, n in rows}


def _from_rows(
    programme: Programme, wanted: tuple[indicators.Indicator, ...], parts: list[tuple[date, date]]
) -> Counts:
    """Each indicator counted by gender among those its date places in the part-months: one query
    for each date that places indicators (start, leaving, follow-up), reading only the rows with
    that date in the part-months (through its index)."""
    out: Counts = {}
    for on in sorted({i.on for i in wanted}):
        placed = [i for i in wanted if i.on == on]
        within = reduce(operator.or_, (Q(**{f"{on}__range": part}) for part in parts))
        rows = (
            _recorded(programme)
            .filter(within)
            .values("gender")
            .annotate(**{i.code: Count("id", filter=i.counts) for i in placed})
            .order_by()
        )
        out.update({(i.code, row["gender"]): row[i.code] for row in rows for i in placed})
    return out


def _count(programme: Programme, wanted: tuple[indicators.Indicator, ...], starts: date, ends: date) -> list[Figure]:
    """The whole months from the tallies, the part-months at the edges from the rows."""
    months, parts = _edges(starts, ends)
    counts: Counter[tuple[str, str]] = Counter(_from_tallies(programme, wanted, months) if months else {})
    if parts:
        counts.update(_from_rows(programme, wanted, parts))
    return [Figure(i, {g: counts[(i.code, g)] for g in GENDERS}) for i in wanted]


def check_period(programme: Programme, starts: date, ends: date) -> None:
    if ends < starts:
        raise DomainError("The period must end after it starts", field="ends")


def esf_return(*, actor: Membership, programme: Programme, starts: date, ends: date) -> EsfReturn:
    require(actor, Perm.PROGRAMME_VIEW)
    check_period(programme, starts, ends)
    figures = _count(programme, (indicators.TOTAL, *indicators.OUTPUTS, *indicators.RESULTS), starts, ends)
    outputs = len(indicators.OUTPUTS) + 1
    return EsfReturn(programme, starts, ends, figures[0], figures[1:outputs], figures[outputs:])


def esf_participants(
    *, actor: Membership, programme: Programme, code: str, gender: str, starts: date, ends: date
) -> QuerySet[Participation]:
    """The participants behind one figure of the return (audited: it names people)."""
    require(actor, Perm.PROGRAMME_PARTICIPANTS)
    indicator = indicators.BY_CODE.get(code)
    if indicator is None:
        raise DomainError("No such indicator", field="code")
    check_period(programme, starts, ends)
    found = _in_period(programme, indicator.on, starts, ends).filter(indicator.counts)
    if gender:
        if gender not in GENDERS:
            raise DomainError("No such gender", field="gender")
        found = found.filter(gender=gender)
    audit(actor, AuditVerb.VIEWED, programme, None, indicator=code, gender=gender, starts=starts, ends=ends)
    return found.select_related("case__person", "partner").order_by("started_on", "id")


def pds_rows(*, actor: Membership, programme: Programme, starts: date, ends: date) -> Iterator[dict[str, str]]:
    """The participant-level export: everyone who started in the period, in the schema's strings."""
    require(actor, Perm.PROGRAMME_PARTICIPANTS)
    check_period(programme, starts, ends)
    audit(actor, AuditVerb.EXPORTED, programme, None, export="participant data", starts=starts, ends=ends)
    found = (
        _in_period(programme, indicators.START, starts, ends)
        .select_related("case__person")
        .order_by("started_on", "id")
    )
    for participation in found.iterator(chunk_size=2000):
        yield pds_row(participation)
