"""Small-number suppression with secondary suppression (decision 023).

A count below the threshold (`settings.NEED_SUPPRESS_BELOW`, 10 by default) is never shown. A
table that shows a total beside its parts could give a hidden count away by subtraction, so in
each group of parts whose total is shown, the hidden parts must add up to nothing or to at least
the threshold: if not, the next smallest non-zero part is hidden too, repeated until every group
holds (so one hidden part always brings a second). A total below the threshold is hidden with all
its parts. Groups do not nest: a page shows no subtotal between the parts and their total.
Every hidden cell reads the same, "[c]" (the ONS mark for a figure withheld for confidentiality),
so a primary and a secondary suppression look alike.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings

HIDDEN = "[c]"


def threshold() -> int:
    return int(getattr(settings, "NEED_SUPPRESS_BELOW", 10))


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: bool

    def __str__(self) -> str:
        return HIDDEN if self.hidden else f"{self.count:,}"

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.count


def _primary(count: int, limit: int) -> bool:
    return 0 < count < limit


def _secondary(parts: list[Hashable], counts: Mapping[Hashable, int], hidden: set[Hashable]) -> Hashable | None:
    visible = sorted((p for p in parts if p not in hidden and counts[p] > 0), key=lambda p: (counts[p], str(p)))
    return visible[0] if visible else None


def _step(
    parts: list[Hashable], counts: Mapping[Hashable, int], hidden: set[Hashable], limit: int
) -> set[Hashable] | None:
    """What else to hide in one group so that its hidden parts add up to 0 or at least `limit`;
    None when only hiding the total will do."""
    hidden_sum = sum(counts[p] for p in parts if p in hidden)
    if not 0 < hidden_sum < limit:
        return set()
    second = _secondary(parts, counts, hidden)
    return None if second is None else {second}


def suppress(counts: Mapping[Hashable, int], totals: Mapping[Hashable, Iterable[Hashable]]) -> dict[Hashable, Cell]:
    """Each count, and each total (its key in `totals`, its parts' keys the value), as a Cell."""
    limit = threshold()
    hidden = {k for k, v in counts.items() if _primary(v, limit)}
    groups = {total: list(parts) for total, parts in totals.items()}
    sums = {total: sum(counts[p] for p in parts) for total, parts in groups.items()}
    hidden_totals = {total for total, n in sums.items() if _primary(n, limit)}
    changed = True
    while changed:
        changed = False
        for total, parts in groups.items():
            if total in hidden_totals:
                new: set[Hashable] | None = {p for p in parts if counts[p] > 0} - hidden
            else:
                new = _step(parts, counts, hidden, limit)
            if new is None:
                hidden_totals.add(total)  # nothing else to hide: the total goes instead
                changed = True
            elif new:
                hidden |= new
                changed = True
    cells: dict[Hashable, Cell] = {k: Cell(v, k in hidden) for k, v in counts.items()}
    cells.update({t: Cell(n, t in hidden_totals) for t, n in sums.items()})
    return cells
