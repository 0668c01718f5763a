"""Which language a question is written in, when it is confidently not English.

The reports and the answer stage are English: a question in Spanish ("¿Cuántos inspectores de
trabajo tenía Malí en 2019?") shares a stem or two with the reports ("inspector") and would get a
confident answer to something else. So a question whose own words read as another language is
declined with a request to ask in English (``foreign_language``).

The names a question quotes do not count: USDOL reports name bodies in French ("the Cellule
Nationale de Lutte contre le Travail des Enfants"), and an English question quoting one stays
English. Runs of capitalised words (with the small connecting words of English and French names),
acronyms and figures are set aside; what is left must be three words or more (six letters
of a script written without spaces) and read as another
language with probability ``CONFIDENCE`` or more (py3langid, a naive Bayes model over byte n-grams
shipped inside the package: no download). The languages compared are widely written ones; without
that restriction a short English question reads as Nigerian Pidgin now and then.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

CONFIDENCE = 0.9
MIN_WORDS = 3
# written languages a user of reports on ~130 countries may ask in (ISO 639-1), English first
LANGUAGES = ("en fr es pt de it nl ar ru zh ja ko tr sw pl id hi ur fa am ha yo vi th uk ro sv da no fi cs el "
             "he ms bn ta").split()
# small words that join the capitalised words of a name: "Ministry of Labor", "Cellule Nationale de
# Lutte contre le Travail des Enfants" (also qa.ingest.acronyms' long forms)
NAME_CONNECTORS = frozenset("of for the to against and on in with de des du la le les et pour contre au aux "
                            "d l".split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d.,]*|\S", re.UNICODE)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in LANGUAGES if code in identifier.labels])
    return identifier


def warm_up() -> None:
    """Load the language model now (a server does it at start-up, not on its first question)."""
    with _lock:
        _identifier()


def _is_name_word(token: str) -> bool:
    return token[:1].isupper() or token.isupper()


def _elided(token: str) -> str:
    """A word after its elided article: "d'Action" -> "Action", "l’Enfance" -> "Enfance"."""
    return re.split(r"['’]", token)[-1]


def own_words(text: str) -> list[str]:
    """The question's words without the names it quotes: runs of two or more capitalised words
    (connecting words inside a run belong to it), acronyms and figures."""
    tokens = [t for t in _TOKEN.findall(text) if t[0].isalpha()]
    keep: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        capitals = 0
        # a run: capitalised words, connectors (or elided "d'"/"l'" forms) between them
        while j < len(tokens) and (_is_name_word(_elided(tokens[j]))
                                   or (capitals and tokens[j].lower() in NAME_CONNECTORS)):
            capitals += _is_name_word(_elided(tokens[j]))
            j += 1
        while j > i and tokens[j - 1].lower() in NAME_CONNECTORS:  # a run ends on a capitalised word
            j -= 1
        if capitals >= 2 and j > i:
            i = j
            continue
        word = tokens[i]
        if not (len(word) > 1 and word.isupper()):  # an acronym is a name too
            keep.append(word)
        i += 1
    return keep


def foreign_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in when that is confidently not
    English (see the module docstring); None when it is English or cannot be told."""
    words = own_words(text)
    # scripts written without spaces between words (Chinese, Japanese) count by characters
    if len(words) < MIN_WORDS and sum(len(w) for w in words if not w.isascii()) < 2 * MIN_WORDS:
        return None
    with _lock:  # the identifier keeps per-call state
        code, probability = _identifier().classify(" ".join(words))
    return code if code != "en" and probability >= CONFIDENCE else None


def language_name(code: str) -> str:
    """"es" -> "Spanish" (pycountry's ISO 639 names); the code itself when unknown."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return getattr(found, "name", code) if found is not None else code
