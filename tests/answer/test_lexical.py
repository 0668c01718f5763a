"""Lexical overlap: an acronym a document defines carries the words of its long form."""

from __future__ import annotations

from qa.answer.lexical import Overlap

ACRONYMS = {"BPMC": ["Police Brigade for the Protection of Morals and Children"]}
UNITS = ["In 2019, the BPMC employed 25 staff, 3 fewer than in 2018.",
         "The labor inspectorate employed 113 inspectors.",
         "The BPMCX unit is something else."]


def test_a_unit_using_an_acronym_has_its_long_forms_words() -> None:
    plain, expanded = Overlap(UNITS), Overlap(UNITS, ACRONYMS)
    weight = expanded.weights(["police", "brigade", "staff"])
    assert plain.share(weight, UNITS[0]) < expanded.share(weight, UNITS[0])
    assert expanded.share(weight, UNITS[0]) == 1.0


def test_only_the_whole_acronym_counts() -> None:
    expanded = Overlap(UNITS, ACRONYMS)
    weight = expanded.weights(["police", "brigade"])
    assert expanded.share(weight, UNITS[2]) == 0.0
    assert expanded.share(weight, UNITS[1]) == 0.0
