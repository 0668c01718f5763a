"""Replacing an index folder atomically, one build at a time.

A build writes a temporary sibling folder (``.<name>.tmp-<pid>-<ns>``), renames the live folder to
``.<name>.previous`` and the new one into place, then removes the old one. A crash at any point
leaves either the old or the new folder complete (``recover`` undoes a swap cut between its two
renames). Builds of one index take an exclusive ``flock`` on ``.<name>.lock`` beside it; a second
build waits up to ``timeout`` seconds and then fails with :class:`IndexLocked`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from qa.errors import IndexLocked

_POLL_SECONDS = 0.1


@contextlib.contextmanager
def build_lock(index_dir: Path, name: str, timeout: float) -> Iterator[None]:
    """Hold the build lock of index ``name``; :class:`IndexLocked` after ``timeout`` seconds."""
    lock_path = index_dir / f".{name}.lock"
    deadline = time.monotonic() + timeout
    with lock_path.open("a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # two builds would race on the rename
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another `qa index build` is writing the index at {index_dir / name} (lock "
                        f"{lock_path}, waited {timeout:g} s); wait for it to finish, or raise "
                        f"QA_BUILD_LOCK_TIMEOUT") from None
                time.sleep(_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def staging_dir(index_dir: Path, name: str) -> Path:
    """A fresh temporary folder beside the index (leftovers of killed builds are removed first;
    only called under the build lock, so no other build is using them)."""
    for leftover in index_dir.glob(f".{name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    folder = index_dir / f".{name}.tmp-{os.getpid()}-{time.time_ns()}"
    folder.mkdir()
    return folder


def previous(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def swap_into_place(staging: Path, target: Path) -> None:
    old = previous(target)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def recover(target: Path, manifest_name: str) -> None:
    """Undo a swap interrupted between its two renames (the old index is still complete)."""
    old = previous(target)
    if not target.exists() and (old / manifest_name).exists():
        with contextlib.suppress(OSError):
            os.rename(old, target)


def fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
