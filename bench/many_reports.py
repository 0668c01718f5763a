"""Many reports: index build time, scoped retrieval latency and wrong-scope answers as the corpus grows.

    .venv/bin/python bench/many_reports.py [--reports 200] [--sizes 50,100,200] [--questions 60]
                                           [--asks 40] [--embedder sentence-transformers|fake]

Synthetic reports come from eval/synth (25 countries x as many editions as needed, seeded). The
corpus grows through ``--sizes`` in one folder under bench/results/many/, and the index is
updated at each size the way `qa index build` does it (only new reports are embedded), so the
build time per size is the time to add those reports. At each size:

- build: seconds to add the new reports (parse everything, embed the new chunks), chunks in the index;
- load: seconds of ``Assistant.load()`` (the build stores the answer units' vectors, so loading
  embeds nothing);
- first search: p50 of a question's first search (the query embedding dominates);
- scoped retrieval: p50/p95 of ``Assistant.search`` restricted to the question's country
  (``country=`` when the assistant takes it, else ``doc=``), beside unscoped search, both with the
  query embedding cached; a scoped search must return only passages of its scope (checked);
- wrong-scope: of ``--asks`` questions naming one country, asked as a user would (no filter), the
  share of answers citing another country's report, and the share citing another document.

The growth of build time per report and of scoped p95 with the chunk count is fitted linearly and
extrapolated to ~2,600 reports (130 countries x 20 editions). A benchmark: prints figures, exits 0.
``--embedder fake`` checks the plumbing in seconds; its latencies are not the product's.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import math
import random
import shutil
import time
from pathlib import Path

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment

WORK = ROOT / "bench" / "results" / "many"  # + the embedder's name: a fake run never clears a real one
TARGET_REPORTS = 2600
COUNTRIES = 25


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def generate_pool(reports: int, seed: int) -> list[dict]:
    """All reports of the largest size, generated once into WORK/pool."""
    from eval.synth.generate import generate

    countries = min(reports, COUNTRIES)
    editions = math.ceil(reports / countries)
    multi = reports - countries * (editions - 1)
    pool = WORK / "pool"
    shutil.rmtree(pool, ignore_errors=True)
    return generate(pool, countries, seed, editions=editions, multi=multi)


def grow_corpus(facts: list[dict], size: int) -> Path:
    """Copy the first ``size`` reports into the corpus folder, with a catalog marking them synthetic."""
    corpus = WORK / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for f in facts[:size]:
        target = corpus / f"{f['id']}.txt"
        if not target.exists():
            shutil.copyfile(WORK / "pool" / f"{f['id']}.txt", target)
    (corpus / "catalog.toml").write_text("".join(f'["{f["id"]}"]\nsynthetic = true\n\n' for f in facts[:size]))
    return corpus


def questions(facts: list[dict], n: int, seed: int) -> list[dict]:
    from eval.synth.golden import Builder

    items = list(Builder(facts, random.Random(seed)).scoped(2))
    random.Random(seed).shuffle(items)
    return items[:n]


def timed_searches(assistant, items: list[dict], by_id: dict[str, dict]) -> dict[str, list[float] | int]:  # type: ignore[no-untyped-def]
    """Per question: the query embedding (first, uncached search), then scoped and global searches
    with the embedding cached, interleaved so background load hits both alike. Also counts scoped
    searches that returned a passage outside their scope."""
    takes_country = "country" in inspect.signature(assistant.search).parameters
    out: dict[str, list[float] | int] = {"first": [], "scoped": [], "global": [], "leaks": 0}
    for item in items:
        f = by_id[item["doc"]]
        scope = {"country": f["country"]["name"]} if takes_country else {"doc": f["id"]}
        allowed = {g["id"] for g in by_id.values() if g["country"]["code"] == f["country"]["code"]}
        for name, kwargs in (("first", {}), ("scoped", scope), ("global", {})):
            started = time.perf_counter()
            hits = assistant.search(item["question"], k=10, **kwargs)
            out[name].append((time.perf_counter() - started) * 1000)  # type: ignore[union-attr]
            if name == "scoped":
                out["leaks"] += any(h.chunk.doc_id not in allowed for h in hits)  # type: ignore[operator]
    return out


def wrong_scope(assistant, items: list[dict], by_id: dict[str, dict]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(share citing another country's report, share citing another document) of answered asks."""
    other_country = other_doc = answered = 0
    for item in items:
        f = by_id[item["doc"]]
        answer = assistant.ask(item["question"])
        if answer.abstained:
            continue
        answered += 1
        docs = {c.doc for c in answer.citations}
        same_country = {g["id"] for g in by_id.values() if g["country"]["code"] == f["country"]["code"]}
        other_country += bool(docs - same_country)
        other_doc += bool(docs - {f["id"]})
    return (other_country / answered if answered else float("nan"),
            other_doc / answered if answered else float("nan"))


def measure(size: int, facts: list[dict], args: argparse.Namespace) -> dict:
    from qa.assistant import Assistant
    from qa.config import Settings
    from qa.index.embed import make_embedder
    from qa.index.store import build_index
    from qa.ingest.corpus import load_corpus

    corpus = grow_corpus(facts, size)
    settings = Settings(corpus_dir=corpus, index_dir=WORK / "index", index_name="many", embedder=args.embedder)
    started = time.perf_counter()
    documents = load_corpus(settings)
    parse_s = time.perf_counter() - started
    from qa.answer.units import unit_texts

    # as `qa index build` does: the build also stores the answer units' vectors
    report = build_index(settings, documents, make_embedder(settings), progress=False, unit_texts=unit_texts)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    assistant = Assistant(settings).load()
    load_s = time.perf_counter() - started
    present = facts[:size]
    by_id = {f["id"]: f for f in present}
    items = questions(present, args.questions, args.seed)
    assistant.search(items[0]["question"], k=10)  # warm: model and lazy paths
    timing = timed_searches(assistant, items, by_id)
    scoped_ms, global_ms, first_ms = timing["scoped"], timing["global"], timing["first"]
    wrong_country, wrong_doc = wrong_scope(assistant, items[: args.asks], by_id)
    return {
        "reports": size, "chunks": report.chunks, "new_reports": len(report.reembedded_documents),
        "parse_s": round(parse_s, 1), "build_s": round(build_s, 1), "load_s": round(load_s, 1),
        "scoped_p50_ms": round(percentile(scoped_ms, 50), 1), "scoped_p95_ms": round(percentile(scoped_ms, 95), 1),
        "global_p50_ms": round(percentile(global_ms, 50), 1), "global_p95_ms": round(percentile(global_ms, 95), 1),
        "first_search_p50_ms": round(percentile(first_ms, 50), 1),
        "scoped_searches_leaking": timing["leaks"], "searches": len(items),
        "wrong_country_rate": round(wrong_country, 3), "wrong_document_rate": round(wrong_doc, 3),
        "asks": min(args.asks, len(items)),
    }


def extrapolate(rows: list[dict]) -> dict:
    """Least-squares lines through the measured sizes, read at TARGET_REPORTS."""
    def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
        return slope, my - slope * mx

    per_report = rows[-1]["chunks"] / rows[-1]["reports"]
    target_chunks = per_report * TARGET_REPORTS
    # build seconds per added report (the incremental cost), from every step that added reports
    steps = [(r["build_s"], r["new_reports"]) for r in rows if r["new_reports"]]
    sec_per_report = sum(s for s, _ in steps) / sum(n for _, n in steps) if steps else float("nan")
    xs = [r["chunks"] for r in rows]
    out = {"target_reports": TARGET_REPORTS, "target_chunks": round(target_chunks),
           "full_build_hours": round(sec_per_report * TARGET_REPORTS / 3600, 1)}
    for name in ("scoped_p50_ms", "scoped_p95_ms", "global_p95_ms"):
        ys = [r[name] for r in rows]
        slope, icept = fit(xs, ys) if len(rows) > 1 else (0.0, ys[0])
        # a falling line is noise between runs on a shared machine, not speed from size: no growth
        out[name] = round(icept + slope * target_chunks, 1) if slope > 0 else max(ys)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, default=200, help="largest corpus size")
    p.add_argument("--sizes", default="", help="comma-separated sizes to measure (default: quarter, half, full)")
    p.add_argument("--questions", type=int, default=60, help="scoped searches timed per size")
    p.add_argument("--asks", type=int, default=40, help="questions asked per size for the wrong-scope rate")
    p.add_argument("--embedder", default="sentence-transformers", choices=["sentence-transformers", "fake"])
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--keep", action="store_true", help="keep the index of an earlier run (resume growth)")
    args = p.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s} or
                   {max(1, args.reports // 4), max(1, args.reports // 2), args.reports})
    global WORK
    WORK = WORK / args.embedder
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    facts = generate_pool(max(sizes), args.seed)
    # generated reports carry `synthetic = true`, a catalog field this branch does not know yet
    logging.getLogger("qa.ingest.corpus").setLevel(logging.ERROR)
    rows: list[dict] = []
    for size in sizes:
        rows.append(measure(size, facts, args))
        print(json.dumps(rows[-1]), flush=True)
    summary = {"embedder": args.embedder, "sizes": rows, "extrapolated": extrapolate(rows)}
    (WORK / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary["extrapolated"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
