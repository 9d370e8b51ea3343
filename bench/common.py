"""What every benchmark module shares: the machine's description, percentiles, and the shape of a
figure in `var/bench/*.json` (`{"figure", "value", "unit", "size", "database", "date", "machine"}`)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        memory = "unknown memory"
    return f"{os.cpu_count()} × {cpu}, {memory}"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def figure_recorder(figures: list[dict], *, size: object, database: str, digits: int = 2) -> Callable[..., None]:
    """`figure(name, value, unit, size=…, database=…, places=…)` appends one figure to `figures`,
    dated today on this machine; `size`, `database` and the decimal places default to the run's."""
    today, where = date.today().isoformat(), machine()
    default_size, default_database = size, database

    def figure(
        name: str, value: float, unit: str, size: object = None, database: str | None = None, places: int | None = None
    ) -> None:
        figures.append(
            {
                "figure": name,
                "value": round(float(value), digits if places is None else places),
                "unit": unit,
                "size": default_size if size is None else size,
                "database": database or default_database,
                "date": today,
                "machine": where,
            }
        )

    return figure


def timed(fn: Callable[[], object]) -> float:
    """Milliseconds one call of `fn` takes."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def synthetic_partnership(people: int, seed: int) -> None:
    """The benchmark database (created if missing), migrated, holding a synthetic partnership of
    `people` (kept if it is already that size); Django set up for the caller."""
    from bench.database import bench_database_url, ensure_database
    from bench.run import load, manage

    url = bench_database_url()
    if ensure_database(url):
        print(f"Created database {url.rsplit('/', 1)[-1]}")
    manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    from django.db import connection

    load(people, seed, reload=False)
    connection.close()
