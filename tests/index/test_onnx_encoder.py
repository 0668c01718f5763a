"""The ONNX export of the packaged model gives the torch encoder's vectors, the index build puts it
in the index folder (listed in the manifest), and a cold ``qa ask --local`` never imports torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import PROJECT_ROOT, Settings
from qa.index.embed import SentenceTransformerEmbedder, _default_model_path
from qa.index.onnx_encoder import ENCODER_FILE, OnnxEncoder, index_encoder, write_encoder

MODEL_ID = "test-model"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-like folder holding encoder.onnx (the export is memoised in the settings' cache)."""
    folder = tmp_path_factory.mktemp("index")
    model_id = SentenceTransformerEmbedder(Settings()).model_id  # the id builds use: one export shared
    entry = write_encoder(folder, _default_model_path(), model_id, Settings().encoder_cache_dir)
    assert entry is not None and entry["file"] == ENCODER_FILE and entry["model"] == model_id
    return folder / ENCODER_FILE


@pytest.mark.slow
def test_onnx_vectors_match_the_torch_encoder_on_the_corpus_and_golden_questions(exported: Path) -> None:
    from qa.index.bert import BertEncoder
    from qa.index.chunk import chunk_document
    from qa.index.store import embed_text
    from qa.ingest.corpus import load_corpus

    settings = Settings()
    chunks = [c for d in load_corpus(settings) for c in chunk_document(d, settings)]
    questions = [json.loads(line)["question"] for line in
                 (PROJECT_ROOT / "eval" / "golden.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [embed_text(c) for c in chunks] + questions
    texts += ["", "x " * 600]  # empty, and longer than the model's 256 tokens
    onnx = OnnxEncoder(exported, _default_model_path()).encode(texts)
    torch = BertEncoder(_default_model_path()).encode(texts)
    cosine = (onnx * torch).sum(axis=1)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert cosine.min() >= 0.999, texts[int(np.argmin(cosine))]
    # one question alone (no padding) and inside a batch of longer texts give the same vector
    alone = OnnxEncoder(exported, _default_model_path()).encode(questions[:1])
    assert float(alone[0] @ onnx[len(texts) - 2 - len(questions)]) >= 0.9999


def test_an_index_without_a_matching_encoder_entry_has_no_onnx_encoder(tmp_path: Path) -> None:
    assert index_encoder(tmp_path, MODEL_ID) is None  # no manifest at all
    (tmp_path / ENCODER_FILE).write_bytes(b"onnx")
    manifest = {"encoder": {"file": ENCODER_FILE, "model": "another-model"},
                "files": {ENCODER_FILE: {"size": 4, "blake2b": "x"}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert index_encoder(tmp_path, MODEL_ID) is None
    manifest["encoder"]["model"] = MODEL_ID
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert index_encoder(tmp_path, MODEL_ID) == tmp_path / ENCODER_FILE
    (tmp_path / ENCODER_FILE).write_bytes(b"truncated")  # not the listed size
    assert index_encoder(tmp_path, MODEL_ID) is None


def test_without_an_encoder_in_the_index_or_the_cache_the_embedder_falls_back_to_torch(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(Settings(index_dir=tmp_path, encoder_cache_dir=tmp_path / "cache"))
    assert embedder.exportable
    assert embedder.backend == "torch"


def test_a_memoised_export_is_used_when_the_index_has_none(tmp_path: Path, exported: Path) -> None:
    settings = Settings(index_dir=tmp_path)  # no index here; the cache holds the export (the fixture made it)
    assert SentenceTransformerEmbedder(settings).backend == "onnx"
    assert SentenceTransformerEmbedder(settings.model_copy(update={"query_encoder": "torch"})).backend == "torch"


@pytest.mark.slow
def test_cold_qa_ask_local_imports_neither_torch_nor_transformers() -> None:
    settings = Settings()
    if index_encoder(settings.index_path, SentenceTransformerEmbedder(settings).model_id) is None:
        pytest.skip("the project index has no encoder.onnx; run `qa index build`")
    code = ("import sys; from qa.cli import main; sys.argv = ['qa', 'ask', '--local', "
            "'How many labor inspectors did Mali have in 2019?']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('IMPORTED', *(m in sys.modules for m in ('torch', 'transformers', 'sentence_transformers')))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**env, "HF_HUB_OFFLINE": "1"}, cwd=PROJECT_ROOT)
    assert "[4]" in out.stdout  # it answered, citing the report's reference
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED False False False"


class ExportingFake:
    """The fake embedder, claiming a model the build can export (writes a stand-in encoder file)."""

    exportable = True

    def __init__(self) -> None:
        from qa.index.embed import FakeEmbedder

        self.inner = FakeEmbedder()
        self.model_id, self.dimension = self.inner.model_id, self.inner.dimension
        self.exports = 0

    def load(self) -> None:
        return None

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.inner.encode(texts, progress)

    def write_encoder(self, folder: Path) -> dict[str, str]:
        self.exports += 1
        (folder / ENCODER_FILE).write_bytes(b"stand-in graph")
        return {"file": ENCODER_FILE, "model": self.model_id}


def test_an_index_built_before_the_encoder_existed_gets_it_on_the_next_build(settings: Settings,
                                                                             tiny_corpus: Path) -> None:
    from qa.index.embed import FakeEmbedder
    from qa.index.status import is_up_to_date
    from qa.index.store import build_index, read_manifest
    from qa.ingest.corpus import load_corpus

    build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False)  # no encoder: an "old" index
    assert read_manifest(settings)["encoder"] is None
    exporting = ExportingFake()
    assert not is_up_to_date(settings, exporting)  # so `make index` / `qa index build` adds it
    report = build_index(settings, load_corpus(settings), exporting, progress=False)
    assert report.embedded_chunks == 0  # every vector reused
    manifest = read_manifest(settings)
    assert manifest["encoder"]["file"] == ENCODER_FILE and ENCODER_FILE in manifest["files"]
    assert index_encoder(settings.index_path, exporting.model_id) == settings.index_path / ENCODER_FILE
    assert is_up_to_date(settings, exporting) and exporting.exports == 1


def test_a_micro_batch_in_length_groups_gives_each_question_its_own_vector(exported: Path) -> None:
    encoder = OnnxEncoder(exported, _default_model_path(), threads=1)
    questions = ["Who chairs the CNLTE?", "How many labor inspectors did Mali have in 2019?",
                 "What did the AEJT project do in Kayes and Sikasso to keep children out of gold mines?",
                 "Is education free?", "What is the minimum age for work in Mali?"]
    alone = np.vstack([encoder.encode([q]) for q in questions])
    grouped = encoder.encode_grouped(questions)
    assert grouped.shape == alone.shape
    # the same rows in the same order; only float rounding may differ (padding is masked)
    assert np.abs(grouped - alone).max() < 1e-5
    assert np.array_equal(encoder.encode_grouped(questions[:1]), alone[:1])  # a lone question: the same call
