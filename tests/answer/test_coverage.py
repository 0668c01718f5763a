"""Coverage: a unit naming other items of a series than the one asked holds a neighbouring fact."""

from __future__ import annotations

from qa.answer.candidates import window
from qa.answer.coverage import covered_first, items_named, ordinals, other_ordinal, series_nouns, uncovered
from qa.answer.policy import Policy
from qa.answer.scorers import Scored
from qa.answer.scoring import Scoring
from tests.answer.parts import chunk, info, sentence_units

PHASES = chunk("I/p1", [("The first phase removed over 1,500 children (4).", {4}),
                        ("In 2018, the government launched phase two, picking up over 300 children (5).", {5}),
                        ("The government planned a third phase (6).", {6}),
                        ("The programme is run by the ministry (7).", {7})])
FIRST, SECOND, THIRD, PLAIN = sentence_units(PHASES)
THIRD_Q = "How many children did the third phase take off the streets?"


def test_ordinals_read_words_figures_and_compounds() -> None:
    assert ordinals("the third phase") == {3}
    assert ordinals("its 2nd and 21st sessions") == {2, 21}
    assert ordinals("the third-largest producer") == {3}
    assert ordinals("In 2019, 300 children") == frozenset()


def test_the_question_says_what_the_series_is() -> None:
    nouns = series_nouns(THIRD_Q)
    assert nouns == {"phase"}
    assert items_named("the government launched phase two", nouns) == {2}
    assert items_named("Phase 2 began", nouns) == {2}
    # "two" after a word that is not the series noun is a count, not an item
    assert items_named("two children were found", nouns) == frozenset()


def test_a_unit_naming_another_item_does_not_cover_the_one_asked() -> None:
    q = info(THIRD_Q)
    assert other_ordinal(q, FIRST) and other_ordinal(q, SECOND)
    assert not other_ordinal(q, THIRD)
    # a unit naming no item of the series may speak of the one asked
    assert not other_ordinal(q, PLAIN)
    assert uncovered(q, FIRST) == "the passage speaks of item 1 of a series, the question of item 3"
    # no ordinal asked: nothing to check
    assert not other_ordinal(info("How many children did the programme take off the streets?"), FIRST)


def test_the_sentence_with_the_figure_decides_for_a_window() -> None:
    # phase two's figure quoted with the sentence planning phase three answers for phase two
    pair = window(SECOND, THIRD)
    assert other_ordinal(info(THIRD_Q), pair, bibliography_size=10)
    # a question asking no figure reads the window as a whole, which names the third phase
    assert not other_ordinal(info("What did the government plan for the third phase?"), pair, bibliography_size=10)


def test_covered_first_scores_neighbouring_items_down_and_resorts() -> None:
    scored = [Scored(FIRST, 0.8), Scored(THIRD, 0.6)]
    out = covered_first(info(THIRD_Q), scored, 0.5)
    assert [(s.unit, s.score) for s in out] == [(THIRD, 0.6), (FIRST, 0.4)]
    assert covered_first(info(THIRD_Q), scored, 1.0) == scored  # 1: off


def test_the_policy_declines_when_only_a_neighbouring_item_answers() -> None:
    q = info(THIRD_Q)
    on = Policy(Scoring(abstain_below=0.5, uncovered_factor=0.5), {}).decide(q, [Scored(FIRST, 0.8)])
    assert on.chosen == [] and on.reason == "the passage speaks of item 1 of a series, the question of item 3"
    off = Policy(Scoring(abstain_below=0.5, uncovered_factor=1.0), {}).decide(q, [Scored(FIRST, 0.8)])
    assert [s.unit for s in off.chosen] == [FIRST]
