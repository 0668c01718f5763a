"""Tie each expected fact to the quoted unit of the answer that carries it.

An answer is a few quoted units — a sentence, a table row, a bibliography entry — each written by
``qa.answer.compose`` as its text followed by the marker of the references that back it and a full
stop ("Number of Labor Inspectors: 113 in 2019 [4]."), joined by spaces, one line per document or
edition ("Mali 2019: ...", "From the Mali 2019 report: ..."). Matching a short fact such as "15",
"4" or "no" anywhere in that text lets it come from a neighbouring unit, a citation marker or a
line heading; so facts are matched against the units, with markers and headings removed.

The rule (``missing_facts``):

- a unit *answers* when it comes from a document the question may cite and does not cite only
  other references than the ones the question expects of that document (a unit citing [34] does
  not answer a question backed by [4]; a unit citing nothing is not excluded by this);
- a question about one document passes when ONE answering unit holds every expected item (the
  unit that answers must hold the whole answer: "12" and "14" of "between 12 and 14" together);
- a question whose answer spans documents (a comparison citing each country's report, or a scope of
  several reports) passes when
  every item sits in some answering unit, each from the report it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.models import Answer
from qa.text.textmatch import matches

if TYPE_CHECKING:
    from qa.evaluation.evaluate import GoldenItem

_MARKER = re.compile(r"\[([^\[\]]*)\]")
# a unit ends with its marker and a full stop, or (a year row) with compose's "(an increase of 4 from
# 2018 to 2019)."; a ")." elsewhere is inside quoted text, e.g. a bibliography entry's "(ACCEL Africa)."
_UNIT_END = re.compile(r"(?:\][.!?]|\((?:an increase|a decrease|no change)[^()]{0,80}\)\.)(?=\s)")
_FROM_REPORT = re.compile(r"^From the (.+?) report:\s+")
_HEADING = re.compile(r"^([^:\[\]]{1,60}):\s+")


@dataclass(frozen=True)
class QuotedUnit:
    """One quoted unit of an answer: its words without markers, its document and its reference numbers."""

    text: str
    doc: str | None
    refs: frozenset[int]


def _marker_docs(answer: Answer) -> dict[str, str]:
    """Label of a marker's document ("Mali 2019", or a document id) -> document id, from the citations."""
    out: dict[str, str] = {}
    for c in answer.citations:
        out[c.doc] = c.doc
        if c.label and ":" in c.label:
            out[c.label.rsplit(":", 1)[0].strip()] = c.doc
    return out


def _parse_marker(body: str, labels: dict[str, str]) -> tuple[str | None, set[int]]:
    """ "4, 13" -> (None, {4, 13}); "Mali 2019: 4" -> (doc, {4}); "ilo-2021-x" -> (that doc, {})."""
    head, sep, numbers = body.rpartition(":")
    doc = labels.get(head.strip()) if sep else labels.get(body.strip())
    text = numbers if sep else body
    refs: set[int] = set()
    for part in text.split(","):
        span = [p.strip() for p in re.split(r"[–-]", part) if p.strip()]
        if span and all(p.isdigit() for p in span):
            low, high = int(span[0]), int(span[-1])
            refs.update(range(low, high + 1) if high - low < 50 else (low, high))
    return doc, refs


def _split(line: str) -> list[str]:
    cuts = [m.end() for m in _UNIT_END.finditer(line)]
    return [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]


def quoted_units(answer: Answer) -> list[QuotedUnit]:
    """The answer's units, in order. A unit's document is the one its markers or its line heading
    name, else the answer's only document (None when the answer draws on several and says not which)."""
    labels = _marker_docs(answer)
    docs = {c.doc for c in answer.citations} | {s.doc for s in answer.sources}
    only = next(iter(docs)) if len(docs) == 1 else None
    lines = [line.strip() for line in answer.answer.splitlines() if line.strip()]
    out: list[QuotedUnit] = []
    for line in lines:
        line_doc = only
        named = _FROM_REPORT.match(line)
        if named:
            line = line[named.end():]
        elif len(lines) > 1 and (heading := _HEADING.match(line)):
            # one line per document or edition: its heading ("Mali 2019", "Kenya") is not quoted text
            line_doc = labels.get(heading.group(1).strip(), line_doc)
            line = line[heading.end():]
        for piece in _split(line):
            doc, refs = line_doc, set()
            for m in _MARKER.finditer(piece):
                marker_doc, numbers = _parse_marker(m.group(1), labels)
                doc = marker_doc or doc
                refs |= numbers
            text = " ".join(_MARKER.sub(" ", piece).split())
            if text:
                out.append(QuotedUnit(text, doc, frozenset(refs)))
    return out


def _answers(unit: QuotedUnit, item: GoldenItem) -> bool:
    allowed = item.allowed_docs
    if allowed is not None and unit.doc is not None and unit.doc not in allowed:
        return False
    expected = {n for d, n in item.expected_refs if d == (unit.doc or item.doc or "")}
    return not expected or not unit.refs or bool(expected & unit.refs)


def spans_documents(item: GoldenItem) -> bool:
    """An answer drawn from several reports: its scope or its expected references name more than one."""
    named = {d for d, _ in item.expected_refs} | ({item.doc} if item.doc else set()) | set(item.scope)
    return len(named) > 1


def missing_facts(answer: Answer, item: GoldenItem) -> tuple[str, ...]:
    """The expected items the answer's answering unit(s) lack (see the module's rule); () = all found."""
    facts = list(item.answer_contains)
    if not facts:
        return ()
    units = [u for u in quoted_units(answer) if _answers(u, item)]
    if spans_documents(item):
        return tuple(f for f in facts if not any(matches(u.text, f) for u in units))
    best: tuple[str, ...] = tuple(facts)
    for u in units:
        lacking = tuple(f for f in facts if not matches(u.text, f))
        if len(lacking) < len(best):
            best = lacking
    return best


def loose_missing_facts(answer: Answer, item: GoldenItem) -> tuple[str, ...]:
    """The old measure, kept beside the new one for comparison: items found anywhere in the answer text."""
    return tuple(f for f in item.answer_contains if not matches(answer.answer, f))
