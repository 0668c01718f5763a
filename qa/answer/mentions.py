"""Names a question uses that no indexed document mentions.

"How many labor inspectors did Zanzibar have in 2019?" names no country the country layer knows
(qa.text.countries: ISO 3166 names, demonyms, capitals), so no scope narrows it, and every report's
inspector row answers it: a confident figure for another place. A proper name the reports never
write cannot be what they answer about, so the question is declined naming it ("The indexed reports
do not mention Zanzibar."): a place, a person, a company alike.

A name here is a capitalised word that is not the question's first word, not an English word
(qa.text.inflection's lexicon: "Kids" in a title-cased question is a word, "Zanzibar" is not) and not
an acronym (those are read by qa.ingest.acronyms); it is unknown when none of its terms (qa.text.analysis.bm25_tokens, as BM25
indexed the passages: accents aside, "Segou" is "Ségou") is in an indexed passage. Country names, demonyms and
capitals are the scope's (qa.answer.scope). A question written mostly in capitals says nothing by
its capitals and is not read.
"""

from __future__ import annotations

import re
from collections.abc import Container

from qa.text.analysis import bm25_tokens, is_stopword
from qa.text.countries import capital_countries, without_mentions
from qa.text.inflection import known

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*", re.UNICODE)
# a sentence's end, then perhaps opening marks ("¿", "¡", quotes, a bracket) before its first word
_SENTENCE_END = re.compile(r"[.?!][\s¿¡\"'“‘(«]*$")


def _acronym(word: str) -> bool:
    """"UNICEF", "NGOs": initials, read by qa.ingest.acronyms, not names of their own."""
    stem = word[:-1] if word.endswith("s") else word
    return len(stem) > 1 and stem.isupper()


def _runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of capitalised words (word, opens a sentence), in order."""
    runs: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    previous_end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        before = text[:m.start()]
        opens = not any(ch.isalnum() for ch in before) or bool(_SENTENCE_END.search(before))
        if word[:1].isupper() and not _acronym(word):
            if current and text[previous_end:m.start()].strip():
                runs.append(current)
                current = []
            current.append((word, opens))
        elif current:
            runs.append(current)
            current = []
        previous_end = m.end()
    if current:
        runs.append(current)
    return runs


def _initials_indexed(run: list[tuple[str, bool]], vocabulary: Container[str]) -> bool:
    """A name of several words whose initials the reports use as a term ("European Union" is
    "EU" there, "International Organization for Migration" "IOM"): the name is mentioned."""
    letters = "".join(w[0] for w, _ in run if not is_stopword(w.lower()))
    return len(letters) >= 2 and letters.lower() in vocabulary


def unmentioned_names(question: str, vocabulary: Container[str]) -> list[str]:
    """The names (runs of capitalised words) ``question`` uses whose own words include one that is
    no English word and no term of ``vocabulary`` (the index's BM25 terms)."""
    question = without_mentions(question)  # a country or demonym is the scope's business (qa.answer.scope)
    runs = _runs(question)
    inner = [w for w in _WORD.findall(question) if not is_stopword(w.lower())]
    capitals = sum(1 for run in runs for w, opens in run if not opens and not is_stopword(w.lower()))
    if capitals * 2 > len(inner) and capitals >= 3:
        return []  # "How Many Labor Inspectors Did Zanzibar Have?": the capitals say nothing
    out = []
    for run in runs:
        named = " ".join(w for w, _ in run)
        if capital_countries(named):
            continue  # a capital names its country
        if _initials_indexed(run, vocabulary):
            continue  # "European Union-funded": the reports write "EU"
        for word, opens in run:
            base = re.sub(r"['’]s$", "", word)
            if opens or known(base) or is_stopword(base.lower()) or len(base) == 1:
                continue  # ... or an initial ("U.S.", "J. Smith"), no name of its own
            # the terms BM25 indexed the passages with (a compound's parts among them)
            tokens = bm25_tokens(base)
            if tokens and not any(t in vocabulary for t in tokens):
                out.append(" ".join(re.sub(r"['’]s$", "", w) for w, o in run if not o or len(run) == 1))
                break
    return out
