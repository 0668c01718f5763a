"""Tables from tab-separated extraction rows.

A table continued on a later page ("(Cont.)") is the same table; a header printed over two lines
is merged; a row whose first cell is empty continues the row label above it; source notes under a
table ("Source for primary completion rate: ... (7)") back the rows they describe.
"""

from __future__ import annotations

import re

from qa.models import Sentence, Table, TableRow
from qa.ingest.sentences import split_sentences

CHECK_MARK = re.compile(r"^[√✓✔/]$")  # a ratification tick as extracted (also a lone "/")
_NOTE_SUBJECT = re.compile(r"^Sources?(?:\s+for\s+(?P<subject>[^:]+))?:", re.I)
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


class TableBuilder:
    """Accumulates the lines of one table (across continuation pages) and builds a Table."""

    def __init__(self, text: str, number: int, title: str, section: str, heading_path: tuple[str, ...],
                 bib_size: int) -> None:
        self.text, self.number, self.title = text, number, title
        self.section, self.heading_path, self.bib_size = section, heading_path, bib_size
        self.header: list[str] | None = None
        self._pending_header: list[str] | None = None
        self.rows: list[TableRow] = []
        self.notes: list[Sentence] = []
        self._label = ""

    def add_note(self, note: Sentence) -> None:
        self.notes.append(note)

    def add_line(self, line: str, start: int) -> None:
        cells = line.rstrip("\n").split("\t")
        if self.header is None:
            filled = [c for c in cells if c.strip()]
            # a header printed over two lines: the first has only a few of the columns
            if self._pending_header is None and len(filled) * 2 < len(cells):
                self._pending_header = cells
                return
            if self._pending_header is not None:
                top = self._pending_header + [""] * (len(cells) - len(self._pending_header))
                cells = [f"{a.strip()} {b.strip()}".strip() for a, b in zip(top, cells)]
                self._pending_header = None
            self.header = [c.strip() for c in cells]
            return
        if [c.strip() for c in cells] == self.header:  # header repeated on a continuation page
            return
        self.rows.append(self._row(cells, start))

    def _row(self, cells: list[str], start: int) -> TableRow:
        header = self.header or []
        width = len(header)
        # each cell with its offset in the document, as printed
        placed, pos = [], start
        for cell in cells:
            placed.append((cell, pos))
            pos += len(cell) + 1
        end = start + len("\t".join(cells).rstrip())
        # a short row holds the last columns' text; an empty first cell continues the label above,
        # a filled one (a lone description after a page break) has lost its label
        shift = max(0, width - len(cells))
        if shift and cells[0].strip():
            self._label = ""
        label_col = next((i for i, h in enumerate(header) if h), 0)
        label = ""
        if 0 <= label_col - shift < len(cells):
            label = cells[label_col - shift].strip()
        label = label or self._label
        self._label = label
        out: list[Sentence] = []
        for k, (cell, cell_start) in enumerate(placed):
            col = k + shift
            head = header[col] if col < width else ""
            if not cell.strip() or col == label_col or not head:
                continue  # empty, the label itself, or a column with no header (extraction debris)
            lead = len(cell) - len(cell.lstrip())
            body = cell.strip()
            if CHECK_MARK.match(body):
                out.append(Sentence(body, cell_start + lead, cell_start + lead + len(body), frozenset(), head))
                continue
            out.extend(split_sentences(body, cell_start + lead, self.bib_size, label=head))
        return TableRow(len(self.rows), start, max(start, end), tuple(out), label)

    def _apply_source_notes(self) -> None:
        """Rows whose cells cite nothing take their refs from the source note that describes them."""
        specific: list[tuple[set[str], frozenset[int]]] = []
        general: frozenset[int] = frozenset()
        for note in self.notes:
            m = _NOTE_SUBJECT.match(note.text)
            if not m or not note.refs:
                continue
            subject = (m.group("subject") or "").strip()
            if not subject or subject.lower().startswith("all"):
                general = note.refs
            else:
                specific.append((_words(subject), note.refs))
        if not specific and not general:
            return
        for k, row in enumerate(self.rows):
            if row.refs:
                continue
            label_words = _words(row.label)
            refs = general
            for words, note_refs in specific:
                if words and len(words & label_words) / len(words) >= 0.6:
                    refs = note_refs
                    break
            if refs:
                cells = tuple(Sentence(c.text, c.start, c.end, refs, c.label) for c in row.cells)
                self.rows[k] = TableRow(row.index, row.start, row.end, cells, row.label)

    def build(self) -> Table:
        self._apply_source_notes()
        return Table(self.number, self.title, self.section, self.heading_path, tuple(self.header or ()),
                     tuple(self.rows), tuple(self.notes))
