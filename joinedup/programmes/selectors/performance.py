"""Performance: starts, job entries and sustained jobs by month against the year's targets, and by
partner, cohort and area; each row opens to its participants. Figures only (no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth

from joinedup.audit.verbs import AuditVerb
from joinedup.core.charts import line_chart
from joinedup.directory.areas import area_name
from joinedup.organisations.permissions import Membership, Perm
from joinedup.people.choices import Benefit, HealthCondition

from ..checks import audit, require
from ..choices import DistanceBand
from ..models import Participation, Programme
from ..tables import Table

MEASURES = {"starts": "started_on", "job_entries": "first_job_on", "sustained": "sustained_on"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AGE_BANDS = Case(
    When(age_at_start__lt=25, then=Value("16-24")),
    When(age_at_start__lt=35, then=Value("25-34")),
    When(age_at_start__lt=50, then=Value("35-49")),
    When(age_at_start__lt=55, then=Value("50-54")),
    When(age_at_start__gte=55, then=Value("55+")),
    default=Value("not recorded"),
)
COHORTS = {
    "age": ("Age band at start", AGE_BANDS, {}),
    "health": ("Health condition", F("health_condition"), dict(HealthCondition.choices)),
    "benefit": ("Benefit", F("benefit"), dict(Benefit.choices)),
    "route": ("Referral route", F("route"), {}),
    "distance": ("Distance from the labour market", F("distance"), dict(DistanceBand.choices)),
    "area": ("Local authority", F("local_authority"), None),
    "partner": ("Delivery partner", F("partner__name"), {}),
}


@dataclass(frozen=True)
class Filters:
    year: int
    partner: str = ""  # a partner's id
    cohort: str = "partner"  # a key of COHORTS: how the breakdown table is grouped


@dataclass
class Performance:
    programme: Programme
    filters: Filters
    by_month: Table
    breakdown: Table
    chart: str
    targets: dict[str, int]

    def tables(self) -> dict[str, Table]:
        return {t.key: t for t in (self.by_month, self.breakdown)}


def _scope(programme: Programme, filters: Filters) -> QuerySet[Participation]:
    found = Participation.objects.filter(programme=programme)
    return found.filter(partner_id=UUID(filters.partner)) if filters.partner else found


def _monthly(found: QuerySet[Participation], year: int) -> dict[str, list[int]]:
    """Each measure by month of the year: one grouped query per measure."""
    out: dict[str, list[int]] = {}
    for name, column in MEASURES.items():
        counts = [0] * 12
        rows = (
            found.filter(**{f"{column}__year": year})
            .annotate(m=ExtractMonth(column))
            .values("m")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[row["m"] - 1] = row["n"]
        out[name] = counts
    return out


def _cumulative(values: list[int]) -> list[int]:
    total, out = 0, []
    for v in values:
        total += v
        out.append(total)
    return out


def _by_month(programme: Programme, filters: Filters, targets: dict[str, int]) -> tuple[Table, str]:
    monthly = _monthly(_scope(programme, filters), filters.year)
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


def _label(cohort: str, code: object) -> str:
    labels = COHORTS[cohort][2]
    if labels is None:
        return area_name(str(code)) if code else "not recorded"
    return str(labels.get(str(code), code) or "not recorded")


def _breakdown(programme: Programme, filters: Filters) -> Table:
    title, expression, _labels = COHORTS[filters.cohort]
    year = filters.year
    rows = (
        _scope(programme, filters)
        .annotate(group=expression)
        .values("group")
        .annotate(
            starts=Count("id", filter=Q(started_on__year=year)),
            jobs=Count("id", filter=Q(started_on__year=year, first_job_on__isnull=False)),
            sustained=Count("id", filter=Q(started_on__year=year, sustained_on__isnull=False)),
        )
        .filter(starts__gt=0)
        .order_by("group")
    )
    table = Table(
        f"by_{filters.cohort}",
        f"By {title.lower()}: people who started in {year}",
        [title, "Starts", "Job entries", "Job entry rate (%)", "Sustained jobs", "Sustained rate (%)"],
    )
    for row in rows:
        starts = row["starts"]
        table.rows.append(
            [
                _label(filters.cohort, row["group"]),
                starts,
                row["jobs"],
                round(100 * row["jobs"] / starts),
                row["sustained"],
                round(100 * row["sustained"] / starts),
            ]
        )
        table.links.append(f"cohort={filters.cohort}&value={row['group'] or ''}")
    return table


def performance(*, actor: Membership, programme: Programme, filters: Filters) -> Performance:
    require(actor, Perm.PROGRAMME_VIEW)
    target = programme.targets.filter(year=filters.year).first()
    targets = (
        {"starts": target.starts, "job_entries": target.job_entries, "sustained": target.sustained_jobs}
        if target
        else {}
    )
    if filters.partner and target:
        contract = programme.contracts.filter(partner_id=UUID(filters.partner)).first()
        total = sum(c.allocated_starts for c in programme.contracts.all()) or 1
        share = contract.allocated_starts / total if contract else 0
        targets = {k: round(v * share) for k, v in targets.items()}
    by_month, chart = _by_month(programme, filters, targets)
    return Performance(programme, filters, by_month, _breakdown(programme, filters), chart, targets)


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
    """The participants behind a figure of the performance page."""
    require(actor, Perm.PROGRAMME_PARTICIPANTS)
    audit(actor, AuditVerb.VIEWED, programme, None, measure=measure, month=month or "", cohort=cohort, value=value)
    found = _scope(programme, filters)
    column = MEASURES.get(measure, "started_on")
    found = found.filter(**{f"{column}__year": filters.year})
    if month:
        found = found.filter(**{f"{column}__month": month})
    if cohort in COHORTS:
        found = found.annotate(group=COHORTS[cohort][1]).filter(group=value)
    return found.select_related("case__person", "partner").order_by("started_on", "id")


def year_choices(programme: Programme) -> list[int]:
    return list(range(programme.starts_on.year, programme.ends_on.year + 1))


def default_year(programme: Programme, today: date) -> int:
    return min(max(today.year, programme.starts_on.year), programme.ends_on.year)
