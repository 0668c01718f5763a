"""The country-neutral wording of a question (qa.answer.neutral) and the vector units are scored against."""

from __future__ import annotations

import numpy as np
import pytest

from qa.answer.candidates import Candidate
from qa.answer.lexical import Overlap
from qa.answer.neutral import country_neutral, on_scale_of, question_vectors
from qa.answer.scorers import Scored, UnitScorer
from qa.answer.scoring import Scoring
from qa.index.embed import FakeEmbedder
from tests.answer.parts import chunk, info, sentence_units


@pytest.mark.parametrize(("question", "neutral"), [
    ("Are Malian kids involved in making boats?", "Are kids involved in making boats?"),
    ("How many labor inspectors were there in Mali in 2019?", "How many labor inspectors were there in 2019?"),
    ("What does Mali's Labor Code say about hazardous work?", "What does Labor Code say about hazardous work?"),
    ("In Mali, which ministry leads the committee?", "which ministry leads the committee?"),
    ("How many Malians were trafficked?", "How many people were trafficked?"),
    ("how many malian children work?", "how many children work?"),  # a question typed in lower case
    ("What is the Malian government doing?", "What is the government doing?"),
])
def test_the_country_a_question_names_is_taken_out(question: str, neutral: str) -> None:
    assert country_neutral(question, {"Mali"}) == neutral


def test_only_the_scoped_countries_go_and_a_list_of_them_goes_whole() -> None:
    question = "Compare Mali and Niger on labor inspections."
    assert country_neutral(question, {"Mali"}) == "Compare Niger on labor inspections."
    assert country_neutral(question, {"Mali", "Niger"}) == "Compare on labor inspections."
    assert country_neutral(question) == "Compare on labor inspections."  # None: every country named
    assert country_neutral("Which goods in Côte d’Ivoire use child labor?", {"Mali"}) == \
        "Which goods in Côte d’Ivoire use child labor?"


def test_a_placeholder_keeps_what_the_name_said_about_the_noun() -> None:
    assert country_neutral("Who is the president of Mali?", {"Mali"}, "the country") == \
        "Who is the president of the country?"
    assert country_neutral("What does Mali's Labor Code say?", {"Mali"}, "the country") == \
        "What does the country's Labor Code say?"


def test_a_question_of_nothing_but_the_name_is_kept() -> None:
    assert country_neutral("Mali?", {"Mali"}) == "Mali?"
    assert country_neutral("What is the minimum age for work?", {"Mali"}) == "What is the minimum age for work?"



def test_the_vector_moves_toward_the_neutral_wording_only_within_a_country_scope() -> None:
    embedder = FakeEmbedder()
    asked = "Are Malian kids involved in making boats?"
    full, neutral = embedder.encode([asked])[0], embedder.encode(["Are kids involved in making boats?"])[0]
    own, moved = question_vectors(embedder.encode, asked, {"Mali"}, 0.0)
    assert np.allclose(own, full) and moved is None  # off
    assert question_vectors(embedder.encode, asked, (), 1.0)[1] is None  # no country scope: the name chooses
    assert np.allclose(question_vectors(embedder.encode, asked, {"Mali"}, 1.0)[1], neutral)
    half = question_vectors(embedder.encode, asked, {"Mali"}, 0.5)[1]
    assert half is not None and np.isclose(np.linalg.norm(half), 1.0)  # cosines keep their scale
    assert float(half @ neutral) > float(full @ neutral)


def test_a_question_naming_no_scoped_country_costs_no_second_encode() -> None:
    embedder = FakeEmbedder()
    assert question_vectors(embedder.encode, "What is the minimum age for work?", {"Mali"}, 1.0)[1] is None
    question_vectors(embedder.encode, "Are Malian kids involved in making boats?", {"Mali"}, 1.0)
    assert [len(c) for c in embedder.calls] == [1, 1, 1]


# a "hub": a sentence naming the country twice, near any question that names it too
HUB = "Malian kids were recruited by the Malian army."
ROW = "Activity: assembling fishing boats and canoes in river towns."


def test_the_hub_sentence_no_longer_wins_on_the_name_alone() -> None:
    units = sentence_units(chunk("I/p1", [(HUB, {1}), (ROW, {2})]))
    embedder = FakeEmbedder()
    vectors = {u.key: embedder.encode([u.text])[0] for u in units}
    scoring = Scoring(w_dense=1.0, w_lexical=0.0, w_kind=0.0, w_rank=0.0)
    scorer = UnitScorer(scoring, Overlap(u.text for u in units), {})
    question = "Do Malian kids make boats?"
    candidates = [Candidate(u, 0) for u in units]

    def ranked(share: float) -> list[Scored]:
        own, moved = question_vectors(embedder.encode, question, {"Mali"}, share)
        asked = scorer.score(info(question), own, candidates, lambda u: vectors[u.key])
        if moved is None:
            return asked
        return on_scale_of(asked, scorer.score(info(question), moved, candidates, lambda u: vectors[u.key]))

    assert ranked(0.0)[0].unit.text == HUB
    neutral = ranked(1.0)
    assert neutral[0].unit.text == ROW
    # whether anything answers is still read on the question as asked: the best score is the asked one
    assert np.isclose(neutral[0].score, ranked(0.0)[0].score)


def test_on_scale_of_keeps_the_neutral_order_and_ratios() -> None:
    a, b = sentence_units(chunk("I/p2", [(HUB, set()), (ROW, set())]))
    out = on_scale_of([Scored(a, 0.6), Scored(b, 0.3)], [Scored(b, 0.4), Scored(a, 0.2)])
    assert [s.unit for s in out] == [b, a]
    assert np.allclose([s.score for s in out], [0.6, 0.3])
    assert on_scale_of([], [Scored(a, 0.2)]) == []
