"""Dynamic micro-batching of single-text encodes: concurrent questions share one model call.

The server answers each request in a thread of its pool. Without batching, 32 concurrent questions
make 32 model calls that compete for the same two cores; one call over a batch of 32 short
questions costs far less than 32 calls of one (the model's matrix products are wider, the per-call
overhead is paid once). :class:`MicroBatcher` wraps an embedder: a one-text ``encode`` is queued,
and one encoding thread takes what is queued (at most ``max_batch``), encodes it in one call and
hands each caller its row. While it encodes, new questions queue up and form the next batch.

The bounded wait (``max_wait_ms``) lets a batch fill when the server is busy; it applies only when
the previous batch held more than one question, so a lone client never waits for company.
Multi-text calls (the index build, a cache miss of several units) go straight to the embedder.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np


@dataclass
class _Pending:
    text: str
    done: threading.Event = field(default_factory=threading.Event)
    vector: np.ndarray | None = None
    error: BaseException | None = None


class MicroBatcher:
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
        self._thread: threading.Thread | None = None
        self._busy = False  # the last batch held more than one text: more are likely on the way
        self.batches: deque[int] = deque(maxlen=1000)  # sizes of the last batches, for tests and benches

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def load(self) -> None:
        self.inner.load()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode(texts, progress=progress)
        pending = _Pending(texts[0])
        with self._ready:
            self._queue.append(pending)
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="qa-encode-batcher", daemon=True)
                self._thread.start()
            self._ready.notify()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        assert pending.vector is not None
        return pending.vector[None, :]

    def _next_batch(self) -> list[_Pending]:
        with self._ready:
            while not self._queue:
                self._ready.wait()
            if self._busy and self.max_wait > 0:
                deadline = time.monotonic() + self.max_wait
                while len(self._queue) < self.max_batch and (left := deadline - time.monotonic()) > 0:
                    self._ready.wait(left)
            batch = [self._queue.popleft() for _ in range(min(self.max_batch, len(self._queue)))]
            self._busy = len(batch) > 1
            return batch

    def _serve(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                vectors = self.inner.encode([p.text for p in batch])
            except BaseException as exc:  # noqa: BLE001 - handed to the callers, who raise it
                for p in batch:
                    p.error = exc
                    p.done.set()
                continue
            self.batches.append(len(batch))
            for row, p in enumerate(batch):
                p.vector = np.array(vectors[row], dtype=np.float32)
                p.done.set()
