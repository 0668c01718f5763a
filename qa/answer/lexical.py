"""Lexical overlap of a question with an answer unit: IDF-weighted share of the question's terms
the unit has, in the shared text layer's terms (qa.text.analysis: stems, number words as digits).

A question word no unit of the corpus uses ("breaches", "kids") weighs as much as the rarest word;
with ``credit`` it is also held, in part, by a unit holding a word WordNet relates to it
("violations", "children"; qa.text.lexicon): the share of the related word's own weight. Words the
corpus uses are never read through the lexicon, so a question in the reports' own words scores as
before."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from qa.text.analysis import normalise, terms
from qa.text.lexicon import Relations, lexicon_for

_MAX_CACHED = 200_000  # unit texts remembered with their terms (a corpus's units; bounded for safety)
_RELATIONS = Relations()  # read without hypernyms: a hypernym is another thing ("boat" for "canoe")


@lru_cache(maxsize=50_000)
def term_set(text: str) -> frozenset[str]:
    """The terms of a unit text (units are scored again and again across questions)."""
    return frozenset(terms(text))


class Weights(dict[str, float]):
    """The weight of each of a question's terms, and for each term no unit uses the related terms
    the corpus does use (``related``) with the share of their weight they earn (``credit``)."""

    def __init__(self, weight: dict[str, float], related: dict[str, frozenset[str]] | None = None,
                 credit: float = 0.0) -> None:
        super().__init__(weight)
        self.related = related or {}
        self.credit = credit

    @staticmethod
    def of(weight: dict[str, float]) -> Weights:
        return weight if isinstance(weight, Weights) else Weights(weight)

    def copy_with(self, changed: dict[str, float]) -> Weights:
        """These weights with some changed (a term set to 0 where a row's own words earn nothing)."""
        return Weights({t: changed.get(t, w) for t, w in self.items()}, self.related, self.credit)


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

    def weights(self, question_terms: Iterable[str], counted: str | None = None, credit: float = 0.0) -> Weights:
        """Weight of each of the question's terms; ``counted`` is the noun a "how many" question
        counts, which matters more than who counts ("how many inspections"); ``credit`` > 0 reads
        the words no unit uses through the lexicon (see the module's docstring)."""
        words = tuple(question_terms)
        weight = {t: self.idf.get(t, self.unseen) for t in terms(words)}
        head = normalise(counted) if counted else None
        if head and head in weight:
            weight[head] *= 2
        return Weights(weight, self._related(words) if credit else None, credit)

    def _related(self, words: tuple[str, ...]) -> dict[str, frozenset[str]]:
        """For each term of a word no unit uses, the terms the corpus uses that WordNet relates to it."""
        out: dict[str, frozenset[str]] = {}
        for word in words:
            own = terms([word])
            if own and not any(t in self.idf for t in own):
                related = frozenset(s for s in lexicon_for(_RELATIONS).related(word.lower(), hypernyms=False)
                                    if s in self.idf)
                out.update({t: related for t in own if related})
        return out

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

    def share(self, weight: dict[str, float], text: str, met: frozenset[str] = frozenset()) -> float:
        """The weighted share of the question's terms ``text`` has (0 when the question has none);
        the terms in ``met`` count as had whatever the text says."""
        total = sum(weight.values())
        if not total:
            return 0.0
        have = self.unit_terms(text) | met
        got = sum(w for t, w in weight.items() if t in have)
        if isinstance(weight, Weights):  # a plain dict reads no word through the lexicon
            for t, related in weight.related.items():
                if t not in have and (held := related & have):
                    got += min(weight[t], weight.credit * min(self.idf[s] for s in held))
        return got / total
