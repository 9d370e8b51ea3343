"""The better-off chart (issue 18)."""

from __future__ import annotations

import pytest


def test_the_better_off_chart_marks_the_hours_being_considered():
    """Issue 18: the line of net income at 0 to 40 hours, with the hours the person is thinking about
    marked on it (here from figures, not a calculation: the chart draws what it is given)."""
    from joinedup.cases.better_off.charts import better_off_chart
    from joinedup.core.chart_reading import attr, parts, points, svg_of, text_of, words

    figures = [{"hours": h, "net_income": 100.0 + 10 * h} for h in range(41)]
    svg = svg_of(better_off_chart(figures, hours=16))
    mark = next(line for line in parts(svg, "line") if line.get("data-mark"))
    assert attr(mark, "data-mark") == "16"
    assert "16 hours: £260 (being considered)" in words(svg)
    line = points(parts(svg, "polyline")[0])
    assert len(line) == 41 and line[16][0] == pytest.approx(float(attr(mark, "x1")), abs=0.1)  # on the 16-hour point
    assert "Marked: 16 hours" in text_of(svg, "desc")
    plain = svg_of(better_off_chart(figures, hours=None))
    assert not [line for line in parts(plain, "line") if line.get("data-mark")]
