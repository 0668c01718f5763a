"""eval/ranker.py: the logistic fit finds the feature that tells right units apart, and a fitted
model renders into scoring.toml and loads back."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eval.fit import render_toml
from eval.ranker import fit_logistic, ranker_of
from qa.answer.features import FEATURES
from qa.answer.scoring import Scoring, load_scoring


def test_logistic_fit_weighs_the_informative_feature() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.1 * rng.normal(size=400) > 0).astype(float)
    intercept, coef = fit_logistic(x, y, l2=1.0)
    assert coef[0] > 3 * abs(coef[1]) and abs(intercept) < 1.0


def test_a_fitted_ranker_round_trips_through_scoring_toml(tmp_path: Path) -> None:
    ranker = ranker_of(-1.5, np.arange(len(FEATURES), dtype=float) / 10)
    chosen = Scoring(abstain_below=0.2, ranker=ranker)
    path = tmp_path / "scoring.toml"
    path.write_text(render_toml(chosen, ["fitted on dev"]), encoding="utf-8")
    assert load_scoring(path) == chosen
