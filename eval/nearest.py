"""Nearest-only units: how often the unit search's own finds would answer (issue 10; dev only).

    .venv/bin/python eval/nearest.py [--golden eval/golden.jsonl ...] [--depth 50] [--json out.json]

Besides the units of the retrieved passages the answerer weighs the units of the same reports
nearest the question by cosine (``UnitCatalog.nearest``); one whose passage retrieval did not
return is *nearest-only*, and ``Answerer._unsupported`` declines unless some unit of a retrieved
passage reaches ``abstain_below``. This asks every dev question twice: as shipped, and with that
check off (``open``), and for each question whose outcome differs prints what a rule could read:
the best nearest-only unit's score, its lexical overlap (the scorer's IDF-weighted share of the
question's terms), its cosine, the best retrieved unit's score, and the rank of its passage in a
deeper retrieval ranking (``--depth``). Outcomes: right / wrong / abstained, for answerable and
unanswerable questions alike; a wrongly answered unanswerable question is the worst outcome.

Reads only dev-split lines of each file (a file without a ``split`` field is a tuning set and read
whole); test questions are never parsed or asked. The corpus and index are the configured ones
(``QA_CORPUS_DIR`` / ``QA_INDEX_DIR`` for the real-PDF set).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.fit import memoise_search  # noqa: E402
from eval.hubs import expected, load_tuning  # noqa: E402
from qa.evaluation.evaluate import GoldenItem, run_item  # noqa: E402


def outcome(result: Any) -> str:
    if result.abstained:
        return "abstained"
    if not result.item.answerable:
        return "answered"  # the worst outcome: an unanswerable question answered
    return "right" if result.facts_ok else "wrong"


class Probe:
    """The assistant with retrieval memoised and the answer stage's decision inputs recorded."""

    def __init__(self, depth: int) -> None:
        from qa.assistant import Assistant
        from qa.config import Settings

        self.assistant = Assistant(Settings(llm_base_url=None)).load()
        self.depth = depth
        self.calls: list[dict[str, Any]] = []
        self.open = False
        memoise_search(self.assistant)
        self._wrap(self.assistant._answerer)

    def _wrap(self, answerer: Any) -> None:
        answer, unsupported, probe = answerer.answer, answerer._unsupported, self

        def answer_hook(question: str, hits: list, doc: str | None = None, scope: Any = None, **kw: Any) -> Any:
            probe.calls.append({"question": question, "doc": doc, "scope": scope})
            measure = answerer.scorer.measure

            def measure_hook(*args: Any, **kwargs: Any) -> Any:
                kept, raws = measure(*args, **kwargs)
                probe.calls[-1]["raws"] = {c.unit.key: r for c, r in zip(kept, raws, strict=True)}
                return kept, raws

            answerer.scorer.measure = measure_hook
            try:
                return answer(question, hits, doc=doc, scope=scope, **kw)
            finally:
                answerer.scorer.measure = measure

        def unsupported_hook(scored: list, unretrieved: set[str], *args: Any) -> Any:
            why = unsupported(scored, unretrieved, *args)
            qvec = answerer.embedder.encode([answerer._expand(probe.calls[-1]["question"])])[0]
            probe.calls[-1].update(scored=scored, unretrieved=unretrieved, blocked=why is not None,
                                   peak=probe.peaks(qvec, {s.unit.chunk.doc_id for s in scored}))
            return None if probe.open else why

        answerer.answer = answer_hook
        answerer._unsupported = unsupported_hook

    def peaks(self, qvec: Any, docs: set[str]) -> dict[str, float]:
        """Per document: how far its units' cosines to the question stand out (top1 - mean) / std."""
        import numpy as np

        catalog = self.assistant._answerer.catalog
        out = {}
        for d in docs:
            rows = catalog._rows_by_doc.get(d)
            if rows is None:
                continue
            cos = catalog._matrix[rows] @ qvec
            top = np.sort(cos)[::-1]
            out[d] = {"mean": float(cos.mean()), "std": float(cos.std()), "top": [float(x) for x in top[:10]]}
        return out

    def nearest_units(self, call: dict[str, Any], item: GoldenItem) -> list[dict[str, Any]]:
        """Every nearest-only candidate of a call: its score, cosine, standing, and whether it answers."""
        scored, unretrieved = call.get("scored") or [], call.get("unretrieved", set())
        out = []
        for rank, s in enumerate(scored):
            if s.unit.key not in unretrieved:
                continue
            raw = call.get("raws", {}).get(s.unit.key)
            peak = call["peak"].get(s.unit.chunk.doc_id)
            z = (raw.dense - peak["mean"]) / peak["std"] if raw and peak else None
            out.append({"rank": rank, "score": round(s.score, 3), "dense": round(raw.dense, 3) if raw else None,
                        "lexical": round(raw.lexical, 3) if raw else None, "z": round(z, 2) if z is not None else None,
                        "gap10": round(raw.dense - peak["top"][-1], 3) if raw and peak else None,
                        "answers": bool(item.answerable and item.answer_contains and expected(s.unit, item))})
        return out

    def features(self, call: dict[str, Any]) -> dict[str, Any] | None:
        """What a rule could read when the best unit is nearest-only and the shipped check declines."""
        scored, unretrieved = call.get("scored"), call.get("unretrieved", set())
        if not scored or scored[0].unit.key not in unretrieved:
            return None
        best = scored[0]
        raw = call.get("raws", {}).get(best.unit.key)
        retrieved_best = next((s.score for s in scored if s.unit.key not in unretrieved), 0.0)
        deep = self.assistant._retriever.search(call["question"], k=self.depth, doc=call["doc"], scope=call["scope"])
        ids = [h.chunk.id for h in deep]
        chunk = best.unit.chunk.id
        return {"score": round(best.score, 3), "retrieved_best": round(retrieved_best, 3),
                "lexical": round(raw.lexical, 3) if raw else None, "dense": round(raw.dense, 3) if raw else None,
                "depth": ids.index(chunk) + 1 if chunk in ids else None, "blocked": call.get("blocked"),
                "unit": best.unit.text[:100]}

    def ask(self, item: GoldenItem, open_: bool) -> tuple[Any, list[dict[str, Any]]]:
        self.open, self.calls = open_, []
        result = run_item(self.assistant, item, 5)
        return result, self.calls


def summarize_pool(pool: list[dict[str, Any]], bars: tuple[float, ...] = (0.6, 0.65, 0.7, 0.75)) -> None:
    """Nearest-only candidates by cosine bar: how many answer, how many of an answerable question do
    not, how many belong to an unanswerable question (and of those, how many reach abstain_below)."""
    from qa.answer.scoring import load_scoring

    floor = load_scoring().abstain_below
    for bar in bars:
        over = [u for u in pool if u["dense"] is not None and u["dense"] >= bar]
        parts = {"answers": [u for u in over if u["answers"]],
                 "answerable, does not answer": [u for u in over if u["answerable"] and not u["answers"]],
                 "unanswerable": [u for u in over if not u["answerable"]]}
        print(f"   cosine >= {bar}: " + "; ".join(f"{k} {len(v)} ({sum(u['score'] >= floor for u in v)} scoring "
                                                    f">= abstain_below)" for k, v in parts.items()), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--golden", type=Path, action="append")
    parser.add_argument("--depth", type=int, default=50)
    parser.add_argument("--json", type=Path, help="the differing questions here, every nearest-only "
                                                   "candidate beside it (.pool.json)")
    args = parser.parse_args(argv)
    files = args.golden or [ROOT / "eval" / "golden.jsonl", ROOT / "eval" / "golden-paraphrase.jsonl"]
    probe = Probe(args.depth)
    rows: list[dict[str, Any]] = []
    pool: list[dict[str, Any]] = []
    for path in files:
        tally: Counter[str] = Counter()
        here: list[dict[str, Any]] = []
        for item in load_tuning(path):
            shipped, calls = probe.ask(item, False)
            opened, _ = probe.ask(item, True)
            feats = [f for c in calls if (f := probe.features(c)) is not None]
            here += [{"file": path.name, "id": item.id, "answerable": item.answerable, **u}
                     for c in calls[:1] for u in probe.nearest_units(c, item)]
            key = "answerable" if item.answerable else "unanswerable"
            before, after = outcome(shipped), outcome(opened)
            tally[f"{key} questions"] += 1
            tally[f"{key}: best unit nearest-only"] += bool(feats)
            tally[f"{key}: declined by the check"] += any(f["blocked"] for f in feats)
            if feats:
                tally[f"{key}: best unit nearest-only, shipped {before}"] += 1
            if before != after or feats:
                tally[f"{key}: {before} -> {after} (check off)"] += 1
                rows.append({"file": path.name, "id": item.id, "answerable": item.answerable, "shipped": before,
                             "open": after, "features": feats, "question": item.question})
                print(json.dumps(rows[-1], ensure_ascii=False))
        print(f"== {path.name}: " + "; ".join(f"{k} {v}" for k, v in sorted(tally.items()) if v), file=sys.stderr)
        summarize_pool(here)
        pool += here
    if args.json:
        args.json.with_suffix(".pool.json").write_text(json.dumps(pool, indent=1), encoding="utf-8")
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
