"""A table of figures a page shows and exports (CSV and XLSX). Its charts are drawn by
`joinedup.core.charts`, with the table beside them as their text alternative."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    # For each row, the query string that opens its figures to the participants (or "").
    links: list[str] = field(default_factory=list)
    heads: int = 1  # how many leading columns name the row (row headers, not figures)

    def sliced(self, start: int, stop: int) -> Table:
        """Rows `start` to `stop` (a page of a long table on screen; its exports keep every row)."""
        return Table(self.key, self.title, self.columns, self.rows[start:stop], self.links[start:stop], self.heads)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows([[_plain(v) for v in row] for row in self.rows])
        return out.getvalue()

    def xlsx(self) -> bytes:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.key[:31])
        sheet.append(self.columns)
        for row in self.rows:
            sheet.append([v if isinstance(v, int | float) else _plain(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _plain(value: object) -> str:
    """A cell as text; a spreadsheet formula prefix is neutralised (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
