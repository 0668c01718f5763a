"""Lexical overlap of a question with an answer unit: IDF-weighted share of the question's terms
the unit has, in the shared text layer's terms (qa.text.analysis: stems, number words as digits).

With a lexicon (qa.text.lexicon, WordNet) a question term the unit lacks still earns part of its
weight when the unit has a word related to it: a synonym or derived form either way, a hypernym of
a unit word ("boats" for "canoes") or of the question word ("schooling" for "education"), at the
relation's weight (< 1, Scoring.lexicon_*), so the report's own word still counts more."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from qa.text.analysis import normalise, terms, words
from qa.text.lexicon import Lexicon

_MAX_CACHED = 200_000  # unit texts remembered with their terms (a corpus's units; bounded for safety)


@lru_cache(maxsize=50_000)
def term_set(text: str) -> frozenset[str]:
    """The terms of a unit text (units are scored again and again across questions)."""
    return frozenset(terms(text))


class Weights(dict[str, float]):
    """A question's term weights; with a lexicon also each term's related stems (``related``)."""

    def __init__(self, weight: dict[str, float], lexicon: Lexicon | None = None,
                 related: dict[str, dict[str, float]] | None = None) -> None:
        super().__init__(weight)
        self.lexicon = lexicon
        self.related = related or {}


class Overlap:
    """IDF-weighted word overlap, with word statistics learnt once from the corpus's unit texts."""

    def __init__(self, texts: Iterable[str] = (), acronyms: dict[str, list[str]] | None = None) -> None:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(term_set(text))
            n += 1
        n = max(1, n)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        # a word the corpus never uses weighs as much as its rarest one
        self.unseen = max(self.idf.values(), default=1.0)
        # An acronym a document defines means its long form: a unit saying "the BPMC employed 25 staff"
        # has the words of "Police Brigade for the Protection of Morals and Children" for a question
        # that names the body in its own words ("the police children's brigade").
        self._meanings = {a: frozenset(terms(" ".join(forms))) for a, forms in (acronyms or {}).items() if forms}
        names = sorted(self._meanings, key=len, reverse=True)
        self._acronym = re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, names))})(?![\w-])") if names else None
        self._terms: dict[str, frozenset[str]] = {}

    def weights(self, question_terms: Iterable[str], counted: str | None = None,
                lexicon: Lexicon | None = None) -> Weights:
        """Weight of each of the question's terms; ``counted`` is the noun a "how many" question
        counts, which matters more than who counts ("how many inspections"). With ``lexicon`` a
        term missing from a unit is credited for a related word the unit has (:meth:`share`)."""
        question_terms = tuple(question_terms)
        weight = {t: self.idf.get(t, self.unseen) for t in terms(question_terms)}
        head = normalise(counted) if counted else None
        if head and head in weight:
            weight[head] *= 2
        if lexicon is None:
            return Weights(weight)
        related: dict[str, dict[str, float]] = {}
        for word in question_terms:
            for part in (word.lower(), *word.lower().split("-")):
                term = normalise(part)
                if term in weight:  # the question word's own synonyms, derived forms and hypernyms
                    related.setdefault(term, {}).update(lexicon.related(part))
        return Weights(weight, lexicon, related)

    def unit_terms(self, text: str) -> frozenset[str]:
        """The terms of a unit text, with the long-form words of every defined acronym it uses."""
        if self._acronym is None:
            return term_set(text)  # nothing to add: term_set's own cache is enough
        have = self._terms.get(text)
        if have is None:
            have = term_set(text)
            for acronym in set(self._acronym.findall(text)):
                have |= self._meanings[acronym]
            if len(self._terms) < _MAX_CACHED:
                self._terms[text] = have
        return have

    def share(self, weight: dict[str, float], text: str) -> float:
        """The weighted share of the question's terms ``text`` has (0 when the question has none)."""
        total = sum(weight.values())
        if not total:
            return 0.0
        have = self.unit_terms(text)
        got = sum(w for t, w in weight.items() if t in have)
        lexicon = getattr(weight, "lexicon", None)
        if lexicon is not None:
            got += sum(self._credit(lexicon, weight, t, have, text)  # type: ignore[arg-type]
                       for t, w in weight.items() if t not in have and t in weight.related)  # type: ignore[attr-defined]
        return got / total

    def _credit(self, lexicon: Lexicon, weight: Weights, term: str, have: frozenset[str], text: str) -> float:
        """What a missing question term earns through a related word the unit has: the relation's
        weight times the lesser of the two words' IDF. The unit's word is the evidence, so a common
        one earns little (a question's unseen "kids" weighs the most, the report's "children" little)."""
        idf = self.idf.get
        cap = weight[term]
        best = max((w * min(cap, idf(s, self.unseen)) for s, w in weight.related[term].items() if s in have),
                   default=0.0)
        sources = unit_related(lexicon, text).get(term, {})
        return max(best, max((w * min(cap, idf(s, self.unseen)) for s, w in sources.items()), default=0.0))


@lru_cache(maxsize=50_000)
def unit_related(lexicon: Lexicon, text: str) -> dict[str, dict[str, float]]:
    """For every stem related to some word of a unit text, the unit words' stems that reach it with
    their relation's weight (cached per lexicon and text: units are scored again and again)."""
    out: dict[str, dict[str, float]] = {}
    for word in set(words(text)):
        for part in word.split("-"):
            source = normalise(part)
            if not source:
                continue
            for s, w in lexicon.related(part).items():
                reach = out.setdefault(s, {})
                if w > reach.get(source, 0.0):
                    reach[source] = w
    return out
