"""Hits -> Answer: the answer stage, in the order a question goes through it.

1. **routing** (here): a bibliography look-up ("What is reference 68?"), a publication date, an
   assessment level, an overview question ("Summarize the findings on Mali"), a country no
   report covers — each answered or declined without scoring passages;
2. **candidates** (``candidates.py``): every answer unit of the hits — a sentence, two neighbouring
   sentences, a table row, a sentence of a description cell, a bibliography entry;
3. **scorers** (``scorers.py``): embedding similarity, IDF-weighted overlap in the shared text
   layer's terms, the kind of answer asked for, the year asked;
4. **policy** (``policy.py``): abstain below a score, the year asked, the latest edition, which
   units to quote (several for a list question);
5. **composition** (``writer.py``): the quoted units with exactly their own reference numbers.

Extractive by default; an OpenAI-compatible model may write the final text (``llm.py``), its
markers checked against the passages it was given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.answer.candidates import Candidate, UnitCatalog
from qa.answer.compose import unit_text
from qa.answer.features import list_items
from qa.answer.followup import resolve_followup
from qa.answer.lexical import Overlap, term_set
from qa.answer.llm import LLMWriter, Passage
from qa.answer.lookups import asked_document, assessment_answer, publication_answer, reference_answer
from qa.answer.mentions import holds_role, writes_person
from qa.answer.multidoc import relabel, unindexed_answer
from qa.answer.neutral import on_scale_of, question_vectors
from qa.answer.overview import Overviews, about_report
from qa.answer.policy import Policy
from qa.answer.question import QuestionInfo, analyse, topic_words, without_preamble
from qa.answer.scope import edition_read
from qa.answer.scorers import Scored, UnitScorer, advice_wanted, recommends, under_advice_heading
from qa.answer.scoring import Scoring, load_scoring
from qa.answer.writer import AnswerWriter
from qa.config import Settings
from qa.ingest.acronyms import expand_query
from qa.models import Answer, Chunk, Citation, Document, Hit, Source
from qa.text.analysis import terms
from qa.text.countries import find_mentions

if TYPE_CHECKING:
    import numpy as np

    from qa.answer.scope import Scope
    from qa.answer.units import Unit

logger = logging.getLogger(__name__)


class Answerer:
    """``answer(question, hits, doc)`` -> :class:`Answer`; ``resolve(question, history)`` -> str."""

    def __init__(self, settings: Settings, embedder, documents: dict[str, Document],  # type: ignore[no-untyped-def]
                 scoring: Scoring | None = None) -> None:
        self.settings = settings
        self._scoring = scoring or load_scoring()
        self.embedder = embedder
        self.documents = documents
        self.llm = LLMWriter(settings)
        self.catalog = UnitCatalog(settings, embedder, documents)
        self.writer = AnswerWriter(documents)
        self.policy = Policy(self._scoring, documents)
        self.scorer = UnitScorer(self._scoring, Overlap(), documents)
        self.overviews = Overviews(documents)
        self._countries: set[str] = set()
        self._acronyms: dict[str, list[str]] = {}
        self._expand: Callable[[str], str] = lambda q: expand_query(q, self._acronyms)

    @property
    def scoring(self) -> Scoring:
        return self._scoring

    @scoring.setter
    def scoring(self, value: Scoring) -> None:
        """New weights reach every part that scores or decides (the fit swaps them between runs)."""
        self._scoring = self.scorer.scoring = self.policy.scoring = value

    @property
    def labels(self) -> dict[str, str]:
        return self.writer.labels

    def warm_up(self, chunks: list[Chunk], acronyms: dict[str, list[str]] | None = None,
                expand: Callable[[str], str] | None = None) -> None:
        """Have every answer unit's vector at hand and learn the corpus's word statistics (idempotent).
        ``expand`` is the retriever's query expansion (acronyms), so both embed the same text."""
        if self.catalog.ready:
            return
        self._acronyms = acronyms or {}
        if expand is not None:
            self._expand = expand
        self.catalog.load(chunks)
        self.scorer = UnitScorer(self._scoring, Overlap(self.catalog.texts, self._acronyms), self.documents)
        self.overviews = Overviews(self.documents, chunks)
        self._countries = {d.meta.country for d in self.documents.values() if d.meta.country}

    def resolve(self, question: str, history: list[str],
                subject_of: Callable[[str], str | None] | None = None) -> str:
        return resolve_followup(without_preamble(question), history, subject_of)

    def answer(self, question: str, hits: list[Hit], doc: str | None = None, scope: Scope | None = None,
               label: bool | None = None, part: bool = False, retrieved: list[Hit] | None = None) -> Answer:
        """The cited answer to ``question`` from ``hits`` (already restricted to ``scope``).

        ``label`` True writes every marker with its document ("[Mali 2019: 4]"; by default only an
        answer citing several documents does); ``part`` marks one country or edition of a comparison,
        answered for ``scope.years`` alone. ``retrieved`` is the longer ranking ``hits`` were cut
        from (default ``hits``): a unit the unit search finds in one of its passages counts as
        retrieved evidence when deciding whether to abstain.
        """
        info = analyse(question)
        if scope is not None and (scope.editions or part):
            info = edition_read(question, info)  # "... in the 2019 reports": the edition, no year of its own
        if part and scope is not None:
            years = scope.years or info.years
            info = replace(info, years=years, comparison=len(years) > 1)
        if info.overview and hits and not about_report(topic_words(info),
                                                       self.documents.get(doc or hits[0].chunk.doc_id)):
            # "What does the report say about education?": a topic of the report, answered by its units on it
            info = replace(info, overview=False, listing=True)
        routed = self._route(question, info, hits, doc, scope)
        if routed is not None:
            # a look-up from one report is written with plain "[n]"; as one line of a comparison it
            # sits beside other reports' numbers and must name its own, like a scored answer does
            return relabel(routed, self.labels) if label else routed
        qvec, scored, unsupported = self._scored(question, info, hits, scope, retrieved)
        weak = self._unsupported(scored, unsupported, lambda u: float(qvec @ self.catalog.vector(u)))
        if weak is not None:
            return self.abstain(hits, weak, confidence=scored[0].score if scored else 0.0)
        decision = self.policy.decide(info, scored)
        if decision.reason is not None:
            best = decision.scored[0].score if decision.scored else 0.0
            return self.abstain(hits, decision.reason, confidence=best)
        chosen = decision.chosen
        if info.kind == "other" and advice_wanted(info) and recommends(chosen[0].unit):
            chosen = self.policy.advice_list(info, decision.scored + self._unscored_advice(decision.scored), chosen[0])
            info = replace(info, listing=len(chosen) > 1)  # written as a list, one action a line
        elif info.listing:
            # "Which social programs ...?": a table titled by the items asked is the report's own list
            head = list_items(info)
            named = (self.catalog.table_named(chosen[0].unit.chunk.doc_id, head, frozenset(terms(info.terms)))
                     or self.catalog.table_pointed(chosen[0].unit))
            chosen = (self.policy.table_list(info, decision.scored, named, head) if named
                      else self.policy.listing(decision.scored, chosen[0]))
        groups = [chosen]
        if doc is None and (scope is None or not (scope.countries or scope.docs)) and len(self._countries) > 1:
            groups += self.policy.other_countries(info, decision.scored, chosen[0])
        labelled = len(groups) > 1 if label is None else label
        extractive = self.writer.compose(info, groups, labelled, name_edition=doc is None and not part)
        if self.llm.enabled and not labelled:
            # the model writes plain "[n]": it only sees passages of the answering document's country,
            # so its numbers cannot be read against another country's bibliography
            country = self.policy.country_of(chosen[0].unit.chunk.doc_id)
            return self._with_llm(question, [h for h in hits if self.policy.country_of(h.chunk.doc_id) == country],
                                  extractive)
        return extractive

    def _scored(self, question: str, info: QuestionInfo, hits: list[Hit], scope: Scope | None,
                retrieved: list[Hit] | None) -> tuple[np.ndarray, list[Scored], set[str]]:
        """The question's vector, its candidates scored best first, and the keys of those no retrieved
        passage holds (``retrieved``, default ``hits``)."""
        # the retriever embedded the acronym-expanded question; the cache makes this lookup free
        qvec, moved = question_vectors(self.embedder.encode, question, scope.countries if scope else (),
                                       self._scoring.country_neutral, self._expand)
        candidates = self.catalog.candidates(hits, info.about_sources, qvec, int(self._scoring.nearest_units),
                                             term_set(question), int(self._scoring.rare_units))
        # "... Mamadou Fofana ... what's his role?": only a unit naming him says who he is
        candidates = [c for c in candidates if writes_person(question, term_set(c.unit.text))] or candidates
        if info.listing:
            candidates += self.catalog.table_rows(candidates, info.about_sources)
        if advice_wanted(info) and not any(under_advice_heading(c.unit.chunk) and not c.nearest for c in candidates):
            candidates += self.catalog.tables_under(candidates, {h.chunk.doc_id for h in hits}, under_advice_heading)
        scored = self.scorer.score(info, qvec, candidates, self.catalog.vector, self.catalog.label_vectors)
        if moved is not None:  # ranked by the country-neutral wording, on the question's own scale
            scored = on_scale_of(scored, self.scorer.score(info, moved, candidates, self.catalog.vector,
                                                           self.catalog.label_vectors))
        # "Who is the Vice-President of ... Sikasso?": only a unit naming that role there, in one of its
        # sentences (none: declined)
        scored = [s for s in scored if any(holds_role(question, term_set(t)) for t in _sentence_texts(s.unit))]
        seen = {h.chunk.id for h in (retrieved if retrieved is not None else hits)}
        unsupported = {c.unit.key for c in candidates if c.nearest and c.unit.chunk.id not in seen}
        return (qvec, *self._rare_only_leading(candidates, scored, unsupported))

    def _unscored_advice(self, scored: list[Scored]) -> list[Scored]:
        """The suggested actions of the best unit's report that no candidate holds, after them all."""
        have = {s.unit.key for s in scored}
        more = self.catalog.tables_under([], {scored[0].unit.chunk.doc_id}, under_advice_heading)
        return [Scored(c.unit, 0.0) for c in more if c.unit.key not in have]

    @staticmethod
    def _rare_only_leading(candidates: list[Candidate], scored: list[Scored],
                           unsupported: set[str]) -> tuple[list[Scored], set[str]]:
        """A unit added for holding a word of the question few units have (``rare_units``) takes part
        only as the best: then it is the reports' own answer in the question's words, and answers
        although retrieval did not return its passage (it leaves ``unsupported``). Below the best it
        would only add lexically picked rivals to the year, edition and list steps, which weigh the
        pool as retrieval made it. Returns the scored units and the unsupported keys."""
        rare = {c.unit.key for c in candidates if c.rare}
        if not rare or not scored:
            return scored, unsupported
        lead = {scored[0].unit.key} & rare
        return scored[:1] + [s for s in scored[1:] if s.unit.key not in rare], unsupported - lead

    def _unsupported(self, scored: list[Scored], unretrieved: set[str],
                     cosine: Callable[[Unit], float] | None = None) -> str | None:
        """Why to abstain when no unit of a retrieved passage reaches ``abstain_below``: a unit the
        unit search found outside them may be quoted in their place, but whether the reports answer
        at all is for retrieval to show (the nearest units of a whole report always look somewhat
        close). The one exception: the best candidate is such a unit and its own cosine to the
        question (``cosine(unit)``) reaches ``nearest_answer_cosine``, a bar set above what the
        nearest units of unanswerable questions reach; it must still reach ``abstain_below``
        (the policy checks that)."""
        if not unretrieved:
            return None
        best = next((s.score for s in scored if s.unit.key not in unretrieved), 0.0)
        if best >= self._scoring.abstain_below:
            return None
        lead = scored[0].unit if scored else None
        if lead is not None and lead.key in unretrieved and cosine is not None and self._close(cosine(lead)):
            return None
        return f"best retrieved passage score {best:.2f}"

    def _close(self, cosine: float) -> bool:
        bar = self._scoring.nearest_answer_cosine
        return bar < 1.0 and cosine >= bar

    # -- routing -----------------------------------------------------------------------------
    def _route(self, question: str, info: QuestionInfo, hits: list[Hit], doc: str | None,
               scope: Scope | None) -> Answer | None:
        """An answer (or a declined one) that needs no passage scoring; None to score passages."""
        if info.reference is not None:
            looked_up = reference_answer(self, info, hits, doc, scope)
            if looked_up is not None:
                return looked_up
        if (info.publication or info.catalog) and hits:
            return publication_answer(self, asked_document(info, hits, self.documents), hits, info.catalog)
        if info.assessment and (rated := assessment_answer(self, info, hits, doc, scope)) is not None:
            return rated
        # without a scope (a caller that skipped the Assistant) the question's countries are checked here
        reason = self._out_of_scope(question, hits) if scope is None else None
        if reason or not hits:
            return self.abstain(hits, reason or "no passage was retrieved")
        if info.overview and (units := self.overviews.opening(hits, doc)):
            return self._overview(info, units, doc)
        if units := self.overviews.advice(info, hits, doc):
            return self._overview(replace(info, listing=True), units, doc)  # one line per area
        return None

    def _overview(self, info: QuestionInfo, units: list, doc: str | None) -> Answer:  # type: ignore[type-arg]
        answer = self.writer.compose(info, [[Scored(u, 1.0) for u in units]], False, name_edition=doc is None)
        if answer.citations:
            return answer
        # a report's opening summarises what its body cites: the report itself is the source
        doc_id = units[0].chunk.doc_id
        return replace(answer, answer=f"{answer.answer} [{doc_id}]", citations=(self.citation(doc_id, None),))

    def _out_of_scope(self, question: str, hits: list[Hit]) -> str | None:
        """A question naming only countries no indexed report covers (the Assistant decides this
        with a Scope; this covers callers that hand the Answerer hits directly)."""
        named = {m.country.name for m in find_mentions(question)}
        if not named or not self._countries or named & self._countries:
            return None
        return f"no indexed report covers {', '.join(sorted(named))}"

    # -- composition helpers used by the look-ups and the assistant ---------------------------
    def citation(self, doc_id: str, ref: int | None, doc_label: str | None = None) -> Citation:
        return self.writer.citation(doc_id, ref, doc_label)

    def source_of(self, chunk: Chunk, score: float) -> Source:
        return self.writer.source_of(chunk, score)

    def abstain(self, hits: list[Hit], reason: str, confidence: float = 0.0) -> Answer:
        return self.writer.abstain(hits, reason, confidence)

    def unindexed(self, scope: Scope, indexed: list[str]) -> Answer:
        return unindexed_answer(scope, indexed)

    def _with_llm(self, question: str, hits: list[Hit], extractive: Answer) -> Answer:
        passages = []
        for h in hits[: self.settings.top_k]:
            doc = self.documents.get(h.chunk.doc_id)
            label = doc.meta.title if doc else h.chunk.doc_id
            passages.append(Passage(h.chunk.doc_id, unit_text(h.chunk, doc), h.chunk.refs, label))
        return self.llm.write(question, passages, extractive, self.citation)


def _sentence_texts(unit: Unit) -> list[str]:
    """A sentence window's sentences, each by itself; any other unit's whole text."""
    return [x.text for x in unit.sentences] if unit.kind == "sentence" and len(unit.sentences) > 1 else [unit.text]
