"""Loading and refreshing the open data shipped in `data/` (see `data/README.md`): the ONS geography,
the IMD 2019 by LSOA and the DWP benefit caseloads. Each loader reads a whole file, reports every
problem with its line number, and writes only when there is none, inside the caller's transaction
(`services.open_data_load`), so a refused or failed file leaves nothing half-loaded."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .models import Area, AreaKind, Benefit, BenefitCaseload, Lsoa

DATA = Path(__file__).parent / "data"
ENGLAND = "E92000001"
GEOGRAPHY_FILE = DATA / "england_lad_utla_region_2019.csv"
REGISTER_FILE = DATA / "england_local_authorities_mysociety.csv"
IMD_FILE = DATA / "imd2019_lsoa_england.csv"
BENEFITS_FILE = DATA / "la_benefit_caseloads_england.csv"

GEOGRAPHY_COLUMNS = ["LAD19CD", "LAD19NM", "UTLA19CD", "UTLA19NM", "CTY19CD", "CTY19NM", "RGN19CD", "RGN19NM"]
REGISTER_COLUMNS = ["gss-code", "nice-name", "region", "replaced-by", "local-authority-code", "current-authority"]
IMD_COLUMNS = ["lsoa11cd", "lad19cd", "imd_score", "imd_rank", "imd_decile"]
# The caseload file's column for each benefit we keep (the others are not about health and work).
BENEFIT_COLUMNS = {
    Benefit.ESA: "esa_claimants",
    Benefit.UC: "uc_households",
    Benefit.PIP: "pip_claimants",
    Benefit.JSA: "jsa_claimants",
}
BENEFITS_COLUMNS = ["lad_code", "year", *BENEFIT_COLUMNS.values(), "working_age_population_2024"]


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class FileRefused(Exception):
    """A file with problems: nothing of it was loaded. `problems` lists each one with its line."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        super().__init__(f"{name} was not loaded: {len(problems)} problem(s)")

    def report(self) -> str:
        return "\n".join([f"{self.name} was not loaded (nothing was changed):", *map(str, self.problems)])


@dataclass
class Source:
    """A file's text with its name and digest."""

    name: str
    text: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @classmethod
    def read(cls, path: Path) -> Source:
        return cls(path.name, path.read_text(encoding="utf-8-sig"))

    def rows(self, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
        """Each data row with its line number; FileRefused if a required column is missing."""
        reader = csv.DictReader(io.StringIO(self.text))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise FileRefused(self.name, [Problem(1, f"the header has no column {', '.join(missing)}")])
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except csv.Error as exc:  # a field over the csv module's limit, a stray quote at the end
            raise FileRefused(self.name, [Problem(reader.line_num, f"the file is not a readable CSV ({exc})")]) from exc


# --- Geography -------------------------------------------------------------------------------


def _area(code: str, name: str, kind: str, **fields: object) -> Area:
    return Area(code=code, name=name, kind=kind, **fields)


def _areas_2019(source: Source, problems: list[Problem]) -> dict[str, Area]:
    out: dict[str, Area] = {ENGLAND: _area(ENGLAND, "England", AreaKind.COUNTRY)}
    for line, row in source.rows(GEOGRAPHY_COLUMNS):
        lad, utla, region = row["LAD19CD"], row["UTLA19CD"], row["RGN19CD"]
        if not (lad.startswith("E") and utla.startswith("E") and region.startswith("E12")):
            problems.append(Problem(line, f"{lad or 'a blank code'} is not an English authority with a region"))
            continue
        out.setdefault(region, _area(region, row["RGN19NM"], AreaKind.REGION, parent_id=ENGLAND))
        if lad == utla:
            out[lad] = _area(lad, row["LAD19NM"], AreaKind.UNITARY, parent_id=region, region_id=region)
            continue
        out.setdefault(utla, _area(utla, row["UTLA19NM"], AreaKind.COUNTY, parent_id=region, region_id=region))
        out[lad] = _area(lad, row["LAD19NM"], AreaKind.DISTRICT, parent_id=utla, region_id=region)
    return out


def _successors(source: Source, out: dict[str, Area], problems: list[Problem]) -> None:
    """Authorities made since 2019 (from the mySociety register) and what each replaced."""
    regions = {a.name: a.code for a in out.values() if a.kind == AreaKind.REGION}
    rows = list(source.rows(REGISTER_COLUMNS))
    by_short = {row["local-authority-code"]: row["gss-code"] for _line, row in rows}
    for line, row in rows:
        code = row["gss-code"]
        if code and code not in out and row["current-authority"] == "True" and code[:3] in ("E06", "E07", "E08"):
            region = regions.get(row["region"])
            if region is None:
                problems.append(Problem(line, f"{code} names a region we do not know ({row['region']!r})"))
                continue
            out[code] = _area(code, row["nice-name"], AreaKind.UNITARY, parent_id=region, region_id=region)
    for _line, row in rows:
        old, new = row["gss-code"], by_short.get(row["replaced-by"], "")
        if old in out and new in out and old != new and row["current-authority"] == "False":
            out[old].successor_id = new
            out[old].current = False
    counties = {a.parent_id for a in out.values() if a.kind == AreaKind.DISTRICT and a.current}
    for area in out.values():
        if area.kind == AreaKind.COUNTY and area.code not in counties:
            area.current = False  # every district of it has been replaced (Cumbria, Northamptonshire...)


def load_geography(geography: Source, register: Source) -> int:
    problems: list[Problem] = []
    areas = _areas_2019(geography, problems)
    _successors(register, areas, problems)
    if problems:
        raise FileRefused(geography.name, problems)
    ordered = sorted(areas.values(), key=lambda a: ["country", "region", "county", "unitary", "district"].index(a.kind))
    Area.objects.bulk_create(
        ordered,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind", "parent", "region", "successor", "current"],
    )
    return len(areas)


# --- IMD 2019 --------------------------------------------------------------------------------


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _lsoa(line: int, row: dict[str, str], known: set[str], problems: list[Problem]) -> Lsoa | None:
    score, rank, decile = (
        _decimal(row["imd_score"]),
        _int(row["imd_rank"]),
        _int(row["imd_decile"]),
    )
    if row["lad19cd"] not in known:
        problems.append(Problem(line, f"{row['lad19cd'] or 'a blank code'} is not a local authority we know"))
    elif score is None or rank is None or decile is None or not 1 <= decile <= 10:
        problems.append(
            Problem(line, f"{row['lsoa11cd']}: the score, rank and decile must be numbers (decile 1 to 10)")
        )
    else:
        return Lsoa(code=row["lsoa11cd"], area_id=row["lad19cd"], imd_score=score, imd_rank=rank, imd_decile=decile)
    return None


def load_imd(source: Source) -> int:
    known = set(Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.UNITARY]).values_list("code", flat=True))
    problems: list[Problem] = []
    found = [_lsoa(line, row, known, problems) for line, row in source.rows(IMD_COLUMNS)]
    if problems:
        raise FileRefused(source.name, problems)
    rows = [r for r in found if r is not None]
    Lsoa.objects.all().delete()
    Lsoa.objects.bulk_create(rows, batch_size=2000)
    profiles_rebuild()
    return len(rows)


def _containing(areas: dict[str, Area]) -> dict[str, set[str]]:
    """For each 2019 district or unitary, every area its LSOAs count in."""
    out: dict[str, set[str]] = {}
    for area in areas.values():
        chain: set[str] = set()
        for start in (area, areas.get(area.successor_id or "")):
            current = start
            while current is not None and current.code not in chain:
                chain.add(current.code)
                current = areas.get(current.parent_id or "")
        out[area.code] = chain
    return out


def profiles_rebuild() -> None:
    """Each area's deprivation profile, recounted from its LSOAs (stored on the area)."""
    areas = {a.code: a for a in Area.objects.all()}
    within = _containing(areas)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    for district, score, decile in Lsoa.objects.values_list("area_id", "imd_score", "imd_decile").iterator():
        for code in within.get(district, ()):
            t = totals[code]
            t[0] += 1
            t[1] += decile == 1
            t[2] += decile <= 2
            t[3] += score
    for code, area in areas.items():
        n, d1, d12, score_sum = totals.get(code, [Decimal(0)] * 4)
        area.lsoas, area.lsoas_decile_1, area.lsoas_decile_1_2 = int(n), int(d1), int(d12)
        area.imd_mean_score = (score_sum / n).quantize(Decimal("0.001")) if n else None
    Area.objects.bulk_update(
        areas.values(), ["lsoas", "lsoas_decile_1", "lsoas_decile_1_2", "imd_mean_score"], batch_size=500
    )


# --- DWP benefit caseloads -------------------------------------------------------------------


def _caseloads(
    line: int, row: dict[str, str], known: set[str], problems: list[Problem]
) -> tuple[list[BenefitCaseload], int | None]:
    code, year = row["lad_code"], _int(row["year"])
    if code not in known:
        problems.append(Problem(line, f"{code or 'a blank code'} is not a local authority we know"))
        return [], None
    if year is None or not 1990 <= year <= 2100:
        problems.append(Problem(line, f"the year {row['year']!r} is not a year"))
        return [], None
    out = []
    for benefit, column in BENEFIT_COLUMNS.items():
        text = row[column]
        if not text:
            continue  # not available that year: no row, never a zero
        count = _decimal(text.replace(",", ""))
        if count is None or count < 0:
            problems.append(Problem(line, f"{column} {text!r} is not a number"))
            continue
        out.append(BenefitCaseload(area_id=code, year=year, benefit=benefit, count=int(count)))
    population = _decimal(row["working_age_population_2024"].replace(",", ""))
    return out, int(population) if population else None


def load_benefits(source: Source) -> int:
    known = set(Area.objects.filter(kind__in=[AreaKind.DISTRICT, AreaKind.UNITARY]).values_list("code", flat=True))
    problems: list[Problem] = []
    rows: list[BenefitCaseload] = []
    population: dict[str, int] = {}
    for line, row in source.rows(BENEFITS_COLUMNS):
        found, people = _caseloads(line, row, known, problems)
        rows.extend(found)
        if people:
            population[row["lad_code"]] = people
    if problems:
        raise FileRefused(source.name, problems)
    BenefitCaseload.objects.all().delete()
    BenefitCaseload.objects.bulk_create(rows, batch_size=2000)
    Area.objects.exclude(code__in=population).update(working_age_population=None)
    changed = [Area(code=code, working_age_population=n) for code, n in population.items()]
    Area.objects.bulk_update(changed, ["working_age_population"], batch_size=500)
    return len(rows)
