"""Charts, drawn on the server as SVG: one way of drawing for every page (issue 18).

Each chart has a title and a description (read by screen readers: `role="img"` with
`aria-labelledby`), tells lines apart by dash pattern as well as colour, labels its axes, and is
shown beside a table of the same figures (the page's job). No JavaScript. The SVG scales to its
column (`class="app-chart"`, frontend/joinedup.scss). Every chart on a page has its own `key`, so
its ids are unique.

- `line_chart`: one or more lines over ordered points (months, dates, hours), on a scale from
  `low` to `high`; optionally placed by value along the bottom (`x_values`), with a marked point
  (`mark`), and a sentence saying which way is better (`better`).
- `bar_chart`: horizontal bars, all to one scale, in groups; a bar may be stacked from parts
  (a solid part and a pale one).
- `interval_chart`: one row per item, its value a dot and its confidence interval a line, all to
  one scale, with an optional reference value (England's, say) as a dashed rule; the first row is
  the one the page is about (a square, not a dot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from markupsafe import Markup

COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#6f72af")
DASHES = ("", "6 3", "2 2", "8 2 2 2")
PALE = "#9bc0e2"  # the second part of a stacked bar: the first colour, lighter
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


@dataclass(frozen=True)
class Mark:
    """A vertical line at one place along the bottom, with its words: "16 hours (being considered)"."""

    at: float
    label: str


@dataclass(frozen=True)
class _Frame:
    """Where values fall on a line chart's drawing area."""

    x_min: float
    x_span: float
    low: float
    high: float
    height: int
    top: int
    width: int = 480
    left: int = 48
    right: int = 16
    bottom: int = 30

    def x(self, v: float) -> float:
        return self.left + (self.width - self.left - self.right) * (v - self.x_min) / self.x_span

    def y(self, v: float) -> float:
        return self.top + (self.height - self.top - self.bottom) * (1 - (v - self.low) / ((self.high - self.low) or 1))


def line_chart(
    *,
    key: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    low: float = 0,
    high: float | None = None,
    x_values: Sequence[float] | None = None,
    mark: Mark | None = None,
    better: str = "",
    unit: str = "",
    height: int = 240,
) -> Markup:
    """Lines over `labels` (oldest or smallest first). `x_values` places each point by value (dates as
    day numbers, hours); without it the points are evenly spaced. `better` ("Lower is better") is
    written above the chart and in its description."""
    xs = list(x_values) if x_values is not None else list(range(len(labels)))
    ends = [*xs, *([mark.at] if mark else [])] or [0.0]
    x_min, x_max = min(ends), max(ends)
    if x_min == x_max:  # one point: in the middle
        x_min, x_max = x_min - 1, x_max + 1
    top_value = high if high is not None else max([low + 1, *(v for line in series.values() for v in line)])
    frame = _Frame(x_min, x_max - x_min, low, top_value, height, 30 if better else 12)
    desc = (
        f"{', '.join(series)}, from {labels[0]} to {labels[-1]}, on a scale of {_fmt(low)} to {_fmt(top_value)}{unit}."
        if labels
        else f"{', '.join(series)}: no figures yet."
    )
    desc += f" {better}." if better else ""
    desc += f" Marked: {mark.label}." if mark else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {height + 26 * len(series)}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" class="app-chart" data-chart="{escape(key)}" '
        'focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)} The same figures are in the table with the chart.</desc>',
    ]
    if better:
        parts.append(f'<text x="{frame.left}" y="18" font-size="17" font-weight="bold">{escape(better)}</text>')
    parts += _axes(frame, labels, xs)
    if mark is not None:
        parts.append(_mark(frame, mark))
    parts += _lines(frame, series, xs)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every word in it went through escape())


def _axes(frame: _Frame, labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    parts = []
    for v in (frame.low, (frame.low + frame.high) / 2, frame.high):
        parts.append(
            f'<line x1="{frame.left}" y1="{frame.y(v):.1f}" x2="{frame.width - frame.right}" y2="{frame.y(v):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/><text x="{frame.left - 6}" y="{frame.y(v) + 5:.1f}" '
            f'font-size="15" text-anchor="end">{_fmt(v)}</text>'
        )
    # About five labels along the bottom; a caller that left some labels empty chose its own.
    step = 1 if "" in labels else max(1, -(-len(labels) // 5))
    for i, label in enumerate(labels):
        if label and i % step == 0:
            lx = frame.x(xs[i])
            anchor = "end" if lx > frame.width - 50 else "middle"
            parts.append(
                f'<text x="{lx:.1f}" y="{frame.height - 8}" font-size="15" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    return parts


def _mark(frame: _Frame, mark: Mark) -> str:
    mx = frame.x(mark.at)
    anchor = "end" if mx > frame.width * 0.6 else "start"
    tx = mx - 6 if anchor == "end" else mx + 6
    return (
        f'<line x1="{mx:.1f}" y1="{frame.top}" x2="{mx:.1f}" y2="{frame.height - frame.bottom}" stroke="{TEXT}" '
        f'stroke-width="2" stroke-dasharray="4 3" data-mark="{mark.at:g}"/>'
        f'<text x="{tx:.1f}" y="{frame.height - frame.bottom - 8}" font-size="15" font-weight="bold" '
        f'text-anchor="{anchor}">{escape(mark.label)}</text>'
    )


def _lines(frame: _Frame, series: dict[str, Sequence[float]], xs: Sequence[float]) -> list[str]:
    parts = []
    for k, (name, line) in enumerate(series.items()):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        points = " ".join(f"{frame.x(xs[i]):.1f},{frame.y(v):.1f}" for i, v in enumerate(line))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}" '
            f'points="{points}" data-series="{escape(name)}"/>'
        )
        if len(line) <= 24:  # dots where there are few points; a long run is a line
            parts += [
                f'<circle cx="{frame.x(xs[i]):.1f}" cy="{frame.y(v):.1f}" r="4" fill="{colour}"/>'
                for i, v in enumerate(line)
            ]
        ly = frame.height + 18 + 26 * k
        parts.append(
            f'<line x1="{frame.left}" y1="{ly - 5}" x2="{frame.left + 30}" y2="{ly - 5}" stroke="{colour}" '
            f'stroke-width="3" stroke-dasharray="{dash}"/>'
            f'<text x="{frame.left + 38}" y="{ly}" font-size="16">{escape(name)}</text>'
        )
    return parts


@dataclass(frozen=True)
class Bar:
    label: str
    parts: tuple[float, ...]  # stacked: the first solid, the second pale
    text: str  # the figure in words at the bar's end: "3 whole, 1 part"


@dataclass(frozen=True)
class BarGroup:
    name: str
    bars: tuple[Bar, ...]


def bar_chart(*, key: str, title: str, groups: Sequence[BarGroup], legend: Sequence[str] = ()) -> Markup:
    """Horizontal bars in groups, every bar to one scale (the longest whole bar): the same figure is
    the same length wherever it is. Each group's name is a heading line; each bar's label sits above
    it, its figure at its end, so nothing is squeezed on a narrow screen."""
    width, left, right, bar_h, label_h, group_h = 480, 4, 150, 18, 22, 32
    most = max([1.0, *(sum(b.parts) for g in groups for b in g.bars)])
    scale = (width - left - right) / most
    rows = sum(group_h + len(g.bars) * (label_h + bar_h + 8) for g in groups)
    height = rows + (30 if legend else 0) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" class="app-chart" data-chart="{escape(key)}" focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{len(groups)} groups of bars, each to the same scale, 0 to {_fmt(most)}. '
        "The same figures are in the table with the chart.</desc>",
    ]
    y = 0.0
    for group in groups:
        y += group_h
        parts.append(f'<text x="{left}" y="{y - 8:.0f}" font-size="17" font-weight="bold">{escape(group.name)}</text>')
        for bar in group.bars:
            parts.append(f'<text x="{left}" y="{y + 16:.0f}" font-size="16">{escape(bar.label)}</text>')
            y += label_h
            x = float(left)
            for i, part in enumerate(bar.parts):
                if part <= 0:
                    continue
                length = part * scale
                colour = COLOURS[0] if i == 0 else PALE
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.0f}" width="{length:.1f}" height="{bar_h}" fill="{colour}" '
                    f'data-value="{part:g}"/>'
                )
                x += length
            parts.append(f'<text x="{x + 6:.1f}" y="{y + 14:.0f}" font-size="16">{escape(bar.text)}</text>')
            y += bar_h + 8
    if legend:
        y += 12
        for i, name in enumerate(legend[:2]):
            lx = left + i * 230
            parts.append(
                f'<rect x="{lx}" y="{y:.0f}" width="16" height="16" fill="{COLOURS[0] if i == 0 else PALE}"/>'
                f'<text x="{lx + 22}" y="{y + 13:.0f}" font-size="15">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every word in it went through escape())


@dataclass(frozen=True)
class Interval:
    """One row of an interval chart: a value and its confidence limits (either may be unknown)."""

    label: str
    value: float
    lower: float | None = None
    upper: float | None = None


def _interval_scale(rows: Sequence[Interval], reference: float | None) -> tuple[float, float]:
    values = [v for r in rows for v in (r.value, r.lower, r.upper) if v is not None]
    values += [reference] if reference is not None else []
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    return low - pad, high + pad


def interval_chart(
    *, key: str, title: str, rows: Sequence[Interval], reference: float | None = None, reference_label: str = ""
) -> Markup:
    """Each row's value as a dot with its 95% confidence interval as a line, all to one scale, and
    `reference` (named `reference_label`) as a dashed rule. The first row is drawn as a square."""
    width, left, right, row_h, top = 640, 190, 20, 26, 10
    low, high = _interval_scale(rows, reference)

    def x(v: float) -> float:
        return left + (width - left - right) * (v - low) / (high - low)

    base = top + row_h * len(rows)
    named = f", and {reference_label} as a dashed line" if reference is not None and reference_label else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {base + 30}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc" class="app-chart" data-chart="{escape(key)}" focusable="false">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{len(rows)} values, each with its 95% confidence interval, on a scale of '
        f"{_fmt(round(low, 1))} to {_fmt(round(high, 1))}{escape(named)}. The same figures are in the table "
        "with the chart.</desc>",
    ]
    for i, row in enumerate(rows):
        y = top + row_h * i + row_h / 2
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-size="13">{escape(row.label[:28])}</text>')
        if row.lower is not None and row.upper is not None:
            parts.append(
                f'<line x1="{x(row.lower):.1f}" y1="{y:.1f}" x2="{x(row.upper):.1f}" y2="{y:.1f}" '
                f'stroke="#505a5f" stroke-width="2" data-interval="{row.lower:g} {row.upper:g}"/>'
            )
        if i == 0:
            parts.append(
                f'<rect x="{x(row.value) - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{COLOURS[0]}" '
                f'data-value="{row.value:g}"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x(row.value):.1f}" cy="{y:.1f}" r="5" fill="{TEXT}" data-value="{row.value:g}"/>'
            )
    if reference is not None:
        rx = x(reference)
        parts.append(
            f'<line x1="{rx:.1f}" y1="{top}" x2="{rx:.1f}" y2="{base}" stroke="{COLOURS[2]}" stroke-width="2" '
            f'stroke-dasharray="6 3" data-reference="{reference:g}"/>'
            f'<text x="{rx:.1f}" y="{base + 24}" font-size="12" text-anchor="middle">'
            f"{escape(reference_label)} {reference:g}</text>"
        )
    parts.append(f'<text x="{left}" y="{base + 12}" font-size="12">{low:.1f}</text>')
    parts.append(f'<text x="{width - right}" y="{base + 12}" font-size="12" text-anchor="end">{high:.1f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every word in it went through escape())
