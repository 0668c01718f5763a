"""Document -> Chunks: exact spans, no split sentences or rows, sizes, anchors and reference numbers."""

from __future__ import annotations

import json

import pytest

from qa.index.chunk import chunk_document, render_row
from qa.config import PROJECT_ROOT, Settings
from qa.models import Chunk, Document, DocumentMeta
from qa.ingest.parse import parse_file, parse_text
from qa.text.tokens import count_tokens

CORPUS = PROJECT_ROOT / "corpus"


def _parse(name: str) -> Document:
    path = CORPUS / f"{name}.txt"
    return parse_file(path, DocumentMeta(id=name, path=str(path), sha256=""))


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(corpus_dir=CORPUS, chunk_min_tokens=60, chunk_max_tokens=200)


@pytest.fixture(scope="module")
def mali() -> Document:
    return _parse("usdol-2019-mali")


@pytest.fixture(scope="module")
def ilo() -> Document:
    return _parse("ilo-2021-aejt-kayes-sikasso")


@pytest.fixture(scope="module")
def mali_chunks(mali: Document, settings: Settings) -> list[Chunk]:
    return chunk_document(mali, settings)


@pytest.fixture(scope="module")
def ilo_chunks(ilo: Document, settings: Settings) -> list[Chunk]:
    return chunk_document(ilo, settings)


def containing(chunks: list[Chunk], start: int, end: int) -> list[Chunk]:
    return [c for c in chunks if c.start <= start and end <= c.end]


def row_chunk(doc: Document, chunks: list[Chunk], table: int, label: str) -> Chunk:
    (t,) = [t for t in doc.tables if t.number == table]
    (r,) = [r for r in t.rows if r.label == label]
    (found,) = [c for c in chunks if c.id == f"{doc.id}#t{table}/r{r.index}"]
    assert found.kind == "table-row"
    return found


# --- spans -----------------------------------------------------------------------------------------

def test_every_chunk_slices_back_to_its_text(mali: Document, ilo: Document, mali_chunks: list[Chunk],
                                             ilo_chunks: list[Chunk]) -> None:
    for doc, chunks in ((mali, mali_chunks), (ilo, ilo_chunks)):
        assert chunks
        for c in chunks:
            assert c.doc_id == doc.id
            assert doc.text[c.start:c.end] == c.text
            assert c.text.strip()
            if c.kind != "table-row":  # a row may open with an empty first cell (a tab)
                assert c.text.strip() == c.text
            for s in c.sentences:
                assert doc.text[s.start:s.end] == s.text
                assert c.start <= s.start < s.end <= c.end


def test_no_sentence_is_split(mali: Document, ilo: Document, settings: Settings) -> None:
    small = Settings(corpus_dir=CORPUS, chunk_min_tokens=10, chunk_max_tokens=40)
    for doc in (mali, ilo):
        for s_ in (settings, small):
            chunks = [c for c in chunk_document(doc, s_) if c.kind == "paragraph"]
            for p in doc.paragraphs:
                for s in p.sentences:
                    holders = containing(chunks, s.start, s.end)
                    assert len(holders) == 1, (s.text, [c.id for c in holders])
                    # and no chunk starts or ends inside it
                    assert not [c for c in chunks if s.start < c.start < s.end or s.start < c.end < s.end]


def test_every_table_row_is_one_chunk(mali: Document, mali_chunks: list[Chunk]) -> None:
    rows = [c for c in mali_chunks if c.kind == "table-row"]
    assert len(rows) == sum(len(t.rows) for t in mali.tables)
    for t in mali.tables:
        for r in t.rows:
            (c,) = [c for c in rows if c.id == f"{mali.id}#t{t.number}/r{r.index}"]
            assert (c.start, c.end) == (r.start, r.end)
            assert c.sentences == r.cells
            assert c.refs == r.refs
            assert containing([x for x in mali_chunks if x.kind == "table-row"], r.start, r.end) == [c]


def test_chunks_do_not_overlap(mali_chunks: list[Chunk], ilo_chunks: list[Chunk]) -> None:
    for chunks in (mali_chunks, ilo_chunks):
        spans = sorted((c.start, c.end) for c in chunks)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_every_paragraph_is_covered(mali: Document, mali_chunks: list[Chunk]) -> None:
    paragraphs = [c for c in mali_chunks if c.kind == "paragraph"]
    for p in mali.paragraphs:
        assert containing(paragraphs, p.sentences[0].start, p.sentences[0].end)
        assert containing(paragraphs, p.sentences[-1].start, p.sentences[-1].end)


# --- sizes -----------------------------------------------------------------------------------------

def test_token_counts(mali_chunks: list[Chunk], ilo_chunks: list[Chunk], settings: Settings) -> None:
    for c in mali_chunks + ilo_chunks:
        assert c.token_count == count_tokens(c.text)
        assert c.token_count >= 1
        if c.kind == "paragraph":
            assert c.token_count <= 250
            assert c.token_count <= settings.chunk_max_tokens or len(c.sentences) == 1, c.id
    paragraph_sizes = [c.token_count for c in mali_chunks if c.kind == "paragraph" and "/n" not in c.id]
    assert sum(paragraph_sizes) / len(paragraph_sizes) >= settings.chunk_min_tokens


@pytest.mark.parametrize(("low", "high"), [(10, 30), (20, 60), (100, 120), (60, 200)])
def test_max_tokens_respected_unless_one_sentence_is_longer(mali: Document, low: int, high: int) -> None:
    s = Settings(corpus_dir=CORPUS, chunk_min_tokens=low, chunk_max_tokens=high)
    for c in chunk_document(mali, s):
        if c.kind == "paragraph":
            assert c.token_count <= high or len(c.sentences) == 1, (c.id, c.token_count)


def test_short_paragraphs_merge_within_a_heading(ilo_chunks: list[Chunk], ilo: Document) -> None:
    assert len(ilo_chunks) < len(ilo.paragraphs)
    assert {c.kind for c in ilo_chunks} == {"paragraph"}


# --- anchors ---------------------------------------------------------------------------------------

def test_anchors_are_stable_and_unique(mali: Document, settings: Settings, mali_chunks: list[Chunk]) -> None:
    again = chunk_document(_parse("usdol-2019-mali"), settings)
    assert [c.id for c in again] == [c.id for c in mali_chunks]
    assert again == mali_chunks
    ids = [c.id for c in mali_chunks]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("usdol-2019-mali#") for i in ids)
    assert "usdol-2019-mali#t6/r1" in ids and "usdol-2019-mali#ref68" in ids
    assert any(i.startswith("usdol-2019-mali#III/p") for i in ids)


def test_chunk_json_round_trip(mali_chunks: list[Chunk]) -> None:
    for c in mali_chunks:
        data = json.loads(json.dumps(c.to_json()))
        assert Chunk.from_json(data) == c


# --- reference numbers -----------------------------------------------------------------------------

def test_school_closures_chunk(mali_chunks: list[Chunk]) -> None:
    (c,) = [c for c in mali_chunks if "A total of 1,217 schools" in c.text]
    (s,) = [s for s in c.sentences if s.text.startswith("A total of 1,217 schools")]
    assert "remained closed" in s.text
    assert s.refs == frozenset({4, 42, 43, 44})
    assert s.refs <= c.refs


def test_labor_inspectors_row(mali: Document, mali_chunks: list[Chunk]) -> None:
    c = row_chunk(mali, mali_chunks, 6, "Number of Labor Inspectors")
    by_label = {s.label: s.refs for s in c.sentences}
    assert by_label == {"2018": frozenset({68}), "2019": frozenset({4})}
    assert {s.label: s.text for s in c.sentences} == {"2018": "109 (68)", "2019": "113 (4)"}
    assert c.refs == frozenset({4, 68})
    assert c.text == "Number of Labor Inspectors\t109 (68)\t113 (4)"
    (t6,) = [t for t in mali.tables if t.number == 6]
    assert render_row(t6, t6.rows[1], len(mali.bibliography)) == (
        "Table 6. Labor Law Enforcement Efforts Related to Child Labor | "
        "Number of Labor Inspectors | 2018: 109 [68] | 2019: 113 [4]")
    # what is embedded names the row and its values, whatever its wording
    for piece in ("Number of Labor Inspectors", "109", "113", "2018", "2019"):
        assert piece in c.embed_text
    assert c.context.startswith("Table 6. Labor Law Enforcement Efforts Related to Child Labor | ")
    assert "2018" in c.context and "2019" in c.context
    assert c.heading_path[-1] == "Table 6. Labor Law Enforcement Efforts Related to Child Labor"


def test_table_1_rows_take_refs_from_source_notes(mali: Document, mali_chunks: list[Chunk]) -> None:
    working = row_chunk(mali, mali_chunks, 1, "Working (% and population)")
    assert working.refs == frozenset({8})
    assert all(s.refs == frozenset({8}) for s in working.sentences)
    completion = row_chunk(mali, mali_chunks, 1, "Primary Completion Rate (%)")
    assert completion.refs == frozenset({7})


def test_reference_chunks(mali: Document, mali_chunks: list[Chunk]) -> None:
    refs = [c for c in mali_chunks if c.kind == "reference"]
    assert [c.id for c in refs] == [f"usdol-2019-mali#ref{n}" for n in range(1, 110)]
    c68 = refs[67]
    assert c68.refs == frozenset({68}) and c68.section == "REFERENCES"
    assert "January 30, 2019" in c68.text
    assert c68.embed_text.startswith("Reference 68: U.S. Embassy- Bamako. Reporting. January 30, 2019.")


def test_chunk_refs_are_the_union_of_its_sentences(mali_chunks: list[Chunk]) -> None:
    for c in mali_chunks:
        union: set[int] = set()
        for s in c.sentences:
            union |= s.refs
        assert c.refs == frozenset(union)
        assert all(1 <= n <= 109 for n in c.refs)


def test_embed_text_carries_the_heading_but_not_raw_groups(mali_chunks: list[Chunk]) -> None:
    (c,) = [c for c in mali_chunks if "A total of 1,217 schools" in c.text]
    assert "(4,42-44)" in c.text
    assert "(4,42-44)" not in c.embed_text and "A total of 1,217 schools" in c.embed_text
    assert c.embed_text.startswith("I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR\n")


def test_article_chunks_cite_nothing(ilo_chunks: list[Chunk]) -> None:
    assert all(c.refs == frozenset() for c in ilo_chunks)
    assert any("Article | 31 May 2021" in c.text for c in ilo_chunks)
    assert ilo_chunks[0].id == "ilo-2021-aejt-kayes-sikasso#intro/p0"


def test_render_row_without_refs(mali: Document) -> None:
    t3 = [t for t in mali.tables if t.number == 3][0]
    assert render_row(t3, t3.rows[0], 109) == (
        "Table 3. Ratification of International Conventions on Child Labor | ILO C. 138, Minimum Age | "
        "Ratification: ✓")


def test_long_paragraph_splits_at_sentence_boundaries() -> None:
    sentences = [f"Sentence number {k} says that children work in the cotton fields of region {k}. ({k})"
                 for k in range(1, 41)]
    raw = "I. LONG SECTION\n\n" + " ".join(sentences) + "\n\nREFERENCES\n\n" + "\n".join(
        f"- {k} Source {k}. Report. 2019." for k in range(1, 41))
    doc = parse_text(raw, DocumentMeta(id="long", path="", sha256=""))
    s = Settings(chunk_min_tokens=20, chunk_max_tokens=80)
    parts = [c for c in chunk_document(doc, s) if c.kind == "paragraph"]
    assert len(parts) > 3
    assert [c.id for c in parts] == [f"long#I/p0.{k}" for k in range(1, len(parts) + 1)]
    assert all(c.token_count <= 80 for c in parts)
    got = [x.text for c in parts for x in c.sentences]
    assert got == sentences
    assert [sorted(x.refs) for c in parts for x in c.sentences] == [[k] for k in range(1, 41)]


def test_a_ticked_rows_finer_view_names_the_ticks_column(mali_chunks: list[Chunk]) -> None:
    from qa.index.chunk import row_view
    from qa.index.store import sentence_views

    by_id = {c.id: c for c in mali_chunks}
    # "√" in the seed text: the row without its title reads as ratified, not as a minimum age
    ticked = by_id["usdol-2019-mali#t3/r0"]
    assert row_view(ticked).endswith("ILO C. 138, Minimum Age\tRatification: ✓")
    assert sentence_views(ticked) == [row_view(ticked)]
    # a row of words and figures is its text as printed
    inspectors = next(c for c in mali_chunks if c.id.startswith("usdol-2019-mali#t6/") and "Labor Inspectors" in c.text)
    assert row_view(inspectors) == inspectors.text
