"""Features of the answer stage: the answer type a question asks for, whether a unit holds it, the
learned ranker's score and its table in scoring.toml, and the type term of the linear score."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.answer.candidates import Candidate
from qa.answer.features import FEATURES, answer_type, asks_hypothetical, chunk_counts, head_noun, type_fit
from qa.answer.lexical import Overlap
from qa.answer.scorers import UnitScorer
from qa.answer.scoring import Ranker, Scoring, load_scoring
from qa.models import Chunk, Sentence
from tests.answer.parts import chunk, info, sentence_units


@pytest.mark.parametrize(("question", "kind"), [
    ("How much did the government spend on the plan?", "money"),
    ("What is its budget?", "money"),
    ("What was the Clear Cotton project's total funding?", "money"),  # a possessive of several words
    ("What percentage of children work?", "percent"),
    ("How old must a recruit be?", "age"),
    ("How many inspectors were there?", "count"),
    # "how much" of a thing that is not money asks for a quantity, not a sum
    ("How much fuel did the government give the brigade?", "count"),
    ("About how much extra money did the directorate get?", "money"),
    ("How much funding did the unit receive?", "money"),
    ("What was the Senegalese labour inspection service's budget for 2019?", "money"),
    ("What's the value of the project?", "money"),
    # a year or several words before the money noun ("the 2018 budget" had read as a count)
    ("What was the 2018 budget of Senegal's labour inspectorate?", "money"),
    ("What was the 2019 labor inspectorate funding?", "money"),
    ("What was the 2019 number of inspectors?", "count"),
    ("In 2019, how many dollars did Mali's authorities set aside?", "money"),
    ("How many CFA francs did the unit get?", "money"),
    ("What did the government put into the programme?", "money"),
    ("What did the government set aside to fight trafficking?", "money"),
    ("By how much did the number of labor inspectors change from 2018 to 2020?", "count"),
    ("Which has the larger inspectorate budget, Niger or Senegal?", "money"),
    ("On what date was the story posted?", "date"),
    ("When did the law pass?", "date"),
    ("Which ministry leads the committee?", "organisation"),
    ("Did inspectors receive training?", "yesno"),
    ("Why do children leave school?", ""),
])
def test_the_answer_type_comes_from_the_wh_phrase(question: str, kind: str) -> None:
    assert answer_type(info(question)) == kind


def test_a_unit_holds_the_type_asked_or_not() -> None:
    assert type_fit("money", "The plan allocates $350,000 a year.") == 1.0
    assert type_fit("money", "The program costs 100 million CFA francs.") == 1.0
    # millions of people are no sum
    assert type_fit("money", "The workforce includes approximately 6.5 million workers.") == 0.0
    assert type_fit("money", "The plan calls for a coordinating body.") == 0.0
    assert type_fit("percent", "Working children: 49.2%") == 1.0
    assert type_fit("age", "The minimum age for voluntary recruitment is 18.") == 1.0
    assert type_fit("age", "The army recruited 24 children.") == 0.0
    assert type_fit("organisation", "Chaired by the Ministry of Justice.") == 1.0
    assert head_noun(info("Which ministry leads it?")) == "ministri"
    # a statistics row's share is no count; the population beside it in brackets is
    assert type_fit("count", "Working (% and population) | Age: 5 to 14 | Percent: 42.9 (2,516,191)") == 1.0
    assert type_fit("count", "Working (% and population) | Age: 5 to 14 | Percent: 22.3 (Unavailable)") == 0.0
    assert type_fit("count", "Number of Labor Inspectors | 2019: 113") == 1.0
    # an instrument's number is no count ("How many children are in child labour worldwide?" had been
    # answered with the ratification row of ILO C. 182)
    assert type_fit("count", "ILO C. 182, Worst Forms of Child Labor | Ratification: ✓") == 0.0
    assert type_fit("count", "Article 152 of the Labor Code and Decree No. 2017-682") == 0.0
    assert type_fit("count", "Article 152 sets the age; 24 children were recruited") == 1.0


@pytest.mark.parametrize("text, fit", [
    ("Minimum Age for Work | Meets International Standards: Yes | Age: 15 | Legislation: Article 145", 1.0),
    ("Minimum Age for Hazardous Work: 18", 1.0),
    ("The law mandates free education until age 16.", 1.0),
    ("The army used children between the ages of 9 and 16.", 1.0),
    ("Children under 15 years may not work at night.", 1.0),
    # a figure beside the age word that is no age: an article's number
    ("Minimum Age for Hazardous Work: Article 1 of the Ministerial Order No. 3749", 0.0),
    # a statistic's row names the ages of the children it counts; its figure is the percentage
    ("Attending School (%) | Age: 5 to 14 | Percent: 41.9", 0.0),
])
def test_an_age_is_stated_by_an_age_word_with_its_figure(text: str, fit: float) -> None:
    assert type_fit("age", text) == fit


def test_the_ranker_is_a_logistic_score_over_named_features() -> None:
    r = Ranker(-1.0, (("dense", 2.0), ("type_fit", 1.0)))
    assert r.probability({"dense": 0.5}) == pytest.approx(0.5)
    assert r.probability({"dense": 0.5, "type_fit": 1.0}) > r.probability({"dense": 0.5})
    assert set(n for n, _ in r.coef) <= set(FEATURES)


def test_a_ranker_table_loads_and_an_unknown_feature_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scoring.toml"
    path.write_text("[scoring]\nabstain_below = 0.3\n[ranker]\nintercept = -2.0\n[ranker.coef]\ndense = 3.0\n")
    loaded = load_scoring(path)
    assert loaded.abstain_below == 0.3 and loaded.ranker == Ranker(-2.0, (("dense", 3.0),))
    bad = tmp_path / "bad.toml"
    bad.write_text("[ranker]\nintercept = 0.0\n[ranker.coef]\ndensity = 1.0\n")
    with pytest.raises(ValueError, match="density"):
        load_scoring(bad)


PARA = chunk("I/p1", [("The plan calls for a coordinating body.", set()),
                      ("The plan allocates $350,000 a year.", {3})])


def _scores(scoring: Scoring, question: str) -> dict[str, float]:
    units = sentence_units(PARA)
    s = UnitScorer(scoring, Overlap(u.text for u in units), {})
    vec = np.ones(4) / 2.0
    return {x.unit.text: x.score for x in s.score(info(question), vec, [Candidate(u, 0) for u in units],
                                                  lambda u: vec)}


def test_w_type_lifts_the_unit_holding_the_amount_asked_for() -> None:
    q = "How much does the plan get?"
    off = _scores(replace(Scoring(), w_type=0.0), q)
    on = _scores(replace(Scoring(), w_type=0.2), q)
    money, other = "The plan allocates $350,000 a year.", "The plan calls for a coordinating body."
    assert on[money] - on[other] > off[money] - off[other]


def test_with_a_ranker_the_score_is_its_probability() -> None:
    scoring = replace(Scoring(), ranker=Ranker(0.0, (("type_fit", 4.0),)))
    got = _scores(scoring, "How much does the plan get?")
    assert got["The plan allocates $350,000 a year."] == pytest.approx(1 / (1 + np.exp(-4.0)))
    assert got["The plan calls for a coordinating body."] == pytest.approx(0.5)


def test_a_question_states_figures_and_a_unit_with_none_of_them_lacks_them() -> None:
    from qa.answer.features import lacks_figures, stated_figures

    figures = stated_figures(info("What share of children aged fifteen to 17 work in 2019?"))
    assert figures == {"15", "17"}  # number words as digits, the year left out
    assert lacks_figures(figures, "Working children — Age: 5 to 14; Percent: 49.2")
    assert not lacks_figures(figures, "Working children — Age: 15 to 17; Percent: 30.1")
    assert not lacks_figures(frozenset(), "anything")


def test_typed_quantities_penalise_a_unit_without_the_amount_asked_for() -> None:
    units = sentence_units(chunk("I/p2", [("The plan allocates $350,000 to education.", set()),
                                          ("The plan hired 300 new teachers.", set())]))
    q = info("How many teachers were hired?")
    s = UnitScorer(replace(Scoring(), typed_quantities=1.0), Overlap(u.text for u in units), {})
    vec = np.ones(4) / 2.0
    kept, raws = s.measure(q, vec, [Candidate(u, 0) for u in units], lambda u: vec)
    lacking = {c.unit.text: r.no_number for c, r in zip(kept, raws)}
    assert lacking == {"The plan allocates $350,000 to education.": True, "The plan hired 300 new teachers.": False}
    old = UnitScorer(Scoring(), Overlap(u.text for u in units), {})
    _, raws_old = old.measure(q, vec, [Candidate(u, 0) for u in units], lambda u: vec)
    assert not any(r.no_number for r in raws_old)  # off: any figure counts for "how many"


def test_head_noun_lifts_the_unit_naming_what_a_which_question_asks_for() -> None:
    from qa.answer.features import names_head

    c = chunk("I/t3/r1", [("Coordinates anti-trafficking efforts.", {2}), ("Chaired by the Ministry of Justice.", {2})])
    label = "National Committee of the Ministry"
    units = [u.__class__(u.key, u.chunk, u.kind, u.sentences, f"{label}: {u.text}", label) for u in sentence_units(c)]
    head = head_noun(info("Which ministry heads the committee?"))
    assert head is not None
    # the row label names a ministry too: only the sentence's own words count
    assert [names_head(u, head) for u in units] == [False, True]
    s_off = UnitScorer(Scoring(), Overlap(u.text for u in units), {})
    s_on = UnitScorer(replace(Scoring(), head_noun=1.3), Overlap(u.text for u in units), {})
    vec = np.ones(4) / 2.0
    cands = [Candidate(u, 0) for u in units]
    off = {x.unit.key: x.score for x in s_off.score(info("Which ministry heads the committee?"), vec, cands, lambda u: vec)}
    on = {x.unit.key: x.score for x in s_on.score(info("Which ministry heads the committee?"), vec, cands, lambda u: vec)}
    assert on[units[1].key] == pytest.approx(1.3 * off[units[1].key])
    assert on[units[0].key] == pytest.approx(off[units[0].key])


def test_an_organisation_question_lifts_a_unit_naming_another_organisation_than_its_label() -> None:
    from qa.answer.features import names_head, wh_clause

    question = "In the 2020 edition, which ministry leads the Directorate for Children (DFC)?"
    assert wh_clause(question) == "which ministry leads the directorate for children (dfc)?"
    head = head_noun(info(question))
    assert head == "ministri"
    c = chunk("I/t8/r2", [("Implemented the national policy.", {7}), ("The DFC supported birth registration.", {7}),
                          ("Led by MPFE, coordinates child labor issues.", {7})])
    label = "Directorate for Children (DFC)"
    units = [u.__class__(u.key, u.chunk, u.kind, u.sentences, f"{label}: {u.text}", label) for u in sentence_units(c)]
    # the label's own acronym is no answer to "which ministry"; another organisation's is
    assert [names_head(u, head, info(question)) for u in units] == [False, False, True]
    # a question asking for no organisation lifts nothing but the head noun itself
    other = info("Which regions did the Directorate for Children cover?")
    assert [names_head(u, head_noun(other) or "", other) for u in units] == [False, False, False]


@pytest.mark.parametrize(("question", "head"), [
    # a country's demonym, an adjective or a name before the head noun describes it
    ("Which Malian regions was the workshop about?", "region"),
    ("What hazardous tasks do children perform?", "task"),
    ("Which pro-government armed group is led by a general?", "group"),
    ("Which UN agency runs the centres?", "agenc"),
    # a noun before a word that can only be a noun describes it, and a unit must hold both
    ("Which Spanish clothing company paid for the project?", "cloth compani"),
    ("Which police unit investigates crimes against children?", "polic unit"),
    # a word that can be a verb ends the phrase
    ("Which ministry heads the committee?", "ministri"),
    # no noun phrase after the wh-word
    ("What about Niger?", None),
    ("What makes it hard to inspect farms?", None),
])
def test_the_head_noun_is_read_past_describing_words(question: str, head: str | None) -> None:
    assert head_noun(info(question)) == head


@pytest.mark.parametrize(("question", "noun"), [
    ("How many labor inspectors does Niger have?", "inspector"),
    ("How many criminal investigations of child labor were there?", "investig"),
    ("How many kids work on shea farms?", "kid"),
    ("How many times did the committee meet?", "time"),
    ("What is the budget?", None),
    # the noun phrase asks it too: it was answered with "The number of labor inspectors is likely insufficient ..."
    ("What is the latest number of labor inspectors in Mali?", "inspector"),
    ("What was the total number of children withdrawn from work?", "children"),
    ("How many child trafficking prosecutions did Senegal have?", "prosecut"),
    ("How many children working in mines were removed?", "children"),
])
def test_the_noun_a_count_question_counts_is_its_phrases_last(question: str, noun: str | None) -> None:
    from qa.answer.features import counted_noun

    assert counted_noun(info(question)) == noun


def _row(label: str, cells: list[tuple[str, set[int]]]) -> Chunk:
    sents, pos, text = [], len(label) + 1, label
    for cell, refs in cells:
        sents.append(Sentence(cell, pos, pos + len(cell), frozenset(refs), "2019"))
        pos += len(cell) + 1
        text += "\t" + cell
    return Chunk("rep#t7/r6", "rep", "table-row", "III", ("III",), text, 0, len(text), len(text.split()),
                 frozenset(), tuple(sents), "", text)


def test_a_chunk_counts_the_noun_asked_in_a_labelled_row_or_a_sentence_with_a_figure() -> None:
    assert chunk_counts(_row("Number of Convictions", [("1 (68)", {68}), ("0 (4)", {4})]), "convict")
    # a citation group is no figure, a row not naming the noun counts nothing
    assert not chunk_counts(_row("Number of Convictions", [("Unknown (68)", {68}), ("Unknown (4)", {4})]), "convict")
    assert not chunk_counts(_row("Training on New Laws", [("12 (4)", {4})]), "convict")
    assert not chunk_counts(_row("\tILO C. 182, Worst Forms of Child Labor", [("✓", set())]), "form")
    actual = chunk("I/p0", [("In 2019 Mali had 113 labor inspectors.", {4})])
    would = chunk("I/p1", [("Mali would employ about 161 inspectors.", {68})])
    assert chunk_counts(actual, "inspector") and not chunk_counts(would, "inspector")
    # a question of what would be is answered by a sentence of what would be, not a row of what is
    assert chunk_counts(would, "inspector", hypothetical=True)
    assert not chunk_counts(actual, "inspector", hypothetical=True)
    assert not chunk_counts(_row("Number of Labor Inspectors", [("113 (4)", {4})]), "inspector", hypothetical=True)
    assert asks_hypothetical(info("How many inspectors should Niger employ?"))
    assert not asks_hypothetical(info("How many inspectors did Niger employ?"))


@pytest.mark.parametrize("question, asks", [
    ("Who heads Senegal's national anti-trafficking task force?", True),
    ("Which ministry chairs the CNVS?", True),
    ("Who sits at the head of the National Coordinating Committee?", True),
    ("Which militia is led by an army general?", True),
    ("Who funds the project?", False),
    ("What did the committee do in 2019?", False),
])
def test_a_question_asks_who_leads_a_body(question: str, asks: bool) -> None:
    from qa.answer.features import asks_leader

    assert asks_leader(info(question)) is asks


@pytest.mark.parametrize("text, states", [
    ("National Task Force Against Trafficking in Persons (CNLTP): Chaired by MOJ and employs five staff members.", True),
    ("CNVS: MFSNF serves as president and MJ as vice president.", True),
    ("A general in the armed forces is also leading GATIA.", True),
    ("CNLTP: Reports on human trafficking in Senegal; coordinates the national action plan.", False),
])
def test_a_unit_states_who_leads(text: str, states: bool) -> None:
    from qa.answer.features import states_leader
    from tests.answer.parts import chunk, sentence_units

    assert states_leader(sentence_units(chunk("p", [(text, set())]))[0]) is states


@pytest.mark.parametrize("question, would", [
    ("How many labor inspectors does Niger need?", True),
    ("How many labor inspectors are needed in Madagascar?", True),
    ("How many inspectors should Niger employ?", True),
    ("How many inspectors does Niger have?", False),
    ("How many children with special needs attend school?", False),
])
def test_a_question_asking_what_is_needed_asks_what_would_be(question: str, would: bool) -> None:
    from qa.answer.features import asks_hypothetical

    assert asks_hypothetical(info(question)) is would


def test_an_adjective_sharing_the_head_nouns_stem_names_no_such_thing() -> None:
    # "which regions": "through their regional representations" names no region; "the Kayes and
    # Sikasso regions" does (the adjective had drawn the answer to the first)
    from qa.answer.features import holds_head

    assert holds_head("children in the Kayes and Sikasso regions of Mali", "region")
    assert not holds_head("ministries working through their regional representations", "region")
