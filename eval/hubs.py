"""Hubs: answer units that win questions another unit answers (issue 10; dev splits only).

    .venv/bin/python eval/hubs.py [--golden eval/golden.jsonl ...] [--top 10]

For every answerable dev question about one document, the candidates the answer stage scored are
taken as they were scored. A candidate is an *expected* unit when its own text holds every expected
fact and it does not cite only references other than the expected ones (the evaluator's rule,
qa.evaluation.units). When some candidate is expected but the best-scored one is not, the winner
won wrongly; the same is counted for the best candidate by cosine alone (the dense term), where
hubness acts. A hub is a unit that wins wrongly for several unrelated questions.

Beside each frequent wrong winner it prints the unit's local density ``r(u)`` (mean cosine to its
``--k`` nearest units of the same document, the CSLS term) as a percentile within its document: a
document-local discount ``cos - lam * r(u)`` can only push a hub down if its ``r(u)`` is high.

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

import numpy as np  # noqa: E402

from qa.answer.scorers import UnitScorer  # noqa: E402
from qa.evaluation.evaluate import GoldenItem, parse_golden_line  # noqa: E402
from qa.evaluation.units import spans_documents  # noqa: E402
from qa.text.textmatch import matches  # noqa: E402


def load_tuning(path: Path) -> list[GoldenItem]:
    """Dev-split questions (every question of a file without splits), skipped before parsing."""
    items = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip() and json.loads(raw).get("split", "dev") == "dev":
            items.append(parse_golden_line(raw, f"{path.name} line {number}"))
    return items


def expected(unit: Any, item: GoldenItem) -> bool:
    """The unit alone holds every fact and cites none only of other references than the expected."""
    if unit.chunk.doc_id not in (item.allowed_docs or {unit.chunk.doc_id}):
        return False
    if not all(matches(unit.text, f) for f in item.answer_contains):
        return False
    refs = {n for s in unit.sentences for n in s.refs}
    want = {n for d, n in item.expected_refs if d == unit.chunk.doc_id}
    return not want or not refs or bool(want & refs)


class Recorder:
    """Wraps UnitScorer.score to keep every scoring of one question: (scored, cosine of each unit)."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[Any], dict[str, float]]] = []
        original = UnitScorer.score
        recorder = self

        def score(self_, info, qvec, candidates, vector_of, labels_of=None):  # type: ignore[no-untyped-def]
            out = original(self_, info, qvec, candidates, vector_of, labels_of)
            cosine = {c.unit.key: float(qvec @ vector_of(c.unit)) for c in candidates}
            recorder.calls.append((out, cosine))
            return out

        UnitScorer.score = score  # type: ignore[method-assign]


def analyse(assistant: Any, recorder: Recorder, items: list[GoldenItem], tag: str) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        if not item.answerable or not item.answer_contains or spans_documents(item):
            continue
        recorder.calls.clear()
        assistant.ask(item.question, history=list(item.history))
        for scored, cosine in recorder.calls[:1]:
            good = [s.unit.key for s in scored if expected(s.unit, item)]
            if not good:
                continue
            by_cosine = sorted(scored, key=lambda s: -cosine[s.unit.key])
            rank = next(i for i, s in enumerate(scored) if s.unit.key in good)
            dense_rank = next(i for i, s in enumerate(by_cosine) if s.unit.key in good)
            rows.append({"set": tag, "id": item.id, "winner": scored[0].unit.key, "rank": rank,
                         "dense_winner": by_cosine[0].unit.key, "dense_rank": dense_rank,
                         "candidates": [(s.unit.key, round(s.score, 4), round(cosine[s.unit.key], 4),
                                         s.unit.key in good) for s in scored],
                         "text": {scored[0].unit.key: scored[0].unit.text[:90],
                                  by_cosine[0].unit.key: by_cosine[0].unit.text[:90]}})
    return rows


def density_percentiles(keys: list[str], vectors: np.ndarray, k: int) -> dict[str, float]:
    """Unit key -> percentile (0-1), within its document, of its mean cosine to its ``k`` nearest
    other units of that document."""
    docs = np.array([key.split("#", 1)[0] for key in keys])
    out: dict[str, float] = {}
    for doc in sorted(set(docs)):
        rows = np.flatnonzero(docs == doc)
        sim = vectors[rows] @ vectors[rows].T
        np.fill_diagonal(sim, -np.inf)
        n = min(k, len(rows) - 1)
        r = (-np.sort(-sim, axis=1)[:, :n]).mean(axis=1) if n > 0 else np.zeros(len(rows))
        out.update({keys[int(i)]: float((r < v).mean()) for i, v in zip(rows, r, strict=True)})
    return out


def report(rows: list[dict[str, Any]], top: int, density: dict[str, float]) -> None:
    texts = {k: v for r in rows for k, v in r["text"].items()}
    for field, rank in (("winner", "rank"), ("dense_winner", "dense_rank")):
        wrong = [r for r in rows if r[rank] > 0]
        counts = Counter(r[field] for r in wrong)
        print(f"\n{field}: {len(rows)} questions with an expected candidate; {len(wrong)} won by another "
              f"unit, by {len(counts)} distinct units; wins per unit: {sorted(Counter(counts.values()).items())}")
        for key, n in counts.most_common(top):
            ids = ", ".join(f"{r['set']}:{r['id']}(@{r[rank]})" for r in wrong if r[field] == key)
            where = f"r(u) percentile {density[key]:.2f}" if key in density else "a window"
            print(f"  {n}  {key}  ({where})  {texts[key]!r}\n       {ids}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--golden", type=Path, action="append")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--k", type=int, default=5, help="neighbours of r(u)")
    parser.add_argument("--json", type=Path, help="write the per-question rows here")
    args = parser.parse_args()
    from qa.assistant import Assistant
    from qa.config import Settings
    from qa.index.store import read_units

    paths = args.golden or [ROOT / "eval" / "golden.jsonl", ROOT / "eval" / "golden-paraphrase.jsonl"]
    recorder = Recorder()
    assistant = Assistant(Settings(llm_base_url=None)).load()
    rows = [r for p in paths for r in analyse(assistant, recorder, load_tuning(p), p.stem)]
    stored = read_units(assistant.settings)
    density = density_percentiles(stored.keys, np.asarray(stored.vectors), args.k) if stored else {}
    report(rows, args.top, density)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
