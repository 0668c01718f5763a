"""The plain-torch BERT encoder gives sentence-transformers' vectors for the packaged model, and a
cold process that encodes a question never imports sentence-transformers or transformers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import PROJECT_ROOT
from qa.index.bert import BertEncoder, supports
from qa.index.embed import _default_model_path


def test_a_folder_that_is_not_a_plain_bert_model_is_not_supported(tmp_path: Path) -> None:
    assert not supports(tmp_path)
    assert supports(_default_model_path())


@pytest.mark.slow
def test_vectors_match_sentence_transformers_on_the_corpus_and_golden_questions() -> None:
    from qa.ingest.corpus import load_corpus
    from qa.config import Settings
    from qa.index.chunk import chunk_document
    from qa.index.store import embed_text

    settings = Settings()
    chunks = [embed_text(c) for d in load_corpus(settings) for c in chunk_document(d, settings)]
    questions = [json.loads(line)["question"] for line in
                 (PROJECT_ROOT / "eval" / "golden.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = chunks + questions + ["", "x " * 600]  # empty, and longer than the model's 256 tokens
    ours = BertEncoder(_default_model_path()).encode(texts)
    from sentence_transformers import SentenceTransformer

    theirs = SentenceTransformer(str(_default_model_path()), device="cpu").encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= 0.999, texts[int(np.argmin(cosine))]


@pytest.mark.slow
def test_encoding_a_question_imports_neither_sentence_transformers_nor_transformers() -> None:
    code = ("import sys; from qa.config import Settings; from qa.index.embed import make_embedder;"
            "v = make_embedder(Settings()).encode(['How many labor inspectors?']);"
            "print(v.shape, 'sentence_transformers' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}, cwd=PROJECT_ROOT)
    assert out.stdout.split() == ["(1,", "384)", "False", "False"]
