"""One way to page a long list: GOV.UK pagination over a queryset, a fixed number of rows a page.

Offset paging is right for the lists people page through (a triage queue, a caseload): the first
pages are what is read, and each is one indexed `LIMIT/OFFSET` plus one count, whatever the size
(measured in docs/benchmarks.md). A page number that is not a number, or past the end, shows the
nearest real page rather than an error, because it comes from a link, not from a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    pages: int
    total: int
    size: int

    def __iter__(self):  # noqa: ANN204 - iterate over the rows, as over a list
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


def paginate(qs: QuerySet, page: object, *, size: int = PAGE_SIZE) -> Page:
    """The `page`-th page (1-based; anything else becomes the nearest real page). Two queries."""
    paginator = Paginator(qs, size)
    current = paginator.get_page(page)
    return Page(
        rows=list(current.object_list),
        number=current.number,
        pages=paginator.num_pages,
        total=paginator.count,
        size=size,
    )
