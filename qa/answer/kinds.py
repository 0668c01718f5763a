"""What kind of answer a unit holds against the kind a question asks (a number, a date, names, a
reason): the kind fit the scorers weigh (``w_kind``)."""

from __future__ import annotations

import functools
import re

from qa.answer.features import without_parts
from qa.answer.mentions import asks_person, names_person
from qa.answer.question import QuestionInfo
from qa.answer.units import Unit
from qa.answer.years import years_in
from qa.text.analysis import SCALE_WORDS, number_value, words

_MONTH_YEAR = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                         r"December) (?:\d{1,2}, )?\d{4}\b")


def kind_fit(info: QuestionInfo, unit: Unit) -> float:
    """1 when the unit holds the kind of thing asked for (a number, a date, names, a reason), less otherwise."""
    text = unit.own_text or unit.text  # a row's own cells, not "Table 11" in its title
    if info.kind == "number":
        text = without_parts(text)
        # "how many" can be answered by "six"; an amount ("how much") is written in figures
        counting = "how much" not in info.text.lower()
        digits = [w for w in words(text) if (any(ch.isdigit() for ch in w) and not years_in(w))
                  or (counting and (number_value(w) is not None or w in SCALE_WORDS))]
        return 1.0 if digits else 0.0
    if info.kind == "date":
        # a date the question does not already name: "When did the 2020 strike end?" is not answered
        # by "In 2020, teacher strikes ... affected ..." but by "... lasted until September 2020"
        dated = years_in(text) - years_in(info.text) or _MONTH_YEAR.search(text)
        return 1.0 if dated or re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", text) else 0.0
    if info.kind == "yesno":
        return 1.0 if unit.kind == "row" or " not " in f" {text.lower()} " else 0.5
    if info.kind == "name":  # names; a person's when the question asks who holds a role
        named = names_person(unit.text) if asks_person(info.text) else sum(1 for w in text.split() if w[:1].isupper()) >= 3
        return 1.0 if named else 0.3
    if _WHY.search(info.text):  # a reason asked: a unit giving one ("..., so many of these children ..."); a
        # table row states a fact ("Number of Labor Inspectors: 113"), not why
        return 1.0 if _BECAUSE.search(text) else 0.3 if unit.kind == "row" else 0.5
    return 0.5


_WHY = re.compile(r"\bwhy\b|\bhow come\b|\bwhat (?:is|was|are|were) the (?:reasons?|causes?)\b", re.I)
_BECAUSE = re.compile(r"\b(?:because|due to|owing to|as a result|result(?:s|ed)? (?:in|from)|led to|leads? to|"
                      r"leading to|caus(?:e|es|ed|ing)|since|therefore|thus|given|in order to)\b|, so\b|, as\b", re.I)


# an age range asked ("children aged 15 to 17") and one a unit states ("Age: 5 to 14", "ages 5-14")
_AGES_ASKED = re.compile(r"\bage[sd]?\s+(?:between\s+)?(\d{1,2})\s*(?:to|-|–|and)\s*(\d{1,2})\b", re.I)
_AGES_STATED = re.compile(r"\bAges?:?\s+(\d{1,2})\s*(?:to|-|–)\s*(\d{1,2})\b", re.I)


@functools.lru_cache(maxsize=256)
def _ages_asked(question: str) -> tuple[str, ...] | None:
    m = _AGES_ASKED.search(question)
    return m.groups() if m else None


def other_ages(question: str, text: str) -> bool:
    """The question asks of an age range and the unit states its figure for another one ("What
    percentage of children aged 15 to 17 attend school?" is not answered by "Age: 5 to 14")."""
    asked = _ages_asked(question)
    if asked is None:
        return False
    stated = {m.groups() for m in _AGES_STATED.finditer(text)}
    return bool(stated) and asked not in stated
