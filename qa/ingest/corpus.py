"""The corpus folder: which files are documents, their catalog metadata, and parsing them all.

Adding a report = dropping a .txt, .md or .pdf file into ``corpus/`` (its stem is the document
id), optionally describing it in ``corpus/catalog.toml``, and rebuilding the index.

One bad file never breaks the corpus: :func:`read_corpus` checks and parses each file on its own
(:mod:`qa.ingest.checks`) and returns the good documents plus one :class:`DocumentFailure` per file
that could not be read, with the reason. When two files share a stem (``x.txt`` and ``x.md``), the
first in extension order ``.txt``, ``.md``, ``.pdf`` is the document and the later ones fail.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import CorpusError, DocumentNotFound, ParseError
from qa.ingest.checks import read_checked
from qa.ingest.listing import (  # re-exported: the corpus API
    CATALOG_NAME, DOCUMENT_SUFFIXES, corpus_files, misnamed_files, printable_name,
)
from qa.ingest.parse import parse_source
from qa.models import Document, DocumentFailure, DocumentMeta

logger = logging.getLogger(__name__)

_FIELDS = ("title", "publisher", "kind", "country", "year", "published", "url", "level", "synthetic")


def document_files(settings: Settings) -> tuple[list[Path], list[DocumentFailure]]:
    """One file per document id, and a failure for each later file with an id already taken.

    Order among files sharing a stem: extension ``.txt``, ``.md``, ``.pdf`` (then name).
    """
    def rank(p: Path) -> tuple[str, int, str]:
        return p.stem, DOCUMENT_SUFFIXES.index(p.suffix.lower()), p.name

    chosen: dict[str, Path] = {}
    failures = []
    for path in sorted(corpus_files(settings), key=rank):
        first = chosen.setdefault(path.stem, path)
        if first is not path:
            failures.append(DocumentFailure(path.stem, str(path), (
                f"{path.name}: duplicate document id {path.stem!r}, already taken by {first.name}; "
                f"rename or remove one")))
    for path in misnamed_files(settings):
        name = printable_name(path.name)
        failures.append(DocumentFailure(printable_name(path.stem), printable_name(str(path)), (
            f"{name}: the file name is not UTF-8 text (each '?' is a byte of another encoding); "
            f"rename the file")))
    return sorted(chosen.values()), failures


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_catalog(settings: Settings) -> dict[str, dict[str, Any]]:
    path = Path(settings.corpus_dir) / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: invalid TOML ({exc})") from exc
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def document_meta(path: Path, catalog: dict[str, dict[str, Any]]) -> DocumentMeta:
    entry = catalog.get(path.stem, {})
    unknown = set(entry) - set(_FIELDS)
    if unknown:
        logger.warning("catalog entry %s has unknown fields %s", path.stem, sorted(unknown))
    fields = {k: entry[k] for k in _FIELDS if k in entry}
    # a bad catalog value fails this document only (it is reported with the reason), like a bad file
    if "year" in fields:
        try:
            fields["year"] = int(fields["year"])
        except (TypeError, ValueError):
            raise ParseError(f"{path.name}: catalog entry {path.stem}: year must be a number") from None
    if "published" in fields:
        fields["published"] = str(fields["published"])
    if "synthetic" in fields and not isinstance(fields["synthetic"], bool):
        raise ParseError(f"{path.name}: catalog entry {path.stem}: synthetic must be true or false")
    return DocumentMeta(id=path.stem, path=str(path), sha256=file_sha256(path), **fields)


# (file, its catalog entry) -> the document it was parsed into before, or None to parse it
Known = Callable[[Path, dict[str, Any] | None], Document | None]


@dataclass(frozen=True)
class CorpusRead:
    """What :func:`read_corpus` found: the documents that parsed, and the files that failed."""

    documents: list[Document] = field(default_factory=list)
    failures: list[DocumentFailure] = field(default_factory=list)


def parse_checked(path: Path, settings: Settings, catalog: dict[str, dict[str, Any]]) -> Document:
    """Check (qa.ingest.checks) and parse one corpus file; raises only :class:`ParseError`."""
    text = read_checked(path, settings.max_file_bytes)
    return parse_source(text, document_meta(path, catalog), path)


def load_document(settings: Settings, doc_id: str) -> Document:
    """One document by id; raises DocumentNotFound, or ParseError with the reason it fails."""
    catalog = load_catalog(settings)
    files, _ = document_files(settings)
    for path in files:
        if path.stem == doc_id:
            return parse_checked(path, settings, catalog)
    raise DocumentNotFound(f"unknown document id {doc_id!r}")


def read_corpus(settings: Settings, known: Known | None = None) -> CorpusRead:
    """Check and parse every document on its own; a bad file becomes a failure, never an exception.
    ``known(path, catalog entry)`` may return the document that file was parsed into before, so
    it is not parsed again (qa.index.parsed keeps them).

    Raises CorpusError only for what concerns the whole corpus (missing folder, invalid catalog).
    """
    catalog = load_catalog(settings)
    files, failures = document_files(settings)
    documents = []
    for path in files:
        try:
            doc = (known(path, catalog.get(path.stem)) if known else None) or parse_checked(path, settings, catalog)
        except ParseError as exc:
            failures.append(DocumentFailure(path.stem, str(path), exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - a parser bug on one odd file must not sink the corpus
            logger.exception("parsing %s failed", path)
            reason = f"{path.name}: cannot parse ({type(exc).__name__}: {' '.join(str(exc).split())})"
            failures.append(DocumentFailure(path.stem, str(path), reason[:300]))
            continue
        for warning in doc.bibliography.warnings:
            logger.warning("%s bibliography: %s", doc.id, warning)
        documents.append(doc)
    documents, copies = _without_copies(documents, catalog)
    failures += copies
    for failure in failures:
        logger.info("skipped %s", failure.reason)  # callers report failures; a warning would repeat them
    return CorpusRead(documents, sorted(failures, key=lambda f: Path(f.path).name))


def _without_copies(documents: list[Document], catalog: dict[str, dict[str, Any]]
                    ) -> tuple[list[Document], list[DocumentFailure]]:
    """One document per file content: a byte-for-byte copy ("Mali copy (2).txt" beside the report)
    is a failure naming the file it copies, or every answer would come twice, once labelled by the
    copy's name. The original is the one the catalog names, else the older file."""
    def original_first(d: Document) -> tuple[bool, float, str]:
        try:
            mtime = Path(d.meta.path).stat().st_mtime
        except OSError:
            mtime = float("inf")
        return d.id not in catalog, mtime, d.id

    kept: dict[str, Document] = {}
    failures = []
    for doc in sorted(documents, key=original_first):
        first = kept.setdefault(doc.meta.sha256, doc)
        if first is not doc:
            name = Path(doc.meta.path).name
            failures.append(DocumentFailure(doc.id, doc.meta.path, (
                f"{name}: the same file as {Path(first.meta.path).name} (document {first.id!r}); remove the copy")))
    return [d for d in documents if kept.get(d.meta.sha256) is d], failures


def load_corpus(settings: Settings) -> list[Document]:
    """The documents of the corpus that parse; failures are logged (see :func:`read_corpus`)."""
    return read_corpus(settings).documents
