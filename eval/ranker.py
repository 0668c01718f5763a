"""Fit the learned unit score (qa/answer/scoring.toml's [ranker]) on the golden DEV splits.

    .venv/bin/python eval/ranker.py [--folds 5] [--l2 1.0] [--write]

For every dev question (golden dev + paraphrase dev) the real pipeline is run once; every candidate
unit the scorer sees gets its feature vector (qa.answer.features) and a label: 1 when the unit, as
the answer would quote it, holds every expected fact and comes from a document the question may
cite (the evaluator's matching, qa.text.textmatch); an unanswerable question's candidates are all 0.
A question whose answer spans several scorer calls (a comparison asks once per year) is left out.

The model is an L2-regularised logistic regression (numpy, Newton steps) on standardised features;
the stored coefficients are mapped back to raw features. The abstention threshold is fitted on the
model's top probability per question. Both are first measured with leave-questions-out
cross-validation (a question and its paraphrase always fall in the same fold), end to end through
the real answer stage, beside the current linear score; ``--write`` stores the model fitted on all
dev questions, only when the cross-validated figures beat the linear score on both wordings.
Test-split lines are never parsed (``eval.fit.load_dev``).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.fit import (GOLDEN, PARAPHRASE, REAL, REAL_DEV, REAL_DEV_OTHERS,  # noqa: E402
                      Scorer, load_dev, render_toml)
from qa.answer.compose import compose_unit  # noqa: E402
from qa.answer.features import FEATURES  # noqa: E402
from qa.answer.scorers import UnitScorer  # noqa: E402
from qa.answer.scoring import SCORING_FILE, Ranker, load_scoring  # noqa: E402
from qa.evaluation.evaluate import GoldenItem, run_item  # noqa: E402
from qa.text.textmatch import matches  # noqa: E402

PARAPHRASE2 = ROOT / "eval" / "golden-paraphrase2.jsonl"
PARAPHRASE3 = ROOT / "eval" / "golden-paraphrase3.jsonl"


@dataclass
class Group:
    """One dev question's candidates: features, labels, the linear score, and the question."""

    item: GoldenItem
    wording: str  # "own" or "other"
    x: np.ndarray
    y: np.ndarray
    linear: np.ndarray

    @property
    def key(self) -> str:
        # a question and its paraphrases ("-p", "-p2", "-p3") share a fold
        return re.sub(r"-p\d*$", "", self.item.id)


def collect(scorer: Scorer, sets: list[tuple[str, list[GoldenItem]]]) -> list[Group]:
    """Runs every dev question once and records what the unit scorer saw."""
    assistant = scorer.assistant
    answerer = assistant._answerer
    answerer.scoring = replace(answerer.scoring, ranker=None)
    calls: list[tuple] = []
    original = UnitScorer.score

    def spy(self, info, qvec, candidates, vector_of, labels_of=None):  # type: ignore[no-untyped-def]
        kept, raws = self.measure(info, qvec, candidates, vector_of, labels_of)
        calls.append((info, kept, self.feature_rows(info, kept, raws)))
        return original(self, info, qvec, candidates, vector_of, labels_of)

    UnitScorer.score = spy  # type: ignore[method-assign]
    groups = []
    try:
        for wording, items in sets:
            for item in items:
                calls.clear()
                run_item(assistant, item, 5)
                if len(calls) != 1 or not calls[0][1]:
                    continue
                info, kept, rows = calls[0]
                # the linear score of each kept candidate, in the same order
                linear_by_key = {s.unit.key: s.score for s in original(answerer.scorer, info, _qvec(answerer, info),
                                                                        [c for c in kept], answerer.catalog.vector,
                                                                        answerer.catalog.label_vectors)}
                y = [_label(answerer, info, c.unit, item) for c in kept]
                groups.append(Group(item, wording, np.array(rows, dtype=float), np.array(y, dtype=float),
                                    np.array([linear_by_key.get(c.unit.key, 0.0) for c in kept])))
    finally:
        UnitScorer.score = original  # type: ignore[method-assign]
    return groups


def _qvec(answerer, info):  # type: ignore[no-untyped-def]
    from qa.ingest.acronyms import expand_query

    return answerer.embedder.encode([expand_query(info.text, answerer._acronyms)])[0]


def _label(answerer, info, unit, item: GoldenItem) -> float:  # type: ignore[no-untyped-def]
    if not item.answerable or not item.answer_contains:
        return 0.0
    allowed = item.allowed_docs
    if allowed is not None and unit.chunk.doc_id not in allowed:
        return 0.0
    plain = " ".join(compose_unit(unit, info, answerer.documents.get(unit.chunk.doc_id)).words.split())
    return 1.0 if all(matches(plain, f) for f in item.answer_contains) else 0.0


# -- the model -----------------------------------------------------------------------------------
def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, positive_weight: float = 1.0) -> tuple[float, np.ndarray]:
    """(intercept, coefficients) on the raw features; fitted on standardised ones by Newton's method."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(z.shape[1])
    sample = np.where(y > 0, positive_weight, 1.0)
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -50, 50)))
        grad = z.T @ (sample * (p - y)) + penalty * w
        hess = (z * (sample * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    coef = w[1:] / std
    return float(w[0] - (coef * mean).sum()), coef


def fit_listwise(groups: list[Group], l2: float) -> tuple[float, np.ndarray]:
    """A conditional-logit ranker: per question, a softmax over its candidates, maximising the share
    of probability on the right ones (only questions with a right candidate teach it). Then one
    scale and intercept are fitted pointwise on its logit so the score reads as a probability that
    a unit holds the answer (what the abstention threshold is set on). Returns raw-feature weights."""
    from scipy.optimize import minimize

    x_all = np.vstack([g.x for g in groups])
    mean, std = x_all.mean(axis=0), x_all.std(axis=0)
    std[std < 1e-9] = 1.0
    taught = [((g.x - mean) / std, g.y > 0) for g in groups if g.y.any() and not g.y.all()]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * l2 * w @ w, l2 * w
        for z, pos in taught:
            s = z @ w
            s = s - s.max()
            e = np.exp(s)
            p_all = e / e.sum()
            p_pos = e * pos / (e * pos).sum()
            total -= np.log((e * pos).sum() / e.sum())
            grad = grad + z.T @ (p_all - p_pos)
        return total, grad

    w = minimize(loss, np.zeros(x_all.shape[1]), jac=True, method="L-BFGS-B").x
    coef = w / std
    logit = np.concatenate([g.x @ coef for g in groups])
    b, a = fit_logistic(logit[:, None], np.concatenate([g.y for g in groups]), 1e-3)
    return float(b), coef * float(a[0])


def ranker_of(intercept: float, coef: np.ndarray) -> Ranker:
    return Ranker(round(intercept, 4), tuple((n, round(float(c), 4)) for n, c in zip(FEATURES, coef, strict=True)))


def probabilities(g: Group, intercept: float, coef: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(intercept + g.x @ coef, -50, 50)))


def fit_threshold(groups: list[Group], scores: list[np.ndarray]) -> float:
    """The abstention threshold on the top score that maximises (answerable questions answered by a
    right top unit) + (unanswerable ones declined) - (answerable ones declined), on these groups."""
    tops = [(float(s.max()), bool(g.item.answerable), bool(g.y[int(s.argmax())])) for g, s in zip(groups, scores)]
    best, best_value = 0.0, -1e9
    for t in sorted({round(v, 3) for v, _, _ in tops} | {0.0}):
        value = sum((ok if top >= t else -1.0) if ans else (1.0 if top < t else 0.0) for top, ans, ok in tops)
        if value > best_value:
            best, best_value = t, value
    return best


def selection(groups: list[Group], scores: list[np.ndarray]) -> dict[str, float]:
    """Share of answerable questions (with some right candidate) whose top-scored unit is right."""
    out = {}
    for wording in ("own", "other"):
        chosen = [(g, s) for g, s in zip(groups, scores) if g.wording == wording and g.y.any()]
        out[wording] = sum(bool(g.y[int(s.argmax())]) for g, s in chosen) / max(1, len(chosen))
    return out


def folds_of(groups: list[Group], k: int) -> list[int]:
    return [int(hashlib.blake2b(g.key.encode(), digest_size=4).hexdigest(), 16) % k for g in groups]


def fit(groups: list[Group], args: argparse.Namespace) -> tuple[float, np.ndarray]:
    if args.model == "listwise":
        return fit_listwise(groups, args.l2)
    return fit_logistic(np.vstack([g.x for g in groups]), np.concatenate([g.y for g in groups]), args.l2,
                        args.positive_weight)


def dev_groups() -> list[Group]:
    """The candidates of the dev questions the fit reads: the seed golden set and its three paraphrase
    files, and the real-PDF tuning set and its two paraphrase files when `make eval-real-pdf` built
    their index."""
    seed = [("own", load_dev(GOLDEN))] + [("other", load_dev(p)) for p in (PARAPHRASE, PARAPHRASE2, PARAPHRASE3)]
    groups = collect(Scorer([items for _, items in seed]), seed)
    if (REAL / "index").is_dir():
        real = [("own", load_dev(REAL_DEV, unsplit_is_dev=True))] + [("other", load_dev(p)) for p in REAL_DEV_OTHERS]
        groups += collect(Scorer([items for _, items in real], [(REAL / "corpus", REAL / "index")] * len(real)), real)
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--positive-weight", type=float, default=1.0)
    parser.add_argument("--model", choices=("pointwise", "listwise"), default="listwise")
    parser.add_argument("--features", default="", help="comma-separated subset of FEATURES (+ 'linear')")
    parser.add_argument("--write", action="store_true",
                        help="store the model in scoring.toml when its CV selection beats the linear score")
    args = parser.parse_args(argv)
    groups = dev_groups()
    if args.features:
        names = args.features.split(",")
        cols = [FEATURES.index(n) for n in names if n != "linear"]
        for g in groups:
            g.x = np.hstack([g.x[:, cols]] + ([g.linear[:, None]] if "linear" in names else []))
    print(f"{len(groups)} dev questions with one scorer call; "
          f"{sum(len(g.y) for g in groups)} candidates, {int(sum(g.y.sum() for g in groups))} positive", file=sys.stderr)
    fold = folds_of(groups, args.folds)
    cv_scores: list[np.ndarray] = [np.zeros(0)] * len(groups)
    for f in range(args.folds):
        train = [g for g, k in zip(groups, fold) if k != f]
        b, c = fit(train, args)
        for i, g in enumerate(groups):
            if fold[i] == f:
                cv_scores[i] = probabilities(g, b, c)
    print("selection, linear (in-sample fit):", selection(groups, [g.linear for g in groups]))
    print("selection, ranker (CV):           ", selection(groups, cv_scores))
    b, c = fit(groups, args)
    print("selection, ranker (in-sample):    ", selection(groups, [probabilities(g, b, c) for g in groups]))
    for name, value in zip(args.features.split(",") if args.features else FEATURES, c, strict=True):
        print(f"  {name:15s} {value:+.3f}")
    threshold = fit_threshold(groups, [probabilities(g, b, c) for g in groups])
    print(f"  intercept       {b:+.3f}; abstention threshold {threshold:.3f}")
    linear, cv = selection(groups, [g.linear for g in groups]), selection(groups, cv_scores)
    if args.write:
        if args.features or not all(cv[w] > linear[w] for w in linear):
            print("not written: the cross-validated ranker does not beat the linear score on both wordings",
                  file=sys.stderr)
            return 1
        chosen = replace(load_scoring(), ranker=ranker_of(b, c), abstain_below=round(threshold, 3))
        header = [f"Ranker fitted by eval/ranker.py on {len(groups)} dev questions ({args.model}, l2 {args.l2}); "
                  f"CV selection {cv}, linear {linear}."]
        SCORING_FILE.write_text(render_toml(chosen, header), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
