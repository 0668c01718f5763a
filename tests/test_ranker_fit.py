"""eval/ranker.py: the logistic fit finds the feature that tells right units apart, and a fitted
model renders into scoring.toml and loads back."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eval.fit import render_toml
from eval.ranker import fit_logistic, ranker_of
from qa.answer.features import FEATURES
from qa.answer.scoring import Scoring, load_scoring
from qa.config import Settings


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


def test_collect_reads_the_scorer_the_answerer_calls(settings: Settings, tiny_index: Path) -> None:
    """The fit's spy stands in for UnitScorer.score: it must take what the answerer passes (it broke
    silently once when the scorer gained the row labels' vectors) and label the unit holding the fact."""
    from conftest import copy_tiny_index
    from eval.fit import Scorer
    from eval.ranker import collect
    from qa.evaluation.evaluate import GoldenItem

    copy_tiny_index(settings, tiny_index)
    item = GoldenItem(id="t-1", question="Which crops do children in Testland work in?",
                      answer_contains=("cotton",), citations=(1,), doc="testland-2019", answerable=True)
    groups = collect(Scorer([[item]], [(settings.corpus_dir, settings.index_dir)]), [("own", [item])])
    assert len(groups) == 1
    group = groups[0]
    assert group.x.shape == (len(group.y), len(FEATURES)) and len(group.y) == len(group.linear)
    assert group.y.sum() >= 1
