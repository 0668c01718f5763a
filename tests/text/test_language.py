"""A question's language: other languages are told apart from English, names quoted in French do
not make an English question French, and no golden question of any file reads as foreign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.text.language import foreign_language, language_name, own_words

EVAL = Path(__file__).resolve().parents[2] / "eval"


@pytest.mark.parametrize(("question", "code"), [
    ("¿Cuántos inspectores de trabajo tenía Malí en 2019?", "es"),
    ("Combien d'inspecteurs du travail le Mali avait-il en 2019 ?", "fr"),
    ("Wie viele Arbeitsinspektoren hatte Mali 2019?", "de"),
    ("Quantos inspetores do trabalho o Mali tinha em 2019?", "pt"),
    ("كم عدد مفتشي العمل في مالي؟", "ar"),
    ("Сколько трудовых инспекторов было в Мали в 2019 году?", "ru"),
    ("马里在2019年有多少劳动监察员？", "zh"),
])
def test_other_languages_are_recognised(question: str, code: str) -> None:
    assert foreign_language(question) == code


@pytest.mark.parametrize("question", [
    "What does the Cellule Nationale de Lutte contre le Travail des Enfants do?",
    "Who leads the Brigade des Moeurs et de la Protection de l'Enfance?",
    "Tell me about the Direction Nationale du Travail",
    "Plan d'Action National pour l'Elimination du Travail des Enfants au Mali (PANETEM)?",
    "What is PANETEM?",
    "How many labor inspectors did Mali have in 2019?",
])
def test_english_questions_quoting_french_names_stay_english(question: str) -> None:
    assert foreign_language(question) is None


def test_too_little_to_tell_is_not_declined() -> None:
    # a follow-up of two words may be in any language; it is not worth declining
    assert foreign_language("¿Y en Níger?") is None
    assert foreign_language("y en 2018?") is None
    assert foreign_language("") is None


def test_own_words_leave_out_names_acronyms_and_figures() -> None:
    assert own_words("What does the Cellule Nationale de Lutte contre le Travail des Enfants do in 2019?") == [
        "What", "does", "the", "do", "in"]
    assert own_words("Who funds CNLTE?") == ["Who", "funds"]


def test_language_names() -> None:
    assert language_name("es") == "Spanish"
    assert language_name("zz") == "zz"


def test_no_golden_question_reads_as_foreign() -> None:
    questions = []
    for path in sorted(EVAL.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                questions += [row.get("question") or ""] + [h for h in row.get("history") or [] if isinstance(h, str)]
    assert len(questions) > 800
    assert [q for q in questions if q and foreign_language(q)] == []
