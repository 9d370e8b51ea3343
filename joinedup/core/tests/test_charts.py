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
