"""`make bench BENCH_SIZES="20000 100000 500000"`: how each page's p95 grows with the number of people.

    python -m bench.growth --sizes "20000 100000 500000" [--requests 60] [--warmup 10] [--budget 30]
    python -m bench.growth --plot-only      # redraw the table and plot from var/bench/growth.json

For each size, runs `bench.run` (which loads the synthetic partnership at that size into its own
database, then times every page against its bare-SQL baseline), one size after the other in the
same session. Then writes ``var/bench/growth.json``, prints a Markdown table of each page's p95
(and its ratio to its baseline) by size, and draws ``docs/benchmarks/growth.svg``: p95 against
people, one line per page, on a logarithmic people axis, server-rendered SVG with the same figures
as the table beside it in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SVG = ROOT / "docs" / "benchmarks" / "growth.svg"
# Each page's line: a colour from the GOV.UK palette and a dash, so lines differ without colour too.
_STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 2"),
    ("#4c2c92", "8 3 2 3"),
    ("#f47738", "1 3"),
    ("#505a5f", "10 4"),
    ("#b58840", "4 4"),
]


def run_sizes(sizes: list[int], *, requests: int, warmup: int, budget: float) -> dict[str, dict[str, dict]]:
    """{size: {page: {p95, baseline_p95, ratio, p50}}} from one `bench.run` per size."""
    growth: dict[str, dict[str, dict]] = {}
    for size in sizes:
        print(f"== {size:,} people ==", flush=True)
        args = ["--people", str(size), "--requests", str(requests), "--warmup", str(warmup), "--budget", str(budget)]
        subprocess.run([sys.executable, "-m", "bench.run", *args], cwd=ROOT, check=True)  # noqa: S603
        figures = json.loads((OUT / "latest.json").read_text())
        growth[str(size)] = _pages(figures)
        growth[str(size)]["_meta"] = {
            "date": figures[0]["date"],
            "machine": figures[0]["machine"],
            "database": figures[0]["database"],
            "load": next((f["value"] for f in figures if f["figure"] == "load average at start"), None),
        }
    return growth


def _pages(figures: list[dict]) -> dict[str, dict]:
    values = {f["figure"]: f["value"] for f in figures}
    pages = sorted({name[: -len(" ratio p95")] for name in values if name.endswith(" ratio p95")})
    return {
        page: {
            "p50": values[f"{page} p50"],
            "p95": values[f"{page} p95"],
            "baseline_p95": values[f"{page} baseline p95"],
            "ratio": values[f"{page} ratio p95"],
            "queries": values[f"{page} queries"],
        }
        for page in pages
    }


def table(growth: dict[str, dict[str, dict]]) -> str:
    sizes = sorted(growth, key=int)
    pages = sorted({p for size in sizes for p in growth[size] if not p.startswith("_")})
    head = "| page | " + " | ".join(f"{int(s):,} people: p95 ms (× baseline)" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for page in pages:
        cells = []
        for size in sizes:
            r = growth[size].get(page)
            cells.append(f"{r['p95']:.1f} ({r['ratio']:.1f}×)" if r else "—")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    loads = [growth[size].get("_meta", {}).get("load") for size in sizes]
    lines.append("| *load average at start* | " + " | ".join("—" if v is None else f"{v:.1f}" for v in loads) + " |")
    return "\n".join(lines)


def svg(growth: dict[str, dict[str, dict]], *, width: int = 640, height: int = 360) -> str:
    """The plot: p95 (ms, linear) against people (log), one line and marker per page, with a legend."""
    sizes = sorted((int(s) for s in growth), key=int)
    pages = sorted({p for s in growth for p in growth[s] if not p.startswith("_")})
    left, right, top, bottom = 56, 170, 20, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    top_ms = max((r["p95"] for s in growth.values() for p, r in s.items() if not p.startswith("_")), default=1)
    top_ms = _nice_ceiling(top_ms)
    lo, hi = math.log10(min(sizes)), math.log10(max(sizes))
    span = (hi - lo) or 1.0

    def x(size: int) -> float:
        return left + (math.log10(size) - lo) / span * plot_w if len(sizes) > 1 else left + plot_w / 2

    def y(ms: float) -> float:
        return top + plot_h - ms / top_ms * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="growth-title growth-desc" font-family="Arial, sans-serif" font-size="12">',
        '<title id="growth-title">Each page\'s 95th percentile response time against the number of people</title>',
        '<desc id="growth-desc">Line chart; the same figures are in the table beside it in docs/benchmarks.md.</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for i in range(5):  # horizontal grid and the ms axis
        ms = top_ms * i / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#b1b4b6"/>')
        parts.append(f'<text x="{left - 6}" y="{y(ms) + 4:.1f}" text-anchor="end">{ms:g}</text>')
    for size in sizes:
        parts.append(f'<line x1="{x(size):.1f}" x2="{x(size):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{x(size):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{size:,}</text>')
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">people (logarithmic scale)</text>'
    )
    parts.append(
        f'<text transform="translate(14 {top + plot_h / 2}) rotate(-90)" text-anchor="middle">p95, milliseconds</text>'
    )
    for n, page in enumerate(pages):
        colour, dash = _STYLES[n % len(_STYLES)]
        points = [(x(s), y(growth[str(s)][page]["p95"])) for s in sizes if page in growth[str(s)]]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        parts.extend(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in points)
        ly = top + 14 + n * 18
        lx = left + plot_w + 12
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        parts.append(f'<text x="{lx + 30}" y="{ly}">{page}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _nice_ceiling(value: float) -> float:
    """The next of 1, 2, 2.5, 5 × a power of ten at or above `value` (the axis's top)."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000 100000 500000", help="people, separated by spaces or commas")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--budget", type=float, default=30)
    parser.add_argument("--plot-only", action="store_true", help="redraw from var/bench/growth.json")
    args = parser.parse_args(argv)
    path = OUT / "growth.json"
    if args.plot_only:
        growth = json.loads(path.read_text())
    else:
        sizes = [int(s) for s in args.sizes.replace(",", " ").split()]
        previous = json.loads(path.read_text()) if path.exists() else {}
        growth = {**previous, **run_sizes(sizes, requests=args.requests, warmup=args.warmup, budget=args.budget)}
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(growth, indent=2))
    SVG.parent.mkdir(parents=True, exist_ok=True)
    SVG.write_text(svg(growth))
    print(table(growth))
    print(f"Plot: {SVG.relative_to(ROOT)}; figures: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
