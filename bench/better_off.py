"""Better-off-in-work: the hours curve in one vectorised simulation against one simulation per hour.

    python -m bench.better_off [--step 2] [--repeats 3]

Times `joinedup.cases.better_off.calculator.calculate` (every hour option a household in ONE policyengine-uk
simulation) against `calculate_one_at_a_time` (a simulation per hour option, the baseline), for the
same household and the same hour options, in the same run, and checks they give the same net
incomes. The default hour options are 0, 2, ..., 40 (21 options) so this part of `make bench` takes a
couple of minutes; `--step 1` runs the full 0-40 curve (41 options) in the baseline too. The
vectorised figure for the full 41-option curve is always measured. No database is used.

Writes var/bench/better_off.json in the shape of bench/run.py's figures.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=2, help="hours between options in the comparison (1 = all 41)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each vectorised calculation (median kept)")
    args = parser.parse_args()
    hours = tuple(range(0, 41, max(1, args.step)))

    started = time.perf_counter()
    from policyengine_uk import Simulation  # noqa: F401 - the one-off import, timed on its own

    import_seconds = time.perf_counter() - started
    better_off.calculate(HOUSEHOLD, hourly_wage=WAGE, hours=(0,))  # warm: parameters loaded, caches filled

    def vectorised(options: tuple[int, ...]) -> tuple[float, better_off.Result]:
        runs = [better_off.calculate(HOUSEHOLD, hourly_wage=WAGE, hours=options) for _ in range(args.repeats)]
        return statistics.median(r.seconds for r in runs), runs[-1]

    same_seconds, same = vectorised(hours)
    full_seconds = same_seconds if hours == better_off.DEFAULT_HOURS else vectorised(better_off.DEFAULT_HOURS)[0]
    loop = better_off.calculate_one_at_a_time(HOUSEHOLD, hourly_wage=WAGE, hours=hours)
    if [p.net_income for p in loop.points] != [p.net_income for p in same.points]:
        raise SystemExit("vectorised and one-at-a-time results differ")

    n = len(hours)
    size = f"{n} hour options, couple with 2 children, policyengine-uk {same.model_version}"
    today, where = date.today().isoformat(), machine()
    rows = [
        ("better-off import policyengine-uk", import_seconds, "s", "once per process"),
        ("better-off curve vectorised, 41 hour options", full_seconds, "s", "0-40 hours, one simulation"),
        *([] if n == 41 else [(f"better-off curve vectorised, {n} hour options", same_seconds, "s", size)]),
        (f"better-off one simulation per hour, {n} hour options", loop.seconds, "s", size),
        ("better-off one-per-hour / vectorised", loop.seconds / same_seconds, "ratio", size),
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
