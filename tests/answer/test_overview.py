"""Overview and list questions end to end on the small parsed report of tests/test_answer.py."""

from __future__ import annotations

import pytest

from qa.answer.question import analyse, is_listing
from qa.config import Settings
from tests.test_answer import REPORT_ID, Corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("overview")
    return Corpus(Settings(corpus_dir=root, index_dir=root, embedder="fake", llm_base_url=None))


@pytest.mark.parametrize(("question", "listing"), [
    ("Which goods are produced with child labor?", True),
    ("What sectors does the project focus on?", True),
    ("What hazardous tasks do children perform?", True),
    ("List the agencies that coordinate efforts.", True),
    ("What kinds of work do children do?", True),
    ("Which ministry leads the committee?", False),  # "leads" is a verb after a singular noun
    ("What toxic substance do children use?", False),
    ("What is the budget of the labor inspectorate?", False),
])
def test_list_questions_are_read_from_their_form(question: str, listing: bool) -> None:
    assert is_listing(question.lower()) is listing


@pytest.mark.parametrize("question", ["Summarize the findings on Mali", "What are the key findings of the report?",
                                      "Give me an overview of the report"])
def test_overview_questions(question: str) -> None:
    assert analyse(question).overview


def test_an_overview_quotes_the_reports_opening_with_its_references(corpus: Corpus) -> None:
    answer = corpus.ask("Summarize the findings of the report", doc=REPORT_ID)
    assert not answer.abstained
    assert answer.answer.startswith("In 2019, Mali made a moderate advancement")
    assert [c.ref for c in answer.citations] == [1]  # the opening sentence's own group "(1)"


def test_an_uncited_opening_cites_the_report_itself(corpus: Corpus) -> None:
    article = corpus.ask("Give me an overview of the workshop article", doc="test-article-kayes")
    assert not article.abstained and [c.ref for c in article.citations] == [None]
    assert "[test-article-kayes]" in article.answer


def test_a_list_answer_gives_one_line_per_unit_each_with_its_own_references(corpus: Corpus) -> None:
    from qa.answer.scorers import Scored

    para = next(c for c in corpus.chunks if "herd cattle" in c.text)
    units = [u for u in corpus.answerer.catalog.units(para) if "cotton" in u.text or "cattle" in u.text]
    answer = corpus.answerer.writer.compose(analyse("Which animals and crops do children work with?"),
                                            [[Scored(u, 0.9) for u in units]], label=False)
    assert answer.answer.splitlines() == [
        "- Children in Mali harvest cotton and rice in the southern regions [2, 3].",
        "- Some children herd cattle and goats in the northern desert [4]."]
    assert [c.ref for c in answer.citations] == [2, 3, 4]


SUMMARISED = """2019 Findings on Child Labor: Mali

In 2019, Mali made a moderate advancement in efforts to eliminate the worst forms of child labor. However, children in Mali engage in the worst forms of child labor, including in hereditary slavery.

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Mali engage in the worst forms of child labor, including in hereditary slavery and mining. (1,2) Some children herd cattle in the north. (3)

REFERENCES

- 1 U.S. Embassy- Bamako. Reporting. January 10, 2020.
- 2 U.S. Embassy- Bamako. Reporting. February 23, 2019.
- 3 Human Rights Watch. Mali. December 2011.
"""


def test_an_uncited_opening_sentence_is_quoted_as_the_cited_body_sentence_restating_it() -> None:
    from qa.answer.overview import Overviews
    from qa.index.chunk import chunk_document
    from qa.ingest.parse import parse_text
    from qa.models import DocumentMeta

    doc = parse_text(SUMMARISED, DocumentMeta(id="sum-2019-mali", path="sum-2019-mali.txt", sha256="",
                                              kind="country-report", country="Mali", year=2019))
    chunks = chunk_document(doc, Settings(embedder="fake"))
    units = Overviews({doc.id: doc}, chunks).opening([], doc.id)
    texts = [u.text for u in units]
    # the assessment has no restatement: quoted as it stands, uncited
    assert texts[0].startswith("In 2019, Mali made a moderate advancement") and units[0].uncited
    # the summary of the worst forms is quoted as the body's cited sentence, with its references
    assert texts[1].startswith("Children in Mali engage in the worst forms of child labor, including in hereditary "
                               "slavery and mining")
    assert sorted(units[1].sentences[0].refs) == [1, 2]
    assert len(units) == 2  # the body's other sentence restates nothing in the opening


@pytest.mark.parametrize(("question", "topic"), [
    ("What does the report say about education in Niger?", ["education"]),
    ("What did the 2020 edition find about forced begging?", ["forced", "begging"]),
    ("Summarize the findings on Mali.", []),
    ("Give me an overview of the Mali report.", []),
    # a sentence of context before a dash names no topic; the asked clause still may
    ("I've got five minutes before a meeting — what are the main findings on Mali?", []),
    ("Writing for a donor: what does the report say about education?", ["education"]),
    ("What does the report cover on forced begging?", ["forced", "begging"]),
    ("What did the 2020 edition mention about mercury?", ["mercury"]),
])
def test_an_overview_question_names_its_topic_apart_from_the_report(question: str, topic: list[str]) -> None:
    from qa.answer.question import topic_words

    info = analyse(question)
    assert info.overview and topic_words(info) == topic


def test_a_topic_in_the_reports_title_asks_for_the_whole_report() -> None:
    from qa.answer.overview import about_report

    class Doc:
        class meta:  # noqa: N801 - a stand-in for DocumentMeta
            title = "2019 Findings on the Worst Forms of Child Labor: Mali"

    assert about_report(["child", "labor"], Doc()) and about_report([], Doc())  # type: ignore[arg-type]
    assert not about_report(["education"], Doc())  # type: ignore[arg-type]


def test_an_overview_of_a_topic_quotes_the_units_on_it_not_the_opening(corpus: Corpus) -> None:
    answer = corpus.ask("What does the report say about cattle herding?", doc=REPORT_ID)
    assert not answer.abstained
    assert "cattle" in answer.answer and not answer.answer.startswith("In 2019, Mali made")
    assert 4 in [c.ref for c in answer.citations]


@pytest.mark.parametrize("question", ["Give me the gist of the Mali report.",
                                      "Can you give me a short rundown of the report's conclusions?",
                                      "What are the highlights of the 2019 report?"])
def test_other_words_for_a_summary_ask_for_the_whole_report(question: str) -> None:
    from qa.answer.question import topic_words

    info = analyse(question)
    assert info.overview and topic_words(info) == []


def test_a_summary_is_of_the_document_most_retrieved_passages_come_from() -> None:
    from qa.answer.overview import summarised
    from qa.models import Hit
    from tests.answer.parts import chunk

    def hits(*docs: str) -> list[Hit]:
        return [Hit(chunk(f"p{i}", [("Text.", set())], doc=d), 1.0 - i / 10) for i, d in enumerate(docs)]

    # a news article's opening ranks first, the country report holds most passages: the report
    assert summarised(hits("article", "article", "report", "report", "report")) == "report"
    # a tie goes to the best-ranked document
    assert summarised(hits("article", "report", "report", "article")) == "article"
    assert summarised([]) is None
