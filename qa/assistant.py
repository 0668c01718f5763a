"""The one object every front end (CLI, API, eval harness) talks to.

It wires the stages together: corpus -> index -> retriever -> answerer. Construction only stores
settings; ``load()`` does the heavy work once and is idempotent and thread-safe.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from qa.config import Settings
from qa.errors import DocumentNotFound, InvalidInput, NotReady, ReferenceNotFound
from qa.models import Answer, Document, Hit, ReferenceEntry

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
ANSWER_POOL = 6  # passages whose sentences compete for the answer


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    publisher: str
    kind: str
    country: str
    year: int | None
    published: str
    url: str | None
    chunks: int
    references: int
    level: str = ""
    synthetic: bool = False
    origin: dict[str, str] = field(default_factory=dict)  # field -> "catalog" | "inferred"


class Assistant:
    """Answers questions over the indexed corpus.

    ``ask(question, history, doc)`` -> :class:`Answer`; ``search(query, k, doc)`` -> hits.
    Raises :class:`InvalidInput` for an empty or over-long question, :class:`DocumentNotFound`
    for an unknown ``doc`` and :class:`NotReady` when used before ``load()``.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._loaded = False
        self._documents: dict[str, Document] = {}
        self._retriever = None
        self._answerer = None

    # -- lifecycle ---------------------------------------------------------------------------
    def load(self) -> Assistant:
        with self._lock:
            if self._loaded:
                return self
            from qa.answer.answerer import Answerer
            from qa.ingest.corpus import load_corpus
            from qa.index.embed import make_embedder
            from qa.index.embedcache import QueryCache
            from qa.answer.retrieve import Retriever

            self._documents = {d.id: d for d in load_corpus(self.settings)}
            retriever = Retriever(self.settings, embedder=QueryCache(make_embedder(self.settings)))
            retriever.load()
            answerer = Answerer(self.settings, retriever.embedder, self._documents)
            answerer.warm_up(retriever.chunks(), retriever.acronyms())
            self._retriever, self._answerer = retriever, answerer
            self._loaded = True
        return self

    @property
    def ready(self) -> bool:
        return self._loaded

    def _require(self) -> None:
        if not self._loaded:
            raise NotReady("the assistant is still loading")

    # -- documents ---------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        self._require()
        counts = self._retriever.chunk_counts()
        return [
            DocumentSummary(
                id=d.id, title=d.meta.title, publisher=d.meta.publisher, kind=d.meta.kind,
                country=d.meta.country, year=d.meta.year, published=d.meta.published,
                url=d.meta.url, chunks=counts.get(d.id, 0), references=len(d.bibliography),
                level=d.meta.level, synthetic=d.meta.synthetic, origin=dict(d.meta.origin),
            )
            for d in self._documents.values()
        ]

    def document(self, doc_id: str) -> Document:
        self._require()
        try:
            return self._documents[doc_id]
        except KeyError:
            raise DocumentNotFound(f"unknown document id {doc_id!r}") from None

    def reference(self, doc_id: str, number: int) -> ReferenceEntry:
        entry = self.document(doc_id).bibliography.get(number)
        if entry is None:
            n = len(self.document(doc_id).bibliography)
            raise ReferenceNotFound(
                f"{doc_id} has no reference {number}" + (f" (it has 1..{n})" if n else " (it has no bibliography)")
            )
        return entry

    # -- questions ---------------------------------------------------------------------------
    def _check_question(self, question: str, doc: str | None) -> str:
        if not isinstance(question, str) or not question.strip():
            raise InvalidInput("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters")
        if doc is not None:
            self.document(doc)
        return question.strip()

    def search(self, query: str, k: int = 10, doc: str | None = None) -> list[Hit]:
        self._require()
        query = self._check_question(query, doc)
        return self._retriever.search(query, k=k, doc=doc)

    def retrieve(self, question: str, history: list[str] | None = None, doc: str | None = None,
                 k: int | None = None) -> tuple[str, list[Hit]]:
        """Resolve a follow-up against ``history`` (earlier user turns) and retrieve for it.

        Returns the standalone question actually searched and its hits.
        """
        self._require()
        question = self._check_question(question, doc)
        standalone = self._answerer.resolve(question, history or [], lambda q: self._subject_of(q, doc))
        return standalone, self._retriever.search(standalone, k=k or max(self.settings.top_k, 10), doc=doc)

    def _subject_of(self, question: str, doc: str | None) -> str | None:
        """What the best passage for an earlier question is about: a table row's label."""
        from qa.answer.units import table_row

        for hit in self._retriever.search(question, k=3, doc=doc):
            row = table_row(hit.chunk, self._documents.get(hit.chunk.doc_id))
            if row is not None and row.label:
                return row.label
        return None

    def ask(self, question: str, history: list[str] | None = None, doc: str | None = None,
            top_k: int | None = None) -> Answer:
        standalone, hits = self.retrieve(question, history, doc, k=max(top_k or 0, 10))
        # the answerer weighs sentences from a few more passages than are shown as top hits
        pool = max(top_k or self.settings.top_k, ANSWER_POOL)
        return self._answerer.answer(standalone, hits[:pool], doc=doc)

    def index_status(self) -> dict:
        self._require()
        return self._retriever.status()
