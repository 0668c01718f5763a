"""Many reports in one index: scope, abstention on unindexed countries, follow-ups, comparisons,
editions and labelled citations.

The corpus is three reports derived from the seed here (the full synthetic-report generator lives
under eval/synth/): the seed itself (Mali, 2019 edition); a "Ghana" report (country, demonym and
capital substituted, other figures, the inspector count cited to another reference); and a later
"Mali 2020" edition (every year shifted by one, other figures). No catalog: country and year are
inferred. The fake embedder keeps it fast and deterministic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import InvalidInput
from qa.index.embed import make_embedder
from qa.index.store import build_index
from qa.ingest.corpus import load_corpus

SEED = Path(__file__).resolve().parents[1] / "corpus" / "usdol-2019-mali.txt"
INSPECTORS_ROW = "Number of Labor Inspectors\t109 (68)\t113 (4)"


def ghana_report(seed: str) -> str:
    text = seed.replace("Malian", "Ghanaian").replace("Mali", "Ghana").replace("Bamako", "Accra")
    text = text.replace("Number of Labor Inspectors\t109 (68)\t113 (4)", "Number of Labor Inspectors\t64 (68)\t71 (5)")
    text = text.replace("the BPMC arrested two Koranic teachers", "the BPMC arrested seven Koranic teachers")
    assert "71 (5)" in text and "seven Koranic" in text
    return text


def later_edition(seed: str) -> str:
    text = seed.replace("2019", "\0").replace("2018", "2019").replace("\0", "2020")
    text = text.replace("Number of Labor Inspectors\t109 (68)\t113 (4)", "Number of Labor Inspectors\t115 (68)\t120 (4)")
    assert "115 (68)\t120 (4)" in text and text.startswith("In 2020, Mali made")
    return text


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("multi")
    corpus, index = root / "corpus", root / "index"
    corpus.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    assert INSPECTORS_ROW in seed
    (corpus / "usdol-2019-mali.txt").write_text(seed, encoding="utf-8")
    (corpus / "derived-2019-ghana.txt").write_text(ghana_report(seed), encoding="utf-8")
    (corpus / "derived-2020-mali.txt").write_text(later_edition(seed), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=index, embedder="fake")
    build_index(settings, load_corpus(settings), make_embedder(settings))
    return Assistant(settings).load()


def _docs(answer) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.doc for c in answer.citations} | {s.doc for s in answer.sources}


def test_country_and_edition_inferred_without_catalog(assistant: Assistant) -> None:
    docs = {d.id: (d.country, d.year, d.kind, d.origin["country"]) for d in assistant.documents()}
    assert docs == {"usdol-2019-mali": ("Mali", 2019, "country-report", "inferred"),
                    "derived-2019-ghana": ("Ghana", 2019, "country-report", "inferred"),
                    "derived-2020-mali": ("Mali", 2020, "country-report", "inferred")}


@pytest.mark.parametrize(("question", "figure", "doc"), [
    ("How many labor inspectors did Ghana have in 2019?", "71", "derived-2019-ghana"),
    ("How many Koranic teachers did the BPMC arrest in Ghana in 2019?", "seven", "derived-2019-ghana"),
    ("How many Koranic teachers did the BPMC arrest in Mali in 2019?", "two", "usdol-2019-mali"),
    ("How many labor inspectors did Mali have in 2019?", "113", "usdol-2019-mali"),
    ("How many labor inspectors did Mali have in 2020?", "120", "derived-2020-mali"),
])
def test_named_country_answers_from_its_own_report(assistant: Assistant, question: str, figure: str,
                                                   doc: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained, answer.extra
    assert figure in answer.answer
    assert _docs(answer) == {doc}


def test_ghana_inspectors_cite_ghanas_own_reference(assistant: Assistant) -> None:
    answer = assistant.ask("How many labor inspectors did Ghana have in 2019?")
    assert [(c.doc, c.ref) for c in answer.citations] == [("derived-2019-ghana", 5)]
    assert "[5]" in answer.answer and "From the Ghana 2019 report" in answer.answer


@pytest.mark.parametrize("question", ["What is the minimum working age in Senegal?",
                                      "How many Burkinabè children work in gold mines?"])
def test_unindexed_country_abstains_naming_the_indexed_ones(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and answer.citations == ()
    assert "Ghana, Mali" in answer.answer


def test_follow_ups_keep_and_switch_the_country(assistant: Assistant) -> None:
    first = "How many labor inspectors did Ghana have in 2019?"
    kept = assistant.ask("And in 2018?", history=[first])
    assert "64" in kept.answer and _docs(kept) == {"derived-2019-ghana"}
    switched = assistant.ask("What about Mali?", history=[first])
    assert "113" in switched.answer and _docs(switched) <= {"usdol-2019-mali", "derived-2020-mali"}


def test_country_comparison_has_one_line_per_country(assistant: Assistant) -> None:
    answer = assistant.ask("Compare the number of labor inspectors in Mali and Ghana in 2019")
    lines = answer.answer.split("\n")
    assert len(lines) == 2 and lines[0].startswith("Ghana:") and lines[1].startswith("Mali:")
    assert "71 in 2019 [Ghana 2019: 5]" in lines[0] and "113 in 2019 [Mali 2019: 4]" in lines[1]
    assert "64" not in lines[0] and "109" not in lines[1]  # the year asked only
    assert {c.label for c in answer.citations} == {"Ghana 2019: 5", "Mali 2019: 4"}


@pytest.mark.parametrize("question", [
    "How did the number of labor inspectors in Mali change between the 2019 and 2020 editions?",
    "How did the number of labor inspectors in Mali change from 2019 to 2020?",
])
def test_edition_comparison_has_one_line_per_edition(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    lines = answer.answer.split("\n")
    assert len(lines) == 2
    assert "113 in 2019 [Mali 2019: 4]" in lines[0] and "120 in 2020 [Mali 2020: 4]" in lines[1]


def test_no_country_named_groups_facts_by_document(assistant: Assistant) -> None:
    answer = assistant.ask("How many labor inspectors were there in 2019?")
    lines = answer.answer.split("\n")
    assert len(lines) >= 2
    for line in lines:
        label = line.split(":", 1)[0]
        assert label in {"Mali 2019", "Ghana 2019", "Mali 2020"}
        assert f"[{label}: " in line  # each line's markers name its own document
    assert all(":" in c.label for c in answer.citations)


def test_year_filter_picks_the_edition_and_says_so(assistant: Assistant) -> None:
    answer = assistant.ask("How many labor inspectors did Mali have in 2019?", year=2020)
    assert "115" in answer.answer and answer.answer.startswith("From the Mali 2020 report")
    assert _docs(answer) == {"derived-2020-mali"}


def test_the_report_from_a_year_is_that_edition(assistant: Assistant) -> None:
    # "the report from 2019" was no edition and asked for every year from 2019 on: the 2020 edition answered
    answer = assistant.ask("How many labor inspectors did Mali have according to the report from 2019?")
    assert "113" in answer.answer and _docs(answer) == {"usdol-2019-mali"}
    follow = assistant.ask("And in the report from 2020?", history=["How many labor inspectors did Mali have?"])
    assert "120" in follow.answer and _docs(follow) == {"derived-2020-mali"}


def test_country_filter_and_search(assistant: Assistant) -> None:
    answer = assistant.ask("How many labor inspectors were there in 2019?", country="GH")
    assert "71" in answer.answer and _docs(answer) == {"derived-2019-ghana"}
    hits = assistant.search("labor inspectors", k=20, country="Ghana")
    assert hits and {h.chunk.doc_id for h in hits} == {"derived-2019-ghana"}
    with pytest.raises(InvalidInput):
        assistant.search("labor inspectors", country="Atlantis")


def test_reference_lookup_across_reports_is_labelled(assistant: Assistant) -> None:
    both = assistant.ask("What is reference 5?")
    assert len(both.answer.split("\n")) == 3 and "[Ghana 2019: 5]" in both.answer
    one = assistant.ask("What is reference 5?", country="Ghana")
    assert [(c.doc, c.ref, c.label) for c in one.citations] == [("derived-2019-ghana", 5, "5")]


def test_no_year_asked_quotes_the_latest_edition(assistant: Assistant) -> None:
    answer = assistant.ask("How many labor inspectors does Mali have?")
    assert answer.answer.startswith("From the Mali 2020 report") and "120" in answer.answer


def test_assessment_level_comes_from_the_report_metadata(assistant: Assistant) -> None:
    answer = assistant.ask("How did the Labor Department rate Ghana's progress in 2019?")
    assert answer.answer == "The 2019 report rates Ghana's efforts as Moderate Advancement [derived-2019-ghana]."
    assert [(c.doc, c.ref) for c in answer.citations] == [("derived-2019-ghana", None)]
    both = assistant.ask("What assessment level did Mali get?")
    assert both.answer.count("Mali's efforts as Moderate Advancement") == 2  # the 2019 and 2020 editions
    latest = assistant.ask("What is the latest assessment level for Mali?")
    assert latest.answer == "The 2020 report rates Mali's efforts as Moderate Advancement [derived-2020-mali]."


def test_reference_lookup_in_a_comparison_labels_every_line(assistant: Assistant) -> None:
    # Mali has two editions (labelled markers), Ghana one: its line must be labelled too, or its
    # "[5]" reads as (and the web page opens) Mali's reference 5
    answer = assistant.ask("What is reference 5 in the Mali and Ghana reports?")
    ghana = next(line for line in answer.answer.splitlines() if line.startswith("Ghana:"))
    assert ghana.endswith("[Ghana 2019: 5]"), answer.answer
    assert ("derived-2019-ghana", 5, "Ghana 2019: 5") in [(c.doc, c.ref, c.label) for c in answer.citations]


def test_filters_no_indexed_report_matches_say_so(assistant: Assistant) -> None:
    none_2017 = assistant.ask("How many labor inspectors were there?", country="Mali", year=2017)
    assert none_2017.abstained and not none_2017.sources
    assert none_2017.answer == ("The indexed reports do not answer this. No indexed report is the 2017 edition "
                                "for Mali; the indexed Mali reports are the 2019 and 2020 editions.")
    crossed = assistant.ask("How many labor inspectors were there?", country="Ghana", doc="usdol-2019-mali")
    assert crossed.abstained
    assert crossed.answer.endswith("usdol-2019-mali is the Mali 2019 report, not one for Ghana.")
    any_2015 = assistant.ask("How many labor inspectors were there?", year=2015)
    assert any_2015.answer.endswith("No indexed report is the 2015 edition; the indexed reports are the "
                                    "2019 and 2020 editions.")


def test_an_assessment_answer_shows_only_passages_that_state_the_level(assistant: Assistant) -> None:
    # the level is the report's metadata: a passage shown under it must say it, not be any passage
    # of the report the search happened to rank first
    answer = assistant.ask("How did the report rate Mali's progress?")
    assert "Moderate Advancement" in answer.answer
    assert all("moderate advancement" in s.text.lower() for s in answer.sources), \
        [s.text[:80] for s in answer.sources]


def test_a_reference_number_no_report_has_is_declined_saying_so(assistant: Assistant) -> None:
    answer = assistant.ask("What is reference 999?", country="Ghana")
    assert answer.abstained and not answer.sources  # no unrelated bibliography lines as "sources"
    assert answer.answer == ("The indexed reports do not answer this. No indexed report has a reference 999 "
                             "(the Ghana 2019 report's references are numbered 1 to 109).")


def test_a_question_ranking_countries_gets_each_countrys_own_figure(assistant: Assistant) -> None:
    answer = assistant.ask("Which country had the most labor inspectors in 2019?")
    lines = answer.answer.split("\n")
    assert "rank no countries" in lines[0] and len(lines) == 3
    assert lines[1].startswith("Ghana:") and "71 in 2019 [Ghana 2019: 5]" in lines[1]
    assert lines[2].startswith("Mali:") and "113 in 2019 [Mali 2019: 4]" in lines[2]



def test_which_reports_mention_a_topic_lists_each_with_its_own_passage(assistant: Assistant) -> None:
    answer = assistant.ask("Which reports mention Koranic teachers?")
    lead, *lines = answer.answer.split("\n")
    assert lead.startswith("3 indexed reports mention Koranic teachers:") and not answer.abstained
    assert {c.doc for c in answer.citations} == {"usdol-2019-mali", "derived-2019-ghana", "derived-2020-mali"}
    ghana = next(line for line in lines if line.startswith("Ghana 2019:"))
    assert "[Ghana 2019:" in ghana  # each line cites its own report's bibliography, labelled
    # the scope narrows it; a topic no report writes is said so
    mali = assistant.ask("Which Mali reports mention Koranic teachers?")
    assert mali.answer.startswith("2 indexed reports mention") and "Ghana" not in mali.answer
    none = assistant.ask("Which reports mention zeppelins?")
    assert none.abstained and "No indexed report mentions zeppelins." in none.answer
    # a country no report covers is declined as such, not as a topic no report mentions
    elsewhere = assistant.ask("Which Senegal reports mention Koranic teachers?")
    assert elsewhere.abstained and "Senegal" in elsewhere.answer and "mention" not in elsewhere.answer
    # ... but a country no report covers may be the topic: the reports mention the donor
    donor = assistant.ask("Which reports mention the Netherlands?")
    assert not donor.abstained and "indexed report" in donor.answer.split("\n")[0], donor.answer
    assert assistant.ask("Which Senegal reports mention the Netherlands?").abstained
