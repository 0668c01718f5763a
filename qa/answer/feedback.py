"""Pseudo-relevance feedback for BM25 when the question uses words the reports never use.

A question worded unlike the reports ("Which militias were still enlisting minors?", "What was
the 2019 spending on schooling?") gives BM25 terms that occur in no passage, so the lexical ranking
rests on its few common words and pulls the fusion away from the passages the embedding found. When
a question term is unknown to the index, the best terms of the passages the dense ranking put
first (the rarest in the corpus, summed over those passages) join the BM25 query: the reports' own
words for what the question asked ("armed groups", "education"). A question in the reports' own
words is left as it was. Only index statistics are used (each term's document frequency in the BM25
index); no word list.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from qa.text.analysis import bm25_tokens


class TermStats:
    """Document frequencies of the BM25 index's terms, read from the bm25s index itself (the
    column pointers of its term-by-document score matrix)."""

    def __init__(self, bm25: Any, n_docs: int) -> None:
        self.n_docs = max(n_docs, 1)
        vocab: dict[str, int] = getattr(bm25, "vocab_dict", None) or {}
        indptr = np.asarray(bm25.scores["indptr"]) if getattr(bm25, "scores", None) else np.zeros(1)
        counts = np.diff(indptr) if indptr.size > 1 else np.zeros(0, dtype=np.int64)
        self._df = {term: int(counts[i]) for term, i in vocab.items() if i < counts.size}

    def df(self, term: str) -> int:
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        return math.log(self.n_docs / (1 + self.df(term)))

    def unknown(self, tokens: Iterable[str]) -> bool:
        """True when some term occurs in no indexed passage."""
        return any(self.df(t) == 0 for t in tokens)


def expansion(stats: TermStats, query: list[str], texts: list[str], n_terms: int) -> list[str]:
    """The ``n_terms`` terms of ``texts`` (the top dense passages) to add to ``query``: each scored by
    its idf summed over the passages holding it, so a rare term several of them share comes first.
    Figures are left out (a number is no word for what was asked) and so are the query's own terms."""
    if n_terms < 1:
        return []
    have = set(query)
    weight: Counter[str] = Counter()
    for text in texts:
        for term in dict.fromkeys(bm25_tokens(text)):
            if term in have or any(ch.isdigit() for ch in term) or not stats.df(term):
                continue
            weight[term] += stats.idf(term)
    return [t for t, _ in weight.most_common(n_terms)]
