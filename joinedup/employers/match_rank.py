"""Ranking matches in SQL and explaining only the page shown (decision 030).

SQL scores each candidate row with the checks it can settle (`hours_s`, `kind_s`, `goals_s`,
`adj_s`, each 2 for yes, 0 for not known, -1 for no, as `Match.score` counts them) and marks the rows
whose better-off figure it cannot settle (`unsure`: assumed yes, the best it could be). From those,
`_scored` orders by the best rank key a row could have (`bound_order`, `bound_score`; `ruled_bound`
for the ruled-out list), so a row's real key (`Match.rank_key`, from `matching`) is never better
than its bound. `walk` explains rows in that order, a batch at a time, and stops once the next
row's bound is worse than the last of the page: the page is exactly what explaining every row and
sorting them would show (a tie on the rank key is broken by the order the rows were narrowed in,
as the stable sort of `matching.ranked` broke it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from .matching import Fit, Match

RULED_OUT_SHOWN = 20
FIRST_BATCH_EXTRA = 10  # a page and a few: the rows whose real key is worse than their bound

Key = tuple[Any, ...]


def int_case(*whens: When, default: int) -> Case:
    return Case(*whens, default=Value(default), output_field=IntegerField())


def any_of(conditions: Iterable[Q]) -> Q | None:
    found = list(conditions)
    return reduce(or_, found) if found else None


def all_of(conditions: Iterable[Q]) -> Q | None:
    found = list(conditions)
    return reduce(and_, found) if found else None


def when_(condition: Q | None, then: int) -> list[When]:
    return [] if condition is None else [When(condition, then=Value(then))]


def binary(expression: Any) -> Collate:
    """Text ordered by code point, as Python orders the rank key's names and titles."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


def scored(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Add the score and the best rank a row could have, from the checks annotated by the caller."""
    all_yes = Q(hours_s=2, kind_s=2, goals_s=2, adj_s=2) & (Q(paid=0) | Q(unsure=1))
    rows = rows.annotate(score=F("hours_s") + 2 + F("kind_s") + F("goals_s") + F("adj_s"))
    rows = rows.annotate(
        bound_score=F("score") + 2 * F("unsure"),
        bound_order=int_case(When(kind_s=-1, then=Value(2)), When(all_yes, then=Value(0)), default=1),
    )
    # Ruled out by its kind: its best; else only a better-off "no" (-1) can rule it out.
    return rows.annotate(
        ruled_bound=Case(When(kind_s=-1, then=F("bound_score")), default=F("score") - 1, output_field=IntegerField())
    )


def not_ruled_out(m: Match) -> bool:
    return m.fit != Fit.RULED_OUT


def is_ruled_out(m: Match) -> bool:
    return m.fit == Fit.RULED_OUT


def walk(
    rows: QuerySet[Any],
    *,
    want: int,
    bound: Callable[[dict[str, Any]], Key],
    explain: Callable[[list[dict[str, Any]]], list[tuple[Key, Match]]],
    keep: Callable[[Match], bool],
) -> list[Match]:
    """The first `want` matches by real key that `keep` accepts, from `rows` ordered by `bound`."""
    found: list[tuple[Key, Match]] = []
    start, size = 0, want + FIRST_BATCH_EXTRA
    while True:
        batch = list(rows[start : start + size])
        found += [(key, m) for key, m in explain(batch) if keep(m)]
        found.sort(key=lambda pair: pair[0])
        del found[want:]
        if len(batch) < size or (len(found) == want and bound(batch[-1]) > found[-1][0]):
            return [m for _key, m in found]
        start, size = start + size, size * 2
