"""Tie each expected fact to the quoted unit of the answer that carries it.

An extractive answer is a few quoted units — a sentence, a table row, a bibliography entry — and
carries them as data (``Answer.units``): each unit's words as the answer writes them, without
reference markers, its document and its reference numbers. Matching a short fact such as "15",
"4" or "no" anywhere in the answer text would let it come from a neighbouring unit, a citation
marker or a line heading; so facts are matched against the units.

The rule (``missing_facts``):

- a unit *answers* when it comes from a document the question may cite and does not cite only
  other references than the ones the question expects of that document (a unit citing [34] does
  not answer a question backed by [4]; a unit citing nothing is not excluded by this);
- a question about one document passes when ONE answering unit holds every expected item (the
  unit that answers must hold the whole answer: "12" and "14" of "between 12 and 14" together);
- a question whose answer spans documents (a comparison citing each country's report, or a scope of
  several reports) passes when
  every item sits in some answering unit, each from the report it came from.

Text an LLM wrote quotes no unit: its whole text counts as one unit, of its only cited document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa.ingest.citations import parse_markers
from qa.models import Answer, QuotedUnit
from qa.text.textmatch import matches

if TYPE_CHECKING:
    from qa.evaluation.evaluate import GoldenItem


def quoted_units(answer: Answer) -> list[QuotedUnit]:
    """The answer's quoted units, in order (none for a declined answer)."""
    if answer.abstained:
        return []
    if answer.mode != "llm":
        return list(answer.units)
    docs = {c.doc for c in answer.citations}
    refs = tuple(sorted({c.ref for c in answer.citations if c.ref is not None}))
    words = answer.answer
    for start, end, _ in reversed(parse_markers(words)):
        words = words[:start].rstrip() + words[end:]
    # "" = several documents, none said to be the unit's: no document rule applies to it
    return [QuotedUnit(next(iter(docs)) if len(docs) == 1 else "", None, " ".join(words.split()), refs)]


def _answers(unit: QuotedUnit, item: GoldenItem) -> bool:
    allowed = item.allowed_docs
    if allowed is not None and unit.doc and unit.doc not in allowed:
        return False
    expected = {n for d, n in item.expected_refs if d == (unit.doc or item.doc or "")}
    return not expected or not unit.refs or bool(expected & set(unit.refs))


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
