"""Better-off-in-work: the warm engine against a new simulation (cold) and one simulation per hour (naive).

    python -m bench.better_off [--step 2] [--warm 20] [--cold 3]

In one run, for households of one shape (a couple with two children, alternating between two
households so each warm run really replaces the inputs):
- warm: `calculator.calculate` in a worker that has calculated before (the tax-benefit system and
  the shape's prepared simulation loaded, `engine.py`), the full 0-40 curve, p50 and p95 of `--warm` runs;
- cold: `calculator.calculate_new_simulation` (a new tax-benefit system and simulation, what a
  worker pays with nothing loaded, and what `calculate` did before), p50 and p95 of `--cold` runs;
- naive: `calculate_one_at_a_time` (a simulation per hour option) at 0, 2, ..., 40 (`--step 1`: all 41),
  and the ratio naive / warm at the same hour options. Checks the three give the same net incomes.
No database is used. Writes var/bench/better_off.json in the shape of bench/run.py's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.common import machine
from bench.run import OUT
from joinedup.cases.better_off import calculator as better_off

HOUSEHOLD = better_off.Household(
    age=34,
    partner_age=36,
    partner_weekly_earnings=Decimal("150"),
    children_ages=(4, 9),
    monthly_rent=Decimal("650"),
    tenure="social",
    council_tax_band="B",
    pip_daily_living="standard",
)
WAGE = Decimal("12.71")


OTHER = better_off.Household(
    age=29,
    partner_age=31,
    married=True,
    children_ages=(1, 6),
    monthly_rent=Decimal("720"),
    tenure="private",
    council_tax_band="A",
    lcwra=True,
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _warm(hours: tuple[int, ...], runs: int) -> list[float]:
    better_off.calculate(OTHER, hourly_wage=WAGE, hours=hours)  # the shape's prepared simulation
    return [
        better_off.calculate(HOUSEHOLD if i % 2 == 0 else OTHER, hourly_wage=WAGE, hours=hours).seconds
        for i in range(runs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=2, help="hours between naive options (1 = all 41)")
    parser.add_argument("--warm", type=int, default=20, help="warm runs of the full curve")
    parser.add_argument("--cold", type=int, default=3, help="cold runs (a new simulation each)")
    args = parser.parse_args()
    hours = tuple(range(0, 41, max(1, args.step)))

    started = time.perf_counter()
    from policyengine_uk import Simulation  # noqa: F401 - the one-off import, timed on its own

    import_seconds = time.perf_counter() - started
    first = better_off.calculate(HOUSEHOLD, hourly_wage=WAGE)  # loads the tax-benefit system
    warm = _warm(better_off.DEFAULT_HOURS, max(2, args.warm))
    cold = [better_off.calculate_new_simulation(HOUSEHOLD, hourly_wage=WAGE).seconds for _ in range(max(1, args.cold))]
    warm_same = _warm(hours, max(2, args.warm // 2)) if hours != better_off.DEFAULT_HOURS else warm
    loop = better_off.calculate_one_at_a_time(HOUSEHOLD, hourly_wage=WAGE, hours=hours)
    same = better_off.calculate(HOUSEHOLD, hourly_wage=WAGE, hours=hours)
    fresh = better_off.calculate_new_simulation(HOUSEHOLD, hourly_wage=WAGE, hours=hours)
    if not (
        [p.net_income for p in loop.points]
        == [p.net_income for p in same.points]
        == [p.net_income for p in fresh.points]
    ):
        raise SystemExit("warm, new-simulation and one-at-a-time results differ")

    n = len(hours)
    size = f"couple with 2 children, policyengine-uk {first.model_version}"
    curve = f"41 hour options, {size}"
    warm_p95, warm_same_p50 = _percentile(warm, 0.95), statistics.median(warm_same)
    today, where = date.today().isoformat(), machine()
    rows = [
        ("better-off import policyengine-uk", import_seconds, "s", "once per process"),
        ("better-off first calculation in a process", first.seconds, "s", f"{curve}; loads the tax-benefit system"),
        ("better-off warm p50, 41 hour options", statistics.median(warm), "s", f"{curve}; {len(warm)} runs"),
        ("better-off warm p95, 41 hour options", warm_p95, "s", f"{curve}; {len(warm)} runs"),
        (
            "better-off cold p50, 41 hour options",
            statistics.median(cold),
            "s",
            f"{curve}; new simulation, {len(cold)} runs",
        ),
        (
            "better-off cold p95, 41 hour options",
            _percentile(cold, 0.95),
            "s",
            f"{curve}; new simulation, {len(cold)} runs",
        ),
        *([] if n == 41 else [(f"better-off warm p50, {n} hour options", warm_same_p50, "s", size)]),
        (f"better-off one simulation per hour, {n} hour options", loop.seconds, "s", size),
        ("better-off one-per-hour / warm p50", loop.seconds / warm_same_p50, "ratio", f"{n} hour options, {size}"),
        ("better-off cold p50 / warm p50", statistics.median(cold) / statistics.median(warm), "ratio", curve),
    ]
    figures = [
        {
            "figure": name,
            "value": round(value, 3),
            "unit": unit,
            "size": about,
            "database": "none",
            "date": today,
            "machine": where,
        }
        for name, value, unit, about in rows
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    Path(OUT / "better_off.json").write_text(json.dumps(figures, indent=2) + "\n")
    for f in figures:
        print(f"{f['figure']:<58} {f['value']:>10} {f['unit']}")


if __name__ == "__main__":
    main()
