"""Answers that draw on more than one document: labelled citation markers and one line per part.

Reference numbers are per report, so an answer citing two documents writes every marker with its
document's label — "[Mali 2019: 4]", "[Niger 2019: 7, 12]" — while an answer from one document
keeps the plain "[4]". A label is the document's country and edition ("Mali 2019"), or its id when
either is unknown or two documents would share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.answer.llm import ABSTAIN_SENTENCE
from qa.models import Answer, Citation, Document, Source

if TYPE_CHECKING:
    from qa.answer.scope import Scope

_NUMBER_MARKER = re.compile(r"\[(\d[\d,\s–-]*)\]")


def doc_labels(documents: Iterable[Document]) -> dict[str, str]:
    """Document id -> its citation label, unique across the corpus."""
    docs = list(documents)
    wanted = {d.id: d.meta.label for d in docs}
    counts: dict[str, int] = {}
    for label in wanted.values():
        counts[label] = counts.get(label, 0) + 1
    return {doc_id: (label if counts[label] == 1 else doc_id) for doc_id, label in wanted.items()}


def label_markers(text: str, label: str) -> str:
    """ "113 [4]" -> "113 [Mali 2019: 4]"; document markers ("[ilo-2021-x]") already name their document."""
    return _NUMBER_MARKER.sub(lambda m: f"[{label}: {m.group(1)}]", text)


def citation_label(citation: Citation, doc_label: str | None) -> str:
    """The text inside a citation's marker: "4", "Mali 2019: 4", or the document id."""
    if citation.ref is None:
        return citation.doc
    return f"{doc_label}: {citation.ref}" if doc_label else str(citation.ref)


def combine(parts: list[tuple[str, Answer]], abstain_text: str) -> Answer:
    """One answer from several per-country or per-edition answers, one line each.

    ``parts`` are (heading, answer) with markers already labelled. A part that abstained says so on
    its own line; the whole abstains only when every part did.
    """
    lines, citations, sources, units = [], [], [], []
    seen_c: set[tuple[str, int | None]] = set()
    seen_s: set[str] = set()
    for heading, answer in parts:
        text = (answer.extra.get("reason_text") or abstain_text) if answer.abstained else answer.answer
        lines.append(f"{heading}: {text}")
        units.extend(answer.units)
        for c in answer.citations:
            if (c.doc, c.ref) not in seen_c:
                seen_c.add((c.doc, c.ref))
                citations.append(c)
        for s in answer.sources:
            if s.anchor not in seen_s:
                seen_s.add(s.anchor)
                sources.append(s)
    answered = [a for _, a in parts if not a.abstained]
    confidence = min((a.confidence for a in answered), default=max((a.confidence for _, a in parts), default=0.0))
    extra = {"parts": [{"scope": h, "abstained": a.abstained} for h, a in parts]}
    return Answer("\n".join(lines), tuple(citations), tuple(sources), not answered, confidence, extra=extra,
                  units=tuple(units))


def relabel(answer: Answer, labels: dict[str, str]) -> Answer:
    """An answer from one document with every marker and citation labelled by that document."""
    docs = {c.doc for c in answer.citations if c.ref is not None}
    if len(docs) != 1:
        return answer
    (doc,) = docs
    label = labels.get(doc, doc)
    return replace(answer, answer=label_markers(answer.answer, label),
                   citations=tuple(replace(c, label=citation_label(c, label)) for c in answer.citations))


def unique_sources(sources: Iterable[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if s.anchor not in seen:
            seen.add(s.anchor)
            out.append(s)
    return out


def unindexed_answer(scope: Scope, indexed: list[str]) -> Answer:
    """The decline for a question about countries no indexed report covers, naming those that are."""
    named = ", ".join(scope.unindexed)
    covered = ", ".join(indexed) or "none"
    text = f"{ABSTAIN_SENTENCE} No indexed report covers {named}; the indexed reports cover: {covered}."
    return Answer(text, (), (), True, 1.0, extra={"reason": f"no indexed report covers {named}", "best_score": 0.0,
                                                  "reason_text": f"no indexed report covers {named}."})
