"""Metric functions of the evaluation harness, on cases small enough to check by hand."""

from __future__ import annotations

import pytest

from qa.evaluation.metrics import (
    abstention_scores,
    accuracy,
    f1_score,
    first_relevant_rank,
    hit_at_k,
    mean_reciprocal_rank,
    micro_prf,
    percentile,
)

M = "usdol-2019-mali"


def refs(*numbers: int, doc: str = M) -> frozenset[tuple[str, int]]:
    return frozenset((doc, n) for n in numbers)


def test_first_relevant_rank() -> None:
    assert first_relevant_rank([False, False, True, True]) == 3
    assert first_relevant_rank([True]) == 1
    assert first_relevant_rank([False, False]) is None
    assert first_relevant_rank([]) is None


def test_hit_at_k_counts_ranks_up_to_k() -> None:
    ranks = [1, 3, None, 7]
    assert hit_at_k(ranks, 1) == 0.25
    assert hit_at_k(ranks, 3) == 0.5
    assert hit_at_k(ranks, 5) == 0.5
    assert hit_at_k(ranks, 10) == 0.75
    assert hit_at_k([], 5) is None
    with pytest.raises(ValueError):
        hit_at_k(ranks, 0)


def test_mrr_averages_reciprocal_ranks_and_scores_misses_zero() -> None:
    # (1/1 + 1/2 + 0 + 1/4) / 4 = 1.75 / 4
    assert mean_reciprocal_rank([1, 2, None, 4]) == pytest.approx(0.4375)
    # rank 4 is past the cutoff of 3 and scores 0: (1 + 0.5) / 4
    assert mean_reciprocal_rank([1, 2, None, 4], cutoff=3) == pytest.approx(0.375)
    assert mean_reciprocal_rank([]) is None


def test_accuracy() -> None:
    assert accuracy([True, False, True, True]) == 0.75
    assert accuracy([]) is None


def test_micro_prf_pools_counts_before_dividing() -> None:
    # item 1: expected {4, 68}, cited {4}          -> tp 1, cited 1, expected 2
    # item 2: expected {4, 34}, cited {4, 34, 68}  -> tp 2, cited 3, expected 2
    # pooled: precision 3/4, recall 3/4, F1 3/4 (a macro average would give other figures)
    prf = micro_prf([(refs(4, 68), refs(4)), (refs(4, 34), refs(4, 34, 68))])
    assert (prf.true_positives, prf.predicted, prf.expected) == (3, 4, 4)
    assert prf.precision == pytest.approx(0.75)
    assert prf.recall == pytest.approx(0.75)
    assert prf.f1 == pytest.approx(0.75)


def test_micro_prf_uneven_precision_and_recall() -> None:
    # expected {1, 2, 3, 4}, cited {1, 9}: precision 1/2, recall 1/4, F1 = 2*(1/8)/(3/4) = 1/3
    prf = micro_prf([(refs(1, 2, 3, 4), refs(1, 9))])
    assert prf.precision == pytest.approx(0.5)
    assert prf.recall == pytest.approx(0.25)
    assert prf.f1 == pytest.approx(1 / 3)


def test_micro_prf_empty_sets() -> None:
    # an answer citing nothing adds to recall's denominator only; precision is not measured
    prf = micro_prf([(refs(4), frozenset())])
    assert prf.precision is None
    assert prf.recall == 0.0
    assert prf.f1 == 0.0
    # nothing to measure at all
    empty = micro_prf([])
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)
    # an answer citing nothing beside one citing right: precision 1, recall 1/2
    mixed = micro_prf([(refs(4), frozenset()), (refs(68), refs(68))])
    assert (mixed.precision, mixed.recall) == (1.0, 0.5)
    assert mixed.f1 == pytest.approx(2 / 3)


def test_micro_prf_compares_documents_too() -> None:
    # "[4]" of another document is a wrong reference, not a right one
    prf = micro_prf([(refs(4), refs(4, doc="other-report"))])
    assert (prf.true_positives, prf.precision, prf.recall) == (0, 0.0, 0.0)
    assert prf.f1 == 0.0


def test_f1_score() -> None:
    assert f1_score(0.0, 0.0) == 0.0
    assert f1_score(1.0, 0.5) == pytest.approx(2 / 3)
    assert f1_score(None, 0.5) is None


def test_abstention_scores() -> None:
    # (answerable, abstained)
    outcomes = [
        (False, True),   # unanswerable, abstained      -> true positive
        (False, True),   # unanswerable, abstained      -> true positive
        (False, False),  # unanswerable, answered       -> missed abstention
        (True, True),    # answerable, abstained        -> false positive / wrongly abstained
        (True, False),
        (True, False),
        (True, False),
    ]
    scores = abstention_scores(outcomes)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.false_abstention_rate == pytest.approx(1 / 4)


def test_abstention_scores_undefined_denominators() -> None:
    never = abstention_scores([(True, False), (False, False)])
    assert never.precision is None  # it never abstained
    assert never.recall == 0.0
    assert never.false_abstention_rate == 0.0
    only_answerable = abstention_scores([(True, True)])
    assert only_answerable.recall is None
    assert only_answerable.precision == 0.0
    assert only_answerable.false_abstention_rate == 1.0


def test_percentile_interpolates_linearly() -> None:
    values = [40.0, 10.0, 30.0, 20.0]  # sorted: 10 20 30 40
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert percentile(values, 50) == pytest.approx(25.0)  # halfway between 20 and 30
    # position (4-1)*0.95 = 2.85 -> 30 + 0.85 * 10
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)
