"""Answers that draw on more than one document: labelled citation markers and one line per part.

Reference numbers are per report, so an answer citing two documents writes every marker with its
document's label — "[Mali 2019: 4]", "[Niger 2019: 7, 12]" — while an answer from one document
keeps the plain "[4]". A label is the document's country and edition ("Mali 2019"), or its id when
either is unknown or two documents would share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from qa.answer.llm import ABSTAIN_SENTENCE
from qa.answer.question import MONEY_NOUNS
from qa.models import Answer, Citation, Document, Source

if TYPE_CHECKING:
    from qa.answer.scope import DocInfo, Scope

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
        if "\n" in text:
            # a part answered from several reports has a line each ("Niger 2019: ...", "Mali 2019: ..."):
            # indented under its heading; "2019: Niger 2019: ..." and a bare "Mali 2019: ..." below it
            # read as two parts
            lines.append(f"{heading}:")
            lines.extend(f"  {line}" for line in text.splitlines())
        else:
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


def with_unindexed_note(answer: Answer, scope: Scope) -> Answer:
    """``answer`` from the indexed country's reports, saying on a line of its own which other
    countries the question names that no indexed report covers ("How many labor inspectors did
    Mali and Ghana have?" answered for Mali alone read as if Ghana had been looked at)."""
    if not scope.unindexed:
        return answer
    note = f"No indexed report covers {' or '.join(scope.unindexed)}."
    extra = answer.extra
    if answer.abstained and extra.get("reason_text"):
        extra = {**extra, "reason_text": f"{extra['reason_text']} {note}"}
    return replace(answer, answer=f"{answer.answer}\n{note}", extra=extra)


def _editions(years: Iterable[int]) -> str:
    """{2019, 2020} -> "the 2019 and 2020 editions"."""
    ordered = [str(y) for y in sorted(set(years))]
    if not ordered:
        return "no edition"
    if len(ordered) == 1:
        return f"the {ordered[0]} edition"
    return f"the {', '.join(ordered[:-1])} and {ordered[-1]} editions"


def _mismatch(scope: Scope, documents: list[DocInfo]) -> str:
    """Why no indexed document passes the scope's filters, in one sentence naming what is indexed."""
    from qa.text.countries import canonical

    countries = " and ".join(sorted(scope.countries))
    if scope.docs:
        doc = next((d for d in documents if d.id in scope.docs), None)
        if doc is not None:
            what = " ".join(p for p in (doc.country, str(doc.year or "")) if p)
            wrong = (f"not one for {countries}" if scope.countries and canonical(doc.country) not in scope.countries
                     else f"not {_editions(scope.editions)}")
            return f"{doc.id} is the {what + ' ' if what else ''}report, {wrong}."
    if scope.editions:
        asked = _editions(scope.editions)
        # editions are country reports' years: an article about Mali published in 2021 made "the
        # indexed Mali reports are the 2019 and 2021 editions"
        def years(docs: Iterable[DocInfo]) -> list[int]:
            dated = [d for d in docs if d.year]
            return [d.year for d in [d for d in dated if d.kind == "country-report"] or dated]

        if scope.countries:
            have = years(d for d in documents if d.country and canonical(d.country) in scope.countries)
            return (f"No indexed report is {asked} for {countries}; the indexed {countries} reports are "
                    f"{_editions(have)}.")
        return f"No indexed report is {asked}; the indexed reports are {_editions(years(documents))}."
    return f"No indexed report matches {scope.describe()}."


def unmatched_answer(scope: Scope, documents: list[DocInfo]) -> Answer | None:
    """The decline for filters (edition, country, document) that no indexed document passes, saying
    what is indexed instead, or a country filter that leaves out every country the question names;
    None when some document passes. Without it the question was searched in nothing and declined
    with no reason."""
    if scope.excluded:
        reason = (f"The question is about {' and '.join(scope.excluded)}; the country filter allows only "
                  f"{' and '.join(sorted(scope.countries))}.")
    elif not scope.restricted or any(scope.admits(d.id, d.country, d.year, d.kind) for d in documents):
        return None
    else:
        reason = _mismatch(scope, documents)
    return Answer(f"{ABSTAIN_SENTENCE} {reason}", (), (), True, 1.0,
                  extra={"reason": reason, "best_score": 0.0, "reason_text": reason})


def search_note(scope: Scope, documents: list[DocInfo]) -> str | None:
    """Why a search in ``scope`` finds nothing whatever the query: its countries are not indexed
    ("no indexed report covers Ghana"), or its filters admit no indexed document ("no indexed report
    is the 2018 edition; the indexed reports are the 2019 edition"); None when some document passes."""
    if scope.impossible:
        return f"no indexed report covers {' and '.join(scope.unindexed)}"
    unmatched = unmatched_answer(scope, documents)
    if unmatched is None:
        return None
    reason = str(unmatched.extra["reason"]).rstrip(".")
    return reason[:1].lower() + reason[1:]


# A question about which reports are indexed has, beside the countries it names, only words of
# editions and of being indexed: "Which editions of the Mozambique report are indexed?", "What is
# the latest edition for Mali?", "Which reports do you have?", "List the countries whose reports are indexed"
_EDITION_NOUN = re.compile(r"\b(?:editions?|reports?|chapters?|versions?|documents?)\b", re.I)
_DOCUMENTS = re.compile(r"\bdocuments?\b", re.I)  # asks for every kind: the articles are listed too
_ABOUT_EDITIONS = frozenset(
    """edition editions report reports chapter chapters version versions indexed index available loaded
    latest newest recent current oldest earliest first last year years cover covers covered got
    country countries show list document documents""".split())
MAX_LISTED = 20  # countries one answer lists; `qa documents` / GET /documents list every report


def editions_answer(question: str, scope: Scope, documents: list[DocInfo],
                    history: Sequence[str] = ()) -> Answer | None:
    """The indexed country reports (editions) of the countries in ``scope``, one line per country,
    for a question asking only that; None for any other question, when none is indexed, or for a
    follow-up ("And the 2020 report?" puts the earlier question to that edition)."""
    from qa.answer.followup import is_followup
    from qa.answer.question import content_words
    from qa.answer.scope import NEWEST, OLDEST
    from qa.text.countries import without_mentions

    if not _EDITION_NOUN.search(question) or is_followup(question, list(history)):
        return None
    if any(w.lower() not in _ABOUT_EDITIONS for w in content_words(without_mentions(question))):
        return None
    reports = sorted((d for d in documents if d.kind == "country-report" and d.year
                      and scope.admits(d.id, d.country, d.year, d.kind)), key=lambda d: (d.country, d.year))
    by_country: dict[str, list[DocInfo]] = {}
    for d in reports:
        by_country.setdefault(d.country, []).append(d)
    lines = []
    for country, docs in by_country.items():
        if re.search(rf"\b(?:{NEWEST})\b", question, re.I):
            docs = docs[-1:]
        elif re.search(rf"\b(?:{OLDEST})\b", question, re.I):
            docs = docs[:1]
        lines.append(f"{country}: {_editions(d.year for d in docs if d.year)} ({', '.join(d.id for d in docs)})")
    if len(lines) > MAX_LISTED:
        lines = lines[:MAX_LISTED] + [f"... and {len(lines) - MAX_LISTED} more countries (`qa documents` lists every report)"]
    others = [d.id for d in documents if d.kind != "country-report" and scope.admits(d.id, d.country, d.year, d.kind)]
    if others and _DOCUMENTS.search(question):
        lines.append(f"Other documents: {', '.join(sorted(others)[:MAX_LISTED])}")
    if not lines:
        return None
    heading = "Indexed documents:" if _DOCUMENTS.search(question) else "Indexed country reports:"
    return Answer("\n".join([heading, *lines]), (), (), False, 1.0,
                  extra={"reason": "the indexed editions", "best_score": 1.0})


# the words that set countries side by side: "How do X of A and B compare?", "compare X in A with B"
_HOW_COMPARE = re.compile(r"^\s*how\s+(?:do|does|did)\s+(.+?)\s+(?:compare|differ|stack\s+up)\b\s*(?:(?:with|to|against|from)\s+)?(?:(?:on|in|regarding|"
                          r"over|for|with\s+respect\s+to|in\s+terms\s+of|when\s+it\s+comes\s+to)\s+([^?]+?))?\s*[?.!]*\s*$",
                          re.I)
_COMPARE_WORDS = re.compile(r"\b(?:compared?|comparing|contrast(?:ed)?|versus|vs\.?)(?:\s+(?:with|to|against))?"
                            r"(?=\s*(?:[?.!]|$))|\b(?:compared|comparing)\s+(?:with|to|against)\b", re.I)
_JOIN = r"(?:,|\band\b|\bor\b|&|\bvs\.?|\bversus\b)"
# two editions named as the sides of a comparison: "between the 2018 report and the 2020 report"
_EDITIONS_COMPARED = re.compile(r"\s*\b(?:between|from|in|across)\s+(?:the\s+)?(?:19|20)\d\d(?:\s+(?:reports?|editions?))?\s+"
                                r"(?:and|to|or|vs\.?|versus)\s+(?:the\s+)?(?:19|20)\d\d(?:\s+(?:reports?|editions?|ones?))?\b",
                                re.I)
_GONE = "\x00"  # where another country was named


# a yes/no question setting figures side by side ("Were more labour inspections carried out in the
# 2019 report or the 2020 one?", "Was more money spent in Mali or Niger?"): each part is its figure
_MORE_OR_FEWER = re.compile(r"^\s*(?:was|were|did|does|do|is|are|has|have|had)\s+(?:there\s+)?(?:more|fewer|less)\s+"
                            rf"(?=(?P<mass>money\b|{MONEY_NOUNS}\b)|\w)", re.I)


def part_question(question: str, country: str) -> str:
    """The question one country's line of a cross-country answer asks: the other countries named
    and the comparing words left out ("How do the legal working ages of Senegal and Burkina Faso
    compare?" asks of Senegal "What are the legal working ages of Senegal?"), so they do not draw
    the search and the scores away from what is asked. A question naming one country or none is
    returned as is, but for a yes/no question setting figures side by side: it asks each part's figure."""
    from qa.text.countries import canonical, find_mentions

    question = _MORE_OR_FEWER.sub(lambda m: "How much " if m.group("mass") else "How many ", question, count=1)
    mentions = find_mentions(question)
    others = [m for m in mentions if canonical(m.country.name) != canonical(country)]
    if not others and (plain := _EDITIONS_COMPARED.sub("", question)) != question and (how := _HOW_COMPARE.match(plain)):
        # editions of one country's report compared: "How does the share of working children in Mali
        # differ between the 2018 report and the 2020 report?" asks each edition "What are the share
        # of working children in Mali?" (the part's scope holds its edition and year)
        return f"What are {how.group(2)} in {how.group(1)}?" if how.group(2) else f"What are {how.group(1)}?"
    if not others or len(others) == len(mentions):
        return question
    text = question
    for m in reversed(others):
        text = text[:m.start] + _GONE + text[m.end:]
    text = re.sub(rf"\s*{_JOIN}\s*{_GONE}|{_GONE}\s*{_JOIN}\s*", " ", text)
    text = text.replace(_GONE, " ")
    if how := _HOW_COMPARE.match(text):
        # "How do the ages of A compare?" -> "What are the ages of A?"; "How do A compare on X?" -> "What are X in A?"
        text = f"What are {how.group(2)} in {how.group(1)}?" if how.group(2) else f"What are {how.group(1)}?"
    text = _COMPARE_WORDS.sub(" ", text)
    text = re.sub(r"\s*\b(?:with|to|against|between)\s*(?=[?.!]?\s*$)", "", text)  # "compared to" left bare
    return re.sub(r"\s+([?.!,:;])", r"\1", " ".join(text.split()))
