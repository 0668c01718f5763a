"""The one object every front end (CLI, API, eval harness) talks to.

It wires the stages together: corpus -> index -> retriever -> answerer. Construction only stores
settings; ``load()`` does the heavy work once and is idempotent and thread-safe.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from qa.config import Settings
from qa.errors import DocumentNotFound, InvalidInput, NotReady, ReferenceNotFound
from qa.models import Answer, Chunk, Document, DocumentFailure, Hit, ReferenceEntry

if TYPE_CHECKING:
    from qa.answer.acronym_scope import AcronymNames
    from qa.answer.scope import DocInfo, Scope

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


def checked_question(question: object) -> str:
    """The question without surrounding blanks and control characters (each read as a space),
    compatibility characters in their plain form (NFKC);
    InvalidInput when it is empty, too long, or has no letter or digit ("???", control characters
    only: nothing to search for)."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidInput("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    # compatibility forms read as their plain ones: full-width "２０１９" (a CJK input method) is the
    # year 2019, a PDF's ligature "ﬁnes" the word "fines"
    cleaned = "".join(ch if ch.isprintable() else " " for ch in unicodedata.normalize("NFKC", question)).strip()
    if not any(ch.isalnum() for ch in cleaned):
        raise InvalidInput("the question has no words: write it in letters or digits")
    return cleaned


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
    status: str = "ok"  # "stale": the file now fails, the version indexed earlier still answers
    reason: str | None = None  # why, when stale


class Assistant:
    """Answers questions over the indexed corpus.

    ``ask(question, history, doc)`` -> :class:`Answer`; ``search(query, k, doc)`` -> hits.
    Raises :class:`InvalidInput` for an empty or over-long question, :class:`DocumentNotFound`
    for an unknown ``doc`` and :class:`NotReady` when used before ``load()``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._loaded = False
        self._documents: dict[str, Document] = {}
        self._retriever = None
        self._answerer = None
        self._failures: list[DocumentFailure] = []
        self._acronyms: AcronymNames | None = None  # which documents name the index's acronyms

    # -- lifecycle ---------------------------------------------------------------------------
    def load(self) -> Assistant:
        with self._lock:
            if self._loaded:
                return self
            from qa.answer.answerer import Answerer
            from qa.answer.retrieve import Retriever
            from qa.index.embed import make_embedder
            from qa.index.batching import MicroBatcher
            from qa.index.embedcache import QueryCache
            from qa.index.store import read_documents
            from qa.answer.acronym_scope import AcronymNames
            from qa.text.language import warm_up as warm_language

            # concurrent questions (server threads) are encoded together, one model call per batch
            embedder = QueryCache(MicroBatcher(make_embedder(self.settings), self.settings.encode_batch_max,
                                               self.settings.encode_batch_wait_ms))
            # Importing torch and the model takes seconds whatever the corpus; it overlaps with
            # reading the index. (load() is idempotent and locked: the retriever's call waits for
            # it, and raises its error if it failed here.)
            threading.Thread(target=_quietly, args=(embedder.load,), name="qa-model-load", daemon=True).start()
            # the language model a question's language is read with (~0.6 s), not on the first question
            threading.Thread(target=_quietly, args=(warm_language,), name="qa-language-load", daemon=True).start()
            # the documents the build parsed, so start-up does not parse the corpus again
            indexed = read_documents(self.settings)
            if indexed is not None:
                # failed files and stale documents as the build recorded them
                self._documents, self._failures = {d.id: d for d in indexed}, _recorded_failures(self.settings)
            else:
                self._documents, self._failures = _read_corpus(self.settings)
            retriever = Retriever(self.settings, embedder=embedder)
            retriever.load()
            answerer = Answerer(self.settings, retriever.embedder, self._documents)
            answerer.warm_up(retriever.chunks(), retriever.acronyms(), retriever.expanded)
            self._acronyms = AcronymNames(retriever.acronyms(), {d.id: d.text for d in self._documents.values()})
            self._retriever, self._answerer = retriever, answerer
            self._loaded = True
        return self

    @property
    def ready(self) -> bool:
        return self._loaded

    def failures(self) -> list[DocumentFailure]:
        """Corpus files that could not be indexed, with the reasons (``stale``: an earlier version answers)."""
        self._require()
        return list(self._failures)

    def verify_index(self) -> None:
        """Hash every file of the index against its manifest; :class:`IndexDamaged` naming the
        first bad file. Reads the whole index (the server runs it in the background once ready;
        ``load()`` only checks presence and sizes)."""
        from qa.index.verify import damage_error, verify_folder

        report = verify_folder(self.settings.index_path, hashes=True)
        problems = [p for p in report.problems if p.kind != "unexpected"]  # a stray file harms nothing
        if problems:
            raise damage_error(self.settings.index_path, problems)

    def _require(self) -> None:
        if not self._loaded:
            raise NotReady("the assistant is still loading")

    # -- documents ---------------------------------------------------------------------------
    def documents(self) -> list[DocumentSummary]:
        self._require()
        counts = self._retriever.chunk_counts()
        stale = {f.doc_id: f.reason for f in self._failures if f.stale}
        return [
            DocumentSummary(
                id=d.id, title=d.meta.title, publisher=d.meta.publisher, kind=d.meta.kind,
                country=d.meta.country, year=d.meta.year, published=d.meta.published,
                url=d.meta.url, chunks=counts.get(d.id, 0), references=len(d.bibliography),
                status="stale" if d.id in stale else "ok", reason=stale.get(d.id),
                level=d.meta.level, synthetic=d.meta.synthetic, origin=dict(d.meta.origin),
            )
            for d in self._documents.values()
        ]

    def document(self, doc_id: str) -> Document:
        self._require()
        try:
            return self._documents[doc_id]
        except KeyError:
            failed = next((f.reason for f in self._failures if f.doc_id == doc_id), None)
            if failed is not None:
                raise DocumentNotFound(f"document {doc_id!r} is not indexed: {failed}") from None
            raise DocumentNotFound(f"unknown document id {doc_id!r}") from None

    def passages(self, doc_id: str) -> list[Chunk]:
        """The indexed chunks of ``doc_id`` in document order (their ``id`` is a source's anchor,
        ``start``/``end`` its place in the document's text); :class:`DocumentNotFound` if unknown."""
        self.document(doc_id)
        return sorted((c for c in self._retriever.chunks() if c.doc_id == doc_id), key=lambda c: (c.start, c.end))

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
        question = checked_question(question)
        if doc is not None:
            self.document(doc)
        return question

    def _indexed(self, question: str = "") -> list[DocInfo]:
        """The indexed documents as scoping sees them; with ``question``, each knows which of the
        acronyms the question writes it names."""
        from qa.answer.scope import DocInfo

        named = self._acronyms.in_question(question) if question and self._acronyms else {}
        return [DocInfo(doc_id, m.get("country") or "", m.get("year"), m.get("kind") or "",
                        named.get(doc_id, frozenset()))
                for doc_id, m in self._retriever.indexed_documents().items()]

    def scope(self, question: str, history: list[str] | None = None, doc: str | None = None,
              country: str | None = None, year: int | None = None) -> Scope:
        """The question's :class:`Scope` (countries, editions, documents), decided once.

        Raises :class:`InvalidInput` for a ``country`` filter that is no country."""
        from qa.answer.question import analyse

        return self._scope(question, history, doc, country, year, analyse(question).comparison)

    def _scope(self, question: str, history: list[str] | None, doc: str | None, country: str | None,
               year: int | None, comparison: bool, indexed: list[DocInfo] | None = None) -> Scope:
        from qa.answer.scope import decide_scope

        self._require()
        indexed = indexed if indexed is not None else self._indexed(question)
        return decide_scope(question, history or [], indexed, doc=doc, country=country, year=year,
                            comparison=comparison)

    def search(self, query: str, k: int | None = None, doc: str | None = None, country: str | None = None,
               year: int | None = None) -> list[Hit]:
        """The ``k`` (default: the ``search_k`` setting) best-ranked passages for ``query``. ``country``
        (a name or ISO code) and ``year`` (an edition) filter before ranking, like ``doc``; a query
        naming a country is scoped to it as well."""
        self._require()
        query = self._check_question(query, doc)
        scope = self.scope(query, [], doc, country, year)
        if scope.impossible:
            return []
        return self._retriever.search(query, k=k or self.settings.search_k, doc=doc, scope=scope)

    def search_note(self, query: str, doc: str | None = None, country: str | None = None,
                    year: int | None = None) -> str | None:
        """Why ``search`` finds nothing whatever the index holds: the query or filters name only
        countries no indexed report covers, or filters no indexed report passes ("year": 2018 with
        only 2019 editions indexed); None otherwise."""
        from qa.answer.multidoc import search_note

        self._require()
        query = self._check_question(query, doc)
        return search_note(self.scope(query, [], doc, country, year), self._indexed(query))

    def retrieve(self, question: str, history: list[str] | None = None, doc: str | None = None,
                 k: int | None = None, scope: Scope | None = None) -> tuple[str, list[Hit]]:
        """Resolve a follow-up against ``history`` (earlier user turns) and retrieve for it: the
        standalone question actually searched, and its hits."""
        self._require()
        question = self._check_question(question, doc)
        scope = scope if scope is not None else self.scope(question, history, doc)
        standalone = self._answerer.resolve(question, history or [], lambda q: self._subject_of(q, doc, scope))
        hits = [] if scope.impossible else self._retriever.search(
            standalone, k=k or max(self.settings.top_k, 10), doc=doc, scope=scope)
        return standalone, hits

    def _subject_of(self, question: str, doc: str | None, scope: Scope | None = None) -> str | None:
        """What an earlier question is about, for "it" in the next turn: a table row's label. For a
        "which/who" question, the row its answer quotes ("Which police unit investigates crimes
        against children?" -> the BPMC's row, not the investigations count beside it); else the
        best passage's row."""
        from qa.answer.question import analyse, main_clause
        from qa.answer.units import table_row
        from qa.ingest.acronyms import extract_acronyms

        # past a leading scope phrase: "In the 2018 report, which unit ...?" asks "which" too
        if analyse(question).kind == "name" or re.match(r"\s*(which|who)\b", main_clause(question.lower())):
            hits = self._retriever.search(question, k=max(self.settings.top_k, 10), doc=doc, scope=scope)
            answer = self._answerer.answer(question, hits[:ANSWER_POOL], doc=doc, scope=scope, retrieved=hits)
            chunks = {h.chunk.id: h.chunk for h in hits}
            if not answer.abstained and answer.units and (chunk := chunks.get(answer.units[0].anchor)):
                row = table_row(chunk, self._documents.get(chunk.doc_id))
                if row is not None and row.label:
                    return row.label
                # a sentence naming a body it defines: "the Brigade for the ... (BPMC) reported ..."
                if defined := extract_acronyms([answer.units[0].text]):
                    acronym, forms = next(iter(defined.items()))
                    return f"{forms[0]} ({acronym})"
            hits = hits[:3]  # the best passages, as the search below would return them
        else:
            hits = self._retriever.search(question, k=3, doc=doc, scope=scope)
        for hit in hits:
            row = table_row(hit.chunk, self._documents.get(hit.chunk.doc_id))
            if row is not None and row.label:
                return row.label
        return None

    def ask(self, question: str, history: list[str] | None = None, doc: str | None = None,
            top_k: int | None = None, country: str | None = None, year: int | None = None) -> Answer:
        """The cited answer to ``question``. ``history`` holds earlier user turns (follow-ups keep
        their country); ``doc``, ``country`` (name or ISO code) and ``year`` (edition) restrict the
        documents that may answer. A question naming only unindexed countries is declined; one
        naming several countries, comparing editions or ranking countries (qa.answer.ranking) gets
        one line per country or edition, each from its own report."""
        from qa.answer.question import analyse
        from qa.answer.lookups import foreign_answer, unmentioned_answer
        from qa.answer.acronym_scope import left_note
        from qa.answer.mentioning import listing_answer
        from qa.answer.ranking import per_country, ranked_lead

        self._require()
        question = self._check_question(question, doc)
        declined = foreign_answer(question) or unmentioned_answer(question, self._retriever.vocabulary())
        ranking = per_country(question, self._indexed_countries, history) if doc is None and country is None else None
        if declined is not None or isinstance(ranking, Answer):
            return declined or ranking  # type: ignore[return-value]
        (question, lead), asked_as = (ranking if ranking is not None else (question, None)), question
        comparison = analyse(question).comparison
        indexed = self._indexed(question)  # once a question: scoping reads it several times below
        scope = self._scope(question, history, doc, country, year, comparison, indexed)
        if doc is None and (listed := listing_answer(self, question, scope, indexed, history or [])) is not None:
            return listed  # "Which editions of the Mali report are indexed?", "Which reports mention mercury?"
        answer = self._answer_in(question, history, doc, top_k, scope, comparison, indexed)
        if note := (lead and ranked_lead(asked_as, lead, answer, indexed)) or left_note(scope, indexed):
            text = answer.extra.get("reason_text") if answer.abstained else None
            answer = replace(answer, answer=f"{note}\n{answer.answer}",
                             extra={**answer.extra, "reason_text": f"{note} {text}"} if text else answer.extra)
        return answer

    def _answer_in(self, question: str, history: list[str] | None, doc: str | None, top_k: int | None,
                   scope: Scope, comparison: bool, indexed: list[DocInfo]) -> Answer:
        from qa.answer.acronym_scope import unwritten_answer
        from qa.answer.multidoc import unmatched_answer, with_unindexed_note
        from qa.answer.scope import own_edition, part_edition, with_edition_named

        if scope.impossible:
            return self._answerer.unindexed(scope, self._indexed_countries())
        if (unmatched := unmatched_answer(scope, indexed)) is not None:
            return unmatched
        # the turn as resolved: "What about in Niger?" after questions on the CNLTE asks about the CNLTE
        asked = self._answerer.resolve(question, history or [])
        writing = indexed if asked == question else self._indexed(asked)  # which documents name its acronyms
        if (unwritten := unwritten_answer(asked, scope, writing)) is not None:
            return unwritten
        question = with_edition_named(question, scope.editions)
        parts = scope.parts(comparison)
        if len(parts) == 1 and not (comparison and scope.unindexed):
            # the report on the year asked answers it; a later edition's table only when it is not indexed
            own = own_edition(scope, indexed) or scope
            return with_unindexed_note(self._ask_in(question, history, doc, top_k, own), scope)
        from qa.answer.multidoc import combine, part_question
        from qa.answer.llm import ABSTAIN_SENTENCE

        # a part whose reports never write the question's acronym says so ("Niger: The Niger report
        # does not mention CNLTE; ...") instead of quoting another body's row
        answers = [(p.describe(), unmatched_answer(p, indexed) or unwritten_answer(asked, p, writing)
                    or self._ask_in(part_question(question, *p.countries) if len(p.countries) == 1 else question,
                                    history, doc, top_k, part_edition(p, indexed), part=True)) for p in parts]
        answers += [(c, self._answerer.unindexed(scope, self._indexed_countries())) for c in scope.unindexed]
        return combine(answers, ABSTAIN_SENTENCE)

    def _ask_in(self, question: str, history: list[str] | None, doc: str | None, top_k: int | None,
                scope: Scope, part: bool = False) -> Answer:
        standalone, hits = self.retrieve(question, history, doc, k=max(top_k or 0, 10), scope=scope)
        # the answerer weighs sentences from a few more passages than are shown as top hits
        pool = max(top_k or self.settings.top_k, ANSWER_POOL)
        if part:  # one line of a comparison: its question words name the comparison, not the figure
            pool = max(pool, len(hits))
        return self._answerer.answer(standalone, hits[:pool], doc=doc, scope=scope, label=True if part else None,
                                     part=part, retrieved=hits)

    def _indexed_countries(self) -> list[str]:
        from qa.answer.scope import indexed_countries

        return indexed_countries(self._indexed())

    def index_status(self) -> dict:
        self._require()
        return self._retriever.status()


def _quietly(load: Callable[[], None]) -> None:
    """Run ``load`` in a helper thread; a failure is raised again by the next ``load()`` call."""
    try:
        load()
    except Exception:  # noqa: BLE001, S110 - reported by the caller's own load()
        pass


def _recorded_failures(settings: Settings) -> list[DocumentFailure]:
    from qa.index.store import read_manifest

    return [DocumentFailure(f["doc"], f["file"], f["reason"], bool(f.get("stale")))
            for f in read_manifest(settings).get("failures", ())]


def _read_corpus(settings: Settings) -> tuple[dict[str, Document], list[DocumentFailure]]:
    """Parse the corpus (an index without stored documents); a document whose file now fails keeps
    answering from the version the index holds."""
    from qa.index.isolation import earlier_versions
    from qa.ingest.corpus import read_corpus

    corpus = read_corpus(settings)
    documents = {d.id: d for d in corpus.documents}
    kept = earlier_versions(settings, [f for f in corpus.failures if f.doc_id not in documents])
    documents.update(kept)
    return documents, [replace(f, stale=f.doc_id in kept) for f in corpus.failures]
