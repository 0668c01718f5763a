"""Question analysis and follow-up resolution (pure functions: no model, no index)."""

from __future__ import annotations

from datetime import date

import pytest

from qa.answer.followup import is_followup, resolve_followup
from qa.answer.question import analyse, content_words, words
from qa.answer.years import years_in

INSPECTORS_2019 = "How many labor inspectors did Mali have in 2019?"


# --- analyse(): the kind of answer asked for ---------------------------------------------------

@pytest.mark.parametrize(("question", "kind"), [
    (INSPECTORS_2019, "number"),
    ("How much money did the government put toward fighting trafficking?", "number"),
    ("What percentage of children aged 5 to 14 attend school?", "number"),
    ("What is the minimum age for hazardous work?", "number"),
    ("What's the legal working age in Senegal?", "number"),
    ("What is the youngest age at which a child may work?", "number"),
    ("What is the age group covered by the survey?", "other"),
    # a leading phrase that only sets the scope does not hide what is asked
    ("According to the 2018 report, when did the teachers' strikes end?", "date"),
    ("According to the 2018 edition, were Malian inspectors trained on the new laws?", "yesno"),
    ("In 2019, did Senegal penalize anyone for child labor?", "yesno"),
    ("In Mali's 2020 edition, which ministry leads the DPCF?", "name"),
    ("When did Mali ratify the Worst Forms of Child Labor Convention?", "date"),
    ("What year was the national action plan adopted?", "date"),
    ("Who funds the Clear Cotton Project?", "name"),
    ("Which ministry leads the CNLTE?", "name"),
    ("Which agency enforces labor laws?", "name"),
    ("Is child labor common in cotton farming?", "yesno"),
    ("Does the inspectorate have authority to assess penalties?", "yesno"),
    ("What is reference 68?", "reference"),
    ("Where do children work in mining?", "other"),
    ("What is the Clear Cotton Project?", "other"),
    ("What is ACCEL Africa's budget?", "number"),  # a possessive of several words
    ("What is its budget?", "number"),
    ("What is the role of the budget committee?", "other"),
])
def test_kind(question: str, kind: str) -> None:
    assert analyse(question).kind == kind


def test_analysis_strips_and_keeps_the_question_text() -> None:
    info = analyse(f"   {INSPECTORS_2019}  ")
    assert info.text == INSPECTORS_2019
    assert info.years == frozenset({2019})
    assert info.reference is None and not info.comparison and not info.publication
    # "Mali", "how many", "did" are function words here; what the question is about remains
    assert info.terms == ("labor", "inspectors")


# --- years ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "years"), [
    ("in 2019", {2019}),
    ("between 2018 and 2019", {2018, 2019}),
    ("the 2018–2020 action plan", {2018, 2019, 2020}),
    ("from 2015 - 2017", {2015, 2016, 2017}),
    ("ratified in 1960", {1960}),
    ("113 inspectors, 671 inspections, $85,000", set()),
    ("a reversed range 2020-2018", {2018, 2020}),  # not a range: only the years named
    ("1900 and 2099 are not report years", set()),
])
def test_years_in(text: str, years: set[int]) -> None:
    assert years_in(text) == years


def test_year_range_in_a_question_covers_the_years_inside() -> None:
    assert analyse("What was the budget in 2015–2018?").years == frozenset({2015, 2016, 2017, 2018})


def test_since_a_year_asks_every_year_from_it_to_this_one() -> None:
    # one edition's table holds 2018 and 2019: "since 2018" had quoted the 2018 column alone
    this_year = date.today().year
    assert analyse("How many inspectors has Niger had since 2018?").years == frozenset(range(2018, this_year + 1))
    assert analyse("Since 2018, how many inspectors?").years == frozenset(range(2018, this_year + 1))
    # a span, not "since": only its years
    assert analyse("How many inspectors were there from 2018 to 2019?").years == frozenset({2018, 2019})
    # "the report from 2019" names an edition, no start of a span: it had asked for every year to this one
    assert analyse("How many inspectors did Mali have according to the report from 2019?").years == frozenset({2019})


@pytest.mark.parametrize(("question", "clause"), [
    ("According to the 2018 report, when did Mali ratify it?", "when did mali ratify it?"),
    ("I'm briefing a donor on Mali — what does the report recommend?", "what does the report recommend?"),
    ("Budget boost in 2019 - approximately how much extra?", "approximately how much extra?"),
    ("Writing a piece on begging: since what year has USDOL asked?", "since what year has usdol asked?"),
    ("What did the 2018-2022 plan achieve?", "what did the 2018-2022 plan achieve?"),  # a span, no dash of context
    ("Who is the ILO's vice-president - and where?", "who is the ilo's vice-president - and where?"),
    # a question word left where its answer stands
    ("The committee is chaired by which ministry?", "which ministry?"),
    ("The AEJT workshop covered which regions of Mali?", "which regions of mali?"),
    ("In which regions was it trialled?", "in which regions was it trialled?"),  # fronted: as asked
    ("List the goods which are produced with child labor.", "list the goods which are produced with child labor."),
])
def test_the_main_clause_is_read_past_a_sentence_of_context(question: str, clause: str) -> None:
    from qa.answer.question import main_clause

    assert main_clause(question.lower()) == clause


@pytest.mark.parametrize(("question", "asked"), [
    ("I'm looking into child soldiers in the Sahel — which militias were still enlisting minors in Mali?",
     "Which militias were still enlisting minors in Mali?"),
    # the question points back at the context, or the context is a heading naming a year: kept whole
    ("I keep seeing the name Mamadou Fofana in the article — what's his role?",
     "I keep seeing the name Mamadou Fofana in the article — what's his role?"),
    ("Senegal 2019: how many convictions for the worst forms of child labour?",
     "Senegal 2019: how many convictions for the worst forms of child labour?"),
    ("Quick one — how many?", "Quick one — how many?"),  # too little asked after the dash
])
def test_a_sentence_of_context_before_the_question_is_left_out(question: str, asked: str) -> None:
    from qa.answer.question import without_preamble

    assert without_preamble(question) == asked


def test_years_are_not_content_words() -> None:
    assert "2019" not in content_words(INSPECTORS_2019)
    assert "2019" in words(INSPECTORS_2019)


def test_words_keep_numbers_with_separators() -> None:
    assert words("Funding rose to $85,000 (1,217 cases).") == ["funding", "rose", "to", "$85,000", "1,217", "cases"]


# --- bibliography look-ups --------------------------------------------------------------------

@pytest.mark.parametrize(("question", "number"), [
    ("What is reference 68?", 68),
    ("Which source is cited as 34 in the Mali report?", 34),
    ("[12]", 12),
    ("  [7] ?", 7),
    ("What is ref. 5?", 5),
    ("Show me reference number 101", 101),
    ("What is bibliography entry #9?", 9),
    ("Which document is number 3 in the references?", 3),
    # the number as written: no report has these, and the look-up says so (it used to read
    # "reference -1" as no look-up at all and the long one as reference 9999)
    ("What is reference -1?", -1),
    ("What is reference 99999999999999999999999999?", 99999999999999999999999999),
    # the marker as answers write it, asked about ("113 in 2019 [4]" -> "What is [4]?")
    ("What is [5] in the Niger report?", 5),
    ("What does [4] refer to?", 4),
    ("Who is [12] in the 2019 Mali report?", 12),
    ("[5] in the Niger report?", 5),
    # ... and as a multi-report answer labels it ("[Niger 2019: 5]", "[usdol-2019-mali: 4, 13]")
    ("What is [Niger 2019: 5]?", 5),
    ("[usdol-2019-mali: 4, 13]", 4),
])
def test_reference_lookup(question: str, number: int) -> None:
    info = analyse(question)
    assert info.reference == number
    assert info.kind == "reference"


@pytest.mark.parametrize("question", [
    "How many labor inspectors were there in 2019?",
    "What is the main source of funding for the inspectorate?",
    "How many children aged 5 to 14 work?",
    "Mali [12]",  # a bracketed number is a look-up only when it is the whole question
])
def test_not_a_reference_lookup(question: str) -> None:
    assert analyse(question).reference is None


def test_about_sources() -> None:
    assert analyse("Which source is cited as 34 in the Mali report?").about_sources
    assert analyse("Which documents does the report cite on mining?").about_sources
    assert not analyse(INSPECTORS_2019).about_sources
    # the article asked about is no source: its text answers ("the ILO article" had answered with
    # the Mali report's bibliography entry on an ILO cotton project)
    assert not analyse("What does the ILO article say about cotton?").about_sources
    assert analyse("Which articles does the Mali report cite?").about_sources


# --- comparisons and publication questions ----------------------------------------------------

@pytest.mark.parametrize("question", [
    "How did the number of labor inspectors change from 2018 to 2019?",
    "Compare labor inspectorate funding in 2018 versus 2019",
    "What was the difference between 2018 and 2019 in inspections?",
    "Did the number of inspectors increase?",
    # a comparative set against a year: the answer gave 2019's figure alone, without 2018's
    "Did Niger have more labor inspectors in 2019 than in 2018?",
    "Were there fewer inspections in 2020 than 2019?",
])
def test_comparison(question: str) -> None:
    assert analyse(question).comparison


def test_comparison_keeps_both_years() -> None:
    info = analyse("How did the number of labor inspectors change from 2018 to 2019?")
    assert info.years == frozenset({2018, 2019})
    assert info.kind == "number"


@pytest.mark.parametrize("question", [INSPECTORS_2019, "Where do children work in mining?",
                                      "When did Mali ratify the convention?",
                                      "How many children worked more than 40 hours in 2019?"])
def test_not_a_comparison(question: str) -> None:
    assert not analyse(question).comparison


@pytest.mark.parametrize(("question", "publication"), [
    ("When was the article published?", True),
    ("When was the ILO news item released?", True),
    ("What is the publication date of the article?", True),
    ("When did Mali ratify the convention?", False),
    ("Which organisation published the article?", False),  # asks who, not when
    ("On what date did the ILO post its story?", True),
    ("When did the ILO put out the story?", True),
    ("When were the children released?", False),  # a release that is not a publication
    ("When was the decree issued?", False),
    ("When was the post of national coordinator created?", False),  # "post" the noun
    # a law or plan the reports describe, published by a government: a fact, not the catalog's date
    ("When was Article 152 of the Labor Code published?", False),
    ("When was the hazardous work list published?", False),
    ("When was the report on the national action plan published?", True),  # the report is named
    # what is published is named and is no document: a fact the reports state or suggest
    ("Since when has USDOL suggested that Senegal publish information on its labour inspections?", False),
    ("When did Niger first publish its enforcement data?", False),
    ("Since when has the report urged Mali to publish its data on penalties?", False),
    ("When did the ILO publish its story on Kayes?", True),
    ("When did the ILO publish it?", True),
    ("When did USDOL publish the 2019 Mali report?", True),
    ("When did they publish online?", True),
])
def test_publication(question: str, publication: bool) -> None:
    assert analyse(question).publication is publication


@pytest.mark.parametrize(("question", "field"), [
    ("Who published the article?", "publisher"),
    ("Which organisation wrote the Mali report?", "publisher"),
    ("Who is the author of the ILO story?", "publisher"),
    ("What is the URL of the ILO article?", "url"),
    ("Give me the link to the Mali report", "url"),
    # other tenses, nouns and determiners ("Who publishes these reports?" had quoted a suggested
    # action to publish enforcement data)
    ("Who publishes these reports?", "publisher"),
    ("Which bureau produced the reports?", "publisher"),
    ("Who does publish the Niger report?", "publisher"),
    # a document's title ("What is the title of the Senegal report?" had quoted its reference 10)
    ("What is the title of the Senegal report?", "title"),
    ("What's the full title of the ILO article?", "title"),
    # the document the conversation is about, by a pronoun (as the follow-up resolver writes it)
    ("Who published it?", "publisher"),
    ("Who published it in 2019? (title report)", "publisher"),
    ("What's the link to it?", "url"),
    ("What title does the national coordinator hold?", ""),
    # a question of fact naming a publishing verb or a link
    ("Who published data on child labour?", ""),
    ("Who published it in the field of education research?", ""),
    ("Which office produced the hazardous work list?", ""),
    ("What is the link between poverty and child labour?", ""),
    ("When was the article published?", ""),
])
def test_a_documents_publisher_or_address_is_asked_of_its_catalog(question: str, field: str) -> None:
    assert analyse(question).catalog == field


# --- follow-ups -------------------------------------------------------------------------------

def test_year_followup_replaces_the_year() -> None:
    assert resolve_followup("And in 2018?", [INSPECTORS_2019]) == "How many labor inspectors did Mali have in 2018?"


@pytest.mark.parametrize(("turn", "standalone"), [
    ("Same question for 2018.", "How many labor inspectors did Mali have in 2018?"),
    ("The same thing but for Niger?", "How many labor inspectors did Niger have in 2019?"),
    ("Same for 2018?", "How many labor inspectors did Mali have in 2018?"),
])
def test_the_same_question_asked_again_of_another_year_or_country(turn: str, standalone: str) -> None:
    assert resolve_followup(turn, [INSPECTORS_2019]) == standalone


def test_year_followup_without_an_earlier_year_appends_it() -> None:
    out = resolve_followup("And in 2018?", ["How many labor inspectors did Mali have?"])
    assert out == "How many labor inspectors did Mali have in 2018?"


def test_entity_followup_swaps_the_entity() -> None:
    assert resolve_followup("What about the CNLTE?", ["What is the budget of the BPMC?"]) == \
        "What is the budget of the CNLTE?"


def test_pronoun_followup_takes_the_named_subject() -> None:
    out = resolve_followup("Who funds it?", ["What is the Clear Cotton Project?"])
    assert out.startswith("Who funds ") and "Clear Cotton Project" in out
    assert "it" not in words(out)


def test_pronoun_followup_named_subject_wins_over_the_callback() -> None:
    asked: list[str] = []

    def subject_of(question: str) -> str | None:
        asked.append(question)
        return "Something Else"

    out = resolve_followup("Who funds it?", ["What is the Clear Cotton Project?"], subject_of)
    assert "Clear Cotton Project" in out and "Something Else" not in out


def test_pronoun_followup_subject_from_the_callback() -> None:
    """The earlier question names no subject (only a country): the passage that answered it does."""
    previous = "Which police unit in Mali investigates crimes against children?"
    asked: list[str] = []

    def subject_of(question: str) -> str | None:
        asked.append(question)
        return "Brigade for the Protection of Minors"

    out = resolve_followup("How many staff did it have in 2019?", [previous], subject_of)
    assert out == "How many staff did Brigade for the Protection of Minors have in 2019?"
    assert asked == [previous]


def test_pronoun_followup_asking_its_own_thing_keeps_the_earlier_year() -> None:
    out = resolve_followup("And how many labor inspectors did it have?",
                           ["What was the labor inspectorate's funding in 2019?"], lambda q: "the inspectorate")
    assert out == "And how many labor inspectors did the inspectorate have in 2019?"


def test_possessive_pronoun_becomes_possessive() -> None:
    out = resolve_followup("What is its budget?", ["Which police unit in Mali investigates crimes?"],
                           lambda q: "BPM")
    assert out == "What is BPM's budget?"


def test_a_counting_row_label_stands_for_what_it_counts() -> None:
    # "they" after the inspectors row are the inspectors, not "Number of Labor Inspectors" (which made
    # "how much money did Number of ..." a count, answered with the inspectors row)
    out = resolve_followup("And how much money did they have to work with that year?",
                           ["How many labor inspectors did Burkina Faso have in 2018?"], lambda q: "Number of Labor Inspectors")
    assert "Labor Inspectors" in out and "Number of" not in out
    assert analyse(out).kind == "number" and "2018" in out


def test_pronoun_followup_without_any_subject_keeps_the_earlier_words_as_context() -> None:
    out = resolve_followup("Who leads them?", ["Which police unit in Mali investigates crimes?"], lambda q: None)
    assert out.startswith("Who leads them?")
    assert all(w in out for w in ("police", "unit", "investigates", "crimes"))


@pytest.mark.parametrize("question", [
    "Where do children work in mining?",
    "How many labor inspections were conducted at worksites in 2019?",
    "Which ministry leads the National Unit to Fight Against Child Labor?",
])
def test_standalone_question_is_unchanged(question: str) -> None:
    assert not is_followup(question, [INSPECTORS_2019])
    assert resolve_followup(question, [INSPECTORS_2019]) == question


@pytest.mark.parametrize("question", ["5", "[5]", "#5", "And reference 7?"])
def test_a_reference_look_up_in_a_conversation_keeps_its_words(question: str) -> None:
    # "5" after a question on inspectors had become "5 in 2019? (labor inspectors)" and quoted the row
    assert resolve_followup(question, [INSPECTORS_2019]) == question


def test_no_history_means_no_followup() -> None:
    assert not is_followup("And in 2018?", [])
    assert resolve_followup("And in 2018?", []) == "And in 2018?"
    assert resolve_followup("Who funds it?", [], lambda q: "X") == "Who funds it?"


def test_chained_year_followups() -> None:
    history = [INSPECTORS_2019, "And in 2018?"]
    assert resolve_followup("And in 2017?", history) == "How many labor inspectors did Mali have in 2017?"


def test_chained_entity_then_pronoun_followup() -> None:
    history = ["What is the budget of the BPMC?", "What about the CNLTE?"]
    out = resolve_followup("Who funds it?", history)
    assert "CNLTE" in out and "BPMC" not in out and "it" not in words(out)


def test_chained_followup_uses_the_last_turn_not_the_first() -> None:
    history = ["What is the budget of the BPMC?", INSPECTORS_2019]
    assert resolve_followup("And in 2018?", history) == "How many labor inspectors did Mali have in 2018?"


# --- regressions: bugs found by these tests and fixed ---------------------------------------

def test_followup_with_two_years_keeps_both() -> None:
    out = resolve_followup("And in 2017 and 2018?", [INSPECTORS_2019])
    assert {2017, 2018} <= years_in(out)


def test_existential_there_is_not_replaced_by_the_previous_subject() -> None:
    out = resolve_followup("Is there a minimum age for work?", ["What is the Clear Cotton Project?"])
    assert "Is there a minimum age for work" in out


def test_conjunction_that_is_not_replaced_by_the_previous_subject() -> None:
    out = resolve_followup("Which law says that children can work?", ["What is the Clear Cotton Project?"])
    assert "Clear Cotton Project" not in out


@pytest.mark.parametrize(("question", "previous", "expected"), [
    ("What about the year before?", "What was the labor inspectorate's funding in 2019?",
     "What was the labor inspectorate's funding in 2018?"),
    ("And the year before, 2017?", "How many inspectors did Niger have in 2018?", "How many inspectors did Niger have in 2017?"),
    ("And the following year?", "How many inspectors did Niger have in 2018?", "How many inspectors did Niger have in 2019?"),
    # without an opener: words of time alone are a follow-up too
    ("the year before?", "How many labor inspectors did Mali have in 2019?",
     "How many labor inspectors did Mali have in 2018?"),
    ("A year earlier?", "How many labor inspectors did Mali have in 2019?",
     "How many labor inspectors did Mali have in 2018?"),
    ("The following year?", "How many inspectors did Niger have in 2018?", "How many inspectors did Niger have in 2019?"),
    ("What about Ghana?", "How many inspectors did Niger have in 2018?", "How many inspectors did Ghana have in 2018?"),
    ("And in Senegal in 2017?", "How many Nigerien inspectors were there in 2018?",
     "How many Senegalese inspectors were there in 2017?"),
])
def test_follow_ups_with_relative_years_and_other_countries(question: str, previous: str, expected: str) -> None:
    assert resolve_followup(question, [previous]) == expected


def test_reference_look_up_phrasings() -> None:
    assert analyse("Which source is number 82 in Rwanda's bibliography?").reference == 82
    assert analyse("What is number 5 of the references?").reference == 5


def test_a_year_named_only_as_a_comparison_is_not_the_year_asked() -> None:
    from qa.answer.question import analyse

    assert analyse("By how much did the budget fall compared with 2019?").years == frozenset()
    assert analyse("How much more did it get in 2019 than in 2018?").years == frozenset({2019})
    assert analyse("Compare funding in 2018 and 2019.").years == frozenset({2018, 2019})


def test_a_follow_up_comparing_with_a_year_keeps_the_previous_turns_year() -> None:
    out = resolve_followup("By how much did that fall compared with 2019?", ["What budget did the CNLTE get in 2020?"])
    assert out == "By how much did CNLTE fall compared with 2019 in 2020?"
    assert resolve_followup("Who funds it?", ["What does the CNLTE do in 2019?"]) == "Who funds CNLTE?"


def test_a_follow_up_restating_the_thing_asked_drops_the_earlier_qualifier() -> None:
    out = resolve_followup("And the minimum age for work?", ["What is the minimum age for hazardous work in Niger?"])
    assert out == "And the minimum age for work?"
    out = resolve_followup("And the minimum age for work?", ["What was the minimum age for hazardous work in 2019?"])
    assert out == "And the minimum age for work in 2019?"
    # a turn naming a new thing asks it in the earlier turn's kind, without the earlier topic words;
    # one definite thing ("the funding") is what was counted's
    out = resolve_followup("And the funding?", ["How many labor inspectors did Mali have?"])
    assert out == "How much funding of the labor inspectors in Mali?"


def test_a_follow_up_naming_an_edition_asks_the_same_question_of_it() -> None:
    out = resolve_followup("And in the 2018 report?", ["What is the minimum age for work in Mali?"])
    assert out == "What is the minimum age for work in Mali, in the 2018 report?"
    # a bare year still replaces the year asked
    assert resolve_followup("And in 2018?", [INSPECTORS_2019]) == "How many labor inspectors did Mali have in 2018?"


def test_a_year_opening_a_law_number_is_no_year_named() -> None:
    from qa.answer.years import named_years
    assert named_years("Article L.187 of the Law 2017-021 modifying the Labor Code") == set()
    assert named_years("Decree No. 2017-682 of 2018") == {2018}
    assert named_years("the plan for 2018-2022 and the 2019-20 school year") == {2018, 2022, 2019}


def test_a_year_opening_a_things_name_gives_a_passage_no_fact_for_that_year() -> None:
    from qa.answer.years import fact_years, named_years
    # "Which armed groups recruited children in 2019?" had marked this sentence as about 2015
    groups = "Children continued to be recruited by armed groups, all signatories of the 2015 Peace Accord."
    assert fact_years(groups) == set() and named_years(groups) == {2015}
    assert fact_years("In 2019, the 2003 Penal Code was amended.") == {2019}
    assert fact_years("The 2019 budget was $85,000.") == {2019}  # a budget's year, no name


def test_a_follow_up_on_another_topic_does_not_search_the_earlier_words() -> None:
    out = resolve_followup("What about closed schools?", ["How many children were displaced in Burkina Faso?"])
    assert out == "How many closed schools in Burkina Faso?"


# -- issue 18 follow-up: a short turn naming a new thing replaces the earlier topic -------------

SENEGAL_INSPECTORS = "How many labor inspectors did Senegal have in 2019?"


@pytest.mark.parametrize("question, previous, expected", [
    # a new noun: the earlier topic words go, country, year and "how many/much" stay
    ("And the funding?", SENEGAL_INSPECTORS, "How much funding of the labor inspectors in Senegal in 2019?"),
    ("And Senegal's budget?", SENEGAL_INSPECTORS, "How much budget of the labor inspectors in Senegal in 2019?"),
    ("And convictions?", "How many criminal investigations did Senegal conduct in 2019?",
     "How many convictions in Senegal in 2019?"),
    # "its"/"their" after a count: the funding of what was counted, not any funding of the country's
    ("Its funding?", "How many labor inspectors did Niger have in 2019?",
     "How much funding of the labor inspectors in Niger in 2019?"),
    ("How about their budget?", SENEGAL_INSPECTORS, "How much budget of the labor inspectors in Senegal in 2019?"),
    # "inspectors" is new after "inspectorate", though both share a stem
    ("And inspectors?", "What was the labor inspectorate funding in Burkina Faso in 2018?",
     "How many inspectors in Burkina Faso in 2018?"),
    # an earlier question of another kind lends its own question words
    ("And its partners?", "Who funds the Clear Cotton Project?", "Who are Clear Cotton Project's partners?"),
    # both change: the turn's own country and year win
    ("What about funding in Senegal?", "How many labor inspectors did Niger have in 2019?",
     "How much funding in Senegal in 2019?"),
    ("And inspections in Mali in 2020?", SENEGAL_INSPECTORS, "How many inspections in Mali in 2020?"),
    ("What about Senegal's investigations?", "How many labor inspections did Niger conduct in 2019?",
     "How many investigations in Senegal in 2019?"),
    # a pronoun standing for a named subject keeps it
    ("Its budget?", "What is ACCEL Africa?", "What is ACCEL Africa's budget?"),
])
def test_a_short_turn_naming_a_new_thing_replaces_the_topic(question: str, previous: str, expected: str) -> None:
    assert resolve_followup(question, [previous]) == expected


@pytest.mark.parametrize("question, previous, expected", [
    # only the scope changes: the earlier question is kept
    ("What about Niger?", SENEGAL_INSPECTORS, "How many labor inspectors did Niger have in 2019?"),
    ("And in 2018?", SENEGAL_INSPECTORS, "How many labor inspectors did Senegal have in 2018?"),
    ("And the year before?", SENEGAL_INSPECTORS, "How many labor inspectors did Senegal have in 2018?"),
    # a named thing in place of the earlier named thing, not of the country
    ("What about the CNLTE?", "How many staff did Mali's BPMC have in 2019?",
     "How many staff did Mali's CNLTE have in 2019?"),
    # nothing new named (a figure is no topic): as before
    ("And reference 4?", "What is reference 68?", "And reference 4?"),
    ("And inspectors?", SENEGAL_INSPECTORS, "And inspectors in 2019? (labor inspectors)"),
    # an elliptical turn keeps the earlier turn's year besides its words
    ("How many inspections, then?", "What was Mali's labor inspectorate funding in 2020?",
     "How many inspections, then in 2020? (labor inspectorate funding)"),
])
def test_a_short_turn_changing_only_the_scope_keeps_the_question(question: str, previous: str, expected: str) -> None:
    assert resolve_followup(question, [previous]) == expected


def test_a_figure_of_a_named_body_asks_for_a_number() -> None:
    assert analyse("What was Mali's labor inspectorate funding in 2020?").kind == "number"
    assert analyse("What was the labor inspectorate funding in Senegal in 2019?").kind == "number"
    assert analyse("What is the purpose of the funding?").kind != "number"
    # a body named in several words, one a possessive
    assert analyse("What was the Senegalese labour inspection service's budget for 2019?").kind == "number"
    # a describing word or two before the money noun; a kind of it is no sum
    assert analyse("What annual sum has Mali committed to its anti-trafficking action plan?").kind == "number"
    assert analyse("What kind of funding does the project get?").kind != "number"
    # "what is the percentage of ..." asks a share as "what percentage of ..." does (a country
    # ranking asks each report this way; Burkina Faso's line had quoted a policy row)
    assert analyse("What is the percentage of working children in Burkina Faso?").kind == "number"
    # a share compared is a figure asked
    assert analyse("Compare the percentage of working children in Mali and Niger").kind == "number"
    # a verb of paying out asks a sum
    assert analyse("What did Mali's government set aside to fight people trafficking in 2020?").kind == "number"
    assert analyse("What has the ILO invested in ACCEL Africa?").kind == "number"
    assert analyse("What did the government do about trafficking?").kind != "number"


def test_a_new_topic_chains_on_a_resolved_turn() -> None:
    history = [SENEGAL_INSPECTORS, "And the funding?"]
    assert resolve_followup("And in 2018?", history) == "How much funding of the labor inspectors in Senegal in 2018?"
    assert resolve_followup("What about Niger?", history) == "How much funding of the labor inspectors in Niger in 2019?"


@pytest.mark.parametrize("question", ["What does the report say about Burkina Faso?", "Summarize the Niger report."])
def test_an_overview_question_is_not_a_follow_up(question: str) -> None:
    # the web page sends every question with the conversation: after any first question, the
    # overview was the previous question put to Burkina Faso ("How did the reports rate progress ...")
    history = ["How did the reports rate progress in 2019?"]
    assert not is_followup(question, history)
    assert resolve_followup(question, history) == question


@pytest.mark.parametrize(("question", "expected"), [
    ("Compare with Niger", "How many labor inspectors did Mali and Niger have in 2019?"),
    ("vs Niger?", "How many labor inspectors did Mali and Niger have in 2019?"),
    ("And versus Senegal in 2018?", "How many labor inspectors did Mali and Senegal have in 2018?"),
    ("Compare with Niger and Senegal", "How many labor inspectors did Mali, Niger and Senegal have in 2019?"),
    ("And in Niger and Senegal?", "How many labor inspectors did Niger and Senegal have in 2019?"),
])
def test_a_follow_up_comparing_or_naming_several_countries_asks_of_each(question: str, expected: str) -> None:
    # it read "How much vs in Niger in 2019?" (and then gave Niger's inspectorate funding), and a
    # switch to two countries kept the first only
    assert resolve_followup(question, ["How many labor inspectors did Mali have in 2019?"]) == expected


def test_that_is_the_earlier_answer_about_its_country_and_the_next_turn_swaps_its_subject() -> None:
    """ "Is that enough?" became "Is Number of Labor Inspectors enough?" (the report's "likely
    insufficient for the size of Niger's workforce" lost to the count row), and its subject, at the
    sentence's start, could not be swapped: "And the MOJ?" became "What is the MOJ?"."""
    history = ["How many labor inspectors did Niger have in 2019?", "Is that enough?"]

    def row(question: str) -> str:
        return "Number of Labor Inspectors"

    assert resolve_followup(history[1], history[:1], row) == "Is Number of Labor Inspectors in Niger enough?"
    assert resolve_followup("And the MOJ?", history, row) == "Is MOJ in Niger enough?"
    # "it" is a thing, not the earlier answer: no country is added to it
    assert resolve_followup("Who funds it?", ["What does the CNLTE do in Mali?"]) == "Who funds CNLTE?"


@pytest.mark.parametrize(("question", "previous", "expected"), [
    ("What about in mining?", "How many children work in Mali?", "How many children work in Mali in mining?"),
    ("And among girls?", "How many children work in Mali?", "How many children work in Mali among girls?"),
    ("And in agriculture?", "What hazards do children face in Mali?",
     "What hazards do children face in Mali in agriculture?"),
])
def test_a_turn_opening_with_a_preposition_narrows_the_earlier_question(question: str, previous: str,
                                                                         expected: str) -> None:
    """Read as a new topic, "What about in mining?" became "How much mining in Mali?" and "And in
    agriculture?" "What is the agriculture in Mali?"."""
    assert resolve_followup(question, [previous]) == expected
    # a year or a country after the preposition still puts the same question to it
    assert resolve_followup("And in 2018?", [INSPECTORS_2019]) == "How many labor inspectors did Mali have in 2018?"
    assert resolve_followup("What about in Niger?", [INSPECTORS_2019]) == (
        "How many labor inspectors did Niger have in 2019?")


@pytest.mark.parametrize(("question", "expected"), [
    ("What is the minimum age for work there?", "What is the minimum age for work in Senegal?"),
    ("Do children work in mines over there?", "Do children work in mines in Senegal?"),
])
def test_there_closing_a_turn_is_the_earlier_turns_country(question: str, expected: str) -> None:
    history = ["How many labor inspectors did Senegal have?"]
    assert is_followup(question, history)
    assert resolve_followup(question, history) == expected


def test_an_existential_there_is_no_place() -> None:
    # "are there" asks whether something exists; it points at no earlier country
    assert not is_followup("How many labor inspectors and labor controllers were there?",
                           ["How many labor inspectors did Senegal have?"])
    assert not is_followup("What is the minimum age for work there?", [])


def test_that_report_is_no_pronoun_for_the_earlier_answer() -> None:
    # "What does that report say ...?": "that" is the report's determiner; read as a pronoun it was
    # replaced by the earlier answer's row ("What does Number of Labor Inspectors report say ...")
    out = resolve_followup("What does that report say about the minimum age for work?",
                           ["How many labor inspectors did Mali have in 2020?"], lambda q: "Number of Labor Inspectors")
    assert "Number of Labor Inspectors" not in out and "minimum age for work" in out
    # the turn asks its own thing of the report: its words stand, the scope keeps the report; the
    # earlier turn's words were appended ("... about cocoa in 2019? (labor inspectors)") or it was
    # read as a new topic ("How much Summarize that report in Mali in 2019?")
    for question in ("What does this report say about cocoa?", "Summarize that report"):
        assert resolve_followup(question, [INSPECTORS_2019]) == question
    assert is_followup("What is source 5 of this report?", [INSPECTORS_2019])
    assert not is_followup("What is source 5 of this report?", [])


def test_full_width_and_compatibility_characters_read_as_their_plain_forms() -> None:
    # "２０１９" typed with a CJK input method, "ﬁ" pasted from a PDF: the year was no year (answered
    # with 2019 and 2020 from the latest report) and the word no word
    from qa.assistant import checked_question
    from qa.answer.years import asked_years

    question = checked_question("How many labor inspectors did Mali have in ２０１９?")
    assert question == "How many labor inspectors did Mali have in 2019?" and asked_years(question) == {2019}
    assert checked_question("What ﬁnes were imposed?") == "What fines were imposed?"


@pytest.mark.parametrize("question", [
    "What about the Kenyan government?", "And the Kenyan authorities?", "and the Kenyan one?",
    "What about Kenya's government?", "How about the government of Kenya?",
])
def test_a_follow_up_naming_a_country_by_its_government_switches_the_country(question: str) -> None:
    # "government", "authorities", "one" beside a country stand for the country: read as a new
    # topic, the turn became "How much government in Kenya?" and the answer abstained
    previous = "How many labor inspectors did Rwanda have in 2019?"
    assert resolve_followup(question, [previous]) == "How many labor inspectors did Kenya have in 2019?"
    # with a topic of its own, the turn still asks it
    assert "budget" in resolve_followup("What about the Kenyan government's budget?", [previous])


@pytest.mark.parametrize(("question", "expected"), [
    ("And Niamey?", "How many labor inspectors did Niger have in 2019?"),
    ("What about Dakar in 2018?", "How many labor inspectors did Senegal have in 2018?"),
])
def test_a_follow_up_naming_a_capital_asks_of_its_country(question: str, expected: str) -> None:
    # the capital was read as a new topic ("How much Niamey in Mali?"): the scope went to Niger, and
    # the answer abstained
    assert resolve_followup(question, ["How many labor inspectors did Mali have in 2019?"]) == expected
    # the earlier turn's own capital is a place in that country, not another country
    assert resolve_followup("And in Dakar?", ["How many children work in Senegal?"]) == (
        "How many children work in Senegal in Dakar?")


def test_by_how_much_after_a_yes_no_question_on_a_change_measures_that_change() -> None:
    # it had been read as a sum ("how much") and answered with the inspectorate's funding
    previous = ["Did the number of labor inspectors in Senegal increase?"]
    assert resolve_followup("By how much?", previous) == "By how much did the number of labor inspectors in Senegal increase?"
    assert analyse(resolve_followup("By how much?", previous)).kind == "number"
    # after a question for a figure, as before
    assert not resolve_followup("By how much?", ["What was the budget in 2019?"]).startswith("By how much what")
