"""Per-document isolation in the index build: one bad document never sinks the others.

* :func:`chunk_each` chunks each document on its own; one the chunker cannot handle becomes a
  :class:`~qa.models.DocumentFailure` and the rest are indexed.
* Every build stores each document's metadata and normalised text in ``texts/<doc id>.json``.
  When a document's file later fails its checks, :func:`keep_earlier_versions` brings back the
  version the current index holds, so it keeps answering (its failure is flagged ``stale``) until
  a good file replaces it. The assistant uses :func:`earlier_versions` the same way to serve it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qa.models import DocumentFailure

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.models import Chunk, Document

logger = logging.getLogger(__name__)

TEXTS_DIR = "texts"


def chunk_each(documents: list[Document], chunker: Callable[[Document, Settings], list[Chunk]], settings: Settings,
               failures: Sequence[DocumentFailure]) -> tuple[list[Document], list[Chunk], list[DocumentFailure]]:
    """Chunk each document on its own; returns the documents kept, their chunks, and all failures."""
    kept, chunks, failed = [], [], list(failures)
    for doc in documents:
        try:
            chunks += chunker(doc, settings)
        except Exception as exc:  # noqa: BLE001 - a chunker bug on one document is that document's failure
            logger.exception("chunking %s failed", doc.id)
            reason = f"{Path(doc.meta.path).name}: cannot be chunked ({type(exc).__name__}: {exc})"
            failed.append(DocumentFailure(doc.id, doc.meta.path, reason[:300]))
            continue
        kept.append(doc)
    return kept, chunks, failed


def write_texts(folder: Path, documents: list[Document]) -> None:
    """Store each document as indexed (metadata + normalised text) under ``folder/texts/``."""
    (folder / TEXTS_DIR).mkdir()
    for doc in documents:
        payload = {"meta": asdict(doc.meta), "text": doc.text}
        (folder / TEXTS_DIR / f"{doc.id}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def read_indexed_document(index_path: Path, doc_id: str) -> Document | None:
    """The document as the index at ``index_path`` holds it (re-parsed), or None when not stored."""
    from qa.ingest.parse import parse_text
    from qa.models import DocumentMeta
    from qa.errors import ParseError

    try:
        stored = json.loads((index_path / TEXTS_DIR / f"{doc_id}.json").read_text(encoding="utf-8"))
        fields = dict(stored["meta"])
        fields["origin"] = tuple(tuple(pair) for pair in fields.get("origin", ()))  # JSON made them lists
        meta = DocumentMeta(**fields)
        # the metadata exactly as indexed (inferred values stay "inferred": re-parsing would take
        # them for catalog values)
        return replace(parse_text(stored["text"], meta), meta=meta)
    except (OSError, ValueError, KeyError, TypeError, ParseError):
        return None


def earlier_versions(settings: Settings, failures: Sequence[DocumentFailure]) -> dict[str, Document]:
    """Failed document id -> the version of it the current index holds, where there is one."""
    from qa.errors import IndexMismatch, IndexMissing
    from qa.index.store import read_manifest

    wanted = {f.doc_id for f in failures}
    if not wanted:
        return {}
    try:
        indexed = set(read_manifest(settings)["documents"])
    except (IndexMissing, IndexMismatch):
        return {}
    found = {}
    for doc_id in sorted(wanted & indexed):
        doc = read_indexed_document(settings.index_path, doc_id)
        if doc is not None:
            found[doc_id] = doc
    return found


def keep_earlier_versions(settings: Settings, documents: list[Document], failures: Sequence[DocumentFailure]
                          ) -> tuple[list[Document], list[DocumentFailure]]:
    """Add the indexed version of each failed document no good file provides; flag those failures stale."""
    good = {d.id for d in documents}
    earlier = earlier_versions(settings, [f for f in failures if f.doc_id not in good])
    marked = [replace(f, stale=f.doc_id in earlier) for f in failures]
    return [*documents, *earlier.values()], marked
