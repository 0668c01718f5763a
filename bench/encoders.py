"""fp32 runtimes for the question encoder (issue 11): CPU per question, one thread, same vectors?

    .venv/bin/pip install -e '.[bench-encoders]'   # OpenVINO and CTranslate2 (not needed by qa)
    .venv/bin/python bench/encoders.py [--rounds 9] [--batches 1,4,16] [--runtimes ort,openvino-latency,...]

Question encoding was ~76% of a served request's CPU (bench/serve_cpu.py). This runs the packaged
MiniLM-L6 export (the index's ``encoder.onnx``, or an export made here) in every fp32 runtime
installed and compares:

* **CPU ms per golden question** (``time.process_time``: every thread of the process, so a runtime
  that spreads work over helper threads is charged for it) at batch sizes 1, 4 and 16: the golden
  questions in file order, in consecutive batches, each batch tokenised once beforehand and padded to
  its longest question (what one model call gets; ``ort-grouped`` splits each batch into length groups
  as the server's micro-batcher does, ``qa.index.onnx_encoder.length_groups``). Tokenising is not
  timed: it is the same for every runtime. The machine is shared, so the runtimes take turns round
  after round (order shuffled) and each keeps its fastest round; ``vs ort`` is the median over rounds
  of ort's time / the runtime's time in the same round, which cancels most of the neighbours' load.
* **min cosine** to sentence-transformers over every corpus chunk and every golden question (the
  acceptance bar is 0.999).

Runtimes (each on one thread, fp32):
  ort             ONNX Runtime as qa.index.onnx_encoder runs it (ORT_ENABLE_ALL, no spinning)
  ort-basic       graph optimisation level BASIC at load      ort-extended   level EXTENDED
  ort-daz         + session.set_denormal_as_zero              ort-iobinding  inputs/outputs bound (IOBinding)
  ort-grouped     ort, each batch in length groups (padding-free buckets)
  openvino-latency / openvino-throughput   OpenVINO CPU plugin on the same ONNX file,
                  INFERENCE_NUM_THREADS=1, precision f32, performance hint LATENCY / THROUGHPUT
  ctranslate2     CTranslate2's BERT encoder (converted here from the model folder, float32),
                  unpadded token lists; mean pooling and L2 normalisation in numpy

ORT's parallel execution mode is not listed: with one thread (inter-op 1) it is the sequential mode.
A runtime whose package is not installed is reported and skipped. Prints a table; exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from offline import ROOT  # noqa: E402

Feeds = dict[str, np.ndarray]
Run = Callable[[Feeds], np.ndarray]
RUNTIMES = ("ort", "ort-basic", "ort-extended", "ort-daz", "ort-iobinding", "ort-grouped",
            "openvino-latency", "openvino-throughput", "ctranslate2")


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def ort_runtime(onnx: Path, level: str = "ALL", daz: bool = False, iobinding: bool = False) -> Run:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, f"ORT_ENABLE_{level}")
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if daz:
        options.add_session_config_entry("session.set_denormal_as_zero", "1")
    session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
    if not iobinding:
        return lambda feeds: session.run(["embedding"], feeds)[0]

    def bound(feeds: Feeds) -> np.ndarray:
        binding = session.io_binding()
        for name, array in feeds.items():
            binding.bind_cpu_input(name, array)
        binding.bind_output("embedding", "cpu")
        session.run_with_iobinding(binding)
        return binding.copy_outputs_to_cpu()[0]
    return bound


def grouped(run: Run) -> Run:
    """``run`` over each batch's length groups, as OnnxEncoder.encode_grouped splits a micro-batch."""
    from qa.index.onnx_encoder import length_groups

    def split(feeds: Feeds) -> np.ndarray:
        lengths = feeds["attention_mask"].sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        out: np.ndarray | None = None
        for group in length_groups([int(lengths[i]) for i in order]):
            rows = order[group]
            width = int(lengths[rows].max())
            part = run({k: np.ascontiguousarray(v[rows, :width]) for k, v in feeds.items()})
            out = np.zeros((len(lengths), part.shape[1]), dtype=np.float32) if out is None else out
            out[rows] = part
        assert out is not None
        return out
    return split


def openvino_runtime(onnx: Path, hint: str) -> Run:
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(core.read_model(str(onnx)), "CPU", {
        "INFERENCE_NUM_THREADS": 1, "NUM_STREAMS": 1, "PERFORMANCE_HINT": hint,
        "INFERENCE_PRECISION_HINT": "f32",  # never bf16/f16, even on a CPU that has them
    })
    request = compiled.create_infer_request()
    return lambda feeds: request.infer(feeds)[0]


def ctranslate2_runtime(model_folder: Path, workdir: Path) -> Run:
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    out = workdir / "ct2"
    TransformersConverter(str(model_folder)).convert(str(out), quantization="float32", force=True)
    encoder = ctranslate2.Encoder(str(out), device="cpu", compute_type="float32", intra_threads=1,
                                  inter_threads=1)

    def run(feeds: Feeds) -> np.ndarray:
        mask = feeds["attention_mask"]
        ids = [row[m.astype(bool)].tolist() for row, m in zip(feeds["input_ids"], mask)]
        hidden = np.asarray(encoder.forward_batch(ids).last_hidden_state)
        weights = mask[:, :hidden.shape[1]].astype(np.float32)[..., None]
        return _normalised((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9))
    return run


def make_runtime(name: str, onnx: Path, model_folder: Path, workdir: Path) -> Run:
    if name.startswith("openvino-"):
        return openvino_runtime(onnx, name.removeprefix("openvino-").upper())
    if name == "ctranslate2":
        return ctranslate2_runtime(model_folder, workdir)
    if name == "ort-grouped":
        return grouped(ort_runtime(onnx))
    level = {"ort-basic": "BASIC", "ort-extended": "EXTENDED"}.get(name, "ALL")
    return ort_runtime(onnx, level, daz=name == "ort-daz", iobinding=name == "ort-iobinding")


def texts_to_check() -> tuple[list[str], list[str]]:
    """(every corpus chunk's embedded text, every golden question)."""
    from qa.config import Settings
    from qa.index.chunk import chunk_document
    from qa.index.store import embed_text
    from qa.ingest.corpus import load_corpus

    settings = Settings()
    chunks = [embed_text(c) for d in load_corpus(settings) for c in chunk_document(d, settings)]
    golden = (ROOT / "eval" / "golden.jsonl").read_text(encoding="utf-8").splitlines()
    return chunks, [json.loads(line)["question"] for line in golden if line.strip()]


def onnx_file(model_folder: Path, workdir: Path) -> Path:
    """The index's encoder.onnx, the memoised export, or a fresh export into ``workdir``."""
    from qa.config import Settings
    from qa.index.embed import SentenceTransformerEmbedder
    from qa.index.onnx_encoder import cached_encoder, index_encoder, write_encoder

    settings = Settings()
    model_id = SentenceTransformerEmbedder(settings).model_id
    found = (index_encoder(settings.index_path, model_id)
             or cached_encoder(model_folder, model_id, settings.encoder_cache_dir))
    if found is not None:
        return found
    if write_encoder(workdir, model_folder, model_id, workdir / "cache") is None:
        raise SystemExit("could not export the model to ONNX")
    return workdir / "encoder.onnx"


def tokenised(tokenizer: Any, texts: list[str], size: int) -> list[Feeds]:
    batches = []
    for start in range(0, len(texts), size):
        enc = tokenizer.encode_batch(texts[start:start + size])
        batches.append({"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                        "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                        "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)})
    return batches


def min_cosine(run: Run, tokenizer: Any, texts: list[str], reference: np.ndarray) -> float:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # little padding, as the build batches
    vectors = np.zeros_like(reference)
    for start, feeds in zip(range(0, len(order), 16), tokenised(tokenizer, [texts[i] for i in order], 16)):
        vectors[order[start:start + 16]] = _normalised(run(feeds))
    return float((vectors * reference).sum(axis=1).min())


def cpu_per_question(runs: dict[str, Run], batches: list[Feeds], count: int,
                     rounds: int) -> dict[str, tuple[float, float]]:
    """Per runtime: (fastest round's CPU ms per question, median per-round ratio ort / runtime)."""
    for run in runs.values():  # warm-up: first calls allocate and (OpenVINO) compile per shape
        for feeds in batches:
            run(feeds)
    spent: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for _ in range(rounds):
        random.shuffle(names)
        for name in names:
            start = time.process_time()
            for feeds in batches:
                runs[name](feeds)
            spent[name].append((time.process_time() - start) * 1000 / count)
    base = spent.get("ort")
    return {name: (min(times), statistics.median(b / t for b, t in zip(base, times)) if base else float("nan"))
            for name, times in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batches", default="1,4,16")
    parser.add_argument("--runtimes", default=",".join(RUNTIMES))
    parser.add_argument("--no-cosine", action="store_true", help="skip the sentence-transformers comparison")
    args = parser.parse_args()
    from qa.index.bert import load_tokenizer
    from qa.index.embed import _default_model_path

    print(f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores, shared with other jobs)")
    model_folder = _default_model_path()
    tokenizer = load_tokenizer(model_folder)
    chunks, questions = texts_to_check()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        onnx = onnx_file(model_folder, workdir)
        runs: dict[str, Run] = {}
        for name in args.runtimes.split(","):
            try:
                runs[name] = make_runtime(name, onnx, model_folder, workdir)
            except ImportError as exc:
                print(f"{name}: not installed ({exc.name})")
        cosines = {} if args.no_cosine else cosine_table(runs, tokenizer, chunks + questions, model_folder)
        sizes = [int(s) for s in args.batches.split(",")]
        table = {size: cpu_per_question(runs, tokenised(tokenizer, questions, size), len(questions), args.rounds)
                 for size in sizes}
    print(f"\nCPU ms per question ({len(questions)} golden questions, one thread, fastest of {args.rounds} "
          f"rounds; 'vs ort' = median per-round speed-up over ort), min cosine to sentence-transformers "
          f"over {len(chunks)} chunks + {len(questions)} questions")
    head = "".join(f" | batch {s:>2} ms | vs ort" for s in sizes)
    print(f"| runtime             {head} | min cosine |")
    print("|---" * (2 * len(sizes) + 2) + "|")
    for name in runs:
        cells = "".join(f" | {table[s][name][0]:11.2f} | {table[s][name][1]:5.2f}x" for s in sizes)
        cosine = f"{cosines[name]:.7f}" if name in cosines else "-"
        print(f"| {name:<19} {cells} | {cosine} |")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def cosine_table(runs: dict[str, Run], tokenizer: Any, texts: list[str], model_folder: Path) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_folder), device="cpu").encode(
        texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
    return {name: min_cosine(run, tokenizer, texts, np.asarray(reference, dtype=np.float32))
            for name, run in runs.items()}


if __name__ == "__main__":
    sys.exit(main())
