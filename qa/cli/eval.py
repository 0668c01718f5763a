"""``qa eval``: run a golden file through the real pipeline, print the table, optionally gate CI.

Rendering (console table, Markdown report, JSON dump) lives here; the harness itself is
:mod:`qa.evaluation.evaluate` and the arithmetic :mod:`qa.evaluation.metrics`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from qa.cli import app, fail, guarded
from qa.config import PROJECT_ROOT

if TYPE_CHECKING:
    from qa.evaluation.columns import Column
    from qa.evaluation.evaluate import EvalRun, ItemResult
    from qa.evaluation.gate import Gate, Thresholds

DEFAULT_GOLDEN = PROJECT_ROOT / "eval" / "golden.jsonl"
DEFAULT_PARAPHRASE = PROJECT_ROOT / "eval" / "golden-paraphrase.jsonl"
DEFAULT_THRESHOLDS = PROJECT_ROOT / "eval" / "thresholds.toml"
ANSWER_PREVIEW = 300


# -- figures -----------------------------------------------------------------------------------
def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"


def _basis(run: EvalRun | Column) -> dict[str, str]:
    """What each figure was computed over, e.g. "96/120 cited", so a reader can check it by hand."""
    res = run.results
    answerable = [r for r in res if r.item.answerable]
    unanswerable = len(res) - len(answerable)
    abstained = [r for r in res if r.abstained]
    right_abstain = sum(1 for r in abstained if not r.item.answerable)
    refs = run.citation_counts
    n = len(answerable)
    scoped = [r for r in res if r.item.allowed_docs is not None and not r.abstained]
    return {
        "hit_at_1": f"{n} answerable", "hit_at_5": f"{n} answerable", "hit_at_10": f"{n} answerable",
        "mrr": f"{n} answerable",
        "fact_accuracy": f"{sum(r.facts_ok for r in answerable)}/{n} answerable",
        "fact_accuracy_loose": f"{sum(r.facts_ok_loose for r in answerable)}/{n} answerable",
        "wording_gap": "paired questions",
        "citation_precision": f"{refs.true_positives}/{refs.predicted} cited",
        "citation_recall": f"{refs.true_positives}/{refs.expected} expected",
        "citation_f1": f"{run.counts()['with_citations']} items with refs",
        "abstention_precision": f"{right_abstain}/{len(abstained)} abstained",
        "abstention_recall": f"{right_abstain}/{unanswerable} unanswerable",
        "false_abstention_rate": f"{sum(r.abstained for r in answerable)}/{n} answerable",
        "latency_p50_ms": f"{len(res)} asks", "latency_p95_ms": f"{len(res)} asks",
        "wrong_scope_rate": f"{sum(1 for r in scoped if r.outside_scope)}/{len(scoped)} scoped answers",
    }


def _gate_cells(name: str, value: float | None, thresholds: Thresholds | None) -> tuple[str, str]:
    """(threshold text, gate status) of one metric; empty when it has no threshold."""
    if thresholds is None:
        return "", ""
    if name in thresholds.minimum:
        bound, text = thresholds.minimum[name], f">= {thresholds.minimum[name]:g}"
        ok = value is None or value >= bound
    elif name in thresholds.maximum:
        bound, text = thresholds.maximum[name], f"<= {thresholds.maximum[name]:g}"
        ok = value is None or value <= bound
    else:
        return "", ""
    return text, "skip" if value is None else ("ok" if ok else "FAIL")


def metric_rows(run: EvalRun | Column, thresholds: Thresholds | None) -> list[tuple[str, str, str, str, str]]:
    from qa.evaluation.evaluate import METRICS

    basis = _basis(run)
    rows = []
    for name, (label, _) in METRICS.items():
        value = run.metrics.get(name)
        if name == "wording_gap" and value is None:
            continue  # measured only beside a paraphrase set
        limit, status = _gate_cells(name, value, thresholds)
        rows.append((label, _fmt(value, name), basis[name], limit, status))
    return rows


def _heading(run: EvalRun) -> str:
    c = run.counts()
    return (f"{run.golden}: {c['questions']} questions ({c['answerable']} answerable, "
            f"{c['unanswerable']} unanswerable); answers from the top {run.top_k} passages")


def render_table(run: EvalRun, thresholds: Thresholds | None = None) -> str:
    rows = metric_rows(run, thresholds)
    header = ("metric", "value", "over", "threshold", "") if thresholds else ("metric", "value", "over")
    body = [r if thresholds else r[:3] for r in rows]
    widths = [max(len(str(x[i])) for x in [header, *body]) for i in range(len(header))]
    lines = [_heading(run), ""]
    for row in [header, *body]:
        lines.append("  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return "\n".join(lines)


# -- failing questions -------------------------------------------------------------------------
def _refs(cited: frozenset[tuple[str, int]], doc: str | None) -> str:
    """"[4, 68]"; numbers of another document than the expected one are shown as "doc#n"."""
    ordered = sorted(cited, key=lambda pair: (pair[0] != doc, pair))
    return "[" + ", ".join(str(n) if d == doc else f"{d}#{n}" for d, n in ordered) + "]"


def _expected(r: ItemResult) -> str:
    if not r.item.answerable:
        return "abstain (the corpus cannot answer this)"
    facts = " + ".join(repr(f) for f in r.item.answer_contains) or "(no facts)"
    refs = f" · refs {list(r.item.citations)}" if r.item.citations else ""
    refs += "".join(f" · {d}#{n}" for d, n in r.item.doc_citations)
    where = f"scope {', '.join(r.item.scope)}" if r.item.scope else f"doc {r.item.doc or 'any'}"
    return f"{facts}{refs} · {where}"


def _got(r: ItemResult) -> str:
    text = " ".join(r.answer.split())
    if len(text) > ANSWER_PREVIEW:
        text = text[: ANSWER_PREVIEW - 1] + "…"
    rank = f"rank {r.first_rank}" if r.first_rank else "none in the top 10"
    where = f" · first relevant passage: {rank}" if r.item.answerable else ""
    return f"{text!r} · abstained: {'yes' if r.abstained else 'no'} · refs {_refs(r.cited, r.item.doc)}{where}"


def failure_lines(r: ItemResult) -> list[str]:
    lines = [f"- {r.item.id} (line {r.item.line}): {r.item.question}"]
    if r.item.history:
        lines.append(f"    after:    {' / '.join(r.item.history)}")
    if r.standalone != r.item.question:
        lines.append(f"    searched: {r.standalone}")
    lines += [f"    expected: {_expected(r)}", f"    got:      {_got(r)}", f"    why:      {'; '.join(r.failures())}"]
    return lines


def render_failures(run: EvalRun) -> str:
    failing = run.failing
    if not failing:
        return "All questions passed."
    lines = [f"Failing questions ({len(failing)} of {len(run.results)}):"]
    for r in failing:
        lines += failure_lines(r)
    return "\n".join(lines)


# -- files -------------------------------------------------------------------------------------
def render_markdown(run: EvalRun, gate: Gate | None, violations: list[str], cols: list[Column] | None = None,
                    paraphrase: EvalRun | None = None) -> str:
    from qa.cli.eval_columns import markdown_columns

    thresholds = gate.for_column("all") if gate else None
    out = ["# Evaluation report", "", _heading(run).replace(run.golden, f"`{run.golden}`", 1)]
    if paraphrase is not None:
        out[-1] += f"; paraphrases `{paraphrase.golden}` ({len(paraphrase.results)} questions)"
    out.append("")
    if cols is not None and len(cols) > 1:
        out += markdown_columns(cols, gate)
    else:
        rows = metric_rows(run, thresholds)
        names = ["Metric", "Value", "Over"] + (["Threshold", "Gate"] if thresholds else [])
        out += ["| " + " | ".join(names) + " |", "|" + "|".join(["---"] + ["---:"] * (len(names) - 1)) + "|"]
        out += ["| " + " | ".join(r if thresholds else r[:3]) + " |" for r in rows]
    if gate is not None:
        out += ["", "**Gate: " + ("FAILED**" if violations else "passed**")]
        out += [f"- {v}" for v in violations]
    out += ["", "Reference-number figures are micro-averaged over answerable items that expect reference",
            "numbers; an answer citing nothing adds to recall's denominator only. A retrieval hit is a",
            "passage from the item's document that holds every expected fact.", ""]
    for each in (run, paraphrase):
        if each is not None:
            out += _markdown_failures(each)
    return "\n".join(out).rstrip() + "\n"


def _markdown_failures(run: EvalRun) -> list[str]:
    failing = run.failing
    out = [f"## Failing questions of `{run.golden}` ({len(failing)} of {len(run.results)})", ""]
    for r in failing:
        out.append(f"### `{r.item.id}` — {r.item.question}")
        if r.item.history:
            out.append(f"- after: {' / '.join(r.item.history)}")
        if r.standalone != r.item.question:
            out.append(f"- searched: {r.standalone}")
        out += [f"- expected: {_expected(r)}", f"- got: {_got(r)}", f"- why: {'; '.join(r.failures())}", ""]
    return out


def item_json(r: ItemResult) -> dict[str, Any]:
    return {
        "id": r.item.id, "line": r.item.line, "question": r.item.question, "history": list(r.item.history),
        "standalone": r.standalone, "doc": r.item.doc, "scope": list(r.item.scope), "answerable": r.item.answerable,
        "outside_scope": sorted(r.outside_scope),
        "expected": {"answer_contains": list(r.item.answer_contains), "citations": list(r.item.citations)},
        "answer": r.answer, "abstained": r.abstained, "mode": r.mode,
        "cited": [{"doc": d, "ref": n} for d, n in sorted(r.cited)],
        "split": r.item.split or None, "missing_facts": list(r.missing_facts), "facts_ok": r.facts_ok,
        "missing_anywhere": list(r.loose_missing),
        "first_relevant_rank": r.first_rank, "retrieved": list(r.retrieved),
        "latency_ms": round(r.latency_ms, 2), "passed": not r.failures(), "failures": r.failures(),
    }


def run_json(run: EvalRun, gate: dict[str, Any] | None, cols: list[Column] | None = None,
             paraphrase: EvalRun | None = None) -> dict[str, Any]:
    """Every figure: ``metrics`` of the whole file, ``columns`` per split (and per paraphrase split)."""
    from qa.cli.eval_columns import columns_json

    refs = run.citation_counts
    out = {
        "golden": run.golden, "top_k": run.top_k, "counts": run.counts(), "metrics": run.metrics,
        "citation_counts": {"true_positives": refs.true_positives, "cited": refs.predicted, "expected": refs.expected},
        "columns": columns_json(cols) if cols else {}, "gate": gate, "items": [item_json(r) for r in run.results],
    }
    if paraphrase is not None:
        out["paraphrase"] = {"golden": paraphrase.golden, "counts": paraphrase.counts(),
                             "items": [item_json(r) for r in paraphrase.results]}
    return out


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror or exc}", 2) from None


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -- the command -------------------------------------------------------------------------------
def _paraphrase_file(golden: Path, given: Path | None, off: bool) -> Path | None:
    """The paraphrase set to run beside ``golden``: the one given, else the shipped one for the
    shipped golden file, else none."""
    if off:
        return None
    if given is not None:
        return given
    return DEFAULT_PARAPHRASE if golden.resolve() == DEFAULT_GOLDEN.resolve() else None


@app.command("eval")
@guarded
def eval_command(
    golden: Path = typer.Option(DEFAULT_GOLDEN, "--golden", help="Golden questions, one JSON object a line."),
    paraphrase: Path | None = typer.Option(
        None, "--paraphrase", help="The same questions in other words (ids + '-p'); default: "
        "eval/golden-paraphrase.jsonl with the default golden file."),
    no_paraphrase: bool = typer.Option(False, "--no-paraphrase", help="Do not run a paraphrase set."),
    json_path: Path | None = typer.Option(None, "--json", help="Write every figure and per-question result here."),
    k: int = typer.Option(5, "--k", min=1, max=100, help="Passages handed to the answerer (ask's top_k)."),
    report: Path | None = typer.Option(None, "--report", help="Write a Markdown report here."),
    gate: bool = typer.Option(False, "--gate", help="Exit non-zero when a metric misses its threshold."),
    thresholds_path: Path = typer.Option(DEFAULT_THRESHOLDS, "--thresholds", help="Thresholds for --gate (TOML)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Score the pipeline on a golden file (per split: dev, test, all) and its paraphrases, side by side:
    retrieval, answer facts, reference numbers, abstention, latency, and the wording gap."""
    from qa.assistant import Assistant
    from qa.cli.eval_columns import render_columns
    from qa.config import Settings
    from qa.evaluation.columns import columns
    from qa.evaluation.evaluate import evaluate, load_golden
    from qa.evaluation.gate import check_columns, load_thresholds

    items = load_golden(golden)  # a bad file fails before the model loads
    para_path = _paraphrase_file(golden, paraphrase, no_paraphrase)
    para_items = load_golden(para_path) if para_path is not None else None
    spec = load_thresholds(thresholds_path) if gate else None
    assistant = Assistant(Settings()).load()
    run = evaluate(assistant, items, top_k=k, golden=_display(golden), progress=progress)
    para_run = None if para_items is None or para_path is None else \
        evaluate(assistant, para_items, top_k=k, golden=_display(para_path), progress=progress)
    cols = columns(run, para_run)

    violations, notes = check_columns({c.name: c.metrics for c in cols}, spec) if spec else ([], [])
    if len(cols) == 1:
        typer.echo(render_table(run, spec.for_column("all") if spec else None))
    else:
        title = _heading(run) + (f"; paraphrases: {para_run.golden}" if para_run else "")
        typer.echo(render_columns(title, cols, spec))
    for each in (run, para_run):
        if each is not None:
            typer.echo("")
            typer.echo(f"{each.golden}: " + render_failures(each))
    gate_json = None if spec is None else {
        "thresholds": str(thresholds_path), "passed": not violations, "violations": violations, "notes": notes,
    }
    if json_path is not None:
        _write(json_path, json.dumps(run_json(run, gate_json, cols, para_run), indent=2, ensure_ascii=False) + "\n")
    if report is not None:
        _write(report, render_markdown(run, spec, violations, cols, para_run))
    for note in notes:
        typer.echo(f"gate note: {note}", err=True)
    if violations:
        count = len(violations)
        typer.echo(f"gate FAILED ({count} metric(s) beyond their thresholds in {thresholds_path.name}):", err=True)
        for line in violations:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1)
    if spec is not None:
        typer.echo(f"gate passed ({thresholds_path.name})")
