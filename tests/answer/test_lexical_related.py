"""Lexical overlap with a lexicon: a question term the unit lacks earns part of its weight when the
unit has a related word (qa.answer.lexical with qa.text.lexicon), never for an unrelated one."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.answer.lexical import Overlap
from qa.answer.retrieve import Retriever
from qa.answer.scoring import Scoring
from qa.text.analysis import stem
from qa.text.lexicon import Lexicon, Relations

UNITS = ["Children are exposed to toxic substances such as mercury.",
         "Children work on farms and sell goods in markets.",
         "Children build fishing canoes on the river.",
         "The budget was allocated to fund education."]
LEXICON = Lexicon(Relations(synonym=0.7, derived=0.7, hypernym=0.5))


def test_a_synonym_in_the_unit_earns_part_of_the_term() -> None:
    overlap = Overlap(UNITS)
    plain = overlap.weights(["poisonous", "substances"])
    related = overlap.weights(["poisonous", "substances"], lexicon=LEXICON)
    assert overlap.share(plain, UNITS[0]) < overlap.share(related, UNITS[0]) < 1.0
    assert overlap.share(related, UNITS[1]) == overlap.share(plain, UNITS[1]) == 0.0


def test_a_hypernym_of_a_unit_word_earns_it_either_way() -> None:
    overlap = Overlap(UNITS)
    boats = overlap.weights(["boats"], lexicon=LEXICON)  # the unit's "canoes" is a kind of boat
    assert overlap.share(boats, UNITS[2]) > 0.0
    assert overlap.share(boats, UNITS[1]) == 0.0
    schooling = overlap.weights(["schooling"], lexicon=LEXICON)  # schooling is a kind of education
    assert overlap.share(schooling, UNITS[3]) > 0.0
    assert overlap.share(schooling, UNITS[0]) == 0.0


def test_the_credit_is_capped_by_the_unit_words_idf() -> None:
    # "kids" is unseen (the rarest weight); the unit's "children" is in every unit: it earns little
    overlap = Overlap(UNITS)
    weight = overlap.weights(["kids", "mercury"], lexicon=LEXICON)
    credit = overlap.share(weight, UNITS[1]) * sum(weight.values())
    assert 0.0 < credit <= 0.7 * overlap.idf[stem("children")] + 1e-9


def test_the_report_s_own_word_counts_more_than_a_related_one() -> None:
    overlap = Overlap(["exposed to toxic substances", "exposed to poisonous substances"])
    weight = overlap.weights(["poisonous"], lexicon=LEXICON)
    assert overlap.share(weight, "exposed to poisonous substances") > overlap.share(weight, "exposed to toxic substances")


def test_scoring_turns_the_lexicon_on_only_with_a_weight() -> None:
    assert Scoring().lexicon() is None
    lexicon = Scoring(lexicon_synonym=0.5).lexicon()
    assert lexicon is not None and lexicon.relations.synonym == 0.5 and lexicon.relations.hypernym == 0.0


def test_bm25_expansion_adds_known_synonyms_only() -> None:
    retriever = Retriever.__new__(Retriever)  # only the vocabulary is needed
    retriever._bm25 = SimpleNamespace(vocab_dict={stem("violation"): 0, stem("found"): 1, stem("law"): 2})
    extra = retriever._related_tokens("breaches of the law", [stem("breaches"), stem("law")])
    assert stem("violation") in extra
    assert stem("law") not in extra  # already in the query
    assert all(token in retriever._bm25.vocab_dict for token in extra)


@pytest.mark.parametrize("word", ["the", "2019"])
def test_function_words_and_figures_bring_no_expansion(word: str) -> None:
    retriever = Retriever.__new__(Retriever)
    retriever._bm25 = SimpleNamespace(vocab_dict={"the": 0, "2019": 1})
    assert retriever._related_tokens(word, []) == []
