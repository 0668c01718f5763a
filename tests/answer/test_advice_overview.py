"""A question asking what a report recommends, naming no topic, is answered with the report's
suggested actions, the first of each area (Overviews.advice); a topic goes to the scored units."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.models import Hit
from tests.answer.parts import report_answerer, report_asker

DOC = "testreport-2019-niger"
REPORT = """2019 Findings on the Worst Forms of Child Labor: Niger

In 2019, Niger made a moderate advancement in efforts to eliminate the worst forms of child labor. (1)

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Niger herd cattle and work in gold mines. (1,2)

II. SUGGESTED GOVERNMENT ACTIONS TO ELIMINATE THE WORST FORMS OF CHILD LABOR

Table 2. Suggested Government Actions to Eliminate Child Labor

Area\tSuggested Action\tYear(s) Suggested
Legal Framework\tRaise the minimum age for work to 15 to meet international standards.\t2015 – 2019
Enforcement\tPublish complete information on inspections, violations found and penalties imposed.\t2012 – 2019
Enforcement\tIncrease the number of labor inspectors to meet the ILO's technical advice.\t2016 – 2019
Social Programs\tIncrease access to education by building schools in rural areas.\t2010 – 2019

REFERENCES

- 1 U.S. Embassy- Niamey. Reporting. January 10, 2020.
- 2 ILO. Gold mining study. 2019.
"""


@pytest.fixture(scope="module")
def ask(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return report_asker(tmp_path_factory.mktemp("advice"), REPORT, DOC, "Niger")


@pytest.mark.parametrize("question", ["What are the recommendations for Niger?",
                                      "What does USDOL recommend the government do?",
                                      "What should Niger do about child labor?",
                                      # the reports' author named ("U.S." / "US"): no topic of its own
                                      "What did the U.S. Department of Labor recommend for Niger?",
                                      "What did the US government recommend for Niger?"])
def test_the_reports_suggested_actions_answer_one_line_per_area(ask, question: str) -> None:  # type: ignore[no-untyped-def]
    lines = ask(question).answer.splitlines()
    assert len(lines) == 3, lines  # Legal Framework, the first Enforcement action, Social Programs
    assert "Raise the minimum age for work to 15" in lines[0] and "Publish complete information" in lines[1]
    assert "Increase the number of labor inspectors" not in "\n".join(lines)
    assert "Increase access to education" in lines[2] and lines[2].endswith(f"[{DOC}]")


def test_a_topic_or_a_question_of_fact_is_scored_instead(ask) -> None:  # type: ignore[no-untyped-def]
    assert "Raise the minimum age" not in ask("Where do children in Niger herd cattle?").answer
    # (the fake embedder may well abstain there: what matters is that no area list comes back)
    assert "Raise the minimum age" not in ask("What does the report recommend on enforcement?").answer


@pytest.fixture(scope="module")
def ask_findings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Answers from the findings' passages only, as when retrieval ranks no suggested action."""
    answerer, chunks = report_answerer(tmp_path_factory.mktemp("findings"), REPORT, DOC, "Niger")
    # the fake embedder's cosines mean nothing: the bar is the words' to clear, and no unit comes
    # from the whole-report cosine search
    answerer.scoring = replace(answerer.scoring, abstain_below=0.3, nearest_units=0.0, rare_units=0.0)
    findings = [Hit(c, 1.0) for c in chunks if not any("SUGGESTED" in h.upper() for h in c.heading_path)]
    assert findings and len(findings) < len(chunks)
    return lambda question: answerer.answer(question, findings, doc=DOC)


def test_a_topic_asked_of_the_recommendations_is_found_in_their_table_though_retrieval_missed_it(
        ask_findings) -> None:  # type: ignore[no-untyped-def]
    answer = ask_findings("What does the report recommend on education?").answer
    assert "Increase access to education by building schools" in answer
    # a question of fact keeps to what retrieval found
    assert "Increase access to education" not in ask_findings("Do children in Niger go to school?").answer


def test_a_topic_asked_of_the_recommendations_lists_each_suggested_action_on_it(ask_findings) -> None:  # type: ignore[no-untyped-def]
    lines = ask_findings("What does the report recommend on enforcement?").answer.splitlines()
    # both actions of the Enforcement area, one line each; the others' area and words are not enforcement
    assert len(lines) == 2, lines
    assert any("Increase the number of labor inspectors" in x for x in lines)
    assert any("Publish complete information on inspections" in x for x in lines)
    assert not any("Raise the minimum age" in x or "education" in x for x in lines)


def test_a_list_question_asking_advice_lists_the_suggested_actions_though_they_cite_nothing(ask_findings) -> None:  # type: ignore[no-untyped-def]
    # a list in a report with a bibliography quotes cited units; the suggested actions cite none
    lines = ask_findings("Which actions on enforcement does the report recommend?").answer.splitlines()
    assert len(lines) == 2 and all("Suggested Action" in x for x in lines), lines
