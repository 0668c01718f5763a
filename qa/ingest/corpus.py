"""The corpus folder: which files are documents, their catalog metadata, and parsing them all.

Adding a report = dropping a .txt, .md or .pdf file into ``corpus/`` (its stem is the document
id), optionally describing it in ``corpus/catalog.toml``, and rebuilding the index.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import CorpusError, DocumentNotFound
from qa.models import Document, DocumentMeta
from qa.ingest.parse import parse_file

logger = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf")
CATALOG_NAME = "catalog.toml"
_FIELDS = ("title", "publisher", "kind", "country", "year", "published", "url", "level", "synthetic")


def corpus_files(settings: Settings) -> list[Path]:
    """Document files in the corpus folder, sorted by id. Raises CorpusError if it is missing."""
    folder = Path(settings.corpus_dir)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist")
    files = [p for p in sorted(folder.iterdir()) if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
             and not p.name.startswith(".")]
    stems = [p.stem for p in files]
    dupes = {s for s in stems if stems.count(s) > 1}
    if dupes:
        raise CorpusError(f"two corpus files share the document id(s) {sorted(dupes)}; rename one")
    return files


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
    if "year" in fields:
        fields["year"] = int(fields["year"])
    if "published" in fields:
        fields["published"] = str(fields["published"])
    if "synthetic" in fields and not isinstance(fields["synthetic"], bool):
        raise CorpusError(f"catalog entry {path.stem}: synthetic must be true or false")
    return DocumentMeta(id=path.stem, path=str(path), sha256=file_sha256(path), **fields)


def load_document(settings: Settings, doc_id: str) -> Document:
    catalog = load_catalog(settings)
    for path in corpus_files(settings):
        if path.stem == doc_id:
            return parse_file(path, document_meta(path, catalog))
    raise DocumentNotFound(f"unknown document id {doc_id!r}")


def load_corpus(settings: Settings) -> list[Document]:
    """Parse every document in the corpus folder; bibliography warnings are logged."""
    catalog = load_catalog(settings)
    documents = []
    for path in corpus_files(settings):
        doc = parse_file(path, document_meta(path, catalog))
        for warning in doc.bibliography.warnings:
            logger.warning("%s bibliography: %s", doc.id, warning)
        documents.append(doc)
    return documents
