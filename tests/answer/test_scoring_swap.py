"""Weights given to the Answerer reach the parts that use them (eval/fit.py swaps them between runs)."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.answerer import Answerer
from qa.answer.scoring import Scoring, load_scoring
from qa.config import Settings


def test_new_scoring_reaches_scorer_and_policy() -> None:
    answerer = Answerer(Settings(), embedder=None, documents={})
    assert answerer.scoring == load_scoring()
    changed = replace(Scoring(), abstain_below=0.123, w_dense=0.9)
    answerer.scoring = changed
    assert answerer.scorer.scoring is changed
    assert answerer.policy.scoring is changed
