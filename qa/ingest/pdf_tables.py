"""Tables of a PDF page, found from their ruling lines and cell rectangles (pdfplumber).

A table becomes tab-separated rows, the extraction format :class:`qa.ingest.tables.TableBuilder`
reads: a cell's wrapped lines are joined, its citation groups ("113 (4)") stay in it, an empty
first cell (a label spanning several rows) stays empty so the label carries down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa.ingest.pdf_layout import glue

# a framed box of text is drawn like a one-column table; a table has at least two columns and rows
MIN_COLUMNS = 2
MIN_ROWS = 2


@dataclass(frozen=True)
class PageTable:
    top: float
    bottom: float
    x0: float
    x1: float
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""  # a title printed in the table's own first row, across all its columns

    def contains(self, word: dict[str, Any]) -> bool:
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        return self.x0 <= cx <= self.x1 and self.top <= cy <= self.bottom

    def as_rows(self) -> str:
        return "\n".join("\t".join(row) for row in self.rows)


def cell_text(raw: str | None) -> str:
    """A cell's printed lines joined into one line (tabs would break the row format)."""
    text = ""
    for line in (raw or "").replace("\t", " ").split("\n"):
        text = glue(text, line.strip())
    return text.strip()


def find_tables(page: Any) -> list[PageTable]:
    """The tables on a pdfplumber page, top to bottom."""
    found = []
    for table in page.find_tables():
        rows = []
        for raw in table.extract():
            cells = tuple(cell_text(c) for c in raw)
            if any(cells):
                rows.append(cells)
        if len(rows) < MIN_ROWS or max(len(r) for r in rows) < MIN_COLUMNS:
            continue
        caption = ""
        if sum(1 for c in rows[0] if c) == 1 and rows[0][0] and len(rows) > MIN_ROWS:
            # one filled cell over the whole width, above the header row: the table's title
            caption, rows = rows[0][0], rows[1:]
        x0, top, x1, bottom = table.bbox
        found.append(PageTable(top, bottom, x0, x1, tuple(rows), caption))
    return sorted(found, key=lambda t: t.top)
