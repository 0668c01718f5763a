"""Retrieval stage: question -> ranked :class:`Hit` list, dense (FAISS) + BM25, fused.

Fusion is reciprocal-rank fusion (``1 / (rrf_k + rank)`` summed over both rankings): the two
score scales (cosine vs. BM25) are not comparable, and on eval/golden.jsonl RRF beat a tuned convex
combination of min-max-normalised scores and both single retrievers (figures: bench/retrieval.py).
Queries are expanded with acronyms the corpus defines (qa.ingest.acronyms). An optional cross-encoder
(``settings.reranker``, a local folder) reorders the fused candidates.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Container
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.answer.features import answer_type, asks_hypothetical, chunk_counts, counted_noun
from qa.answer.question import analyse
from qa.index import status, store
from qa.index.ann import apply_search_params, search, search_params
from qa.ingest.acronyms import expand_query, question_acronyms, spelled_out
from qa.text.analysis import bm25_tokens
from qa.errors import DocumentNotFound, InvalidInput, ModelUnavailable, NotReady
from qa.models import Chunk, Hit
from qa.text.countries import canonical
from qa.text.textmatch import passage_text

if TYPE_CHECKING:
    from qa.answer.scope import Scope
    from qa.config import Settings
    from qa.index.embed import Embedder

logger = logging.getLogger(__name__)

CANDIDATES = 50  # per retriever, before fusion
RERANK_DEPTH = 30
SPELLED_KEPT = 1024  # expansions of questions with unknown acronyms kept
SPELLED_DEPTH = 50  # passages per ranker searched for an unknown acronym's words
FILTERS_KEPT = 256  # row sets (scopes) whose FAISS filters are kept built


def with_answer_word(query: str) -> str:
    """An age asked without the word ("How old do you have to be to get a job?") names it for the
    search: the reports state every age with it ("Minimum Age for Work", "children ages 5 to 14"),
    and the question's own words ("old", "job") may be in no passage that answers it."""
    if answer_type(analyse(query)) == "age" and not re.search(r"\bages?\b", query, re.I):
        return f"{query} (age)"
    return query


def rrf(rankings: list[list[int]], k: int) -> dict[int, float]:
    """Reciprocal-rank fusion of several best-first rankings of row ids."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return fused


class Retriever:
    """Hybrid retriever over the index folder ``settings.index_path``.

    ``load()`` reads the index and the embedding model (idempotent, thread-safe); it raises
    :class:`IndexMissing` when there is no index and :class:`IndexMismatch` when the index was built
    with another model. ``search`` raises :class:`NotReady` before ``load()``.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        from qa.index.embed import make_embedder

        self.settings = settings
        self.embedder: Embedder = embedder if embedder is not None else make_embedder(settings)
        self._lock = threading.Lock()
        self._loaded = False
        self._chunks: list[Chunk] = []
        self._index: Any = None
        self._sentences: Any = None
        self._owners = np.zeros(0, dtype=np.int64)
        self._bm25: Any = None
        self._acronyms: dict[str, list[str]] = {}
        self._documents: dict[str, dict[str, Any]] = {}
        self._manifest: dict[str, Any] = {}
        self._rows_by_doc: dict[str, np.ndarray] = {}
        self._reranker: Any = None
        # row-set digest -> (chunk search params, sentence ids, sentence search params)
        self._filters: OrderedDict[bytes, tuple[Any, np.ndarray | None, Any]] = OrderedDict()
        self._filters_lock = threading.Lock()
        self._spelled_lock = threading.Lock()
        self._spelled: dict[str, str] = {}  # question -> its expansion, when it has an unknown acronym

    def load(self) -> Retriever:
        with self._lock:
            if self._loaded:
                return self
            path = self.settings.index_path
            manifest = store.read_manifest(self.settings)
            store.check_compatible(manifest, self.embedder, path)
            self._chunks = store.read_chunks(path)
            self._index = store.read_vectors(path)
            apply_search_params(self._index, manifest["ann"])
            self._sentences, self._owners = store.read_sentence_vectors(path)
            apply_search_params(self._sentences, manifest["ann_sentences"])
            self._bm25 = store.read_bm25(path)
            self._acronyms = store.read_acronyms(path)
            self._documents = manifest["documents"]
            self._manifest = manifest
            rows: dict[str, list[int]] = {}
            for row, chunk in enumerate(self._chunks):
                rows.setdefault(chunk.doc_id, []).append(row)
            self._rows_by_doc = {d: np.asarray(r, dtype=np.int64) for d, r in rows.items()}
            self.embedder.load()
            if self.settings.reranker:
                self._reranker = _load_reranker(self.settings.reranker)
            self._loaded = True
        return self

    # -- views --------------------------------------------------------------------------------
    def chunks(self) -> list[Chunk]:
        self._require()
        return list(self._chunks)

    def indexed_documents(self) -> dict[str, dict[str, Any]]:
        """Document id -> the metadata the index was built with (country, year, kind, ...)."""
        self._require()
        return dict(self._documents)

    def chunk_counts(self) -> dict[str, int]:
        self._require()
        return dict(Counter(c.doc_id for c in self._chunks))

    def vocabulary(self) -> Container[str]:
        """The BM25 index's terms (qa.text.analysis.bm25_tokens): every word some passage has."""
        self._require()
        return getattr(self._bm25, "vocab_dict", None) or {}

    def acronyms(self) -> dict[str, list[str]]:
        self._require()
        return dict(self._acronyms)

    def status(self) -> dict[str, Any]:
        """Manifest summary plus ``stale`` (the corpus or chunker changed since the build)."""
        return status.index_status(self.settings).to_json()

    def _require(self) -> None:
        if not self._loaded:
            raise NotReady("the retriever is not loaded; call load() first")

    # -- search -------------------------------------------------------------------------------
    def allowed_rows(self, doc: str | None = None, kind: str | None = None, country: str | None = None,
                     year: int | None = None, scope: Scope | None = None) -> np.ndarray | None:
        """Row ids passing the filters, or None when no filter is set. Countries compare in their
        canonical form ("Ivory Coast" = "Côte d'Ivoire")."""
        if doc is None and kind is None and country is None and year is None and (scope is None or not scope.restricted):
            return None
        wanted = canonical(country).casefold() if country is not None else None
        keep = []
        for doc_id, meta in self._documents.items():
            if doc is not None and doc_id != doc:
                continue
            if kind is not None and meta.get("kind") != kind:
                continue
            if wanted is not None and canonical(meta.get("country") or "").casefold() != wanted:
                continue
            if year is not None and meta.get("year") != year:
                continue
            if scope is not None and not scope.admits(doc_id, meta.get("country") or "", meta.get("year"),
                                                      meta.get("kind") or ""):
                continue
            keep.append(self._rows_by_doc.get(doc_id, np.zeros(0, dtype=np.int64)))
        return np.concatenate(keep) if keep else np.zeros(0, dtype=np.int64)

    def search(self, query: str, k: int = 10, doc: str | None = None, kind: str | None = None,
               country: str | None = None, year: int | None = None, scope: Scope | None = None) -> list[Hit]:
        """The ``k`` best chunks for ``query`` (best first), optionally filtered by document metadata
        and a question's :class:`Scope`. Filters restrict the rows both rankers see (a FAISS ID
        selector, masked BM25 scores) before ranking, so a scope never comes back empty because a
        global top-k held none of its rows."""
        self._require()
        if not query or not query.strip():
            raise InvalidInput("the query is empty")
        if k < 1:
            raise InvalidInput("k must be at least 1")
        if doc is not None and doc not in self._documents:
            raise DocumentNotFound(f"unknown document id {doc!r}")
        rows = self.allowed_rows(doc, kind, country, year, scope)
        if rows is not None and rows.size == 0:
            return []
        expanded = self.expanded(query.strip(), rows)
        depth = max(CANDIDATES, k)
        dense = self.dense_ranking(expanded, depth, rows)
        sparse = self.bm25_ranking(expanded, depth, rows)
        fused = rrf([list(dense), list(sparse)], self.settings.rrf_k)
        self._count_first(query, fused)
        pinned = self.reference_rows(query, rows)
        for row in pinned:
            fused.setdefault(row, 0.0)
        # An asked-for bibliography entry ("What is reference 53?") is an exact look-up, not a
        # similarity question: it goes first. Other ties go to the dense score.
        order = sorted(fused, key=lambda r: (r not in pinned, -fused[r], -dense.get(r, -1.0)))
        if self._reranker is None:
            order = order[:k]  # only the hits returned are made (fusion ranks up to 100 rows)
        hits = [Hit(self._chunks[r], fused[r], dense.get(r), sparse.get(r)) for r in order]
        if self._reranker is not None:
            hits = self._rerank(query, hits[:RERANK_DEPTH]) + hits[RERANK_DEPTH:]
        return hits[:k]

    def _count_first(self, query: str, fused: dict[int, float]) -> None:
        """A "how many" question's answer type joins the fusion as a third ranking, weighted by
        ``settings.count_fusion``: the candidates stating a count of the noun asked ("Number of
        Convictions | 2019: 0" for "How many convictions ...?"), in their fused order. Rows that
        only share the question's other words ("... the Worst Forms of Child Labor | Unknown")
        cannot answer it, and without it their order against the counting row is a near-tie that
        any other passage's move flips."""
        weight = self.settings.count_fusion
        info = analyse(query)
        noun = counted_noun(info) if weight > 0 and info.kind == "number" else None
        if noun is None:
            return
        hypothetical = asks_hypothetical(info)
        counting = [r for r in sorted(fused, key=lambda r: -fused[r])
                    if chunk_counts(self._chunks[r], noun, hypothetical)]
        for row, score in rrf([counting], self.settings.rrf_k).items():
            fused[row] += weight * score

    def expanded(self, query: str, rows: np.ndarray | None = None) -> str:
        """``query`` with the long forms of acronyms the corpus defines, and of acronyms it only
        spells out ("DDR": "Disarmament, Demobilization, and Reintegration"). The answerer embeds
        the same text (remembered per question), so the question is encoded the same way twice."""
        query = with_answer_word(expand_query(query, self._acronyms))
        vocabulary = getattr(self._bm25, "vocab_dict", {})
        # defined, or written as such somewhere: BM25 and the defined form see it already
        unknown = [a for a in question_acronyms(query)
                   if a not in self._acronyms and not all(t in vocabulary for t in bm25_tokens(a))]
        if not unknown:
            return query
        with self._spelled_lock:
            if query in self._spelled:
                return self._spelled[query]
        texts = self._nearby_texts(query, rows)
        extra = [form for a in unknown if (form := spelled_out(a, texts)) is not None
                 and form.casefold() not in query.casefold()]
        out = f"{query} ({'; '.join(extra)})" if extra else query
        with self._spelled_lock:
            self._spelled[query] = out
            while len(self._spelled) > SPELLED_KEPT:
                self._spelled.pop(next(iter(self._spelled)))
        return out

    def _nearby_texts(self, query: str, rows: np.ndarray | None) -> list[str]:
        """The texts of the passages the question finds without its unknown acronyms' words: where
        the words that spell them sit when the reports have them ("the value of the national DDR
        programme" finds the programmes table). A bounded look, whatever the size of the corpus."""
        found = set(self.dense_ranking(query, SPELLED_DEPTH, rows)) | set(self.bm25_ranking(query, SPELLED_DEPTH, rows))
        return [self._chunks[r].text for r in sorted(found)]

    def reference_rows(self, query: str, rows: np.ndarray | None) -> set[int]:
        """Rows of the bibliography entries a look-up question asks for ("What is reference 53?")."""
        from qa.answer.question import analyse

        number = analyse(query).reference
        if number is None:
            return set()
        allowed = None if rows is None else set(rows.tolist())
        return {row for row, c in enumerate(self._chunks)
                if c.kind == "reference" and number in c.refs and (allowed is None or row in allowed)}

    def dense_ranking(self, query: str, depth: int, rows: np.ndarray | None) -> dict[int, float]:
        """Row -> best cosine of the chunk or one of its sentences, for the best ``depth`` rows, best first."""
        vector = self.embedder.encode([query])
        chunk_params, sentence_ids, sentence_params = self._filter(rows)
        best: dict[int, float] = {}
        for row, score in search(self._index, self._manifest["ann"], vector, depth, rows, chunk_params):
            best[row] = max(score, best.get(row, -1.0))
        found = search(self._sentences, self._manifest["ann_sentences"], vector, 3 * depth, sentence_ids,
                       sentence_params)
        owners = self._owners[[sid for sid, _ in found]].tolist() if found else []
        for row, (_, score) in zip(owners, found, strict=True):
            best[row] = max(score, best.get(row, -1.0))
        order = sorted(best, key=lambda r: -best[r])[:depth]
        return {r: best[r] for r in order}

    def _filter(self, rows: np.ndarray | None) -> tuple[Any, np.ndarray | None, Any]:
        """The FAISS filters for ``rows`` (the chunks' and their sentences'), built once per row set:
        questions about one country or edition repeat the same few sets, and building the filters
        (hash sets of ids) cost more CPU than the searches themselves."""
        if rows is None:
            return None, None, None
        key = hashlib.blake2b(rows.tobytes(), digest_size=16).digest()
        with self._filters_lock:
            kept = self._filters.get(key)
            if kept is not None:
                self._filters.move_to_end(key)
                return kept
        sentence_ids = np.flatnonzero(np.isin(self._owners, rows))
        kept = (search_params(self._manifest["ann"], rows), sentence_ids,
                search_params(self._manifest["ann_sentences"], sentence_ids))
        with self._filters_lock:
            self._filters[key] = kept
            while len(self._filters) > FILTERS_KEPT:
                self._filters.popitem(last=False)
        return kept

    def bm25_ranking(self, query: str, depth: int, rows: np.ndarray | None) -> dict[int, float]:
        """Row -> BM25 score for the best ``depth`` rows with a positive score, best first."""
        tokens = bm25_tokens(query)
        if not tokens:
            return {}
        scores = self._bm25.get_scores(tokens)[: len(self._chunks)]
        if rows is not None:
            masked = np.full_like(scores, -1.0)
            masked[rows] = scores[rows]
            scores = masked
        top = np.argsort(-scores, kind="stable")[:depth]
        return {int(r): float(scores[r]) for r in top if scores[r] > 0}

    def _rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        from dataclasses import replace

        if not hits:
            return hits
        scores = self._reranker.predict([(query, passage_text(h.chunk)) for h in hits], show_progress_bar=False)
        scored = [replace(h, rerank_score=float(s)) for h, s in zip(hits, scores, strict=True)]
        return sorted(scored, key=lambda h: -h.rerank_score)  # type: ignore[operator]


def _load_reranker(path: str) -> Any:
    """A local sentence-transformers CrossEncoder; never downloads (HF_HUB_OFFLINE is set)."""
    import os
    from pathlib import Path

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ModelUnavailable(f"reranker model folder not found: {folder}")
    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(str(folder), device="cpu")
    except Exception as exc:  # many failure types; one clear message
        raise ModelUnavailable(f"cannot load reranker from {folder}: {exc}") from exc
