"""A list question whose plural head noun names a table's items ("Which social programs ...?",
"What sectors ...?") is answered with that table's rows, in its order (UnitCatalog.table_named,
Policy.table_list); a described row's sentences read the table's title as their context."""

from __future__ import annotations

from dataclasses import replace
import pytest

from qa.answer.features import list_items
from qa.answer.lexical import Overlap
from qa.answer.question import analyse
from qa.answer.scorers import UnitScorer
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.models import Answer, Chunk, Hit
from tests.answer.parts import report_answerer

DOC = "testreport-2019-niger"
LONG = ("a government program that aims to remove children who are begging from the streets of the capital and "
        "to place them in government-run shelters or return them to their homes, with the help of local NGOs")
REPORT = f"""2019 Findings on the Worst Forms of Child Labor: Niger

In 2019, Niger made a moderate advancement in efforts to eliminate the worst forms of child labor. (1)

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Niger herd cattle and work in gold mines. (1,2)

Table 2. Overview of Children's Work by Sector and Activity

Sector/Industry\tActivity
Agriculture\tHerding cattle and goats (1)
Industry\tMining gold and trona (2)
Services\tDomestic work (1)

VI. SOCIAL PROGRAMS TO ADDRESS CHILD LABOR

Table 10. Key Social Programs to Address Child Labor

Program\tDescription
Street Children Removal\tStreet Children Removal is {LONG}. (2) It is run by the social ministry to address child labor. (1)
Koranic School Reform\tKoranic School Reform is {LONG.replace("remove children who are begging", "register and inspect schools")}. (1)

REFERENCES

- 1 U.S. Embassy- Niamey. Reporting. January 10, 2020.
- 2 ILO. Gold mining study. 2019.
"""


@pytest.fixture(scope="module")
def ask(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    answerer, chunks = report_answerer(tmp_path_factory.mktemp("lists"), REPORT, DOC, "Niger")
    answerer.scoring = replace(answerer.scoring, abstain_below=0.2)  # the fake embedder's cosines mean nothing
    prose = [Hit(c, 1.0) for c in chunks if c.kind != "table-row"]  # retrieval found no row

    def run(question: str) -> Answer:
        return answerer.answer(question, prose, doc=DOC)
    return run


def test_the_plural_head_noun_names_the_items_of_a_list() -> None:
    assert list_items(analyse("Which social programs address child labor in Niger?")) == {"program"}
    assert list_items(analyse("What sectors do children work in?")) == {"sector"}
    # in the text layer's terms: British spelling read as the reports' American one
    assert list_items(analyse("What government-backed programmes does Niger run?")) == {"program"}
    assert not list_items(analyse("What kinds of industrial work do children do?"))  # a mass noun
    assert not list_items(analyse("Which ministry enforces labor laws?"))  # one thing asked


def test_a_table_named_by_the_items_asked_answers_with_its_rows_in_order(ask) -> None:  # type: ignore[no-untyped-def]
    lines = ask("What sectors do children work in in Niger?").answer.splitlines()
    assert len(lines) == 3, lines
    assert "Herding cattle" in lines[0] and "Mining gold" in lines[1] and "Domestic work" in lines[2]


def test_the_table_answers_only_when_its_title_says_more_of_the_question_than_the_noun(ask) -> None:  # type: ignore[no-untyped-def]
    # "programs" alone is in Table 10's title, "social programs ... child labor" more of it
    answer = ask("Which social programs address child labor in Niger?").answer
    assert "Street Children Removal" in answer and "Koranic School Reform" in answer
    # each item by its row's opening sentence, which says what it is, not by the sentence repeating
    # the question's words
    assert "Street Children Removal is a government program" in answer and "social ministry" not in answer
    assert "Street Children Removal" not in ask("Which programs does the ILO fund in gold mines?").answer


def test_a_word_of_the_question_few_rows_hold_picks_those_rows(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("Which social programs address child labor among Koranic schools in Niger?").answer
    assert "Koranic School Reform" in answer and "Street Children Removal" not in answer


def test_a_described_rows_sentence_reads_its_tables_title_as_context() -> None:
    text = "Street Children Removal: a government effort to take begging children off the streets."
    row = Chunk(id="d#t10/r0", doc_id="d", kind="table-row", section="VI",
                heading_path=("Table 10. Key Social Programs to Address Child Labor",), text=text, start=0,
                end=len(text), token_count=20, refs=(), sentences=())
    prose = replace(row, id="d#VI/p1", kind="paragraph", heading_path=("VI. OTHER",))
    scorer = UnitScorer(Scoring(), Overlap([text]), {})
    weight = scorer.overlap.weights(analyse("Which social programs address child labor?").terms)
    in_table = Unit("d#t10/r0#0", row, "sentence", (), text, "Street Children Removal")
    assert scorer.lexical(weight, in_table) > scorer.lexical(weight, Unit("d#VI/p1#0", prose, "sentence", (), text))
