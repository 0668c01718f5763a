"""Answers that are look-ups rather than scored passages: a bibliography entry ("What is reference
68?"), a document's publication date ("When was the article published?") and a country report's
assessment level ("How did the report rate Mali's progress in 2019?"); and the declines of a
question written in another language than the reports' (``foreign_answer``) and of one naming
what no indexed report mentions (``unmentioned_answer``)."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import TYPE_CHECKING

from qa.answer.publication import NEWS_ARTICLE
from qa.answer.question import QuestionInfo
from qa.models import Answer, Document, Hit, QuotedUnit, Source
from qa.text.analysis import is_stopword, words

if TYPE_CHECKING:
    from qa.answer.answerer import Answerer
    from qa.answer.scope import Scope


def reference_answer(answerer: Answerer, info: QuestionInfo, hits: list[Hit], doc: str | None,
                     scope: Scope | None = None) -> Answer | None:
    """ "What is reference 68?" -> the entry, cited as that number. Reference numbers are per
    report: with several reports in scope, each one's entry is given on its own labelled line."""
    # "reference 3 in the ILO article": an article's, never a report's (articles rarely number theirs)
    article = doc is None and bool(NEWS_ARTICLE.search(info.text))
    candidates = [d for d in answerer.documents.values() if len(d.bibliography) and (doc is None or d.id == doc)
                  and (scope is None or scope.admits(d.id, d.meta.country, d.meta.year, d.meta.kind))
                  and (not article or d.meta.kind == "article")]
    hit_docs = [h.chunk.doc_id for h in hits]
    candidates.sort(key=lambda d: hit_docs.index(d.id) if d.id in hit_docs else len(hit_docs))
    found = [(d, e) for d in candidates if (e := d.bibliography.get(info.reference or 0)) is not None]
    if not found and article and not candidates:
        return _declined("The indexed articles have no numbered references.", "no article has a bibliography")
    if not found:
        return _no_such_reference(answerer, info.reference or 0, candidates) if candidates else None
    if scope is None and doc is None:
        found = found[:1]  # no scope decided: the report retrieval ranks first, as before
    several = len(found) > 1
    lines, citations, sources, units = [], [], [], []
    for d, entry in found:
        label = answerer.labels.get(d.id, d.id)
        marker = f"[{label}: {entry.number}]" if several else f"[{entry.number}]"
        words = f"Reference {entry.number} of {_title_in_sentence(d.meta.title or d.id)} is: {entry.text}"
        lines.append(f"{words} {marker}")
        citations.append(answerer.citation(d.id, entry.number, label if several else None))
        anchor = f"{d.id}#ref{entry.number}"
        sources.append(Source(d.id, anchor, "REFERENCES", entry.text, 1.0, (entry.number,)))
        units.append(QuotedUnit(d.id, anchor, words, (entry.number,), ((0, len(entry.text)),),
                                ((entry.start, entry.end),)))
    return Answer("\n".join(lines), tuple(citations), tuple(sources), False, 1.0, units=tuple(units))




def _declined(reason: str, why: str) -> Answer:
    from qa.answer.llm import ABSTAIN_SENTENCE

    return Answer(f"{ABSTAIN_SENTENCE} {reason}", (), (), True, 1.0,
                  extra={"reason": why, "best_score": 1.0, "reason_text": reason})


def _no_such_reference(answerer: Answerer, number: int, candidates: list) -> Answer:  # type: ignore[type-arg]
    """The decline for a reference number no report in scope has, with the numbers they do have
    (a typo'd or misremembered number is the usual cause); no passage is shown, none was looked at."""
    from qa.answer.llm import ABSTAIN_SENTENCE

    ranges = "; ".join(f"the {answerer.labels.get(d.id, d.id)} report's references are numbered 1 to "
                       f"{max(e.number for e in d.bibliography.entries)}" for d in candidates[:3])
    more = f"; and {len(candidates) - 3} more reports" if len(candidates) > 3 else ""
    reason = f"No indexed report has a reference {number} ({ranges}{more})."
    return Answer(f"{ABSTAIN_SENTENCE} {reason}", (), (), True, 1.0,
                  extra={"reason": f"no bibliography has an entry {number}", "best_score": 1.0,
                         "reason_text": reason})


def publication_answer(answerer: Answerer, doc_id: str, hits: list[Hit], field: str = "") -> Answer:
    """ "When was the article published?", "Who published it?", "What is its URL?", "What is the
    report's title?" (``field``: "", "publisher", "url" or "title") are answered from the document's
    catalog entry."""
    doc = answerer.documents[doc_id]
    name = doc.meta.title or doc_id
    published = readable_date(doc.meta.published)
    if field == "publisher":
        value = doc.meta.publisher
        words = f"{name} was published by {value}" + (f" on {published}" if published else "")
    elif field == "url":
        value = doc.meta.url or ""
        words = f"{name} is at {value}"
    elif field == "title":
        value = doc.meta.title
        words = f"The document's title is \u201c{value}\u201d"
    else:
        value = published
        words = f"{name} was published on {published}"
    if not value:
        # said, not only logged: the catalog, not the reports, is what lacks it
        what = {"url": "web address", "publisher": "publisher", "title": "title"}.get(field, "publication date")
        return _declined(f"The catalog gives no {what} for {name}.", f"{doc_id} has no {field or 'publication date'} "
                                                                     "in the catalog")
    marker = f"[{doc_id}]" if not len(doc.bibliography) else ""
    text = words + (f" {marker}." if marker else ".")
    sources = [answerer.source_of(h.chunk, h.score) for h in hits if h.chunk.doc_id == doc_id][:1]
    # the value is the catalog's, not a passage's: the unit quotes no source
    return Answer(text, (answerer.citation(doc_id, None),), tuple(sources), False, 1.0,
                  units=(QuotedUnit(doc_id, None, words + "."),))


_REPORT_NOUN = re.compile(r"\b(?:report|edition|chapter|findings)\b", re.I)


def asked_document(info: QuestionInfo, hits: list[Hit], documents: dict[str, Document]) -> str:
    """The document a question about a publication means: the best-ranked article for "the
    article/story", the best-ranked country report for "the report", else the best hit's."""
    for noun, wanted in ((NEWS_ARTICLE, False), (_REPORT_NOUN, True)):
        if noun.search(info.text):
            for hit in hits:
                doc = documents.get(hit.chunk.doc_id)
                if doc is not None and (doc.meta.kind == "country-report") is wanted:
                    return hit.chunk.doc_id
    return hits[0].chunk.doc_id


_NEWEST = re.compile(r"\b(?:latest|most\s+recent|newest|current)\b", re.I)


def assessment_answer(answerer: Answerer, info: QuestionInfo, hits: list[Hit], doc: str | None,
                      scope: Scope | None) -> Answer | None:
    """The assessment level of the country reports in scope (of the year asked, if any), one line
    per report, citing each report as a whole; None when no report in scope has one."""
    reports = [d for d in answerer.documents.values() if d.meta.kind == "country-report" and d.meta.level
               and (doc is None or d.id == doc)
               and (scope is None or scope.admits(d.id, d.meta.country, d.meta.year, d.meta.kind))
               and (not info.years or d.meta.year in info.years)]
    if not reports or (scope is None and doc is None and len({d.meta.country for d in reports}) > 1):
        return None  # without a scope, several countries' ratings would be a guess at the one meant
    reports = rated_as_named(info.text, reports)
    if not info.years and _NEWEST.search(info.text):  # "the latest assessment level": each country's newest
        newest = {d.meta.country: d.meta.year or 0 for d in sorted(reports, key=lambda d: d.meta.year or 0)}
        reports = [d for d in reports if (d.meta.year or 0) == newest[d.meta.country]]
    reports.sort(key=lambda d: (d.meta.country, d.meta.year or 0))
    lines, citations, units = [], [], []
    for d in reports:
        who = d.meta.country or "the country"
        words = f"The {d.meta.year or ''} report rates {who}'s efforts as {d.meta.level}".replace(
            "The  report", "The report")
        lines.append(f"{words} [{d.id}].")
        citations.append(answerer.citation(d.id, None))
        units.append(QuotedUnit(d.id, None, words + "."))  # the level is the document's metadata
    # the level is metadata (read from the page headers): show a passage only when it states the level
    # ("In 2019, Mali made a moderate advancement ..."), never merely the report's best-ranked passage
    levels = {d.id: d.meta.level.lower() for d in reports}
    sources = [answerer.source_of(h.chunk, h.score) for h in hits
               if h.chunk.doc_id in levels and levels[h.chunk.doc_id] in " ".join(h.chunk.text.lower().split())][:1]
    return Answer("\n".join(lines), tuple(citations), tuple(sources), False, 1.0, units=tuple(units))


def rated_as_named(question: str, reports: list[Document]) -> list[Document]:
    """The reports rated at the level a "which ..." question names ("Which countries made moderate
    advancement?" -> the Moderate Advancement ones), all of them when it names none or none is rated
    so (then every rating is the answer). A level is named by its first word ("moderate", "minimal");
    the levels are the reports' own, read from their metadata."""
    if not re.match(r"\s*(?:which|what|list|name)\b", question, re.I):
        return reports
    asked = set(words(question))
    named = [d for d in reports if (first := d.meta.level.split()[0].lower()) in asked and not is_stopword(first)]
    return named or reports


def readable_date(value: str) -> str:
    """ "2021-05-31" -> "31 May 2021"; anything else is returned as it is."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).strftime("%-d %B %Y")
    except ValueError:
        return value


def _title_in_sentence(title: str) -> str:
    """A title as it reads inside a sentence: the fallback "Mali 2018 country report" (a PDF whose
    title the metadata could not read) takes "the"; a report's own title stays as printed."""
    return f"the {title}" if title.endswith("country report") else title


def foreign_answer(question: str) -> Answer | None:
    """A question whose own words read as another language than English is declined, asking for
    English: the reports and the answer stage are English, and a Spanish question sharing a stem
    with the reports ("inspectores") would get a confident answer to something else. None for an
    English question (names quoted in French do not count: qa.text.language)."""
    from qa.text.language import foreign_language, language_name

    code = foreign_language(question)
    if code is None:
        return None
    name = language_name(code)
    text = (f"This question reads as {name}. The indexed reports are in English and questions are answered "
            f"in English only: please ask it in English.")
    return Answer(text, (), (), True, 1.0, extra={"reason": f"question in {name}", "best_score": 0.0,
                                                  "reason_text": f"the question reads as {name}; ask in English.",
                                                  "language": code})


def unmentioned_answer(question: str, vocabulary: Container[str]) -> Answer | None:
    """A question naming a place, person or body no indexed report mentions ("How many labor
    inspectors did Zanzibar have?") is declined naming it: every report's inspector row would
    otherwise answer it (qa.answer.mentions), and within a country's report ("How many Malian
    children work in Timbuktu?") a passage on something else would. None when every name it uses
    is in the reports."""
    from qa.answer.llm import ABSTAIN_SENTENCE
    from qa.answer.mentions import unmentioned_names

    names = unmentioned_names(question, vocabulary)
    if not names:
        return None
    named = " or ".join(dict.fromkeys(names))
    reason = f"no indexed report mentions {named}{_did_you_mean(names)}."
    return Answer(f"{ABSTAIN_SENTENCE} {reason[:1].upper()}{reason[1:]}", (), (), True, 1.0,
                  extra={"reason": reason.rstrip("."), "best_score": 0.0, "reason_text": reason})


def _did_you_mean(names: list[str]) -> str:
    """ "; did you mean Senegal?" for a name that misspells a country ("Senagal"): asked again with
    the right name it is answered. Only a suggestion: a guessed country could be the wrong report."""
    from qa.text.countries import close_country

    meant = list(dict.fromkeys(c.name for n in names if (c := close_country(n)) is not None))
    return f" (did you mean {' or '.join(meant)}?)" if meant else ""
