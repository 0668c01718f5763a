"""The corpus read as :func:`qa.ingest.corpus.read_corpus` reads it, parsing only what changed.

A file is parsed again only when its bytes or its catalog entry changed since it was last parsed
by this process or by the build of the index in place (the build stores the documents it parsed,
and the parsing code's fingerprint). A PDF takes seconds to parse, so with hundreds of reports
adding one costs parsing one, in the server's background build, ``qa index build`` and ``qa docs``
alike.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import QAError
from qa.models import Document, DocumentFailure

logger = logging.getLogger(__name__)


class ParsedCorpus:
    """The corpus read as :func:`qa.ingest.corpus.read_corpus` reads it, but a file parsed once
    (by this object, or by the build of the index in place) is not parsed again while its bytes,
    its catalog entry and the parsing code are unchanged."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str], Document] = {}
        self._seeded = False

    def read(self, settings: Settings) -> tuple[list[Document], list[DocumentFailure]]:
        from qa.ingest.corpus import file_sha256, load_catalog, read_corpus

        catalog = load_catalog(settings)
        if not self._seeded:
            self._seed(settings, catalog)

        def known(path: Path, entry: dict[str, Any] | None) -> Document | None:
            return self._cache.get((path.name, file_sha256(path), _entry_key(entry)))

        corpus = read_corpus(settings, known)
        # only what the corpus holds now (a document's sha256 is its file's)
        self._cache = {(Path(d.meta.path).name, d.meta.sha256, _entry_key(catalog.get(d.id))): d
                       for d in corpus.documents}
        return corpus.documents, corpus.failures

    def _seed(self, settings: Settings, catalog: dict[str, dict[str, Any]]) -> None:
        """Start from the documents the current index was built from (the build stores them
        parsed): one parsed with the catalog as it is now, or with no catalog entry then and now."""
        from qa.index.files import read_documents, read_manifest
        from qa.index.status import catalog_sha256, chunker_config

        self._seeded = True
        try:
            manifest = read_manifest(settings)
            if manifest["chunker"]["code"] != chunker_config(settings)["code"]:
                return  # parsed by other parsing code: parse again
            stored = read_documents(settings) or []
            same_catalog = manifest.get("catalog_sha256") == catalog_sha256(settings)
        except (QAError, OSError, KeyError):
            return
        for doc in stored:
            name = Path(doc.meta.path).name
            entry = catalog.get(Path(name).stem)
            from_catalog = any(origin == "catalog" for _, origin in doc.meta.origin)
            if same_catalog or (entry is None and not from_catalog):
                # as parsed from this corpus folder (the index may have been built from another path)
                here = replace(doc, meta=replace(doc.meta, path=str(Path(settings.corpus_dir) / name)))
                self._cache[(name, doc.meta.sha256, _entry_key(entry))] = here


def _entry_key(entry: dict[str, Any] | None) -> str:
    return json.dumps(entry, sort_keys=True, default=str)

