"""Document -> Chunks: the units that are embedded, indexed, retrieved and quoted.

Chunks never split a sentence or a table row. Paragraph text is grouped to roughly
``chunk_min_tokens``..``chunk_max_tokens`` tokens; each table row is its own chunk and carries the
table title and column headers as context; each bibliography entry is a chunk too, so "What is
reference 68?" and "Which report is the TIP report?" find it.
"""

from __future__ import annotations

import math
import re

from qa.ingest.citations import format_marker, strip_groups
from qa.config import Settings
from qa.models import Chunk, Document, Paragraph, Sentence, Table, TableRow
from qa.ingest.tables import CHECK_MARK
from qa.text.tokens import count_tokens


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    """All chunks of ``doc``, in document order (paragraphs, tables, references)."""
    chunks = _paragraph_chunks(doc, settings)
    for table in doc.tables:
        chunks.extend(_table_chunks(doc, table, settings))
    chunks.extend(_reference_chunks(doc, settings))
    chunks.sort(key=lambda c: (c.start, c.id))
    return chunks


def cell_value(cell: Sentence, bibliography_size: int) -> str:
    """A table cell as a reader sees it: without its citation group, check marks spelled out."""
    text = strip_groups(cell.text, bibliography_size)
    return "✓" if CHECK_MARK.match(text) else text


def render_row(table: Table, row: TableRow, bibliography_size: int) -> str:
    """ "Table 6. ... | Number of Labor Inspectors | 2018: 109 [68] | 2019: 113 [4]" """
    parts: list[str] = []
    by_label: dict[str | None, list[str]] = {}
    for cell in row.cells:
        piece = cell_value(cell, bibliography_size)
        marker = format_marker(cell.refs)
        by_label.setdefault(cell.label, []).append(f"{piece} {marker}".strip())
    for label, pieces in by_label.items():
        parts.append(f"{label}: {' '.join(pieces)}" if label else " ".join(pieces))
    head = [table.title] + ([row.label] if row.label else [])
    return " | ".join(head + parts)


def natural_row(doc: Document, table: Table, row: TableRow) -> str:
    """A row as a plain sentence for embedding: "Mali, Number of Labor Inspectors: 109 in 2018, 113 in
    2019 (Table 6. ...)". Sentence embedders match this far better than pipes and markers."""
    bib = len(doc.bibliography)
    cells: dict[str | None, list[str]] = {}
    for cell in row.cells:
        cells.setdefault(cell.label, []).append(cell_value(cell, bib))
    if cells and all(label and re.fullmatch(r"(19|20)\d\d", label) for label in cells):
        body = ", ".join(f"{' '.join(v)} in {label}" for label, v in cells.items())
    else:
        body = "; ".join(f"{label}: {' '.join(v)}" if label else " ".join(v) for label, v in cells.items())
    subject = ", ".join(p for p in (doc.meta.country, row.label) if p)
    return f"{subject}: {body} ({table.title})" if subject else f"{body} ({table.title})"


def row_view(chunk: Chunk) -> str:
    """A table row's own text as one sentence, without its table title (the finer view the index
    embeds beside ``embed_text``), a cell holding nothing but a mark written with its column header:
    "ILO C. 138, Minimum Age\tRatification: ✓". A tick means only what its column says; alone, the
    row reads as its label ("ILO C. 138, Minimum Age") and matches questions on minimum ages, not on
    ratifications. Other rows are their text as printed."""
    text = chunk.text
    for cell in sorted(chunk.sentences, key=lambda c: -c.start):
        if cell.label and CHECK_MARK.match(cell.text.strip()) and chunk.start <= cell.start <= cell.end <= chunk.end:
            at, end = cell.start - chunk.start, cell.end - chunk.start
            text = f"{text[:at]}{cell.label}: ✓{text[end:]}"
    return text


def _heading_context(path: tuple[str, ...]) -> str:
    return " > ".join(path)


def _make_chunk(doc: Document, anchor: str, kind: str, section: str, path: tuple[str, ...], start: int,
                end: int, sentences: tuple[Sentence, ...], context: str, embed_text: str,
                settings: Settings) -> Chunk:
    text = doc.text[start:end]
    refs: set[int] = set()
    for s in sentences:
        refs |= s.refs
    return Chunk(
        id=f"{doc.id}#{anchor}", doc_id=doc.id, kind=kind, section=section, heading_path=path, text=text,
        start=start, end=end, token_count=count_tokens(text, settings.tokenizer), refs=frozenset(refs),
        sentences=sentences, context=context, embed_text=embed_text,
    )


def _sentence_groups(sentences: tuple[Sentence, ...], max_tokens: int, settings: Settings) -> list[list[Sentence]]:
    """Split a long paragraph at sentence boundaries into balanced groups under ``max_tokens``."""
    sizes = [count_tokens(s.text, settings.tokenizer) for s in sentences]
    total = sum(sizes)
    if total <= max_tokens:
        return [list(sentences)]
    target = total / math.ceil(total / max_tokens)
    groups: list[list[Sentence]] = [[]]
    size = 0
    for sentence, n in zip(sentences, sizes):
        if groups[-1] and (size + n > max_tokens or size >= target):
            groups.append([])
            size = 0
        groups[-1].append(sentence)
        size += n
    return groups


def _adjacent(doc: Document, a: Paragraph, b: Paragraph) -> bool:
    return a.section == b.section and a.heading_path == b.heading_path and not doc.text[a.end:b.start].strip()


def _paragraph_runs(doc: Document, settings: Settings) -> list[list[Paragraph]]:
    """Consecutive short paragraphs merged until they reach the minimum size."""
    runs: list[list[Paragraph]] = []
    size = 0
    for p in doc.paragraphs:
        n = count_tokens(p.text, settings.tokenizer)
        if runs and size < settings.chunk_min_tokens and size + n <= settings.chunk_max_tokens \
                and _adjacent(doc, runs[-1][-1], p):
            runs[-1].append(p)
            size += n
        else:
            runs.append([p])
            size = n
    return runs


def _paragraph_chunks(doc: Document, settings: Settings) -> list[Chunk]:
    bib = len(doc.bibliography)
    chunks = []
    for run in _paragraph_runs(doc, settings):
        first = run[0]
        sentences = tuple(s for p in run for s in p.sentences)
        anchor_base = f"{first.section or 'intro'}/p{first.index}"
        groups = _sentence_groups(sentences, settings.chunk_max_tokens, settings) if len(run) == 1 else [list(sentences)]
        context = _heading_context(first.heading_path)
        for k, group in enumerate(groups):
            if not group:
                continue
            anchor = anchor_base if len(groups) == 1 else f"{anchor_base}.{k + 1}"
            start, end = (group[0].start, group[-1].end) if len(groups) > 1 else (first.start, run[-1].end)
            body = " ".join(strip_groups(doc.text[start:end], bib).split())
            embed = f"{context}\n{body}" if context else body
            chunks.append(_make_chunk(doc, anchor, "paragraph", first.section, first.heading_path, start, end,
                                      tuple(group), context, embed, settings))
    return chunks


def _table_chunks(doc: Document, table: Table, settings: Settings) -> list[Chunk]:
    bib = len(doc.bibliography)
    context = " | ".join([table.title, *[h for h in table.header if h]])
    chunks = []
    for row in table.rows:
        embed = natural_row(doc, table, row)
        chunks.append(_make_chunk(doc, f"t{table.number}/r{row.index}", "table-row", table.section,
                                  table.heading_path + (table.title,), row.start, row.end, row.cells, context,
                                  embed, settings))
    if table.notes:
        # notes may be far apart (footnotes after a page break): one chunk each keeps spans exact
        for k, note in enumerate(table.notes):
            embed = f"{table.title} (note): {strip_groups(note.text, bib)}"
            chunks.append(_make_chunk(doc, f"t{table.number}/n{k}", "paragraph", table.section,
                                      table.heading_path + (table.title,), note.start, note.end, (note,),
                                      table.title, embed, settings))
    return chunks


def _reference_chunks(doc: Document, settings: Settings) -> list[Chunk]:
    chunks = []
    for entry in doc.bibliography.entries:
        sentence = Sentence(doc.text[entry.start:entry.end], entry.start, entry.end, frozenset({entry.number}))
        embed = f"Reference {entry.number}: {entry.text}"
        chunks.append(_make_chunk(doc, f"ref{entry.number}", "reference", "REFERENCES", ("REFERENCES",),
                                  entry.start, entry.end, (sentence,), f"Reference {entry.number}", embed,
                                  settings))
    return chunks
