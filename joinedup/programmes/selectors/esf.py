"""The ESF return: each indicator by gender for a programme and a period, the participants behind
each figure, and the participant-level export in the Participant Data Schema's option strings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm

from .. import indicators
from ..checks import audit, require
from ..choices import Gender
from ..models import Participation, Programme
from ..pds import pds_row

GENDERS = tuple(Gender.values)


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


def _count(programme: Programme, wanted: tuple[indicators.Indicator, ...], starts: date, ends: date) -> list[Figure]:
    """One query: each indicator counted by gender among those its date places in the period."""

    def placed(i: indicators.Indicator) -> Q:
        return Q(**{f"{i.on}__gte": starts, f"{i.on}__lte": ends}) & i.counts

    rows = _recorded(programme).values("gender").annotate(**{i.code: Count("id", filter=placed(i)) for i in wanted})
    counts = {g: dict.fromkeys((i.code for i in wanted), 0) for g in GENDERS}
    for row in rows.order_by():
        found: dict[str, Any] = dict(row)
        counts[found["gender"]] = {i.code: found[i.code] for i in wanted}
    return [Figure(i, {g: counts[g][i.code] for g in GENDERS}) for i in wanted]


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
