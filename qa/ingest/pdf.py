"""A PDF -> the extraction text the text path parses (see ``corpus/usdol-2019-mali.txt``).

Output format: one line per prose paragraph, headings on their own line, "Table N. Title" followed
by tab-separated rows, notes after the table, and after a "REFERENCES" heading one "- N entry" line
per bibliography entry in numeric order with broken URLs re-joined. Blocks are separated by blank
lines. :func:`qa.ingest.parse.parse_text` then does the rest, exactly as for a text file.

How (all from positions, never from what a particular report says):
- words come from pdfplumber with their boxes and fonts; tables from ruling lines / cell rectangles
  (:mod:`qa.ingest.pdf_tables`); the other words are grouped into lines, columns and paragraphs
  (:mod:`qa.ingest.pdf_layout`);
- page furniture is a line (digits masked, so page numbers match) printed at the same height on
  many pages, in the top or bottom margin; running headers are kept once per page as their own
  lines, so document metadata can be inferred from them, and normalisation removes them later;
- bibliography entries start where a line opens with the next expected number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ParseError
from qa.ingest.normalize import find_running_headers, is_page_furniture
from qa.ingest.pdf_fonts import use_font_repairs
from qa.ingest.pdf_layout import (TextLine, ends_short, glue, group_lines, line_pitch, paragraph_text, paragraphs,
                                  same_look, split_columns, vocabulary)
from qa.ingest.pdf_tables import PageTable, find_tables

# furniture lives in the top or bottom margin and repeats on at least this share of the pages
# (recto/verso pages alternate their footers, so each version is on about half of them)
FURNITURE_MARGIN = 0.12
FURNITURE_SHARE = 0.3
_REFERENCES = re.compile(r"^(REFERENCES|References|Bibliography|BIBLIOGRAPHY|Sources|SOURCES|Endnotes|ENDNOTES)$")
_TABLE_TITLE = re.compile(r"^table\s+(\d+)\s*[.:]\s*(.*)$", re.I)
# small capitals set in a font whose lower-case glyphs look like capitals: "dIStrIbutIon"
_SMALL_CAPS = re.compile(r"[a-z][A-Z]")
_NUMBERED = re.compile(r"^[IVX]{1,5}\.\s+\S")


@dataclass
class _Page:
    number: int
    headers: list[str]
    blocks: list[tuple[float, list[TextLine] | PageTable]]  # (top, lines of a region or a table)


def _words(page: Any) -> list[dict[str, Any]]:
    return page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _furniture(pages: list[list[TextLine]], heights: list[float]) -> set[tuple[str, int]]:
    """(masked text, height bucket) of lines repeated in the margins of many pages."""
    counts: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights):
        keys = {(_mask(ln.text), round(ln.top / 4)) for ln in lines
                if ln.top < FURNITURE_MARGIN * height or ln.bottom > (1 - FURNITURE_MARGIN) * height}
        counts.update(keys)
    need = max(2, round(FURNITURE_SHARE * len(pages)))
    return {key for key, n in counts.items() if n >= need}


def _regions(lines: list[TextLine], tables: list[PageTable]) -> list[tuple[float, list[TextLine]]]:
    """Lines cut into the stretches between tables, so columns are found within each stretch."""
    cuts = [t.top for t in tables] + [float("inf")]
    regions: list[list[TextLine]] = [[] for _ in cuts]
    for ln in lines:
        k = next(i for i, cut in enumerate(cuts) if ln.top < cut)
        regions[k].append(ln)
    return [(r[0].top, r) for r in regions if r]


def _read_pages(pdf: Any) -> tuple[list[_Page], frozenset[str]]:
    """The pages' blocks in reading order, and the document's vocabulary."""
    raw_lines, tables, heights, widths = [], [], [], []
    spelled: set[str] = set()
    for number, page in enumerate(pdf.pages):
        page_tables = find_tables(page)
        all_words = _words(page)
        spelled |= vocabulary(all_words)
        words = [w for w in all_words if not any(t.contains(w) for t in page_tables)]
        raw_lines.append(group_lines(words, number) if words else [])
        tables.append(page_tables)
        heights.append(float(page.height))
        widths.append(float(page.width))
    furniture = _furniture(raw_lines, heights)
    pages = []
    for number, lines in enumerate(raw_lines):
        headers = [ln.text for ln in lines
                   if (_mask(ln.text), round(ln.top / 4)) in furniture and ln.top < heights[number] / 2]
        body = [ln for ln in lines if (_mask(ln.text), round(ln.top / 4)) not in furniture]
        blocks: list[tuple[float, list[TextLine] | PageTable]] = [(t.top, t) for t in tables[number]]
        for top, region in _regions(body, tables[number]):
            blocks.append((top, split_columns(region, 0.0, widths[number])))
        blocks.sort(key=lambda b: b[0])
        pages.append(_Page(number, headers, blocks))
    return pages, frozenset(spelled)


def _fix_heading_case(text: str, lines: list[TextLine], body_size: float) -> str:
    """A heading set in small capitals reads "Prevalence and Sectoral dIStrIbutIon": upper-case it."""
    heading = bool(lines) and (lines[0].bold or lines[0].size > body_size + 0.5)
    # a numbered heading in a heading font is a section title, whatever case the font draws
    if heading and len(text.split()) <= 20 and (_SMALL_CAPS.search(text) or _NUMBERED.match(text)):
        text = text.upper()
    m = _TABLE_TITLE.match(text)
    if m:
        text = f"Table {m.group(1)}. {m.group(2)}"
    return text


_BULLET = re.compile(r"^[-•–]\s+")


def _starts_entry(text: str, expected: int) -> bool:
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return first in (str(expected), f"{expected}.")


class _Writer:
    """Collects the output blocks; after the references heading, lines become numbered entries."""

    def __init__(self, body_size: float, words: frozenset[str] = frozenset()) -> None:
        self.out: list[str] = []
        self.words = words  # the document's vocabulary, to tell a layout's hyphen from a printed one
        self.body_size = body_size
        self.in_references = False
        self.entries: list[tuple[int | None, str]] = []  # (printed number, text)
        self.preamble: list[str] = []
        self.entry_x0: float | None = None
        # the last paragraph written, while the next page may still continue it
        self.open_paragraph: tuple[int, TextLine, TextLine | None] | None = None

    def block(self, text: str) -> None:
        self.out.append(text)

    def prose(self, lines: list[TextLine], pitch: float) -> None:
        for group in paragraphs(lines, pitch, self.body_size):
            if self.in_references:
                for ln in group:
                    self.reference_line(ln)
                continue
            text = _fix_heading_case(paragraph_text(group, self.words), group, self.body_size)
            if self._continues(group, lines):
                index = self.open_paragraph[0]  # type: ignore[index]
                self.out[index] = glue(self.out[index], text, self.words)
                self.open_paragraph = (index, group[-1], group[-2] if len(group) > 1 else None)
                continue
            self.open_paragraph = None
            if _REFERENCES.match(text.strip()) or _REFERENCES.match(text.strip().title()):
                self.in_references = True
                self.block(text.strip())
                continue
            if "\t" in text and self.out and all("\t" in ln for ln in self.out[-1].split("\n")):
                self.out[-1] += "\n" + text  # rows of one table stay one block
                continue
            self.block(text)
            if "\t" not in text:
                self.open_paragraph = (len(self.out) - 1, group[-1], group[-2] if len(group) > 1 else None)

    def _continues(self, group: list[TextLine], lines: list[TextLine]) -> bool:
        """The first paragraph of a page resumes the last one of the page before when that one's
        last line was full (the page, not the paragraph, ended) and the type is the same."""
        if self.open_paragraph is None:
            return False
        _, last, before = self.open_paragraph
        first = group[0]
        return (first.page != last.page and same_look(last, first) and "\t" not in first.text
                and not ends_short(last, first, before))

    def reference_line(self, line: TextLine) -> None:
        """Entries open with the next number (or a bullet at the entries' left edge); other lines
        continue the entry before them."""
        expected = len(self.entries) + 1
        text = line.text
        bullet = _BULLET.match(text)
        if bullet:
            text = text[bullet.end():]
        at_edge = self.entry_x0 is None or line.x0 <= self.entry_x0 + 2
        if _starts_entry(text, expected) or (bullet and at_edge):
            if self.entry_x0 is None:
                self.entry_x0 = line.x0
            printed = _starts_entry(text, expected)
            if printed:
                text = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
            self.entries.append((expected if printed else None, text))
        elif self.entries:
            number, body = self.entries[-1]
            self.entries[-1] = (number, glue(body, text, self.words))
        else:
            self.preamble.append(text)

    def text(self) -> str:
        out = list(self.out)
        if self.preamble:
            out.append(" ".join(self.preamble))
        if self.entries:
            # an entry printed without its number stays without: the parser numbers by position
            out.append("\n".join(f"- {n} {body}" if n else f"- {body}" for n, body in self.entries))
        return "\n\n".join(out) + "\n"


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for _, block in page.blocks:
            if isinstance(block, list):
                for ln in block:
                    sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def layout_text(pdf: Any) -> str:
    """The extraction text of an open pdfplumber PDF (see the module docstring for the format)."""
    pages, words = _read_pages(pdf)
    all_headers = [h for p in pages for h in p.headers]
    # only headers that normalisation will recognise as furniture are written back
    known = find_running_headers(all_headers)
    writer = _Writer(_body_size(pages), words)
    last_table: int | None = None  # where the last table's rows are in the output
    for page in pages:
        for header in page.headers:
            if is_page_furniture(header, known):
                writer.block(header.upper() if _SMALL_CAPS.search(header) else header)
        for k, (_, block) in enumerate(page.blocks):
            if isinstance(block, PageTable):
                if block.caption:
                    writer.block(_fix_heading_case(block.caption, [], writer.body_size))
                rows = block.as_rows()
                previous = writer.out[last_table] if last_table is not None else ""
                if k == 0 and not block.caption and previous.split("\n", 1)[0] == rows.split("\n", 1)[0]:
                    # a table that runs on at the top of the next page, its header row repeated
                    writer.out[last_table] += "\n" + rows.split("\n", 1)[-1]  # type: ignore[index]
                    continue
                writer.block(rows)
                writer.open_paragraph = None
                last_table = len(writer.out) - 1
            else:
                writer.prose(block, line_pitch(block))
                last_table = None
    return writer.text()


def read_pdf(path: Path) -> str:
    """The extraction text of a PDF file.

    Raises :class:`ParseError` when the file cannot be read or has no text layer (a scan).
    """
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            use_font_repairs(pdf)  # before any page is read: a font's ToUnicode may fold capitals
            if not any(page.chars for page in pdf.pages):
                raise ParseError(f"{path.name}: no text layer (scanned?); OCR it first")
            return layout_text(pdf)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged PDF fails deep inside pdfminer in many ways
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ParseError(f"{path.name}: cannot read PDF ({message})") from exc


_PAGE_NUMBER_AT_ENDS = re.compile(r"^\d{1,3}\s+|\s+\d{1,3}$")


def margin_lines(path: Path, pages: int = 4) -> list[str]:
    """Lines printed at the same height in the top or bottom margin of at least two of the first
    ``pages`` pages (running headers and footers), a page number at either end removed; [] when
    the file cannot be read. Only the words in those margins are grouped into lines."""
    import pdfplumber

    counts: Counter[tuple[str, int]] = Counter()
    first: dict[tuple[str, int], str] = {}
    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages[:pages]):
                height, width = float(page.height), float(page.width)
                margins = ((0, 0, width, FURNITURE_MARGIN * height),
                           (0, (1 - FURNITURE_MARGIN) * height, width, height))
                for box in margins:
                    for line in group_lines(page.within_bbox(box).extract_words(), number):
                        key = (_mask(line.text), round(line.top / 4))
                        counts[key] += 1
                        first.setdefault(key, line.text)
    except Exception:  # noqa: BLE001 - the margins are optional evidence; a broken file fails in read_pdf
        return []
    return [_PAGE_NUMBER_AT_ENDS.sub("", first[key]).strip() for key, n in counts.items() if n >= 2]


def pdf_metadata(path: Path) -> dict[str, str]:
    """The PDF's own document information (Title, Keywords, Author, ...) as strings; {} if none."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            info = pdf.metadata or {}
    except Exception as exc:  # noqa: BLE001 - metadata is optional; a broken file fails in read_pdf
        raise ParseError(f"{path.name}: cannot read PDF ({exc})") from exc
    return {str(k): v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            for k, v in info.items() if isinstance(v, (str, bytes, int, float))}
