"""Recall of the answer stage's inputs, on the dev splits: does the answering unit reach the candidates?

    .venv/bin/python bench/recall.py [--split dev] [--json out.json]

For every answerable item with ``answer_contains`` of eval/golden.jsonl and its paraphrases
(eval/golden-paraphrase.jsonl), retrieved exactly as ``Assistant.ask`` retrieves (scope, follow-up
rewriting, the index's fusion), it reports

  hit@k            a retrieved passage of the item's scope holds every fact (the eval harness's test)
  candidates       a candidate unit of the answer stage holds every fact (the unit-tied evaluator
                   needs this: a fact found only elsewhere in the passage does not count), with the
                   answerer's passage pool alone, and with the nearest units of ``Scoring.nearest_units``
  unit cosine@k    an answering unit is among the k units of the scoped documents nearest the question

Only the split asked for is read (default dev: the test splits decide, so nobody tunes on them).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from offline import ROOT  # noqa: E402 - puts the repository on sys.path, sets the offline environment

from qa.answer.question import analyse  # noqa: E402
from qa.assistant import ANSWER_POOL, Assistant  # noqa: E402
from qa.config import get_settings  # noqa: E402
from qa.evaluation.evaluate import GoldenItem, is_relevant, load_golden  # noqa: E402
from qa.ingest.acronyms import expand_query  # noqa: E402
from qa.text.textmatch import matches  # noqa: E402

FILES = (ROOT / "eval" / "golden.jsonl", ROOT / "eval" / "golden-paraphrase.jsonl")


def measure(assistant: Assistant, item: GoldenItem) -> dict[str, bool]:
    answerer = assistant._answerer  # noqa: SLF001 - a bench looks inside
    info = analyse(item.question)
    scope = assistant._scope(item.question, list(item.history), None, None, None, info.comparison)  # noqa: SLF001
    scope = assistant._own_edition(scope) or scope  # noqa: SLF001
    standalone, hits = assistant.retrieve(item.question, list(item.history), k=10, scope=scope)
    info = analyse(standalone)
    first = next((i for i, h in enumerate(hits, 1) if is_relevant(h.chunk, item)), None)
    allowed = item.allowed_docs

    def answers(unit) -> bool:  # type: ignore[no-untyped-def]
        return ((allowed is None or unit.chunk.doc_id in allowed)
                and all(matches(unit.text, f) for f in item.answer_contains))

    qvec = answerer.embedder.encode([expand_query(standalone, answerer._acronyms)])[0]  # noqa: SLF001
    pool = hits[:ANSWER_POOL]
    n = int(answerer.scoring.nearest_units)
    plain = answerer.catalog.candidates(pool, info.about_sources)
    joined = answerer.catalog.candidates(pool, info.about_sources, qvec, n)
    docs = {h.chunk.doc_id for h in hits}
    near = answerer.catalog.nearest(qvec, docs, 20, info.about_sources)
    return {
        "hit@1": first is not None and first <= 1, "hit@5": first is not None and first <= 5,
        "hit@10": first is not None,
        "candidates (pool)": any(answers(c.unit) for c in plain),
        f"candidates (pool + {n} nearest)": any(answers(c.unit) for c in joined),
        "unit cosine@5": any(answers(u) for u in near[:5]), "unit cosine@20": any(answers(u) for u in near),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    assistant = Assistant(get_settings()).load()
    report: dict[str, dict[str, float]] = {}
    for path in FILES:
        items = [i for i in load_golden(path) if i.split == args.split and i.answerable and i.answer_contains]
        rows = [measure(assistant, i) for i in items]
        report[path.name] = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]} if rows else {}
        print(f"{path.name} ({args.split}, {len(rows)} answerable items with facts)")
        for k, v in report[path.name].items():
            print(f"  {k:32s} {v:.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
