"""A small LRU cache in front of an embedder, so a question embedded by the retriever is not
embedded again by the answerer (the answer stage should cost little beyond that one embedding)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np


class EmbedderWrapper:
    """Passes an :class:`~qa.index.embed.Embedder`'s identity and loading through to ``inner``;
    a subclass changes only how ``encode`` reaches it."""

    inner: object

    @property
    def model_id(self) -> str:
        return self.inner.model_id  # type: ignore[attr-defined,no-any-return]

    @property
    def dimension(self) -> int:
        return self.inner.dimension  # type: ignore[attr-defined,no-any-return]

    def load(self) -> None:
        self.inner.load()  # type: ignore[attr-defined]


class QueryCache(EmbedderWrapper):
    """Wraps an :class:`~qa.index.embed.Embedder`; single-text ``encode`` calls are cached."""

    def __init__(self, inner, size: int = 256) -> None:  # type: ignore[no-untyped-def]
        if size < 1:
            raise ValueError("size must be at least 1")
        self.inner = inner
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode(texts, progress=progress)
        key = texts[0]
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        vector = self.inner.encode(texts)
        with self._lock:
            self._cache[key] = vector
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector
