"""Need, provision and outcomes side by side for the areas the partnership serves (decision 023):
claimants (the open data), services in the directory that reach the area, and the partnership's
referrals, starts, job entries and sustained jobs, with flags where need is high and provision or
outcomes low. Counts are suppressed below the threshold, with secondary suppression against the
one total shown (the partnership's); per-1,000 rates of a hidden count are hidden too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from joinedup.core.errors import NotPermitted
from joinedup.directory import areas as directory_areas
from joinedup.directory.selectors import published_services_by_area
from joinedup.organisations.permissions import Membership, Perm, has_perm
from joinedup.programmes.selectors import outcomes_by_area
from joinedup.referrals.facts import referrals_by_postcode_district

from .figures import ENGLAND, Figures
from .suppression import Cell, suppress

MEASURES = {"referrals": "Referrals", "starts": "Starts", "job_entries": "Job entries", "sustained": "Sustained jobs"}
UNKNOWN = ""  # the row for people whose area is not known or outside the partnership
TOTAL = "total"


@dataclass
class OutcomeRow:
    key: str  # a directory area code, UNKNOWN or TOTAL
    name: str
    gss: str
    claimants: int | None
    claimant_rate: float | None
    services: int | None
    cells: dict[str, Cell] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def per_1000_claimants(self, measure: str) -> float | None:
        cell = self.cells.get(measure)
        if cell is None or cell.hidden or not self.claimants:
            return None
        return round(1000 * cell.count / self.claimants, 1)


@dataclass
class Outcomes:
    rows: dict[str, OutcomeRow]
    leaves: list[str]
    year: int
    counted_at: datetime | None = None

    def for_area(self, gss: str) -> list[OutcomeRow]:
        """The rows an area's page shows: a district's or unitary's own; a county's districts, then
        its own row (the people known only to be in the county)."""
        districts = [k for k in self.leaves if k and directory_areas.AREAS[k].parent and _gss_parent(k) == gss]
        own = [k for k in self.leaves if self.rows[k].gss == gss and k not in districts]
        return [self.rows[k] for k in districts + own]


def _gss_parent(code: str) -> str:
    parent = directory_areas.AREAS[code].parent
    return directory_areas.AREAS[parent].gss if parent in directory_areas.AREAS else ""


def _leaves(members: list[str]) -> list[str]:
    """The partnership's areas in the directory's codes: each unitary, and each county's districts
    with the county itself (people known only to be somewhere in it)."""
    by_gss = {a.gss: a.code for a in directory_areas.AREAS.values() if a.gss}
    out: list[str] = []
    for gss in members:
        code = by_gss.get(gss)
        if code is None:
            continue
        inside = [d for d in directory_areas.descendants(code) if directory_areas.AREAS[d].tier == "district"]
        out.extend([*sorted(inside, key=directory_areas.area_name), code] if inside else [code])
    return [*out, UNKNOWN]


CACHE_KEY = "need:partnership-counts"


def _recount(actor: Membership) -> tuple[dict[str, int], dict[str, dict[str, int]], datetime]:
    return referrals_by_postcode_district(), outcomes_by_area(actor=actor), timezone.now()


def _raw_counts(actor: Membership) -> tuple[dict[str, int], dict[str, dict[str, int]], datetime]:
    """Referrals by postcode district and programme outcomes by area: counted at most once every
    `NEED_COUNTS_SECONDS` (300 by default; 0 counts on every page) for every need page and user, as
    they are the partnership's totals whoever asks (decision 029: a need page is a planning view,
    and recounting every referral for each of the 317 pages missed the 300 ms target at 100,000
    people). The permission is checked on every call, cached or not."""
    seconds = int(getattr(settings, "NEED_COUNTS_SECONDS", 300))
    if seconds <= 0:
        return _recount(actor)
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _recount(actor)
        cache.set(CACHE_KEY, found, seconds)
    else:
        outcomes_by_area_allowed(actor)
    return found


def outcomes_by_area_allowed(actor: Membership) -> None:
    """The programmes app's permission for its outcomes, asked without counting them again."""
    if not has_perm(actor, Perm.PROGRAMME_VIEW):
        raise NotPermitted("You do not have permission to see programme outcomes.")


def _counts(actor: Membership, leaves: list[str]) -> tuple[dict[str, dict[str, int]], datetime]:
    known = set(leaves)
    counts = {leaf: dict.fromkeys(MEASURES, 0) for leaf in leaves}
    referrals, outcomes, counted_at = _raw_counts(actor)
    for district, n in referrals.items():
        area = directory_areas.POSTCODE_DISTRICTS.get(district, UNKNOWN)
        counts[area if area in known else UNKNOWN]["referrals"] += n
    for area, found in outcomes.items():
        row = counts[area if area in known else UNKNOWN]
        for measure, n in found.items():
            row[measure] += n
    return counts, counted_at


def _name(leaf: str, counties: set[str]) -> str:
    if leaf == UNKNOWN:
        return "Area not known or outside the partnership"
    name = directory_areas.area_name(leaf)
    return f"{name} (district not known)" if leaf in counties else name


def serves(figures: Figures, gss: str) -> bool:
    """Whether the partnership serves this authority (one of its members or inside one): only then
    has its page the partnership's outcomes, so only then are they counted."""
    if gss in figures.partnership:
        return True
    stats = figures.areas.get(gss)
    return stats is not None and stats.parent in figures.partnership


def partnership_outcomes(*, actor: Membership, figures: Figures) -> Outcomes:
    leaves = _leaves(figures.partnership)
    counts, counted_at = _counts(actor, leaves)
    counties = {leaf for leaf in leaves if leaf and directory_areas.descendants(leaf)}
    services = published_services_by_area(area_codes=[leaf for leaf in leaves if leaf])
    cells: dict[str, dict[str, Cell]] = {}
    for measure in MEASURES:
        found = suppress({leaf: counts[leaf][measure] for leaf in leaves}, {TOTAL: leaves})
        for key, cell in found.items():
            cells.setdefault(str(key), {})[measure] = cell
    year = figures.latest_year
    rows: dict[str, OutcomeRow] = {}
    for leaf in leaves:
        gss = directory_areas.AREAS[leaf].gss if leaf else ""
        stats = figures.areas.get(gss) if gss and leaf not in counties else None
        rows[leaf] = OutcomeRow(
            leaf, _name(leaf, counties), gss, stats.claimants(year) if stats else None,
            stats.claimant_rate(year) if stats else None, services.get(leaf) if leaf else None, cells[leaf],
        )  # fmt: skip
    together = figures.areas["partnership"]
    rows[TOTAL] = OutcomeRow(
        TOTAL, "The partnership", "", together.claimants(year), together.claimant_rate(year), None, cells[TOTAL]
    )
    _flag(rows, leaves, figures)
    return Outcomes(rows, leaves, year, counted_at)


def _flag(rows: dict[str, OutcomeRow], leaves: list[str], figures: Figures) -> None:
    """High need (claimant rate above England's) with low provision (no service in the directory
    reaching the area, or fewer per 10,000 claimants than the partnership) or low outcomes (fewer
    job entries per 1,000 claimants than the partnership)."""
    england = figures.areas[ENGLAND].claimant_rate(figures.latest_year) if ENGLAND in figures.areas else None
    total = rows[TOTAL]
    measured = [rows[k] for k in leaves if rows[k].claimants and rows[k].services is not None]
    claimants = sum(r.claimants or 0 for r in measured)
    services_rate = 10000 * sum(r.services or 0 for r in measured) / claimants if claimants else None
    jobs_rate = total.per_1000_claimants("job_entries")
    for row in measured:
        if england is None or row.claimant_rate is None or row.claimant_rate <= england:
            continue
        if row.services == 0 or (
            services_rate is not None and 10000 * (row.services or 0) / (row.claimants or 1) < services_rate
        ):
            row.flags.append("High need, low provision")
        mine = row.per_1000_claimants("job_entries")
        if jobs_rate is not None and mine is not None and mine < jobs_rate:
            row.flags.append("High need, low job entries")
