"""Word forms from an English lexicon (lemminflect): is a word a plural noun, can it be a verb.

Question analysis reads "Which goods ...", "What hazardous tasks ..." as asking for several
things from the plural head noun. A suffix rule takes "makes" or "happens" for plural nouns and
misses "children" or "criteria"; the lexicon knows each word's parts of speech and lemmas.
A word the lexicon does not know (an acronym, a misspelling) falls back to the suffix rule.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    return dict(getAllLemmas(word.lower()))


def known(word: str) -> bool:
    return bool(_lemmas(word))


def describes(word: str) -> bool:
    """True when ``word`` can describe a noun: an adjective or participle ("armed", "hazardous") or
    a noun used as one ("child labor laws")."""
    return bool(set(_lemmas(word)) & {"ADJ", "NOUN"})


def plural_noun(word: str) -> bool:
    """True when ``word`` can be a plural noun: a noun whose lemma differs from it ("goods",
    "children", "agencies", "criteria"); not "news", "this" or "happens". Unknown words: a
    final "s" that is not "ss", "us" or "is" ("NGOs")."""
    word = word.lower()
    lemmas = _lemmas(word)
    if not lemmas:
        return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return any(lemma != word for lemma in lemmas.get("NOUN", ()))


def adjective(word: str) -> bool:
    """True when ``word`` can be an adjective or a participle used as one ("hazardous", "armed"), or
    is a compound ending in one ("government-backed", "state-run", "UN-funded")."""
    if "ADJ" in _lemmas(word):
        return True
    first, _, last = word.rpartition("-")
    return bool(first and last) and (adjective(last) or can_be_verb(last))


def can_be_verb(word: str) -> bool:
    """True when ``word`` has a verb or auxiliary reading ("makes", "kept", "do")."""
    lemmas = _lemmas(word)
    return "VERB" in lemmas or "AUX" in lemmas


def singular(word: str) -> str:
    """The singular of a plural noun ("agencies" -> "agency"); other words unchanged."""
    if not plural_noun(word):
        return word
    nouns = [lemma for lemma in _lemmas(word).get("NOUN", ()) if lemma != word.lower()]
    return nouns[0] if nouns else word[:-1]
