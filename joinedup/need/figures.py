"""Every area's open-data figures, built once per load (decision 023): benefit caseloads summed from
the districts and unitaries up to their county, region and England, the working-age population
they are divided by, and the deprivation profile the loader keeps on each area. The figures are
rebuilt when a new file is loaded (the newest ImportRun is the key), so a page costs one query."""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from .models import Area, AreaKind, Benefit, BenefitCaseload, ImportRun

ENGLAND = "E92000001"
PARTNERSHIP = "partnership"
# The benefits on the need page, and the caseload a "claimant rate" counts (decision 023: ESA
# claimants plus UC households, the nearest to a health-and-work caseload the open data gives).
PAGE_BENEFITS = (Benefit.ESA, Benefit.UC, Benefit.PIP)
CLAIMANT_BENEFITS = (Benefit.ESA, Benefit.UC)
CLAIMANT_RATE_NOTE = (
    "The claimant rate is a proxy, not a count of people with a health condition: it is ESA claimants "
    "plus Universal Credit households (every UC household, whatever its reason for claiming, as DWP "
    "publishes UC by area), per 1,000 working-age residents. It is the nearest to a health-and-work "
    "caseload the open data gives by local authority."
)
LOWER = (AreaKind.DISTRICT, AreaKind.UNITARY)
UPPER = (AreaKind.COUNTY, AreaKind.UNITARY)


def _rate(count: int | None, population: int | None) -> float | None:
    return round(1000 * count / population, 1) if count is not None and population else None


@dataclass
class AreaStats:
    code: str
    name: str
    kind: str
    region: str | None
    parent: str | None
    current: bool
    lsoas: int
    decile_1: int
    decile_1_2: int
    imd_mean: float | None
    working_age: int = 0
    caseloads: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def count(self, benefit: str, year: int) -> int | None:
        return self.caseloads.get(year, {}).get(benefit)

    def per_1000(self, benefit: str, year: int) -> float | None:
        return _rate(self.count(benefit, year), self.working_age)

    def claimants(self, year: int) -> int | None:
        counts = [self.count(b, year) for b in CLAIMANT_BENEFITS]
        return None if any(c is None for c in counts) else sum(c or 0 for c in counts)

    def claimant_rate(self, year: int) -> float | None:
        return _rate(self.claimants(year), self.working_age)

    def share(self, n: int) -> float | None:
        return round(100 * n / self.lsoas, 1) if self.lsoas else None

    @property
    def years(self) -> list[int]:
        return sorted(self.caseloads)


@dataclass
class Figures:
    areas: dict[str, AreaStats]
    latest_year: int
    partnership: list[str]  # the upper-tier authorities the partnership serves
    _memo: dict[object, list] = field(default_factory=dict)

    def local_authorities(self) -> list[tuple[str, str]]:
        """(code, name) of every current local authority, by name (for the peer group's choices)."""
        if "choices" not in self._memo:
            found = [(a.code, a.name) for a in self.areas.values() if a.current and a.kind in (*LOWER, *UPPER)]
            self._memo["choices"] = sorted(found, key=lambda pair: pair[1])
        return self._memo["choices"]

    def _candidates(self, tier: tuple[str, ...]) -> list[tuple[str, str, float, float]]:
        """(code, name, mean IMD score, claimant rate) of the current areas of a tier with both."""
        if tier not in self._memo:
            year = self.latest_year
            rated = [(a, a.claimant_rate(year)) for a in self.areas.values() if a.kind in tier and a.current]
            self._memo[tier] = [(a.code, a.name, a.imd_mean, r) for a, r in rated if a.imd_mean is not None and r]
        return self._memo[tier]

    def peers(self, code: str, count: int | None = None) -> list[str]:
        """The areas nearest to this one in deprivation (mean IMD score) and claimant rate, each
        standardised over the candidates (same tier: districts and unitaries, or counties and unitaries)."""
        tier = UPPER if self.areas[code].kind == AreaKind.COUNTY else LOWER
        candidates = self._candidates(tier)
        me = next((c for c in candidates if c[0] == code), None)
        if me is None:
            return []
        sd_score = _sd([c[2] for c in candidates]) or 1.0
        sd_rate = _sd([c[3] for c in candidates]) or 1.0
        ranked = sorted(
            (math.hypot((c[2] - me[2]) / sd_score, (c[3] - me[3]) / sd_rate), c[1], c[0])
            for c in candidates
            if c[0] != code
        )
        n = count if count is not None else int(getattr(settings, "NEED_PEER_COUNT", 5))
        return [c for _d, _name, c in ranked[:n]]


def _sd(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _stats(area: Area) -> AreaStats:
    score = float(area.imd_mean_score) if area.imd_mean_score is not None else None
    return AreaStats(
        area.code, area.name, area.kind, area.region_id, area.parent_id, area.current, area.lsoas,
        area.lsoas_decile_1, area.lsoas_decile_1_2, score,
    )  # fmt: skip


def _within(stats: AreaStats, areas: dict[str, AreaStats]) -> list[AreaStats]:
    """A district's or unitary's figures count in it, its county, its region and England."""
    chain = [stats]
    for code in (stats.parent if stats.kind == AreaKind.DISTRICT else None, stats.region, ENGLAND):
        if code and code in areas:
            chain.append(areas[code])
    return chain


def _partnership() -> list[str]:
    from joinedup.directory import areas as directory_areas
    from joinedup.directory.selectors import GAP_AREAS

    default = [directory_areas.AREAS[a].gss for a in GAP_AREAS if a in directory_areas.AREAS]
    return list(getattr(settings, "NEED_PARTNERSHIP_AREAS", None) or default)


def _build() -> Figures:
    areas = {a.code: _stats(a) for a in Area.objects.all()}
    population = dict(Area.objects.filter(kind__in=LOWER).values_list("code", "working_age_population"))
    for code, n in population.items():
        for stats in _within(areas[code], areas):
            stats.working_age += n or 0
    for code, year, benefit, count in BenefitCaseload.objects.values_list("area_id", "year", "benefit", "count"):
        for stats in _within(areas[code], areas):
            stats.caseloads[year][benefit] = stats.caseloads[year].get(benefit, 0) + count
    members = _partnership()
    together = AreaStats(PARTNERSHIP, "The partnership", "partnership", None, None, True, 0, 0, 0, None)
    england = areas.get(ENGLAND)
    latest = (
        max((y for y, c in england.caseloads.items() if all(b in c for b in CLAIMANT_BENEFITS)), default=0)
        if england
        else 0
    )
    score_sum = 0.0
    for code in (m for m in members if m in areas):
        stats = areas[code]
        together.working_age += stats.working_age
        together.lsoas += stats.lsoas
        together.decile_1 += stats.decile_1
        together.decile_1_2 += stats.decile_1_2
        score_sum += (stats.imd_mean or 0) * stats.lsoas
        for year, counts in stats.caseloads.items():
            for benefit, n in counts.items():
                together.caseloads[year][benefit] = together.caseloads[year].get(benefit, 0) + n
    together.imd_mean = round(score_sum / together.lsoas, 3) if together.lsoas else None
    areas[PARTNERSHIP] = together
    return Figures(areas, latest, members)


_lock = threading.Lock()
_cache: dict[object, Figures] = {}


def figures() -> Figures:
    """The figures for the data loaded now (rebuilt after a load: one query to know)."""
    key = (ImportRun.objects.order_by("-pk").values_list("pk", "loaded_at", "sha256").first(), tuple(_partnership()))
    with _lock:
        found = _cache.get(key)
        if found is None:
            _cache.clear()
            found = _cache[key] = _build()
    return found
