"""Questions ranking countries: asked of each indexed country's own report, one line each."""

from __future__ import annotations

import pytest

from qa.answer.ranking import MAX_COUNTRIES, choice_among_earlier, per_country, ranked_question
from qa.models import Answer


@pytest.mark.parametrize("question, asked", [
    ("Which country has the most labor inspectors?", "How many labor inspectors"),
    ("What country conducted the fewest labor inspections in 2019?", "How many labor inspections in 2019"),
    ("Which countries have the highest number of child labor violations?", "How many child labor violations"),
    ("Which country had the highest labor inspectorate funding in 2019?",
     "What is the labor inspectorate funding in 2019"),
    ("Which country has the lowest minimum age for work?", "What is the minimum age for work"),
    # "rank the countries by X" ranks them too (it had answered from one report)
    ("Rank the countries by percentage of children combining work and school",
     "What is the percentage of children combining work and school"),
    ("Rank the countries by the number of labor inspectors", "How many labor inspectors"),
    ("Rank Mali and Niger by the number of labor inspectors", None),
    # a country named, a capital, another subject or no ranking: not this route
    ("Which country has the most labor inspectors, Mali or Niger?", None),
    ("Which country has the most inspectors, Bamako's or Niamey's?", None),
    ("Which ministry has the most staff?", None),
    ("Which country does the ILO project cover?", None),
])
def test_a_question_ranking_countries_is_read_as_each_countrys_figure(question: str, asked: str | None) -> None:
    assert ranked_question(question) == asked


def test_it_is_put_to_every_indexed_country_or_declined_when_they_are_too_many() -> None:
    question = "Which country has the most labor inspectors?"
    asked, lead = per_country(question, lambda: ["Mali", "Niger", "Senegal"])  # type: ignore[misc]
    assert asked == "How many labor inspectors in Mali, Niger and Senegal?" and "rank no countries" in lead
    alone = per_country(question, lambda: ["Mali"])
    assert isinstance(alone, tuple) and alone[0] == "How many labor inspectors in Mali?"
    many = per_country(question, lambda: [f"Country {i}" for i in range(MAX_COUNTRIES + 1)])
    assert isinstance(many, Answer) and many.abstained and "name the countries" in many.answer
    assert per_country("How many labor inspectors does Mali have?", lambda: ["Mali", "Niger"]) is None


@pytest.mark.parametrize("question, asked", [
    ("How many labor inspectors did each country have in 2018?",
     "How many labor inspectors did Mali, Niger and Senegal have in 2018?"),
    ("List the labor inspectorate funding of every country", "List the labor inspectorate funding of Mali, Niger and Senegal"),
    ("What is the minimum age for work in all the countries?", "What is the minimum age for work in Mali, Niger and Senegal?"),
    ("Compare labor inspectorate funding across all three countries in 2019",
     "Compare labor inspectorate funding across Mali, Niger and Senegal in 2019"),
])
def test_a_question_asked_of_each_country_names_every_indexed_one(question: str, asked: str) -> None:
    # it answered from three of six countries without saying so
    got, lead = per_country(question, lambda: ["Mali", "Niger", "Senegal"])  # type: ignore[misc]
    assert got == asked and lead.startswith("Each country's own report")


def test_each_country_with_one_named_or_too_many_indexed() -> None:
    assert per_country("How many labor inspectors did each country have, Mali included?", lambda: ["Mali", "Niger"]) is None
    assert per_country("How many labor inspectors did each country have?", lambda: ["Mali"]) is None
    many = per_country("How many labor inspectors did each country have?",
                       lambda: [f"Country {i}" for i in range(MAX_COUNTRIES + 1)])
    assert isinstance(many, Answer) and many.abstained and "name the countries" in many.answer


@pytest.mark.parametrize("question, asked", [
    ("Which has more labor inspectors, Mali or Niger?", "How many labor inspectors in Mali and Niger?"),
    ("Which country had the larger labor inspectorate budget in 2019: Niger or Senegal?",
     "What is the labor inspectorate budget in 2019 in Niger and Senegal?"),
    ("Which of them has the higher minimum age for work, Senegal or Burkina Faso?",
     "What is the minimum age for work in Senegal and Burkina Faso?"),
    # the countries named before the figure
    ("Which of Mali, Niger and Senegal had the most labor inspectors in 2019?",
     "How many labor inspectors in 2019 in Mali, Niger and Senegal?"),
])
def test_a_choice_between_named_countries_is_asked_of_each(question: str, asked: str) -> None:
    out = per_country(question, lambda: ["Mali", "Niger", "Senegal", "Burkina Faso"])
    assert isinstance(out, tuple) and out[0] == asked


@pytest.mark.parametrize("question", [
    "Which has more labor inspectors, Mali?",  # one country: nothing to choose between
    "Which ministry has more inspectors, the labor ministry or the interior?",
    "Does Mali or Niger have more labor inspectors?",  # answered per country already
])
def test_other_questions_are_no_choice(question: str) -> None:
    from qa.answer.ranking import chosen_question

    assert chosen_question(question) is None


def test_the_lead_of_a_ranking_says_which_figure_is_first_when_the_lines_compare() -> None:
    from qa.answer.ranking import ranked_lead
    from qa.answer.scope import DocInfo
    from qa.models import QuotedUnit

    docs = [DocInfo("n", "Niger", 2019, "country-report"), DocInfo("s", "Senegal", 2019, "country-report"),
            DocInfo("b", "Burkina Faso", 2019, "country-report")]

    def answer(*lines: tuple[str, str]) -> Answer:
        return Answer("", (), (), False, 1.0, units=tuple(QuotedUnit(d, None, t) for d, t in lines))

    lead = "The reports rank no countries; each country's own report, one line each:"
    two = answer(("n", "Number of Labor Inspectors: 51 in 2019."), ("s", "Number of Labor Inspectors: 68 in 2019."))
    assert ranked_lead("Which has more labor inspectors, Niger or Senegal?", lead, two, docs).startswith(
        "The reports rank no countries; by the figures each gives for 2019, Senegal's Number of Labor Inspectors (68) "
        "is higher than Niger's (51).")
    assert "Niger's Number of Labor Inspectors (51) is lower than Senegal's (68)" in ranked_lead(
        "Which has fewer labor inspectors, Niger or Senegal?", lead, two, docs)
    funds = answer(("n", "Labor Inspectorate Funding: $20,000 in 2019."), ("s", "Labor Inspectorate Funding: $203,100 in 2019."),
                   ("b", "Labor Inspectorate Funding: Unknown in 2019."))
    assert "Senegal's Labor Inspectorate Funding ($203,100) is higher than Niger's ($20,000); Burkina Faso gives none" in (
        ranked_lead("Which country had the highest funding in 2019?", lead, funds, docs))
    # several years a line: the latest year every line has
    years = answer(("n", "Number of Labor Inspectors: 47 in 2018, 51 in 2019 (an increase of 4 from 2018 to 2019)."),
                   ("s", "Number of Labor Inspectors: 68 in 2019, 70 in 2020."))
    assert "for 2019, Senegal's Number of Labor Inspectors (68) is higher than Niger's (51)" in ranked_lead(
        "Which country has the most labor inspectors?", lead, years, docs)
    # no year in common, other rows, one figure alone, a tie: the lines speak for themselves
    for units in (answer(("n", "Number of Labor Inspectors: 51 in 2019."), ("s", "Number of Labor Inspectors: 55 in 2018.")),
                  answer(("n", "Number of Labor Inspectors: 51 in 2019."), ("s", "Labor Inspectorate Funding: $5 in 2019.")),
                  answer(("n", "Number of Labor Inspectors: 51 in 2019."), ("s", "Number of Labor Inspectors: Unknown in 2019.")),
                  answer(("n", "Number of Labor Inspectors: 51 in 2019."), ("s", "Number of Labor Inspectors: 51 in 2019.")),
                  answer(("n", "In 2019, Niger employed 51 inspectors."), ("s", "Number of Labor Inspectors: 68 in 2019."))):
        assert ranked_lead("Which country has the most labor inspectors?", lead, units, docs) == lead
    # a row without year columns: its share of one age group, or its age
    shares = answer(("n", "Working (% and population) — Age: 5 to 14; Percent: 42.9 (2,516,191)."),
                    ("s", "Working (% and population) — Age: 5 to 14; Percent: 22.3 (Unavailable)."))
    assert ranked_lead("Which country had the highest percentage of working children?", lead, shares, docs).startswith(
        "The reports rank no countries; by the figures each gives, Niger's Working (% and population) (42.9) is higher "
        "than Senegal's (22.3).")
    ages = answer(("n", "Minimum Age for Work — Meets International Standards: No; Age: 14; Legislation: Article 106."),
                  ("b", "Minimum Age for Work — Meets International Standards: Yes; Age: 16; Legislation: Article 152."))
    assert "Niger's Minimum Age for Work (14) is lower than Burkina Faso's (16)" in ranked_lead(
        "Which country has the lowest minimum age for work?", lead, ages, docs)
    # shares of different age groups do not compare
    groups = answer(("n", "Attending School (%) — Age: 7 to 14; Percent: 48.0."),
                    ("s", "Attending School (%) — Age: 5 to 14; Percent: 53.0."))
    assert ranked_lead("Which country had the lowest school attendance?", lead, groups, docs) == lead


TURNS = ["How many labor inspectors did Mali have in 2019?", "And Niger?", "And Senegal?"]


@pytest.mark.parametrize("question, history, asked", [
    # it had been declined: no country named, and no topic of its own
    ("Which of these three had the most?", TURNS, "How many labor inspectors in 2019 in Mali, Niger and Senegal?"),
    ("Which of them had fewer labor inspections?", TURNS[:2], "How many labor inspections in 2019 in Mali and Niger?"),
    ("Which one had the highest?", ["What was Mali's labor inspectorate funding in 2019?", "What about Senegal?"],
     "What is the labor inspectorate funding in 2019 in Mali and Senegal?"),
])
def test_a_choice_among_the_conversations_countries_is_asked_of_each(question: str, history: list[str],
                                                                      asked: str) -> None:
    out = per_country(question, lambda: ["Mali", "Niger", "Senegal", "Burkina Faso"], history)
    assert isinstance(out, tuple) and out[0] == asked


def test_a_choice_in_a_conversation_on_one_country_is_no_choice_among_them() -> None:
    assert choice_among_earlier("Which of them had the most?", TURNS[:1]) is None
    assert choice_among_earlier("Which of these three had the most?", []) is None
    assert choice_among_earlier("How many did Senegal have?", TURNS) is None
