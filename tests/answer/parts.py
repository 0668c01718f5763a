"""Small hand-made chunks and units for the answer-stage part tests (no parser, no model)."""

from __future__ import annotations

from pathlib import Path

from qa.answer.question import QuestionInfo, analyse
from qa.answer.units import Unit
from qa.models import Chunk, DocumentMeta, Sentence


def chunk(anchor: str, sentences: list[tuple[str, set[int]]], kind: str = "paragraph", doc: str = "rep") -> Chunk:
    sents, pos = [], 0
    for text, refs in sentences:
        sents.append(Sentence(text, pos, pos + len(text), frozenset(refs)))
        pos += len(text) + 1
    text = " ".join(t for t, _ in sentences)
    return Chunk(f"{doc}#{anchor}", doc, kind, "I", ("I",), text, 0, len(text), len(text.split()),  # type: ignore[arg-type]
                 frozenset(r for _, refs in sentences for r in refs), tuple(sents), "", text)


def sentence_units(c: Chunk) -> list[Unit]:
    return [Unit(f"{c.id}#{i}", c, "sentence", (s,), s.text) for i, s in enumerate(c.sentences)]


def info(question: str) -> QuestionInfo:
    return analyse(question)


def report_answerer(root: Path, text: str, doc: str, country: str, year: int = 2019):  # type: ignore[no-untyped-def]
    """An Answerer over one country report given as text, with the fake embedder (whose cosines mean
    nothing), and the report's chunks: for tests of the answer stage on a small report."""
    from qa.answer.answerer import Answerer
    from qa.config import Settings
    from qa.index.chunk import chunk_document
    from qa.index.embed import FakeEmbedder
    from qa.ingest.parse import parse_text

    settings = Settings(corpus_dir=root, index_dir=root, embedder="fake", llm_base_url=None)
    report = parse_text(text, DocumentMeta(
        id=doc, path=f"{doc}.txt", sha256="", title=f"{year} Findings on the Worst Forms of Child Labor: {country}",
        publisher="U.S. Department of Labor", kind="country-report", country=country, year=year))
    chunks = chunk_document(report, settings)
    answerer = Answerer(settings, FakeEmbedder(), {doc: report})
    answerer.warm_up(chunks)
    return answerer, chunks


def report_asker(root: Path, text: str, doc: str, country: str):  # type: ignore[no-untyped-def]
    """A function answering a question from a small report (``report_answerer``), its passages
    ranked by the fake embedder's cosine as retrieval would, the best five kept."""
    import numpy as np

    from qa.models import Hit

    answerer, chunks = report_answerer(root, text, doc, country)
    embedder = answerer.embedder
    vectors = embedder.encode([c.embed_text for c in chunks])

    def ask(question: str):  # type: ignore[no-untyped-def]
        order = np.argsort(-(vectors @ embedder.encode([question])[0]), kind="stable")
        return answerer.answer(question, [Hit(chunks[i], 1.0) for i in order[:5]], doc=doc)
    return ask
