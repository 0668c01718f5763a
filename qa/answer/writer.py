"""Composition: the chosen units -> an :class:`Answer` with its citations and sources.

One line per document when an answer draws on several; every marker carries its document's label
then ("[Mali 2019: 4]"). Citations are resolved against the quoted document's own bibliography.
"""

from __future__ import annotations

from dataclasses import replace

from qa.answer.compose import Composed, compose_unit, unit_text
from qa.answer.llm import ABSTAIN_SENTENCE
from qa.answer.multidoc import citation_label, doc_labels, label_markers, unique_sources
from qa.answer.passage import passage_layout
from qa.answer.question import QuestionInfo
from qa.answer.scorers import Scored
from qa.errors import ReferenceNotFound
from qa.models import Answer, Chunk, Citation, Document, Hit, QuotedUnit, Source


class AnswerWriter:
    def __init__(self, documents: dict[str, Document]) -> None:
        self.documents = documents
        self.labels: dict[str, str] = doc_labels(documents.values())

    def several_reports(self) -> bool:
        return sum(1 for d in self.documents.values() if d.meta.kind == "country-report") > 1

    def compose(self, info: QuestionInfo, groups: list[list[Scored]], label: bool,
                name_edition: bool = True) -> Answer:
        """Answer text from the chosen units, one line per document when there are several groups."""
        lines, citations, sources, units = [], [], [], []
        seen_refs: set[tuple[str, int | None]] = set()
        for group in groups:
            doc_id = group[0].unit.chunk.doc_id
            doc_label = self.labels.get(doc_id, doc_id)
            texts = []
            for item in group:
                composed = compose_unit(item.unit, info, self.documents.get(doc_id))
                texts.append(label_markers(composed.text, doc_label) if label else composed.text)
                units.append(self.quoted_unit(item.unit.chunk, composed))
                for ref in composed.cited:
                    if (doc_id, ref) not in seen_refs:
                        seen_refs.add((doc_id, ref))
                        citations.append(self.citation(doc_id, ref, doc_label if label else None))
                sources.append(self.source_of(item.unit.chunk, item.score))
            body = self.join(texts, info)
            lines.append(f"{doc_label}: {body}" if len(groups) > 1 else body)
        text = "\n".join(lines)
        first = groups[0][0].unit.chunk.doc_id
        if len(groups) == 1 and name_edition and self.several_reports() and first in self.labels:
            # with several reports indexed the reader must know which one (which edition) is quoted
            text = f"From {self.named(first)}: {text}"
        confidence = max(0.0, min(1.0, groups[0][0].score))
        return Answer(text, tuple(citations), tuple(unique_sources(sources)), False, confidence,
                      units=tuple(units))

    def named(self, doc_id: str) -> str:
        """ "the Mali 2019 report"; a document of another kind by its kind and id ("the article
        ilo-2021-aejt-kayes-sikasso", as its marker names it): an ILO article about Mali published
        in 2021 was "the Mali 2021 report", a report that does not exist."""
        doc = self.documents.get(doc_id)
        if doc is None or doc.meta.kind == "country-report":
            return f"the {self.labels[doc_id]} report"
        return f"the {doc.meta.kind or 'document'} {doc_id}"

    @staticmethod
    def join(texts: list[str], info: QuestionInfo) -> str:
        """A list or overview answer gives one item a line; anything else reads as one paragraph."""
        if (info.listing or info.overview) and len(texts) > 1:
            return "\n".join(f"- {t}" for t in texts)
        return " ".join(texts)

    def citation(self, doc_id: str, ref: int | None, doc_label: str | None = None) -> Citation:
        """A bibliography entry as a Citation; ``ref=None`` cites the document itself. ``doc_label``
        set labels the marker with the document ("Mali 2019: 4"). Raises ReferenceNotFound."""
        doc = self.documents[doc_id]
        if ref is None:
            m = doc.meta
            text = ", ".join(p for p in (m.title, m.publisher, m.published) if p)
            return Citation(doc_id, None, text, m.url, label=doc_id)
        entry = doc.bibliography.get(ref)
        if entry is None:
            raise ReferenceNotFound(f"{doc_id} has no reference {ref}")
        citation = Citation(doc_id, ref, entry.text, entry.url)
        return replace(citation, label=citation_label(citation, doc_label))

    def source_of(self, chunk: Chunk, score: float) -> Source:
        section = chunk.heading_path[-1] if chunk.heading_path else chunk.section
        text = unit_text(chunk, self.documents.get(chunk.doc_id))
        return Source(chunk.doc_id, chunk.id, section, text, score, tuple(sorted(chunk.refs)))

    def quoted_unit(self, chunk: Chunk, composed: Composed) -> QuotedUnit:
        """What one composed unit quotes, with its offsets in its source's text and in the document."""
        layout = passage_layout(chunk, self.documents.get(chunk.doc_id))
        spans = [span for s in composed.quoted if (span := layout.span_of(s)) is not None]
        if composed.names_label and layout.label is not None:
            spans.append(layout.label)
        refs = tuple(r for r in composed.cited if r is not None)
        return QuotedUnit(chunk.doc_id, chunk.id, composed.words, refs, tuple(sorted(spans)),
                          tuple(sorted((s.start, s.end) for s in composed.quoted)))

    def abstain(self, hits: list[Hit], reason: str, confidence: float = 0.0) -> Answer:
        sources = [self.source_of(h.chunk, h.score) for h in hits[:3]]
        return Answer(ABSTAIN_SENTENCE, (), tuple(sources), True, max(0.0, min(1.0, 1.0 - confidence)),
                      extra={"reason": reason, "best_score": round(confidence, 4)})
