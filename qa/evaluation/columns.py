"""The figures per column: the golden file's dev and test splits and all of it, and the same for
its paraphrase set, with the gap between the two wordings.

Column names, used by the table, the JSON dump and the thresholds file: ``dev``, ``test``, ``all``
for the golden file; ``paraphrase-dev``, ``paraphrase-test``, ``paraphrase`` for its paraphrases. A
golden file without a split field has the ``all`` (and ``paraphrase``) column only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.evaluation.evaluate import SPLITS, EvalRun, ItemResult, counts_of, summarize
from qa.evaluation.metrics import PRF, accuracy

PARAPHRASE = "paraphrase"
PARAPHRASE_SUFFIX = "-p"  # a paraphrase's id is its original's id plus this


@dataclass(frozen=True)
class Column:
    name: str
    results: tuple[ItemResult, ...]
    metrics: dict[str, float | None]
    citation_counts: PRF

    def counts(self) -> dict[str, int]:
        return counts_of(self.results)


def _column(name: str, results: Sequence[ItemResult]) -> Column:
    metrics, refs = summarize(results)
    return Column(name, tuple(results), metrics, refs)


def split_columns(run: EvalRun, prefix: str = "") -> list[Column]:
    """One column per split present in ``run`` (dev, test), then the whole file."""
    out = []
    for split in SPLITS:
        chosen = [r for r in run.results if r.item.split == split]
        if chosen:
            out.append(_column(f"{prefix}-{split}" if prefix else split, chosen))
    out.append(_column(prefix or "all", run.results))
    return out


def wording_gap(own: Sequence[ItemResult], paraphrased: Sequence[ItemResult]) -> float | None:
    """Answer accuracy on the own wording minus on the paraphrases, over the answerable questions
    present in both (a paraphrase is matched to its original by id); None when none pair up."""
    originals = {r.item.id: r for r in own if r.item.answerable}
    pairs = [(originals[r.item.id.removesuffix(PARAPHRASE_SUFFIX)], r) for r in paraphrased
             if r.item.answerable and r.item.id.removesuffix(PARAPHRASE_SUFFIX) in originals]
    if not pairs:
        return None
    own_acc = accuracy(o.facts_ok for o, _ in pairs)
    para_acc = accuracy(p.facts_ok for _, p in pairs)
    return None if own_acc is None or para_acc is None else own_acc - para_acc


def columns(run: EvalRun, paraphrase: EvalRun | None = None) -> list[Column]:
    """Every column of a golden run and, when given, of its paraphrase run (with the wording gap)."""
    out = split_columns(run)
    if paraphrase is not None:
        for col in split_columns(paraphrase, PARAPHRASE):
            col.metrics["wording_gap"] = wording_gap(run.results, col.results)
            out.append(col)
    return out
