"""Reading a server-drawn chart (joinedup.core.charts) in a test: the SVG out of a page, its parts
and their attributes, typed (a missing part fails the test where it is asked for)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(markup: object) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup the test itself made or was served)


def chart_in(page: str, key: str) -> ET.Element:
    """The chart with this key on the page."""
    found = re.search(rf'<svg[^>]*data-chart="{re.escape(key)}".*?</svg>', page, re.S)
    assert found, f"no chart {key!r} on the page"
    return svg_of(found.group(0))


def charts_in(page: str, prefix: str) -> dict[str, ET.Element]:
    """Every chart on the page whose key starts with `prefix`, by key."""
    found = re.finditer(rf'<svg[^>]*data-chart="({re.escape(prefix)}[^"]*)".*?</svg>', page, re.S)
    return {m.group(1): svg_of(m.group(0)) for m in found}


def part(svg: ET.Element, tag: str) -> ET.Element:
    found = svg.find(SVG + tag)
    assert found is not None, f"the chart has no {tag}"
    return found


def parts(svg: ET.Element, tag: str) -> list[ET.Element]:
    return list(svg.iter(SVG + tag))


def attr(element: ET.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None, f"{element.tag} has no {name}"
    return value


def words(svg: ET.Element) -> list[str]:
    """The chart's text elements, as read."""
    return [t.text or "" for t in parts(svg, "text")]


def text_of(svg: ET.Element, tag: str) -> str:
    return part(svg, tag).text or ""


def points(line: ET.Element) -> list[tuple[float, float]]:
    """A polyline's points, left to right as drawn."""
    return [(float(x), float(y)) for x, y in (p.split(",") for p in attr(line, "points").split())]
