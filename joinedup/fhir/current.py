"""Which of a resource's names and addresses is current: chosen by `use` and `period`.

A clinical system sends every name and address it holds: an official name beside a nickname, a
name that ended when the person married, a work address, the address they moved from. We take the
one in force today (its period covers today, or it has none), of the most suitable use; one whose
period has ended or not begun is taken only when there is nothing else.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

# Lower is better. A `use` not listed (or none) sits between the preferred and the fallbacks.
NAME_USES = {"official": 0, "usual": 1, None: 2, "temp": 3, "maiden": 5, "anonymous": 6, "nickname": 7, "old": 8}
ADDRESS_USES = {"home": 0, None: 1, "temp": 2, "work": 4, "billing": 5, "old": 8}
_UNLISTED_USE = 4

T = TypeVar("T")


def order_in_words(uses: dict[str | None, int]) -> str:
    """The order of `uses` as docs/fhir.md and the CapabilityStatement say it (both from this):
    "official, then usual, then no use, then temp, then maiden, anonymous, nickname, old"."""
    ranked = sorted(uses, key=lambda use: uses[use])
    named = [use or "no use" for use in ranked]
    preferred = [n for n, use in zip(named, ranked, strict=True) if uses[use] < _UNLISTED_USE]
    rest = named[len(preferred) :]
    return ", then ".join([*preferred, ", ".join(rest)] if rest else preferred)


def _bound(value: Any, *, end: bool) -> date | None:
    """A period's start or end as a day: a partial date ("2020", "2020-07") is its first or last day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        parts = value.split("-")
        try:
            year = int(parts[0])
            month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day)
        except (ValueError, IndexError):  # calendar.IllegalMonthError is a ValueError
            return None
    return None


def in_force(period: Any, today: date) -> bool:
    """Whether a Period covers today (no period, or an open end, counts)."""
    if period is None:
        return True
    start, end = _bound(period.start, end=False), _bound(period.end, end=True)
    return (start is None or start <= today) and (end is None or today <= end)


def choose(items: Sequence[T], uses: dict[str | None, int], today: date) -> tuple[int, T] | None:
    """(index, item) of the current item of the best use; the first sent breaks a tie."""
    if not items:
        return None

    def rank(pair: tuple[int, T]) -> tuple[int, int, int]:
        i, item = pair
        use = getattr(item, "use", None)
        return (0 if in_force(getattr(item, "period", None), today) else 1, uses.get(use, _UNLISTED_USE), i)

    return min(enumerate(items), key=rank)
