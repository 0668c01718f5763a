"""A question's country-neutral wording: its text without the countries its scope already holds.

Once the scope has restricted the answer to a country's reports (qa.answer.scope decides it before
ranking), the country's name in the question tells none of that report's units apart, yet an
embedding of the question leans toward the units that literally name the country ("Are Malian kids
involved in making boats?" is nearer a sentence about "Malian army officials" than to the row on
canoes). The unit scorer (and dense retrieval within such a scope) can read the question without
it: "Malian kids" -> "kids", "in Mali" -> dropped, "Mali's" -> dropped, the rest kept word for word.

Country mentions are those of :func:`qa.text.countries.find_mentions` (names, official and short
forms, demonyms); no list of countries lives here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import numpy as np

from qa.answer.scorers import Scored
from qa.text.countries import find_mentions

# a preposition (and "the") that only attaches the country to the question ("in Mali", "of the
# Gambia") goes with it; one before a demonym stays ("for Malian children" -> "for children")
_LEADING = re.compile(r"(?:\b(?:in|of|for|from|about|on|across|within|throughout|inside|at|by)\s+)?(?:\bthe\s+)?$",
                      re.I)
_POSSESSIVE = re.compile(r"^(?:['’]s\b|['’](?=\s|$))")


def country_neutral(text: str, countries: Collection[str] | None = None, placeholder: str = "") -> str:
    """``text`` without its mentions of ``countries`` (display names, as in a Scope; None: every
    country it names). A name becomes ``placeholder`` when one is given ("the president of Mali" ->
    "the president of the country": the name says which president), else it goes with the
    preposition that attached it; a demonym goes ("Malian kids" -> "kids"). Returns ``text``
    itself when it names none of them, or when nothing but the names would be left."""
    mentions = [m for m in find_mentions(text) if countries is None or m.country.name in countries]
    if not mentions:
        return text
    out, cursor = [], 0
    for m in mentions:
        before = text[cursor:m.start]
        if m.demonym:
            # a plural demonym is a noun ("How many Malians ...?"): the people it names stay
            out += [before, "people" if m.surface.endswith("s") else _GONE]
        elif placeholder:
            out += [_THE.sub("", before), _NAMED]
        else:
            out += [_LEADING.sub("", before), _GONE]
        cursor = m.end
        possessive = _POSSESSIVE.match(text[cursor:])
        if possessive and not (placeholder and not m.demonym):
            cursor += possessive.end()
    out.append(text[cursor:])
    neutral = _tidy("".join(out)).replace(_NAMED, placeholder)
    return neutral if re.search(r"\w", neutral) else text


_GONE = "\x00"  # where a name was, until the words joining it to the rest are gone too
_NAMED = "\x01"  # where a name was that the placeholder stands in for
_THE = re.compile(r"\bthe\s+$", re.I)
_JOIN = r"(?:,|\band\b|\bor\b|&|\bvs\b\.?|\bversus\b)"


def _tidy(text: str) -> str:
    """Spaces, conjunctions and punctuation left behind by removed names: a list of them goes
    whole ("Mali and Niger"), a kept country loses the "and" that joined it to a removed one."""
    text = re.sub(rf"{_NAMED}(?:\s*{_JOIN}+\s*{_NAMED})+", _NAMED, text)
    text = re.sub(rf"{_GONE}(?:\s*{_JOIN}+\s*{_GONE})+", _GONE, text)
    text = re.sub(rf"{_GONE}\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or|&|vs\.?|versus)\s+)", _GONE + " ", text)
    text = re.sub(rf"\s*,?\s*\b(?:and|or|&)\s*{_GONE}", _GONE, text)
    text = text.replace(_GONE, " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([?.,;:!)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"([,;:])\s*(?=[,;:?.!])", "", text)
    return text.strip().lstrip(",;: ").strip()


def question_vectors(encode: Callable[[list[str]], np.ndarray], text: str, countries: Collection[str],
                     share: float, expand: Callable[[str], str] = lambda q: q) -> tuple[np.ndarray, np.ndarray | None]:
    """The question's own vector, and the one units are ranked against: moved ``share`` of the way
    toward the embedding of its country-neutral wording (1: the neutral wording alone) and
    renormalised; None when it would not differ (``share`` 0, no ``countries`` in the scope, or the
    question names none of them). ``expand`` is the retriever's query expansion, so both wordings
    are embedded as retrieval embeds a query. Costs one more encode when a second vector is made."""
    qvec = encode([expand(text)])[0]
    if share <= 0 or not countries:
        return qvec, None
    neutral = country_neutral(text, countries)
    if neutral == text:
        return qvec, None
    mixed = (1.0 - share) * qvec + share * encode([expand(neutral)])[0]
    norm = float(np.linalg.norm(mixed))
    return qvec, (mixed / norm if norm > 0 else None)


def on_scale_of(asked: list[Scored], neutral: list[Scored]) -> list[Scored]:
    """``neutral``'s ranking (units scored against the moved vector) on the scale of ``asked`` (the
    same units scored against the question as asked): its best unit takes the asked best score, the
    others keep their ratio to it. The neutral wording decides which unit answers; the question's
    own best score whether any does (``abstain_below`` was fitted on it: read against the neutral
    wording alone, unanswerable questions such as "Who is the president of Mali?" were answered)."""
    if not asked or not neutral or neutral[0].score <= 0:
        return asked
    factor = asked[0].score / neutral[0].score
    return [Scored(s.unit, s.score * factor) for s in neutral]
