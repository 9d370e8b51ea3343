"""A table of figures a page shows and exports (CSV and XLSX), and the SVG trend chart drawn from
one: server-rendered, with the table beside it as its text alternative."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    # For each row, the query string that opens its figures to the participants (or "").
    links: list[str] = field(default_factory=list)
    heads: int = 1  # how many leading columns name the row (row headers, not figures)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows([[_plain(v) for v in row] for row in self.rows])
        return out.getvalue()

    def xlsx(self) -> bytes:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.key[:31])
        sheet.append(self.columns)
        for row in self.rows:
            sheet.append([v if isinstance(v, int | float) else _plain(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _plain(value: object) -> str:
    """A cell as text; a spreadsheet formula prefix is neutralised (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#6f72af")
DASHES = ("", "6 3", "2 2", "8 2 2 2")


def line_chart(*, title: str, labels: Sequence[str], series: dict[str, Sequence[float]], height: int = 220) -> str:
    """An accessible SVG line chart: a title and description, each line with its own colour and dash
    pattern (not colour alone), a legend, and the axis labelled. The data table is on the page."""
    width, left, bottom, top = 640, 48, 28, 12
    peak = max([1.0, *(v for values in series.values() for v in values)])
    n = max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - 10) * i / n

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / peak)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24 * len(series)}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="programme-chart" width="100%">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(", ".join(series))} by month, from {escape(labels[0] if labels else "")} '
        f"to {escape(labels[-1] if labels else '')}. The same figures are in the table below the chart.</desc>",
        f'<line x1="{left}" y1="{y(0)}" x2="{width - 10}" y2="{y(0)}" stroke="#0b0c0c"/>',
        f'<text x="4" y="{y(peak) + 4}" font-size="12">{peak:g}</text>',
        f'<text x="4" y="{y(0) + 4}" font-size="12">0</text>',
    ]
    for i, label in enumerate(labels):
        if i % max(1, len(labels) // 6) == 0:
            parts.append(
                f'<text x="{x(i)}" y="{height - 8}" font-size="12" text-anchor="middle">{escape(label)}</text>'
            )
    for k, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}" points="{points}"/>'
        )
        ly = height + 16 + 24 * k
        parts.append(
            f'<line x1="{left}" y1="{ly - 4}" x2="{left + 30}" y2="{ly - 4}" stroke="{colour}" stroke-width="3" '
            f'stroke-dasharray="{dash}"/><text x="{left + 38}" y="{ly}" font-size="14">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
