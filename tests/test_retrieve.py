"""Hybrid retrieval on a hand-made corpus with the fake embedder: rankings checkable by hand."""

from __future__ import annotations

import pytest

from qa.ingest.acronyms import expand_query, extract_acronyms, question_acronyms, spelled_out
from qa.config import Settings
from qa.index.embed import FakeEmbedder
from qa.errors import DocumentNotFound, InvalidInput, NotReady
from qa.models import Chunk
from qa.answer.retrieve import Retriever, rrf, with_answer_word
from qa.index.store import build_index
from qa.text.textmatch import matches, passage_contains


@pytest.fixture
def retriever(settings: Settings, hand_corpus, no_network) -> Retriever:  # type: ignore[no-untyped-def]
    documents, chunker = hand_corpus
    build_index(settings, documents, FakeEmbedder(), progress=False, chunker=chunker)
    return Retriever(settings, FakeEmbedder()).load()


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.chunk.id for h in hits]


def test_rrf_by_hand() -> None:
    fused = rrf([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[2] == pytest.approx(1 / 62)
    assert sorted(fused, key=lambda r: -fused[r]) == [1, 3, 2]


@pytest.mark.parametrize("query, searched", [
    ("How old do you have to be to get a job?", "How old do you have to be to get a job? (age)"),
    # the word is there already, or no age is asked: as written
    ("What is the minimum age for work?", "What is the minimum age for work?"),
    ("How many labor inspectors are there?", "How many labor inspectors are there?"),
])
def test_an_age_asked_without_the_word_is_searched_with_it(query: str, searched: str) -> None:
    assert with_answer_word(query) == searched


def test_both_retrievers_agree_on_the_obvious_passage(retriever: Retriever) -> None:
    hits = retriever.search("How many labor inspectors did Mali have?", k=3)
    top = hits[0]
    assert top.chunk.id == "report#I/p0"
    assert top.dense_score is not None and top.bm25_score is not None and top.bm25_score > 0
    assert top.dense_score == pytest.approx(max(h.dense_score or -1 for h in hits))
    assert hits[0].score > hits[1].score


def test_fused_ranking_and_filters(retriever: Retriever) -> None:
    # both name "cotton" once; the shorter report paragraph wins on both cosine (1/sqrt(8) vs
    # 1/sqrt(11) with the bag-of-words embedder) and BM25 length normalisation
    assert ids(retriever.search("cotton", k=2)) == ["report#I/p1", "article#I/p0"]
    assert ids(retriever.search("cotton", k=5, doc="article"))[0] == "article#I/p0"
    assert {h.chunk.doc_id for h in retriever.search("cotton", k=10, doc="article")} == {"article"}
    assert {h.chunk.doc_id for h in retriever.search("cotton", k=10, kind="article")} == {"article"}
    assert {h.chunk.doc_id for h in retriever.search("cotton", k=10, year=2019)} == {"report"}
    assert retriever.search("cotton", k=10, country="France") == []
    assert len(retriever.search("cotton", k=10, country="mali")) == 7


def test_unknown_document_and_bad_queries(retriever: Retriever, settings: Settings) -> None:
    with pytest.raises(DocumentNotFound):
        retriever.search("cotton", doc="nope")
    with pytest.raises(InvalidInput):
        retriever.search("   ")
    with pytest.raises(NotReady):
        Retriever(settings, FakeEmbedder()).search("cotton")


def test_acronyms_are_extracted_at_index_time_and_expand_queries_both_ways(retriever: Retriever) -> None:
    acronyms = retriever.acronyms()
    assert acronyms == {"CNLTE": ["National Unit to Fight Against Child Labor"]}
    # the acronym finds a passage that only uses the long form, and vice versa
    assert expand_query("CNLTE funding", acronyms) == "CNLTE funding (National Unit to Fight Against Child Labor)"
    assert expand_query("what does the national unit to fight against child labor do", acronyms).endswith("(CNLTE)")
    top = retriever.search("What is the CNLTE?", k=1)[0]
    assert top.chunk.id == "report#I/p2"


def test_acronym_extraction_rules() -> None:
    found = extract_acronyms([
        "the Ministry for the Promotion of Women, Children, and the Family (MPFEF) and the "
        "Arab Movement of Azawad, and Tuareg Imghad and Allies Self-Defense Group (GATIA). "
        "In 2019 (2019) nothing (x). The International Labour Office (ILO) said."
    ])
    assert found == {
        "MPFEF": ["Ministry for the Promotion of Women, Children, and the Family"],
        "GATIA": ["Tuareg Imghad and Allies Self-Defense Group"],
        "ILO": ["International Labour Office"],
    }


def test_an_acronym_the_corpus_only_spells_out_gains_its_words(retriever: Retriever) -> None:
    # a name's first words spell it as well ("DDR program" for "Disarmament, Demobilization, and
    # Reintegration Program"); nothing spells XQZ
    assert retriever.expanded("Where does the XQZ work?") == "Where does the XQZ work?"
    assert retriever.expanded("Where does the NUF work?").endswith("(National Unit to Fight)")
    assert retriever.expanded("What does the NUFACL do?").endswith("(National Unit to Fight Against Child Labor)")
    assert retriever.expanded("Is the CNLTE funded?") == expand_query("Is the CNLTE funded?", retriever.acronyms())
    top = retriever.search("What does the NUFACL lack?", k=1)[0]
    assert top.chunk.id in {"report#I/p2", "report#I/p3"}


def test_spelled_out_rules() -> None:
    texts = ["The Worst Forms of Child Labor are banned.", "the worst forms of child labor persist",
             "Disarmament, Demobilization, and Reintegration Program", "children harvest rice"]
    assert spelled_out("WFCL", texts) == "Worst Forms of Child Labor"  # a name wins over a phrase
    assert spelled_out("DDR", texts) == "Disarmament, Demobilization, and Reintegration"
    assert spelled_out("CHR", texts) is None  # a lower-case run seen once is chance
    assert spelled_out("CHR", texts * 2) == "children harvest rice"
    assert question_acronyms("What did the DDR programme and the DDRs cost?") == ["DDR"]
    assert question_acronyms("WHAT DID THE DDR COST?") == []  # typed in capitals: no word stands out


def test_reference_lookup_goes_first(retriever: Retriever) -> None:
    assert retriever.search("What is reference 4?", k=1)[0].chunk.id == "report#ref4"
    assert retriever.search("What is reference 99?", k=1)[0].chunk.id != "report#ref99"


def test_views(retriever: Retriever) -> None:
    assert retriever.chunk_counts() == {"report": 5, "article": 2}
    assert len(retriever.chunks()) == 7
    status = retriever.status()
    assert status["chunks"] == 7 and status["model_id"] == "fake-hashed-bow-256" and "stale" in status


def _chunk(text: str, context: str = "") -> Chunk:
    return Chunk("d#p0", "d", "table-row", "III", (), text, 0, len(text), 5, frozenset(), (), context=context)


def test_textmatch() -> None:
    assert matches("Mali had 113 inspectors", "113")
    assert not matches("Mali had 1130 inspectors", "113")
    assert matches("Six children", "six | 6") and matches("6 children", "six | 6")
    assert matches("allocated $350,000 to", "$350,000")
    assert matches("Code   Pénal\nLoi", "code pénal")
    assert not matches("sixty", "six")
    row = _chunk("Number of Labor Inspectors\t109 (68)\t113 (4)", "Table 6. Labor Law Enforcement | 2018 | 2019")
    assert passage_contains(row, ["113", "labor law enforcement"])
    assert not passage_contains(row, ["113", "cotton"])
    assert not passage_contains(row, [])


@pytest.mark.slow
def test_real_model_finds_the_inspectors_table_row(monkeypatch: pytest.MonkeyPatch, tmp_path, no_network) -> None:  # type: ignore[no-untyped-def]
    from qa.config import PROJECT_ROOT
    from qa.ingest.corpus import load_corpus

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = Settings(corpus_dir=PROJECT_ROOT / "corpus", index_dir=tmp_path, embedder="sentence-transformers")
    retriever = Retriever(settings)
    build_index(settings, load_corpus(settings), retriever.embedder, progress=False)
    hits = retriever.load().search("How many labor inspectors did Mali have in 2019?", k=3)
    rows = [h.chunk for h in hits if h.chunk.kind == "table-row" and "Number of Labor Inspectors" in h.chunk.text]
    assert rows and rows[0].id.startswith("usdol-2019-mali#t6/")


def test_a_how_many_question_lifts_the_passage_stating_that_count(settings: Settings, hand_corpus, no_network) -> None:  # type: ignore[no-untyped-def]
    # "Inspectors visited schools in Sikasso." shares more of the question's words; only "Mali had
    # 113 labor inspectors" states a count of inspectors, and the answer type's ranking lifts it
    documents, chunker = hand_corpus
    build_index(settings, documents, FakeEmbedder(), progress=False, chunker=chunker)
    question = "How many inspectors visited schools in Sikasso?"
    off = Retriever(settings.model_copy(update={"count_fusion": 0.0}), FakeEmbedder()).load()
    on = Retriever(settings, FakeEmbedder()).load()
    assert settings.count_fusion > 0
    assert ids(off.search(question, k=2)) == ["article#I/p1", "report#I/p0"]
    assert ids(on.search(question, k=2)) == ["report#I/p0", "article#I/p1"]
    # a question asking no count is left alone
    assert ids(on.search("Which inspectors visited schools in Sikasso?", k=1)) == ["article#I/p1"]
