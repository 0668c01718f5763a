"""Hits -> Answer: choose the sentence(s) or table row that answer, cite exactly their references.

Extractive by default (no language model): every candidate unit — a sentence, a table row, a
sentence of a table's description cell, a bibliography entry — from the top hits is scored against
the question with the embedding model, IDF-weighted word overlap and the kind of answer asked for.
The best units are quoted, each followed by the reference numbers of the citation group that backs
it, and only those. When nothing answers well enough, the answer abstains.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa.answer.compose import compose_unit, unit_text
from qa.config import Settings
from qa.text.countries import countries_in
from qa.answer.llm import ABSTAIN_SENTENCE, LLMWriter, Passage
from qa.models import Answer, Chunk, Citation, Document, Hit, Source
from qa.ingest.acronyms import expand_query
from qa.answer.question import YEAR, QuestionInfo, analyse, resolve_followup, words, years_in
from qa.answer.units import Unit, units_of
from qa.index.store import StoredUnits, chunker_config, read_units, unit_digest

logger = logging.getLogger(__name__)

# Weights of the unit score; fixed by reasoning about the signals, checked on the golden set as a whole.
W_DENSE, W_LEXICAL, W_KIND, W_RANK = 0.45, 0.40, 0.10, 0.10
ABSTAIN_BELOW = 0.46  # unit score under which no passage is taken to answer (see README: calibration)
EXTRA_UNIT_RATIO = 0.97
YEAR_FALLBACK_RATIO = 0.8  # how much weaker a passage for the asked year may be than the best one  # a second unit joins the answer only when it scores nearly as well as the best


NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million billion dozen".split()
)


def _stem(word: str) -> str:
    """A light suffix stripper so "trained"/"training", "chairs"/"chaired", "focus"/"focuses" meet."""
    w = word.lower().strip("'’").removesuffix("'s")
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith(("ied", "ies")):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 4 and (w.endswith(("sses", "xes", "zes", "ches", "shes")) or w.endswith("ses") and w[-4] in "u"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def _split_compounds(tokens) -> list[str]:  # type: ignore[no-untyped-def]
    """ "anti-trafficking" also counts as "anti" and "trafficking"."""
    out = []
    for t in tokens:
        out.append(t)
        if "-" in t or "/" in t:
            out.extend(p for p in re.split(r"[-/]", t) if p)
    return out


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float


class Answerer:
    """``answer(question, hits, doc)`` -> :class:`Answer`; ``resolve(question, history)`` -> str."""

    def __init__(self, settings: Settings, embedder, documents: dict[str, Document]) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.embedder = embedder
        self.documents = documents
        self.llm = LLMWriter(settings)
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}
        self._units: dict[str, tuple[Unit, ...]] = {}
        self._idf: dict[str, float] = {}
        self._countries: set[str] = set()
        self._acronyms: dict[str, list[str]] = {}
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
            stored = self._stored_units()
            if stored is not None:
                texts = stored.texts
                # rows as plain arrays over the same mapped memory (memmap rows cost more to make)
                self._vectors = dict(zip(stored.keys, stored.vectors.view(np.ndarray), strict=True))
            else:
                for c in chunks:
                    self._units[c.id] = units_of(c, self.documents.get(c.doc_id))
                units = [u for us in self._units.values() for u in us]
                texts = [u.text for u in units]
                vectors = self._unit_vectors(texts)
                self._vectors = {u.key: vectors[i] for i, u in enumerate(units)}
            df: Counter[str] = Counter()
            stem = functools.lru_cache(maxsize=None)(_stem)  # a corpus has far fewer words than tokens
            for text in texts:
                df.update({stem(w) for w in _split_compounds(words(text))})
            n = max(1, len(texts))
            self._idf = {w: math.log(1 + n / c) for w, c in df.items()}
            for doc in self.documents.values():
                if doc.meta.country:
                    self._countries.add(doc.meta.country)
            self._ready = True

    def _stored_units(self) -> StoredUnits | None:
        """The build's units when they stand for this process's own: made by the same unit code
        (the index's code fingerprint covers answer/units.py) and embedded by the same model."""
        stored = read_units(self.settings)
        if stored is None or stored.code != chunker_config(self.settings)["code"]:
            return None
        return stored if stored.digest == unit_digest(self.embedder.model_id, stored.texts) else None

    def _unit_vectors(self, texts: list[str]) -> np.ndarray:
        """Embeddings of all unit texts: memory-mapped from the index when its build stored them for
        exactly these texts and model; otherwise embedded here, in memory (serving never writes
        into the index folder)."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        stored = read_units(self.settings)
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
            return 0.8 * self._overlap(info, unit.own_text) + 0.2 * self._overlap(info, unit.text)
        return self._overlap(info, unit.text)

    def _overlap(self, info: QuestionInfo, text: str) -> float:
        terms = {_stem(t) for t in _split_compounds(info.terms)}
        if not terms:
            return 0.0
        have = {_stem(w) for w in _split_compounds(words(text))}
        default = max(self._idf.values(), default=1.0)
        total = sum(self._idf.get(t, default) for t in terms)
        return sum(self._idf.get(t, default) for t in terms if t in have) / total

    @staticmethod
    def _kind_fit(info: QuestionInfo, unit: Unit) -> float:
        text = unit.own_text or unit.text  # a row's own cells, not "Table 11" in its title
        if info.kind == "number":
            # "how many" can be answered by "six"; an amount ("how much") is written in figures
            counting = "how much" not in info.text.lower()
            digits = [w for w in words(text) if (any(ch.isdigit() for ch in w) and not years_in(w))
                      or (counting and w in NUMBER_WORDS)]
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
        out: list[Scored] = []
        for rank, hit in enumerate(hits):
            for unit in self.units(hit.chunk):
                if unit.kind == "reference" and not info.about_sources:
                    continue  # a bibliography entry answers questions about sources, not about facts
                vec = self._vectors.get(unit.key)
                if vec is None:
                    vec = self.embedder.encode([unit.text])[0]
                dense = float(np.dot(qvec, vec))
                s = (W_DENSE * dense + W_LEXICAL * self._lexical(info, unit)
                     + W_KIND * self._kind_fit(info, unit) + W_RANK / (rank + 1))
                s *= self._year_fit(info, unit)
                if info.kind == "number" and not self._kind_fit(info, unit):
                    s *= 0.75  # "how many" is not answered by a passage without a number
                if unit.uncited and self.documents.get(unit.chunk.doc_id) and \
                        len(self.documents[unit.chunk.doc_id].bibliography):
                    s *= 0.97  # a summary sentence with no reference loses a tie to the cited body text
                out.append(Scored(unit, s))
        out.sort(key=lambda x: x.score, reverse=True)
        return out

    # -- answering ---------------------------------------------------------------------------
    def answer(self, question: str, hits: list[Hit], doc: str | None = None) -> Answer:
        info = analyse(question)
        if info.reference is not None:
            looked_up = self._reference_answer(info, hits, doc)
            if looked_up is not None:
                return looked_up
        if info.publication and hits:
            return self._publication_answer(hits[0].chunk.doc_id, hits)
        reason = self._out_of_scope(question, hits)
        if reason or not hits:
            return self._abstain(hits, reason or "no passage was retrieved")
        # the retriever embedded the acronym-expanded question; the cache makes this lookup free
        qvec = self.embedder.encode([expand_query(question, self._acronyms)])[0]
        scored = self.score(info, qvec, hits)
        if not scored or scored[0].score < ABSTAIN_BELOW:
            return self._abstain(hits, f"best passage score {scored[0].score:.2f}" if scored else "no passage",
                                 confidence=scored[0].score if scored else 0.0)
        if info.years and not info.comparison:
            # the answer must speak of the year asked: the best unit naming it, else the best one
            # implicitly about it (no year named, the report's reporting year), if either is close
            top = scored[0].score
            explicit = [x for x in scored if info.years & self.covered_years(x.unit, implicit=False)]
            implicit = [x for x in scored if info.years & self.covered_years(x.unit)]
            for tier in (explicit, implicit):
                if tier and tier[0].score >= YEAR_FALLBACK_RATIO * top:
                    scored = tier
                    break
            else:
                asked = ", ".join(str(y) for y in sorted(info.years))
                return self._abstain(hits, f"no retrieved passage speaks of {asked}", confidence=top)
        best = scored[0]
        missing_year = self._missing_year(info, best.unit)
        if missing_year:
            return self._abstain(hits, missing_year, confidence=best.score)
        chosen = [best] + [s for s in scored[1:4] if s.score >= EXTRA_UNIT_RATIO * best.score
                           and s.unit.text != best.unit.text and s.unit.chunk.doc_id == best.unit.chunk.doc_id][:1]
        extractive = self._compose(info, chosen, hits)
        if self.llm.enabled:
            return self._with_llm(question, hits, extractive)
        return extractive

    def _missing_year(self, info: QuestionInfo, unit: Unit) -> str | None:
        """A table with year columns that does not have the year asked for does not answer."""
        if not info.years or not unit.year_labels or info.comparison:
            return None
        if info.years & unit.year_labels:
            return None
        have = ", ".join(str(y) for y in sorted(unit.year_labels))
        return f"{unit.chunk.context.split(' | ')[0]} gives figures for {have} only"

    def _out_of_scope(self, question: str, hits: list[Hit]) -> str | None:
        """A question about a country no indexed report covers, and no retrieved passage names."""
        named = countries_in(question)
        if not named or not self._countries or named & self._countries:
            return None
        if any(demonym in question for c in self._countries for demonym in _demonyms(c)):
            return None  # "a Malian child identified in Senegal" is about Mali
        passages = " ".join(h.chunk.text for h in hits[:3])
        if any(re.search(rf"\b{re.escape(name)}\b", passages) for name in named):
            return None  # the report speaks of that country itself
        return f"no indexed report covers {', '.join(sorted(named))}"

    def _compose(self, info: QuestionInfo, chosen: list[Scored], hits: list[Hit]) -> Answer:
        parts, citations, sources = [], [], []
        seen_refs: set[tuple[str, int | None]] = set()
        for item in chosen:
            doc = self.documents.get(item.unit.chunk.doc_id)
            text, refs = compose_unit(item.unit, info, doc)
            parts.append(text)
            for ref in refs:
                if (item.unit.chunk.doc_id, ref) not in seen_refs:
                    seen_refs.add((item.unit.chunk.doc_id, ref))
                    citations.append(self.citation(item.unit.chunk.doc_id, ref))
            sources.append(self._source(item.unit.chunk, item.score))
        confidence = max(0.0, min(1.0, chosen[0].score))
        return Answer(" ".join(parts), tuple(citations), tuple(_unique(sources)), False, confidence)

    def citation(self, doc_id: str, ref: int | None) -> Citation:
        """A bibliography entry as a Citation; ``ref=None`` cites the document itself."""
        doc = self.documents[doc_id]
        if ref is None:
            m = doc.meta
            label = ", ".join(p for p in (m.title, m.publisher, m.published) if p)
            return Citation(doc_id, None, label, m.url)
        entry = doc.bibliography.get(ref)
        if entry is None:
            from qa.errors import ReferenceNotFound

            raise ReferenceNotFound(f"{doc_id} has no reference {ref}")
        return Citation(doc_id, ref, entry.text, entry.url)

    def _source(self, chunk: Chunk, score: float) -> Source:
        section = chunk.heading_path[-1] if chunk.heading_path else chunk.section
        text = unit_text(chunk, self.documents.get(chunk.doc_id))
        return Source(chunk.doc_id, chunk.id, section, text, score, tuple(sorted(chunk.refs)))

    def _abstain(self, hits: list[Hit], reason: str, confidence: float = 0.0) -> Answer:
        sources = [self._source(h.chunk, h.score) for h in hits[:3]]
        return Answer(ABSTAIN_SENTENCE, (), tuple(sources), True, max(0.0, min(1.0, 1.0 - confidence)),
                      extra={"reason": reason, "best_score": round(confidence, 4)})

    def _reference_answer(self, info: QuestionInfo, hits: list[Hit], doc: str | None) -> Answer | None:
        """ "What is reference 68?" -> the entry, cited as that number."""
        candidates = [d for d in self.documents.values() if len(d.bibliography) and (doc is None or d.id == doc)]
        hit_docs = [h.chunk.doc_id for h in hits]
        candidates.sort(key=lambda d: hit_docs.index(d.id) if d.id in hit_docs else len(hit_docs))
        for d in candidates:
            entry = d.bibliography.get(info.reference or 0)
            if entry is None:
                continue
            anchor = f"{d.id}#ref{entry.number}"
            source = Source(d.id, anchor, "REFERENCES", entry.text, 1.0, (entry.number,))
            text = f"Reference {entry.number} of {d.meta.title or d.id} is: {entry.text} [{entry.number}]"
            return Answer(text, (self.citation(d.id, entry.number),), (source,), False, 1.0)
        if candidates:
            return self._abstain(hits, f"no bibliography has an entry {info.reference}", 1.0)
        return None

    def _publication_answer(self, doc_id: str, hits: list[Hit]) -> Answer:
        """ "When was the article published?" is answered from the document's catalog entry."""
        doc = self.documents[doc_id]
        published = _readable_date(doc.meta.published)
        if not published:
            return self._abstain(hits, f"{doc_id} has no publication date in the catalog")
        marker = f"[{doc_id}]" if not len(doc.bibliography) else ""
        text = f"{doc.meta.title or doc_id} was published on {published}" + (f" {marker}." if marker else ".")
        sources = [self._source(h.chunk, h.score) for h in hits if h.chunk.doc_id == doc_id][:1]
        return Answer(text, (self.citation(doc_id, None),), tuple(sources), False, 1.0)

    def _with_llm(self, question: str, hits: list[Hit], extractive: Answer) -> Answer:
        passages = []
        for h in hits[: self.settings.top_k]:
            doc = self.documents.get(h.chunk.doc_id)
            label = doc.meta.title if doc else h.chunk.doc_id
            passages.append(Passage(h.chunk.doc_id, unit_text(h.chunk, doc), h.chunk.refs, label))
        return self.llm.write(question, passages, extractive, self.citation)


def _demonyms(country: str) -> tuple[str, ...]:
    """Adjective forms a question may use for a country ("Mali" -> "Malian"); regular forms only."""
    stem = country.rstrip("aeiou")
    return (country + "n", country + "an", country + "ian", stem + "ian", stem + "ese", stem + "i")


def _readable_date(value: str) -> str:
    """ "2021-05-31" -> "31 May 2021"; anything else is returned as it is."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).strftime("%-d %B %Y")
    except ValueError:
        return value


def _unique(sources: list[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if s.anchor not in seen:
            seen.add(s.anchor)
            out.append(s)
    return out


