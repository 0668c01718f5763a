"""Hits -> Answer: choose the sentence(s) or table row that answer, cite exactly their references.

Extractive by default (no language model): every candidate unit — a sentence, a table row, a
sentence of a table's description cell, a bibliography entry — from the top hits is scored against
the question with the embedding model, IDF-weighted word overlap and the kind of answer asked for.
The best units are quoted, each followed by the reference numbers of the citation group that backs
it, and only those. When nothing answers well enough, the answer abstains.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from qa.answer.compose import compose_unit, unit_text
from qa.config import Settings
from qa.answer.multidoc import citation_label, doc_labels, label_markers, unindexed_answer, unique_sources
from qa.text.countries import find_mentions
from qa.answer.llm import ABSTAIN_SENTENCE, LLMWriter, Passage
from qa.models import Answer, Chunk, Citation, Document, Hit, Source
from qa.ingest.acronyms import expand_query
from qa.answer.question import YEAR, QuestionInfo, analyse, resolve_followup, words, years_in
from qa.answer.lexical import Overlap
from qa.text.analysis import SCALE_WORDS, number_value
from qa.answer.lookups import assessment_answer, publication_answer, reference_answer
from qa.answer.scoring import Scoring, load_scoring
from qa.answer.units import Unit, units_of
from qa.index.store import StoredUnits, chunker_config, read_units, unit_digest

if TYPE_CHECKING:
    from qa.answer.scope import Scope

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float


class Answerer:
    """``answer(question, hits, doc)`` -> :class:`Answer`; ``resolve(question, history)`` -> str."""

    def __init__(self, settings: Settings, embedder, documents: dict[str, Document],  # type: ignore[no-untyped-def]
                 scoring: Scoring | None = None) -> None:
        self.settings = settings
        self.scoring = scoring or load_scoring()
        self.embedder = embedder
        self.documents = documents
        self.llm = LLMWriter(settings)
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}
        self._units: dict[str, tuple[Unit, ...]] = {}
        self._overlap_model = Overlap()
        self._countries: set[str] = set()
        self._acronyms: dict[str, list[str]] = {}
        self.labels: dict[str, str] = doc_labels(documents.values())
        self._ready = False

    # -- preparation -------------------------------------------------------------------------
    def warm_up(self, chunks: list[Chunk], acronyms: dict[str, list[str]] | None = None) -> None:
        """Have every answer unit's vector at hand (idempotent) and learn word statistics of the corpus.

        With units stored by the index build (same unit code, same model), their vectors are
        memory-mapped and each chunk's units are only made when a question first needs them, so
        start-up does not walk the corpus; otherwise every unit is made and embedded here.
        """
        with self._lock:
            if self._ready:
                return
            self._acronyms = acronyms or {}
            stored = read_units(self.settings)
            if self._made_here(stored):
                texts = stored.texts
                # rows as plain arrays over the same mapped memory (memmap rows cost more to make)
                self._vectors = dict(zip(stored.keys, stored.vectors.view(np.ndarray), strict=True))
            else:
                for c in chunks:
                    self._units[c.id] = units_of(c, self.documents.get(c.doc_id))
                units = [u for us in self._units.values() for u in us]
                texts = [u.text for u in units]
                vectors = self._unit_vectors(texts, stored)
                self._vectors = {u.key: vectors[i] for i, u in enumerate(units)}
            self._overlap_model = Overlap(texts)
            for doc in self.documents.values():
                if doc.meta.country:
                    self._countries.add(doc.meta.country)
            self.labels = doc_labels(self.documents.values())
            self._ready = True

    def _made_here(self, stored: StoredUnits | None) -> bool:
        """True when the build's units stand for this process's own: made by the same unit code (the
        index's code fingerprint covers answer/units.py) and embedded by the same model."""
        return (stored is not None and stored.code == chunker_config(self.settings)["code"]
                and stored.digest == unit_digest(self.embedder.model_id, stored.texts))

    def _unit_vectors(self, texts: list[str], stored: StoredUnits | None) -> np.ndarray:
        """Embeddings of all unit texts: the build's (memory-mapped) when it stored them for exactly
        these texts and model; otherwise embedded here, in memory (serving never writes into the
        index folder)."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        if stored is not None and stored.digest == unit_digest(self.embedder.model_id, texts):
            return stored.vectors
        logger.warning("the index holds no answer-unit vectors for these %d units; embedding them now "
                       "(`qa index build` stores them and makes start-up fast)", len(texts))
        return self.embedder.encode(texts)

    def units(self, chunk: Chunk) -> tuple[Unit, ...]:
        found = self._units.get(chunk.id)
        if found is None:
            found = self._units[chunk.id] = units_of(chunk, self.documents.get(chunk.doc_id))
        return found

    def resolve(self, question: str, history: list[str],
                subject_of: Callable[[str], str | None] | None = None) -> str:
        return resolve_followup(question, history, subject_of)

    # -- scoring -----------------------------------------------------------------------------
    def _lexical(self, info: QuestionInfo, unit: Unit) -> float:
        """IDF-weighted share of the question's words the unit has. For a table row the words of
        its own label and cells count four times as much as the table title all its rows share."""
        if unit.kind == "row" and unit.own_text:
            own = self.scoring.row_own_text
            return own * self._overlap(info, unit.own_text) + (1 - own) * self._overlap(info, unit.text)
        return self._overlap(info, unit.text)

    def _overlap(self, info: QuestionInfo, text: str) -> float:
        return self._overlap_model.share(self._overlap_model.weights(info.terms, info.counted), text)

    @staticmethod
    def _kind_fit(info: QuestionInfo, unit: Unit) -> float:
        text = unit.own_text or unit.text  # a row's own cells, not "Table 11" in its title
        if info.kind == "number":
            # "how many" can be answered by "six"; an amount ("how much") is written in figures
            counting = "how much" not in info.text.lower()
            digits = [w for w in words(text) if (any(ch.isdigit() for ch in w) and not years_in(w))
                      or (counting and (number_value(w) is not None or w in SCALE_WORDS))]
            return 1.0 if digits else 0.0
        if info.kind == "date":
            return 1.0 if years_in(text) or re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", text) else 0.0
        if info.kind == "yesno":
            return 1.0 if unit.kind == "row" or " not " in f" {text.lower()} " else 0.5
        if info.kind == "name":
            return 1.0 if sum(1 for w in text.split() if w[:1].isupper()) >= 3 else 0.3
        return 0.5

    def covered_years(self, unit: Unit, implicit: bool = True) -> set[int]:
        """Years a unit speaks of; one that names none speaks of its report's reporting year."""
        # named years only: a span like "2012 – 2019" in a list of suggested years is no figure for 2015
        covered = {int(y) for y in YEAR.findall(unit.text)} | set(unit.year_labels)
        if implicit and not covered and unit.kind != "reference":
            doc = self.documents.get(unit.chunk.doc_id)
            if doc is not None and doc.meta.year:
                covered = {doc.meta.year}
        return covered

    def _edition_year(self, unit: Unit) -> int | None:
        doc = self.documents.get(unit.chunk.doc_id)
        return doc.meta.year if doc is not None else None

    def _year_fit(self, info: QuestionInfo, unit: Unit) -> float:
        if not info.years:
            return 1.0
        covered = self.covered_years(unit)
        if info.years & unit.year_labels:
            return 1.1  # a table column for exactly the year asked
        if info.years & covered:
            return 1.0
        return 0.75 if covered else 0.9

    def score(self, info: QuestionInfo, qvec: np.ndarray, hits: list[Hit]) -> list[Scored]:
        w = self.scoring
        out: list[Scored] = []
        for rank, hit in enumerate(hits):
            for unit in self.units(hit.chunk):
                if unit.kind == "reference" and not info.about_sources:
                    continue  # a bibliography entry answers questions about sources, not about facts
                vec = self._vectors.get(unit.key)
                if vec is None:
                    vec = self.embedder.encode([unit.text])[0]
                dense = float(np.dot(qvec, vec))
                s = (w.w_dense * dense + w.w_lexical * self._lexical(info, unit)
                     + w.w_kind * self._kind_fit(info, unit) + w.w_rank / (rank + 1))
                s *= self._year_fit(info, unit)
                if info.kind == "number" and not self._kind_fit(info, unit):
                    s *= w.no_number_penalty
                if unit.uncited and self.documents.get(unit.chunk.doc_id) and \
                        len(self.documents[unit.chunk.doc_id].bibliography):
                    s *= w.uncited_penalty
                out.append(Scored(unit, s))
        out.sort(key=lambda x: x.score, reverse=True)
        return out

    # -- answering ---------------------------------------------------------------------------
    def answer(self, question: str, hits: list[Hit], doc: str | None = None, scope: Scope | None = None,
               label: bool | None = None, part: bool = False) -> Answer:
        """The cited answer to ``question`` from ``hits`` (already restricted to ``scope``).

        ``label`` True writes every marker with its document ("[Mali 2019: 4]"; by default only an
        answer citing several documents does); ``part`` marks one country or edition of a comparison,
        answered for ``scope.years`` alone.
        """
        info = analyse(question)
        if part and scope is not None:
            years = scope.years or info.years
            info = replace(info, years=years, comparison=len(years) > 1)
        if info.reference is not None:
            looked_up = self._reference_answer(info, hits, doc, scope)
            if looked_up is not None:
                return looked_up
        if info.publication and hits:
            return self._publication_answer(hits[0].chunk.doc_id, hits)
        if info.assessment and (rated := assessment_answer(self, info, hits, doc, scope)) is not None:
            return rated
        # without a scope (a caller that skipped the Assistant) the question's countries are checked here
        reason = self._out_of_scope(question, hits) if scope is None else None
        if reason or not hits:
            return self.abstain(hits, reason or "no passage was retrieved")
        # the retriever embedded the acronym-expanded question; the cache makes this lookup free
        qvec = self.embedder.encode([expand_query(question, self._acronyms)])[0]
        scored = self.score(info, qvec, hits)
        if not scored or scored[0].score < self.scoring.abstain_below:
            return self.abstain(hits, f"best passage score {scored[0].score:.2f}" if scored else "no passage",
                                 confidence=scored[0].score if scored else 0.0)
        if info.years and not info.comparison:
            scored, reason = self._for_years(info, scored)
            if reason:
                return self.abstain(hits, reason, confidence=scored[0].score)
        elif not info.years:
            scored = self._latest_edition_first(scored)
        best = scored[0]
        missing_year = self._missing_year(info, best.unit)
        if missing_year:
            return self.abstain(hits, missing_year, confidence=best.score)
        chosen = [best] + [s for s in scored[1:4] if s.score >= self.scoring.extra_unit_ratio * best.score
                           and s.unit.text != best.unit.text and s.unit.chunk.doc_id == best.unit.chunk.doc_id][:1]
        groups = [chosen]
        if doc is None and (scope is None or not (scope.countries or scope.docs)) and len(self._countries) > 1:
            groups += self._other_countries(scored, best)
        labelled = len(groups) > 1 if label is None else label
        extractive = self._compose(info, groups, hits, labelled, name_edition=doc is None and not part)
        if self.llm.enabled and not labelled:
            # the model writes plain "[n]": it only sees passages of the answering document's country,
            # so its numbers cannot be read against another country's bibliography
            country = self._country_of(best.unit.chunk.doc_id)
            return self._with_llm(question, [h for h in hits if self._country_of(h.chunk.doc_id) == country],
                                  extractive)
        return extractive

    def _for_years(self, info: QuestionInfo, scored: list[Scored]) -> tuple[list[Scored], str | None]:
        """The answer must speak of the year asked: the best unit naming it, else the best one
        implicitly about it (no year named, the report's reporting year), if either is close."""
        top = scored[0].score
        explicit = [x for x in scored if info.years & self.covered_years(x.unit, implicit=False)]
        implicit = [x for x in scored if info.years & self.covered_years(x.unit)]
        for tier in (explicit, implicit):
            if tier and tier[0].score >= self.scoring.year_fallback_ratio * top:
                # several editions may give a figure for the year: the edition reporting on that
                # year comes first when it is about as good (a later one may have revised it)
                own = [x for x in tier if self._edition_year(x.unit) in info.years
                       and x.score >= self.scoring.edition_ratio * tier[0].score]
                return (own[:1] + [x for x in tier if x is not own[0]]) if own else tier, None
        asked = ", ".join(str(y) for y in sorted(info.years))
        return scored, f"no retrieved passage speaks of {asked}"

    def _latest_edition_first(self, scored: list[Scored]) -> list[Scored]:
        """No year asked: of several editions of the best unit's country report that answer about as
        well, the latest is quoted (it holds the most recent figures)."""
        top = scored[0]
        doc = self.documents.get(top.unit.chunk.doc_id)
        if doc is None or doc.meta.kind != "country-report":
            return scored
        same = [x for x in scored if x.score >= self.scoring.edition_ratio * top.score
                and (d := self.documents.get(x.unit.chunk.doc_id)) is not None and d.meta.kind == "country-report"
                and d.meta.country == doc.meta.country and (d.meta.year or 0) > (doc.meta.year or 0)]
        if not same:
            return scored
        latest = max(same, key=lambda x: (self._edition_year(x.unit) or 0, x.score))
        return [latest] + [x for x in scored if x is not latest]

    def _other_countries(self, scored: list[Scored], best: Scored) -> list[list[Scored]]:
        """A question naming no country, answered nearly as well by other countries' reports: one
        group per document, never a silent mix."""
        country = self._country_of(best.unit.chunk.doc_id)
        seen, groups = {best.unit.chunk.doc_id}, []
        for s in scored:
            doc_id = s.unit.chunk.doc_id
            if doc_id in seen or s.score < self.scoring.group_ratio * best.score or s.score < self.scoring.abstain_below:
                continue
            seen.add(doc_id)
            if self._country_of(doc_id) != country:
                groups.append([s])
        return groups[:3]

    def _country_of(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        return doc.meta.country if doc is not None else ""

    def _missing_year(self, info: QuestionInfo, unit: Unit) -> str | None:
        """A table with year columns that does not have the year asked for does not answer."""
        if not info.years or not unit.year_labels or info.comparison:
            return None
        if info.years & unit.year_labels:
            return None
        have = ", ".join(str(y) for y in sorted(unit.year_labels))
        return f"{unit.chunk.context.split(' | ')[0]} gives figures for {have} only"

    def _out_of_scope(self, question: str, hits: list[Hit]) -> str | None:
        """A question naming only countries no indexed report covers (the Assistant decides this
        with a Scope; this covers callers that hand the Answerer hits directly)."""
        named = {m.country.name for m in find_mentions(question)}
        if not named or not self._countries or named & self._countries:
            return None
        return f"no indexed report covers {', '.join(sorted(named))}"

    def _compose(self, info: QuestionInfo, groups: list[list[Scored]], hits: list[Hit], label: bool,
                 name_edition: bool = True) -> Answer:
        """Answer text from the chosen units, one line per document when there are several groups."""
        lines, citations, sources = [], [], []
        seen_refs: set[tuple[str, int | None]] = set()
        for group in groups:
            doc_id = group[0].unit.chunk.doc_id
            doc_label = self.labels.get(doc_id, doc_id)
            texts = []
            for item in group:
                text, refs = compose_unit(item.unit, info, self.documents.get(doc_id))
                texts.append(label_markers(text, doc_label) if label else text)
                for ref in refs:
                    if (doc_id, ref) not in seen_refs:
                        seen_refs.add((doc_id, ref))
                        citations.append(self.citation(doc_id, ref, doc_label if label else None))
                sources.append(self.source_of(item.unit.chunk, item.score))
            body = " ".join(texts)
            lines.append(f"{doc_label}: {body}" if len(groups) > 1 else body)
        text = "\n".join(lines)
        first = groups[0][0].unit.chunk.doc_id
        if len(groups) == 1 and name_edition and self._several_reports() and first in self.labels:
            # with several reports indexed the reader must know which one (which edition) is quoted
            text = f"From the {self.labels[first]} report: {text}"
        confidence = max(0.0, min(1.0, groups[0][0].score))
        return Answer(text, tuple(citations), tuple(unique_sources(sources)), False, confidence)

    def _several_reports(self) -> bool:
        return sum(1 for d in self.documents.values() if d.meta.kind == "country-report") > 1

    def citation(self, doc_id: str, ref: int | None, doc_label: str | None = None) -> Citation:
        """A bibliography entry as a Citation; ``ref=None`` cites the document itself. ``doc_label``
        set labels the marker with the document ("Mali 2019: 4")."""
        doc = self.documents[doc_id]
        if ref is None:
            m = doc.meta
            text = ", ".join(p for p in (m.title, m.publisher, m.published) if p)
            return Citation(doc_id, None, text, m.url, label=doc_id)
        entry = doc.bibliography.get(ref)
        if entry is None:
            from qa.errors import ReferenceNotFound

            raise ReferenceNotFound(f"{doc_id} has no reference {ref}")
        citation = Citation(doc_id, ref, entry.text, entry.url)
        return replace(citation, label=citation_label(citation, doc_label))

    def source_of(self, chunk: Chunk, score: float) -> Source:
        section = chunk.heading_path[-1] if chunk.heading_path else chunk.section
        text = unit_text(chunk, self.documents.get(chunk.doc_id))
        return Source(chunk.doc_id, chunk.id, section, text, score, tuple(sorted(chunk.refs)))

    def unindexed(self, scope: Scope, indexed: list[str]) -> Answer:
        return unindexed_answer(scope, indexed)

    def abstain(self, hits: list[Hit], reason: str, confidence: float = 0.0) -> Answer:
        sources = [self.source_of(h.chunk, h.score) for h in hits[:3]]
        return Answer(ABSTAIN_SENTENCE, (), tuple(sources), True, max(0.0, min(1.0, 1.0 - confidence)),
                      extra={"reason": reason, "best_score": round(confidence, 4)})

    def _reference_answer(self, info: QuestionInfo, hits: list[Hit], doc: str | None,
                          scope: Scope | None = None) -> Answer | None:
        return reference_answer(self, info, hits, doc, scope)

    def _publication_answer(self, doc_id: str, hits: list[Hit]) -> Answer:
        return publication_answer(self, doc_id, hits)

    def _with_llm(self, question: str, hits: list[Hit], extractive: Answer) -> Answer:
        passages = []
        for h in hits[: self.settings.top_k]:
            doc = self.documents.get(h.chunk.doc_id)
            label = doc.meta.title if doc else h.chunk.doc_id
            passages.append(Passage(h.chunk.doc_id, unit_text(h.chunk, doc), h.chunk.refs, label))
        return self.llm.write(question, passages, extractive, self.citation)
