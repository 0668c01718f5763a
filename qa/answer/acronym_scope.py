"""The reports an acronym belongs to, read from the index's acronym table (qa.ingest.acronyms).

A body such as Mali's CNLTE is written by the reports about its country and by no other. So a
follow-up naming only such an acronym ("And CNLTE?" in a conversation about Niger) is about the
reports that write it, and a question scoped to reports that never write it ("Who chairs the
CNLTE?" with the country filter Niger) has no answer there: without these checks the scoped
reports answered with another body's row. Nothing here knows a body by name: a document names
an acronym of the table when its text writes the acronym or one of its long forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from qa.models import Answer
from qa.text.countries import canonical

if TYPE_CHECKING:
    from qa.answer.scope import DocInfo, Scope

# "CNLTE's", "(CNLTE)", and "CNLTE-led" (hyphenated words are read whole and split)
_WORDS = (re.compile(r"[\w&-]+"), re.compile(r"[\w&]+"))


def _words(text: str) -> set[str]:
    return {w for pattern in _WORDS for w in pattern.findall(text)}


class AcronymNames:
    """Which documents name each acronym of the index's table (acronym -> long forms): by the
    acronym as a word or by one of its long forms (only Senegal's report writes "MOJ", but every
    report names the Ministry of Justice, and a question about the MOJ is not Senegal's alone).

    Worked out the first time a question writes the acronym, then kept: reading every document for
    every acronym at start-up took 85 ms for six reports and would grow with corpus x table. (Not in
    qa.ingest: reading the table is no parsing, and a change to the parsing modules makes every
    index stale.)
    """

    def __init__(self, table: Mapping[str, Sequence[str]], texts: Mapping[str, str]) -> None:
        self.table, self.texts = table, texts
        self._naming: dict[str, frozenset[str]] = {}  # acronym -> ids of the documents naming it

    def _documents_naming(self, acronym: str) -> frozenset[str]:
        if acronym not in self._naming:
            word = re.compile(rf"(?<![\w&]){re.escape(acronym)}(?![\w&])")
            forms = self.table[acronym]
            self._naming[acronym] = frozenset(
                doc_id for doc_id, text in self.texts.items()
                if (acronym in text and word.search(text)) or any(f in text for f in forms))
        return self._naming[acronym]

    def in_question(self, question: str) -> dict[str, frozenset[str]]:
        """Document id -> the acronyms ``question`` writes that the document names (a document
        naming none is left out)."""
        named: dict[str, set[str]] = {}
        for acronym in sorted(set(self.table) & _words(question)):
            for doc_id in self._documents_naming(acronym):
                named.setdefault(doc_id, set()).add(acronym)
        return {doc_id: frozenset(found) for doc_id, found in named.items()}


def written_acronyms(question: str, docs: Iterable[DocInfo]) -> tuple[str, ...]:
    """The acronyms of the table that ``question`` writes (in capitals) and some document names."""
    known = frozenset().union(*(d.acronyms for d in docs))
    return tuple(sorted(known & _words(question)))  # one pass over the question, however many acronyms


def acronym_countries(question: str, inherited: list[str],
                      docs: list[DocInfo]) -> tuple[list[str], tuple[str, ...]] | None:
    """For a follow-up that kept the conversation's countries: when it writes acronyms that none of
    their reports names but other countries' reports do, those countries and the acronyms; else None."""
    written = written_acronyms(question, docs)
    if not written:
        return None
    using = {canonical(d.country) for d in docs if d.country and d.acronyms & set(written)}
    if not using or using & set(inherited):
        return None
    return sorted(using), written


def _reports(docs: list[DocInfo], editions: bool = False) -> tuple[str, str]:
    """("the Mali reports", "do"), ("the Niger 2019 report", "does"): the documents named by country
    (and edition, when ``editions``), with the verb that agrees."""
    names = sorted({f"{canonical(d.country)} {d.year}" if editions and d.year else canonical(d.country)
                    for d in docs if d.country})
    noun = "report" if all(d.kind == "country-report" for d in docs) else "document"
    what = f"the {' and '.join(names)} {noun}" if names else f"the selected {noun}"
    return (what, "does") if len(docs) == 1 else (what + "s", "do")


def _sentence(mine: list[DocInfo], acronyms: tuple[str, ...], docs: list[DocInfo]) -> str:
    """ "The Niger report does not mention CNLTE; the Mali reports do." """
    users = [d for d in docs if d.acronyms & set(acronyms)]
    editions = bool({canonical(d.country) for d in mine} & {canonical(d.country) for d in users})
    subject, verb = _reports(mine, editions)
    others, other_verb = _reports(users, editions)
    return f"{subject[0].upper()}{subject[1:]} {verb} not mention {' or '.join(acronyms)}; {others} {other_verb}."


def left_note(scope: Scope, documents: Iterable[DocInfo]) -> str:
    """Why an answer left the conversation's country ("The Niger report does not mention CNLTE;
    the Mali reports do."), or "" when it did not."""
    if scope.left is None:
        return ""
    left, acronyms = scope.left
    docs = [d for d in documents if d.country]
    mine = [d for d in docs if canonical(d.country) in left]
    if not mine:  # the conversation's country has no report
        others, verb = _reports([d for d in docs if d.acronyms & set(acronyms)])
        mention = "mentions" if verb == "does" else "mention"
        return f"No indexed report covers {' and '.join(left)}; {others} {mention} {' or '.join(acronyms)}."
    return _sentence(mine, acronyms, docs)


def unwritten_reason(question: str, scope: Scope, documents: Iterable[DocInfo]) -> str | None:
    """Why the reports a restricted scope admits cannot answer: the question writes acronyms that
    none of them writes and other reports do ("Who chairs the CNLTE?" filtered to Niger). None
    when some admitted report writes one, or the scope is not restricted."""
    docs = list(documents)
    written = written_acronyms(question, docs)
    if not written or not scope.restricted:
        return None
    admitted = [d for d in docs if scope.admits(d.id, d.country, d.year, d.kind)]
    if not admitted or any(d.acronyms & set(written) for d in admitted):
        return None
    return _sentence(admitted, written, docs)


def unwritten_answer(question: str, scope: Scope, documents: Iterable[DocInfo]) -> Answer | None:
    """The decline for :func:`unwritten_reason`, or None."""
    from qa.answer.llm import ABSTAIN_SENTENCE

    reason = unwritten_reason(question, scope, documents)
    if reason is None:
        return None
    return Answer(f"{ABSTAIN_SENTENCE} {reason}", (), (), True, 1.0,
                  extra={"reason": reason, "best_score": 0.0, "reason_text": reason})
