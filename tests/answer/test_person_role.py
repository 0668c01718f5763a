"""A person's role asked by name ("What position does Kadiatou Koné hold?", "what's his role?") is
answered by the unit naming that person, which holds the role words for it (qa.answer.mentions)."""

from __future__ import annotations

import pytest

from qa.answer.mentions import asked_role, asks_person, holds_role, names_person, proper_names, writes_person
from qa.text.analysis import terms
from tests.answer.parts import report_asker

DOC = "testreport-2019-mali"
REPORT = """2019 Findings on the Worst Forms of Child Labor: Mali

The ILO organised a capacity-building workshop on child labour for the AEJT in Kayes and Sikasso. (1)

Children work in gold mining and cotton farming. (1)

"The workshop will help actors plan together," according to Kadiatou KONE, the Communication Officer of the AEJT national office. (1)

"Poverty must never be forgotten," affirmed Mamadou FOFANA, Vice-President of the Regional Council of Kayes. (2)

The Vice-President of the Regional Council of Kayes chairs the regional child labour committee. (2)

REFERENCES

- 1 ILO. Workshop news. 2021.
- 2 U.S. Embassy- Bamako. Reporting. January 10, 2020.
"""


@pytest.mark.parametrize(("question", "names"), [
    ("What position does Kadiatou Koné hold?", ["Kadiatou Koné"]),
    ("What is Mamadou Fofana's role?", ["Mamadou Fofana"]),
    ("What role does the CNLTE play in Mali?", []),  # an acronym and a country are no names
])
def test_proper_names(question: str, names: list[str]) -> None:
    assert proper_names(question) == names


def test_a_role_is_asked_of_a_persons_name_not_of_a_place() -> None:
    assert asked_role("What position does Kadiatou Koné hold?") == (
        frozenset(terms("position hold")), (frozenset(terms("Kadiatou Koné")),))
    assert asked_role("What role do children play in Kayes?") == (frozenset(), ())  # one word: a place as often
    assert asked_role("Who is Kadiatou Koné?") == (frozenset(), ())  # no role word: nothing to lend
    assert writes_person("What is Mamadou Fofana's role?", frozenset(terms("affirmed Mamadou FOFANA, Vice-President")))
    assert not writes_person("What is Mamadou Fofana's role?", frozenset(terms("The ILO workshop for the AEJT")))


@pytest.mark.parametrize(("question", "person"), [
    ("Who is the national coordinator of the ACCEL Africa project in Mali?", True),
    ("In the ILO article, who spoke on behalf of the AEJT's national office?", True),
    ("Who funds the project?", False),  # a body as likely
    ("Who is the head of the anti-trafficking committee?", False),  # often a ministry
    ("Who is responsible for enforcing labor laws?", False),
])
def test_a_person_is_asked_by_their_role_or_their_words(question: str, person: bool) -> None:
    assert asks_person(question) is person


@pytest.mark.parametrize(("text", "person"), [
    ("explained Hamidou Cisse, National Coordinator of the Accel Africa Project in Mali.", True),
    ("according to Kadiatou KONE, the Communication Officer of the AEJT national office", True),
    ("The ILO's ACCEL AFRICA project supports governments in Burkina Faso, Mali, Niger.", False),
    ("Through this workshop, the ILO project Accelerating Action for the Elimination of Child Labour in "
     "Africa's Supply Chains, ACCEL Africa, aimed to strengthen the capacities", False),
])
def test_a_persons_name_is_read_before_their_role(text: str, person: bool) -> None:
    assert names_person(text) is person


def test_a_role_is_held_only_by_a_unit_naming_it_where_the_question_asks() -> None:
    kayes = frozenset(terms("affirmed Mamadou FOFANA, Vice-President of the Regional Council of Kayes"))
    assert holds_role("Who is the Vice-President of the Regional Council of Kayes?", kayes)
    assert not holds_role("Who is the Vice-President of the Regional Council of Sikasso?", kayes)
    assert not holds_role("Who is the President of the AEJT?", kayes)  # the initials the role is of
    # a source named after the role is no part of it
    cisse = frozenset(terms("explained Hamidou Cisse, National Coordinator of the Accel Africa Project in Mali"))
    assert holds_role("Who is the national coordinator of ACCEL Africa, according to the ILO article?", cisse)
    assert holds_role("Which agency enforces labor laws?", frozenset())  # no role of a person asked


@pytest.fixture(scope="module")
def ask(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return report_asker(tmp_path_factory.mktemp("role"), REPORT, DOC, "Mali")


def test_the_unit_naming_the_person_answers_their_role(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("What position does Kadiatou Kone hold?")
    assert "Communication Officer" in answer.answer, answer.answer


def test_who_holds_a_role_is_answered_by_the_unit_naming_a_person(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("Who is the Vice-President of the Regional Council of Kayes?")
    assert "FOFANA" in answer.answer, answer.answer


def test_a_role_no_unit_names_there_is_declined(ask) -> None:  # type: ignore[no-untyped-def]
    answer = ask("Who is the Vice-President of the Regional Council of Sikasso?")
    assert answer.abstained and "FOFANA" not in answer.answer, answer.answer


def test_a_unit_not_naming_the_person_is_no_answer_to_their_role(ask) -> None:  # type: ignore[no-untyped-def]
    # the question's other words are the workshop sentence's: that says nothing of who he is (declining
    # is fine, the fake embedder's cosines mean nothing)
    answer = ask("The name Mamadou Fofana comes up in the ILO piece on the AEJT workshop - what's his role?")
    assert "capacity-building" not in answer.answer, answer.answer
