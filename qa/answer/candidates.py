"""Candidates: the answer units of the retrieved passages, with their vectors at hand.

Every unit of every hit is a candidate (qa.answer.units says what a unit is), and so is a
*sentence window*: a sentence together with the next one of the same passage, because a fact is
often split across two ("The ILO's ACCEL Africa project supports ... Mali." / "In Mali the project
focuses on traditional gold panning and cotton."). A window quotes both sentences, each with its own
references; the scorer makes it pay for its length, so it wins only when the pair answers better
than either sentence alone.

Besides the units of the retrieved passages, the few units of the same documents nearest the
question by cosine join as candidates (``nearest``): retrieval ranks whole passages, so a sentence
that answers a question worded unlike the report can sit in a passage ranked below the answerer's
pool. They rank just below the last passage and are marked, so the abstention decision can be
left to what retrieval found.

Their lexical twin: the units of those documents holding a word of the question that few of their
units hold (``holding_rare``; "hotline" in "Does Senegal have a hotline for child labor?"). The
embedding reads the country and "child labor" louder than such a word, and BM25 ranks a long
passage saying it once below short rows saying "child labor" twice, so neither puts it in the pool.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from qa.answer.lexical import term_set
from qa.answer.units import Unit, units_of
from qa.config import Settings
from qa.index.status import chunker_config
from qa.index.store import StoredUnits, read_units, unit_digest
from qa.models import Chunk, Document, Hit

logger = logging.getLogger(__name__)

_MAX_LABELS = 20_000  # short texts (row labels, questions' predicates) whose embeddings are kept
_POSTINGS_KEPT = 64  # documents whose term -> unit postings are kept (holding_rare)


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    rank: int  # the rank of the hit it comes from (0 = best)
    parts: tuple[Unit, ...] = ()  # a window's two sentence units
    nearest: bool = False  # found by the unit search over the hits' documents, in none of the hits
    rare: bool = False  # ... by the word search (holding_rare): it has a word of the question few units have


def window(first: Unit, second: Unit) -> Unit:
    """Two neighbouring sentence units of one passage as one unit quoting both."""
    return Unit(f"{first.key}+", first.chunk, "sentence", first.sentences + second.sentences,
                f"{first.text} {second.text.removeprefix(f'{second.label}: ') if second.label else second.text}",
                first.label)


class UnitCatalog:
    """The units of the indexed chunks and their vectors: the build's (memory-mapped) when it
    stored them for this unit code and model, otherwise embedded once at :meth:`load`."""

    def __init__(self, settings: Settings, embedder, documents: dict[str, Document]) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.embedder = embedder
        self.documents = documents
        self._lock = threading.Lock()
        self._vectors: dict[str, np.ndarray] = {}
        self._units: dict[str, tuple[Unit, ...]] = {}
        self.texts: list[str] = []  # every unit's text, for the corpus word statistics
        self.ready = False
        # every unit's vector as one matrix (row i is unit keys[i]) and each document's rows in it,
        # for the units nearest a question across whole documents (:meth:`nearest`)
        self._keys: list[str] = []
        self._matrix = np.zeros((0, 1), dtype=np.float32)
        self._rows_by_doc: dict[str, np.ndarray] = {}
        self._chunks: dict[str, Chunk] = {}
        self._tables: dict[str, list[Chunk]] = {}  # "doc#t6" -> its row chunks, in order
        self._doc_tables: dict[str, list[str]] = {}  # "doc" -> its tables ("doc#t6"), in order
        self._labels: dict[str, np.ndarray] = {}  # table-row label -> its embedding (label_vectors)
        self._doc_postings: OrderedDict[str, dict[str, tuple[int, ...]]] = OrderedDict()  # holding_rare

    def load(self, chunks: list[Chunk]) -> None:
        """Have every unit's vector at hand (idempotent). With units stored by the index build, their
        vectors are memory-mapped and a chunk's units are only made when a question first needs them,
        so start-up does not walk the corpus."""
        with self._lock:
            if self.ready:
                return
            stored = read_units(self.settings)
            if self._made_here(stored):
                assert stored is not None
                self.texts, self._keys = stored.texts, stored.keys
                self._matrix = stored.vectors.view(np.ndarray)
            else:
                for c in chunks:
                    self._units[c.id] = units_of(c, self.documents.get(c.doc_id))
                units = [u for us in self._units.values() for u in us]
                self.texts, self._keys = [u.text for u in units], [u.key for u in units]
                self._matrix = self._embed_all(self.texts, stored)
            # rows as plain arrays over the same (possibly mapped) memory: memmap rows cost more to make
            self._vectors = dict(zip(self._keys, self._matrix, strict=True))
            self._chunks = {c.id: c for c in chunks}
            self._tables = {}
            for c in chunks:
                if (table := table_of(c)) is not None:
                    self._tables.setdefault(table, []).append(c)
            self._doc_tables = {}
            for table in self._tables:
                self._doc_tables.setdefault(table.rsplit("#", 1)[0], []).append(table)
            rows: dict[str, list[int]] = {}
            for i, key in enumerate(self._keys):
                if (c := self._chunks.get(key.rsplit("#", 1)[0])) is not None:
                    rows.setdefault(c.doc_id, []).append(i)
            self._rows_by_doc = {d: np.asarray(r, dtype=np.int64) for d, r in rows.items()}
            self.ready = True

    def _made_here(self, stored: StoredUnits | None) -> bool:
        """True when the build's units stand for this process's own: made by the same unit code (the
        index's code fingerprint covers answer/units.py) and embedded by the same model."""
        return (stored is not None and stored.code == chunker_config(self.settings)["code"]
                and stored.digest == unit_digest(self.embedder.model_id, stored.texts))

    def _embed_all(self, texts: list[str], stored: StoredUnits | None) -> np.ndarray:
        """Embeddings of all unit texts: the build's when it stored exactly these texts for this
        model; otherwise embedded here, in memory (serving never writes into the index folder)."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        if stored is not None and stored.digest == unit_digest(self.embedder.model_id, texts):
            return stored.vectors
        logger.warning("the index holds no answer-unit vectors for these %d units; embedding them now "
                       "(`qa index build` stores them and makes start-up fast)", len(texts))
        return self.embedder.encode(texts)

    def units(self, chunk: Chunk) -> tuple[Unit, ...]:
        found = self._units.get(chunk.id)
        if found is None:
            found = self._units[chunk.id] = units_of(chunk, self.documents.get(chunk.doc_id))
        return found

    def vector(self, unit: Unit) -> np.ndarray:
        vec = self._vectors.get(unit.key)
        if vec is None and unit.key.endswith("+"):
            # a window's vector: the normalised mean of its sentences' (no model call per question)
            parts = [self._vectors.get(f"{unit.chunk.id}#{i}") for i in self._indexes(unit)]
            if all(p is not None for p in parts):
                mean = np.mean(np.stack(parts), axis=0)  # type: ignore[arg-type]
                vec = mean / max(float(np.linalg.norm(mean)), 1e-9)
        if vec is None:
            vec = self.embedder.encode([unit.text])[0]
        return vec

    def label_vectors(self, labels: list[str]) -> dict[str, np.ndarray]:
        """The embeddings of table-row labels (short texts the build does not store: a row's unit
        vector is of its title, label and cells together), embedded once per process, in memory."""
        with self._lock:
            if len(self._labels) > _MAX_LABELS:
                self._labels.clear()  # the scorer embeds each question's predicate here too: stay bounded
            missing = [lb for lb in dict.fromkeys(labels) if lb not in self._labels]
            if missing:
                self._labels.update(zip(missing, self.embedder.encode(missing), strict=True))
            return {lb: self._labels[lb] for lb in labels}

    @staticmethod
    def _indexes(unit: Unit) -> list[int]:
        first = int(unit.key.removesuffix("+").rsplit("#", 1)[1])
        return [first, first + 1]

    def nearest(self, qvec: np.ndarray, docs: set[str], n: int, about_sources: bool) -> list[Unit]:
        """The ``n`` units of ``docs`` nearest ``qvec`` by cosine, best first, over whole documents:
        retrieval ranks passages, and a passage whose other sentences are off the question can rank
        below the answerer's pool although one of its sentences answers it (a question worded unlike
        the report shares few words with it, and BM25 then ranks on the wrong ones). Bibliography
        entries only for a question about sources."""
        if n < 1 or not self._keys:
            return []
        rows = [r for d in sorted(docs) if (r := self._rows_by_doc.get(d)) is not None]
        if not rows:
            return []
        ids = np.concatenate(rows)
        cosine = self._matrix[ids] @ qvec
        out: list[Unit] = []
        for i in np.argsort(-cosine, kind="stable"):
            key = self._keys[int(ids[i])]
            chunk = self._chunks[key.rsplit("#", 1)[0]]
            if chunk.kind == "reference" and not about_sources:
                continue
            unit = next((u for u in self.units(chunk) if u.key == key), None)
            if unit is not None and not is_legend(unit):
                out.append(unit)
                if len(out) == n:
                    break
        return out

    def holding_rare(self, words: frozenset[str], docs: set[str], most: int, about_sources: bool) -> list[Unit]:
        """The units of ``docs`` holding one of ``words`` (terms of the shared text layer) that at
        most ``most`` of their units hold, in document order: the lexical twin of :meth:`nearest`."""
        if most < 1 or not words:
            return []
        holders: dict[str, list[int]] = {w: [] for w in words}
        for d in sorted(docs):
            postings = self._postings(d)
            for w in words:
                holders[w].extend(postings.get(w, ()))
        rows = sorted({i for found in holders.values() if len(found) <= most for i in found})
        out = []
        for i in rows:
            key = self._keys[i]
            chunk = self._chunks[key.rsplit("#", 1)[0]]
            if chunk.kind == "reference" and not about_sources:
                continue
            out.extend(u for u in self.units(chunk) if u.key == key and not is_legend(u))
        return out

    def _postings(self, doc: str) -> dict[str, tuple[int, ...]]:
        """Term -> the rows of ``doc``'s units holding it, made when a question first needs them and
        kept for the last ``_POSTINGS_KEPT`` documents (a corpus of thousands of reports is never
        held whole; questions keep to a few reports at a time)."""
        with self._lock:
            found = self._doc_postings.get(doc)
            if found is not None:
                self._doc_postings.move_to_end(doc)
                return found
        out: dict[str, list[int]] = {}
        for i in self._rows_by_doc.get(doc, np.zeros(0, dtype=np.int64)).tolist():
            for w in term_set(self.texts[i]):
                out.setdefault(w, []).append(i)
        made = {w: tuple(rows) for w, rows in out.items()}
        with self._lock:
            self._doc_postings[doc] = made
            while len(self._doc_postings) > _POSTINGS_KEPT:
                self._doc_postings.popitem(last=False)
        return made

    def candidates(self, hits: list[Hit], about_sources: bool, qvec: np.ndarray | None = None,
                   nearest: int = 0, words: frozenset[str] = frozenset(), rare: int = 0) -> list[Candidate]:
        """Every unit (and sentence window) of ``hits``; bibliography entries only for a question
        about sources (they answer questions about sources, not about facts). With ``qvec``, also the
        ``nearest`` units of the hits' documents closest to it, those no hit holds ranked just below
        the last hit (only the hits' documents: the hits are already restricted to the question's
        scope)."""
        out = self._passage_candidates(hits, about_sources)
        if qvec is not None and nearest > 0:
            have = {c.unit.key for c in out}
            found = self.nearest(qvec, {h.chunk.doc_id for h in hits}, nearest, about_sources)
            out.extend(Candidate(u, len(hits), nearest=True) for u in found if u.key not in have)
        if rare > 0:
            have = {c.unit.key for c in out}
            found = self.holding_rare(words, {h.chunk.doc_id for h in hits}, rare, about_sources)
            out.extend(Candidate(u, len(hits), nearest=True, rare=True) for u in found if u.key not in have)
        return out

    def table_rows(self, candidates: list[Candidate], about_sources: bool = False) -> list[Candidate]:
        """The units of every row of the tables ``candidates`` quote rows of, that they do not hold,
        at the rank of the table's best row: a list question ("Which sectors ...?", "Which agencies
        ...?") is answered by a table's rows together, and retrieval brings back only a few of them."""
        have = {c.unit.key for c in candidates}
        rank: dict[str, int] = {}
        for c in candidates:
            if not c.nearest and (table := table_of(c.unit.chunk)) is not None:
                rank[table] = min(rank.get(table, c.rank), c.rank)
        out = []
        for table, r in rank.items():
            for chunk in self._tables.get(table, ()):
                out.extend(Candidate(u, r) for u in self.units(chunk)
                           if u.key not in have and (u.kind != "reference" or about_sources))
        return out

    def tables_under(self, candidates: list[Candidate], docs: set[str], heading) -> list[Candidate]:  # type: ignore[no-untyped-def]
        """The units of ``docs``' tables whose rows sit under a heading ``heading(chunk)`` accepts that
        ``candidates`` do not hold, ranked just below the candidates: a question asking what the
        report suggests is answered by its table of suggested actions whatever its other words."""
        have = {c.unit.key for c in candidates}
        rank = 1 + max((c.rank for c in candidates), default=0)
        out = []
        for table in (t for d in sorted(docs) for t in self._doc_tables.get(d, ())):
            chunks = self._tables[table]
            if heading(chunks[0]):
                out.extend(Candidate(u, rank) for c in chunks for u in self.units(c)
                           if u.key not in have and not is_legend(u))
        return out

    def table_named(self, doc_id: str, head: frozenset[str], asked: frozenset[str]) -> list[Unit]:
        """The units of ``doc_id``'s table whose title holds every term of ``head`` (a list question's
        head noun: "Which social programs ...?" -> "Table 10. Key Social Programs to Address Child
        Labor") and another of the question's terms (``asked``), the one whose title's terms they
        cover most when several do; [] when none does."""
        best, most = None, 0.0
        for table in self._doc_tables.get(doc_id, ()):
            chunks = self._tables[table]
            if not chunks[0].heading_path:
                continue
            title = term_set(chunks[0].heading_path[-1])
            # the title names the items and says more of what the question asks than the noun alone
            share = len(title & asked) / len(title) if head and head <= title and title & asked - head else 0.0
            if share > most:
                best, most = chunks, share
        return [u for c in best or () for u in self.units(c) if not is_legend(u)]

    def table_pointed(self, unit: Unit) -> list[Unit]:
        """The units of the one table a sentence points to ("Mali has ratified all key international
        conventions concerning child labor (Table 3)."): a list asked there is that table's rows."""
        pointer = _POINTER.findall(unit.text) if unit.kind == "sentence" else []
        if len(set(pointer)) != 1:
            return []
        for table in self._doc_tables.get(unit.chunk.doc_id, ()):
            chunks = self._tables[table]
            if chunks[0].heading_path and re.match(rf"Table {pointer[0]}\b", chunks[0].heading_path[-1]):
                return [u for c in chunks for u in self.units(c) if not is_legend(u)]
        return []

    def _passage_candidates(self, hits: list[Hit], about_sources: bool) -> list[Candidate]:
        out = []
        # rows of one table share the best rank any of them got: retrieval ranked whole rows under
        # the table's title and shared labels, so it cannot tell siblings apart better than the scorers
        table_rank: dict[str, int] = {}
        for rank, hit in enumerate(hits):
            if (table := table_of(hit.chunk)) is not None:
                table_rank.setdefault(table, rank)
        for rank, hit in enumerate(hits):
            units = [u for u in self.units(hit.chunk) if (u.kind != "reference" or about_sources) and not is_legend(u)]
            table = table_of(hit.chunk)
            out.extend(Candidate(u, table_rank[table] if table is not None and u.kind == "row" else rank)
                       for u in units)
            for a, b in zip(units, units[1:]):
                if a.kind == b.kind == "sentence" and a.label == b.label and _neighbours(a, b):
                    out.append(Candidate(window(a, b), rank, parts=(a, b)))
        # and the rows of those tables that retrieval left out of the pool: a question worded unlike
        # the table ("allowed to drop in without notice") gets its rows ranked on the title and the
        # words all rows share, so the row it asks for ("Unannounced Inspections Permitted") can
        # fall below a sibling that is in the pool; the scorers tell siblings apart by their labels
        # (so only labelled rows: a list of suggested actions has no labels to tell apart)
        pooled = {hit.chunk.id for hit in hits}
        for table, rank in table_rank.items():
            for chunk in self._tables.get(table, ()):
                if chunk.id not in pooled:
                    out.extend(Candidate(u, rank) for u in self.units(chunk) if u.kind == "row" and u.own_label)
        return out


def _neighbours(a: Unit, b: Unit) -> bool:
    ia = int(a.key.rsplit("#", 1)[1])
    ib = int(b.key.rsplit("#", 1)[1])
    return ib == ia + 1


# a table note explaining a mark ("† Program is funded by the Government of Mali.", "* Program was
# launched during the reporting period."): a legend, not a finding; by cosine it sits near any
# question about the country's programmes and, quoted alone, answered "And the MOJ?"
_POINTER = re.compile(r"\(Table (\d+)\)")  # a sentence pointing to the table that details it
_MARK = re.compile(r"^\s*[†‡*§¶]+\s*\w")


def is_legend(unit: Unit) -> bool:
    """A sentence explaining one of a table's marks ("* Program was launched during the reporting
    period."), in the table's note or, as PDFs often extract it, glued to the paragraph after the
    table: never an answer."""
    return unit.kind == "sentence" and bool(_MARK.match(unit.text))


def table_of(chunk: Chunk) -> str | None:
    """ "doc#t2/r7" -> "doc#t2": the table a row chunk belongs to (a row, or a sentence of its description cell)."""
    if chunk.kind != "table-row" or "#t" not in chunk.id:
        return None
    return chunk.id.rsplit("/", 1)[0]
