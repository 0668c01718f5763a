"""One background worker that brings the index up to date after the corpus changed.

    jobs = IndexJobs(build)          # build() -> BuildResult: documents indexed, files failed
    jobs.submit("usdol-2020-niger")  # -> JobStatus(state="queued"); returns at once
    jobs.status("usdol-2020-niger")  # queued -> indexing -> ready | failed (with the reason)

Every change waits in a queue; the worker takes *all* waiting changes at once and runs one build
for them (an incremental build re-embeds only changed documents, so three uploads cost one build,
not three). ``build`` is given by the caller because a build that stores answer-unit vectors and
swaps the served index belongs to the layers above this one. While it runs the caller keeps
serving from the previous index: the build writes a new index folder and swaps it atomically
(qa.index.atomic), so a process killed mid-build leaves the previous index intact.

States live in memory: a restarted server forgets them (the corpus and index on disk are the truth).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from qa.errors import QAError
from qa.models import DocumentFailure

logger = logging.getLogger(__name__)

JobState = Literal["queued", "indexing", "ready", "failed", "deleted"]
JobAction = Literal["add", "delete"]


@dataclass(frozen=True)
class BuildResult:
    """What one build left in the index: the documents it holds, and the files that failed."""

    indexed: frozenset[str]
    failures: tuple[DocumentFailure, ...] = ()


Build = Callable[[], BuildResult]


@dataclass(frozen=True)
class JobStatus:
    """Where a document's last change stands. ``reason`` says why it failed."""

    doc_id: str
    action: JobAction
    state: JobState
    reason: str | None = None
    updated: float = 0.0  # time.time() of the last state change

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "indexing")

    def to_json(self) -> dict[str, object]:
        return {"id": self.doc_id, "action": self.action, "state": self.state, "reason": self.reason}


class IndexJobs:
    """A queue of corpus changes and the one daemon thread that indexes them."""

    def __init__(self, build: Build, history: int = 1000) -> None:
        if history < 1:
            raise ValueError("history must be >= 1")
        self._build = build
        self._history = history
        self._lock = threading.Condition()
        self._status: dict[str, JobStatus] = {}
        self._waiting: dict[str, JobAction] = {}
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def submit(self, doc_id: str, action: JobAction = "add") -> JobStatus:
        """Queue ``doc_id`` for the next build (its file was added, replaced or removed)."""
        with self._lock:
            self._waiting[doc_id] = action
            status = self._set(doc_id, action, "queued")
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="qa-index-jobs", daemon=True)
                self._thread.start()
            self._lock.notify()
        return status

    def status(self, doc_id: str) -> JobStatus | None:
        with self._lock:
            return self._status.get(doc_id)

    def pending(self) -> list[JobStatus]:
        with self._lock:
            return [s for s in self._status.values() if s.pending]

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no change is waiting or being indexed; False on timeout."""
        return self._idle.wait(timeout)

    # -- the worker -------------------------------------------------------------------------
    def _set(self, doc_id: str, action: JobAction, state: JobState, reason: str | None = None) -> JobStatus:
        status = JobStatus(doc_id, action, state, reason, time.time())
        self._status.pop(doc_id, None)  # re-inserted last: the oldest records are forgotten first
        self._status[doc_id] = status
        while len(self._status) > self._history:
            oldest = next(iter(self._status))
            if self._status[oldest].pending:
                break
            del self._status[oldest]
        return status

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._idle.set()
                    self._lock.wait()
                batch, self._waiting = self._waiting, {}
                for doc_id, action in batch.items():
                    self._set(doc_id, action, "indexing")
            self._index(batch)

    def _index(self, batch: dict[str, JobAction]) -> None:
        try:
            result: BuildResult | str = self._build()
        except QAError as exc:
            result = exc.message
        except Exception as exc:  # noqa: BLE001 - the worker must survive any build failure
            logger.exception("indexing %s failed", ", ".join(sorted(batch)))
            result = f"indexing failed ({type(exc).__name__}: {exc})"
        with self._lock:
            for doc_id, action in batch.items():
                if doc_id in self._waiting:  # changed again meanwhile: the next build decides
                    continue
                state, reason = _outcome(doc_id, action, result)
                self._set(doc_id, action, state, reason)
        if isinstance(result, str):
            logger.error("indexing %s failed: %s", ", ".join(sorted(batch)), result)


def _outcome(doc_id: str, action: JobAction, result: BuildResult | str) -> tuple[JobState, str | None]:
    """The final state of one document after a build (``result`` is the error message when it failed)."""
    if isinstance(result, str):
        return "failed", result
    failure = next((f for f in result.failures if f.doc_id == doc_id), None)
    if action == "delete":
        return ("failed", f"{doc_id} is still indexed") if doc_id in result.indexed else ("deleted", None)
    if failure is not None:
        kept = " (the version indexed earlier keeps answering)" if failure.stale else ""
        return "failed", failure.reason + kept
    if doc_id not in result.indexed:
        return "failed", f"{doc_id} is no longer in the corpus"
    return "ready", None
