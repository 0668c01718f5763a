"""Dynamic micro-batching of single-text encodes: concurrent questions share one model call.

The server answers each request in a thread of its pool. Without batching, concurrent questions
make one model call each, competing for the same cores; one call over a batch costs less per
question (measured here with ONNX Runtime on one thread: 7.4 ms of CPU for a question alone,
5.6 ms each in batches of 8 or 32). :class:`MicroBatcher` wraps an embedder: a one-text ``encode``
is queued, and the first caller to find no batch being encoded leads: in its own thread (a lone
client pays no hand-off to another thread) it encodes what is queued, at most ``max_batch``, in
one call and hands each caller its row. While it encodes, new questions queue up, and the next
leader takes them as one batch.

The bounded wait (``max_wait_ms``) lets a batch fill when the server is busy; it applies only when
the previous batch held more than one question, so a lone client never waits for company.
Multi-text calls (the index build, a cache miss of several units) go straight to the embedder.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

import numpy as np

from qa.index.embedcache import EmbedderWrapper


@dataclass
class _Pending:
    text: str
    done: bool = False
    vector: np.ndarray | None = None
    error: BaseException | None = None


class MicroBatcher(EmbedderWrapper):
    """Wraps an :class:`~qa.index.embed.Embedder`; concurrent one-text ``encode`` calls are batched.

    Raises ``ValueError`` for ``max_batch < 1`` or a negative ``max_wait_ms``. An error of the
    wrapped embedder is raised in every caller whose text was in the failed batch.
    """

    def __init__(self, inner, max_batch: int = 32, max_wait_ms: float = 2.0) -> None:  # type: ignore[no-untyped-def]
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        if max_wait_ms < 0:
            raise ValueError("max_wait_ms must not be negative")
        self.inner = inner
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self._queue: deque[_Pending] = deque()
        self._ready = threading.Condition()
        self._leading = False  # a caller is encoding a batch
        self._busy = False  # the last batch held more than one text: more are likely on the way
        self.batches: deque[int] = deque(maxlen=1000)  # sizes of the last batches, for tests and benches

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode(texts, progress=progress)
        mine = _Pending(texts[0])
        with self._ready:
            self._queue.append(mine)
            while not mine.done:
                if self._leading:  # another caller is encoding; ours may be in its next batch
                    self._ready.wait()
                    continue
                # No one is encoding: this caller leads, in its own thread (no hand-off to another
                # thread, so a lone client pays nothing for batching).
                self._leading = True
                batch = self._take()
                self._ready.release()
                try:
                    self._run(batch)
                finally:
                    self._ready.acquire()
                    for p in batch:
                        p.done = True
                    self.batches.append(len(batch))
                    self._leading = False
                    self._ready.notify_all()
        if mine.error is not None:
            raise mine.error
        assert mine.vector is not None
        return mine.vector[None, :]

    def _take(self) -> list[_Pending]:
        """Up to ``max_batch`` queued texts, oldest first (the leader calls it holding the lock)."""
        if self._busy and self.max_wait > 0:
            deadline = time.monotonic() + self.max_wait
            while len(self._queue) < self.max_batch and (left := deadline - time.monotonic()) > 0:
                self._ready.wait(left)
        batch = [self._queue.popleft() for _ in range(min(self.max_batch, len(self._queue)))]
        self._busy = len(batch) > 1
        return batch

    def _run(self, batch: list[_Pending]) -> None:
        """Encode ``batch`` (outside the lock) and give each its row, or the error."""
        try:
            # an embedder that can encode a batch of questions in length groups does (qa.index.embed)
            encode = getattr(self.inner, "encode_queries", self.inner.encode)
            vectors = encode([p.text for p in batch])
            for row, p in enumerate(batch):
                p.vector = np.array(vectors[row], dtype=np.float32)
        except BaseException as exc:  # noqa: BLE001 - handed to the callers, who raise it
            for p in batch:
                p.error = exc
