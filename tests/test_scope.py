"""The question's scope: decided once from the question, the filters and the conversation."""

from __future__ import annotations

import pytest

from qa.answer.question import analyse
from qa.answer.scope import (DocInfo, Scope, decide_scope, edition_only_years, edition_read, editions_named,
                             with_edition_named)
from qa.errors import InvalidInput

DOCS = [DocInfo("mali-2019", "Mali", 2019, "country-report"), DocInfo("mali-2020", "Mali", 2020, "country-report"),
        DocInfo("niger-2019", "Niger", 2019, "country-report"),
        DocInfo("civ-2019", "Côte d'Ivoire", 2019, "country-report"), DocInfo("note", "", 2021, "article")]


def scope(question: str, history: list[str] | None = None, **filters) -> Scope:  # type: ignore[no-untyped-def]
    return decide_scope(question, history or [], DOCS, **filters)


@pytest.mark.parametrize(("question", "countries"), [
    ("How many labor inspectors did Mali have in 2019?", {"Mali"}),
    ("What did the Nigerien police do?", {"Niger"}),
    ("How many Ivorian children work on cocoa farms?", {"Côte d'Ivoire"}),
    ("Compare Mali and Niger", {"Mali", "Niger"}),
    ("How many labor inspectors were there?", set()),
])
def test_countries_from_the_question(question: str, countries: set[str]) -> None:
    s = scope(question)
    assert s.countries == countries and not s.impossible


def test_a_capital_names_its_country_when_no_country_is_named() -> None:
    assert scope("How many labor inspectors did Niamey employ in 2019?").countries == {"Niger"}
    assert scope("how much did bamako spend on schools?").countries == {"Mali"}
    # a named country wins: the capital is then a place ("Nigerien children sent to Bamako")
    assert scope("How many Nigerien children were sent to Bamako?").countries == {"Niger"}
    unindexed = scope("How many labor inspectors work in Ouagadougou?")
    assert unindexed.impossible and unindexed.unindexed == ("Burkina Faso",)


def test_a_country_named_by_its_initialism() -> None:
    usa = scope("How many labor inspectors does the USA have?")
    assert usa.impossible and usa.unindexed == ("United States",)  # not answered from Mali's report
    assert scope("How many inspectors are there in the UK?").unindexed == ("United Kingdom",)
    assert scope("Compare Niger and the DRC").unindexed == ("Democratic Republic of the Congo",)
    # a department named after the country, an ISO code that is also a plan's acronym: no country
    assert scope("What did the US Department of Labor find in Mali?").countries == {"Mali"}
    assert not scope("What does the PAN plan to do?").unindexed
    assert not scope("WHAT DOES THE USA DO?").unindexed  # typed in capitals: no word stands out


def test_unindexed_country_is_impossible_and_kept() -> None:
    s = scope("What is the minimum working age in Ghana?")
    assert s.impossible and s.unindexed == ("Ghana",)
    mixed = scope("Compare the inspectors of Mali and Ghana")
    assert mixed.countries == {"Mali"} and mixed.unindexed == ("Ghana",) and not mixed.impossible


def test_follow_ups_keep_or_switch_the_country() -> None:
    history = ["How many labor inspectors did Niger have in 2019?"]
    kept = scope("And in 2018?", history)
    assert kept.countries == {"Niger"} and kept.inherited
    switched = scope("What about Mali?", history)
    assert switched.countries == {"Mali"} and not switched.inherited
    fresh = scope("How many labor inspectors were there in total across the region?", history)
    assert fresh.countries == frozenset()  # a standalone question does not inherit


def test_editions_are_named_not_bare_years() -> None:
    assert editions_named("How did it change between the 2018 and 2019 editions?") == {2018, 2019}
    assert editions_named("What does the 2020 report say?") == {2020}
    assert editions_named("How many inspectors were there in 2019?") == set()
    assert edition_only_years("Per the 2018 report, how much is the program worth?") == {2018}
    assert edition_only_years("In the 2020 report, how many inspections were there in 2020?") == set()
    s = scope("How many inspectors did Mali have in 2019?")
    assert s.years == {2019} and s.editions == frozenset()


def test_filters() -> None:
    s = scope("How many inspectors?", country="ML", year=2020, doc="mali-2020")
    assert (s.countries, s.editions, s.docs) == ({"Mali"}, {2020}, {"mali-2020"})
    with pytest.raises(InvalidInput, match="Atlantis"):
        scope("How many inspectors?", country="Atlantis")


@pytest.mark.parametrize(("question", "docs"), [
    # the document asked about is an article: the articles answer, not a report's bibliography entry
    ("What does the ILO article say about cotton?", {"note"}),
    ("When was this story published?", {"note"}),
    # a law's article, or no article named: no restriction
    ("Which article of the Labor Code sets the minimum age?", set()),
    ("What does Article 152 say?", set()),
    ("What does the Mali report say about cotton?", set()),
])
def test_a_question_about_the_article_is_scoped_to_the_articles(question: str, docs: set[str]) -> None:
    assert scope(question).docs == docs


def test_each_edition_of_one_country_is_every_indexed_edition() -> None:
    # it had answered from the latest edition alone
    assert scope("How many labor inspectors did each Mali edition report?").editions == {2019, 2020}
    assert scope("What was Mali's funding across all the editions?").editions == {2019, 2020}
    assert scope("How many labor inspectors did Mali have?").editions == set()
    assert scope("How many labor inspectors does each report give for Mali and Niger?").editions == set()


def test_a_countrys_line_of_a_comparison_is_its_latest_report_or_the_report_on_the_year_asked() -> None:
    from qa.answer.scope import part_edition

    mali, niger = scope("Compare the share of working children in Mali and Niger").parts(True)
    # it had quoted whichever Mali edition scored best (the 2018 one beside Niger's 2019)
    assert part_edition(mali, DOCS).editions == {2020} and part_edition(niger, DOCS).editions == set()
    mali_2019, _ = scope("Compare labor inspectors in Mali and Niger in 2019").parts(True)
    assert part_edition(mali_2019, DOCS).editions == {2019}


def test_admits() -> None:
    s = Scope(countries=frozenset({"Mali"}), editions=frozenset({2019}))
    assert s.admits("mali-2019", "Mali", 2019, "country-report")
    assert not s.admits("mali-2020", "Mali", 2020, "country-report")
    assert not s.admits("niger-2019", "Niger", 2019, "country-report")
    assert Scope(countries=frozenset({"Mali"})).admits("note", "", None, "article")
    assert not Scope(countries=frozenset({"Mali"})).admits("x", "", None, "country-report")


def test_parts_split_countries_and_compared_editions() -> None:
    assert [p.countries for p in scope("Compare Mali and Niger").parts(True)] == [{"Mali"}, {"Niger"}]
    editions = scope("How did Mali's inspectors change between the 2019 and 2020 editions?").parts(True)
    assert [(p.editions, p.years) for p in editions] == [({2019}, {2019}), ({2020}, {2020})]
    named = scope("How many inspectors did Mali have according to the 2019 and 2020 reports?").parts(False)
    assert [(p.editions, p.years) for p in named] == [({2019}, {2019}), ({2020}, {2020})]
    on_a_year = scope("What did the 2019 and 2020 reports give as Mali's inspectors in 2018?").parts(False)
    assert [(p.editions, p.years) for p in on_a_year] == [({2019}, {2018}), ({2020}, {2018})]


@pytest.mark.parametrize(("question", "linked"), [
    ("Does Mali cooperate with Niger on trafficking?", True),
    ("Did Niger repatriate Malian children?", True),  # a demonym beside the other country's name
    ("Do children from Mali work in Niger's gold mines?", True),
    ("How many labor inspectors did Mali and Niger have?", False),
    ("What is the minimum age for children from Mali and Niger?", False),  # side by side
    ("Which has more inspectors, Mali or Niger?", False),
    ("Compare Mali with Niger on inspectors.", False),
])
def test_a_question_linking_two_countries_is_one_answer_not_a_line_each(question: str, linked: bool) -> None:
    asked = scope(question)
    assert asked.countries == {"Mali", "Niger"}
    assert len(asked.parts(False)) == (1 if linked else 2)


def test_a_comparison_of_years_compares_the_editions_reporting_on_them() -> None:
    s = decide_scope("How did funding in Mali change from 2019 to 2020?", [], DOCS, comparison=True)
    assert s.editions == {2019, 2020}
    assert [p.editions for p in s.parts(True)] == [{2019}, {2020}]
    one = decide_scope("How did funding in Niger change from 2018 to 2019?", [], DOCS, comparison=True)
    assert one.editions == frozenset()  # one edition indexed: its own table has both years


def test_years_listed_of_one_country_are_answered_each_from_its_own_edition() -> None:
    s = scope("How many inspectors did Mali have in 2019 and 2020?")
    assert s.editions == {2019, 2020}
    assert [(p.editions, p.years) for p in s.parts(False)] == [({2019}, {2019}), ({2020}, {2020})]
    # a year without an indexed edition, a span, no country, or one edition holding both: as asked
    assert scope("How many inspectors did Mali have in 2018 and 2020?").editions == frozenset()
    assert scope("What did Mali's 2019-2020 plan achieve?").editions == frozenset()
    assert scope("How many inspectors were there in 2019 and 2020?").editions == frozenset()
    assert scope("How many inspectors did Niger have in 2018 and 2019?").editions == frozenset()


@pytest.mark.parametrize("question", ["How many inspectors did Mali have in 2019-2020?",
                                      "How many inspectors did Mali have over 2019–2020?"])
def test_a_span_of_years_asked_is_answered_each_from_its_own_edition(question: str) -> None:
    # "in 2018-2020" was answered with the 2018 report's 2018 figure alone; a span naming a thing
    # ("Mali's 2019-2020 plan", above) is still no list of years
    assert scope(question).editions == {2019, 2020}


def test_since_a_year_is_every_indexed_edition_from_it_on() -> None:
    s = scope("How many inspectors has Mali had since 2019?")
    assert s.editions == {2019, 2020} and [p.years for p in s.parts(False)] == [{2019}, {2020}]
    # one edition from then on, or "from 2019 to 2020" (a span, read as such): no "since" reading
    assert scope("How many inspectors has Niger had since 2018?").editions == frozenset()
    assert scope("How many inspectors has Mali had since 2020?").editions == frozenset()


def test_a_year_compared_with_is_one_side_of_the_comparison() -> None:
    s = decide_scope("How many inspectors did Mali have in 2020 compared to 2019?", [], DOCS, comparison=True)
    assert s.editions == {2019, 2020} and s.years == {2019, 2020}
    assert [p.years for p in s.parts(True)] == [{2019}, {2020}]
    # no year asked beside it ("By how much did it fall compared with 2019?"): nothing to set side by side
    alone = decide_scope("By how much did Mali's funding fall compared with 2019?", [], DOCS, comparison=True)
    assert alone.editions == frozenset()


@pytest.mark.parametrize(("question", "editions"), [
    ("What is source 11 of the 2019 Mozambique report?", {2019}),
    ("What does the 2020 report say about funding?", {2020}),
    ("In 2019 the government reports that 113 inspectors worked", set()),
])
def test_editions_named_with_a_country_between(question: str, editions: set[int]) -> None:
    assert editions_named(question) == editions


@pytest.mark.parametrize(("question", "editions"), [
    ("How many inspectors are in the 2018 Mali chapter?", {2018}),
    ("What does the 2018 Mali country report say?", {2018}),
    ("What does the report for 2020 say about Mali?", {2020}),
    ("In the Mali report for 2018 and 2020, what changed?", {2018, 2020}),
    ("What is in the report on Mali for 2020?", {2020}),
    ("Was the report of the inspectors late in 2019?", set()),
    ("In the 2018 version of the Mali report, how many inspectors?", {2018}),
    ("In the Mali report covering 2018, how many inspectors?", {2018}),
    ("What did the government report on 2019 spending?", set()),
    # "the report from 2018" was no edition: both Mozambique editions answered a follow-up asking it
    ("What about in the Mozambique report from 2018?", {2018}),
    ("In the reports from 2018 and 2020, how many inspectors?", {2018, 2020}),
    ("How did the reports from 2018 to 2020 change?", set()),  # a span of years, no edition
])
def test_editions_named_as_chapters_or_after_the_word(question: str, editions: set[int]) -> None:
    assert editions_named(question) == editions


def test_follow_ups_keep_the_edition_until_a_year_is_named() -> None:
    history = ["In the 2020 report, how many labor inspectors did Mali have?"]
    assert scope("And the funding?", history).editions == {2020}
    assert scope("And in 2019?", history).editions == frozenset()  # a new year: no edition carried
    assert scope("How much did the government budget for education?", history).editions == frozenset()
    later = history + ["How many inspectors did Mali have in 2019?"]
    assert scope("And the funding?", later).editions == frozenset()  # the latest year-naming turn decides


def test_a_short_turn_naming_no_country_keeps_the_conversation_country() -> None:
    history = ["What is the compulsory education age in Niger?"]
    assert scope("Is education free?", history).countries == {"Niger"}
    assert scope("Is education free?").countries == frozenset()  # no conversation, no country


def test_a_year_named_as_the_edition_is_no_year_asked_beside_another() -> None:
    other = edition_read("In the 2020 report, how many inspectors did Mali have in 2019?",
                         analyse("In the 2020 report, how many inspectors did Mali have in 2019?"))
    assert other.years == {2019} and other.edition_years == {2020}
    alone = edition_read("Per the 2018 report, how much is the program worth?",
                         analyse("Per the 2018 report, how much is the program worth?"))
    assert alone.years == {2018} and alone.edition_years == {2018}


@pytest.mark.parametrize(("question", "editions"), [
    ("According to the latest Mali report, how many inspectors were there?", {2020}),
    ("In the most recent edition, what was Mali's inspectorate funding?", {2020}),
    ("What did the earliest Mali report say about inspectors?", {2019}),
    ("What does Niger's newest country chapter say?", {2019}),
    ("In the last Mali report, how many inspectors?", {2020}),
    ("What was the latest figure for Mali's inspectors?", set()),  # no edition named
])
def test_an_edition_named_by_its_place(question: str, editions: set[int]) -> None:
    assert scope(question).editions == editions


def test_an_edition_named_by_its_place_is_then_named_by_its_year() -> None:
    question = "According to the latest Mali report, how many inspectors were there?"
    assert with_edition_named(question, scope(question).editions) == \
        "According to the 2020 Mali report, how many inspectors were there?"
    assert with_edition_named("What does the latest report say?", frozenset({2019, 2020})) == \
        "What does the latest report say?"


def test_an_edition_named_by_its_place_in_a_followup_replaces_the_earlier_one() -> None:
    history = ["In the 2019 report, how many labor inspectors did Mali have?"]
    assert scope("And in the latest edition?", history).editions == {2020}
    assert scope("And the funding?", history).editions == {2019}
    assert scope("And the funding?", ["In the earliest Mali report, how many inspectors?"]).editions == {2019}


@pytest.mark.parametrize(("question", "countries", "editions"), [
    # a new topic alone: the conversation's country and edition stay
    ("And the funding?", {"Mali"}, {2020}),
    ("Its budget?", {"Mali"}, {2020}),
    # a new topic and a new country: the country switches, the edition named earlier stays
    ("What about funding in Niger?", {"Niger"}, {2020}),
    # the same question of another edition
    ("And in the 2019 report?", {"Mali"}, {2019}),
])
def test_short_turns_changing_the_topic_or_the_scope(question: str, countries: set[str], editions: set[int]) -> None:
    s = scope(question, ["In the 2020 Mali report, how many labor inspectors were there?"])
    assert (s.countries, s.editions) == (countries, editions)


def test_a_corpus_country_iso_does_not_list_is_named_too() -> None:
    docs = [*DOCS, DocInfo("kosovo-2019", "Kosovo", 2019, "country-report")]
    assert decide_scope("How many inspectors did Kosovo have?", [], docs).countries == {"Kosovo"}
    assert decide_scope("how many inspectors in kosovo?", [], docs).countries == {"Kosovo"}
    assert decide_scope("How many inspectors?", [], docs, country="kosovo").countries == {"Kosovo"}
    assert not decide_scope("How many inspectors did Kosovar courts convict?", [], docs).countries


def test_compare_with_another_country_keeps_the_conversations_country() -> None:
    # "Compare with Niger" after a question on Mali named Niger alone: the answer was Niger's, or,
    # read as a new topic ("How much vs in Niger?"), Niger's labor inspectorate funding
    history = ["How many labor inspectors did Mali have in 2019?"]
    for turn in ("Compare with Niger", "vs Niger?", "And versus Niger?"):
        assert scope(turn, history).countries == {"Mali", "Niger"}, turn
    assert scope("What about Niger?", history).countries == {"Niger"}  # a switch, not a comparison
    assert scope("Compare with Niger").countries == {"Niger"}  # nothing earlier to compare with
    assert scope("Compare Niger and Côte d'Ivoire", history).countries == {"Niger", "Côte d'Ivoire"}  # both sides named


def test_a_country_filter_that_leaves_out_the_country_asked_about() -> None:
    # the filter Niger and a question about Mali: Niger's report answered, with Niger's figure
    s = scope("How many labor inspectors did Mali have in 2019?", country="Niger")
    assert s.countries == {"Niger"} and s.excluded == ("Mali",)
    assert scope("Compare Mali and Niger", country="NE").excluded == ()  # the filter's country is asked too
    assert scope("How many labor inspectors were there?", country="Niger").excluded == ()
    assert scope("What about Mali?", ["How many inspectors did Niger have?"], country="Niger").excluded == ("Mali",)


def test_a_follow_up_after_a_comparison_keeps_both_countries() -> None:
    # "the year before?" after "Compare with Niger" was asked of Niger alone
    history = ["How many labor inspectors did Mali have in 2019?", "Compare with Niger"]
    assert scope("the year before?", history).countries == {"Mali", "Niger"}
    assert scope("And in 2018?", history).countries == {"Mali", "Niger"}
    assert scope("And in 2018?", ["How many labor inspectors did Mali have in 2019?", "What about Niger?"]
                 ).countries == {"Niger"}


@pytest.mark.parametrize("question", [
    "What is source 5 of this report?",
    "What is reference 7 in that report?",
    "What does that report say about the minimum age for work?",
    "Does the same report mention cocoa?",
])
def test_this_report_in_a_conversation_is_the_report_it_was_about(question: str) -> None:
    # "this report" is the conversation's report: answered from every indexed report, it was six
    # countries' reference 5, or the same figure again
    s = scope(question, ["How many labor inspectors did Mali have in 2020?"])
    assert s.countries == {"Mali"} and s.inherited
    assert s.years == {2020}  # the year the turn asked about: its own edition answers (own_edition)
    assert scope(question, ["How many labor inspectors did Niger have?"]).countries == {"Niger"}
    assert scope(question).countries == frozenset()  # no conversation: no report to point at


def test_a_document_id_in_the_question_names_that_document() -> None:
    # "[usdol-2019-mali: 4]" is how an answer labels a citation when the id is the only label; asked
    # about, it was answered with reference 4 of every report
    assert scope("What is [mali-2020: 4]?").docs == {"mali-2020"}
    assert scope("What does mali-2019 say about cocoa?").docs == {"mali-2019"}
    assert scope("What does the note say?").docs == frozenset()  # a word that is also an id is no id
    assert decide_scope("How many inspectors in 2019?", [], [*DOCS, DocInfo("2019", "", 2019, "article")]).docs == set()
    assert scope("What is [mali-2020: 4]?", doc="niger-2019").docs == {"niger-2019"}  # the filter wins
