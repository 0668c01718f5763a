"""The side-by-side table of ``qa eval``: one column per split (dev, test, all) and per split of the
paraphrase set, every metric a row, gated cells marked. Also their Markdown and JSON forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.evaluation.columns import Column
    from qa.evaluation.gate import Gate

PASS, FAIL = "✓", "✗"  # after a gated cell: within or beyond its bound


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:+.3f}" if name == "wording_gap" else f"{value:.3f}"


def _flag(column: str, name: str, value: float | None, gate: Gate | None) -> str:
    bounds = gate.for_column(column) if gate else None
    if bounds is None or value is None:
        return " "
    if name in bounds.minimum:
        return PASS if value >= bounds.minimum[name] else FAIL
    if name in bounds.maximum:
        return PASS if value <= bounds.maximum[name] else FAIL
    return " "


def grid(cols: list[Column], gate: Gate | None) -> tuple[list[str], list[list[str]]]:
    """(header, rows): a counts row, then one row per metric that any column measured."""
    from qa.evaluation.evaluate import METRICS

    header = ["metric", *(c.name for c in cols)]
    rows = [["questions (answerable)", *(f"{c.counts()['questions']} ({c.counts()['answerable']})" for c in cols)]]
    for name, (label, _) in METRICS.items():
        values = [c.metrics.get(name) for c in cols]
        if all(v is None for v in values):
            continue
        rows.append([label, *(_fmt(v, name) + _flag(c.name, name, v, gate) for c, v in zip(cols, values, strict=True))])
    return header, rows


def render_columns(title: str, cols: list[Column], gate: Gate | None) -> str:
    header, rows = grid(cols, gate)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [title, ""]
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    if gate is not None:
        lines.append(f"{PASS} within its threshold, {FAIL} beyond it (gated cells only)")
    return "\n".join(lines)


def markdown_columns(cols: list[Column], gate: Gate | None) -> list[str]:
    header, rows = grid(cols, gate)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


def columns_json(cols: list[Column]) -> dict[str, Any]:
    out = {}
    for c in cols:
        refs = c.citation_counts
        out[c.name] = {"counts": c.counts(), "metrics": c.metrics, "citation_counts": {
            "true_positives": refs.true_positives, "cited": refs.predicted, "expected": refs.expected}}
    return out
