"""The need page's interval chart: each area's value as a dot with its 95% confidence interval as a
line, England's value as a dashed rule. Server-rendered SVG; the same figures are in the table
beside it. (Trend lines use `joinedup.core.charts.line_chart`.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape


@dataclass(frozen=True)
class Interval:
    label: str
    value: float
    lower: float | None
    upper: float | None


def interval_chart(*, key: str, title: str, rows: Sequence[Interval], england: float | None) -> str:
    width, left, right, row_height, top = 640, 190, 20, 26, 10
    values = [v for r in rows for v in (r.value, r.lower, r.upper) if v is not None]
    if england is not None:
        values.append(england)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def x(v: float) -> float:
        return left + (width - left - right) * (v - low) / (high - low)

    height = top + row_height * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" width="100%" '
        f'aria-labelledby="{key}-title {key}-desc" class="need-chart">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">Each area\'s value with its 95% confidence interval'
        f"{', and England as a dashed line' if england is not None else ''}. The figures are in the table.</desc>",
    ]
    for i, row in enumerate(rows):
        y = top + row_height * i + row_height / 2
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-size="13">{escape(row.label[:28])}</text>')
        if row.lower is not None and row.upper is not None:
            parts.append(
                f'<line x1="{x(row.lower):.1f}" y1="{y:.1f}" x2="{x(row.upper):.1f}" y2="{y:.1f}" '
                f'stroke="#505a5f" stroke-width="2"/>'
            )
        shape = "rect" if i == 0 else "circle"
        if shape == "rect":
            parts.append(f'<rect x="{x(row.value) - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="#1d70b8"/>')
        else:
            parts.append(f'<circle cx="{x(row.value):.1f}" cy="{y:.1f}" r="5" fill="#0b0c0c"/>')
    base = top + row_height * len(rows)
    if england is not None:
        parts.append(
            f'<line x1="{x(england):.1f}" y1="{top}" x2="{x(england):.1f}" y2="{base}" stroke="#d4351c" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{x(england):.1f}" y="{base + 24}" font-size="12" text-anchor="middle">England {england:g}</text>'
        )
    parts.append(f'<text x="{left}" y="{base + 12}" font-size="12">{low:.1f}</text>')
    parts.append(f'<text x="{width - right}" y="{base + 12}" font-size="12" text-anchor="end">{high:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)
