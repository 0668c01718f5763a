"""Country names as people write them: spaces for hyphens, "of Congo" for "of the Congo". Read
exactly, some of these name a neighbouring country whose report would then answer."""

from __future__ import annotations

import pytest

from qa.text.countries import find_mentions, lookup


@pytest.mark.parametrize(("text", "country"), [
    ("child labour in Guinea Bissau", "Guinea-Bissau"),  # not Guinea
    ("inspectors in the Democratic Republic of Congo", "Democratic Republic of the Congo"),  # not the Congo
    ("in the Republic of Congo", "Congo"),
    ("in Timor Leste", "Timor-Leste"),
    ("Burkina-Faso's cotton", "Burkina Faso"),
    ("cocoa in Côte-d'Ivoire", "Côte d'Ivoire"),
    ("in sierra-leone", "Sierra Leone"),  # a question typed in lower case
])
def test_separators_and_of_the_vary(text: str, country: str) -> None:
    assert [m.country.name for m in find_mentions(text)] == [country]


@pytest.mark.parametrize(("text", "country"), [("in Guinea", "Guinea"), ("in Equatorial Guinea", "Equatorial Guinea"),
                                               ("in Congo", "Congo"), ("Malians and Nigeriens", "Mali")])
def test_exact_names_still_name_their_own_country(text: str, country: str) -> None:
    assert find_mentions(text)[0].country.name == country


def test_a_hyphenated_word_is_not_a_country() -> None:
    assert find_mentions("the Niger-Delta region") == []


def test_lookup_reads_the_same_variants() -> None:
    assert lookup("Guinea Bissau").name == "Guinea-Bissau"
    assert lookup("democratic republic of congo").name == "Democratic Republic of the Congo"


@pytest.mark.parametrize(("value", "country"), [("the Philippines", "Philippines"), ("the United States", "United States"),
                                                ("The Niger", "Niger"), ("the Central African Republic",
                                                                         "Central African Republic")])
def test_lookup_reads_a_name_after_the(value: str, country: str) -> None:
    # `--country "the Philippines"` was refused as an unknown country
    found = lookup(value)
    assert found is not None and found.name == country
    assert lookup("the") is None and lookup("the moon") is None


@pytest.mark.parametrize(("value", "name"), [
    ("UK", "United Kingdom"), ("DRC", "Democratic Republic of the Congo"), ("Cote d Ivoire", "Côte d'Ivoire"),
    ("cote d ivoire", "Côte d'Ivoire"),
])
def test_a_filter_takes_what_a_question_reads(value: str, name: str) -> None:
    # questions read "the UK", "the DRC"; a filter was refused as an unknown country
    found = lookup(value)
    assert found is not None and found.name == name


def test_an_unknown_filter_stays_unknown() -> None:
    assert lookup("Xyz") is None and lookup("Narnia") is None


@pytest.mark.parametrize(("word", "meant"), [("Senagal", "Senegal"), ("Keyna", "Kenya"),
                                             ("Madagscar", "Madagascar"), ("Burkino Faso", "Burkina Faso")])
def test_a_misspelt_country_name_finds_its_country(word: str, meant: str) -> None:
    from qa.text.countries import close_country

    assert close_country(word).name == meant  # type: ignore[union-attr]


def test_a_name_that_is_no_country_or_is_one_finds_none() -> None:
    from qa.text.countries import close_country

    assert close_country("Zanzibar") is None and close_country("Timbuktu") is None
    assert close_country("Nigeria") is None  # a country itself, not a misspelt Niger


@pytest.mark.parametrize(("text", "countries"), [
    # typed in capitals, the question named no country and was answered from every report (Mali's
    # and Senegal's inspectors for "HOW MANY LABOR INSPECTORS DID MALI HAVE IN 2019?")
    ("HOW MANY LABOR INSPECTORS DID MALI HAVE IN 2019?", ["Mali"]),
    ("WHAT IS THE MINIMUM AGE IN BURKINA FASO?", ["Burkina Faso"]),
    ("HOW MANY MALIAN CHILDREN WORK?", ["Mali"]),
    # one name in capitals in a sentence-case question
    ("How many labor inspectors did MALI have?", ["Mali"]),
    ("Compare NIGER and Senegal", ["Niger", "Senegal"]),
    ("What does the CNLTE do in Mali?", ["Mali"]),  # acronyms stay acronyms
])
def test_a_country_written_in_capitals_is_named(text: str, countries: list[str]) -> None:
    mentions = find_mentions(text)
    assert [m.country.name for m in mentions] == countries
    assert all(text[m.start:m.end].casefold() == m.surface.casefold() for m in mentions)
