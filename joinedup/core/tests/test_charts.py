"""The one way of drawing charts (issue 18): well-formed SVG with a title and description, ids of its
own, lines told apart by dash as well as colour, a scale that is the one asked for, a marked place,
bars to one scale; hostile words are escaped."""

from __future__ import annotations

import pytest

from joinedup.core.chart_reading import attr, part, parts, points, svg_of, text_of, words
from joinedup.core.charts import Bar, BarGroup, Mark, bar_chart, line_chart


def test_a_line_chart_is_labelled_svg_with_its_own_ids():
    svg = svg_of(
        line_chart(key="trend", title="Referrals by month", labels=["Jan", "Feb"], series={"Referrals": [3, 5]})
    )
    assert attr(svg, "role") == "img" and attr(svg, "aria-labelledby") == "trend-title trend-desc"
    assert attr(part(svg, "title"), "id") == "trend-title" and text_of(svg, "title") == "Referrals by month"
    desc = text_of(svg, "desc")
    assert "Referrals, from Jan to Feb" in desc and "table" in desc
    assert len(parts(svg, "polyline")) == 1 and len(parts(svg, "circle")) == 2


def test_lines_differ_by_dash_as_well_as_colour():
    svg = svg_of(line_chart(key="k", title="t", labels=["a", "b"], series={"A": [1, 2], "B": [2, 1], "C": [0, 0]}))
    lines = parts(svg, "polyline")
    assert len({(attr(p, "stroke"), p.get("stroke-dasharray")) for p in lines}) == 3
    assert len({p.get("stroke-dasharray") for p in lines}) == 3


def test_a_line_chart_is_drawn_on_the_scale_asked_for_and_says_which_way_is_better():
    svg = svg_of(
        line_chart(
            key="k",
            title="t",
            labels=["a", "b"],
            series={"GAD-7": [21, 0]},
            low=0,
            high=21,
            better="Lower scores are better",
        )
    )
    (_, top), (_, bottom) = points(parts(svg, "polyline")[0])
    assert top < bottom  # 21, the top of the scale, is drawn higher than 0
    assert {"Lower scores are better", "21", "0"} <= set(words(svg))
    assert "Lower scores are better" in text_of(svg, "desc")


def test_points_placed_by_value_and_a_marked_place():
    svg = svg_of(
        line_chart(
            key="k",
            title="t",
            labels=["0", "10", "40"],
            x_values=[0, 10, 40],
            series={"Net": [100, 150, 300]},
            mark=Mark(16, "16 hours"),
        )
    )
    xs = [x for x, _ in points(parts(svg, "polyline")[0])]
    assert (xs[1] - xs[0]) * 3 == pytest.approx(xs[2] - xs[1], abs=0.2)  # 10 hours apart, then 30
    mark = next(line for line in parts(svg, "line") if line.get("data-mark"))
    assert attr(mark, "data-mark") == "16" and xs[1] < float(attr(mark, "x1")) < xs[2]
    assert "16 hours" in words(svg)


def test_one_point_and_no_points_still_draw():
    one = svg_of(line_chart(key="k", title="t", labels=["1 Mar 2026"], series={"Score": [14]}, low=7, high=35))
    assert len(parts(one, "circle")) == 1
    none = svg_of(line_chart(key="k", title="t", labels=[], series={"Score": []}))
    assert "no figures yet" in text_of(none, "desc")


def test_bars_are_drawn_to_one_scale():
    svg = svg_of(
        bar_chart(
            key="gaps",
            title="t",
            groups=[
                BarGroup("One", (Bar("Short name", (2, 0), "2"), Bar("A much longer area name", (4, 0), "4"))),
                BarGroup("Two", (Bar("x", (2, 2), "2 whole, 2 part"),)),
            ],
            legend=("Whole", "Part"),
        )
    )
    widths = [(r.get("data-value"), float(attr(r, "width"))) for r in parts(svg, "rect") if r.get("data-value")]
    twos = {w for v, w in widths if v == "2"}
    assert len(twos) == 1  # the same count, the same length, wherever it is
    four = next(w for v, w in widths if v == "4")
    assert four == pytest.approx(2 * twos.pop(), abs=0.2)
    assert "same scale" in text_of(svg, "desc")


def test_hostile_words_are_escaped():
    hostile = '<script>alert(1)</script>"'
    markup = str(line_chart(key="k", title=hostile, labels=[hostile], series={hostile: [1]}))
    assert "<script>" not in markup and text_of(svg_of(markup), "title") == hostile
    markup = str(bar_chart(key="k", title=hostile, groups=[BarGroup(hostile, (Bar(hostile, (1,), hostile),))]))
    assert "<script>" not in markup and text_of(svg_of(markup), "title") == hostile


def _intervals():
    from joinedup.core.charts import Interval, interval_chart

    rows = [
        Interval("Mansfield", 12.5, 10.0, 15.0),
        Interval("East Midlands", 9.0, 8.5, 9.5),
        Interval("<b>Peer</b>", 7.0),
    ]
    return svg_of(
        interval_chart(key="gap", title="Employment gap", rows=rows, reference=10.2, reference_label="England")
    )


def test_an_interval_chart_is_labelled_svg_with_its_own_ids():
    svg = _intervals()
    assert attr(svg, "role") == "img" and attr(svg, "aria-labelledby") == "gap-title gap-desc"
    assert attr(svg, "class") == "app-chart" and text_of(svg, "title") == "Employment gap"
    desc = text_of(svg, "desc")
    assert "3 values, each with its 95% confidence interval" in desc and "England as a dashed line" in desc
    assert "table" in desc


def test_an_interval_chart_draws_each_value_its_interval_and_the_reference_to_one_scale():
    svg = _intervals()
    square, dots = parts(svg, "rect"), parts(svg, "circle")
    assert [attr(r, "data-value") for r in square] == ["12.5"]  # the area the page is about
    assert [attr(c, "data-value") for c in dots] == ["9", "7"]
    intervals = [p for p in parts(svg, "line") if p.get("data-interval")]
    assert [attr(p, "data-interval") for p in intervals] == ["10 15", "8.5 9.5"]  # none where no limits
    (rule,) = [p for p in parts(svg, "line") if p.get("data-reference")]
    assert attr(rule, "data-reference") == "10.2" and rule.get("stroke-dasharray")
    # one scale: the interval's ends lie either side of its value, the reference between 9 and 12.5
    mansfield = float(attr(square[0], "x")) + 6
    assert float(attr(intervals[0], "x1")) < mansfield < float(attr(intervals[0], "x2"))
    assert float(attr(dots[0], "cx")) < float(attr(rule, "x1")) < mansfield
    assert "England 10.2" in words(svg)


def test_an_interval_chart_escapes_hostile_words_and_draws_one_value_alone():
    from joinedup.core.charts import Interval, interval_chart

    raw = str(interval_chart(key="k", title="<i>t</i>", rows=[Interval("<b>Peer</b>", 7.0)]))
    assert "<b>" not in raw and "<i>" not in raw
    assert "<b>Peer</b>" in words(svg_of(raw)) and text_of(svg_of(raw), "title") == "<i>t</i>"
    alone = svg_of(interval_chart(key="one", title="t", rows=[Interval("Only", 5.0)]))
    assert len(parts(alone, "rect")) == 1 and not [p for p in parts(alone, "line") if p.get("data-reference")]
