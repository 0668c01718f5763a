"""Scorers: how well one candidate unit answers the question.

    score = w_dense * cosine + w_lexical * overlap + w_kind * kind fit + w_rank / (rank + 1)

then multiplied by the year fit (a table column for the year asked beats a sentence merely naming
it), a penalty for "how many" without a number, for an uncited summary sentence and for the length
of a sentence window. Every weight is a field of :class:`~qa.answer.scoring.Scoring`.

The balance of w_dense and w_lexical is set per question (``balance``): a question worded unlike
the report matches no candidate's terms well, and then the cosine, not the few shared words,
tells the candidates apart (``lexical_trust``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.answer.candidates import Candidate
from qa.answer.lexical import Overlap, term_set
from qa.answer.question import QuestionInfo, named_years, years_in
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.models import Document
from qa.text.analysis import SCALE_WORDS, number_value, words


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float


def kind_fit(info: QuestionInfo, unit: Unit) -> float:
    """1 when the unit holds the kind of thing asked for (a number, a date, names), less otherwise."""
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


def covered_years(unit: Unit, documents: dict[str, Document], implicit: bool = True) -> set[int]:
    """Years a unit speaks of; one that names none speaks of its report's reporting year."""
    # named years only: a span like "2012 – 2019" in a list of suggested years is no figure for 2015
    covered = named_years(unit.text) | set(unit.year_labels)
    if implicit and not covered and unit.kind != "reference":
        doc = documents.get(unit.chunk.doc_id)
        if doc is not None and doc.meta.year:
            covered = {doc.meta.year}
    return covered


class UnitScorer:
    """Scores candidates against one question; ``overlap`` holds the corpus word statistics."""

    def __init__(self, scoring: Scoring, overlap: Overlap, documents: dict[str, Document]) -> None:
        self.scoring = scoring
        self.overlap = overlap
        self.documents = documents

    def lexical(self, weight: dict[str, float], unit: Unit) -> float:
        """IDF-weighted share of the question's terms the unit has. For a table row its own label and
        cells weigh more than the table title all its rows share (``row_own_text``), and its label
        alone can lift it further (``row_label``): the row named by the question beats its siblings."""
        share = self.overlap.share
        if unit.kind == "row" and unit.own_text:
            own = self.scoring.row_own_text
            base = own * share(weight, unit.own_text) + (1 - own) * share(weight, unit.text)
            return max(base, self.scoring.row_label * share(weight, unit.own_label)) if unit.own_label else base
        return share(weight, unit.text)

    def _completes(self, weight: dict[str, float], parts: tuple[Unit, ...]) -> bool:
        """A window is a candidate only when each sentence holds question terms the other lacks:
        the second completes what the first names (windows are off when ``window_factor`` is 0)."""
        if not self.scoring.window_factor:
            return False
        have = [term_set(p.text) & weight.keys() for p in parts]
        return all(h - other for h, other in ((have[0], have[1]), (have[1], have[0])))

    def year_fit(self, info: QuestionInfo, unit: Unit) -> float:
        if not info.years:
            return 1.0
        if info.years & unit.year_labels:
            return self.scoring.year_column  # a table column for exactly the year asked
        covered = covered_years(unit, self.documents)
        if info.years & covered:
            return 1.0
        return 0.75 if covered else 0.9

    def score(self, info: QuestionInfo, qvec: np.ndarray, candidates: list[Candidate],
              vector_of) -> list[Scored]:  # type: ignore[no-untyped-def]
        """Candidates scored and sorted best first; ``vector_of(unit)`` gives a unit's embedding."""
        weight = self.overlap.weights(info.terms, info.counted)
        kept = [c for c in candidates if not c.parts or self._completes(weight, c.parts)]
        feats = [(float(np.dot(qvec, vector_of(c.unit))), self.lexical(weight, c.unit)) for c in kept]
        w_dense, w_lexical = self.balance(max((lex for _, lex in feats), default=0.0))
        out = [self._combine(info, c, dense, lexical, w_dense, w_lexical)
               for c, (dense, lexical) in zip(kept, feats, strict=True)]
        out.sort(key=lambda x: x.score, reverse=True)
        return out

    def balance(self, best_overlap: float) -> tuple[float, float]:
        """The dense and lexical weights for one question. A question in other words than the
        report's shares few terms with any passage: when even the best candidate's overlap is under
        ``lexical_trust``, overlap differences say little, so part of the lexical weight moves to the
        cosine (the sum stays, and with it the scale ``abstain_below`` is read on)."""
        w = self.scoring
        if not w.lexical_trust or best_overlap >= w.lexical_trust:
            return w.w_dense, w.w_lexical
        moved = w.w_lexical * (1 - best_overlap / w.lexical_trust)
        return w.w_dense + moved, w.w_lexical - moved

    def _combine(self, info: QuestionInfo, cand: Candidate, dense: float, lexical: float,
                 w_dense: float, w_lexical: float) -> Scored:
        w = self.scoring
        unit = cand.unit
        fit = kind_fit(info, unit)
        s = w_dense * dense + w_lexical * lexical + w.w_kind * fit + w.w_rank / (cand.rank + 1)
        s *= self.year_fit(info, unit)
        if info.kind == "number" and not fit:
            s *= w.no_number_penalty
        doc = self.documents.get(unit.chunk.doc_id)
        if unit.uncited and doc is not None and len(doc.bibliography):
            s *= w.uncited_penalty
        if cand.parts:
            s *= w.window_factor
        return Scored(unit, s)
