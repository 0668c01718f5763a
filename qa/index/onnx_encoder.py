"""Question and text encoding with ONNX Runtime: the packaged BERT model without torch.

A cold ``qa ask --local`` or a server worker pays for importing torch (about 1.7 s here) only to
encode a few questions. The index build, where torch is imported anyway, exports the model's
forward pass — :meth:`qa.index.bert.BertEncoder.forward`: embeddings, the encoder layers, mean
pooling over the attention mask and L2 normalisation, as sentence-transformers computes them —
to ``encoder.onnx`` in the index folder, where the manifest lists it with its hash like every
other file. Serving then runs that file with ``onnxruntime`` and the model's own
``tokenizer.json`` (the ``tokenizers`` library): no torch, no transformers, nothing downloaded.

``tests/index/test_onnx_encoder.py`` checks the vectors against the torch encoder's (cosine
>= 0.999 on every corpus chunk and golden question).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.bert import encode_sorted, load_tokenizer

logger = logging.getLogger(__name__)

ENCODER_FILE = "encoder.onnx"
OPSET = 17  # scaled_dot_product_attention and layer_norm export as single operators from 17 on
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def runtime_available() -> bool:
    """True when ``onnxruntime`` can be imported (it is a dependency; a broken install falls back)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def export(model_folder: Path, out: Path) -> dict[str, Any]:
    """Write the ONNX graph of the BERT sentence encoder in ``model_folder`` to ``out``.

    Needs torch (the index build has it). Returns what the manifest records about the file.
    Raises whatever the exporter raises; the caller decides whether that is fatal.
    """
    import torch

    from qa.index.bert import BertEncoder

    encoder = BertEncoder(model_folder)

    class Graph(torch.nn.Module):
        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return encoder.forward(ids, mask, types)

    sample = encoder.tokenizer.encode_batch(["an example sentence to trace", "and a second one"])
    args = tuple(torch.tensor([getattr(e, a) for e in sample], dtype=torch.long)
                 for a in ("ids", "attention_mask", "type_ids"))
    axes = {name: {0: "batch", 1: "length"} for name in _INPUTS}
    axes["embedding"] = {0: "batch"}
    tmp = out.with_name(f"{out.name}.{os.getpid()}.part")  # two builds may export at once: each its own file
    try:
        # the TorchScript exporter warns that it is deprecated and about traced shapes: noise in `qa index build`
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Graph(), args, str(tmp), input_names=list(_INPUTS), output_names=["embedding"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"file": out.name, "opset": OPSET, "torch": torch.__version__, "dimension": encoder.dimension}


def _export_key(model_folder: Path, model_id: str) -> str:
    """Identifies an export: the model (id, weights file size and time) and the exporting code."""
    weights = (model_folder / "model.safetensors").stat()
    digest = hashlib.blake2b(digest_size=12)
    digest.update("\n".join([model_id, str(weights.st_size), str(weights.st_mtime_ns), str(OPSET)]).encode())
    for code in (Path(__file__), Path(__file__).with_name("bert.py")):  # what the graph computes
        digest.update(code.read_bytes())
    return digest.hexdigest()


def write_encoder(folder: Path, model_folder: Path, model_id: str, cache_dir: Path) -> dict[str, Any] | None:
    """Put ``encoder.onnx`` for the model into the index folder being written; the manifest entry,
    or None when the export fails (serving then encodes with torch, as before).

    Exports are memoised in ``cache_dir`` by :func:`_export_key`, so a rebuild (or a test's
    throw-away index) links the file instead of exporting again (about 5-10 s).
    """
    key = _export_key(model_folder, model_id)
    cached = cache_dir / f"{key}.onnx"
    if not cached.is_file():
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            export(model_folder, cached)
        except Exception as exc:  # noqa: BLE001 - the exporter raises many kinds; the index is still usable
            logger.warning("could not export the embedding model to ONNX (%s); questions will be "
                           "encoded with torch", exc)
            return None
    target = folder / ENCODER_FILE
    try:
        os.link(cached, target)  # the same bytes, no copy; the index folder stays self-contained
    except OSError:
        shutil.copyfile(cached, target)
    return {"file": ENCODER_FILE, "model": model_id, "key": key, "opset": OPSET}


def cached_encoder(model_folder: Path, model_id: str, cache_dir: Path) -> Path | None:
    """The memoised export of this model by this code, when an earlier build made one."""
    path = cache_dir / f"{_export_key(model_folder, model_id)}.onnx"
    return path if path.is_file() else None


def index_encoder(index_path: Path, model_id: str) -> Path | None:
    """The index's ONNX encoder when its manifest lists one for ``model_id`` and the file has the
    listed size; None otherwise (an index built before it existed, another model)."""
    from qa.index.verify import load_manifest

    try:
        manifest = load_manifest(index_path)
    except Exception:  # noqa: BLE001 - no or damaged index: the retriever reports that, not the encoder
        return None
    entry = manifest.get("encoder") or {}
    listed = (manifest.get("files") or {}).get(ENCODER_FILE)
    path = index_path / ENCODER_FILE
    if entry.get("model") != model_id or listed is None or not path.is_file():
        return None
    return path if path.stat().st_size == listed["size"] else None


class OnnxEncoder:
    """Runs ``onnx_path`` (exported by :func:`export`) with the tokenizer of ``model_folder``.

    ``encode(texts)`` -> normalised float32 rows, as :class:`qa.index.bert.BertEncoder` gives.
    ``threads`` is ONNX Runtime's intra-op thread count (0: its default, one per core).
    """

    def __init__(self, onnx_path: Path, model_folder: Path, batch_size: int = 32, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # idle pool threads would otherwise spin for a while after each call, taking the cores that
        # the other server threads (and the other workers) need between two encodes
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(model_folder)
        config = json.loads((model_folder / "config.json").read_text())
        self.dimension = int(config["hidden_size"])
        self.batch_size = batch_size

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        return self.session.run(["embedding"], feeds)[0]

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return encode_sorted(texts, self.batch_size, self.dimension, self._batch, progress)

    def encode_grouped(self, texts: list[str]) -> np.ndarray:
        """Rows for ``texts`` (one micro-batch of questions), in order, encoded in groups of
        similar length: one call pads every text to the longest, and a batch of questions of 15
        to 23 tokens spent ~13% of its CPU on padding. Each group is padded to its own longest,
        exactly as a call on that group alone would be (a lone text is never padded)."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for group in length_groups([int(lengths[i]) for i in order]):
            rows = order[group]
            width = int(lengths[rows].max())
            feeds = {"input_ids": ids[rows, :width], "attention_mask": mask[rows, :width],
                     "token_type_ids": types[rows, :width]}
            out[rows] = self.session.run(["embedding"], feeds)[0]
        return out


CALL_COST_TOKENS = 12  # one model call's fixed cost, in padded tokens' worth of compute (measured here)


def length_groups(lengths: list[int]) -> list[slice]:
    """Split ascending token ``lengths`` into consecutive groups minimising the modelled cost,
    ``CALL_COST_TOKENS`` per call plus every row padded to its group's longest (dynamic programming;
    a micro-batch holds at most a few dozen texts)."""
    n = len(lengths)
    best = [0.0] + [float("inf")] * n  # best[j]: cost of encoding the first j texts
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j):
            cost = best[i] + CALL_COST_TOKENS + (j - i) * lengths[j - 1]
            if cost < best[j]:
                best[j], cut[j] = cost, i
    groups, j = [], n
    while j > 0:
        groups.append(slice(cut[j], j))
        j = cut[j]
    return groups[::-1]
