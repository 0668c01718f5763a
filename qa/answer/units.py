"""Answer units: the pieces an extractive answer can quote.

A paragraph chunk gives one unit per sentence; a table row of short values (Table 6's
"Number of Labor Inspectors | 2018: 109 (68) | 2019: 113 (4)") is one unit; a row with long
description cells gives one unit per sentence, prefixed by the row's label so "CNLTE" stays with
what is said about it; a bibliography entry is one unit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from qa.ingest.citations import strip_groups
from qa.models import Chunk, Document, Sentence, Table, TableRow

logger = logging.getLogger(__name__)

_ROW_ANCHOR = re.compile(r"#t(\d+)/r(\d+)$")
_YEAR_LABEL = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Unit:
    key: str
    chunk: Chunk
    kind: Literal["sentence", "row", "reference"]
    sentences: tuple[Sentence, ...]
    text: str  # what is scored and embedded: plain words, no citation markers
    label: str = ""  # the table row's label, for rows and description sentences
    year_labels: frozenset[int] = frozenset()
    own_text: str = ""  # a row's label and cells without the table title its rows share
    own_label: str = ""  # a row's label when no sibling row shares it (a shared one is a category)

    @property
    def uncited(self) -> bool:
        return not any(s.refs for s in self.sentences)

    @property
    def category(self) -> str:
        """A row's label that sibling rows share ("Agriculture", "Services"), else ""."""
        return self.label if self.kind == "row" and not self.own_label else ""


def table_row(chunk: Chunk, doc: Document | None) -> TableRow | None:
    found = table_and_row(chunk, doc)
    return found[1] if found else None


def table_and_row(chunk: Chunk, doc: Document | None) -> tuple[Table, TableRow] | None:
    m = _ROW_ANCHOR.search(chunk.id)
    if not m or doc is None:
        return None
    number, index = int(m.group(1)), int(m.group(2))
    for table in doc.tables:
        if table.number == number and index < len(table.rows):
            return table, table.rows[index]
    return None


def _own_label(table: Table, row: TableRow) -> str:
    """The row's label unless sibling rows share it: "Categorical Worst Forms of Child Labor" or
    "Agriculture" over several rows names a category, which tells the rows apart no more than
    the table title does."""
    return row.label if sum(1 for r in table.rows if r.label == row.label) == 1 else ""


def _is_description_row(row: TableRow) -> bool:
    labels = [c.label for c in row.cells]
    return any(labels.count(lb) > 1 for lb in labels) or any(len(c.text.split()) > 30 for c in row.cells)


def _bib(doc: Document | None) -> int:
    return len(doc.bibliography) if doc else 0


def unit_texts(chunk: Chunk, doc: Document | None) -> list[tuple[str, str]]:
    """``(unit key, text)`` of each unit of ``chunk``, in order: what the answerer embeds, so the
    index build can store the vectors (and the texts, for the answerer's word statistics)."""
    return [(u.key, u.text) for u in units_of(chunk, doc)]


# a sentence only pointing at a table ("Table 1 provides key indicators on children's work and
# education in Mali."): it answers nothing, the table's rows do
_POINTER = re.compile(r"^(?:Tables?|Figures?|Charts?|Annex(?:es)?)\s+\d+\s+(?:provides?|shows?|presents?|lists?|"
                      r"summari[sz]es?|gives?|contains?|includes?|describes?|details?)\b")
_YEARS_ONLY = re.compile(r"^\s*(?:19|20)\d\d(?:\s*[–—-]\s*(?:19|20)\d\d)?\s*\.?\s*$")
SHORT_CELL = 3  # words of a described row's cell that says nothing without its column ("Yes", "N/A", "18")


def is_short_cell(sentence: Sentence) -> bool:
    """A table cell too short to say anything without its column's name."""
    return bool(sentence.label) and len(sentence.text.split()) <= SHORT_CELL


def named_cells(cells: tuple[Sentence, ...], bib: int) -> str:
    """Short cells with their columns' names: "Meets International Standards: Yes; Age: N/A"."""
    return "; ".join(f"{c.label}: {strip_groups(c.text, bib)}" for c in cells)


def units_of(chunk: Chunk, doc: Document | None) -> tuple[Unit, ...]:
    """The answer units of one chunk (``doc`` is the chunk's document, for table rows)."""
    bib = _bib(doc)
    if chunk.kind == "reference":
        return (Unit(f"{chunk.id}#0", chunk, "reference", chunk.sentences, chunk.embed_text),)
    found = table_and_row(chunk, doc) if chunk.kind == "table-row" else None
    row = found[1] if found else None
    if found is not None and row is not None and not _is_description_row(row):
        years = frozenset(int(c.label) for c in row.cells if c.label and _YEAR_LABEL.match(c.label))
        label = _own_label(found[0], row)
        # a label sibling rows share is left out like the title's other words would be: embedded,
        # it pulls every sibling towards any question naming the category
        plain = " | ".join([chunk.heading_path[-1] if chunk.heading_path else "", label]
                           + [f"{c.label}: {strip_groups(c.text, bib)}" for c in row.cells])
        own = " | ".join([label] + [f"{c.label}: {strip_groups(c.text, bib)}" for c in row.cells])
        return (Unit(f"{chunk.id}#0", chunk, "row", row.cells, plain, row.label, years, own, label),)
    label = row.label if row is not None else ""
    units = []
    # a described row's short cells ("Yes", "N/A", "18") say nothing without their columns: read
    # together, named ("Identification of ...: Meets International Standards: Yes; Age: N/A")
    short = [i for i, s in enumerate(chunk.sentences) if row is not None and is_short_cell(s)]
    # a lone cell of years ("Year(s) Suggested: 2010 – 2019") says when the row's statement holds:
    # read with each of its sentences, not alone ("Social Programs: 2010 – 2019.")
    when = [i for i in short if _YEARS_ONLY.match(chunk.sentences[i].text)] if len(short) == 1 else []
    if len(short) > 1:
        cells = tuple(chunk.sentences[i] for i in short)
        text = f"{label}: {named_cells(cells, bib)}"
        units.append(Unit(f"{chunk.id}#{short[0]}", chunk, "sentence", cells, " ".join(text.split()), label))
    for i, s in enumerate(chunk.sentences):
        if (len(short) > 1 or when) and i in short:
            continue
        body = strip_groups(s.text, bib)
        if not body or (not s.refs and _POINTER.match(body)):
            continue
        text = f"{label}: {body}" if label else body
        parts = (s,)
        if when and len(chunk.sentences) > 1:
            years = chunk.sentences[when[0]]
            text, parts = f"{text} ({named_cells((years,), bib)})", (s, years)
        units.append(Unit(f"{chunk.id}#{i}", chunk, "sentence", parts, " ".join(text.split()), label))
    return tuple(units)
