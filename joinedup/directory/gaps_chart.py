"""The gaps-in-provision chart (issue 18): for each cohort, a bar per local authority, every bar to
one scale, so the same number of services is the same length wherever it is drawn (the bars under
the table's numbers were a share of each column's width, and the columns differ). Services covering
the whole authority are the solid part of a bar, those covering only some of its districts the pale
part. Drawn by `joinedup.core.charts`; the table of the same figures is on the page."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from joinedup.core.charts import Bar, BarGroup, bar_chart

from .selectors import GapCell, GapRow


def _words(cell: GapCell) -> str:
    if cell.cold:
        return "none (cold spot)"
    return f"{cell.whole} whole" + (f", {cell.part} part" if cell.part else "")


def gaps_chart(area_names: Sequence[str], rows: Sequence[GapRow]) -> Markup | None:
    if not rows or not area_names:
        return None
    groups = [
        BarGroup(
            row.cohort.name,
            tuple(
                Bar(name, (cell.whole, cell.part), _words(cell))
                for name, cell in zip(area_names, row.cells, strict=True)
            ),
        )
        for row in rows
    ]
    return bar_chart(
        key="gaps",
        title="Published services for each cohort, by local authority",
        groups=groups,
        legend=("Covers the whole authority", "Covers part of it"),
    )
