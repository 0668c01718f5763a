"""A passage as a reader sees it, and exactly where each of its sentences or cells sits in it.

A source shown under an answer is not the chunk's raw text: citation groups are rewritten as
markers ("(4,13-16)" -> "[4, 13, 14, 15, 16]") and whitespace is collapsed; a table row is
rendered with its table's title and its cells' headers ("Table 6. ... | Number of Labor Inspectors
| 2018: 109 [68] | 2019: 113 [4]"). The layout is built together with that text, so the quoted
units of an answer can carry the offsets of what they quote (the API's ``highlights``) instead of
a later stage guessing them back from words.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from dataclasses import dataclass, field

from qa.index.chunk import cell_value, render_row
from qa.ingest.citations import find_groups, format_marker, groups_to_markers
from qa.models import Chunk, Document, ReferenceEntry, Sentence, Table, TableRow
from qa.answer.units import table_and_row

logger = logging.getLogger(__name__)

Span = tuple[int, int]


@dataclass(frozen=True)
class PassageLayout:
    """``text`` as shown; ``spans`` maps a sentence's (start, end) in the document text to its
    ``[start, end)`` in ``text``; ``label`` is where a table row's label sits, if it is shown."""

    text: str
    spans: dict[Span, Span] = field(default_factory=dict)
    label: Span | None = None

    def span_of(self, sentence: Sentence) -> Span | None:
        return self.spans.get((sentence.start, sentence.end))


def passage_layout(chunk: Chunk, doc: Document | None) -> PassageLayout:
    """The passage of ``chunk`` as a reader sees it (``doc`` is its document, for table rows)."""
    bib = len(doc.bibliography) if doc else 0
    if chunk.kind == "reference" and (entry := _entry_of(chunk, doc)) is not None:
        return _entry_layout(chunk, entry.text)
    if chunk.kind == "table-row":
        found = table_and_row(chunk, doc)
        if found is not None:
            return _row_layout(*found, bib)
        return _found_layout(chunk.embed_text, chunk.sentences, bib)
    return _prose_layout(chunk, bib)


def _entry_of(chunk: Chunk, doc: Document | None) -> ReferenceEntry | None:
    refs = sorted(chunk.refs)
    return doc.bibliography.get(refs[0]) if doc is not None and len(refs) == 1 else None


def _entry_layout(chunk: Chunk, text: str) -> PassageLayout:
    """A bibliography entry is shown as the bibliography gives it ("U.S. Embassy- Bamako. Reporting.
    ..."), as a reference look-up quotes it, not as its raw line, which holds the list's bullet and
    printed number and, in damaged extractions, a number displaced into the entry ("- ... Report-
    2019: 20 Mali")."""
    return PassageLayout(text, {(s.start, s.end): (0, len(text)) for s in chunk.sentences})


def _prose_layout(chunk: Chunk, bib: int) -> PassageLayout:
    """``" ".join(groups_to_markers(chunk.text).split())``, each character remembering where in
    ``chunk.text`` it came from, so a sentence's offsets carry over exactly."""
    chars: list[str] = []
    origin: list[int] = []
    pos = 0
    for group in find_groups(chunk.text, bib):
        chars += chunk.text[pos:group.start]
        origin += range(pos, group.start)
        marker = format_marker(group.refs)
        chars += marker
        origin += [group.start] * len(marker)
        pos = group.end
    chars += chunk.text[pos:]
    origin += range(pos, len(chunk.text))
    text, where = [], []  # whitespace runs collapsed to one space, none at either end
    for ch, at in zip(chars, origin, strict=True):
        if ch.isspace():
            if text and text[-1] != " ":
                text.append(" ")
                where.append(at)
            continue
        text.append(ch)
        where.append(at)
    if text and text[-1] == " ":
        text.pop()
        where.pop()
    spans: dict[Span, Span] = {}
    for s in chunk.sentences:
        # ``where`` never decreases: the shown characters of a sentence are one run of it
        first = bisect_left(where, s.start - chunk.start)
        last = bisect_left(where, s.end - chunk.start)
        while first < last and text[first] == " ":
            first += 1
        while last > first and text[last - 1] == " ":
            last -= 1
        if first < last:
            spans[(s.start, s.end)] = (first, last)
    return PassageLayout("".join(text), spans)


def _row_layout(table: Table, row: TableRow, bib: int) -> PassageLayout:
    """:func:`render_row`'s text with the offsets of its label and cells: a cell's span starts at
    its header ("2019: 113 [4]") when it is the first cell under that header."""
    text = render_row(table, row, bib)
    label = (len(table.title) + 3, len(table.title) + 3 + len(row.label)) if row.label else None
    pos = len(table.title) + (3 + len(row.label) if row.label else 0)
    by_label: dict[str | None, list[Sentence]] = {}
    for cell in row.cells:
        by_label.setdefault(cell.label, []).append(cell)
    spans: dict[Span, Span] = {}
    for header, cells in by_label.items():
        pos += 3  # " | "
        start = pos
        pos += len(f"{header}: ") if header else 0
        for k, cell in enumerate(cells):
            pos += 1 if k else 0
            piece = f"{cell_value(cell, bib)} {format_marker(cell.refs)}".strip()
            spans[(cell.start, cell.end)] = (start if k == 0 else pos, pos + len(piece))
            pos += len(piece)
    if pos != len(text):  # render_row changed its format: say so rather than mark the wrong words
        logger.warning("table row layout does not match render_row for %s", row.label)
        return PassageLayout(text)
    return PassageLayout(text, spans, label)


def _found_layout(text: str, sentences: tuple[Sentence, ...], bib: int) -> PassageLayout:
    """A row whose table is unknown is shown as its embedded text: each sentence as a reader
    sees it is looked up there in order, and left unmarked when it is not found."""
    spans: dict[Span, Span] = {}
    pos = 0
    for s in sentences:
        shown = " ".join(groups_to_markers(s.text, bib).split())
        at = text.find(shown, pos) if shown else -1
        if at >= 0:
            spans[(s.start, s.end)] = (at, at + len(shown))
            pos = at + len(shown)
    return PassageLayout(text, spans)
