"""A suggested action is no answer to a question of fact (scorers.recommends / asks_advice)."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.features import Raw
from qa.answer.lexical import Overlap
from qa.answer.question import analyse
from qa.answer.scorers import UnitScorer, advice_terms, advice_wanted, asks_advice, recommends
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.models import Chunk


def _unit(heading: tuple[str, ...]) -> Unit:
    text = "Ensure that the ruling is enforced."
    chunk = Chunk(id="d#t11/r0", doc_id="d", kind="table-row", section="VII", heading_path=heading, text=text,
                  start=0, end=len(text), token_count=8, refs=(), sentences=())
    return Unit("d#t11/r0#0", chunk, "row", (), chunk.text)


def test_a_row_under_suggested_actions_recommends_and_a_findings_row_does_not() -> None:
    assert recommends(_unit(("VII. SUGGESTED GOVERNMENT ACTIONS", "Table 11. Suggested Government Actions")))
    assert recommends(_unit(("Recommendations",)))
    assert not recommends(_unit(("IV. ENFORCEMENT", "Table 6. Labor Law Enforcement Efforts")))


def test_questions_asking_for_advice_are_told_from_questions_of_fact() -> None:
    assert asks_advice(analyse("What should the government do about child soldiers?"))
    assert asks_advice(analyse("Which actions does USDOL recommend for enforcement?"))
    assert asks_advice(analyse("How long has the report been urging Mali to outlaw it?"))
    assert asks_advice(analyse("Is USDOL calling for more inspectors?"))
    assert asks_advice(analyse("Since when has USDOL been pressing Niger for a programme for talibes?"))
    assert not asks_advice(analyse("How could the minimum working age push children to drop out of school?"))
    assert not asks_advice(analyse("What did the Supreme Court decide about wahaya?"))
    assert not asks_advice(analyse("How many labor inspectors did Mali have in 2019?"))


def test_a_users_words_for_a_recommendation_ask_for_advice() -> None:
    assert asks_advice(analyse("Did the 2018 report ask Mali to make hereditary slavery a crime?"))
    assert asks_advice(analyse("Since what year has USDOL asked Niger for a program for talibés?"))
    assert asks_advice(analyse("Does USDOL want Burkina Faso to train new labor inspectors?"))
    assert not asks_advice(analyse("How many children wanted to go to school?"))


def test_advice_wanted_lifts_a_suggested_action_but_not_for_a_quantity() -> None:
    assert advice_wanted(analyse("What does USDOL recommend Niger do about wahaya?"))
    assert not advice_wanted(analyse("How many labor inspectors should Niger employ?"))


def test_a_suggested_action_beats_a_finding_only_when_advice_is_asked() -> None:
    scorer = UnitScorer(replace(Scoring(), advice_penalty=0.8), Overlap(), {})
    finding = Raw(0.5, 0.5, 0.5, 0, 0.0, False, False, False, False, False, False)
    advice = _unit(("VII. SUGGESTED GOVERNMENT ACTIONS", "Table 11. Suggested Government Actions"))
    fact = _unit(("IV. ENFORCEMENT",))
    asked = analyse("What does USDOL recommend about the ruling?")
    told = analyse("What did the court rule?")
    score = scorer._linear  # the hand-weighted formula, same measurements for both units
    assert score(asked, finding, 0.5, 0.5, "", advice) > score(asked, finding, 0.5, 0.5, "", fact)
    assert score(told, finding, 0.5, 0.5, "", advice) < score(told, finding, 0.5, 0.5, "", fact)


def test_a_figure_asked_of_the_recommendations_themselves_wants_the_suggested_action() -> None:
    info = analyse
    # a figure the findings give, asked with a modal: not the suggested action
    assert not advice_wanted(info("How many inspectors should Niger employ?"))
    # the question names the recommendations: the figure asked is the one they suggest
    assert advice_wanted(info("How old should kids be before the law lets them do light work, per the recommendations?"))
    assert advice_wanted(info("What minimum age do the suggested actions give for light work, and should it rise?"))


def test_the_words_asking_for_advice_are_met_by_a_suggested_action_only() -> None:
    info = analyse("What does USDOL recommend Mali do about coordination?")
    assert {"recommend"} <= advice_terms(info) and "coordination" not in advice_terms(info)
    assert not advice_terms(analyse("How many labor inspectors did Mali have?"))
    scorer = UnitScorer(Scoring(), Overlap(["Clarify roles for coordination.", "Coordination improved in 2019."]), {})
    weight = scorer.overlap.weights(info.terms)
    action = replace(_unit(("VII. SUGGESTED GOVERNMENT ACTIONS",)), text="Clarify roles for coordination.")
    finding = replace(_unit(("IV. COORDINATION",)), text="Coordination improved in 2019.")
    assert scorer.lexical(weight, action, met=advice_terms(info)) > scorer.lexical(weight, finding)
    # unmet, a recommendation shares no more of the question than the finding
    assert scorer.lexical(weight, action) == scorer.lexical(weight, finding)


def test_what_is_advised_is_asked_whatever_figure_it_is_about() -> None:
    # "minimum age" had made it a question for a number, answered by the Table 4 row
    advised = analyse("What does the report recommend Niger do about the minimum age for work?")
    assert advised.kind == "other" and advice_wanted(advised)
    assert analyse("What should Mali do about the number of labor inspectors?").kind == "other"
    # a figure asked of the advice, or with a modal, stays a figure
    assert analyse("What minimum age does USDOL recommend for light work?").kind == "number"
    assert analyse("How many labor inspectors should Niger employ?").kind == "number"
