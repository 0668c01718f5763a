"""Acronyms a document defines, e.g. "National Unit to Fight Against Child Labor (CNLTE)".

Extracted at index time (stored as ``acronyms.json`` in the index folder) and used by the retriever
to expand a query both ways: "CNLTE" gains its long form, and the long form gains "CNLTE".

The long form is the run of capitalised words (with the small connecting words of English and
French names) right before the parenthesis. Initials are deliberately not required to spell the
acronym: many Malian bodies are defined by an English name with a French acronym (CNLTE,
PANETEM, GATIA).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DEFINITION = re.compile(r"\(([A-Z][A-Z0-9&-]{1,11}s?)\)")
_TOKEN = re.compile(r"[\w'’&-]+|,")
_CONNECTORS = frozenset(
    "of for the to against and on in with de des du la le les et pour contre".split()
)
MAX_WORDS = 12


def _long_form(before: str) -> str | None:
    tokens = _TOKEN.findall(before[-200:])
    picked: list[str] = []
    for token in reversed(tokens):
        if token == ",":
            # An enumeration of single names ("Women, Children, and the Family") keeps going; a
            # comma after a longer name ("..., and Tuareg Imghad and Allies Self-Defense Group")
            # ends the long form, since what comes before is another entity of a list.
            segment = picked[len(picked) - picked[::-1].index(",") :] if "," in picked else picked
            if sum(1 for w in segment if w[0].isupper()) == 1:
                picked.append(token)
                continue
            break
        if token[0].isupper() or token.lower() in _CONNECTORS:
            picked.append(token)
            if len(picked) > MAX_WORDS + 4:
                break
            continue
        break
    words = list(reversed(picked))
    while words and (words[0] == "," or words[0].lower() in _CONNECTORS or not words[0][0].isupper()):
        words.pop(0)
    capitalised = [w for w in words if w[0].isupper()]
    if len(capitalised) < 2 or len(capitalised) > MAX_WORDS:
        return None
    text = " ".join(words).replace(" ,", ",")
    return text


def extract_acronyms(texts: Iterable[str]) -> dict[str, list[str]]:
    """Map each defined acronym to its long forms, in order of first appearance.

    Only the text on the same line before ``(ACRONYM)`` is considered, so table cells and headings
    do not run together.
    """
    found: dict[str, list[str]] = {}
    for text in texts:
        for match in _DEFINITION.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            long_form = _long_form(text[line_start : match.start()].rstrip())
            if long_form is None:
                continue
            acronym = match.group(1)
            if not _plausible(acronym, long_form):
                continue
            forms = found.setdefault(acronym, [])
            if long_form not in forms:
                forms.append(long_form)
    return found


def _plausible(acronym: str, long_form: str) -> bool:
    # At least one letter of the acronym must start a capitalised word of the long form: this
    # rejects "(2019)"-like noise and unrelated parentheticals while allowing French acronyms.
    initials = {w[0].upper() for w in long_form.split() if w[0].isupper()}
    return any(ch in initials for ch in acronym if ch.isalpha())


# An acronym a question uses that no report defines or writes may still be spelt out in them
# ("DDR" for "Disarmament, Demobilization, and Reintegration", "WFCL" for "worst forms of child
# labor"): a run of words whose initials spell it, connecting words allowed between them.
_QUESTION_ACRONYM = re.compile(r"(?<![\w-])([A-Z]{3,8})(?:s)?(?![\w-])")
_JOIN = r"[\s,]+(?:(?:" + "|".join(sorted(_CONNECTORS | {"&"})) + r")[\s,]+){0,2}"  # "on the"


def question_acronyms(query: str) -> list[str]:
    """All-capital words of a question not typed in capitals ("What was the DDR program's budget?")."""
    if not re.search(r"[a-z]", query):
        return []
    return list(dict.fromkeys(_QUESTION_ACRONYM.findall(query)))


def spelled_out(acronym: str, texts: Iterable[str]) -> str | None:
    """The words ``texts`` spell ``acronym`` with, or None. Each letter starts a word, in order; a
    connecting word or two may sit between two ("Worst Forms of Child Labor"). Capitalised forms (a name)
    are taken at their first sight; a lower-case run must recur (twice) to be more than chance. The
    most frequent form wins."""
    pattern = re.compile(r"(?<![\w-])" + _JOIN.join(rf"{re.escape(ch)}[\w'’-]*" for ch in acronym) + r"(?![\w-])",
                         re.I)
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for text in texts:
        for m in pattern.finditer(text):
            form = " ".join(m.group(0).split())
            key = form.casefold()
            counts[key] = counts.get(key, 0) + 1
            shown.setdefault(key, form)
    best = sorted(counts, key=lambda k: (-_named(shown[k]), -counts[k]))
    for key in best:
        if _named(shown[key]) or counts[key] >= 2:
            return shown[key]
    return None


def _named(form: str) -> bool:
    """Every word that is not a connecting word is capitalised: a name, not a phrase."""
    return all(w[:1].isupper() for w in re.findall(r"[\w'’-]+", form) if w.casefold() not in _CONNECTORS)


def expansions(query: str, acronyms: dict[str, list[str]]) -> list[str]:
    """Phrases to add to ``query``: long forms of acronyms it uses, acronyms of long forms it uses."""
    extra: list[str] = []
    folded = " ".join(query.split()).casefold()
    for acronym, forms in acronyms.items():
        if re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", query):
            shortest = min(forms, key=len)
            if shortest.casefold() not in folded:
                extra.append(shortest)
        elif any(form.casefold() in folded for form in forms):
            extra.append(acronym)
    return extra


def expand_query(query: str, acronyms: dict[str, list[str]]) -> str:
    extra = expansions(query, acronyms)
    return f"{query} ({'; '.join(extra)})" if extra else query
