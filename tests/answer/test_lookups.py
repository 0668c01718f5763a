"""Look-up answers: how they name a report."""

from __future__ import annotations

from qa.answer.lookups import _title_in_sentence


def test_a_fallback_title_reads_with_its_article() -> None:
    assert _title_in_sentence("Mali 2018 country report") == "the Mali 2018 country report"
    assert _title_in_sentence("2019 Findings on the Worst Forms of Child Labor: Niger") == \
        "2019 Findings on the Worst Forms of Child Labor: Niger"


def _rated(country: str, level: str):  # type: ignore[no-untyped-def]
    from qa.models import Document, DocumentMeta

    meta = DocumentMeta(id=f"r-{country}", path="", sha256="", kind="country-report", country=country, year=2019,
                        level=level)
    return Document(meta, "", (), (), {}, ())


def test_a_which_question_naming_a_level_lists_the_reports_rated_so() -> None:
    from qa.answer.lookups import rated_as_named

    reports = [_rated("Mali", "Moderate Advancement"), _rated("Niger", "Minimal Advancement"),
               _rated("Chad", "Minimal Advancement – Efforts Made but Continued Practice that Delayed Advancement")]
    countries = lambda found: [d.meta.country for d in found]  # noqa: E731
    assert countries(rated_as_named("Which countries made moderate advancement?", reports)) == ["Mali"]
    assert countries(rated_as_named("Which countries made minimal advancement?", reports)) == ["Niger", "Chad"]
    # no report rated so, or no "which" question: every rating is the answer
    assert len(rated_as_named("Which countries made significant advancement?", reports)) == 3
    assert len(rated_as_named("Did Mali make moderate advancement?", reports)) == 3


def test_a_reference_of_an_article_is_not_another_document_s() -> None:
    # "What is reference 3 in the ILO article?" (the article has no bibliography) was answered with
    # reference 3 of the Mali report
    import pytest

    from qa.config import Settings

    settings = Settings(llm_base_url=None)
    if not (settings.index_path / "manifest.json").is_file():
        pytest.skip(f"no index at {settings.index_path}")
    from qa.assistant import Assistant

    assistant = Assistant(settings).load()
    answer = assistant.ask("What is reference 3 in the ILO article?")
    assert answer.abstained and not answer.citations
    assert "no numbered references" in answer.answer
    assert assistant.ask("What is reference 3?").citations[0].doc == "usdol-2019-mali"  # a report's, as before


def test_a_documents_publisher_and_address_come_from_its_catalog_entry() -> None:
    from qa.answer.lookups import asked_document, publication_answer
    from qa.answer.question import analyse
    from qa.models import Document, DocumentMeta, Hit
    from tests.answer.parts import chunk

    class Writer:  # the answerer's part the look-up uses
        def __init__(self, documents: dict[str, Document]) -> None:
            self.documents = documents

        def abstain(self, hits, reason, confidence=0.0):  # type: ignore[no-untyped-def]
            return reason

        def source_of(self, chunk, score):  # type: ignore[no-untyped-def]
            return None

        def citation(self, doc_id, ref):  # type: ignore[no-untyped-def]
            return (doc_id, ref)

    article = Document(DocumentMeta(id="ilo-note", path="", sha256="", title="A workshop", kind="article",
                                    publisher="International Labour Organization", published="2021-05-31"),
                       "", (), (), {}, ())
    report = Document(DocumentMeta(id="mali-2019", path="", sha256="", title="Findings: Mali", kind="country-report",
                                   url="https://example.org/mali"), "", (), (), {}, ())
    documents = {"ilo-note": article, "mali-2019": report}
    hits = [Hit(chunk("p1", [("Text.", set())], doc="mali-2019"), 1.0),
            Hit(chunk("p2", [("Text.", set())], doc="ilo-note"), 0.9)]
    writer = Writer(documents)
    who = analyse("Who published the article?")
    assert asked_document(who, hits, documents) == "ilo-note"  # the article, though a report ranks first
    assert publication_answer(writer, "ilo-note", hits, who.catalog).answer == (  # type: ignore[arg-type]
        "A workshop was published by International Labour Organization on 31 May 2021 [ilo-note].")
    link = analyse("What is the URL of the Mali report?")
    assert asked_document(link, hits, documents) == "mali-2019"
    assert publication_answer(writer, "mali-2019", hits, link.catalog).answer == (  # type: ignore[arg-type]
        "Findings: Mali is at https://example.org/mali [mali-2019].")  # no bibliography: the document cited
    title = analyse("What is the title of the Mali report?")
    assert publication_answer(writer, "mali-2019", hits, title.catalog).answer == (  # type: ignore[arg-type]
        "The document's title is \u201cFindings: Mali\u201d [mali-2019].")
    # no address in the catalog: declined, saying so
    declined = publication_answer(writer, "ilo-note", hits, "url")  # type: ignore[arg-type]
    assert declined.abstained and "The catalog gives no web address for A workshop." in declined.answer
    assert declined.extra["reason"] == "ilo-note has no url in the catalog"
    # a law's numbered article is no news article: "Who wrote Article 152 ...?" asks no catalog
    assert analyse("Who wrote Article 152 of the Labor Code?").catalog == ""
    assert analyse("What is the URL of article 4 of the Child Protection Code?").catalog == ""
    assert asked_document(analyse("Who published the story?"), hits, documents) == "ilo-note"
