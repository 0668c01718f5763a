"""Questions asking which reports mention something ("Which reports talk about mercury?", "Which
countries' reports mention Koranic schools?", "Which Mali reports mention the BPMC?").

Scored like a question of fact, such a question got one report's best passage, or a decline when no
passage looked like an answer to "which reports": the reports hold mentions, not a list of
themselves. Here every indexed report in the question's scope whose passages hold all the topic's
words (the shared text layer's terms) is named, one line each with the passage of that report that
says it and its own references, labelled with the report.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from qa.answer.multidoc import MAX_LISTED, combine, editions_answer
from qa.models import Answer, Hit
from qa.text.analysis import terms
from qa.text.countries import canonical, find_mentions

if TYPE_CHECKING:
    from qa.answer.scope import DocInfo, Scope

# passages searched for the topic: the mentions of a topic across many reports, best first
MENTION_DEPTH = 300

_MENTIONING = re.compile(
    # "which (indexed) reports", not "what does the report cover on X?" (a question about the report)
    r"^\s*(?:in\s+)?(?:which|what)\s+(?:(?!(?:does|do|did|is|are|was|were|has|have|had)\b)[\w'’-]+\s+){0,2}?"
    r"(?:reports?|documents?|editions?|chapters?|sources?|articles?)\s+"
    r"(?:(?:also|ever|even|still)\s+)?"
    r"(?:mentions?|discuss(?:es)?|talks?\s+about|covers?|refers?\s+to|address(?:es)?|says?\s+anything\s+about|"
    r"deals?\s+with)\s+(.+?)\s*[?.!]*\s*$", re.I)
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)  # "the BPMC" -> "BPMC"


def mentioned_topic(question: str) -> str | None:
    """The topic of a question asking which reports mention it ("Which reports talk about the
    BPMC?" -> "BPMC"); None for any other question."""
    m = _MENTIONING.match(question)
    return _LEADING_DETERMINER.sub("", m.group(1)).strip() or None if m else None


def listing_answer(assistant: Any, question: str, scope: Scope, indexed: list[DocInfo],
                   history: list[str]) -> Answer | None:
    """A question asking for a list of reports rather than a fact: which editions are indexed
    (qa.answer.multidoc), or which reports mention something; None for any other question."""
    return editions_answer(question, scope, indexed, history) or mentions_answer(assistant, question, scope)


def mentions_answer(assistant: Any, question: str, scope: Scope) -> Answer | None:
    """The reports in ``scope`` that mention the question's topic, one line each from the first
    passage saying it (see the module's docstring); None for a question asking no such thing."""
    topic = mentioned_topic(question)
    wanted = set(terms(topic)) if topic else set()
    if topic and scope.impossible and {canonical(c) for c in scope.unindexed} <= countries_named(topic):
        scope = replace(scope, unindexed=())  # "Which reports mention the Netherlands?": the country is the topic
    if not wanted or scope.impossible:
        return None  # "Which Ghana reports mention cocoa?" with no Ghana report: the scope's decline says so
    hits = assistant._retriever.search(topic, k=MENTION_DEPTH, scope=scope)
    first = first_mentions(hits, wanted)
    labels = assistant._answerer.labels
    if not first:
        text = f"No indexed report mentions {topic}."
        return Answer(text, (), (), True, 0.0, extra={"reason": "no mention", "reason_text": text})
    docs = sorted(first, key=lambda d: labels.get(d, d))
    parts = []
    for doc_id in docs[:MAX_LISTED]:
        part = assistant._answerer.answer(topic, [first[doc_id]], doc=doc_id, label=True)
        if not part.abstained:
            parts.append((labels.get(doc_id, doc_id), part))
    named = ", ".join(labels.get(d, d) for d in docs[:MAX_LISTED])
    more = f" and {len(docs) - MAX_LISTED} more" if len(docs) > MAX_LISTED else ""
    # the search's depth bounds what is seen: a report in scope none of whose passages came back may
    # mention it further down (a corpus of thousands of reports)
    seen = {h.chunk.doc_id for h in hits}
    unseen = any(d not in seen for d, doc in assistant._answerer.documents.items()
                 if scope.admits(d, doc.meta.country, doc.meta.year, doc.meta.kind))
    least = "At least " if len(hits) >= MENTION_DEPTH and unseen else ""
    lead = (f"{least}{len(docs)} indexed {'report mentions' if len(docs) == 1 else 'reports mention'} "
            f"{topic}: {named}{more}.")
    if not parts:
        return Answer(lead, (), tuple(assistant._answerer.source_of(first[d].chunk, first[d].score) for d in docs),
                      False, 1.0)
    combined = combine(parts, "")
    return Answer(f"{lead}\n{combined.answer}", combined.citations, combined.sources, False, combined.confidence,
                  extra=combined.extra, units=combined.units)


def countries_named(text: str) -> set[str]:
    return {canonical(m.country.name) for m in find_mentions(text)}


def first_mentions(hits: list[Hit], wanted: set[str]) -> dict[str, Hit]:
    """Each document's best-ranked passage (not a bibliography entry) holding every wanted term."""
    first: dict[str, Hit] = {}
    for hit in hits:
        doc = hit.chunk.doc_id
        if doc in first or hit.chunk.kind == "reference":
            continue
        if wanted <= set(terms(hit.chunk.text)):
            first[doc] = hit
    return first
