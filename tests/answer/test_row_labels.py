"""Row labels compared with the question by meaning (Scoring.row_label_dense): the sibling row whose
label fits the question best keeps its score, the others drop by how much worse theirs fit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from qa.answer.candidates import Candidate
from qa.answer.lexical import Overlap
from qa.answer.scorers import UnitScorer
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.index.embed import FakeEmbedder
from tests.answer.parts import chunk, info

TITLE = "Table 6. Labor Law Enforcement Efforts"
LABELS = ("Number of Labor Inspectors", "Number of Violations Found")


def _row(i: int, label: str) -> Unit:
    c = chunk(f"t6/r{i}", [(f"{label} 2019: {100 + i}", {4})], kind="table-row")
    own = f"{label} | 2019: {100 + i}"
    return Unit(f"{c.id}#0", c, "row", c.sentences, f"{TITLE} | {own}", label, frozenset({2019}), own, label)


def _scores(factor: float, question: str, labels_of=None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    emb = FakeEmbedder()
    units = [_row(i, label) for i, label in enumerate(LABELS)]
    # every row looks the same to the whole-row vector (the title dominates it): only labels differ
    same = emb.encode([TITLE])[0]
    scorer = UnitScorer(replace(Scoring(), row_label_dense=factor), Overlap(u.text for u in units), {})
    qvec = emb.encode([question])[0]
    labels_of = labels_of or (lambda labels: dict(zip(labels, emb.encode(labels), strict=True)))
    scored = scorer.score(info(question), qvec, [Candidate(u, 0) for u in units], lambda u: same, labels_of)
    return {s.unit.label: s.score for s in scored}


def test_the_row_whose_label_fits_keeps_its_score_and_its_sibling_drops() -> None:
    q = "How many violations were found?"
    off, on = _scores(0.0, q), _scores(1.0, q)
    assert on["Number of Violations Found"] == off["Number of Violations Found"]
    assert on["Number of Labor Inspectors"] < off["Number of Labor Inspectors"]
    assert on["Number of Violations Found"] > on["Number of Labor Inspectors"]


def test_off_the_labels_are_not_embedded() -> None:
    asked: list[list[str]] = []
    _scores(0.0, "How many violations were found?", lambda labels: asked.append(labels) or {})
    assert asked == []


def test_the_catalog_embeds_each_label_once() -> None:
    from qa.answer.candidates import UnitCatalog
    from qa.config import Settings

    emb = FakeEmbedder()
    catalog = UnitCatalog(Settings(), emb, {})
    first = catalog.label_vectors(list(LABELS))
    again = catalog.label_vectors([LABELS[1], "Number of Convictions"])
    assert np.array_equal(first[LABELS[1]], again[LABELS[1]])
    assert emb.calls == [list(LABELS), ["Number of Convictions"]]


def test_labels_are_compared_with_what_the_question_asks_of_its_subject() -> None:
    # "labor inspectors" is who found them: the whole question's words lean to the inspectors' row
    q = "How many violations did labor inspectors find?"
    emb = FakeEmbedder()
    whole = emb.encode([q])[0]
    fits = {lb: float(np.dot(whole, v)) for lb, v in zip(LABELS, emb.encode(list(LABELS)), strict=True)}
    assert fits["Number of Labor Inspectors"] > fits["Number of Violations Found"]
    on = _scores(1.0, q)
    assert on["Number of Violations Found"] > on["Number of Labor Inspectors"]


def test_a_rows_own_words_earn_nothing_for_the_subject() -> None:
    from qa.answer.question import subject_words
    from qa.text.analysis import terms

    units = [_row(i, label) for i, label in enumerate(LABELS)]
    scorer = UnitScorer(Scoring(), Overlap(u.text for u in units), {})
    q = info("How many violations did labor inspectors find?")
    weight = scorer.overlap.weights(q.terms, q.counted)
    subject = frozenset(terms(list(subject_words(q.text)))) & weight.keys()
    assert subject == {"labor", "inspector"}
    inspectors, violations = units
    assert scorer.lexical(weight, inspectors, subject) < scorer.lexical(weight, inspectors)
    assert scorer.lexical(weight, violations, subject) == scorer.lexical(weight, violations)
    assert scorer.lexical(weight, violations, subject) > scorer.lexical(weight, inspectors, subject)


def test_a_label_word_most_siblings_share_tells_rows_apart_less() -> None:
    from qa.answer.scorers import label_fit

    labels = [frozenset({"initi", "train", "new", "labor", "inspector"}),
              frozenset({"train", "new", "law", "relat", "child", "labor"}),
              frozenset({"number", "labor", "inspector"}),
              frozenset({"number", "child", "labor", "violat", "found"})]
    asked = {t: 1.0 for t in ("train", "new", "law", "child", "labor", "inspector")}
    fits = label_fit(asked, labels)
    # both training rows hold four asked words; "law" is in one label, "inspector" in two, "labor" in all
    assert fits[1] > fits[0] > fits[2]
    assert all(0.0 <= f <= 1.0 for f in fits)
    assert label_fit({}, labels) == [0.0] * 4


def test_row_label_terms_lowers_only_the_rows_whose_labels_fit_worse() -> None:
    units = [_row(i, label) for i, label in enumerate(LABELS)]
    q = info("How many violations were found?")
    plain = UnitScorer(Scoring(), Overlap(u.text for u in units), {})
    on = UnitScorer(replace(Scoring(), row_label_terms=1.0), Overlap(u.text for u in units), {})
    same = FakeEmbedder().encode([TITLE])[0]
    before = {s.unit.label: s.score for s in plain.score(q, same, [Candidate(u, 0) for u in units], lambda u: same)}
    after = {s.unit.label: s.score for s in on.score(q, same, [Candidate(u, 0) for u in units], lambda u: same)}
    assert after["Number of Violations Found"] == before["Number of Violations Found"]
    assert after["Number of Labor Inspectors"] < before["Number of Labor Inspectors"]


def _table_row(table: int, i: int, label: str, cells: str, doc: str = "rep") -> Unit:
    c = chunk(f"t{table}/r{i}", [(f"{label} {cells}", {4})], kind="table-row", doc=doc)
    own = f"{label} | {cells}"
    return Unit(f"{c.id}#0", c, "row", c.sentences, f"Table {table} | {own}", label, frozenset(), own, label)


def _cross_scores(units: list[Unit], question: str, corpus: list[Unit] | None = None) -> dict[str, float]:
    emb = FakeEmbedder()
    same = emb.encode(["Table"])[0]  # the whole-row vectors alike: only the labels tell rows apart
    scorer = UnitScorer(replace(Scoring(), row_label_dense=1.0), Overlap(u.text for u in corpus or units), {})
    labels_of = lambda labels: dict(zip(labels, emb.encode(labels), strict=True))  # noqa: E731
    scored = scorer.score(info(question), emb.encode([question])[0], [Candidate(u, 0) for u in units],
                          lambda u: same, labels_of)
    return {s.unit.key: s.score for s in scored}


def test_rows_of_other_tables_of_the_report_are_told_apart_by_their_labels_too() -> None:
    # an age in the statistics table and an age in the laws table: the label says which fact it is
    units = [_table_row(1, 2, "Combining Work and School", "Age: 7 to 14"),
             _table_row(4, 0, "Minimum Age for Work", "Age: 15")]
    scores = _cross_scores(units, "From what age can kids legally work?")
    assert scores["rep#t4/r0#0"] > scores["rep#t1/r2#0"]


def test_rows_of_another_report_are_not_lowered_by_this_reports_labels() -> None:
    units = [_table_row(4, 0, "Minimum Age for Work", "Age: 15", doc="a"),
             _table_row(1, 2, "Combining Work and School", "Age: 7 to 14", doc="b")]
    alone = _cross_scores(units[1:], "What is the minimum age for work?", corpus=units)
    together = _cross_scores(units, "What is the minimum age for work?")
    assert together["b#t1/r2#0"] == alone["b#t1/r2#0"]


def _counted_scores(mix: float, question: str) -> dict[str, float]:
    labels = ("Number of Prosecutions Initiated", "Number of Convictions")
    units = [_row(i, label) for i, label in enumerate(labels)]
    e1, e2 = np.eye(8, dtype=np.float32)[:2]
    # the whole question leans to the prosecutions row; what it counts ("guilty verdicts") means convictions
    qvec = 0.8 * e1 + 0.6 * e2
    vectors = {labels[0]: e1, labels[1]: e2, "guilty verdicts": e2}
    scorer = UnitScorer(replace(Scoring(), row_label_dense=1.0, label_counted=mix), Overlap(u.text for u in units), {})
    scored = scorer.score(info(question), qvec, [Candidate(u, 0) for u in units], lambda u: e1 + e2,
                          lambda wanted: {w: vectors[w] for w in wanted})
    return {s.unit.label: s.score for s in scored}


def test_a_count_questions_labels_are_compared_with_what_it_counts() -> None:
    q = "How many guilty verdicts for the worst forms of child labour were there in 2019?"
    off, on = _counted_scores(0.0, q), _counted_scores(0.5, q)
    assert off["Number of Prosecutions Initiated"] > off["Number of Convictions"]
    assert on["Number of Convictions"] > on["Number of Prosecutions Initiated"]


@pytest.mark.parametrize("question, phrase", [
    ("How many guilty verdicts for the worst forms of child labour were there in Mali in 2019?", "guilty verdicts"),
    ("How many criminal probes did Senegal open?", "criminal probes"),
    ("What number of labour-law infringements did Malian inspectors record?", "labour-law infringements"),
    ("How many Nigerien children make it to the end of primary school?", "children"),
    ("How many people were found guilty in Senegal?", "people found guilty"),
    ("What is the minimum age for work?", None),
    # whether any were found asks whether their count is above nought
    ("Were any child labour breaches picked up by Senegalese labour inspectors?", "child labour breaches"),
    ("Was there any training for new inspectors?", "training"),
])
def test_the_counted_phrase_is_the_words_up_to_the_counted_noun(question: str, phrase: str | None) -> None:
    from qa.answer.features import counted_phrase

    assert counted_phrase(info(question)) == phrase
