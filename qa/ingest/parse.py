"""Text -> :class:`~qa.models.Document`: sections, paragraphs, tables and the bibliography.

Works on the normalised text (see :mod:`qa.ingest.normalize`), line by line, remembering each line's
offset so every paragraph, sentence, table cell and bibliography entry has an exact span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from qa.ingest.bibliography import parse_bibliography
from qa.ingest.citations import find_groups
from qa.errors import ParseError
from qa.models import Bibliography, Document, DocumentMeta, Paragraph, Section, Sentence
from qa.ingest.metadata import infer_meta, publisher_named_in, series_title
from qa.text.countries import canonical
from qa.ingest.normalize import normalize
from qa.ingest.pdf import read_pdf
from qa.ingest.sentences import split_sentences
from qa.ingest.tables import TableBuilder

_SECTION = re.compile(r"^(?P<key>[IVX]{1,5})\.\s+(?P<title>[A-Z][A-Z0-9 ,;:'’&()/-]+)$")
_MD_HEADING = re.compile(r"^#{1,3}\s+(?P<title>.+?)\s*#*$")
_REFERENCES = re.compile(r"^(?:#+\s*)?(REFERENCES|References|Bibliography|BIBLIOGRAPHY|Sources|SOURCES)\s*$")
_TABLE_TITLE = re.compile(r"^Table\s+(?P<num>\d+)\.\s+(?P<title>.+?)(?P<cont>\s*\(Cont(?:inued)?\.?\))?\s*$")
_FOOTNOTE = re.compile(r"^(?:\[(?:†|‡|\*)\]|[†‡]\s)")
_SOURCE_NOTE = re.compile(r"^Sources?\b[^:]{0,80}:")
_MD_MARKS = re.compile(r"^#+\s*")
_SUBHEADING = re.compile(r"^[A-Z][A-Za-z'’-]*(?: (?:[A-Z][A-Za-z'’-]*|of|and|the|for|on|in|to|&))*$")


@dataclass(frozen=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(raw, pos))
        pos += len(raw) + 1
    return lines


def _references_start(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        if _REFERENCES.match(line.text.strip()):
            return i
    return None


def _is_heading(text: str) -> bool:
    return bool(_SECTION.match(text) or _MD_HEADING.match(text) or _REFERENCES.match(text))


def _is_subheading(lines: list[Line], i: int) -> bool:
    text = lines[i].text.strip()
    if "\t" in lines[i].text or not _SUBHEADING.match(text) or len(text.split()) > 7:
        return False
    nxt = next((ln.text for ln in lines[i + 1:] if ln.text.strip()), "")
    return bool(nxt) and "\t" not in nxt and len(nxt.split()) > 8


class _Builder:
    """Walks the lines once, emitting sections, paragraphs and tables."""

    def __init__(self, text: str, bib_size: int) -> None:
        self.text, self.bib_size = text, bib_size
        self.sections: list[Section] = []
        self.paragraphs: list[Paragraph] = []
        self.tables: dict[int, TableBuilder] = {}
        self.footnotes: list[Sentence] = []
        self.section_key, self.section_title, self.section_start = "", "", 0
        self.subheading: str | None = None
        self.last_table: TableBuilder | None = None
        self.md_headings = 0  # markdown sections are keyed by their position: "1", "2", ...

    @property
    def heading_path(self) -> tuple[str, ...]:
        path = tuple(p for p in (self.section_title, self.subheading) if p)
        return path

    def open_section(self, key: str, title: str, start: int) -> None:
        self.close_section(start)
        self.section_key, self.section_title, self.section_start = key, title, start
        self.subheading, self.last_table = None, None

    def close_section(self, end: int) -> None:
        if end > self.section_start or self.section_key:
            self.sections.append(Section(self.section_key, self.section_title, self.section_start, end))

    def paragraph(self, line: Line) -> None:
        start, end = line.start, line.start + len(line.text.rstrip())
        previous = self.paragraphs[-1] if self.paragraphs else None
        # a paragraph cut by a page break (or a PDF line wrap) resumes in lower case: join it to the
        # paragraph it continues; a line opening with a citation group continues it too, since the
        # group backs the text before it
        resumes = line.text[:1].islower() and not (previous and previous.text.rstrip().endswith(
            (".", ":", ")", "?", "!")))
        opens_with_group = any(g.start == 0 for g in find_groups(line.text.lstrip(), self.bib_size))
        if previous and previous.section == self.section_key and (resumes or opens_with_group):
            self.paragraphs.pop()
            start = previous.start
        body = self.text[start:end]
        sentences = tuple(split_sentences(body, start, self.bib_size))
        self.paragraphs.append(Paragraph(
            len(self.paragraphs), self.section_key, self.heading_path, start, end, body, sentences))

    def note(self, line: Line) -> None:
        """A footnote or source note: it belongs to the table it follows in the same section."""
        body = line.text.strip()
        start = line.start + len(line.text) - len(line.text.lstrip())
        sentences = split_sentences(body, start, self.bib_size)
        note = Sentence(body, start, start + len(body), frozenset().union(*(s.refs for s in sentences)))
        if self.last_table is not None:
            self.last_table.add_note(note)
        else:
            self.footnotes.append(note)

    def table_block(self, lines: list[Line], i: int, end: int) -> int:
        """Consume a table title (if any) and its block of rows up to line ``end``; returns the index after it.

        Without a title (a markdown pipe table) the table is numbered after the ones seen so far
        and named after the heading it sits under.
        """
        m = _TABLE_TITLE.match(lines[i].text.strip())
        if m:
            number, j = int(m.group("num")), i + 1
            title = f"Table {number}. {m.group('title').strip()}"
        else:
            number, j = max(self.tables, default=0) + 1, i
            title = f"Table {number}. {self.heading_path[-1]}" if self.heading_path else f"Table {number}"
        builder = self.tables.get(number)
        if builder is None:
            builder = TableBuilder(self.text, number, title, self.section_key, self.heading_path, self.bib_size)
            self.tables[number] = builder
        while j < end and not lines[j].text.strip():
            j += 1
        # a PDF extraction has no blank line after a table: a heading ends it too
        while (j < end and lines[j].text.strip() and not _TABLE_TITLE.match(lines[j].text.strip())
               and not _is_heading(lines[j].text.strip())):
            builder.add_line(lines[j].text, lines[j].start)
            j += 1
        self.last_table = builder
        return j


def parse_text(raw: str, meta: DocumentMeta) -> Document:
    """Parse a raw extraction into a Document. Raises :class:`ParseError` when it has no text."""
    text = normalize(raw)
    if not text.strip():
        raise ParseError(f"{meta.id}: the document has no text")
    lines = split_lines(text)
    ref_index = _references_start(lines)
    bibliography = Bibliography()
    body_end = len(lines)
    if ref_index is not None:
        bibliography = parse_bibliography(text, lines[ref_index].end + 1, len(text))
        if len(bibliography):
            body_end = ref_index
    builder = _Builder(text, len(bibliography))
    i = 0
    while i < body_end:
        line = lines[i]
        stripped = line.text.strip()
        if not stripped:
            i += 1
            continue
        if m := _SECTION.match(stripped):
            builder.open_section(m.group("key"), stripped, line.start)
        elif m := _MD_HEADING.match(stripped):
            builder.md_headings += 1
            builder.open_section(str(builder.md_headings), m.group("title"), line.start)
        elif _TABLE_TITLE.match(stripped) or "\t" in line.text:
            i = builder.table_block(lines, i, body_end)
            continue
        elif _FOOTNOTE.match(stripped) or (_SOURCE_NOTE.match(stripped) and builder.last_table):
            builder.note(line)
        elif _is_subheading(lines, i):
            builder.subheading = stripped
            builder.last_table = None
        else:
            builder.paragraph(line)
        i += 1
    if ref_index is not None and len(bibliography):
        heading = _MD_MARKS.sub("", lines[ref_index].text.strip())
        builder.open_section("REFERENCES", heading, lines[ref_index].start)
    builder.close_section(len(text))
    tables = tuple(b.build() for b in sorted(builder.tables.values(), key=lambda b: b.number))
    meta = infer_meta(meta, raw, text, bibliography)
    return Document(meta, text, tuple(builder.sections), tuple(builder.paragraphs), tables, bibliography,
                    tuple(builder.footnotes))


def read_source(path: Path) -> str:
    """The raw text of a corpus file (.txt, .md or .pdf)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".txt":
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix in {".md", ".markdown"}:
        return markdown_tables_to_rows(path.read_text(encoding="utf-8", errors="replace"))
    raise ParseError(f"{path.name}: unsupported file type {suffix!r} (use .txt, .md or .pdf)")


def markdown_tables_to_rows(text: str) -> str:
    """Pipe tables become tab-separated rows (the extraction format); separator rows go."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                continue
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def parse_file(path: Path, meta: DocumentMeta) -> Document:
    return parse_source(read_source(path), meta, path)


def parse_source(raw: str, meta: DocumentMeta, path: Path) -> Document:
    """:func:`parse_text` for the raw text read from the corpus file ``path``."""
    return with_pdf_title(parse_text(raw, meta), path)


_FILE_NAME_TITLE = re.compile(r"\.(?:docx?|pdf|indd|pptx?|xlsx?)\s*$|^Microsoft Word\b|^untitled\b", re.I)


def with_pdf_title(doc: Document, path: Path) -> Document:
    """A PDF's title when the catalog gave none: its own Title (document information), else a
    series title printed in its page margins ("2018 FINDINGS ON THE WORST FORMS OF CHILD LABOR"
    in the footer, which the text loses as page furniture), else what the text gave. A Title that
    is only a file name ("Microsoft Word - x.docx") is ignored."""
    if path.suffix.lower() != ".pdf" or doc.meta.origin_of("title") == "catalog":
        return doc
    from qa.ingest.pdf import margin_lines, pdf_metadata

    title = " ".join(pdf_metadata(path).get("Title", "").split())
    if len(title.split()) < 3 or _FILE_NAME_TITLE.search(title):
        country = canonical(doc.meta.country) if doc.meta.country else ""
        title = next((t for line in margin_lines(path) if (t := series_title(line, country))), "")
        if not title:
            return doc
    # the series the title names says more than a name met in the opening text ("ILO" in a USDOL report)
    publisher = doc.meta.publisher
    if doc.meta.origin_of("publisher") != "catalog":
        publisher = publisher_named_in(title) or publisher
    origin = dict(doc.meta.origin)
    origin["title"] = "inferred"
    if publisher:
        origin.setdefault("publisher", "inferred")
    meta = replace(doc.meta, title=title, publisher=publisher, origin=tuple(sorted(origin.items())))
    return replace(doc, meta=meta)
