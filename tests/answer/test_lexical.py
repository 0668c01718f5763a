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


VIOLATIONS = ["The inspectorate identified 13,772 labor law violations in 2019.",
              "The labor inspectorate employed 113 inspectors in 2019.",
              "Children carry heavy loads in gold mines."]


def test_a_word_no_unit_uses_is_held_in_part_by_a_word_wordnet_relates_to_it() -> None:
    overlap = Overlap(VIOLATIONS)
    words = ["breaches", "labor", "law"]  # "breaches": no unit says it; WordNet: breach ~ violate
    off, on = overlap.weights(words), overlap.weights(words, credit=1.0)
    assert overlap.share(off, VIOLATIONS[0]) < overlap.share(on, VIOLATIONS[0]) <= 1.0
    assert overlap.share(on, VIOLATIONS[1]) == overlap.share(off, VIOLATIONS[1])  # holds no related word
    # the credit is the related word's own weight at most, never more than the word asked
    gained = overlap.share(on, VIOLATIONS[0]) - overlap.share(off, VIOLATIONS[0])
    assert gained * sum(on.values()) <= overlap.idf["violat"] + 1e-9


def test_a_word_the_corpus_uses_is_never_read_through_the_lexicon() -> None:
    overlap = Overlap(VIOLATIONS)
    weight = overlap.weights(["violations", "inspectors"], credit=1.0)
    assert weight.related == {}
    assert overlap.share(weight, VIOLATIONS[1]) == overlap.share(overlap.weights(["violations", "inspectors"]),
                                                                 VIOLATIONS[1])
