"""The better-off-in-work chart: net income a week at 0 to 40 hours, as a line, with the hours the
person is thinking about marked on it (issue 18). Drawn by `joinedup.core.charts`; the table of the
same figures is on the page, the row for those hours picked out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from joinedup.core.charts import Mark, line_chart


def better_off_chart(points: Sequence[dict[str, Any]], *, hours: int | None, key: str = "better-off") -> Markup:
    at = next((p for p in points if p["hours"] == hours), None)
    mark = (
        Mark(at=hours, label=f"{hours} hours: £{at['net_income']:,.0f} (being considered)")
        if hours is not None and at is not None
        else None
    )
    return line_chart(
        key=key,
        title="Net income a week at each number of hours worked",
        labels=[f"{p['hours']} hours" if p["hours"] % 10 == 0 else "" for p in points],
        x_values=[p["hours"] for p in points],
        series={"Net income a week (£)": [p["net_income"] for p in points]},
        mark=mark,
        unit=" pounds",
    )
