"""Concurrent one-question encodes are batched into fewer model calls, each caller gets its own row,
and errors reach every caller of the failed batch."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from qa.index.batching import MicroBatcher
from qa.index.embed import FakeEmbedder


class SlowEmbedder(FakeEmbedder):
    """The fake embedder, slowed down so requests pile up while a batch is encoded."""

    def __init__(self, fail_on: str | None = None) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.fail_on = fail_on

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.gate.wait(5)
        if self.fail_on in texts:
            raise RuntimeError("model failed")
        return super().encode(texts, progress)


def test_concurrent_questions_share_model_calls_and_get_their_own_vectors() -> None:
    inner = SlowEmbedder()
    batcher = MicroBatcher(inner, max_batch=8, max_wait_ms=5)
    questions = [f"question number {i} about word{i}" for i in range(20)]
    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(batcher.encode, [q]) for q in questions]
        threading.Timer(0.2, inner.gate.set).start()  # let every question queue up first
        vectors = [f.result(10) for f in futures]
    expected = FakeEmbedder().encode(questions)
    for row, vector in enumerate(vectors):
        assert vector.shape == (1, expected.shape[1])
        assert np.allclose(vector[0], expected[row])
    assert len(inner.calls) < len(questions)  # batched: fewer model calls than questions
    assert max(len(c) for c in inner.calls) <= 8  # bounded batch size
    assert sorted(t for c in inner.calls for t in c) == sorted(questions)


def test_several_texts_go_straight_to_the_embedder() -> None:
    inner = FakeEmbedder()
    batcher = MicroBatcher(inner)
    out = batcher.encode(["a b", "c d", "e f"])
    assert out.shape == (3, inner.dimension) and inner.calls == [["a b", "c d", "e f"]]
    assert batcher.model_id == inner.model_id and batcher.dimension == inner.dimension


def test_a_failing_batch_raises_in_each_caller_and_the_batcher_keeps_working() -> None:
    inner = SlowEmbedder(fail_on="bad")
    batcher = MicroBatcher(inner, max_batch=4, max_wait_ms=1)
    with ThreadPoolExecutor(2) as pool:
        bad = pool.submit(batcher.encode, ["bad"])
        inner.gate.set()
        with pytest.raises(RuntimeError, match="model failed"):
            bad.result(10)
    assert batcher.encode(["good"]).shape == (1, inner.dimension)


@pytest.mark.parametrize("kwargs", [{"max_batch": 0}, {"max_wait_ms": -1}])
def test_bad_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        MicroBatcher(FakeEmbedder(), **kwargs)  # type: ignore[arg-type]


def test_length_groups_split_off_a_long_question_but_not_a_slightly_longer_one() -> None:
    from qa.index.onnx_encoder import length_groups

    assert length_groups([15, 16, 16, 16, 17, 17, 17, 23]) == [slice(0, 7), slice(7, 8)]
    assert length_groups([16, 17, 17, 18]) == [slice(0, 4)]  # a call costs more than a token of padding each
    assert length_groups([12]) == [slice(0, 1)]
    assert length_groups([]) == []
