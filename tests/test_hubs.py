"""eval/hubs.py: it reads dev questions only, tells the expected unit by the evaluator's rule, and
ranks a unit's local density within its own document."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from eval.hubs import density_percentiles, expected, load_tuning
from qa.evaluation.evaluate import GoldenItem
from tests.answer.parts import chunk, sentence_units


def test_only_dev_questions_are_read_and_a_file_without_splits_is_read_whole(tmp_path: Path) -> None:
    good = {"id": "d1", "question": "How many?", "answer_contains": ["1"], "citations": [], "doc": "x",
            "answerable": True, "split": "dev"}
    split = tmp_path / "split.jsonl"
    split.write_text("\n".join([json.dumps(good), json.dumps({"id": "t1", "question": "", "split": "test"})]),
                     encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    whole.write_text(json.dumps({k: v for k, v in good.items() if k != "split"}), encoding="utf-8")
    assert [i.id for i in load_tuning(split)] == ["d1"]
    assert [i.id for i in load_tuning(whole)] == ["d1"]


def test_the_expected_unit_holds_every_fact_and_no_other_reference_only() -> None:
    c = chunk("I/p1", [("Children herd cattle and goats.", {4}), ("Children herd cattle.", {9}),
                       ("Goats and cattle are herded by children.", set())])
    right, other_refs, uncited = sentence_units(c)
    item = GoldenItem("q", "Which animals?", ("cattle", "goats"), (4,), "rep", True)
    assert expected(right, item)
    assert not expected(other_refs, item)  # lacks "goats", and cites only [9]
    assert expected(uncited, item)  # cites nothing: not excluded by its references
    assert not expected(right, GoldenItem("q", "Which animals?", ("cattle",), (4,), "another", True))


def test_a_unit_inside_a_tight_cluster_ranks_above_an_outlier_of_its_document() -> None:
    rng = np.random.default_rng(0)
    centre = rng.normal(size=8)
    cluster = centre + 0.05 * rng.normal(size=(5, 8))
    vectors = np.vstack([cluster, rng.normal(size=(1, 8)), rng.normal(size=(3, 8))]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = [f"a#p{i}#0" for i in range(6)] + [f"b#p{i}#0" for i in range(3)]
    pct = density_percentiles(keys, vectors, k=3)
    assert min(pct[f"a#p{i}#0"] for i in range(5)) > pct["a#p5#0"] == 0.0
    # the other document's units are ranked among themselves only
    assert sorted(pct[f"b#p{i}#0"] for i in range(3)) == [0.0, 1 / 3, 2 / 3]
