"""Names a question uses that no indexed report mentions: a place the country layer does not know
is not answered from every report's row on the topic."""

from __future__ import annotations

import pytest

from qa.answer.lookups import unmentioned_answer
from qa.answer.mentions import unmentioned_names
from qa.text.analysis import terms

VOCABULARY = set(terms("Mali labor inspectors Kayes Sikasso Mamadou Fofana Clear Cotton project UNICEF "
                       "children trafficked cocoa segou"))


@pytest.mark.parametrize(("question", "names"), [
    ("How many labor inspectors did Zanzibar have in 2019?", ["Zanzibar"]),
    ("What about Gaza?", ["Gaza"]),
    ("And in Wakanda?", ["Wakanda"]),
    ("Who is Mamadou Traore?", ["Mamadou Traore"]),
    ("How many children work in Kayes and Timbuktu?", ["Timbuktu"]),
    # initials no report uses
    ("How many children did the Zanzibar Pearl Foundation help to leave work on cocoa farms?",
     ["Zanzibar Pearl Foundation"]),
])
def test_names_no_report_mentions(question: str, names: list[str]) -> None:
    assert unmentioned_names(question, VOCABULARY) == names


@pytest.mark.parametrize("question", [
    "How many labor inspectors did Mali have in 2019?",
    "Who is Mamadou Fofana?",
    "How many children work in Kayes and Sikasso?",
    "Who funds the Clear Cotton project?",
    # countries, demonyms and capitals are the scope's: "No indexed report covers Ghana" says more
    "How many labor inspectors does Ghana have?",
    "Were Ivorian children trafficked to Côte d'Ivoire?",
    "How much did Ouagadougou spend?",
    # a title-cased question says nothing by its capitals; English words are no names
    "How Many Labor Inspectors Did Zanzibar Have?",
    # initials with a small word among them are initials ("Memorandum of Understanding"), no name
    "Which country's agency did it sign an MoU with?",
    "Kids: Are They Trafficked?",
    "Is there a shelter? Where is it?",
    "Which NGOs does UNICEF fund?",  # acronyms are read elsewhere (spelled out from the passages)
    "How many children work in Ségou?",  # accents aside (the retriever folds its own terms too)
    "¿Cuántos inspectores?",  # a question's first word after an opening mark opens it ("Cuántos" is none)
    'Is it so? "Which" ones?',
    "What did the U.S. government recommend for Niger?",  # an initial is no name
    # the reports write the initials of a name of several words ("UNICEF" for the Fund)
    "What did the United Nations International Children's Emergency Fund do?",
])
def test_known_or_unreadable_names_pass(question: str) -> None:
    assert unmentioned_names(question, VOCABULARY) == []


def test_the_decline_names_what_is_missing() -> None:
    answer = unmentioned_answer("How many labor inspectors did Zanzibar have in 2019?", VOCABULARY)
    assert answer is not None and answer.abstained and not answer.citations
    assert answer.answer.endswith("No indexed report mentions Zanzibar.")
    assert unmentioned_answer("How many labor inspectors did Mali have?", VOCABULARY) is None



def test_a_misspelt_country_gets_the_country_suggested_not_answered() -> None:
    answer = unmentioned_answer("How many labor inspectors did Senagal have in 2019?", VOCABULARY)
    assert answer is not None and answer.abstained and not answer.citations
    assert answer.answer.endswith("No indexed report mentions Senagal (did you mean Senegal?).")
    assert "did you mean" not in unmentioned_answer("And in Wakanda?", VOCABULARY).answer
