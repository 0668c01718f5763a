"""Index stage: chunks + vectors -> a self-describing folder ``index/<name>/``.

    manifest.json   format version, model id + dimension, normalisation, chunker settings,
                    per-document file hash / chunk count / metadata, ANN type + parameters, build time,
                    every other file with its size and blake2b hash, and a checksum of itself
    vectors.faiss   the FAISS index (row i = line i of chunks.jsonl)
    sentences.faiss finer views of the chunks (their sentences; a table row without its table title),
    sentences.npy   and the chunk row each belongs to: MiniLM matches a question to one sentence far
                    better than to a 200-token paragraph (dense hit@5 0.77 -> 0.86 on eval/golden.jsonl)
    chunks.jsonl    one ``Chunk.to_json()`` per line
    bm25/           the bm25s index over the same chunks (see ``bm25_tokens``)
    acronyms.json   acronyms the documents define (see qa.ingest.acronyms)
    documents.pickle   the parsed Documents, so serving does not parse the corpus again (its hash is
                    checked before it is unpickled)
    answer-units.npy   vectors of the answerer's units (sentences, table rows), in chunk order, when
    answer-units.json  the build was given them; the json holds their keys, texts and text hashes
    encoder.onnx    the embedding model exported to ONNX (qa.index.onnx_encoder), so serving encodes
                    questions without torch; absent for a model only sentence-transformers runs
    texts/          ``<doc id>.json`` per document: its metadata and normalised text, so a document
                    whose file later goes bad keeps answering from this version, flagged stale
                    (see qa.index.isolation)

Everything serving needs is written here by the build; serving only reads (numpy arrays are
memory-mapped) and never writes into the folder. Loading checks the manifest's checksum and every
file's presence and size (qa.index.verify); ``qa index verify`` and every build check the hashes.
A build writes a temporary sibling folder and renames it into place (qa.index.atomic), so a crash,
a full disk or an exception at any point leaves the previous index serving. Rebuilds are
incremental: vectors are reused for every text whose embedding input is unchanged, so editing one
corpus file re-embeds one document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.errors import CorpusError, IndexBuildFailed, IndexDamaged, IndexMismatch, IndexMissing
from qa.index import atomic
from qa.index.ann import build_ann, reconstruct
from qa.index.changes import file_sha256, stat_entry
from qa.index.files import (  # noqa: F401 - re-exported: the index folder's API stays in one place
    ACRONYMS, BM25_DIR, CHUNKS, DOCUMENTS, FORMAT_VERSION, MANIFEST, SENTENCE_OWNERS, SENTENCE_VECTORS, UNIT_KEYS,
    UNIT_VECTORS, VECTORS, StoredUnits, check_compatible, read_acronyms, read_bm25, read_chunks, read_documents,
    read_manifest, read_sentence_vectors, read_units, read_vectors, unit_digest)
from qa.index.isolation import chunk_each, keep_earlier_versions, write_texts
from qa.index.status import catalog_sha256, chunker_config, document_file_key, lacks_encoder
from qa.index.verify import check_files, describe_files, manifest_checksum
from qa.models import DocumentFailure
from qa.text.analysis import bm25_tokens

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.index.embed import Embedder
    from qa.models import Chunk, Document

logger = logging.getLogger(__name__)

Chunker = Callable[["Document", "Settings"], "list[Chunk]"]
# The texts the answer stage embeds for one chunk (its answer units), so the build can store their
# vectors; passed in by the caller because the unit definition belongs to the answer stage.
UnitTexts = Callable[["Chunk", "Document | None"], "list[tuple[str, str]]"]  # (unit key, text)
_VECTOR_FILES = (VECTORS, SENTENCE_VECTORS, CHUNKS, UNIT_VECTORS, UNIT_KEYS)  # what reuse reads


@dataclass(frozen=True)
class BuildReport:
    documents: int
    chunks: int
    reembedded_documents: tuple[str, ...]
    embedded_chunks: int
    seconds: float
    up_to_date: bool = False
    failures: tuple[DocumentFailure, ...] = ()  # files not indexed; ``stale`` = earlier version kept

    def summary(self) -> str:
        failed = ""
        if self.failures:
            kept = sum(f.stale for f in self.failures)
            failed = f"; {len(self.failures)} files failed" + (f" ({kept} kept from an earlier build)" if kept else "")
        if self.up_to_date:
            return f"index is up to date: {self.documents} documents, {self.chunks} chunks{failed}"
        return (f"indexed {self.documents} documents, {self.chunks} chunks in {self.seconds:.1f} s "
                f"(re-embedded {len(self.reembedded_documents)} documents, {self.embedded_chunks} chunks){failed}")


# -- fingerprints ---------------------------------------------------------------------------------
def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def embed_text(chunk: Chunk) -> str:
    return chunk.embed_text or chunk.text


def sentence_views(chunk: Chunk) -> list[str]:
    """The finer texts embedded for a chunk besides ``embed_text`` (none when it has one sentence)."""
    if chunk.kind == "table-row":
        from qa.index.chunk import row_view  # as chunk_document is: serving never imports the chunker

        view = row_view(chunk)
        return [view] if view != embed_text(chunk) else []
    texts = [s.text for s in chunk.sentences if s.text.strip()]
    return texts if len(texts) > 1 else []


# -- building -----------------------------------------------------------------------------------
def _stored_vectors(settings: Settings, embedder: Embedder) -> dict[str, np.ndarray]:
    """Embedded text key -> vector from the current index, when it was built with this model and
    the files vectors are read from are intact (a damaged file is never a source of reuse)."""
    path = settings.index_path
    try:
        manifest = read_manifest(settings)
        check_compatible(manifest, embedder, path)
        if any(p.file in _VECTOR_FILES for p in check_files(path, manifest, hashes=True)):
            return {}
        chunks, index = read_chunks(path), read_vectors(path)
        # the chunks store their embedded text, not their finer views: those are made again by the
        # current code, so their vectors pair with them only when the code that made them is the same
        same_views = manifest.get("chunker", {}).get("code") == chunker_config(settings)["code"]
        views = [t for c in chunks for t in sentence_views(c)] if same_views else []
        texts_keys = [text_key(t) for t in [embed_text(c) for c in chunks] + views]
        parts = [reconstruct(index)] + ([reconstruct(read_sentence_vectors(path)[0])] if same_views else [])
        if manifest.get("answer_units"):
            texts_keys += json.loads((path / UNIT_KEYS).read_text(encoding="utf-8"))["keys"]
            parts.append(np.load(path / UNIT_VECTORS))
    except (IndexMissing, IndexMismatch, IndexDamaged, OSError, ValueError, KeyError, RuntimeError):
        return {}
    vectors = np.concatenate([p.reshape(len(p), -1) for p in parts if len(p)] or [np.zeros((0, 1))])
    if len(texts_keys) != len(vectors):
        return {}
    return {key: vectors[i] for i, key in enumerate(texts_keys)}


def _default_chunker() -> Chunker:
    from qa.index.chunk import chunk_document

    return chunk_document


def build_index(settings: Settings, documents: list[Document], embedder: Embedder, force: bool = False,
                progress: bool = True, chunker: Chunker | None = None,
                unit_texts: UnitTexts | None = None, failures: Sequence[DocumentFailure] = ()) -> BuildReport:
    """Build (or incrementally update) the index for ``documents``; atomically replaces the old one.

    ``failures`` are the corpus files that could not be read (see ``qa.ingest.corpus.read_corpus``):
    they are recorded in the manifest, and a failed document that the current index holds keeps
    its indexed version, flagged stale with the reason. A document whose chunking fails is one
    more failure; :class:`CorpusError` when no document is left to index.

    Unless ``force``, vectors whose embedded text did not change are reused, and nothing is
    written at all when the corpus, chunker and model are unchanged and every index file is
    intact. ``unit_texts`` (chunk, its document) -> (unit key, text) pairs adds the answer units'
    keys, texts and vectors (the answer stage passes ``qa.answer.units.unit_texts``). Raises
    :class:`IndexLocked` when another build holds the lock past ``settings.build_lock_timeout``
    and :class:`IndexBuildFailed` when the disk refuses a write (the old index stays in place).
    """
    started = time.perf_counter()
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        with atomic.build_lock(settings.index_dir, settings.index_name, settings.build_lock_timeout):
            atomic.recover(settings.index_path, MANIFEST)
            documents, failures = keep_earlier_versions(settings, documents, failures)
            if not force and _matches_documents(settings, documents, failures, embedder, unit_texts is not None):
                counts = read_manifest(settings)["documents"]
                return BuildReport(len(documents), sum(d["chunks"] for d in counts.values()), (), 0,
                                   time.perf_counter() - started, up_to_date=True, failures=tuple(failures))
            documents, chunks, failures = chunk_each(documents, chunker or _default_chunker(), settings, failures)
            if failures and not documents:
                raise CorpusError(f"no document could be indexed ({len(failures)} files failed); "
                                  f"the previous index, if any, is unchanged")
            texts, owner_of, vectors, fresh = _embed_all(settings, documents, chunks, embedder, force, progress,
                                                         unit_texts)
            staging = atomic.staging_dir(settings.index_dir, settings.index_name)
            try:
                _write(staging, settings, documents, chunks, vectors, owner_of, texts, embedder, failures)
                atomic.swap_into_place(staging, settings.index_path)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise IndexBuildFailed(
            f"could not write the index at {settings.index_path}: {exc.strerror or exc}"
            f"{' (' + exc.filename + ')' if isinstance(exc.filename, str) else ''}; the previous index "
            f"is unchanged") from exc
    reembedded = tuple(sorted({chunks[owner_of[i]].doc_id for i in fresh}))
    embedded_chunks = len({owner_of[i] for i in fresh})
    return BuildReport(len(documents), len(chunks), reembedded, embedded_chunks, time.perf_counter() - started,
                       failures=tuple(failures))


def _embed_all(settings: Settings, documents: list[Document], chunks: list[Chunk], embedder: Embedder,
               force: bool, progress: bool, unit_texts: UnitTexts | None,
               ) -> tuple[dict[str, list[str]], list[int], np.ndarray, list[int]]:
    """The texts embedded (by role), the chunk row of each vector, the vectors, and the positions
    embedded afresh. Vectors are in the order chunks | sentences | units."""
    by_id = {d.id: d for d in documents}
    sentences = [(row, t) for row, c in enumerate(chunks) for t in sentence_views(c)]
    units = [(row, *u) for row, c in enumerate(chunks) for u in unit_texts(c, by_id.get(c.doc_id))] if unit_texts else []
    texts = {"chunks": [embed_text(c) for c in chunks], "sentences": [t for _, t in sentences],
             "units": [t for _, _, t in units], "unit_keys": [k for _, k, _ in units]}
    owner_of = list(range(len(chunks))) + [row for row, _ in sentences] + [row for row, _, _ in units]
    stored = {} if force else _stored_vectors(settings, embedder)
    vectors, fresh = _embed(texts["chunks"] + texts["sentences"] + texts["units"], stored, embedder, progress)
    return texts, owner_of, vectors, fresh


def _failure_entries(settings: Settings, failures: Sequence[DocumentFailure]) -> list[dict[str, Any]]:
    entries = []
    for f in failures:
        path = Path(f.path)
        sha = file_sha256(path) if path.is_file() else None
        entries.append({"doc": f.doc_id, "file": document_file_key(path, settings), "sha256": sha, "reason": f.reason,
                        "stale": f.stale, "stat": stat_entry(path, sha)})
    return entries


def _document_entries(settings: Settings, documents: list[Document], counts: dict[str, int],
                      failures: Sequence[DocumentFailure]) -> dict[str, dict[str, Any]]:
    """Manifest entries per document; one kept from an earlier build is flagged stale with the reason."""
    entries = {d.id: _document_entry(d, counts.get(d.id, 0), settings) for d in documents}
    for f in failures:
        if f.stale and f.doc_id in entries:
            entries[f.doc_id]["stale"] = f.reason
    return entries


def _matches_documents(settings: Settings, documents: list[Document], failures: Sequence[DocumentFailure],
                       embedder: Embedder, with_units: bool) -> bool:
    try:
        manifest = read_manifest(settings)
        check_compatible(manifest, embedder, settings.index_path)
    except (IndexMissing, IndexMismatch, IndexDamaged):
        return False
    if bool(manifest.get("answer_units")) != with_units or check_files(settings.index_path, manifest, hashes=True):
        return False
    if lacks_encoder(manifest, embedder):
        return False
    # comparing whole entries (hash and catalog metadata) so a catalog edit also triggers a rebuild
    counts = {k: v.get("chunks", 0) for k, v in manifest["documents"].items()}
    current = _document_entries(settings, documents, counts, failures)
    built = {k: _without_stat(v) for k, v in manifest["documents"].items()}
    return (built == {k: _without_stat(v) for k, v in current.items()}
            and [_without_stat(f) for f in manifest.get("failures", [])]
            == [_without_stat(f) for f in _failure_entries(settings, failures)]
            and manifest["chunker"] == chunker_config(settings)
            and manifest["ann"]["requested"] == settings.ann)


def _without_stat(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry without its recorded size and mtime: a touched but unchanged file needs no rebuild."""
    return {k: v for k, v in entry.items() if k != "stat"}


def _embed(texts: list[str], stored: dict[str, np.ndarray], embedder: Embedder,
           progress: bool) -> tuple[np.ndarray, list[int]]:
    """Vectors for ``texts``, reusing ``stored`` ones; also returns the positions embedded afresh.

    A text repeated within the build (a sentence that is also an answer unit, boilerplate shared
    by reports) is embedded once.
    """
    keys = [text_key(t) for t in texts]
    fresh = [i for i, key in enumerate(keys) if key not in stored]
    embedder.load()
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    first: dict[str, int] = {}
    for i in fresh:
        first.setdefault(keys[i], i)
    if first:
        encoded = embedder.encode([texts[i] for i in first.values()], progress=progress)
        stored = {**stored, **{key: encoded[n] for n, key in enumerate(first)}}
    for i, key in enumerate(keys):
        vectors[i] = stored[key]
    return vectors, fresh


def _write(folder: Path, settings: Settings, documents: list[Document], chunks: list[Chunk],
           vectors: np.ndarray, owner_of: list[int], texts: dict[str, list[str]], embedder: Embedder,
           failures: Sequence[DocumentFailure] = ()) -> None:
    """Every file of the index, then the manifest that lists them (written last, fsynced)."""
    ann = _write_vectors(folder, settings, vectors, owner_of, texts, embedder)
    _write_texts(folder, documents, chunks)
    write_texts(folder, documents)
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    units = texts["units"]
    write_encoder = getattr(embedder, "write_encoder", None)  # the fake embedder has nothing to export
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": {"id": embedder.model_id, "dimension": embedder.dimension, "normalisation": "l2",
                  "metric": "inner_product"},
        "chunker": chunker_config(settings),
        "encoder": write_encoder(folder) if write_encoder else None,
        "bm25": {"library": "bm25s", "k1": 1.5, "b": 0.75, "method": "lucene", "analyzer": "qa.text.analysis/2"},
        **ann,
        "answer_units": {"count": len(units), "digest": unit_digest(embedder.model_id, units)} if units else None,
        "documents": _document_entries(settings, documents, counts, failures),
        "failures": _failure_entries(settings, failures),
        "catalog_sha256": catalog_sha256(settings),
        "chunks": len(chunks),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": describe_files(folder),
    }
    manifest["checksum"] = manifest_checksum(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    atomic.fsync_tree(folder)


def _write_vectors(folder: Path, settings: Settings, vectors: np.ndarray, owner_of: list[int],
                   texts: dict[str, list[str]], embedder: Embedder) -> dict[str, Any]:
    """The FAISS files, the sentences' owner rows and the answer-unit vectors; returns the ANN
    parameters for the manifest."""
    import faiss

    n_chunks, n_sentences = len(texts["chunks"]), len(texts["sentences"])
    index, ann = build_ann(vectors[:n_chunks], settings.ann, settings.ann_auto_threshold)
    faiss.write_index(index, str(folder / VECTORS))
    end = n_chunks + n_sentences
    sentences, ann_sentences = build_ann(vectors[n_chunks:end], settings.ann, settings.ann_auto_threshold)
    faiss.write_index(sentences, str(folder / SENTENCE_VECTORS))
    np.save(folder / SENTENCE_OWNERS, np.asarray(owner_of[n_chunks:end], dtype=np.int64))
    if texts["units"]:
        np.save(folder / UNIT_VECTORS, np.ascontiguousarray(vectors[end:], dtype=np.float32))
        table = {"digest": unit_digest(embedder.model_id, texts["units"]),
                 "keys": [text_key(t) for t in texts["units"]], "units": texts["unit_keys"], "texts": texts["units"]}
        (folder / UNIT_KEYS).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    return {"ann": ann, "ann_sentences": ann_sentences}


def _write_texts(folder: Path, documents: list[Document], chunks: list[Chunk]) -> None:
    import bm25s

    from qa.ingest.acronyms import extract_acronyms

    with (folder / CHUNKS).open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    bm25 = bm25s.BM25()
    # bm25s rejects an empty corpus; a one-token placeholder keeps an empty index loadable.
    bm25.index([bm25_tokens(embed_text(c)) or ["\0"] for c in chunks] or [["\0"]], show_progress=False)
    bm25.save(str(folder / BM25_DIR), show_progress=False)
    acronyms = extract_acronyms(d.text for d in documents)
    (folder / ACRONYMS).write_text(json.dumps(acronyms, indent=1, ensure_ascii=False), encoding="utf-8")
    (folder / DOCUMENTS).write_bytes(pickle.dumps(list(documents), protocol=pickle.HIGHEST_PROTOCOL))


def _document_entry(doc: Document, chunks: int, settings: Settings) -> dict[str, Any]:
    meta = doc.meta
    # size and mtime let the CLI's stale warning skip hashing unchanged files (qa.index.changes)
    return {"file": document_file_key(meta.path, settings), "sha256": meta.sha256,
            "stat": stat_entry(Path(meta.path), meta.sha256), "chunks": chunks,
            "title": meta.title, "kind": meta.kind, "country": meta.country, "year": meta.year,
            "level": meta.level, "synthetic": meta.synthetic, "origin": dict(meta.origin)}
