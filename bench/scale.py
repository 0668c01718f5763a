"""How the vector index scales: synthetic indexes of 10k / 100k / 1M chunks.

    .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--ann exact,ivf,hnsw] [--queries 200]

Synthetic vectors keep the structure of real ones: each is a random mix of two real MiniLM
vectors from our index (chunks and sentences) plus small Gaussian noise, re-normalised; queries
are the golden questions' embeddings plus held-out synthetic points. (Uniform random vectors have
no neighbourhoods and make every approximate index look broken.) The indexes are built by
``qa.index.ann.build_ann``, the code the product uses. Each size runs in its own process so the
peak RSS printed is that size's alone; with a single ``--ann`` the RSS after dropping the build
arrays (what a server holding that index needs) is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment

NOISE = 0.02  # per dimension; a noise vector of norm ~0.4 next to unit-norm bases


def real_vectors() -> tuple[np.ndarray, np.ndarray]:
    """(base vectors from the built index, golden-question vectors)."""
    from qa.index import store
    from qa.index.ann import reconstruct
    from qa.config import get_settings
    from qa.index.embed import make_embedder

    settings = get_settings()
    path = settings.index_path
    bases = np.concatenate([reconstruct(store.read_vectors(path)),
                            reconstruct(store.read_sentence_vectors(path)[0])])
    golden = ROOT / "eval" / "golden.jsonl"
    questions = [json.loads(line)["question"] for line in golden.read_text().splitlines() if line.strip()]
    return bases, make_embedder(settings).encode(questions)


def synthetic(bases: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, bases.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):  # blocks keep temporaries small at 1M
        m = min(100_000, n - start)
        a, b = bases[rng.integers(0, len(bases), m)], bases[rng.integers(0, len(bases), m)]
        w = rng.uniform(0, 1, (m, 1)).astype(np.float32)
        block = w * a + (1 - w) * b + rng.normal(0, NOISE, (m, bases.shape[1])).astype(np.float32)
        out[start:start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def run_one(n: int, anns: list[str], n_queries: int) -> list[dict]:
    import faiss
    import psutil

    from qa.index.ann import build_ann

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    bases, questions = real_vectors()
    data = synthetic(bases, n, seed=0)
    queries = np.concatenate([questions, synthetic(bases, max(0, n_queries - len(questions)), seed=1)])[:n_queries]
    # ground truth by brute force over the array itself (no second copy of the vectors)
    _, exact_ids = faiss.knn(queries, data, 10, metric=faiss.METRIC_INNER_PRODUCT)
    results = []
    for ann in anns:
        t = time.perf_counter()
        index, params = build_ann(data, ann, auto_threshold=1)
        build = time.perf_counter() - t
        faiss.omp_set_num_threads(1)  # one query at a time, as the server answers them
        times, found = [], []
        for q in queries:
            t = time.perf_counter()
            _, ids = index.search(q[None, :], 10)
            times.append(time.perf_counter() - t)
            found.append(ids[0])
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        recall = float(np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact_ids, strict=True)]))
        results.append({"n": n, "ann": params["factory"], "params": {k: v for k, v in params.items()
                                                                     if k not in ("factory", "requested")},
                        "build_s": build, "p50_ms": float(np.percentile(times, 50)) * 1000,
                        "p95_ms": float(np.percentile(times, 95)) * 1000, "recall@10": recall,
                        "index_mb": faiss.serialize_index(index).nbytes / 1e6 if n <= 200_000 else None})
        if len(anns) == 1:  # what a server holding only this index needs, once the build arrays are gone
            del data
            results[-1]["serving_rss_mb"] = psutil.Process().memory_info().rss / 1e6
        del index
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    for r in results:
        r["peak_rss_mb"] = peak
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--ann", default="exact,ivf,hnsw")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    anns = args.ann.split(",")
    if args.one:
        print(json.dumps(run_one(args.one, anns, args.queries)))
        return
    print(f"{'chunks':>9} {'index':<13} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'recall@10':>9} "
          f"{'peak RSS MB':>11}  params")
    for n in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--ann", args.ann,
                               "--queries", str(args.queries)], capture_output=True, text=True, check=True)
        for r in json.loads(proc.stdout.strip().splitlines()[-1]):
            print(f"{r['n']:>9} {r['ann']:<13} {r['build_s']:>8.1f} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f} "
                  f"{r['recall@10']:>9.3f} {r['peak_rss_mb']:>11.0f}  {r['params']}"
                  + (f"  serving RSS {r['serving_rss_mb']:.0f} MB" if "serving_rss_mb" in r else ""), flush=True)
    print("\npeak RSS is the whole process: the embedding model, the float32 build vectors (~1.5 GB at 1M) and "
          "every index type of that size. Run one --ann at a time to also get the serving RSS.")


if __name__ == "__main__":
    main()
