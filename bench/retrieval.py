"""Retrieval quality and latency on eval/golden.jsonl: our retriever vs. what a user would build instead.

    .venv/bin/python bench/retrieval.py [--golden eval/golden.jsonl] [--json out.json]

Systems, all in one run, all with the same embedding model:
  ours          structure-aware chunks, dense + BM25 fused by reciprocal rank, acronym expansion
  langchain     fixed 1000-character / 200-overlap chunks (RecursiveCharacterTextSplitter's
                algorithm), FAISS exact inner product over the same model's vectors
  bm25          BM25 alone over our chunks (same analyzer)
and ablations of ours (dense only; BM25 with acronym expansion; a convex combination of min-max
scores instead of RRF, with the same reference look-up lane, so only the fusion differs).

A hit is a retrieved passage from the item's ``doc`` that contains every ``answer_contains``
item (qa.text.textmatch.passage_contains, the same test the eval harness uses). Unanswerable items
are skipped. Latency: ``Retriever.search`` per question, beside the floor of embedding the
question alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment

from qa.config import get_settings  # noqa: E402
from qa.models import Chunk  # noqa: E402
from qa.text.textmatch import passage_contains  # noqa: E402

Ranker = Callable[[str, str | None], list[Chunk]]
DEPTH = 10


def load_items(path: Path) -> list[dict]:
    from qa.answer.followup import resolve_followup

    items = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if not item.get("answerable", True) or not item.get("answer_contains") or not item.get("doc"):
            continue
        item["query"] = resolve_followup(item["question"], item.get("history") or [])
        items.append(item)
    return items


def evaluate(rank: Ranker, items: list[dict]) -> dict[str, float]:
    ranks = []
    for item in items:
        chunks = rank(item["query"], None)[:DEPTH]
        first = next((i for i, c in enumerate(chunks, 1)
                      if c.doc_id == item["doc"] and passage_contains(c, item["answer_contains"])), None)
        ranks.append(first)
    n = len(items)
    return {
        "hit@1": sum(r is not None and r <= 1 for r in ranks) / n,
        "hit@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "hit@10": sum(r is not None for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
        "misses@5": [it["id"] for it, r in zip(items, ranks, strict=True) if r is None or r > 5],
    }


# -- the LangChain-style baseline -----------------------------------------------------------------
def recursive_split(text: str, size: int = 1000, overlap: int = 200,
                    separators: tuple[str, ...] = ("\n\n", "\n", " ", "")) -> list[str]:
    """LangChain's RecursiveCharacterTextSplitter: split on the coarsest separator that yields
    pieces under ``size``, then merge pieces greedily with ``overlap`` characters carried over."""
    sep = next((s for s in separators if s == "" or s in text), "")
    rest = separators[separators.index(sep) + 1:] if sep else ()
    pieces = text.split(sep) if sep else list(text)
    out: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if len(piece) > size:
            out += _merge(current, sep, size, overlap)
            current = []
            out += recursive_split(piece, size, overlap, rest) if rest else [piece]
        else:
            current.append(piece)
    out += _merge(current, sep, size, overlap)
    return [c for c in out if c.strip()]


def _merge(pieces: list[str], sep: str, size: int, overlap: int) -> list[str]:
    docs: list[str] = []
    window: list[str] = []
    total = 0
    for piece in pieces:
        extra = len(piece) + (len(sep) if window else 0)
        if total + extra > size and window:
            docs.append(sep.join(window).strip())
            while window and (total > overlap or total + extra > size):
                total -= len(window[0]) + (len(sep) if len(window) > 1 else 0)
                window.pop(0)
        window.append(piece)
        total += len(piece) + (len(sep) if len(window) > 1 else 0)
    if window:
        docs.append(sep.join(window).strip())
    return docs


def langchain_ranker(documents: list, embedder) -> Ranker:  # type: ignore[no-untyped-def]
    import faiss

    chunks = []
    for doc in documents:
        for i, piece in enumerate(recursive_split(doc.text)):
            chunks.append(Chunk(id=f"{doc.id}#lc{i}", doc_id=doc.id, kind="paragraph", section="",
                                heading_path=(), text=piece, start=0, end=0, token_count=0,
                                refs=frozenset(), sentences=()))
    index = faiss.IndexFlatIP(embedder.dimension)
    index.add(embedder.encode([c.text for c in chunks]))

    def rank(query: str, doc: str | None) -> list[Chunk]:
        _, ids = index.search(embedder.encode([query]), DEPTH)
        return [chunks[i] for i in ids[0] if i >= 0]

    rank.size = len(chunks)  # type: ignore[attr-defined]
    return rank


# -- our retriever and its ablations --------------------------------------------------------------
def ours(retriever) -> Ranker:  # type: ignore[no-untyped-def]
    return lambda q, doc: [h.chunk for h in retriever.search(q, k=DEPTH, doc=doc)]


def component(retriever, which: str) -> Ranker:  # type: ignore[no-untyped-def]
    from qa.ingest.acronyms import expand_query

    def rank(query: str, doc: str | None) -> list[Chunk]:
        q = expand_query(query, retriever.acronyms()) if which != "bm25-plain" else query
        scores = retriever.dense_ranking(q, DEPTH, None) if which == "dense" else retriever.bm25_ranking(q, DEPTH, None)
        return [retriever.chunks()[r] for r in scores]

    return rank


def convex(retriever, weight: float) -> Ranker:  # type: ignore[no-untyped-def]
    """weight * minmax(dense) + (1 - weight) * minmax(bm25) over the union of both candidate lists."""
    from qa.ingest.acronyms import expand_query

    chunks = retriever.chunks()

    def norm(scores: dict[int, float]) -> dict[int, float]:
        if not scores:
            return {}
        lo, hi = min(scores.values()), max(scores.values())
        return {r: (s - lo) / (hi - lo or 1.0) for r, s in scores.items()}

    def rank(query: str, doc: str | None) -> list[Chunk]:
        q = expand_query(query, retriever.acronyms())
        d, b = norm(retriever.dense_ranking(q, 50, None)), norm(retriever.bm25_ranking(q, 50, None))
        fused = {r: weight * d.get(r, 0.0) + (1 - weight) * b.get(r, 0.0) for r in set(d) | set(b)}
        pinned = retriever.reference_rows(query, None)  # the same look-up lane as ours: compare fusion only
        fused.update({r: fused.get(r, 0.0) + 10.0 for r in pinned})
        return [chunks[r] for r in sorted(fused, key=lambda r: -fused[r])[:DEPTH]]

    return rank


def latency(retriever, items: list[dict]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    def pct(xs: list[float], p: float) -> float:
        return float(np.percentile(xs, p)) * 1000

    queries = [it["query"] for it in items]
    for q in queries[:5]:
        retriever.search(q, k=DEPTH)  # warm-up (first calls allocate)
    search, floor = [], []
    for q in queries:
        t = time.perf_counter()
        retriever.embedder.encode([q])
        floor.append(time.perf_counter() - t)
        t = time.perf_counter()
        retriever.search(q, k=DEPTH)
        search.append(time.perf_counter() - t)
    return {"search_p50_ms": pct(search, 50), "search_p95_ms": pct(search, 95),
            "floor_p50_ms": pct(floor, 50), "floor_p95_ms": pct(floor, 95),
            "ratio_p50": statistics.median(search) / statistics.median(floor)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--golden", type=Path, default=ROOT / "eval" / "golden.jsonl")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--misses", action="store_true", help="list the items ours misses at rank 5")
    args = parser.parse_args()

    from qa.ingest.corpus import load_corpus
    from qa.answer.retrieve import Retriever

    settings = get_settings()
    items = load_items(args.golden)
    retriever = Retriever(settings).load()
    documents = load_corpus(settings)
    systems: dict[str, Ranker] = {
        "ours (dense+bm25 rrf)": ours(retriever),
        "langchain 1000/200 + faiss": langchain_ranker(documents, retriever.embedder),
        "bm25 alone": component(retriever, "bm25-plain"),
        "ablation: dense only": component(retriever, "dense"),
        "ablation: bm25 + acronyms": component(retriever, "bm25"),
        "ablation: convex 0.5 (not rrf)": convex(retriever, 0.5),
        "ablation: convex 0.3 (not rrf)": convex(retriever, 0.3),
    }
    print(f"{len(items)} answerable questions from {args.golden.name}; "
          f"{len(retriever.chunks())} chunks in our index\n")
    print(f"{'system':<30} {'hit@1':>6} {'hit@5':>6} {'hit@10':>6} {'MRR':>6}")
    results = {}
    for name, rank in systems.items():
        m = evaluate(rank, items)
        results[name] = m
        print(f"{name:<30} {m['hit@1']:>6.3f} {m['hit@5']:>6.3f} {m['hit@10']:>6.3f} {m['mrr']:>6.3f}")
    lat = latency(retriever, items)
    results["latency"] = lat
    print(f"\nquery latency (ours, k={DEPTH}): p50 {lat['search_p50_ms']:.1f} ms, p95 {lat['search_p95_ms']:.1f} ms; "
          f"floor (embed the question): p50 {lat['floor_p50_ms']:.1f} ms, p95 {lat['floor_p95_ms']:.1f} ms; "
          f"ratio p50 {lat['ratio_p50']:.2f}x")
    if args.misses:
        print("\nours misses at rank 5:", ", ".join(results["ours (dense+bm25 rrf)"]["misses@5"]) or "none")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
