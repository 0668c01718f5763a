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

import functools
import re
from collections.abc import Container

from qa.text.analysis import american, bm25_tokens, is_stopword, terms
from qa.text.countries import capital_countries, without_mentions
from qa.text.inflection import known

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*", re.UNICODE)
# a sentence's end, then perhaps opening marks ("¿", "¡", quotes, a bracket) before its first word
_SENTENCE_END = re.compile(r"[.?!][\s¿¡\"'“‘(«]*$")


def _bare(word: str) -> str:
    """A word without its possessive "'s" ("Fofana's" -> "Fofana")."""
    return re.sub(r"['’]s$", "", word)


def _acronym(word: str) -> bool:
    """"UNICEF", "NGOs", "MoU": initials, read by qa.ingest.acronyms, not names of their own (a short
    word with two capitals is initials with a small word among them: "MoU", "MoJ")."""
    stem = word[:-1] if word.endswith("s") else word
    return len(stem) > 1 and (stem.isupper() or len(stem) <= 4 and sum(ch.isupper() for ch in stem) >= 2)


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
            base = _bare(word)
            if opens or known(base) or is_stopword(base.lower()) or len(base) == 1:
                continue  # ... or an initial ("U.S.", "J. Smith"), no name of its own
            # the terms BM25 indexed the passages with (a compound's parts among them)
            tokens = bm25_tokens(base)
            if tokens and not any(t in vocabulary for t in tokens):
                out.append(" ".join(_bare(w) for w, o in run if not o or len(run) == 1))
                break
    return out


def proper_names(question: str) -> list[str]:
    """The names ``question`` uses whatever the reports write: runs of capitalised words with a word
    that is no English word, acronym, country or capital ("Kadiatou Koné", "Mamadou Fofana's"), each
    without its possessive "'s" and without the words opening the question."""
    question = without_mentions(question)
    out = []
    for run in _runs(question):
        named = [_bare(w) for w, opens in run if not opens or len(run) == 1]
        if capital_countries(" ".join(named)):
            continue
        if any(not known(w) and not is_stopword(w.lower()) and len(w) > 1 for w in named):
            out.append(" ".join(named))
    return out


# the words asking what someone is or does: "What position does Kadiatou Koné hold?", "his role"
_ROLE = re.compile(r"\b(?:roles?|positions?|titles?|jobs?|posts?|functions?|occupations?|capacity|"
                   r"holds?|held|holding|works? as)\b", re.I)


@functools.lru_cache(maxsize=256)
def asked_role(question: str) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """A person's role asked: the terms of the role words, and the terms of each person's name the
    question uses; nothing when it asks no role or names no one."""
    if not _ROLE.search(question):
        return frozenset(), ()
    # a person's name has two words or more ("Kadiatou Koné"); one is as often a place ("Kayes")
    names = tuple(t for n in proper_names(question) if len(n.split()) > 1 and (t := frozenset(terms(n))))
    if not names:
        return frozenset(), ()
    return frozenset(terms(" ".join(_ROLE.findall(question)))), names


def role_met(question: str, have: frozenset[str]) -> frozenset[str]:
    """The role words a unit with the terms ``have`` holds for ``question`` without writing them: a
    unit writing the person's name is where the reports say who that is ("..., according to Kadiatou
    KONE, the Communication Officer of the AEJT national office")."""
    role, names = asked_role(question)
    return role if any(n <= have for n in names) else frozenset()


def writes_person(question: str, have: frozenset[str]) -> bool:
    """False for a unit with the terms ``have`` that writes none of the names of the people whose
    role ``question`` asks: it says nothing of who they are, whatever other words it shares."""
    names = asked_role(question)[1]
    return not names or any(n <= have for n in names)


# "Who is the national coordinator ...?", "Who spoke for ...?": a person asked, not a body (a
# question naming a body's noun asks for the body: "Who is the agency responsible ...?"; a body's
# head or chair is as often a ministry: "Who chairs the committee?" -> "the Ministry of Justice")
_ASKS_ROLE = re.compile(r"(?:^|,)\s*who(?:['’]s|\s+(?:is|was|are|were))\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
                        r"(coordinator|officer|president|vice-president|minister|director|secretary|spokesperson|"
                        r"spokesman|manager|advisor|adviser)\b", re.I)
_ASKS_SPEAKER = re.compile(r"(?:^|,)\s*who\s+(?:said|spoke|speaks|stated|explained|affirmed|declared|announced|"
                           r"noted|told|commented|argued|added|warned|stressed|emphasi[sz]ed)\b", re.I)
_INITIALS = re.compile(r"\b[A-Z]{2,}(?:[./][A-Z]+)*\b")  # "AEJT", "GLO.ACT"
_SOURCE_CLAUSE = re.compile(r",|\b(?:according to|per|in the [\w-]+ (?:report|article|piece))\b", re.I)
# a person's name as articles write it, before the comma of their role: a capitalised word no
# English word, beside another capitalised one ("explained Hamidou Cisse, National Coordinator of
# ...", "according to Kadiatou KONE, the Communication Officer ...")
_PERSON = re.compile(r"\b([A-Z][a-zà-ÿ'-]+)\s+([A-Z][A-Za-zà-ÿ'-]+),")


def _foreign(word: str) -> bool:
    low = word.lower()
    return not is_stopword(low) and not known(low) and not known(american(low))


@functools.lru_cache(maxsize=256)
def asks_person(question: str) -> bool:
    """The question asks who a person is by their role, or who said something."""
    return bool(_ASKS_ROLE.search(question) or _ASKS_SPEAKER.search(question))


@functools.lru_cache(maxsize=256)
def _role_terms(question: str) -> frozenset[str] | None:
    """The terms a unit must hold to say who holds the role ``question`` asks of: the role's noun
    and the names of its own phrase, not of a source named after it ("..., according to the ILO
    article"); None when no role is asked."""
    m = _ASKS_ROLE.search(question)
    if not m:
        return None
    phrase = _SOURCE_CLAUSE.split(question[m.start(1):], maxsplit=1)[0]
    named = proper_names(phrase) + _INITIALS.findall(without_mentions(phrase))
    return frozenset(terms(" ".join([m.group(1), *named])))


def holds_role(question: str, have: frozenset[str]) -> bool:
    """False for a unit with the terms ``have`` that cannot say who holds the role ``question`` asks
    of: it lacks the role's noun or a name the question gives it ("Who is the Vice-President of the
    Regional Council of Sikasso?" is not answered by Kayes's: the reports name no one there)."""
    needed = _role_terms(question)
    return needed is None or needed <= have


def names_person(text: str) -> bool:
    """The text names a person: two capitalised words together, one of them no English word, not
    a country, demonym or capital, before a comma ("Hamidou Cisse, National Coordinator")."""
    text = without_mentions(text)
    for m in _PERSON.finditer(text):
        pair = [_bare(w) for w in m.groups()]
        # a given name is no English word ("Kadiatou KONE"); a surname in capitals may be initials
        # ("the ILO's"), so it counts when written in lower case after the capital ("Mr Cisse")
        if not capital_countries(" ".join(pair)) and (_foreign(pair[0]) or pair[1][1:].islower() and _foreign(pair[1])):
            return True
    return False
