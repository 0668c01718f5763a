"""Serve a rebuilt index without a restart.

`qa index build` (or another server process's upload) replaces the index folder by renames, so a
running server would keep answering from the folder it loaded. At most every
``QA_INDEX_RELOAD_SECONDS`` a request looks at the live folder's manifest (one ``stat``); when it is
not the one the served assistant was loaded from, a new assistant loads in a background thread and
replaces the old one once ready. Requests never wait for it, and a new index that fails to load is
logged and left alone: the old one keeps answering until the folder changes again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from qa.api.deps import AssistantHolder, AssistantLike

logger = logging.getLogger(__name__)

Stamp = tuple[int, int, int]


def manifest_stamp(path: Path) -> Stamp | None:
    """Identity of one manifest file (inode, mtime, size); None when there is none yet."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class IndexWatcher:
    """``poke()`` on every request; reloads in the background when ``manifest`` changed."""

    def __init__(self, holder: AssistantHolder, manifest: Path, factory: Callable[[], AssistantLike],
                 interval: float) -> None:
        self.holder = holder
        self.manifest = manifest
        self.factory = factory
        self.interval = interval
        self.loaded: Stamp | None = None  # the manifest the served assistant was loaded from
        self._next_check = 0.0
        self._lock = threading.Lock()
        self._reloading = False

    def mark_loaded(self) -> None:
        """The served assistant comes from the folder as it is now (call before loading it)."""
        self.loaded = manifest_stamp(self.manifest)

    def poke(self) -> None:
        if not self.interval or self.holder.state == "loading":  # "failed" too: a rebuilt index may fix it
            return
        now = time.monotonic()
        with self._lock:
            if self._reloading or now < self._next_check:
                return
            self._next_check = now + self.interval
            stamp = manifest_stamp(self.manifest)
            if stamp is None or stamp == self.loaded:
                return
            self._reloading = True
        threading.Thread(target=self._reload, args=(stamp,), name="qa-index-reload", daemon=True).start()

    def _reload(self, stamp: Stamp) -> None:
        try:
            assistant = self.factory()
            assistant.load()
            self.holder.swap(assistant)
            logger.info("the index at %s was rebuilt; now answering from the new one", self.manifest.parent)
        except Exception as exc:  # noqa: BLE001 - a bad new index must not take the served one down
            logger.warning("the index at %s changed but could not be loaded (%s); the one loaded "
                           "before keeps answering", self.manifest.parent, exc)
        finally:
            with self._lock:
                self.loaded = stamp  # tried once; a later change is tried again
                self._reloading = False
