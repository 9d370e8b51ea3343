"""Wellbeing scores as a line over time, one chart a score (a questionnaire's total, or one ONS4
question), on the questionnaire's own scale with the direction of "better" said in words: on
GAD-7 and PHQ-9 lower is better, on SWEMWBS higher is (issue 18). Drawn by `joinedup.core.charts`;
the table of the same scores sits beside it on the case page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup

from joinedup.core.charts import line_chart

if TYPE_CHECKING:
    from .selectors import WellbeingSeries


def wellbeing_chart(series: WellbeingSeries) -> Markup:
    points = series.points
    key = "wellbeing-" + re.sub(r"[^a-z0-9]+", "-", series.name.lower()).strip("-")
    return line_chart(
        key=key,
        title=f"{series.name} over time",
        labels=[f"{p.measure.recorded_on:%-d %b %Y}" for p in points],
        x_values=[p.measure.recorded_on.toordinal() for p in points],
        series={series.name: [float(p.value) for p in points]},
        low=series.low,
        high=series.high,
        better=series.better,
    )
