"""Does the chosen unit hold what the question asks, or only a neighbouring fact?

A unit of the right report and topic can still answer another question than the one asked: "How
many talibés did the *third* phase take off the streets?" meets "The *first* phase removed over
1,500 children, including around 1,000 talibés" — same programme, same count, another item of the
series. The check here is general English, no report's wording: a question naming an item of a
series by its ordinal ("third", "2nd") is not answered by a unit naming other items of it and not
that one. A unit naming no ordinal is left alone (it may well speak of the item asked).

What was measured and left out, on the dev files only (golden.jsonl and golden-paraphrase.jsonl
dev splits, golden-real-dev.jsonl; ~240 answered questions, 5 of them unanswerable ones answered
from a neighbouring fact), each as a rule on the unit the policy chose:
- IDF-weighted share of the question's terms the unit has (alone, with its passage as the sentence
  window, or with a word's embedding cosine >= 0.5-0.65 to the unit's words counting as a match):
  the five sit at 0.13-0.84, and 53-125 correct answers sit at or under the highest of them;
- the rarest question term the index knows, absent from the unit (and its passage, and by meaning):
  catches 3 of the 5 and 64 correct answers ("receive", "since", "money": a small corpus's rare
  words are as often the question's ordinary verbs as what it asks);
- leave-one-term-out (how much a term pulls the question's vector towards the unit's vs. how much it
  moves the question): about 20 correct answers rank below the third of the five;
- question terms found in the other retrieved passages but not in the unit: 3 of 5, over 70 correct;
- the noun a "how many" question counts standing next to the unit's figure: exact stems catch one
  of the five and 8 correct answers, and single-word cosines cannot help ("teachers"/"schools" 0.64
  above "instances"/"cases" 0.41).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.answer.features import is_figure
from qa.answer.question import QuestionInfo
from qa.answer.scorers import Scored
from qa.answer.units import Unit
from qa.ingest.citations import strip_groups
from qa.text.analysis import number_value, stem, words

_ORDINAL_WORDS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}
_NUMERIC_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")


def _ordinal(part: str) -> int | None:
    if part in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[part]
    m = _NUMERIC_ORDINAL.match(part)
    return int(m.group(1)) if m else None


def ordinals(text: str) -> frozenset[int]:
    """The ordinals a text names, as numbers ("the third phase" -> {3}, "2nd" -> {2}); a compound
    counts by its parts ("third-largest" -> {3})."""
    return frozenset(n for word in words(text) for part in word.split("-") if (n := _ordinal(part)) is not None)


def series_nouns(text: str) -> frozenset[str]:
    """The stems of the words an ordinal of ``text`` qualifies ("the third phase" -> {"phase"}): the
    question itself says what the series is, so "phase two" in a unit reads as item 2 of it."""
    tokens = words(text)
    return frozenset(stem(tokens[i + 1]) for i, w in enumerate(tokens[:-1])
                     if _ordinal(w) is not None and tokens[i + 1][:1].isalpha())


def items_named(text: str, nouns: frozenset[str] = frozenset()) -> frozenset[int]:
    """The items of a series ``text`` names: its ordinals, and a series noun followed by a number
    ("phase two", "Phase 2" -> 2) for each of ``nouns``."""
    named = set(ordinals(text))
    tokens = words(text)
    for i, w in enumerate(tokens[:-1]):
        if stem(w) in nouns:
            after = tokens[i + 1]
            value = number_value(after) if not after.isdigit() else int(after) if len(after) <= 2 else None
            if value is not None:
                named.add(value)
    return frozenset(named)


def _has_figure(text: str) -> bool:
    return any(is_figure(w) for w in words(text))


def other_ordinal(info: QuestionInfo, unit: Unit, bibliography_size: int = 0) -> bool:
    """True when the question names an item of a series by ordinal and the unit names other items
    of it, not that one: it answers for a neighbouring item. For a figure asked, the unit's
    sentences that hold a figure decide (two sentences quoted together, "phase two picked up over
    300 ... planning for a third phase", give the figure of phase two)."""
    asked = ordinals(info.text)
    if not asked:
        return False
    nouns = series_nouns(info.text)
    # a window's sentences, without their citation groups ("(4)" is no figure)
    parts = ([strip_groups(s.text, bibliography_size) for s in unit.sentences]
             if unit.kind == "sentence" and len(unit.sentences) > 1 else [unit.text])
    if info.kind == "number":
        parts = [p for p in parts if _has_figure(p)] or [unit.text]
    named = [items_named(p, nouns) for p in parts]
    return all(n and not n & asked for n in named)


def uncovered(info: QuestionInfo, unit: Unit, bibliography_size: int = 0) -> str | None:
    """Why ``unit`` does not hold what ``info`` asks (None when nothing says so);
    ``bibliography_size`` is that of the unit's document (to read its citation groups)."""
    if other_ordinal(info, unit, bibliography_size):
        want = ", ".join(str(n) for n in sorted(ordinals(info.text)))
        have = ", ".join(str(n) for n in sorted(items_named(unit.text, series_nouns(info.text))))
        return f"the passage speaks of item {have} of a series, the question of item {want}"
    return None


def covered_first(info: QuestionInfo, scored: list[Scored], factor: float,
                  bibliography_size: Callable[[Unit], int] = lambda unit: 0) -> list[Scored]:
    """``scored`` with every unit that answers a neighbouring item (``uncovered``) scored ``factor``
    times lower, best first again (``factor`` 1: off); ``bibliography_size(unit)`` is that of the
    unit's document (the policy's ``Policy.bibliography_size``). The abstention threshold then reads the
    lowered score, so a neighbouring fact alone no longer answers."""
    if factor == 1.0 or not ordinals(info.text):
        return scored
    out = [Scored(s.unit, s.score * factor) if uncovered(info, s.unit, bibliography_size(s.unit)) else s
           for s in scored]
    out.sort(key=lambda s: s.score, reverse=True)
    return out
