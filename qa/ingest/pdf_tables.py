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


MAX_ROW_HEIGHT = 60.0  # a rule further below the last one ends a table drawn with rules only
MARK_SIZE = 15.0  # a tick drawn as a shape (not a character) fits in a box this wide and high


def _rules_below(page: Any, x0: float, x1: float, bottom: float) -> list[float]:
    """The heights of the horizontal rules under a table's header, within its width, while each
    lies within MAX_ROW_HEIGHT of the one before (the table's body rows)."""
    tops = sorted({round(ln["top"], 1) for ln in page.lines
                   if abs(ln["top"] - ln["bottom"]) < 1 and ln["x0"] >= x0 - 2 and ln["x1"] <= x1 + 2
                   and ln["top"] > bottom + 1})
    rules: list[float] = []
    for top in tops:
        if top - (rules[-1] if rules else bottom) > MAX_ROW_HEIGHT:
            break
        rules.append(top)
    return rules


def _ticked(page: Any, cell: tuple[float, float, float, float]) -> bool:
    """A cell holding one small drawn shape and no text: a tick drawn as vector art."""
    x0, top, x1, bottom = cell
    marks = [c for c in page.curves if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom]
    return len(marks) == 1 and marks[0]["x1"] - marks[0]["x0"] <= MARK_SIZE and \
        marks[0]["bottom"] - marks[0]["top"] <= MARK_SIZE


def _ticks_read(page: Any, table: Any) -> list[tuple[str, ...]]:
    """The table's non-empty rows; an empty cell under a titled column holding a tick drawn as a
    shape reads "✓", and columns empty in every row go (a logo's)."""
    extracted = [[cell_text(c) for c in raw] for raw in table.extract()]
    # the header is the first row naming two columns or more (a caption row across them comes first)
    at = next((r for r, row in enumerate(extracted) if sum(1 for c in row if c) >= MIN_COLUMNS), None)
    if at is None:
        return _without_empty_columns(extracted)
    header = extracted[at]
    for row, cells in list(zip(extracted, table.rows, strict=False))[at + 1:]:
        for i, box in enumerate(cells.cells):
            if box is not None and i < len(row) and not row[i] and i < len(header) and header[i] \
                    and _ticked(page, box):
                row[i] = "✓"
    caption = extracted[:at]
    return [tuple(r) for r in caption if any(r)] + _without_empty_columns(extracted[at:])


def _without_empty_columns(rows: list[list[str]]) -> list[tuple[str, ...]]:
    """``rows`` (the header first) without the columns empty in every row, a header cell spanning
    two drawn columns put over the one its body fills (``_spanning_headers``), and empty rows."""
    width = max((len(r) for r in rows), default=0)
    keep = [i for i in range(width) if any(i < len(r) and r[i] for r in rows)]
    kept = [[r[i] if i < len(r) else "" for i in keep] for r in rows if any(r)]
    return [tuple(r) for r in _spanning_headers(kept)]


def _spanning_headers(rows: list[list[str]]) -> list[list[str]]:
    """A header cell drawn across two columns, the first of which no body row fills (USDOL's
    Burkina Faso ratification table: "Convention" over an empty margin column and the column of
    convention names, whose own header cell is empty): the header goes over the filled column and
    the empty one goes. Without it the names sit under no header and the rows lose their labels."""
    if len(rows) < MIN_ROWS:
        return rows
    for i in reversed(range(len(rows[0]) - 1)):
        header, body = rows[0], rows[1:]
        if header[i] and not header[i + 1] and not any(r[i] for r in body) and any(r[i + 1] for r in body):
            rows = [header[:i] + [header[i]] + header[i + 2:]] + [r[:i] + r[i + 1:] for r in body]
    return rows


def _ruled_body(page: Any, table: Any) -> list[tuple[str, ...]]:
    """A table whose header row is framed but whose body rows are separated by horizontal rules
    only (USDOL's ratification table): pdfplumber finds the header alone. Its rows are read between
    the header's column edges and the rules under it; an empty cell under a titled column that holds
    a tick drawn as a shape reads "✓", as the text extraction prints it. Columns empty in every row
    (a logo's) go."""
    x0, top, x1, bottom = table.bbox
    rules = _rules_below(page, x0, x1, bottom)
    edges = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
    if not rules or len(edges) < MIN_COLUMNS + 1:
        return []
    heights = [top, bottom, *rules]
    header = [cell_text(c) for c in table.extract()[0]]
    rows: list[list[str]] = [header]
    for upper, lower in zip(heights[1:], heights[2:], strict=False):
        row = []
        for i, (left, right) in enumerate(zip(edges, edges[1:], strict=False)):
            text = cell_text(page.crop((left, upper, right, lower)).extract_text())
            if not text and i < len(header) and header[i] and _ticked(page, (left, upper, right, lower)):
                text = "✓"
            row.append(text)
        rows.append(row)
    return _without_empty_columns(rows)


def find_tables(page: Any) -> list[PageTable]:
    """The tables on a pdfplumber page, top to bottom."""
    found = []
    for table in page.find_tables():
        rows = _ticks_read(page, table)
        x0, top, x1, bottom = table.bbox
        if len(rows) == 1 and (body := _ruled_body(page, table)):
            rows, bottom = body, _rules_below(page, x0, x1, bottom)[-1]
        if len(rows) < MIN_ROWS or max(len(r) for r in rows) < MIN_COLUMNS:
            continue
        caption = ""
        if sum(1 for c in rows[0] if c) == 1 and rows[0][0] and len(rows) > MIN_ROWS:
            # one filled cell over the whole width, above the header row: the table's title
            caption, rows = rows[0][0], rows[1:]
        found.append(PageTable(top, bottom, x0, x1, tuple(rows), caption))
    return sorted(found, key=lambda t: t.top)
