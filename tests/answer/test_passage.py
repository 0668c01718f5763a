"""A passage as a reader sees it, and where each of its sentences or cells sits in it: exact."""

from __future__ import annotations

import pytest

from qa.answer.answerer import Answerer
from qa.answer.passage import passage_layout
from qa.config import PROJECT_ROOT, Settings
from qa.index.chunk import cell_value, chunk_document, render_row
from qa.index.embed import FakeEmbedder
from qa.ingest.citations import format_marker, groups_to_markers
from qa.ingest.parse import parse_file
from qa.answer.units import table_and_row
from qa.models import Chunk, Document, DocumentMeta, Hit

CORPUS = PROJECT_ROOT / "corpus"


def _parse(name: str) -> Document:
    path = CORPUS / f"{name}.txt"
    return parse_file(path, DocumentMeta(id=name, path=str(path), sha256=""))


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    return {d.id: d for d in (_parse("usdol-2019-mali"), _parse("ilo-2021-aejt-kayes-sikasso"))}


@pytest.fixture(scope="module")
def chunks(seeds: dict[str, Document]) -> list[Chunk]:
    settings = Settings(corpus_dir=CORPUS, chunk_min_tokens=60, chunk_max_tokens=200)
    return [c for d in seeds.values() for c in chunk_document(d, settings)]


def shown(text: str, bib: int) -> str:
    return " ".join(groups_to_markers(text, bib).split())


def test_prose_passages_read_as_before_and_every_sentence_sits_where_it_is_shown(
        seeds: dict[str, Document], chunks: list[Chunk]) -> None:
    prose = [c for c in chunks if c.kind not in ("table-row", "reference")]
    assert len(prose) > 40
    for c in prose:
        bib = len(seeds[c.doc_id].bibliography)
        layout = passage_layout(c, seeds[c.doc_id])
        assert layout.text == shown(c.text, bib)
        for s in c.sentences:
            a, b = layout.span_of(s) or (0, 0)
            assert layout.text[a:b] == shown(s.text, bib), (c.id, s.text)


def test_a_bibliography_entry_reads_as_the_bibliography_gives_it(seeds: dict[str, Document],
                                                                 chunks: list[Chunk]) -> None:
    # the raw line of entry 20 is "- U.S. Department of State. Trafficking in Persons Report- 2019: 20
    # Mali. ...": the list's bullet, and the printed number displaced into the entry
    refs = [c for c in chunks if c.kind == "reference"]
    assert len(refs) == 109
    for c in refs:
        entry = seeds[c.doc_id].bibliography.get(min(c.refs))
        assert entry is not None
        layout = passage_layout(c, seeds[c.doc_id])
        assert layout.text == entry.text and not layout.text.startswith("- ")
        assert [layout.span_of(s) for s in c.sentences] == [(0, len(entry.text))]
    ref20 = next(c for c in refs if c.id == "usdol-2019-mali#ref20")
    assert "2019: 20 Mali" in ref20.text
    assert passage_layout(ref20, seeds["usdol-2019-mali"]).text.startswith(
        "U.S. Department of State. Trafficking in Persons Report- 2019: Mali.")
    # a declined answer's closest passages are shown the same way
    answerer = Answerer(Settings(embedder="fake", llm_base_url=None), FakeEmbedder(), seeds)
    declined = answerer.abstain([Hit(ref20, 0.03)], "test")
    assert declined.sources[0].text == passage_layout(ref20, seeds["usdol-2019-mali"]).text


def test_table_rows_read_as_render_row_with_each_cell_under_its_header(
        seeds: dict[str, Document], chunks: list[Chunk]) -> None:
    rows = [c for c in chunks if c.kind == "table-row"]
    assert len(rows) > 20
    for c in rows:
        doc = seeds[c.doc_id]
        found = table_and_row(c, doc)
        assert found is not None
        table, row = found
        layout = passage_layout(c, doc)
        assert layout.text == render_row(table, row, len(doc.bibliography))
        if row.label:
            assert layout.label is not None and layout.text[slice(*layout.label)] == row.label
        headers: set[str | None] = set()
        for cell in row.cells:
            quoted = layout.text[slice(*layout.span_of(cell) or (0, 0))]
            piece = f"{cell_value(cell, len(doc.bibliography))} {format_marker(cell.refs)}".strip()
            first = cell.label not in headers
            headers.add(cell.label)
            assert quoted == (f"{cell.label}: {piece}" if first and cell.label else piece), (c.id, cell)


def test_a_year_row_answer_quotes_the_year_asked_and_the_row_label(seeds: dict[str, Document],
                                                                  chunks: list[Chunk]) -> None:
    answerer = Answerer(Settings(embedder="fake", llm_base_url=None), FakeEmbedder(), seeds)
    answerer.warm_up(chunks)
    mali = seeds["usdol-2019-mali"]
    row = next(c for c in chunks if c.kind == "table-row" and "Number of Labor Inspectors" in c.text)
    answer = answerer.answer("How many labor inspectors did Mali have in 2019?", [Hit(row, 1.0)])
    (unit,) = answer.units
    (source,) = answer.sources
    assert unit.anchor == source.anchor == row.id and unit.doc == mali.id
    assert unit.text == "Number of Labor Inspectors: 113 in 2019." and unit.refs == (4,)
    assert [source.text[a:b] for a, b in unit.spans] == ["Number of Labor Inspectors", "2019: 113 [4]"]
    assert [mali.text[a:b] for a, b in unit.doc_spans] == ["113 (4)"]


def test_a_sentence_answer_quotes_that_sentence_of_its_paragraph(seeds: dict[str, Document],
                                                                chunks: list[Chunk]) -> None:
    answerer = Answerer(Settings(embedder="fake", llm_base_url=None), FakeEmbedder(), seeds)
    answerer.warm_up(chunks)
    mali = seeds["usdol-2019-mali"]
    para = next(c for c in chunks if c.kind == "paragraph" and len(c.sentences) > 2
                and any("mining code" in s.text for s in c.sentences[1:]))
    answer = answerer.answer("Did Mali publish a new mining code?", [Hit(para, 1.0)])
    unit = answer.units[0]
    (source,) = answer.sources
    quoted = [source.text[a:b] for a, b in unit.spans]
    assert len(quoted) == 1 and "mining code" in quoted[0] and quoted[0] != source.text
    assert [mali.text[a:b] for a, b in unit.doc_spans] == [s.text for s in para.sentences if "mining code" in s.text]


def test_a_row_without_its_document_is_shown_as_embedded_and_marks_only_what_it_finds(
        seeds: dict[str, Document], chunks: list[Chunk]) -> None:
    row = next(c for c in chunks if c.kind == "table-row")
    layout = passage_layout(row, None)
    assert layout.text == row.embed_text and layout.label is None
    for cell in row.sentences:
        span = layout.span_of(cell)
        assert span is None or layout.text[slice(*span)] == shown(cell.text, 0)
