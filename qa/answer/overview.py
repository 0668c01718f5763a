"""Overview answers: "Summarize the findings on Mali", "What are the key findings?" are answered
from the report's own opening — the first section's paragraphs, where a country report states the
year's assessment and main findings — quoted sentence by sentence with their own references.

A country report's opening cites nothing: it summarises what the body says and cites ("However,
children in Mali engage in the worst forms of child labor, including ..." opens the report; the
body's "Children in Mali engage in the worst forms of child labor, including ... (1-6)" backs it).
An opening sentence whose words the body restates in a cited sentence is quoted as that body
sentence, with its references; one the body does not restate (the year's assessment) is quoted
as it stands.
"""

from __future__ import annotations

from collections import Counter

from qa.answer.question import QuestionInfo, topic_words
from qa.answer.scorers import asks_advice, names_advice, under_advice_heading
from qa.answer.units import Unit, units_of
from qa.models import Chunk, Document, Hit
from qa.text.analysis import terms

# words that ask for the report's recommendations, not what they are about ("What does USDOL
# recommend the government do?", "What did the U.S. Department of Labor recommend for Niger?")
_ADVICE_WORDS = frozenset("recommend recommends recommended recommendation recommendations suggest suggests "
                          "suggested suggestion suggestions action actions advice advise advises usdol dol "
                          "us u.s department government report reports".split())
_ACTION_WORDS = 6  # words a suggested action has at least, beside its area and headers

OPENING_CHUNKS = 2  # paragraphs of the first section quoted at most
OPENING_SENTENCES = 5  # sentences quoted at most
# share of an opening sentence's terms a cited body sentence must hold to stand for it; its own
# extra words are allowed (the body adds detail), a summary's words the body lacks are not
RESTATES = 0.8
ADVICE_AREAS = 6  # suggested actions quoted at most, the first of each area


def summarised(hits: list[Hit]) -> str | None:
    """The document a summary question is about: the one most retrieved passages come from (the
    best-ranked on a tie), not the best passage's alone. "What are the main findings on child labour
    in Mali?" meets a news article's opening first and the country report's passages after it."""
    # equal counts keep the order first met, best-ranked first
    return Counter(h.chunk.doc_id for h in hits).most_common(1)[0][0] if hits else None


class Overviews:
    def __init__(self, documents: dict[str, Document], chunks: list[Chunk] | None = None) -> None:
        self.documents = documents
        self._opening: dict[str, list[Chunk]] = {}
        self._body: dict[str, list[Chunk]] = {}
        self._advice: dict[str, list[Chunk]] = {}
        for chunk in chunks or []:
            if chunk.kind == "table-row" and under_advice_heading(chunk):
                self._advice.setdefault(chunk.doc_id, []).append(chunk)
            first = self._opening.setdefault(chunk.doc_id, [])
            # chunks come in document order: the first one names the opening section
            if chunk.kind == "paragraph" and len(first) < OPENING_CHUNKS and \
                    (not first or first[0].section == chunk.section):
                first.append(chunk)
            elif chunk.kind == "paragraph" and chunk.refs and not (first and first[0].section == chunk.section):
                self._body.setdefault(chunk.doc_id, []).append(chunk)

    def opening(self, hits: list[Hit], doc: str | None) -> list[Unit]:
        """The opening sentences of the report the question is about (``doc``, else the best hit's),
        each uncited one replaced by the cited body sentence restating it, if any."""
        doc_id = doc or summarised(hits)
        if doc_id is None:
            return []
        document = self.documents.get(doc_id)
        units: list[Unit] = []
        for chunk in self._opening.get(doc_id, []):
            units.extend(u for u in units_of(chunk, document)
                         if u.kind == "sentence" and not _heading(u.text))
        units = units[:OPENING_SENTENCES]
        if not (document is not None and len(document.bibliography)):
            return units
        cited = [u for c in self._body.get(doc_id, []) for u in units_of(c, document)
                 if u.kind == "sentence" and not u.uncited]
        out: list[Unit] = []
        for unit in units:
            backing = restatement(unit, cited) if unit.uncited else None
            if backing is None or backing.key not in {u.key for u in out}:
                out.append(backing or unit)
        return out

    def advice(self, info: QuestionInfo, hits: list[Hit], doc: str | None) -> list[Unit]:
        """The report's suggested actions, the first of each area ("Legal Framework", "Enforcement",
        ...), when the question asks what the report recommends and names no topic beyond the
        report ("What are the recommendations for Mali?", "What should Niger do about child
        labor?"); [] otherwise (a topic is answered by the scored units, suggested actions lifted)."""
        doc_id = doc or summarised(hits)
        if doc_id is None or not self._advice.get(doc_id) or not asks_for_advice(info):
            return []
        document = self.documents.get(doc_id)
        if not about_report([w for w in topic_words(info) if w not in _ADVICE_WORDS], document):
            return []
        first: dict[str, Unit] = {}
        for chunk in self._advice[doc_id]:
            for unit in units_of(chunk, document):
                # a row holding only its years (a cell split off a row above) suggests nothing
                if unit.label not in first and sum(w.isalpha() for w in unit.text.split()) >= _ACTION_WORDS:
                    first[unit.label] = unit
        return list(first.values())[:ADVICE_AREAS]


def asks_for_advice(info: QuestionInfo) -> bool:
    """The question asks what should be done or names the report's recommendations."""
    return asks_advice(info) or names_advice(info)


def about_report(topic: list[str], doc: Document | None) -> bool:
    """True when an overview question asks about the report as a whole: every word naming its
    topic is a word of the report's title ("Summarize the findings on child labor" of "Findings on
    the Worst Forms of Child Labor"); "What does the report say about education?" asks about one
    topic of it, answered by the units on that topic instead."""
    title = set(terms(doc.meta.title)) if doc is not None and doc.meta.title else set()
    return all(t in title for t in terms(topic))


def restatement(unit: Unit, candidates: list[Unit]) -> Unit | None:
    """The candidate holding the largest share (at least ``RESTATES``) of ``unit``'s terms, the
    shorter one on a tie; None when none does."""
    own = set(terms(unit.text))
    if not own:
        return None
    best, best_key = None, (0.0, 0)
    for c in candidates:
        share = len(own & set(terms(c.text))) / len(own)
        key = (share, -len(c.text))
        if share >= RESTATES and key > best_key:
            best, best_key = c, key
    return best


def _heading(text: str) -> bool:
    """A title line kept in the opening paragraph ("2019 Findings on Child Labor: Mali"): short and
    with no sentence ending. It names the report; it is no finding."""
    return len(text.split()) < 12 and not text.rstrip().endswith((".", "!", "?"))
