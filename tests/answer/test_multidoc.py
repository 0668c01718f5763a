"""Several per-country or per-edition answers combined into one, a heading each."""

from __future__ import annotations

import pytest

from qa.answer.multidoc import combine
from qa.models import Answer

DECLINE = "The indexed reports do not answer this."


def test_a_part_answered_from_several_reports_is_indented_under_its_heading() -> None:
    # "How did the number of labor inspectors change between the 2018 and 2019 editions?" over six
    # reports read "2018: ... [Mali 2018: 33].\n2019: Niger 2019: ... [Niger 2019: 5].\nMali 2019: ...":
    # the Mali 2019 line looked like a third part, and "2019: Niger 2019:" like one report
    one = Answer("Number of Labor Inspectors: 109 in 2018 [Mali 2018: 33].", (), (), False, 0.7)
    two = Answer("Niger 2019: 51 in 2019 [Niger 2019: 5].\nMali 2019: 113 in 2019 [Mali 2019: 4].", (), (), False, 0.8)
    combined = combine([("2018", one), ("2019", two)], DECLINE)
    assert combined.answer.splitlines() == [
        "2018: Number of Labor Inspectors: 109 in 2018 [Mali 2018: 33].",
        "2019:",
        "  Niger 2019: 51 in 2019 [Niger 2019: 5].",
        "  Mali 2019: 113 in 2019 [Mali 2019: 4].",
    ]
    assert not combined.abstained and combined.confidence == 0.7


def test_a_declined_part_says_so_on_its_line() -> None:
    declined = Answer(DECLINE, (), (), True, 0.9, extra={"reason_text": "No indexed report covers Ghana."})
    answered = Answer("113 in 2019 [Mali 2019: 4].", (), (), False, 0.8)
    combined = combine([("Mali", answered), ("Ghana", declined)], DECLINE)
    assert combined.answer == "Mali: 113 in 2019 [Mali 2019: 4].\nGhana: No indexed report covers Ghana."


def test_a_country_filter_leaving_out_the_country_asked_about_is_declined_saying_so() -> None:
    from qa.answer.multidoc import unmatched_answer
    from qa.answer.scope import DocInfo, decide_scope

    docs = [DocInfo("mali-2019", "Mali", 2019, "country-report"), DocInfo("niger-2019", "Niger", 2019, "country-report")]
    scope = decide_scope("How many labor inspectors did Mali have in 2019?", [], docs, country="Niger")
    declined = unmatched_answer(scope, docs)
    assert declined is not None and declined.abstained and not declined.citations
    assert declined.answer == f"{DECLINE} The question is about Mali; the country filter allows only Niger."
    assert unmatched_answer(decide_scope("How many labor inspectors?", [], docs, country="Niger"), docs) is None


def test_an_article_s_year_is_no_edition_of_a_report() -> None:
    # an ILO article about Mali (2021) made "the indexed Mali reports are the 2019 and 2021 editions"
    from qa.answer.multidoc import unmatched_answer
    from qa.answer.scope import DocInfo, decide_scope

    docs = [DocInfo("mali-2019", "Mali", 2019, "country-report"), DocInfo("ilo-2021", "Mali", 2021, "article"),
            DocInfo("note-2017", "Ghana", 2017, "article")]
    declined = unmatched_answer(decide_scope("Who chairs the CNLTE?", [], docs, country="Mali", year=2018), docs)
    assert declined is not None and declined.answer.endswith(
        "No indexed report is the 2018 edition for Mali; the indexed Mali reports are the 2019 edition.")
    anywhere = unmatched_answer(decide_scope("Who chairs the CNLTE?", [], docs, year=2015), docs)
    assert anywhere is not None and anywhere.answer.endswith("the indexed reports are the 2019 edition.")
    # a country with articles only: their years, rather than "no edition"
    ghana = unmatched_answer(decide_scope("Who works?", [], docs, country="Ghana", year=2018), docs)
    assert ghana is not None and ghana.answer.endswith("the indexed Ghana reports are the 2017 edition.")


def test_a_named_country_without_a_report_is_said_beside_the_answer_for_the_one_with() -> None:
    from qa.answer.multidoc import with_unindexed_note
    from qa.answer.scope import DocInfo, decide_scope

    docs = [DocInfo("mali-2019", "Mali", 2019, "country-report")]
    scope = decide_scope("How many labor inspectors did Mali and Ghana have in 2019?", [], docs)
    answered = Answer("Number of Labor Inspectors: 113 in 2019 [4].", (), (), False, 0.8)
    noted = with_unindexed_note(answered, scope)
    assert noted.answer.splitlines() == ["Number of Labor Inspectors: 113 in 2019 [4].", "No indexed report covers Ghana."]
    declined = Answer(DECLINE, (), (), True, 0.3, extra={"reason_text": "no passage speaks of 2019."})
    assert with_unindexed_note(declined, scope).extra["reason_text"].endswith("No indexed report covers Ghana.")
    only_mali = decide_scope("How many labor inspectors did Mali have in 2019?", [], docs)
    assert with_unindexed_note(answered, only_mali) is answered


def test_a_question_about_the_indexed_editions_lists_them() -> None:
    from qa.answer.multidoc import editions_answer
    from qa.answer.scope import DocInfo, decide_scope

    docs = [DocInfo("mali-2018", "Mali", 2018, "country-report"), DocInfo("mali-2020", "Mali", 2020, "country-report"),
            DocInfo("niger-2019", "Niger", 2019, "country-report"), DocInfo("ilo-2021", "Mali", 2021, "article")]

    def ask(question: str) -> str | None:
        answer = editions_answer(question, decide_scope(question, [], docs), docs)
        return None if answer is None else answer.answer

    assert ask("Which editions of the Mali report are indexed?") == (
        "Indexed country reports:\nMali: the 2018 and 2020 editions (mali-2018, mali-2020)")
    assert ask("What is the latest edition for Mali?") == "Indexed country reports:\nMali: the 2020 edition (mali-2020)"
    assert ask("Which reports do you have?").splitlines()[1:] == [  # type: ignore[union-attr]
        "Mali: the 2018 and 2020 editions (mali-2018, mali-2020)", "Niger: the 2019 edition (niger-2019)"]
    # asked for a list of the countries covered: it was declined ("The indexed reports do not answer this.")
    for question in ("List the countries whose reports are indexed", "Which countries' reports do you have?",
                     "Show all the country reports available"):
        assert ask(question).splitlines()[1:] == [  # type: ignore[union-attr]
            "Mali: the 2018 and 2020 editions (mali-2018, mali-2020)", "Niger: the 2019 edition (niger-2019)"], question
    # "documents": it was answered with a bibliography entry (the Mali constitution); articles are listed too
    assert ask("Which documents are indexed?").splitlines()[1:] == [  # type: ignore[union-attr]
        "Mali: the 2018 and 2020 editions (mali-2018, mali-2020)", "Niger: the 2019 edition (niger-2019)",
        "Other documents: ilo-2021"]
    # a question about what a report says is no such question
    assert ask("What does the latest Mali report say about mining?") is None
    assert ask("Which documents mention mining?") is None
    assert ask("List the countries whose reports mention cocoa") is None
    # a follow-up naming an edition puts the earlier question to it; it was answered with the listing
    history = ["What does the 2018 Mali report say about the number of labor inspectors?"]
    question = "And the 2020 report?"
    assert editions_answer(question, decide_scope(question, history, docs), docs, history) is None
    assert ask("How many labor inspectors did Mali have?") is None


@pytest.mark.parametrize("question, country, asked", [
    # each country's line asks the question of that country alone, without the comparing words
    ("How do the legal working ages of Senegal and Burkina Faso compare?", "Senegal",
     "What are the legal working ages of Senegal?"),
    ("How do Niger and Senegal compare on labour inspector numbers for 2019?", "Senegal",
     "What are labour inspector numbers for 2019 in Senegal?"),
    ("How many labor inspectors did Mali and Niger have in 2019?", "Mali", "How many labor inspectors did Mali have in 2019?"),
    ("What is the minimum age for work in Senegal, Niger and Burkina Faso?", "Niger", "What is the minimum age for work in Niger?"),
    ("How many labor inspectors did Mali have compared to Niger?", "Mali", "How many labor inspectors did Mali have?"),
    # one country or none: as asked
    ("How many labor inspectors did Mali have?", "Mali", "How many labor inspectors did Mali have?"),
    ("Compare the two editions' inspector counts.", "Mali", "Compare the two editions' inspector counts."),
    # a yes/no question setting figures side by side asks each part's figure, editions as countries
    ("Were more labour inspections carried out in Mali according to the 2019 report or the 2020 report?", "Mali",
     "How many labour inspections carried out in Mali according to the 2019 report or the 2020 report?"),
    ("Was more money spent on education in Mali or Niger?", "Niger", "How much money spent on education in Niger?"),
    # one country's editions compared: each edition's line asks the figure (its scope holds the edition)
    ("How does the share of working children in Mali differ between the 2018 report and the 2020 report?", "Mali",
     "What are the share of working children in Mali?"),
    ("How does Mali's inspector count compare in the 2018 and 2020 editions?", "Mali", "What are Mali's inspector count?"),
])
def test_a_countrys_line_asks_of_that_country_alone(question: str, country: str, asked: str) -> None:
    from qa.answer.multidoc import part_question

    assert part_question(question, country) == asked
