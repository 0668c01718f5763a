"""A question's grammatical subject, read between its auxiliary and its verb (question.subject_words),
and what the question asks of it (question.predicate)."""

from __future__ import annotations

import pytest

from qa.answer.question import predicate, subject_words


@pytest.mark.parametrize(("question", "subject"), [
    ("In 2018, did inspectors get any training on the new child labour rules?", ("inspectors",)),
    ("In 2019 how many breaches of labour law did inspectors uncover?", ("inspectors",)),
    # a noun that can be a verb ("labor") stays in the subject; "find" after a plural noun is its verb
    ("Did labor inspectors find any child labor violations in 2019?", ("labor", "inspectors")),
    ("Were surprise workplace checks carried out in 2018?", ("surprise", "workplace", "checks")),
    ("Does the labor inspectorate have authority to assess penalties?", ("the", "labor", "inspectorate")),
    # a coordinated subject; a possessive is no plural noun before a verb
    ("How many breaches did the police and prosecutors uncover in 2018?", ("the", "police", "and", "prosecutors")),
    ("Did Senegal's labor inspectors find any violations?", ("senegal's", "labor", "inspectors")),
    # no verb read before a preposition: no subject rather than a wrong one
    ("Could people lodge complaints with the labour inspectorate in 2019?", ()),
    # no auxiliary opening a subject: the wh-phrase is the subject, or there is none
    ("How many children are engaged in child labor?", ()),
    ("Which ministry heads the committee?", ()),
    ("What percentage of children attend school?", ()),
    # an embedded question's subject, not the existential "there" of the auxiliary before it
    ("Was there a difference between 2018 and 2019 in whether labour inspectors got training on new child "
     "labour laws?", ("labour", "inspectors")),
    ("Did it change whether labor inspectors lodge reports with the ministry?", ("labor", "inspectors")),
])
def test_the_subject_runs_from_the_auxiliary_to_the_verb(question: str, subject: tuple[str, ...]) -> None:
    assert subject_words(question) == subject


def test_the_predicate_is_the_question_without_its_subject() -> None:
    assert predicate("Did inspectors get training on the new rules?") == "did get training on the new rules?"
    assert predicate("Which ministry heads the committee?") is None
