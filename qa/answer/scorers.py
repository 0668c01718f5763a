"""Scorers: how well one candidate unit answers the question.

    score = w_dense * cosine + w_lexical * overlap + w_kind * kind fit + w_rank / (rank + 1)

then multiplied by the year fit (a table column for the year asked beats a sentence merely naming
it), a penalty for "how many" without a number, for an uncited summary sentence and for the length
of a sentence window, and for a suggested action offered as a fact (``recommends``; inverted, a lift
when the question asks for advice). Every weight is a field of :class:`~qa.answer.scoring.Scoring`.

The balance of w_dense and w_lexical is set per question (``balance``): a question worded unlike
the report matches no candidate's terms well, and then the cosine, not the few shared words,
tells the candidates apart (``lexical_trust``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from qa.answer.candidates import Candidate, table_of
from qa.answer.features import (FEATURES, QUANTITIES, Raw, answer_type, asks_leader, counted_phrase, head_noun,
                                lacks_figures, names_head, stated_figures, states_leader, type_fit, vector)
from qa.answer.kinds import kind_fit
from qa.answer.lexical import Overlap, Weights, term_set
from qa.answer.mentions import role_met
from qa.answer.question import QuestionInfo, predicate, subject_words
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.answer.years import fact_years
from qa.models import Chunk, Document
from qa.text.analysis import terms


# A passage under a heading of suggested or recommended actions ("Table 11. Suggested Government
# Actions to Eliminate Child Labor", "Recommendations") says what should be done, not what is: it
# answers a question asking for advice, and is a weak answer to a question of fact that shares its
# words ("What did the Supreme Court decide ...?" vs "Ensure that the Supreme Court's ruling ... is
# enforced"). General English, no report's wording: the heading's verb and the question's modal.
_ADVICE_HEADING = re.compile(r"\b(?:suggest|recommend)", re.I)
# a user's words for a recommendation: "did the report ask Mali to ...", "has USDOL asked Niger for
# ...", "does USDOL want Burkina Faso to ..." (someone asked or wanted to act, up to three words
# between; "children wanted to go to school" is no one asked)
_ASKS_SOMEONE = r"\b(?:ask(?:s|ed|ing)?|wants?|wanted)\s+(?!to\b|for\b)(?:[\w'’-]+\s+){1,3}?(?:to|for)\b"
_ASKS_ADVICE = re.compile(r"\b(?:should|ought|must|recommend\w*|suggest\w*|advi[cs]e\w*|urg(?:e[sd]?|ing)|"
                          r"call(?:s|ed|ing)? (?:for|on)|(?:press|push)(?:es|ed|ing)?(?:\s+[\w'’-]+){0,3}?\s+for|"
                          r"needs? to|what (?:more )?can)\b|" + _ASKS_SOMEONE, re.I)


# a question naming the report's recommendations themselves ("..., per the recommendations?"): a
# figure asked there is the suggested one ("Raise the minimum age for light work to 13")
_NAMES_ADVICE = re.compile(r"\b(?:recommendations?|suggestions?|suggested actions?|recommended actions?)\b", re.I)


def recommends(unit: Unit) -> bool:
    """The unit sits under a heading of suggested or recommended actions."""
    return under_advice_heading(unit.chunk)


def under_advice_heading(chunk: Chunk) -> bool:
    return any(_ADVICE_HEADING.search(h) for h in chunk.heading_path)


def asks_advice(info: QuestionInfo) -> bool:
    return bool(_ASKS_ADVICE.search(info.text))


def names_advice(info: QuestionInfo) -> bool:
    """The question names the report's recommendations ("What are the suggested actions ...")."""
    return bool(_NAMES_ADVICE.search(info.text))


def advice_terms(info: QuestionInfo) -> frozenset[str]:
    """The terms of the words asking for advice ("recommend", "suggestions"): a suggested action has
    them, being one, whatever its own wording ("Ensure that ...")."""
    spans = [m.group(0) for p in (_ASKS_ADVICE, _NAMES_ADVICE) for m in p.finditer(info.text)]
    return frozenset(terms(" ".join(spans))) if advice_wanted(info) else frozenset()


def advice_wanted(info: QuestionInfo) -> bool:
    """The question asks what should be done, so a suggested action is the strong answer (the
    penalty turns round). Not for a quantity: "How many inspectors should Niger employ?" asks for a figure the
    findings give (the ILO ratio), not for the suggested action to hire more."""
    return asks_advice(info) and (info.kind != "number" or names_advice(info))


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float


def question_words(info: QuestionInfo, weight: dict[str, float]) -> list[frozenset[str]]:
    """The weighted terms of each of the question's content words ("anti-trafficking" -> its own
    term and its parts' terms), one set per word."""
    return [t for w in info.terms if (t := frozenset(terms([w])) & weight.keys())]


def _labelled_rows(kept: list[Candidate], by_report: bool = False) -> dict[str, list[int]]:
    """The indexes of the labelled row candidates, by the table they belong to (``by_report``: by
    the report, all its tables together)."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(kept):
        if c.unit.kind == "row" and c.unit.own_label and (table := table_of(c.unit.chunk)) is not None:
            groups.setdefault(c.unit.chunk.doc_id if by_report else table, []).append(i)
    return groups


def label_fit(weight: dict[str, float], labels: list[frozenset[str]]) -> list[float]:
    """How well each of sibling rows' labels (their terms) holds the question's weighted terms, a
    term counting by how few of the siblings' labels hold it (an IDF over the table's labels):
    "Training on New Laws ..." beats "Initial Training for New Labor Inspectors" for a question on
    training in new laws for inspectors, "inspectors" being in several of the table's labels."""
    n = len(labels)
    df = {t: sum(1 for lb in labels if t in lb) for t in weight}
    total = sum(w * math.log(1 + n) for w in weight.values())
    if not total:
        return [0.0] * n
    return [sum(w * math.log(1 + n / df[t]) for t, w in weight.items() if t in lb) / total for lb in labels]


def covered_years(unit: Unit, documents: dict[str, Document], implicit: bool = True) -> set[int]:
    """Years a unit speaks of; one that names none speaks of its report's reporting year."""
    # named years only: a span like "2012 – 2019" in a list of suggested years is no figure for 2015
    covered = fact_years(unit.text) | set(unit.year_labels)
    if implicit and not covered and unit.kind != "reference":
        doc = documents.get(unit.chunk.doc_id)
        if doc is not None and doc.meta.year:
            covered = {doc.meta.year}
    return covered


def continued_years(unit: Unit) -> set[int]:
    """The years named by the nearest earlier sentence of a sentence unit's paragraph or cell that
    names any: "In September 2019, it ran an operation ... As a result, 1,578 children were given
    support" speaks of 2019 though its own words name no year (callers ask only when it names none)."""
    if unit.kind != "sentence" or not unit.sentences:
        return set()
    sentences = unit.chunk.sentences
    first = unit.sentences[0]
    at = next((i for i, s in enumerate(sentences) if s.start == first.start and s.text == first.text), 0)
    # the nearest earlier sentence naming a year sets the time the ones after it speak of
    return next((years for s in reversed(sentences[:at]) if (years := fact_years(s.text))), set())


class UnitScorer:
    """Scores candidates against one question; ``overlap`` holds the corpus word statistics."""

    def __init__(self, scoring: Scoring, overlap: Overlap, documents: dict[str, Document]) -> None:
        self.scoring = scoring
        self.overlap = overlap
        self.documents = documents

    def lexical(self, weight: dict[str, float], unit: Unit, subject: frozenset[str] = frozenset(),
                met: frozenset[str] = frozenset()) -> float:
        """IDF-weighted share of the question's terms the unit has. For a table row its own label and
        cells weigh more than the table title all its rows share (``row_own_text``), and its label
        alone can lift it further (``row_label``): the row named by the question beats its siblings.
        A row's own words earn nothing for the question's ``subject`` terms: a table's rows are facts
        about one actor, and the row asked for names what is asked of it ("did inspectors get
        training on the new rules?" -> "Training on New Laws ...", not "... New Labor Inspectors")."""
        share = self.overlap.share
        if unit.kind == "row" and unit.own_text:
            own = self.scoring.row_own_text
            asked = Weights.of(weight).copy_with({t: 0.0 for t in subject}) if subject else weight
            # the share of the whole question's weight, so leaving the subject aside only lowers it
            scale = sum(asked.values()) / sum(weight.values()) if subject and sum(weight.values()) else 1.0
            # the category is left out of the row's text (embedded, it pulls every sibling towards a
            # question naming it) but is the row's context like its title: "agriculture" asked
            whole = f"{unit.text} | {unit.category}" if unit.category else unit.text
            base = own * scale * share(asked, unit.own_text, met) + (1 - own) * share(weight, whole, met)
            return max(base, self.scoring.row_label * share(weight, unit.own_label, met)) if unit.own_label else base
        if unit.chunk.kind == "table-row" and unit.chunk.heading_path:
            # a described row's sentence ("Daara Modernization Program: ...") has its table's title as context
            whole, own = f"{unit.chunk.heading_path[-1]} | {unit.text}", self.scoring.row_own_text
            return own * share(weight, unit.text, met) + (1 - own) * share(weight, whole, met)
        return share(weight, unit.text, met)

    def _completes(self, words: list[frozenset[str]], parts: tuple[Unit, ...]) -> bool:
        """A window is a candidate only when each sentence holds question words the other lacks:
        the second completes what the first names (windows are off when ``window_factor`` is 0).
        ``words`` are the terms of each question word: a compound is one word, so "anti-trafficking"
        asked is held by a sentence saying "trafficking" and not completed by another one saying
        "anti-trafficking" (its parts are terms of their own, for the overlap's sake)."""
        if not self.scoring.window_factor:
            return False
        have = [{i for i, word in enumerate(words) if word & term_set(p.text)} for p in parts]
        return all(h - other for h, other in ((have[0], have[1]), (have[1], have[0])))

    def score(self, info: QuestionInfo, qvec: np.ndarray, candidates: list[Candidate],
              vector_of, labels_of=None) -> list[Scored]:  # type: ignore[no-untyped-def]
        """Candidates scored and sorted best first; ``vector_of(unit)`` gives a unit's embedding,
        ``labels_of(labels)`` the embeddings of table-row labels (a dict; None: labels are not
        compared, as with ``row_label_dense`` 0). With a learned ranker in the scoring the score is
        its probability, else the linear formula."""
        kept, raws = self.measure(info, qvec, candidates, vector_of, labels_of)
        ranker = self.scoring.ranker
        if ranker is not None:
            rows = self.feature_rows(info, kept, raws)
            out = [Scored(c.unit, ranker.probability(dict(zip(FEATURES, row, strict=True))))
                   for c, row in zip(kept, rows, strict=True)]
        else:
            # not read on the units added for holding a rare word of the question (candidates.py):
            # picked for their overlap, they would decide how far the question's wording is trusted
            w_dense, w_lexical = self.balance(max((r.lexical for c, r in zip(kept, raws, strict=True)
                                                   if not c.rare), default=0.0))
            asked = answer_type(info) if self.scoring.w_type else ""
            head = head_noun(info) if self.scoring.head_noun != 1.0 else None
            leader = self.scoring.leader_factor if asks_leader(info) else 1.0
            out = [Scored(c.unit, self._linear(info, r, w_dense, w_lexical, asked, c.unit)
                          * (self.scoring.head_noun if head and names_head(c.unit, head, info) else 1.0)
                          * (1.0 if leader == 1.0 or states_leader(c.unit) else leader))
                   for c, r in zip(kept, raws, strict=True)]
        out = named_category_first(info, out, self.scoring.named_category)
        out.sort(key=lambda x: x.score, reverse=True)
        return out

    def measure(self, info: QuestionInfo, qvec: np.ndarray, candidates: list[Candidate],
                vector_of, labels_of=None) -> tuple[list[Candidate], list[Raw]]:  # type: ignore[no-untyped-def]
        """The candidates that stay (a window only when it completes its parts) and what is measured
        of each: cosine, overlap, kind fit, rank, year fit and the penalties' conditions."""
        weight = self.overlap.weights(info.terms, info.counted, self.scoring.unseen_credit)
        groups = question_words(info, weight)
        kept = [c for c in candidates if not c.parts or self._completes(groups, c.parts)]
        asked = answer_type(info) if self.scoring.typed_quantities else ""
        figures = stated_figures(info) if self.scoring.typed_quantities and asked in QUANTITIES else frozenset()
        subject = frozenset(terms(list(subject_words(info.text)))) & weight.keys()
        raws = [self._raw(info, weight, qvec, c, vector_of, asked, figures, subject) for c in kept]
        raws = self._with_label_terms(weight, subject, kept, raws)
        return kept, self._with_labels(info, qvec, kept, raws, labels_of)

    def _with_label_terms(self, weight: dict[str, float], subject: frozenset[str], kept: list[Candidate],
                          raws: list[Raw]) -> list[Raw]:
        """Sibling table rows told apart by the words of their labels (``row_label_terms``): a row's
        overlap drops by the given share of how far its label's fit (``label_fit``) lies below the
        best sibling candidate's. Only lowered, like ``row_label_dense``."""
        factor = self.scoring.row_label_terms
        if not factor:
            return raws
        out = list(raws)
        for members in _labelled_rows(kept).values():
            labels = [self.overlap.unit_terms(kept[i].unit.own_label) for i in members]
            fits = label_fit({t: w for t, w in weight.items() if t not in subject}, labels)
            best = max(fits)
            for i, fit in zip(members, fits, strict=True):
                out[i] = replace(raws[i], lexical=raws[i].lexical - factor * (best - fit))
        return out

    def _with_labels(self, info: QuestionInfo, qvec: np.ndarray, kept: list[Candidate], raws: list[Raw],
                     labels_of) -> list[Raw]:  # type: ignore[no-untyped-def]
        """Table rows told apart by what their labels mean (``row_label_dense``): a row's cosine drops
        by the given share of how far its label's cosine to the question lies below that of the
        best-matching labelled row candidate of the same report, in any of its tables. Only lowered,
        never raised: the row whose label fits best keeps its score, so whether the reports answer
        at all (abstain_below) is decided as before.

        Across tables, not only among siblings: a report states one kind of fact per row label, and
        rows of different tables can hold the same kind of value ("From what age can kids legally
        work?" meets "Combining Work and School (%) | Age: 7 to 14" in the statistics table and
        "Minimum Age for Work | Age: 15" in the laws table); the label says which fact the row is,
        whichever table the retrieval ranked first."""
        factor = self.scoring.row_label_dense
        if not factor or labels_of is None:
            return raws
        rows = [i for i, c in enumerate(kept) if c.unit.kind == "row" and c.unit.own_label]
        if not rows:
            return raws
        asked = predicate(info.text)
        mix = self.scoring.label_counted
        counted = counted_phrase(info) if mix and not asked else None
        wanted = {kept[i].unit.own_label for i in rows} | {p for p in (asked, counted) if p}
        vectors = labels_of(sorted(wanted))
        # a table's rows are facts about one actor: the label to quote names what the question asks
        # of its subject, not the subject ("did inspectors get training on the new rules?" ->
        # "Training on New Laws ...", not "Initial Training for New Labor Inspectors")
        toward = vectors[asked] if asked else qvec
        cosine = {i: float(np.dot(toward, vectors[kept[i].unit.own_label])) for i in rows}
        if counted:
            # and what a "how many" question counts ("guilty verdicts"): the whole question's words
            # that every row of the table shares ("worst forms of child labor") blur its vector
            cosine = {i: (1 - mix) * c + mix * float(np.dot(vectors[counted], vectors[kept[i].unit.own_label]))
                      for i, c in cosine.items()}
        out = list(raws)
        for members in _labelled_rows(kept, by_report=True).values():
            best = max(cosine[i] for i in members)
            for i in members:
                out[i] = replace(raws[i], dense=raws[i].dense - factor * (best - cosine[i]))
        return out

    def feature_rows(self, info: QuestionInfo, kept: list[Candidate], raws: list[Raw]) -> list[list[float]]:
        """The ranker's feature vector of each candidate (qa.answer.features)."""
        best_dense = max((r.dense for r in raws), default=0.0)
        best_lexical = max((r.lexical for r in raws), default=0.0)
        asked, head = answer_type(info), head_noun(info)
        return [vector(info, c.unit, r, best_dense, best_lexical, asked, head) for c, r in zip(kept, raws, strict=True)]

    def _raw(self, info: QuestionInfo, weight: dict[str, float], qvec: np.ndarray, cand: Candidate,
             vector_of, asked: str = "", figures: frozenset[str] = frozenset(),
             subject: frozenset[str] = frozenset()) -> Raw:  # type: ignore[no-untyped-def]
        unit = cand.unit
        fit = kind_fit(info, unit)
        if asked in QUANTITIES:
            lacking = not type_fit(asked, unit.own_text or unit.text) or lacks_figures(figures, unit.text)
        else:
            lacking = info.kind == "number" and not fit
        covered = covered_years(unit, self.documents) if info.years else set()
        column = bool(info.years & unit.year_labels)
        doc = self.documents.get(unit.chunk.doc_id)
        label = self.overlap.share(weight, unit.own_label) if unit.own_label else 0.0
        met = advice_terms(info) if recommends(unit) else role_met(info.text, self.overlap.unit_terms(unit.text))
        return Raw(float(np.dot(qvec, vector_of(unit))), self.lexical(weight, unit, subject, met), fit, cand.rank, label,
                   column, bool(info.years & covered) and not column, bool(covered) and not info.years & covered,
                   lacking, unit.uncited and doc is not None and len(doc.bibliography) > 0,
                   bool(cand.parts))

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

    def _linear(self, info: QuestionInfo, raw: Raw, w_dense: float, w_lexical: float, asked: str,
                unit: Unit) -> float:
        """The hand-weighted score: a weighted sum, then the year fit and the penalties as factors."""
        w = self.scoring
        s = w_dense * raw.dense + w_lexical * raw.lexical + w.w_kind * raw.kind_fit + w.w_rank / (raw.rank + 1)
        if asked:
            s += w.w_type * (type_fit(asked, unit.own_text or unit.text) - 0.5)
        if info.years and (raw.year_column or not info.years <= info.edition_years):
            # a year named only as the edition asked ("per the 2018 edition") asks no figure of that
            # year in particular: its table column still answers first, no unit is lowered for lacking it
            s *= w.year_column if raw.year_column else 1.0 if raw.year_named else 0.75 if raw.year_elsewhere else 0.9
        if raw.no_number:
            s *= w.no_number_penalty
        if raw.uncited:
            s *= w.uncited_penalty
        if raw.window:
            s *= w.window_factor
        if w.advice_penalty != 1.0 and recommends(unit):
            # a question asking advice lifts the suggested action instead (lifts, not lowers the
            # findings: the scale abstain_below is read on stays that of a question of fact)
            s = s / w.advice_penalty if advice_wanted(info) else s if asks_advice(info) else s * w.advice_penalty
        return s


def named_category_first(info: QuestionInfo, scored: list[Scored], factor: float) -> list[Scored]:
    """``scored`` with the rows of a table's categories the question does not name scored ``factor``
    times lower, when it names another category of that table: every word of the category's label
    outside the table's title is a word of the question ("in agriculture" names "Agriculture", not
    "Categorical Worst Forms of Child Labor" unless it says "categorical"). Not re-sorted."""
    if factor == 1.0:
        return scored
    asked = set(terms(list(info.terms)))
    tables: dict[str, dict[str, list[int]]] = {}
    for i, s in enumerate(scored):
        if s.unit.category and (table := table_of(s.unit.chunk)) is not None:
            tables.setdefault(table, {}).setdefault(s.unit.category, []).append(i)
    out = list(scored)
    for categories in tables.values():
        chunk = scored[next(iter(categories.values()))[0]].unit.chunk
        title = set(terms(chunk.heading_path[-1])) if chunk.heading_path else set()
        named = {c for c in categories if (own := set(terms(c)) - title) and own <= asked}
        if not named or len(named) == len(categories):
            continue
        for category, members in categories.items():
            if category not in named:
                for i in members:
                    out[i] = Scored(scored[i].unit, scored[i].score * factor)
    return out
