"""One way to page a long list: GOV.UK pagination over a queryset, a fixed number of rows a page.

Offset paging is right for the lists people page through (a triage queue, a caseload): the first
pages are what is read, and each is one indexed `LIMIT/OFFSET` query, its count a subquery of it,
whatever the size (measured in docs/benchmarks.md). A page number that is not a number, or past
the end, shows the nearest real page rather than an error, because it comes from a link, not from
a form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.query import ModelIterable

PAGE_SIZE = 50
_LAST_PAGE_ASKED = 10**9  # a larger page number is past the end of any list (and its offset of any database)


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    pages: int
    total: int
    size: int

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def with_total(qs: QuerySet) -> QuerySet:
    """`qs` with each row annotated `page_total`: how many rows `qs` has in all, as a subquery that
    depends on nothing in the row, so the database counts once and a page and its count are one
    query. Only for querysets of model instances whose rows are not groups nor distinct
    (`_countable_inline`)."""
    counted = qs.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return qs.annotate(page_total=Subquery(counted, output_field=IntegerField()))


def _countable_inline(qs: QuerySet) -> bool:
    """Rows that are model instances (which can carry `page_total`), not groups nor distinct."""
    query = qs.query
    return qs._iterable_class is ModelIterable and not (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


def _page_number(page: object) -> int:
    """The page asked for as Django's Paginator reads it: not a whole number is the first page (1);
    below 1 is past the end (0, shown as the last page)."""
    try:
        if isinstance(page, float) and not page.is_integer():
            raise ValueError
        number = int(page)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 1
    return 0 if number < 1 or number > _LAST_PAGE_ASKED else number


def paginate(
    qs: QuerySet | Callable[[], QuerySet],
    page: object,
    *,
    size: int = PAGE_SIZE,
    read: Callable[[int], list[Any]] | None = None,
) -> Page:
    """The `page`-th page (1-based; anything else becomes the nearest real page) of `qs` (a
    queryset, or a function that makes it, called only if it is needed). One query: the page's rows
    with the list's total (`with_total`); a page past the end costs a count and the last page.
    `read(offset)`: the `size` rows from `offset`, each with `page_total`, when the caller reads
    them a faster way (a `CompiledQuery`) than `with_total(qs)[offset : offset + size]`."""
    listed = qs if callable(qs) else lambda: qs
    number = _page_number(page)
    queryset = listed() if read is None else None
    if number >= 1 and (queryset is None or _countable_inline(queryset)):
        offset = (number - 1) * size
        rows = read(offset) if queryset is None else list(with_total(queryset)[offset : offset + size])
        if rows:
            total = rows[0].page_total
            return Page(rows=rows, number=number, pages=_pages(total, size), total=total, size=size)
        if number == 1:
            return Page(rows=[], number=1, pages=1, total=0, size=size)
    total = listed().count()
    pages = _pages(total, size)
    number = pages if number < 1 or number > pages else number
    rows = list(listed()[(number - 1) * size : number * size])
    return Page(rows=rows, number=number, pages=pages, total=total, size=size)


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def paginate_list(rows: list[Any], page: object, *, size: int = PAGE_SIZE) -> Page:
    """A page of a list already read whole (by one query: the milestone reminders, worked out in
    Python from the job starts), its page number read as `paginate` reads it."""
    pages = _pages(len(rows), size)
    number = _page_number(page)
    number = pages if number < 1 or number > pages else number
    return Page(rows=rows[(number - 1) * size : number * size], number=number, pages=pages, total=len(rows), size=size)
