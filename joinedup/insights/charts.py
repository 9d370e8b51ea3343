"""The dashboard's trend chart: referrals, starts and job starts month by month (issue 18), drawn
by `joinedup.core.charts`; the month-by-month table under it has the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup

from joinedup.core.charts import line_chart

from .selectors import Figures

MEASURES = {"Referrals": "referrals", "Starts": "starts", "Job starts": "job_starts"}


def _months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def trend_chart(by_month: Sequence[tuple[date, Figures]], *, title: str) -> Markup | None:
    """Oldest month first, a month with nothing recorded drawn as 0 (the tallies keep no empty
    months); None when there is no month to draw."""
    if not by_month:
        return None
    figures = dict(by_month)
    months = _months_between(min(figures), max(figures))
    empty = Figures()
    return line_chart(
        key="dashboard-trend",
        title=title,
        labels=[f"{m:%b %Y}" for m in months],
        series={name: [getattr(figures.get(m, empty), field) for m in months] for name, field in MEASURES.items()},
    )
