"""The server's background indexer: corpus changes made over HTTP -> an incremental build -> the
served assistant swapped for one over the new index.

One worker thread (qa.index.jobs) runs the builds. Requests keep being answered by the assistant
loaded before; only when the new index is in place and a new assistant has loaded over it does
the holder switch to it (requests in flight finish with the old one). If loading the new one
fails, the old one keeps serving and the documents of that build are marked failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from qa.api.upload_store import CorpusStore
from qa.config import Settings
from qa.errors import IndexDamaged, IndexMismatch, IndexMissing
from qa.index.jobs import BuildResult, IndexJobs, JobAction
from qa.index.parsed import ParsedCorpus

if TYPE_CHECKING:
    from qa.api.deps import AssistantHolder, AssistantLike
    from qa.index.embed import Embedder

logger = logging.getLogger(__name__)


class CorpusIndexer:
    """Owns the corpus store, the job queue and the build that serves them.

    ``factory`` makes a fresh assistant over the settings (None: keep serving the one the holder
    has, as tests with a fake assistant do).
    """

    def __init__(self, settings: Settings, holder: AssistantHolder,
                 factory: Callable[[], AssistantLike] | None) -> None:
        self.settings = settings
        self.holder = holder
        self.factory = factory
        self.store = CorpusStore(settings)
        self.jobs = IndexJobs(self._build)
        self._embedder: Embedder | None = None
        self._parsed = ParsedCorpus()

    def _build(self) -> BuildResult:
        from qa.answer.units import unit_texts
        from qa.index.embed import make_embedder
        from qa.index.store import build_index, read_manifest

        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        documents, failures = self._parsed.read(self.settings)
        report = build_index(self.settings, documents, self._embedder, progress=False,
                             unit_texts=unit_texts, failures=failures)
        if not report.up_to_date and self.factory is not None:
            if self.holder.watcher is not None:
                self.holder.watcher.mark_loaded()  # this swap serves the new folder: no second reload
            assistant = self.factory()
            assistant.load()  # raises: the old assistant keeps serving, the build's documents fail
            self.holder.swap(assistant)
        indexed = frozenset(read_manifest(self.settings)["documents"])
        return BuildResult(indexed, tuple(report.failures))

    def start(self) -> None:
        """Once the assistant has loaded, queue the corpus files that changed since the index
        was built (an upload whose indexing a killed server never finished); returns at once."""
        threading.Thread(target=self._resume, name="qa-index-resume", daemon=True).start()

    def _resume(self) -> None:
        self.store.remove_leftovers()
        if self.holder.wait() != "ready":
            return
        for doc_id, action in changed_documents(self.settings).items():
            logger.info("indexing %s: its corpus file changed since the index was built", doc_id)
            self.jobs.submit(doc_id, action)


def changed_documents(settings: Settings) -> dict[str, JobAction]:
    """Document id -> "add" (new or changed file) or "delete" (file gone) against the manifest."""
    from qa.index.status import corpus_hashes
    from qa.index.store import read_manifest

    try:
        manifest = read_manifest(settings)
        current = corpus_hashes(settings)
    except (IndexMissing, IndexMismatch, IndexDamaged, OSError):
        return {}
    except Exception:  # noqa: BLE001 - a missing corpus folder etc.: nothing to resume
        logger.exception("cannot compare the corpus with the index")
        return {}
    built = {d["file"]: d["sha256"] for d in manifest["documents"].values()}
    built.update({f["file"]: f["sha256"] for f in manifest.get("failures", ())})
    changes: dict[str, JobAction] = {}
    for name in set(built) | set(current):
        if built.get(name) != current.get(name):
            stem = Path(name).stem
            # a file replaced under another extension is one "add"
            changes[stem] = "add" if name in current or changes.get(stem) == "add" else "delete"
    return changes
