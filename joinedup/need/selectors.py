"""The need page for a local authority or the whole partnership (decision 023): benefit caseloads
per 1,000 working-age residents over time, the PHOF indicators with their confidence intervals
against England and the region, the deprivation profile, comparators (England, the region and a
peer group) and need beside provision and outcomes. Figures only: no personal data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from joinedup.core.charts import Interval, interval_chart, line_chart
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm
from joinedup.programmes.tables import Table

from .figures import ENGLAND, LOWER, PAGE_BENEFITS, PARTNERSHIP, UPPER, AreaStats, Figures, figures
from .models import Area, Benefit, ImportRun, IndicatorValue, NarrativeVersion
from .outcomes import MEASURES, TOTAL, OutcomeRow, Outcomes, partnership_outcomes, serves

SHORT = {Benefit.ESA: "ESA", Benefit.UC: "UC households", Benefit.PIP: "PIP"}


def require_view(actor: Membership) -> None:
    if not has_perm(actor, Perm.NEED_VIEW):
        raise NotPermitted("You do not have permission to see population need.")


@dataclass
class IndicatorBlock:
    key: str
    title: str
    period: str
    table: Table
    chart: str
    note: str = ""


@dataclass
class NeedPage:
    area: AreaStats
    year: int
    region: AreaStats | None
    england: AreaStats | None
    peers: list[AreaStats]
    peers_chosen: bool
    benefits: Table
    benefits_chart: str
    comparators: Table
    indicators: list[IndicatorBlock]
    outcomes: list[OutcomeRow]
    outcomes_total: OutcomeRow | None
    outcome_table: Table
    sources: list[ImportRun] = field(default_factory=list)
    counted_at: object = None  # when the partnership's own figures were counted (None: not shown)

    @property
    def fingertips_files(self) -> list[ImportRun]:
        """The Fingertips exports the indicators came from (the other sources are the open data)."""
        return [run for run in self.sources if run.dataset == "fingertips"]

    def tables(self) -> dict[str, Table]:
        found = [self.benefits, self.comparators, self.outcome_table, *(b.table for b in self.indicators)]
        return {t.key: t for t in found}


def local_authorities(*, actor: Membership) -> QuerySet[Area]:
    """Every current local authority in England, for the page that lists them."""
    require_view(actor)
    return Area.objects.filter(current=True, kind__in=[*LOWER, *UPPER]).select_related("region").order_by("name")


def peer_choices() -> list[tuple[str, str]]:
    """Every current local authority as (code, name), for choosing a peer group (no query)."""
    return figures().local_authorities()


def _area(found: Figures, code: str) -> AreaStats:
    stats = found.areas.get(code)
    if stats is None or stats.kind in ("country", "region") or not stats.current:
        raise DomainError("There is no local authority with that code.", field="code")
    return stats


def _benefits(area: AreaStats) -> tuple[Table, str]:
    years = [y for y in area.years if any(area.count(b, y) is not None for b in PAGE_BENEFITS)]
    table = Table(
        "benefits",
        f"{area.name}: benefit caseloads per 1,000 working-age residents",
        ["Year", *(f"{SHORT[b]} per 1,000" for b in PAGE_BENEFITS), *(SHORT[b] for b in PAGE_BENEFITS)],
    )
    for year in years:
        table.rows.append(
            [
                str(year),
                *(_blank(area.per_1000(b, year)) for b in PAGE_BENEFITS),
                *(_blank(area.count(b, year)) for b in PAGE_BENEFITS),
            ]
        )
    series: dict[str, Sequence[float]] = {
        f"{SHORT[b]} per 1,000": [area.per_1000(b, y) or 0.0 for y in years]
        for b in PAGE_BENEFITS
        if any(area.count(b, y) is not None for y in years)
    }
    chart = line_chart(
        key="caseloads", title=f"{area.name}: benefit caseloads per 1,000 working-age residents",
        labels=[str(y) for y in years], series=series, unit=" per 1,000",
    ) if years else ""  # fmt: skip
    return table, chart


def _blank(value: object) -> object:
    return "" if value is None else value


def _comparators(area: AreaStats, others: Sequence[tuple[str, AreaStats]], year: int) -> Table:
    table = Table(
        "comparators",
        f"{area.name} against England, the region and its peers ({year})",
        ["Area", "Compared as", *(f"{SHORT[b]} per 1,000" for b in PAGE_BENEFITS), "Claimant rate per 1,000",
         "Mean IMD score", "LSOAs in the most deprived 10% (%)", "LSOAs in the most deprived 20% (%)"],
    )  # fmt: skip
    for role, stats in [("This area", area), *others]:
        table.rows.append(
            [stats.name, role, *(_blank(stats.per_1000(b, year)) for b in PAGE_BENEFITS),
             _blank(stats.claimant_rate(year)), _blank(stats.imd_mean), _blank(stats.share(stats.decile_1)),
             _blank(stats.share(stats.decile_1_2))]
        )  # fmt: skip
    return table


def _headline(values: list[IndicatorValue]) -> dict[tuple[int, str], list[IndicatorValue]]:
    """Each indicator's rows for the sex it is published for ("Persons" where there is one)."""
    out: dict[tuple[int, str], list[IndicatorValue]] = {}
    for v in values:
        out.setdefault((v.indicator_id, v.sex), []).append(v)
    persons = {i for i, sex in out if sex == "Persons"}
    return {k: rows for k, rows in out.items() if k[1] == "Persons" or k[0] not in persons}


def _latest(rows: list[IndicatorValue], code: str) -> str | None:
    """The area's latest period: single years before pooled ones (pooled periods overlap)."""
    mine = [v for v in rows if v.area_id == code]
    single = [v for v in mine if not v.pooled] or mine
    return max(single, key=lambda v: (v.end_year, v.start_year)).period if single else None


def _compare(v: IndicatorValue, england: IndicatorValue | None) -> str:
    if v.value is None:
        return "suppressed"
    if england is None or england.value is None or v.lower_ci is None or v.upper_ci is None:
        return "not compared"
    if v.lower_ci > england.value:
        return "higher than England"
    if v.upper_ci < england.value:
        return "lower than England"
    return "similar to England"


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _indicator_block(
    key: tuple[int, str], rows: list[IndicatorValue], order: list[tuple[str, str]]
) -> IndicatorBlock | None:
    code = order[0][1]
    period = _latest(rows, code)
    if period is None:
        return None
    at = {v.area_id: v for v in rows if v.period == period}
    indicator = rows[0].indicator
    england = at.get(ENGLAND)
    label = f"{indicator.phof} {indicator.name}".strip() if indicator.phof else indicator.name
    table = Table(
        f"indicator_{key[0]}",
        f"{label} ({period}, {key[1]})",
        ["Area", "Compared as", "Value", "Lower 95% limit", "Upper 95% limit", "Compared with England", "Note"],
    )
    points = []
    for role, area_code in order:
        v = at.get(area_code)
        if v is None:
            continue
        table.rows.append(
            [
                v.area.name,
                role,
                _fmt(v.value) or "suppressed",
                _fmt(v.lower_ci),
                _fmt(v.upper_ci),
                _compare(v, england),
                v.note,
            ]
        )
        if v.value is not None:
            points.append(Interval(v.area.name, float(v.value), _float(v.lower_ci), _float(v.upper_ci)))
    chart = interval_chart(
        key=f"ind-{key[0]}", title=table.title, rows=points,
        reference=_float(england.value) if england else None, reference_label="England",
    ) if points else ""  # fmt: skip
    pooled = "This period pools several years, which overlap the periods beside it." if at[code].pooled else ""
    return IndicatorBlock(table.key, label, period, table, chart, pooled)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicators(order: list[tuple[str, str]]) -> list[IndicatorBlock]:
    codes = [c for _role, c in order]
    values = list(IndicatorValue.objects.filter(area_id__in=codes).select_related("indicator", "area"))
    blocks = [_indicator_block(k, rows, order) for k, rows in sorted(_headline(values).items())]
    return [b for b in blocks if b is not None]


def _outcome_table(name: str, rows: list[OutcomeRow], total: OutcomeRow | None, year: int) -> Table:
    table = Table(
        "outcomes",
        f"{name}: need, provision and outcomes",
        ["Area", f"Claimants ({year}: ESA and UC households)", "Claimant rate per 1,000", "Services in the directory",
         *MEASURES.values(), "Job entries per 1,000 claimants", "Flags"],
    )  # fmt: skip
    for row in [*rows, *([total] if total else [])]:
        table.rows.append(
            [row.name, _blank(row.claimants), _blank(row.claimant_rate), _blank(row.services),
             *(str(row.cells[m]) if m in row.cells else "" for m in MEASURES),
             _blank(row.per_1000_claimants("job_entries")), "; ".join(row.flags)]
        )  # fmt: skip
    return table


def _peers(found: Figures, area: AreaStats, chosen: Sequence[str]) -> tuple[list[AreaStats], bool]:
    tier = UPPER if area.kind == "county" else LOWER
    picked = [found.areas[c] for c in chosen if c in found.areas and found.areas[c].kind in tier and c != area.code]
    if picked:
        return picked[:10], True
    return [found.areas[c] for c in found.peers(area.code)], False


def need_page(*, actor: Membership, code: str, peers: Sequence[str] = ()) -> NeedPage:
    """The need page of a local authority (by ONS code) or of the partnership (`PARTNERSHIP`);
    `peers` chooses the peer group (by default the nearest in deprivation and claimant rate)."""
    require_view(actor)
    found = figures()
    outcomes: Outcomes | None = None
    if code == PARTNERSHIP or serves(found, code):
        outcomes = partnership_outcomes(actor=actor, figures=found)
    if code == PARTNERSHIP and outcomes is not None:
        peer_list: list[AreaStats] = []
        area, chosen = found.areas[PARTNERSHIP], False
        region = None
        rows, total = [outcomes.rows[k] for k in outcomes.leaves], outcomes.rows[TOTAL]
    else:
        area = _area(found, code)
        peer_list, chosen = _peers(found, area, peers)
        region = found.areas.get(area.region or "")
        rows, total = (outcomes.for_area(code) if outcomes else []), None
    england = found.areas.get(ENGLAND)
    others = [(label, s) for label, s in (("Region", region), ("England", england)) if s is not None]
    others += [("Peer", p) for p in peer_list]
    benefits, chart = _benefits(area)
    order = [("This area", area.code), *((label, s.code) for label, s in others)]
    return NeedPage(
        area, found.latest_year, region, england, peer_list, chosen, benefits, chart,
        _comparators(area, others, found.latest_year), _indicators(order), rows, total,
        _outcome_table(area.name, rows, total, found.latest_year),
        _sources(), outcomes.counted_at if outcomes else None,
    )  # fmt: skip


def _sources() -> list[ImportRun]:
    """The latest load of each dataset (and every Fingertips file)."""
    out: dict[str, ImportRun] = {}
    for run in ImportRun.objects.order_by("-loaded_at")[:50]:
        out.setdefault(run.file_name if run.dataset == "fingertips" else run.dataset, run)
    return list(out.values())


def fingertips_files(*, actor: Membership) -> list[ImportRun]:
    """The Fingertips files loaded, newest first (for the upload page)."""
    require_view(actor)
    return list(ImportRun.objects.filter(dataset="fingertips").order_by("-loaded_at")[:50])


def narrative(*, actor: Membership, scope: str) -> dict[str, NarrativeVersion]:
    """The newest version of each narrative section of a business case."""
    require_view(actor)
    out: dict[str, NarrativeVersion] = {}
    for version in NarrativeVersion.objects.filter(scope=scope).order_by("-created_at"):
        out.setdefault(version.section, version)
    return out


def narrative_versions(*, actor: Membership, scope: str) -> QuerySet[NarrativeVersion]:
    require_view(actor)
    return NarrativeVersion.objects.filter(scope=scope).select_related("created_by").order_by("-created_at")
