"""The evaluation harness: run a golden file through the real pipeline and score it.

    load_golden(path) -> [GoldenItem]            (InvalidInput naming the line on a bad file)
    evaluate(assistant, items, top_k) -> EvalRun  (per-question ItemResult + every figure)
    columns(run, paraphrase_run) -> the figures per split, side by side   (qa.evaluation.columns)
    load_thresholds(path) / check_columns(...) -> the gate per column     (qa.evaluation.gate)

An expected fact counts only when it sits in the quoted unit of the answer that carries it
(:mod:`qa.evaluation.units`); the old figure, facts found anywhere in the answer text, is kept as
``fact_accuracy_loose`` beside it. Each question goes through ``Assistant.retrieve`` (for the
retrieval figures: the same follow-up resolution and search the API uses, taken 10 deep) and
``Assistant.ask`` (for the answer, timed). The metric arithmetic lives in
:mod:`qa.evaluation.metrics`; the tables, the Markdown report and the JSON dump are rendered by
:mod:`qa.cli.eval` and :mod:`qa.cli.eval_columns`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import InvalidInput
from qa.evaluation.metrics import (
    PRF,
    RefSet,
    abstention_scores,
    accuracy,
    first_relevant_rank,
    hit_at_k,
    mean_reciprocal_rank,
    micro_prf,
    percentile,
    ratio,
)
from qa.evaluation.units import loose_missing_facts, missing_facts
from qa.models import Answer, Chunk
from qa.text.textmatch import passage_contains

if TYPE_CHECKING:
    from qa.assistant import Assistant

SPLITS = ("dev", "test")
RETRIEVE_DEPTH = 10  # hit@10 and MRR@10 need ten passages whatever the answer's top_k is

# name -> (label, higher is better)
METRICS: dict[str, tuple[str, bool]] = {
    "hit_at_1": ("retrieval hit@1", True),
    "hit_at_5": ("retrieval hit@5", True),
    "hit_at_10": ("retrieval hit@10", True),
    "mrr": ("retrieval MRR@10", True),
    "fact_accuracy": ("answer-fact accuracy", True),
    "fact_accuracy_loose": ("facts anywhere in the answer (old)", True),
    "citation_precision": ("reference-number precision", True),
    "citation_recall": ("reference-number recall", True),
    "citation_f1": ("reference-number F1", True),
    "abstention_precision": ("abstention precision", True),
    "abstention_recall": ("abstention recall", True),
    "false_abstention_rate": ("answerable wrongly abstained", False),
    "wrong_scope_rate": ("answers citing outside the scope", False),
    "latency_p50_ms": ("ask latency p50 (ms)", False),
    "latency_p95_ms": ("ask latency p95 (ms)", False),
    # paraphrase columns only: own-wording minus paraphrase accuracy over the same questions
    "wording_gap": ("gap own - paraphrased wording", False),
}


# -- the golden file ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldenItem:
    """One golden question. ``line`` is its 1-based line in the file, for error messages.

    ``citations`` are reference numbers of ``doc``; ``doc_citations`` adds numbers of other
    documents (a comparison cites each country's report). ``scope`` lists the documents an answer
    may cite; empty means ``doc`` alone (or no constraint when ``doc`` is null too).
    """

    id: str
    question: str
    answer_contains: tuple[str, ...]
    citations: tuple[int, ...]
    doc: str | None
    answerable: bool
    history: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)
    scope: tuple[str, ...] = ()
    doc_citations: tuple[tuple[str, int], ...] = ()
    split: str = ""  # "dev" (fitting) or "test" (the gate); "" in golden files without a split

    @property
    def allowed_docs(self) -> frozenset[str] | None:
        """Documents an answer may cite; None when the question has no scope."""
        if self.scope:
            return frozenset(self.scope)
        return frozenset({self.doc}) if self.doc else None

    @property
    def expected_refs(self) -> RefSet:
        own = {(self.doc or "", n) for n in self.citations}
        return frozenset(own | set(self.doc_citations))


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _is_int_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)


_REQUIRED: dict[str, tuple[Any, str]] = {
    "id": (lambda v: isinstance(v, str) and v.strip(), "a non-empty string"),
    "question": (lambda v: isinstance(v, str) and v.strip(), "a non-empty string"),
    "answer_contains": (_is_str_list, "a list of non-empty strings"),
    "citations": (_is_int_list, "a list of integers"),
    "doc": (lambda v: v is None or (isinstance(v, str) and v.strip()), "a document id or null"),
    "answerable": (lambda v: isinstance(v, bool), "true or false"),
}


def parse_golden_line(raw: str, where: str) -> GoldenItem:
    """One JSON line -> :class:`GoldenItem`; ``where`` ("golden.jsonl line 7") prefixes errors."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: expected a JSON object, got {type(data).__name__}")
    for key, (valid, expected) in _REQUIRED.items():
        if key not in data:
            raise InvalidInput(f"{where}: missing key {key!r}")
        if not valid(data[key]):
            raise InvalidInput(f"{where}: {key!r} must be {expected}, got {json.dumps(data[key])}")
    history = data.get("history", [])
    if not _is_str_list(history):
        raise InvalidInput(f"{where}: 'history' must be a list of non-empty strings")
    scope = data.get("scope", [])
    if not _is_str_list(scope):
        raise InvalidInput(f"{where}: 'scope' must be a list of document ids")
    doc_citations = data.get("doc_citations", {})
    if not (isinstance(doc_citations, dict) and all(_is_int_list(v) for v in doc_citations.values())):
        raise InvalidInput(f"{where}: 'doc_citations' must map document ids to lists of integers")
    if not data["answerable"] and (data["answer_contains"] or data["citations"] or data["doc"]):
        raise InvalidInput(f"{where}: an unanswerable item needs doc null, answer_contains [] and citations []")
    if not data["answerable"] and doc_citations:
        raise InvalidInput(f"{where}: an unanswerable item cites nothing (doc_citations must be empty)")
    split = data.get("split", "")
    if not isinstance(split, str) or (split and split not in SPLITS):
        raise InvalidInput(f"{where}: 'split' must be one of {', '.join(SPLITS)}")
    refs = [(d, n) for d, numbers in sorted(doc_citations.items()) for n in numbers]
    if any(n < 1 for n in data["citations"]) or any(n < 1 for _, n in refs):
        raise InvalidInput(f"{where}: reference numbers start at 1")
    return GoldenItem(
        id=data["id"].strip(), question=data["question"].strip(),
        answer_contains=tuple(data["answer_contains"]), citations=tuple(data["citations"]),
        doc=data["doc"], answerable=data["answerable"], history=tuple(history), line=0,
        scope=tuple(scope), doc_citations=tuple(refs), split=split,
    )


def load_golden(path: Path) -> list[GoldenItem]:
    """Read a golden JSONL file (blank lines ignored). Raises InvalidInput naming the bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"golden file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read golden file {path}: {exc}") from None
    items: list[GoldenItem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{path.name} line {number}"
        item = parse_golden_line(raw, where)
        if item.id in seen:
            raise InvalidInput(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        items.append(replace(item, line=number))
    if not items:
        raise InvalidInput(f"golden file {path} holds no questions")
    return items


# -- one question ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    item: GoldenItem
    standalone: str
    retrieved: tuple[str, ...]  # chunk ids, best first
    first_rank: int | None  # rank of the first passage from ``doc`` holding every fact
    answer: str
    abstained: bool
    cited: RefSet
    missing_facts: tuple[str, ...]
    latency_ms: float
    mode: str = "extractive"
    cited_docs: frozenset[str] = frozenset()  # every document the answer cites, whole or by number
    loose_missing: tuple[str, ...] = ()  # facts missing from the whole answer text (the old measure)

    @property
    def expected_refs(self) -> RefSet:
        return self.item.expected_refs

    @property
    def outside_scope(self) -> frozenset[str]:
        """Documents the answer cites although the question's scope excludes them."""
        allowed = self.item.allowed_docs
        if allowed is None or self.abstained:
            return frozenset()
        return self.cited_docs - allowed

    @property
    def facts_ok(self) -> bool:
        return self.item.answerable and not self.abstained and not self.missing_facts

    @property
    def facts_ok_loose(self) -> bool:
        return self.item.answerable and not self.abstained and not self.loose_missing

    def failures(self) -> list[str]:
        """Why this question counts as failed (empty when it passed)."""
        if not self.item.answerable:
            return [] if self.abstained else ["answered a question the corpus cannot answer"]
        reasons = []
        if self.abstained:
            reasons.append("abstained on an answerable question")
        elif self.missing_facts and self.loose_missing:
            reasons.append("answer lacks " + ", ".join(repr(f) for f in self.missing_facts))
        elif self.missing_facts:
            reasons.append("no answering unit holds " + ", ".join(repr(f) for f in self.missing_facts)
                           + " (found elsewhere in the answer)")
        if self.outside_scope:
            reasons.append("cites a document outside the scope: " + ", ".join(sorted(self.outside_scope)))
        if self.expected_refs and not self.abstained:
            missing = sorted(n for _, n in self.expected_refs - self.cited)
            extra = sorted(f"{n}" if d == self.item.doc else f"{d}#{n}" for d, n in self.cited - self.expected_refs)
            if missing:
                reasons.append(f"missing refs {missing}")
            if extra:
                reasons.append(f"extra refs [{', '.join(extra)}]")
        if self.first_rank is None:
            reasons.append(f"no passage in the top {RETRIEVE_DEPTH} holds every fact")
        return reasons


def is_relevant(chunk: Chunk, item: GoldenItem) -> bool:
    """A retrieved passage counts when it comes from the item's scope and holds every fact.

    An answerable item without facts accepts any passage of its scope (of any, without one).
    """
    allowed = item.allowed_docs
    if allowed is not None and chunk.doc_id not in allowed:
        return False
    return passage_contains(chunk, list(item.answer_contains)) if item.answer_contains else True


def cited_refs(answer: Answer) -> RefSet:
    """The (doc, reference number) pairs an answer cites; citations of a whole document are skipped."""
    return frozenset((c.doc, c.ref) for c in answer.citations if c.ref is not None)


def run_item(assistant: Assistant, item: GoldenItem, top_k: int) -> ItemResult:
    history = list(item.history)
    try:
        # ask first: it is the timed call, and a retrieve before it would warm caches for it
        started = time.perf_counter()
        answer = assistant.ask(item.question, history=history, top_k=top_k)
        latency_ms = (time.perf_counter() - started) * 1000
        standalone, hits = assistant.retrieve(item.question, history, k=RETRIEVE_DEPTH)
    except InvalidInput as exc:
        raise InvalidInput(f"golden item {item.id!r} (line {item.line}): {exc.message}") from None
    hits = hits[:RETRIEVE_DEPTH]
    rank = first_relevant_rank([is_relevant(h.chunk, item) for h in hits]) if item.answerable else None
    missing = missing_facts(answer, item)
    return ItemResult(
        item=item, standalone=standalone, retrieved=tuple(h.chunk.id for h in hits), first_rank=rank,
        answer=answer.answer, abstained=answer.abstained, cited=cited_refs(answer),
        missing_facts=missing, latency_ms=latency_ms, mode=answer.mode,
        cited_docs=frozenset(c.doc for c in answer.citations), loose_missing=loose_missing_facts(answer, item),
    )


# -- the whole run -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EvalRun:
    golden: str
    top_k: int
    results: tuple[ItemResult, ...]
    metrics: dict[str, float | None]
    citation_counts: PRF

    @property
    def failing(self) -> list[ItemResult]:
        return [r for r in self.results if r.failures()]

    def counts(self) -> dict[str, int]:
        return counts_of(self.results)


def counts_of(results: Sequence[ItemResult]) -> dict[str, int]:
    answerable = sum(r.item.answerable for r in results)
    return {
        "questions": len(results),
        "answerable": answerable,
        "unanswerable": len(results) - answerable,
        "with_citations": sum(1 for r in results if r.item.answerable and r.item.citations),
        "failing": sum(1 for r in results if r.failures()),
    }


def summarize(results: Sequence[ItemResult]) -> tuple[dict[str, float | None], PRF]:
    """Every figure of the table from per-question results (pure)."""
    answerable = [r for r in results if r.item.answerable]
    ranks = [r.first_rank for r in answerable]
    refs = micro_prf((r.expected_refs, r.cited) for r in answerable if r.item.citations)
    abstention = abstention_scores((r.item.answerable, r.abstained) for r in results)
    latencies = [r.latency_ms for r in results]
    scoped = [r for r in results if r.item.allowed_docs is not None and not r.abstained]
    metrics: dict[str, float | None] = {
        "hit_at_1": hit_at_k(ranks, 1),
        "hit_at_5": hit_at_k(ranks, 5),
        "hit_at_10": hit_at_k(ranks, 10),
        "mrr": mean_reciprocal_rank(ranks, cutoff=RETRIEVE_DEPTH),
        "fact_accuracy": accuracy(r.facts_ok for r in answerable),
        "fact_accuracy_loose": accuracy(r.facts_ok_loose for r in answerable),
        "citation_precision": refs.precision,
        "citation_recall": refs.recall,
        "citation_f1": refs.f1,
        "abstention_precision": abstention.precision,
        "abstention_recall": abstention.recall,
        "false_abstention_rate": abstention.false_abstention_rate,
        "wrong_scope_rate": ratio(sum(1 for r in scoped if r.outside_scope), len(scoped)),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "wording_gap": None,
    }
    return metrics, refs


def check_documents(assistant: Assistant, items: Sequence[GoldenItem]) -> None:
    known = {d.id for d in assistant.documents()}
    for item in items:
        named = ([item.doc] if item.doc else []) + list(item.scope) + [d for d, _ in item.doc_citations]
        for doc in named:
            if doc not in known:
                raise InvalidInput(
                    f"golden item {item.id!r} (line {item.line}): unknown document {doc!r}"
                    f" (indexed: {', '.join(sorted(known)) or 'none'})"
                )


def evaluate(assistant: Assistant, items: Sequence[GoldenItem], top_k: int = 5,
             golden: str = "", progress: bool = True) -> EvalRun:
    """Ask every golden question through ``assistant`` (already loaded) and score the answers."""
    from tqdm import tqdm

    if top_k < 1:
        raise InvalidInput("--k must be at least 1")
    check_documents(assistant, items)
    results = []
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress, leave=False):
        results.append(run_item(assistant, item, top_k))
    metrics, refs = summarize(results)
    return EvalRun(golden=golden, top_k=top_k, results=tuple(results), metrics=metrics, citation_counts=refs)


