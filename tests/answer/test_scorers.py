"""Scorers: kind fit, windows only when each sentence completes the other, a row's own label."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.candidates import Candidate, window
from qa.answer.lexical import Overlap
from qa.answer.features import type_fit
from qa.answer.kinds import kind_fit
from qa.answer.scorers import UnitScorer, question_words
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from tests.answer.parts import chunk, info, sentence_units

PARA = chunk("I/p1", [("The ACCEL Africa project supports six countries including Mali.", set()),
                      ("In Mali the project focuses on gold panning and cotton sectors.", {3}),
                      ("ACCEL Africa also trains AEJT members.", {4})])


def scorer(**weights: float) -> UnitScorer:
    return UnitScorer(replace(Scoring(), **weights), Overlap(u.text for u in sentence_units(PARA)), {})


def test_number_questions_want_a_figure_or_a_number_word() -> None:
    a, b, _ = sentence_units(PARA)
    assert kind_fit(info("How many countries does the project support?"), a) == 1.0  # "six"
    assert kind_fit(info("How many sectors are there?"), b) == 0.0


def test_a_date_question_wants_a_date_it_does_not_already_name() -> None:
    strikes = chunk("I/p9", [("In 2020, insecurity and teacher strikes affected access to education.", {7}),
                             ("Teacher strikes began in January 2020 and lasted until September 2020.", {7}),
                             ("The strikes ended in 2019.", {4})])
    repeated, month, other_year = sentence_units(strikes)
    asked = info("When did the 2020 teachers' strike end?")
    assert kind_fit(asked, repeated) == 0.0  # only the year the question names
    assert kind_fit(asked, month) == 1.0 and kind_fit(asked, other_year) == 1.0
    assert kind_fit(info("When did the teachers' strike end?"), repeated) == 1.0


def test_a_why_question_wants_a_sentence_giving_a_reason() -> None:
    birth = chunk("I/p5", [("About a quarter of children under age 5 lack a birth certificate.", {32}),
                           ("Birth certificates are required to attend school, so many of these children remain "
                            "out of school.", {32})])
    lacking, reason = sentence_units(birth)
    asked = info("Why does lacking a birth certificate keep children out of school?")
    assert kind_fit(asked, reason) == 1.0 and kind_fit(asked, lacking) == 0.5
    assert kind_fit(info("What do children lack?"), reason) == 0.5  # no reason asked: nothing to tell
    c = chunk("t6/r1", [("Number of Labor Inspectors 113 (4)", {4})], kind="table-row")
    row = Unit(f"{c.id}#0", c, "row", c.sentences, "Number of Labor Inspectors | 2019: 113", "Number of Labor Inspectors")
    assert kind_fit(info("Why is the number of labor inspectors insufficient?"), row) < 0.5  # a row says no why


def test_a_year_named_only_as_the_edition_lowers_no_unit_lacking_it() -> None:
    from qa.answer.features import Raw

    def raw(column: bool, named: bool, elsewhere: bool) -> Raw:
        return Raw(0.6, 0.5, 1.0, 0, 0.0, column, named, elsewhere, False, False, False)

    [unit] = sentence_units(chunk("I/p2", [("A $6.8 million project (2015-2019).", {1})]))
    s, asked = scorer(), info("What is the value of the cotton project in 2018?")
    edition = replace(asked, edition_years=asked.years)  # "per the 2018 edition": the edition asked
    plain = s._linear(replace(asked, years=frozenset()), raw(False, False, False), 0.5, 0.3, "", unit)
    assert s._linear(asked, raw(False, False, True), 0.5, 0.3, "", unit) < plain  # a figure of 2018 asked
    assert s._linear(edition, raw(False, False, True), 0.5, 0.3, "", unit) == plain
    assert s._linear(edition, raw(True, True, False), 0.5, 0.3, "", unit) > plain  # its column still first


def test_a_window_competes_only_when_each_sentence_completes_the_other() -> None:
    a, b, c = sentence_units(PARA)
    s = scorer(window_factor=0.85)
    q = info("Which sectors does ACCEL Africa focus on in Mali?")
    asked = question_words(q, s.overlap.weights(q.terms, q.counted))
    assert s._completes(asked, (a, b))  # "ACCEL Africa" + "sectors", "focus"
    assert not s._completes(asked, (b, c)) or not s._completes(asked, (a, c))
    ranked = s.score(q, _unit_vector(), [Candidate(a, 0), Candidate(b, 0), Candidate(window(a, b), 0, parts=(a, b))],
                     lambda u: _unit_vector())
    assert ranked[0].unit.key.endswith("+")  # the pair answers better than either sentence
    off = scorer(window_factor=0.0).score(q, _unit_vector(), [Candidate(window(a, b), 0, parts=(a, b))],
                                          lambda u: _unit_vector())
    assert off == []


def test_a_compound_is_one_word_when_a_window_completes_its_first_sentence() -> None:
    row = chunk("t8/r0", [("Chaired by the Ministry of Justice.", {2}),
                          ("In 2019, the committee trained judges on the anti-trafficking law.", {4})])
    label = "Committee Against Trafficking"
    first, second = (Unit(u.key, u.chunk, "sentence", u.sentences, f"{label}: {u.text}", label)
                     for u in sentence_units(row))
    s = scorer(window_factor=0.85)
    q = info("Which ministry heads the anti-trafficking committee?")
    asked = question_words(q, s.overlap.weights(q.terms, q.counted))
    # "anti-trafficking" asked is held by the label's "Trafficking": the second sentence names
    # nothing of the question the first lacks, so the pair is no candidate
    assert not s._completes(asked, (first, second))
    other = Unit(second.key, second.chunk, "sentence", second.sentences, "It trained judges in Bamako.", "")
    q2 = info("Which ministry trained judges?")
    assert s._completes(question_words(q2, s.overlap.weights(q2.terms, q2.counted)), (first, other))


def test_a_rows_own_label_lifts_it_over_siblings_only_when_row_label_is_set() -> None:
    c = chunk("t7/r1", [("1 (68)", {68})], kind="table-row")
    own = Unit(f"{c.id}#0", c, "row", c.sentences, "Table 7 | Number of Convictions | 2019: 1",
               "Number of Convictions", frozenset(), "Number of Convictions | 2019: 1", "Number of Convictions")
    q = info("How many convictions were there?")
    s_off, s_on = scorer(), scorer(row_label=1.0)
    w = s_on.overlap.weights(q.terms, q.counted)
    assert s_on.lexical(w, own) >= s_off.lexical(w, own)
    shared = replace(own, own_label="")
    assert s_on.lexical(w, shared) == s_off.lexical(w, shared)


def _unit_vector():  # type: ignore[no-untyped-def]
    import numpy as np

    v = np.ones(4, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_a_year_named_only_as_a_comparison_is_not_the_year_a_figure_is_for() -> None:
    from qa.answer.years import named_years

    assert named_years("The budget rose by $100,000 compared to 2018.") == set()
    assert named_years("In 2019, the unit employed 25 staff, 3 fewer than in 2018.") == {2019}
    assert named_years("In 2018, there were 109 inspectors; in 2019, more than in 2018.") == {2018, 2019}


def test_low_overlap_everywhere_moves_lexical_weight_to_the_cosine() -> None:
    s = scorer(w_dense=0.4, w_lexical=0.4, lexical_trust=0.5)
    assert s.balance(0.8) == (0.4, 0.4)  # the words match somewhere: weights as fitted
    dense, lexical = s.balance(0.1)
    assert abs(dense + lexical - 0.8) < 1e-9 and dense > 0.7 and lexical < 0.1  # the sum is kept
    assert scorer(w_dense=0.4, w_lexical=0.4, lexical_trust=0.0).balance(0.0) == (0.4, 0.4)  # off


def test_in_other_words_the_closer_meaning_wins_over_a_stray_shared_word() -> None:
    import numpy as np

    a, b, _ = sentence_units(PARA)
    q = info("What industries are targeted by ACCEL?")  # shares "ACCEL" with a only, no term with b
    near, far = np.array([1.0, 0.0]), np.array([0.9, 0.43589])  # cosines 1.0 and 0.9
    vecs = {a.key: far, b.key: near}
    cands = [Candidate(a, 0), Candidate(b, 0)]
    plain = scorer(w_dense=0.4, w_lexical=0.4, w_kind=0.0, w_rank=0.0).score(q, near, cands, lambda u: vecs[u.key])
    trusted = scorer(w_dense=0.4, w_lexical=0.4, w_kind=0.0, w_rank=0.0, lexical_trust=0.9).score(
        q, near, cands, lambda u: vecs[u.key])
    assert plain[0].unit.key == a.key  # the lexical weight as fitted: the shared word wins
    assert trusted[0].unit.key == b.key  # little overlap anywhere: the cosine decides


def test_a_pointer_to_a_numbered_table_is_no_figure() -> None:
    (pointer,) = sentence_units(chunk("I/p9", [("Table 1 provides key indicators on children's work.", set())]))
    assert kind_fit(info("How many children work in fishing?"), pointer) == 0.0
    assert type_fit("count", pointer.text) == 0.0
    assert type_fit("count", "Table 6 shows 51 inspectors.") == 1.0
