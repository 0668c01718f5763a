"""A suggested action is no answer to a question of fact (scorers.recommends / asks_advice)."""

from __future__ import annotations

from qa.answer.question import analyse
from qa.answer.scorers import asks_advice, recommends
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
    assert not asks_advice(analyse("What did the Supreme Court decide about wahaya?"))
    assert not asks_advice(analyse("How many labor inspectors did Mali have in 2019?"))
