"""The extractive answer stage on a small synthetic report, with the fake (hashed bag-of-words) embedder.

The report goes through the real parser and chunker (``parse_text`` -> ``chunk_document``), so the
Documents, table rows, citation groups and bibliography are exactly what the answerer sees in
production. Retrieval is stood in for by ranking chunks on the fake embedding, which keeps the test
independent of the index and fast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.answer.answerer import Answerer
from qa.index.chunk import chunk_document
from qa.ingest.citations import parse_markers
from qa.config import Settings
from qa.index.embed import FakeEmbedder
from qa.answer.llm import ABSTAIN_SENTENCE
from qa.models import Answer, Chunk, Citation, Document, DocumentMeta, Hit
from qa.ingest.parse import parse_text

REPORT_ID, ARTICLE_ID = "testreport-2019-mali", "test-article-kayes"

REPORT = """2019 Findings on Child Labor: Mali

In 2019, Mali made a moderate advancement in efforts to eliminate the worst forms of child labor. (1)

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Mali harvest cotton and rice in the southern regions. (2,3) Some children herd cattle and goats in the northern desert. (4) Children in artisanal gold mines carry heavy loads and handle mercury. (3,5-6)

A Malian child victim of sex trafficking was identified in Senegal and repatriated to Bamako. (1)

II. LABOR LAW ENFORCEMENT

In 2019, labor law enforcement agencies took actions to combat child labor (Table 1).

Table 1. Labor Law Enforcement Efforts Related to Child Labor

Overview of Labor Law Enforcement\t2018\t2019
Labor Inspectorate Funding\t$70,000 (2)\t$85,000 (4)
Number of Labor Inspectors\t109 (2)\t113 (4)
Number of Labor Inspections Conducted\tUnknown (2)\t671 (4,5)

III. COORDINATION

The National Unit to Fight Against Child Labor (CNLTE) coordinates national efforts against child labor. (6) The Clear Cotton Project is funded by the European Union and implemented by the International Labour Organization. (5)

REFERENCES

- 1 U.S. Embassy- Bamako. Reporting. January 10, 2020.
- 2 U.S. Embassy- Bamako. Reporting. February 23, 2019.
- 3 Human Rights Watch. Mali: Artisanal Mines Produce Gold with Child Labor. December 2011. https://www.hrw.org/news/2011/12/06/mali-artisanal-mines.
- 4 U.S. Embassy- Bamako. Reporting. February 14, 2020.
- 5 ILO. Clear Cotton Project Brief. 2019.
- 6 Government of Mali. National Action Plan. 2011.
"""

ARTICLE = """Workshop on child labour in Kayes

The Association of Working Children and Youth (AEJT) met in Kayes and Sikasso to discuss local development plans. The workshop was organised by the ACCEL Africa project.
"""

ARTICLE_META = dict(title="Workshop on child labour in Kayes", publisher="International Labour Organization",
                    published="2021-05-31", url="https://example.org/kayes")


class Corpus:
    """Documents, their chunks, a warmed-up Answerer and a retrieval stand-in."""

    def __init__(self, settings: Settings) -> None:
        self.report = parse_text(REPORT, DocumentMeta(
            id=REPORT_ID, path=f"{REPORT_ID}.txt", sha256="", title="2019 Findings on Child Labor: Mali",
            publisher="U.S. Department of Labor", kind="country-report", country="Mali", year=2019,
            published="2020-09-30"))
        self.article = parse_text(ARTICLE, DocumentMeta(
            id=ARTICLE_ID, path=f"{ARTICLE_ID}.txt", sha256="", kind="article", country="Mali", year=2021,
            **ARTICLE_META))
        self.documents: dict[str, Document] = {d.id: d for d in (self.report, self.article)}
        self.chunks: list[Chunk] = [c for d in self.documents.values() for c in chunk_document(d, settings)]
        self.embedder = FakeEmbedder()
        self.answerer = Answerer(settings, self.embedder, self.documents)
        self.answerer.warm_up(self.chunks)
        self._vectors = self.embedder.encode([c.embed_text for c in self.chunks])

    def hits(self, question: str, k: int = 6, doc: str | None = None) -> list[Hit]:
        scores = self._vectors @ self.embedder.encode([question])[0]
        order = np.argsort(-scores, kind="stable")
        return [Hit(self.chunks[i], float(scores[i])) for i in order if doc in (None, self.chunks[i].doc_id)][:k]

    def ask(self, question: str, doc: str | None = None) -> Answer:
        return self.answerer.answer(question, self.hits(question, doc=doc), doc=doc)

    def entry_citation(self, ref: int) -> Citation:
        entry = self.report.bibliography.get(ref)
        assert entry is not None
        return Citation(REPORT_ID, ref, entry.text, entry.url)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root: Path = tmp_path_factory.mktemp("answer")
    # explicit values beat any QA_* variable of the caller's environment: no LLM, no real model
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedder="fake", llm_base_url=None)
    return Corpus(settings)


def marker_numbers(answer: Answer) -> set[int]:
    return {n for _, _, numbers in parse_markers(answer.answer) for n in numbers}


def cited(answer: Answer) -> list[int | None]:
    return [c.ref for c in answer.citations]


# --- the synthetic corpus is what the tests assume ------------------------------------------------

def test_fixture_parses_as_intended(corpus: Corpus) -> None:
    assert len(corpus.report.bibliography) == 6 and len(corpus.article.bibliography) == 0
    (table,) = corpus.report.tables
    row = table.rows[1]
    assert row.label == "Number of Labor Inspectors"
    assert [(c.label, sorted(c.refs)) for c in row.cells] == [("2018", [2]), ("2019", [4])]
    kinds = {c.kind for c in corpus.chunks}
    assert {"paragraph", "table-row", "reference"} <= kinds


# --- table rows with year columns ---------------------------------------------------------------

@pytest.mark.parametrize(("question", "value", "other", "ref"), [
    ("How many labor inspectors did Mali have in 2019?", "113", "109", 4),
    ("How many labor inspectors did Mali have in 2018?", "109", "113", 2),
    ("What was the labor inspectorate funding in 2018?", "$70,000", "$85,000", 2),
])
def test_year_column_answers_with_that_years_cell_and_reference_only(
        corpus: Corpus, question: str, value: str, other: str, ref: int) -> None:
    answer = corpus.ask(question)
    assert not answer.abstained
    assert value in answer.answer and other not in answer.answer
    assert answer.citations == (corpus.entry_citation(ref),)
    assert marker_numbers(answer) == {ref}
    assert "#t1/r" in answer.sources[0].anchor


def test_headline_question_reads_naturally(corpus: Corpus) -> None:
    answer = corpus.ask("How many labor inspectors did Mali have in 2019?")
    assert answer.answer == "Number of Labor Inspectors: 113 in 2019 [4]."
    assert answer.sources[0].anchor == f"{REPORT_ID}#t1/r1"


def test_comparison_cites_each_years_reference(corpus: Corpus) -> None:
    answer = corpus.ask("How did the number of labor inspectors change from 2018 to 2019?")
    assert not answer.abstained
    assert "109 in 2018 [2]" in answer.answer and "113 in 2019 [4]" in answer.answer
    assert "increase of 4" in answer.answer
    assert cited(answer) == [2, 4]
    assert marker_numbers(answer) == {2, 4}


# --- sentences cite their own citation group ----------------------------------------------------

@pytest.mark.parametrize(("question", "fact", "refs"), [
    ("What do children in artisanal gold mines handle?", "mercury", [3, 5, 6]),
    ("Which animals do children herd in the northern desert?", "cattle", [4]),
    ("Who funds the Clear Cotton Project?", "European Union", [5]),
])
def test_sentence_cites_exactly_its_own_group(corpus: Corpus, question: str, fact: str, refs: list[int]) -> None:
    answer = corpus.ask(question)
    assert not answer.abstained
    assert fact in answer.answer
    assert cited(answer) == refs
    assert marker_numbers(answer) == set(refs)
    # the passage holds other groups too: the answer did not just cite the whole chunk
    (source,) = answer.sources
    assert set(refs) < set(source.refs)


def test_citations_carry_the_bibliography_entry(corpus: Corpus) -> None:
    answer = corpus.ask("What do children in artisanal gold mines handle?")
    first = answer.citations[0]
    assert first.ref == 3
    assert first.text.startswith("Human Rights Watch. Mali: Artisanal Mines Produce Gold")
    assert first.url == "https://www.hrw.org/news/2011/12/06/mali-artisanal-mines"


# --- bibliography look-ups ----------------------------------------------------------------------

@pytest.mark.parametrize(("question", "ref"), [
    ("What is reference 3?", 3),
    ("Which source is cited as 4 in the report?", 4),
    ("[6]", 6),
])
def test_reference_lookup_answers_with_the_entry(corpus: Corpus, question: str, ref: int) -> None:
    answer = corpus.ask(question)
    entry = corpus.report.bibliography.get(ref)
    assert entry is not None
    assert not answer.abstained
    assert entry.text in answer.answer and answer.answer.endswith(f"[{ref}]")
    assert answer.citations == (corpus.entry_citation(ref),)
    assert [(s.anchor, s.refs) for s in answer.sources] == [(f"{REPORT_ID}#ref{ref}", (ref,))]


def test_reference_lookup_works_whatever_was_retrieved(corpus: Corpus) -> None:
    answer = corpus.answerer.answer("What is reference 2?", [])
    assert answer.citations == (corpus.entry_citation(2),)


def test_reference_beyond_the_bibliography_abstains(corpus: Corpus) -> None:
    answer = corpus.ask("What is reference 99?")
    assert answer.abstained and answer.citations == ()
    # declined, saying why: the number is outside the bibliography
    assert answer.answer.startswith(ABSTAIN_SENTENCE + " No indexed report has a reference 99 (")


# --- abstention -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "What is the minimum working age in Ghana?",
    "What is the capital of France?",
])
def test_country_no_document_covers_abstains(corpus: Corpus, question: str) -> None:
    hits = corpus.hits(question)
    answer = corpus.answerer.answer(question, hits)
    assert answer.abstained
    assert answer.answer == "The indexed reports do not answer this."
    assert answer.citations == ()
    # the nearest passages are still shown
    assert [s.anchor for s in answer.sources] == [h.chunk.id for h in hits[:3]]


def test_year_the_table_does_not_have_abstains(corpus: Corpus) -> None:
    answer = corpus.ask("How many labor inspectors did Mali have in 2017?")
    assert answer.abstained and answer.citations == ()
    assert answer.answer == ABSTAIN_SENTENCE
    assert "2017" in answer.extra["reason"]


def test_nothing_retrieved_abstains(corpus: Corpus) -> None:
    answer = corpus.answerer.answer("How many labor inspectors did Mali have in 2019?", [])
    assert answer.abstained and answer.sources == () and answer.citations == ()


def test_unrelated_question_abstains_on_a_low_score(corpus: Corpus) -> None:
    answer = corpus.ask("What is the boiling point of water at sea level?")
    assert answer.abstained and answer.citations == ()
    assert answer.extra["reason"].startswith("best passage score")


def test_foreign_country_the_report_mentions_is_answered(corpus: Corpus) -> None:
    answer = corpus.ask("Was a Malian child victim of sex trafficking identified in Senegal?")
    assert not answer.abstained
    assert cited(answer) == [1]


# --- a document without a bibliography ------------------------------------------------------------

def test_document_without_bibliography_is_cited_as_the_document(corpus: Corpus) -> None:
    answer = corpus.ask("Which project organised the workshop?", doc=ARTICLE_ID)
    assert not answer.abstained
    assert "ACCEL Africa" in answer.answer
    label = "Workshop on child labour in Kayes, International Labour Organization, 2021-05-31"
    assert answer.citations == (Citation(ARTICLE_ID, None, label, "https://example.org/kayes"),)
    assert answer.answer.endswith(f"[{ARTICLE_ID}].")
    assert marker_numbers(answer) == set()
    assert all(s.doc == ARTICLE_ID and s.refs == () for s in answer.sources)


def test_publication_date_comes_from_the_catalog(corpus: Corpus) -> None:
    answer = corpus.ask("When was the article published?", doc=ARTICLE_ID)
    assert "31 May 2021" in answer.answer
    assert cited(answer) == [None] and answer.citations[0].doc == ARTICLE_ID


# --- the Answer object ----------------------------------------------------------------------------

def test_answer_json_shape(corpus: Corpus) -> None:
    data = corpus.ask("How many labor inspectors did Mali have in 2019?").to_json()
    assert {"answer", "citations", "sources", "abstained", "confidence"} <= set(data)
    assert isinstance(data["answer"], str) and data["abstained"] is False
    assert isinstance(data["confidence"], float) and 0.0 < data["confidence"] <= 1.0
    entry_4 = "U.S. Embassy- Bamako. Reporting. February 14, 2020."
    assert data["citations"] == [{"doc": REPORT_ID, "ref": 4, "label": "4", "text": entry_4,
                                  "url": None}]
    (source,) = data["sources"]
    assert set(source) == {"doc", "anchor", "section", "text", "score", "refs"}
    assert source["doc"] == REPORT_ID and source["anchor"] == f"{REPORT_ID}#t1/r1"
    assert source["section"] == "Table 1. Labor Law Enforcement Efforts Related to Child Labor"
    assert "2019: 113 [4]" in source["text"] and source["refs"] == [2, 4]
    assert isinstance(source["score"], float)


def test_abstained_json_shape(corpus: Corpus) -> None:
    data = corpus.ask("What is the minimum working age in Ghana?").to_json()
    assert data["abstained"] is True and data["citations"] == [] and data["sources"]
    assert data["answer"] == ABSTAIN_SENTENCE
    assert 0.0 <= data["confidence"] <= 1.0


@pytest.mark.parametrize("question", [
    "How many labor inspectors did Mali have in 2019?",
    "How did the number of labor inspectors change from 2018 to 2019?",
    "What do children in artisanal gold mines handle?",
    "Who funds the Clear Cotton Project?",
    "What does the CNLTE coordinate?",
    "What crops do children harvest in the southern regions?",
    "How many labor inspections were conducted in 2019?",
    "What is reference 5?",
])
def test_every_citation_is_backed_by_a_source_and_a_marker(corpus: Corpus, question: str) -> None:
    answer = corpus.ask(question)
    assert not answer.abstained, answer.extra
    backed = {r for s in answer.sources for r in s.refs}
    numbers = [c.ref for c in answer.citations if c.ref is not None]
    assert numbers and set(numbers) <= backed
    assert all(1 <= n <= len(corpus.report.bibliography) for n in numbers)
    assert marker_numbers(answer) == set(numbers)
    assert len(numbers) == len(set(numbers))  # each reference listed once


def test_answerer_resolves_followups(corpus: Corpus) -> None:
    history = ["How many labor inspectors did Mali have in 2019?"]
    standalone = corpus.answerer.resolve("And in 2018?", history)
    assert standalone == "How many labor inspectors did Mali have in 2018?"
    answer = corpus.ask(standalone)
    assert "109" in answer.answer and cited(answer) == [2]


def test_a_unit_found_only_by_the_unit_search_does_not_make_a_question_answerable(corpus: Corpus) -> None:
    # the herding sentence is the report's unit nearest the question, but retrieval found only the
    # coordination paragraph: whether the reports answer is for retrieval to show
    question = "Which animals do children herd in the northern desert?"
    coordination = next(c for c in corpus.chunks if "CNLTE" in c.text and c.kind == "paragraph")
    answer = corpus.answerer.answer(question, [Hit(coordination, 1.0)])
    assert answer.abstained and answer.extra["reason"].startswith("best retrieved passage score")
    assert answer.extra["best_score"] >= corpus.answerer.scoring.abstain_below  # the nearest unit alone would pass
    herding = next(c for c in corpus.chunks if "herd cattle" in c.text)
    found = corpus.answerer.answer(question, [Hit(coordination, 1.0), Hit(herding, 0.9)])
    assert not found.abstained and "cattle and goats" in found.answer
    # retrieved below the pool the answerer reads: the unit search brings the sentence back, and
    # retrieval did find its passage, so it may answer
    deeper = corpus.answerer.answer(question, [Hit(coordination, 1.0)],
                                    retrieved=[Hit(coordination, 1.0), Hit(herding, 0.9)])
    assert not deeper.abstained and "cattle and goats" in deeper.answer
