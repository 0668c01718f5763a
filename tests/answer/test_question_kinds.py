"""The kind of answer a question asks for, read from its wording (qa.answer.question.analyse)."""

from __future__ import annotations

import pytest

from qa.answer.features import answer_type
from qa.answer.question import analyse


@pytest.mark.parametrize("question", [
    # a noun whose usual answer is a sum of money asks for a figure as "how much" does
    "What was the country's 2019 spending on schooling?",
    "What is the labor inspectorate's budget?",
    "What were the ministry's expenditures on health in 2020?",
    "What is the inspectors' salary?",
    "What fees does the program charge?",
    # a describing word before the noun: a sum still ("count" had let a unit without money win)
    "What annual amount has Mali committed to its national anti-trafficking action plan?",
    "How much of the ACCEL Africa budget is earmarked for Mali?",  # a part of a sum
    "What's the value of the South-South cotton project in Mali?",
])
def test_a_money_noun_asks_for_a_figure(question: str) -> None:
    info = analyse(question)
    assert info.kind == "number"
    assert answer_type(info) == "money"


@pytest.mark.parametrize("question", [
    "What was the ministry's main goal in 2019?",
    "What does the program teach children?",
])
def test_other_nouns_do_not(question: str) -> None:
    info = analyse(question)
    assert info.kind == "other"
    assert answer_type(info) != "money"


def test_a_reason_asked_of_a_figure_asks_no_figure() -> None:
    assert analyse("Why is the number of labor inspectors in Mali insufficient?").kind == "other"
    assert analyse("How come the budget fell in 2020?").kind == "other"


def test_a_noun_receiving_money_is_what_is_asked() -> None:
    assert answer_type(analyse("Which programs receive funding?")) != "money"
    assert answer_type(analyse("How much of the cotton is picked by children?")) == "count"


@pytest.mark.parametrize("question", [
    "From what year did caste-based slavery get worse in the north?",
    "Since what year has the report asked for a program?",
    "In what year was the law passed?",
    "By which date must the plan be adopted?",
    "When did the strike end?",
    "To which month did the ministry extend classes?",
    "On what day was the law signed?",
    # how long something has been going on asks since when
    "How long has the report been urging Mali to outlaw using children in the drug trade?",
])
def test_a_date_asked_after_a_preposition_is_a_date(question: str) -> None:
    assert analyse(question).kind == "date"


def test_a_year_named_as_a_point_in_time_asks_no_date() -> None:
    assert analyse("In 2019, how many inspectors were there?").kind == "number"
    assert analyse("How long did the strike last?").kind != "date"  # a duration, not since when


@pytest.mark.parametrize("question", [
    # a question opening with an auxiliary asks yes or no, whatever quantity it names
    "Did Burkina Faso ratify the minimum age convention?",
    "Per the 2020 edition, has Mali ratified ILO Convention 138 on the minimum age?",
    "Is the minimum age for work 15?",
    "Has the number of labor inspectors been published?",
])
def test_an_auxiliary_opener_asks_yes_or_no(question: str) -> None:
    info = analyse(question)
    assert info.kind == "yesno"
    assert answer_type(info) == "yesno"


@pytest.mark.parametrize("question", [
    "What is the minimum age for work?",
    "Do you know how many labor inspectors Mali had?",
    # nouns that are counts themselves
    "What was the BPMC's headcount in 2019?",
    "What was the head count of the brigade?",
    "What is the tally of victims identified?",
    "What are the legal working ages of Burkina Faso?",  # "what are the ... ages", plural
])
def test_a_quantity_asked_stays_a_number(question: str) -> None:
    assert analyse(question).kind == "number"


@pytest.mark.parametrize("question, number", [
    ("Which source is citation number fifty-four in the report on Niger?", 54),
    ("Which source is number 97 in Niger's 2019 chapter?", 97),
    ("Which source is cited as number 43 in the Burkinabe report?", 43),
    ("What is reference 54?", 54),
    ("What is bibliography item 34?", 34),
    ("What is item 34 in the bibliography?", 34),
    ("Show me endnote 12.", 12),
    ("What is #34 of the references?", 34),
    ("How many items did the project distribute in 2019?", None),
    # a figure named beside "reference" is no entry asked for
    ("Which reference gives the number 113 for inspectors?", None),
    ("How many children aged five to fourteen work?", None),
    # a marker typed alone: as the answer prints it, with "#", or bare (a year alone is no marker)
    ("[4]", 4), ("#4", 4), ("4", 4), (" 12? ", 12), ("2019", None), ("4 inspectors", None),
])
def test_a_bibliography_entry_is_asked_for_by_number_in_digits_or_words(question: str, number: int | None) -> None:
    assert analyse(question).reference == number


@pytest.mark.parametrize("question, kind, asked", [
    # a request wrapped round the question asks the question, not a yes or no about the asking
    ("Can you tell me which ministry leads the CNVS?", "name", "organisation"),
    ("Could you tell me who chairs the committee?", "name", "organisation"),
    ("Do you know when the report was published?", "date", "date"),
    ("Please tell me the budget of the labor inspectorate in 2019.", "number", "money"),
    ("I'd like to know the minimum age for work in Mali.", "number", "age"),
    ("Do you know how many labor inspectors Mali had?", "number", "count"),
    ("Can you tell me whether Mali ratified C138?", "yesno", "yesno"),
    ("Can Mali prosecute traffickers?", "yesno", "yesno"),  # no request: a yes or no
])
def test_a_request_wrapped_round_a_question_asks_the_question(question: str, kind: str, asked: str) -> None:
    from qa.answer.features import answer_type

    info = analyse(question)
    assert (info.kind, answer_type(info)) == (kind, asked)


def test_a_request_to_list_is_a_list() -> None:
    assert analyse("Can you list the crops children work on?").listing
