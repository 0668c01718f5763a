"""Turn chosen answer units into short answer text with the report's own reference markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.index.chunk import cell_value
from qa.ingest.citations import format_marker, strip_groups
from qa.models import Chunk, Document, Sentence
from qa.answer.passage import passage_layout
from qa.answer.question import QuestionInfo
from qa.answer.units import Unit, is_short_cell, named_cells

_NUMBER = re.compile(r"^\$?(\d[\d,]*(?:\.\d+)?)$")


def unit_text(chunk: Chunk, doc: Document | None) -> str:
    """A passage as a reader should see it: table rows with their title and headers."""
    return passage_layout(chunk, doc).text


@dataclass(frozen=True)
class Composed:
    """One unit as the answer writes it: ``text`` with its markers, the references it cites in
    order (None = the document itself), the sentences or cells it quotes, and whether it names
    its table row's label."""

    text: str
    cited: list[int | None]
    quoted: tuple[Sentence, ...]
    names_label: bool = False
    words: str = ""  # ``text`` as written without its reference markers


def _marker(refs: frozenset[int], doc: Document | None, plain: bool = False) -> tuple[str, list[int | None]]:
    """The marker to write and the references it cites; ``plain`` writes none (the unit's words)."""
    if doc is not None and not len(doc.bibliography):
        return ("" if plain else f"[{doc.id}]"), [None]
    return ("" if plain else format_marker(refs)), sorted(refs)


def _sentence(text: str, refs: frozenset[int], doc: Document | None, plain: bool) -> tuple[str, list[int | None]]:
    marker, cited = _marker(refs, doc, plain)
    body = " ".join(text.split()).rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    body = body.rstrip(".!?").rstrip()
    return (f"{body} {marker}{end}" if marker else f"{body}{end}"), cited


def _as_number(value: str) -> float | None:
    m = _NUMBER.match(value.strip())
    return float(m.group(1).replace(",", "")) if m else None


def _year_row(unit: Unit, info: QuestionInfo, doc: Document | None, plain: bool) -> Composed:
    bib = len(doc.bibliography) if doc else 0
    cells = sorted((c for c in unit.sentences if c.label and c.label.isdigit()), key=lambda c: c.label or "")
    wanted = [c for c in cells if int(c.label or 0) in info.years]
    if wanted and not info.comparison:
        cells = wanted
    pieces, cited = [], []
    for c in cells:
        marker, refs = _marker(c.refs, doc, plain)
        pieces.append(f"{cell_value(c, bib)} in {c.label}" + (f" {marker}" if marker else ""))
        cited.extend(r for r in refs if r not in cited)
    text = f"{unit.label}: " + ", ".join(pieces)
    values = [_as_number(cell_value(c, bib)) for c in cells]
    if len(cells) >= 2 and values[0] is not None and values[-1] is not None:
        delta = values[-1] - values[0]
        word = "an increase" if delta > 0 else "a decrease" if delta < 0 else "no change"
        # a sum of money says so: "an increase of $245,000", not "of 245,000" beside "$595,000"
        money = "$" if all(cell_value(c, bib).strip().startswith("$") for c in (cells[0], cells[-1])) else ""
        amount = f" of {money}{abs(delta):,.0f}" if delta and float(delta).is_integer() else ""
        text += f" ({word}{amount} from {cells[0].label} to {cells[-1].label})"
    return Composed(text + ".", cited, tuple(cells), True)


def _plain_row(unit: Unit, doc: Document | None, plain: bool) -> Composed:
    bib = len(doc.bibliography) if doc else 0
    pieces, cited = [], []
    cells = unit.sentences
    for i, c in enumerate(cells):
        marker, refs = _marker(c.refs, doc, plain) if c.refs or (doc and not len(doc.bibliography)) else ("", [])
        # cells backed by the same references (a statistics row's one survey) share one marker,
        # written after the last of them, not "5 to 14 [9]; 49.2 [9]"
        if marker and i + 1 < len(cells) and cells[i + 1].refs == c.refs:
            marker = ""
        # a cell's own full stop goes: the row ends with one after the last marker ("... labor [33].")
        value = cell_value(c, bib).rstrip()
        value = value[:-1].rstrip() if value.endswith(".") and not value.endswith("..") else value
        if not value and not marker:
            continue  # an empty cell says nothing ("Ratification: " where the PDF drew its tick)
        pieces.append(f"{c.label}: {value}" + (f" {marker}" if marker else ""))
        cited.extend(r for r in refs if r not in cited)
    # a row whose label the table left blank (a continuation row: a category cell spanning rows,
    # lost across a page break) starts with its cells: a neighbouring row's category may not be its own
    head = f"{unit.label} — " if unit.label.strip() and pieces else unit.label.strip()
    return Composed(head + "; ".join(pieces) + ".", cited, unit.sentences, bool(head))


def compose_unit(unit: Unit, info: QuestionInfo, doc: Document | None) -> Composed:
    """The answer text for one unit, the reference numbers it cites and what it quotes."""
    marked = _compose(unit, info, doc, plain=False)
    return replace(marked, words=_compose(unit, info, doc, plain=True).text)


def _compose(unit: Unit, info: QuestionInfo, doc: Document | None, plain: bool) -> Composed:
    bib = len(doc.bibliography) if doc else 0
    if unit.kind == "reference":
        s: Sentence = unit.sentences[0]
        number = min(s.refs) if s.refs else None
        entry = doc.bibliography.get(number) if doc and number else None
        text = entry.text if entry else unit.text
        return Composed(f"Reference {number}: {text}" + ("" if plain else f" [{number}]"), [number], unit.sentences)
    if unit.kind == "row":
        if unit.year_labels:
            return _year_row(unit, info, doc, plain)
        return _plain_row(unit, doc, plain)
    texts, cited = [], []
    # a table row's cell quoted alone ("Minimum Age for Hazardous Work: 18") that cites nothing
    # itself is backed by the references its row gives (a law table's close its Legislation cell)
    row_refs = (frozenset(unit.chunk.refs) if bib and unit.chunk.kind == "table-row"
                and not any(s.refs for s in unit.sentences) else frozenset())
    if unit.chunk.kind == "table-row" and len(unit.sentences) > 1 and all(map(is_short_cell, unit.sentences)):
        # a described row's short cells, quoted with their columns (qa.answer.units)
        named = named_cells(unit.sentences, bib)
        text, refs = _sentence(f"{unit.label}: {named}" if unit.label else named, row_refs, doc, plain)
        return Composed(text, list(refs), unit.sentences, bool(unit.label))
    for i, s in enumerate(unit.sentences):
        body = strip_groups(s.text, bib)
        if unit.label and i == 0:
            body = f"{unit.label}: {body}"
        elif i and unit.chunk.kind == "table-row" and is_short_cell(s):
            body = named_cells((s,), bib)  # a row's years read with its statement (qa.answer.units)
        last = i == len(unit.sentences) - 1
        text, refs = _sentence(body, s.refs or (row_refs if last else frozenset()), doc, plain)
        texts.append(text)
        cited.extend(r for r in refs if r not in cited)
    return Composed(" ".join(texts), cited, unit.sentences, bool(unit.label))
