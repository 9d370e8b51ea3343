"""Performance: starts, job entries and sustained jobs by month against the year's targets; the
year's starters by a cohort; and the full cross-table of partner × cohort × local authority × month.
Every figure is read from the programme's monthly tallies (`programmes.tally`, decision 021), so the
page costs the same whatever the number of participants; each row opens to its participants (read
from the rows). Figures only (no personal data)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet, Sum

from joinedup.audit.verbs import AuditVerb
from joinedup.core.charts import line_chart
from joinedup.directory.areas import area_name
from joinedup.organisations.permissions import Membership, Perm
from joinedup.people.choices import Benefit, HealthCondition

from ..checks import audit, require
from ..choices import DistanceBand
from ..models import Participation, Programme, ProgrammeTally
from ..tables import Table
from ..tally import (
    COHORT_JOBS,
    COHORT_STARTS,
    COHORT_SUSTAINED,
    DIMENSIONS,
    EVERYONE,
    MONTH_MEASURES,
)

MEASURES = MONTH_MEASURES
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The breakdowns: (title, labels of the codes). "partner" and "area" group the tallies of everyone;
# the others are the tallies' cohort dimensions.
COHORTS: dict[str, tuple[str, dict[str, str] | None]] = {
    "partner": ("Delivery partner", {}),
    "area": ("Local authority", None),
    "age": ("Age band at start", {}),
    "health": ("Health condition", dict(HealthCondition.choices)),
    "benefit": ("Benefit", dict(Benefit.choices)),
    "route": ("Referral route", {}),
    "distance": ("Distance from the labour market", dict(DistanceBand.choices)),
}
NOT_RECORDED = "not recorded"
NO_AREA = "-"  # the area filter's value for participants whose local authority is not known


@dataclass(frozen=True)
class Filters:
    year: int
    partner: str = ""  # a partner's id
    cohort: str = "partner"  # a key of COHORTS: how the breakdown and the cross-table are grouped
    area: str = ""  # a local authority's code


@dataclass
class Performance:
    programme: Programme
    filters: Filters
    by_month: Table
    breakdown: Table
    cross: Table
    chart: str
    targets: dict[str, int]

    def tables(self) -> dict[str, Table]:
        return {t.key: t for t in (self.by_month, self.breakdown, self.cross)}


def _tallies(programme: Programme, filters: Filters, measures: list[str]) -> QuerySet[ProgrammeTally]:
    found = ProgrammeTally.objects.filter(
        programme=programme,
        measure__in=measures,
        month__gte=date(filters.year, 1, 1),
        month__lte=date(filters.year, 12, 1),
    ).order_by()
    if filters.partner:
        found = found.filter(partner_id=UUID(filters.partner))
    if filters.area:
        found = found.filter(area="" if filters.area == NO_AREA else filters.area)
    return found


def _monthly(programme: Programme, filters: Filters) -> dict[str, list[int]]:
    """Each measure by month of the year: one query of the tallies."""
    out = {name: [0] * 12 for name in MEASURES}
    rows = (
        _tallies(programme, filters, list(MEASURES))
        .filter(dimension=EVERYONE)
        .values_list("measure", "month")
        .annotate(n=Sum("n"))
    )
    for measure, month, n in rows:
        out[measure][month.month - 1] += int(n)
    return out


def _cumulative(values: list[int]) -> list[int]:
    total, out = 0, []
    for v in values:
        total += v
        out.append(total)
    return out


def _by_month(programme: Programme, filters: Filters, targets: dict[str, int]) -> tuple[Table, str]:
    monthly = _monthly(programme, filters)
    table = Table(
        "by_month",
        f"Month by month, {filters.year}",
        ["Month", "Starts", "Job entries", "Sustained jobs", "Starts so far", "Starts target so far"],
    )
    so_far = _cumulative(monthly["starts"])
    target_line = [round(targets.get("starts", 0) * (i + 1) / 12) for i in range(12)]
    for i, month in enumerate(MONTHS):
        table.rows.append(
            [month, monthly["starts"][i], monthly["job_entries"][i], monthly["sustained"][i], so_far[i], target_line[i]]
        )
        table.links.append(f"measure=starts&month={i + 1}")
    chart = line_chart(
        key="performance",
        title=f"Starts, job entries and sustained jobs so far in {filters.year}, against the starts target",
        labels=list(MONTHS),
        series={
            "Starts so far": so_far,
            "Starts target so far": target_line,
            "Job entries so far": _cumulative(monthly["job_entries"]),
            "Sustained jobs so far": _cumulative(monthly["sustained"]),
        },
    )
    return table, chart


def _label(cohort: str, code: object, partners: dict[str, str]) -> str:
    if cohort == "partner":
        return partners.get(str(code), NOT_RECORDED)
    labels = COHORTS[cohort][1]
    if labels is None:
        return area_name(str(code)) if code else NOT_RECORDED
    return str(labels.get(str(code), code) or NOT_RECORDED)


def _group(cohort: str) -> tuple[str, str]:
    """The tallies' dimension for a breakdown, and the column that holds its value."""
    if cohort == "partner":
        return EVERYONE, "partner_id"
    if cohort == "area":
        return EVERYONE, "area"
    return cohort, "value"


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _cohort_rows(programme: Programme, filters: Filters, by: list[str]) -> dict[tuple[str, ...], dict[str, Any]]:
    """The year's starters (by month started) and how many of them reached a job or were sustained,
    grouped by `by` (columns of the tallies): one query, summed in the database to one row a group
    (each month's starts, the jobs and the sustained jobs as filtered sums), so the rows read do not
    multiply by measures and months."""
    dimension, _column = _group(filters.cohort)
    months = {
        f"m{i}": Sum("n", filter=Q(measure=COHORT_STARTS, month=date(filters.year, i, 1)), default=0)
        for i in range(1, 13)
    }
    rows = (
        _tallies(programme, filters, [COHORT_STARTS, COHORT_JOBS, COHORT_SUSTAINED])
        .filter(dimension=dimension)
        .values_list(*by)
        .annotate(
            **months,
            jobs=Sum("n", filter=Q(measure=COHORT_JOBS), default=0),
            sustained=Sum("n", filter=Q(measure=COHORT_SUSTAINED), default=0),
        )
    )
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    width = len(by)
    for row in rows:
        group = tuple(str(g) for g in row[:width])
        out[group] = {
            "months": [int(n) for n in row[width : width + 12]],
            "jobs": int(row[-2]),
            "sustained": int(row[-1]),
        }
    return out


def _outcomes(figures: dict[str, Any]) -> list[object]:
    starts = sum(figures["months"])
    jobs, sustained = figures["jobs"], figures["sustained"]
    return [starts, jobs, _rate(jobs, starts), sustained, _rate(sustained, starts)]


def _cross_by(cohort: str) -> list[str]:
    """The tallies' columns the cross-table groups by: partner and area, and the cohort's value."""
    return ["partner_id", "area"] if cohort in ("partner", "area") else ["partner_id", "value", "area"]


def _fold(found: dict[tuple[str, ...], dict[str, Any]], cohort: str) -> dict[str, dict[str, Any]]:
    """The cross-table's groups summed to the breakdown's: by partner, by area, or by the cohort's
    value (the same tallies, read once)."""
    at = {"partner": 0, "area": 1}.get(cohort, 1)
    out: dict[str, dict[str, Any]] = defaultdict(lambda: {"months": [0] * 12, "jobs": 0, "sustained": 0})
    for group, figures in found.items():
        into = out[group[at]]
        into["months"] = [a + b for a, b in zip(into["months"], figures["months"], strict=True)]
        into["jobs"] += figures["jobs"]
        into["sustained"] += figures["sustained"]
    return out


def _breakdown(filters: Filters, partners: dict[str, str], found: dict[tuple[str, ...], dict[str, Any]]) -> Table:
    title = COHORTS[filters.cohort][0]
    table = Table(
        f"by_{filters.cohort}",
        f"By {title.lower()}: people who started in {filters.year}",
        [title, "Starts", "Job entries", "Job entry rate (%)", "Sustained jobs", "Sustained rate (%)"],
    )
    rows = [
        (_label(filters.cohort, code, partners), code, figures)
        for code, figures in _fold(found, filters.cohort).items()
    ]
    for label, code, figures in sorted(rows, key=lambda r: (r[0], r[1])):
        if sum(figures["months"]):
            table.rows.append([label, *_outcomes(figures)])
            table.links.append(f"cohort={filters.cohort}&value={code}")
    return table


def _cross(filters: Filters, partners: dict[str, str], found: dict[tuple[str, ...], dict[str, Any]]) -> Table:
    """Partner × cohort × local authority × month: a row for each partner, value of the cohort and
    local authority with starters in the year, their starts month by month, then their outcomes."""
    by = _cross_by(filters.cohort)
    title = COHORTS[filters.cohort][0]
    heads = ["Delivery partner", "Local authority"] if len(by) == 2 else ["Delivery partner", title, "Local authority"]
    table = Table(
        "cross",
        f"By delivery partner, {title.lower() if len(by) == 3 else 'local authority'} and month started, "
        f"{filters.year}",
        [*heads, "Starts", "Job entries", "Job entry rate (%)", "Sustained jobs", "Sustained rate (%)", *MONTHS],
        heads=len(heads),
    )
    areas: dict[str, str] = {}
    rows = []
    for group, figures in found.items():
        if not sum(figures["months"]):
            continue
        partner, area = group[0], group[-1]
        labels = [partners.get(partner, NOT_RECORDED)]
        if len(by) == 3:
            labels.append(_label(filters.cohort, group[1], partners))
        if area not in areas:
            areas[area] = _label("area", area, partners)
        labels.append(areas[area])
        link = f"partner={partner}&area={area or NO_AREA}"
        link += f"&cohort={filters.cohort}&value={group[1]}" if len(by) == 3 else "&measure=cohort"
        rows.append((labels, figures, link))
    for labels, figures, link in sorted(rows, key=lambda r: r[0]):
        table.rows.append([*labels, *_outcomes(figures), *figures["months"]])
        table.links.append(link)
    return table


def _targets(programme: Programme, filters: Filters) -> dict[str, int]:
    target = programme.targets.filter(year=filters.year).first()
    if target is None:
        return {}
    targets = {"starts": target.starts, "job_entries": target.job_entries, "sustained": target.sustained_jobs}
    if filters.partner:
        contract = programme.contracts.filter(partner_id=UUID(filters.partner)).first()
        total = sum(c.allocated_starts for c in programme.contracts.all()) or 1
        share = contract.allocated_starts / total if contract else 0
        targets = {k: round(v * share) for k, v in targets.items()}
    return targets


def performance(*, actor: Membership, programme: Programme, filters: Filters) -> Performance:
    require(actor, Perm.PROGRAMME_VIEW)
    targets = _targets(programme, filters)
    partners = {str(c.partner_id): c.partner.name for c in programme.contracts.select_related("partner")}
    by_month, chart = _by_month(programme, filters, targets)
    found = _cohort_rows(programme, filters, _cross_by(filters.cohort))  # the breakdown and the cross-table
    return Performance(
        programme,
        filters,
        by_month,
        _breakdown(filters, partners, found),
        _cross(filters, partners, found),
        chart,
        targets,
    )


def _cohort_filter(cohort: str, value: str) -> Q:
    if cohort == "partner":
        try:
            return Q(partner_id=UUID(value))
        except ValueError:
            return Q(pk__in=[])
    if cohort == "area":
        return Q(local_authority=value)
    return Q(cohort_value=value)


def performance_participants(
    *,
    actor: Membership,
    programme: Programme,
    filters: Filters,
    measure: str,
    month: int | None,
    cohort: str,
    value: str,
) -> QuerySet[Participation]:
    """The participants behind a figure of the performance page: a month's measure, or the year's
    starters of a cohort (and, with the filters, of a partner and a local authority)."""
    require(actor, Perm.PROGRAMME_PARTICIPANTS)
    audit(
        actor,
        AuditVerb.VIEWED,
        programme,
        None,
        measure=measure,
        month=month or "",
        cohort=cohort,
        value=value,
        area=filters.area,
    )
    found = Participation.objects.filter(programme=programme)
    if filters.partner:
        found = found.filter(partner_id=UUID(filters.partner))
    if filters.area:
        found = found.filter(local_authority="" if filters.area == NO_AREA else filters.area)
    column = "started_on" if cohort in COHORTS or measure == "cohort" else MEASURES.get(measure, "started_on")
    found = found.filter(**{f"{column}__year": filters.year})
    if month:
        found = found.filter(**{f"{column}__month": month})
    if cohort in DIMENSIONS:
        found = found.annotate(cohort_value=DIMENSIONS[cohort])
    if cohort in COHORTS:
        found = found.filter(_cohort_filter(cohort, value))
    return found.select_related("case__person", "partner").order_by("started_on", "id")


def area_choices(programme: Programme) -> list[tuple[str, str]]:
    """The local authorities the programme's participants live in (from the tallies), by name."""
    found = ProgrammeTally.objects.filter(programme=programme, measure=COHORT_STARTS, dimension=EVERYONE)
    codes = found.values_list("area", flat=True).distinct().order_by()
    return sorted(((c or NO_AREA, area_name(c) if c else NOT_RECORDED) for c in codes), key=lambda pair: pair[1])


def year_choices(programme: Programme) -> list[int]:
    return list(range(programme.starts_on.year, programme.ends_on.year + 1))


def default_year(programme: Programme, today: date) -> int:
    return min(max(today.year, programme.starts_on.year), programme.ends_on.year)
