"""The shared text layer: one tokenizer, one stopword list, number words, Snowball stems."""

from __future__ import annotations

import pytest

from qa.text.analysis import STOPWORDS, bm25_tokens, is_stopword, number_value, stem, terms, words


def test_words_keep_figures_and_compounds_whole() -> None:
    assert words("Funding rose to $85,000 (1,217 cases), anti-trafficking.") == [
        "funding", "rose", "to", "$85,000", "1,217", "cases", "anti-trafficking"]


def test_word_forms_meet_through_the_stemmer() -> None:
    assert stem("inspectors") == stem("inspector")
    assert stem("trained") == stem("training")
    assert stem("coordinates") == stem("Coordinator".lower())
    assert stem("hazardous") == stem("hazard")
    assert stem("children's") == stem("children")
    # "-arily"/"-orily" adverbs meet their adjectives; other "-ily" words keep their stems
    assert stem("voluntarily") == stem("voluntary") and stem("compulsorily") == stem("compulsory")
    assert stem("family") == stem("families") != stem("fami")


def test_british_spellings_meet_the_reports_american_ones() -> None:
    # the USDOL reports write "labor", "program", "organization"; users and the ILO "labour" ...
    assert terms("labour programmes organised criminalise offences") == terms("labor programs organized criminalize offenses")
    assert bm25_tokens("child labour") == bm25_tokens("child labor")
    assert terms("labour") != terms("harbour")  # only spellings are joined, not words


def test_number_words_become_digits() -> None:
    assert number_value("fourteen") == 14
    assert number_value("twenty-five") == 25
    assert number_value("fourteenth") is None
    assert terms("between five and fourteen") == terms("between 5 and 14") == ["between", "5", "14"]


def test_figures_compare_by_their_digits() -> None:
    assert terms("$85,000") == terms("85,000 dollars")[:1]
    assert terms("60%") == ["60"]


def test_terms_drop_stopwords_and_split_compounds() -> None:
    assert "the" in STOPWORDS and "which" in STOPWORDS
    out = terms("Which anti-trafficking efforts?")
    assert stem("trafficking") in out and "anti" in out and stem("efforts") in out
    assert not {"which", "the"} & set(out)


@pytest.mark.parametrize("text, parts", [
    ("ages 5-14", {"5", "14"}),  # the reports write "Age: 5 to 14"
    ("15-to-17-year-olds", {"15", "17", stem("year")}),
    ("a 10-year-old", {"10", stem("year")}),
])
def test_a_compound_opening_with_a_small_number_counts_its_parts(text: str, parts: set[str]) -> None:
    assert parts <= set(terms(text))


@pytest.mark.parametrize("text", ["the 2018-2022 plan", "Law 2017-021"])
def test_a_span_of_years_or_an_instruments_number_stays_whole(text: str) -> None:
    assert not {"2018", "2022", "2017", "021"} & set(terms(text))


def test_bm25_drops_citation_markers_not_figures() -> None:
    assert bm25_tokens("113 inspectors [4, 49]") == ["113", stem("inspectors")]


def test_a_function_word_with_a_clitic_is_a_stopword() -> None:
    # "What's the legal working age?" asks about the age, not about "what"
    assert terms("What's the legal working age? Who’s in charge?") == terms("legal working age in charge")
    assert is_stopword("what's") and is_stopword("they're") and not is_stopword("mali's")
    assert terms("Mali's inspectors") == ["mali", "inspector"]


def test_accented_words_stay_whole_and_meet_their_unaccented_spelling() -> None:
    from qa.text.analysis import unaccented

    # the word pattern is ASCII: "Côte" used to be "c" and "te", "Ségou" "s" and "gou"
    assert words("Ségou, Côte d’Ivoire, talibés") == ["segou", "cote", "d'ivoire", "talibes"]
    assert terms("Ségou talibés") == terms("Segou talibes")
    assert unaccented("Burkinabè") == "Burkinabe" and unaccented("plain") == "plain"



def test_a_convention_code_written_together_meets_the_reports_spelling() -> None:
    # "Has Mali ratified ILO C182?" was declined: the row says "ILO C. 182"
    assert terms("ILO C182") == terms("ILO C. 182") == ["ilo", "c", "182"]
    assert terms("C.138") == ["c", "138"]
    assert "covid19" in terms("covid19")  # not a short code: kept whole
