"""Pure metric functions of the evaluation harness (no I/O, no model), unit-tested by hand.

Conventions shared by every function here:

- A figure whose denominator is empty is ``None`` ("not measured"), never a made-up 0 or 1:
  the report prints it as "n/a" and the gate skips it with a note.
- Reference numbers are compared as ``(doc, ref)`` pairs, so "[4]" attributed to the wrong
  document counts as a wrong reference, not a right one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RefSet = frozenset[tuple[str, int]]


def first_relevant_rank(relevant: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant passage in a ranked list, or ``None`` when there is none."""
    for rank, flag in enumerate(relevant, start=1):
        if flag:
            return rank
    return None


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose first relevant passage is ranked ``<= k``."""
    if k < 1:
        raise ValueError("k must be >= 1")
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None], cutoff: int | None = None) -> float | None:
    """Mean of 1/rank of the first relevant passage; a miss (or a rank past ``cutoff``) scores 0."""
    if not ranks:
        return None
    total = 0.0
    for r in ranks:
        if r is not None and (cutoff is None or r <= cutoff):
            total += 1.0 / r
    return total / len(ranks)


def ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


def accuracy(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return ratio(sum(values), len(values))


@dataclass(frozen=True)
class PRF:
    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    predicted: int
    expected: int


def f1_score(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def micro_prf(pairs: Iterable[tuple[RefSet, RefSet]]) -> PRF:
    """Micro-averaged precision/recall/F1 over ``(expected, predicted)`` reference sets.

    Counts are pooled over all pairs before dividing, so an answer citing five numbers weighs
    five times one citing one. The caller decides which items take part (the harness passes
    answerable items whose expected set is non-empty). Within them, an answer that cites
    nothing adds its expected numbers to recall's denominator and nothing to precision's;
    precision is ``None`` when no answer cited anything.
    """
    tp = predicted = expected = 0
    for exp, got in pairs:
        tp += len(exp & got)
        predicted += len(got)
        expected += len(exp)
    precision, recall = ratio(tp, predicted), ratio(tp, expected)
    if precision is None and recall is not None:
        # nothing cited although something was expected: the F1 is 0, not "not measured"
        return PRF(None, recall, 0.0, tp, predicted, expected)
    return PRF(precision, recall, f1_score(precision, recall), tp, predicted, expected)


@dataclass(frozen=True)
class AbstentionScores:
    precision: float | None  # of the questions the system abstained on, the share that were unanswerable
    recall: float | None  # of the unanswerable questions, the share it abstained on
    false_abstention_rate: float | None  # of the answerable questions, the share it abstained on


def abstention_scores(outcomes: Iterable[tuple[bool, bool]]) -> AbstentionScores:
    """Scores from ``(answerable, abstained)`` pairs; positive = abstained, relevant = unanswerable."""
    true_pos = abstained = unanswerable = wrong = answerable = 0
    for is_answerable, did_abstain in outcomes:
        abstained += did_abstain
        if is_answerable:
            answerable += 1
            wrong += did_abstain
        else:
            unanswerable += 1
            true_pos += did_abstain
    return AbstentionScores(ratio(true_pos, abstained), ratio(true_pos, unanswerable), ratio(wrong, answerable))


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) with linear interpolation between closest ranks (numpy's default)."""
    if not 0 <= q <= 100:
        raise ValueError("q must lie in [0, 100]")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
