"""Pseudo-relevance feedback (qa.answer.feedback): index statistics say which question terms no
passage holds, and the top dense passages lend their rarest shared terms to the BM25 query."""

from __future__ import annotations

import bm25s

from qa.answer.feedback import TermStats, expansion
from qa.text.analysis import bm25_tokens

PASSAGES = [
    "Non-state armed groups recruited children in 2019.",
    "Armed groups forcibly recruited children as soldiers.",
    "The government allocated funds to education.",
    "Children work in agriculture and in the fields.",
    "Labor inspectors carried out inspections.",
    "The ministry coordinates the national committee.",
    "Children herd cattle and fish.",
    "The budget of the inspectorate rose.",
    "Courts convicted traffickers.",
    "Schools lack teachers and classrooms.",
]


def _stats() -> TermStats:
    bm25 = bm25s.BM25()
    bm25.index([bm25_tokens(p) for p in PASSAGES], show_progress=False)
    return TermStats(bm25, len(PASSAGES))


def test_document_frequencies_come_from_the_bm25_index() -> None:
    stats = _stats()
    assert stats.df(bm25_tokens("children")[0]) == 4
    assert stats.df(bm25_tokens("armed")[0]) == 2
    assert stats.df("militia") == 0
    assert stats.unknown(bm25_tokens("Which militias enlisted minors?"))
    assert not stats.unknown(bm25_tokens("Which armed groups recruited children?"))


def test_the_terms_the_top_passages_share_are_added_not_figures_nor_the_query_s_own() -> None:
    stats = _stats()
    query = bm25_tokens("Which militias enlisted children?")
    added = expansion(stats, query, PASSAGES[:2], 3)
    # shared by both top passages and rare elsewhere: armed, groups, recruited; "children" is in the query
    assert added == bm25_tokens("armed groups recruited")
    assert not set(added) & set(query)
    assert all(not any(ch.isdigit() for ch in t) for t in expansion(stats, query, PASSAGES[:2], 10))
    assert expansion(stats, query, PASSAGES[:2], 0) == []
