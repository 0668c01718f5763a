"""Abstention when the best unit comes from the unit search alone (Answerer._unsupported): declined
unless a retrieved passage's unit reaches abstain_below, or the nearest-only unit leading the
candidates is itself close enough to the question (Scoring.nearest_answer_cosine)."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.answerer import Answerer
from qa.answer.scorers import Scored
from qa.answer.scoring import Scoring
from qa.config import Settings
from qa.index.embed import FakeEmbedder
from qa.models import Bibliography, Document, DocumentMeta, Hit, ReferenceEntry
from tests.answer.parts import chunk, sentence_units

PASSAGE = chunk("I/p1", [("The ministry published a report on schools.", {1}),
                         ("Inspections took place in three regions.", {2})])
ELSEWHERE = chunk("I/p9", [("Children herd cattle and goats in the northern desert.", {5}),
                           ("Schools are far away.", {6})])
retrieved, other = sentence_units(PASSAGE)
nearest, _ = sentence_units(ELSEWHERE)


def answerer(**values: float) -> Answerer:
    a = Answerer(Settings(llm_base_url=None), embedder=None, documents={})
    a.scoring = replace(Scoring(), abstain_below=0.5, **values)
    return a


def cosine_of(value: float):  # type: ignore[no-untyped-def]
    return lambda unit: value if unit.key == nearest.key else 0.1


def test_a_leading_nearest_only_unit_is_declined_below_the_cosine_bar() -> None:
    scored = [Scored(nearest, 0.7), Scored(retrieved, 0.3)]
    why = answerer(nearest_answer_cosine=0.7)._unsupported(scored, {nearest.key}, cosine_of(0.69))
    assert why == "best retrieved passage score 0.30"


def test_a_leading_nearest_only_unit_at_the_cosine_bar_may_answer() -> None:
    scored = [Scored(nearest, 0.7), Scored(retrieved, 0.3)]
    assert answerer(nearest_answer_cosine=0.7)._unsupported(scored, {nearest.key}, cosine_of(0.7)) is None


def test_the_bar_at_one_is_off_whatever_the_cosine() -> None:
    scored = [Scored(nearest, 0.7), Scored(retrieved, 0.3)]
    assert answerer(nearest_answer_cosine=1.0)._unsupported(scored, {nearest.key}, cosine_of(1.0)) is not None
    assert answerer()._unsupported(scored, {nearest.key}, cosine_of(0.99)) is not None  # off by default
    assert answerer(nearest_answer_cosine=0.7)._unsupported(scored, {nearest.key}) is not None  # no cosine given


def test_only_the_leading_unit_counts_and_a_retrieved_unit_at_abstain_below_suffices() -> None:
    # a close nearest-only unit that does not lead would not be the one quoted: still declined
    behind = [Scored(retrieved, 0.45), Scored(nearest, 0.44)]
    assert answerer(nearest_answer_cosine=0.7)._unsupported(behind, {nearest.key}, cosine_of(0.9)) is not None
    supported = [Scored(nearest, 0.8), Scored(retrieved, 0.5)]
    assert answerer(nearest_answer_cosine=1.0)._unsupported(supported, {nearest.key}, cosine_of(0.2)) is None
    assert answerer()._unsupported([Scored(retrieved, 0.1)], set()) is None  # the policy decides alone


def test_answer_quotes_a_close_nearest_only_unit_only_when_the_bar_admits_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path, embedder="fake", llm_base_url=None)
    entries = tuple(ReferenceEntry(n, f"Source {n}.", None) for n in range(1, 7))
    report = Document(DocumentMeta("rep", "rep.txt", "0"), PASSAGE.text + " " + ELSEWHERE.text, (), (), (),
                      Bibliography(entries))
    a = Answerer(settings, FakeEmbedder(), {"rep": report})
    a.warm_up([PASSAGE, ELSEWHERE])
    question = "Which animals do children herd in the northern desert?"
    qvec = FakeEmbedder().encode([question])[0]
    close = float(qvec @ a.catalog.vector(nearest))
    assert close > 0.5  # the hashed bag of words shares most of the question's words
    a.scoring = replace(a.scoring, nearest_units=3.0, abstain_below=0.3, nearest_answer_cosine=1.0)
    declined = a.answer(question, [Hit(PASSAGE, 1.0)])
    assert declined.abstained
    a.scoring = replace(a.scoring, nearest_answer_cosine=round(close - 0.01, 2))
    answered = a.answer(question, [Hit(PASSAGE, 1.0)])
    assert not answered.abstained and answered.units[0].anchor == ELSEWHERE.id
    assert answered.units[0].refs == (5,)
    a.scoring = replace(a.scoring, nearest_answer_cosine=round(close + 0.01, 2))
    assert a.answer(question, [Hit(PASSAGE, 1.0)]).abstained


def test_a_unit_holding_a_rare_question_word_takes_part_only_as_the_best() -> None:
    from qa.answer.candidates import Candidate

    candidates = [Candidate(retrieved, 0), Candidate(other, 0), Candidate(nearest, 1, nearest=True, rare=True)]
    # leading: it stays and counts as found, so the question is not declined for its sake
    leading = [Scored(nearest, 0.7), Scored(retrieved, 0.4)]
    kept, unsupported = Answerer._rare_only_leading(candidates, leading, {nearest.key})
    assert kept == leading
    assert unsupported == set()
    assert answerer()._unsupported(leading, unsupported) is None
    # not leading: it drops out, and with it the rival it would have been to the year or list steps
    behind = [Scored(retrieved, 0.7), Scored(nearest, 0.6), Scored(other, 0.5)]
    kept, unsupported = Answerer._rare_only_leading(candidates, behind, {nearest.key})
    assert kept == [behind[0], behind[2]]
    assert unsupported == {nearest.key}
    # a leader found by the cosine search alone stays unsupported though a rare-word unit follows it
    lone = Candidate(other, 1, nearest=True)
    kept, unsupported = Answerer._rare_only_leading(candidates + [lone], [Scored(other, 0.7), Scored(nearest, 0.6)],
                                                    {nearest.key, other.key})
    assert kept == [Scored(other, 0.7)] and unsupported == {nearest.key, other.key}
