"""Small hand-made chunks and units for the answer-stage part tests (no parser, no model)."""

from __future__ import annotations

from qa.answer.question import QuestionInfo, analyse
from qa.answer.units import Unit
from qa.models import Chunk, Sentence


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
