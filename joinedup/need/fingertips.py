"""Reading an OHID Fingertips CSV export (the "Export table" / "Download data" file, or the API's
`/api/all_data/csv/...`), with the format's known quirks (decision 023):

- each area can appear twice, with and without its parent: kept once, never summed; two copies
  that disagree are a problem;
- rows with a Category Type (deprivation deciles, ethnic groups...) re-partition the population:
  left out of the headline series;
- a suppressed value is blank with a Value note: stored as no value with its note, never zero;
- financial-year labels ("2020/21") and pooled periods ("2016/17 - 20/21", "2017 - 19"), which
  overlap their neighbours: kept with their first and last years and marked pooled.

The header is Fingertips' (`indicators.md`); newer exports add "Time period range" and the
"Compared to <parent> value or percentiles" column's name varies: both are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .loading import FileRefused, Problem, Source
from .models import Area, Indicator, IndicatorValue

COLUMNS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note",
    "Recent Trend", "Compared to England value or percentiles", "Time period Sortable", "New data",
    "Compared to goal",
]  # fmt: skip

# PHOF codes for the Fingertips IDs `indicators.md` lists (the IDs are marked unverified there).
PHOF = {90282: "B08a", 90283: "B08b", 90638: "B08c", 22302: "B09a", 22303: "B09b"}

_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})/(\d{2})$")
_RANGE = re.compile(r"^(\d{4})(?:/(\d{2}))?\s*-\s*(\d{2}|\d{4})(?:/(\d{2}))?$")


def period_years(label: str) -> tuple[int, int, bool] | None:
    """(first year, last year, pooled) of a Fingertips period label, or None if it is not one.
    "2019" -> (2019, 2019); "2020/21" -> (2020, 2021); "2016/17 - 20/21" -> (2016, 2021, pooled)."""
    text = label.strip()
    if m := _YEAR.match(text):
        return int(m[1]), int(m[1]), False
    if m := _FINANCIAL.match(text):
        start = int(m[1])
        return (start, start + 1, False) if (start + 1) % 100 == int(m[2]) else None
    if m := _RANGE.match(text):
        start = int(m[1])
        last = m[4] or m[3]
        end = int(last) if len(last) == 4 else start - start % 100 + int(last)
        if end < start:
            end += 100
        return (start, end, True) if end > start else None
    return None


_LARGEST = Decimal("1e10")  # the value columns hold 10 digits before the point


def _decimal(text: str) -> Decimal | None:
    """A number as published ("1,234.5"), or None when blank; InvalidOperation if it is not a
    finite number."""
    if not text:
        return None
    found = Decimal(text.replace(",", ""))
    if not found.is_finite():
        raise InvalidOperation(text)
    return found


@dataclass
class Parsed:
    indicators: dict[int, str] = field(default_factory=dict)
    values: dict[tuple[int, str, str, str, str], tuple[int, IndicatorValue]] = field(default_factory=dict)
    category_rows: int = 0
    repeated_rows: int = 0
    suppressed: int = 0
    problems: list[Problem] = field(default_factory=list)


def _numbers(row: dict[str, str]) -> dict[str, Decimal | None] | str:
    names = {"value": "Value", "lower_ci": "Lower CI 95.0 limit", "upper_ci": "Upper CI 95.0 limit",
             "count": "Count", "denominator": "Denominator"}  # fmt: skip
    out: dict[str, Decimal | None] = {}
    for attr, column in names.items():
        try:
            out[attr] = found = _decimal(row[column])
        except InvalidOperation:
            return f"{column} {row[column][:20]!r} is not a number"
        if found is not None and abs(found) >= _LARGEST:
            return f"{column} {row[column][:20]!r} is too large (at most 10 digits before the point)"
    return out


def _value(line: int, row: dict[str, str], known: set[str]) -> IndicatorValue | str:
    if not (row["Indicator ID"].isascii() and row["Indicator ID"].isdigit()) or len(row["Indicator ID"]) > 9:
        return f"Indicator ID {row['Indicator ID'][:20]!r} is not a whole number of up to 9 digits"
    for column, most in (("Sex", 20), ("Age", 40)):
        if len(row[column]) > most:
            return f"{column} {row[column][:20]!r}… is longer than {most} characters"
    if row["Area Code"] not in known:
        return f"area code {row['Area Code'][:20] or '(blank)'} ({row['Area Name'][:60]}) is not an area we know"
    years = period_years(row["Time period"])
    if years is None:
        return f"time period {row['Time period'][:40]!r} is not a year, a financial year (2020/21) or a range"
    numbers = _numbers(row)
    if isinstance(numbers, str):
        return numbers
    start, end, pooled = years
    return IndicatorValue(
        indicator_id=int(row["Indicator ID"]), area_id=row["Area Code"], sex=row["Sex"], age=row["Age"],
        period=row["Time period"], start_year=start, end_year=end, pooled=pooled, note=row["Value note"][:300],
        **numbers,
    )  # fmt: skip


def _same(a: IndicatorValue, b: IndicatorValue) -> bool:
    return (a.value, a.lower_ci, a.upper_ci, a.count, a.denominator) == (
        b.value, b.lower_ci, b.upper_ci, b.count, b.denominator,
    )  # fmt: skip


def _take(parsed: Parsed, line: int, row: dict[str, str], known: set[str]) -> None:
    if row["Category Type"]:
        parsed.category_rows += 1  # re-partitions the population: not a headline value
        return
    found = _value(line, row, known)
    if isinstance(found, str):
        parsed.problems.append(Problem(line, found))
        return
    key = (found.indicator_id, found.area_id, found.sex, found.age, found.period)
    if key in parsed.values:
        first_line, first = parsed.values[key]
        parsed.repeated_rows += 1
        if not _same(first, found):
            parsed.problems.append(
                Problem(line, f"{found.area_id} {found.period} repeats line {first_line} with different figures")
            )
        return
    parsed.values[key] = (line, found)
    parsed.indicators.setdefault(found.indicator_id, row["Indicator Name"][:500])
    parsed.suppressed += found.value is None


def parse(source: Source) -> Parsed:
    known = set(Area.objects.values_list("code", flat=True))
    parsed = Parsed()
    for line, row in source.rows(COLUMNS):
        _take(parsed, line, row, known)
    if not parsed.problems and not parsed.values:
        parsed.problems.append(Problem(1, "the file has no headline rows (every row was a category row or blank)"))
    if parsed.problems:
        raise FileRefused(source.name, parsed.problems)
    return parsed


def load_fingertips(source: Source) -> tuple[int, str]:
    """Load an export: each indicator in the file replaces that indicator's values (a newer file
    refreshes it). Returns the rows kept and a summary of what was left out and why."""
    parsed = parse(source)
    for fid, name in parsed.indicators.items():
        Indicator.objects.update_or_create(fingertips_id=fid, defaults={"name": name, "phof": PHOF.get(fid, "")})
    IndicatorValue.objects.filter(indicator_id__in=parsed.indicators).delete()
    IndicatorValue.objects.bulk_create([v for _line, v in parsed.values.values()], batch_size=1000)
    summary = (
        f"{len(parsed.values)} values of {len(parsed.indicators)} indicator(s); {parsed.suppressed} suppressed "
        f"(blank, kept with their note); {parsed.repeated_rows} repeated area rows kept once; "
        f"{parsed.category_rows} category rows (such as deprivation deciles) left out of the headline series"
    )
    return len(parsed.values), summary
