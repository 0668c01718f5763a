"""The index folder's files: their names, the format version, and reading them.

Every reader turns a file that cannot be read or parsed into :class:`IndexDamaged` naming the
file and the fix, never a parser's traceback. ``read_manifest`` also runs the cheap integrity
check (qa.index.verify). Nothing here writes into the index folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.errors import IndexDamaged, IndexMismatch, IndexMissing
from qa.index import atomic
from qa.index.verify import HASH_NAME, MANIFEST, Problem, check_files, damage_error, load_manifest

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.index.embed import Embedder
    from qa.models import Chunk, Document

FORMAT_VERSION = 3  # 3: the manifest lists every file with its size and hash; answer-unit vectors
VECTORS, CHUNKS, BM25_DIR, ACRONYMS = "vectors.faiss", "chunks.jsonl", "bm25", "acronyms.json"
SENTENCE_VECTORS, SENTENCE_OWNERS = "sentences.faiss", "sentences.npy"
UNIT_VECTORS, UNIT_KEYS = "answer-units.npy", "answer-units.json"
DOCUMENTS = "documents.pickle"


def read_manifest(settings: Settings) -> dict[str, Any]:
    """The manifest of the configured index, after the cheap integrity check (checksum, every
    file present with its size). Raises :class:`IndexMissing` when there is no index,
    :class:`IndexMismatch` for another format version, :class:`IndexDamaged` naming the file."""
    path = settings.index_path
    atomic.recover(path, MANIFEST)
    try:
        manifest = load_manifest(path)
    except FileNotFoundError:
        raise IndexMissing(f"no index at {path}; run `qa index build` first") from None
    except OSError as exc:
        raise IndexMissing(f"the index at {path} is unreadable ({exc}); run `qa index build --force`") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            f"the index at {path} has format version {manifest.get('format_version')}, this program reads "
            f"version {FORMAT_VERSION}; run `qa index build --force`")
    problems = check_files(path, manifest, hashes=False)
    if problems:
        raise damage_error(path, problems)
    return manifest


def check_compatible(manifest: dict[str, Any], embedder: Embedder, path: Path) -> None:
    """Raise :class:`IndexMismatch` when the index was built with another model or dimension."""
    built = manifest["model"]
    if built["id"] != embedder.model_id or built["dimension"] != embedder.dimension:
        raise IndexMismatch(
            f"the index at {path} was built with model {built['id']!r} (dimension {built['dimension']}) "
            f"but the configured model is {embedder.model_id!r} (dimension {embedder.dimension}); "
            f"run `qa index build --force` to rebuild it, or configure the model it was built with")


@contextlib.contextmanager
def _reading(path: Path, name: str) -> Iterator[None]:
    """Any failure to read or parse ``name`` becomes :class:`IndexDamaged` naming it."""
    try:
        yield
    except IndexDamaged:
        raise
    except FileNotFoundError:
        raise damage_error(path, [Problem(name, "missing")]) from None
    except Exception as exc:  # noqa: BLE001 - json, faiss (RuntimeError), numpy, bm25s all differ
        altered = _altered(path, name)
        if altered:  # name the exact file (a folder such as bm25/ holds several)
            raise damage_error(path, altered) from None
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise damage_error(path, [Problem(name, "unreadable", detail)]) from None


def _altered(path: Path, name: str) -> list[Problem]:
    """Files at or under ``name`` whose hash differs from the manifest (empty when it cannot tell)."""
    try:
        manifest = load_manifest(path)
    except (OSError, IndexDamaged):
        return []
    files = {k: v for k, v in (manifest.get("files") or {}).items() if k == name or k.startswith(name + "/")}
    return [p for p in check_files(path, {"files": files}, hashes=True) if p.kind != "unexpected"]


def read_chunks(path: Path) -> list[Chunk]:
    from qa.models import Chunk

    with _reading(path, CHUNKS), (path / CHUNKS).open(encoding="utf-8") as fh:
        return [Chunk.from_json(json.loads(line)) for line in fh if line.strip()]


def read_acronyms(path: Path) -> dict[str, list[str]]:
    if not (path / ACRONYMS).exists():
        return {}
    with _reading(path, ACRONYMS):
        return json.loads((path / ACRONYMS).read_text(encoding="utf-8"))


def _read_faiss(path: Path, name: str) -> Any:
    import faiss

    with _reading(path, name):
        try:  # memory-mapped where FAISS can (flat codes): start-up does not copy the vectors
            return faiss.read_index(str(path / name), faiss.IO_FLAG_MMAP_IFC)
        except RuntimeError:
            return faiss.read_index(str(path / name))


def read_vectors(path: Path) -> Any:
    return _read_faiss(path, VECTORS)


def read_sentence_vectors(path: Path) -> tuple[Any, np.ndarray]:
    index = _read_faiss(path, SENTENCE_VECTORS)
    with _reading(path, SENTENCE_OWNERS):
        # a plain array over the same mapped pages: indexing a np.memmap makes a memmap object per
        # element (~3 us each, 150 per search)
        return index, np.load(path / SENTENCE_OWNERS, mmap_mode="r").view(np.ndarray)


def read_bm25(path: Path) -> Any:
    import bm25s

    with _reading(path, BM25_DIR):
        return bm25s.BM25.load(str(path / BM25_DIR), show_progress=False, mmap=True)


def unit_digest(model_id: str, texts: list[str]) -> str:
    """Identifies the answer units' texts (in order) and the model that embeds them."""
    return hashlib.sha256("\n".join([model_id, *texts]).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StoredUnits:
    """The answer units the build stored: row i of ``vectors`` (memory-mapped) is unit ``keys[i]``
    with text ``texts[i]``; ``digest`` identifies the texts and the model, ``code`` the unit code."""

    digest: str
    code: str
    keys: list[str]
    texts: list[str]
    vectors: np.ndarray


def read_units(settings: Settings) -> StoredUnits | None:
    """The answer units the build stored; None when there is no index (an answerer used without
    one) or it holds none. :class:`IndexDamaged` when their files are damaged."""
    path = settings.index_path
    try:
        manifest = read_manifest(settings)
    except (IndexMissing, IndexMismatch):
        return None
    stored = manifest.get("answer_units")
    if not stored:
        return None
    with _reading(path, UNIT_KEYS):
        table = json.loads((path / UNIT_KEYS).read_text(encoding="utf-8"))
        keys, texts = table["units"], table["texts"]
    with _reading(path, UNIT_VECTORS):
        vectors = np.load(path / UNIT_VECTORS, mmap_mode="r")
        if not vectors.shape[0] == len(keys) == len(texts) == stored["count"]:
            raise ValueError(f"{vectors.shape[0]} vectors, {len(keys)} units, the manifest says {stored['count']}")
    return StoredUnits(stored["digest"], manifest["chunker"]["code"], keys, texts, vectors)


def read_documents(settings: Settings) -> list[Document] | None:
    """The parsed documents the build indexed (so serving need not parse the corpus again);
    None for an index built without them. The file's hash is checked before it is unpickled:
    only bytes the build wrote are ever loaded."""
    path = settings.index_path
    entry = (read_manifest(settings).get("files") or {}).get(DOCUMENTS)
    if entry is None:
        return None
    with _reading(path, DOCUMENTS):
        data = (path / DOCUMENTS).read_bytes()
        if hashlib.blake2b(data, digest_size=32).hexdigest() != entry[HASH_NAME]:
            raise damage_error(path, [Problem(DOCUMENTS, "hash", "blake2b differs from the manifest")])
        return pickle.loads(data)  # noqa: S301 - written by our build, hash checked just above
