"""Which corpus files changed since the index was built, cheaply enough to check before every question.

The manifest records, per corpus file, its sha256 and (since this module) its size and mtime. A
file whose size and mtime are what the build saw is taken as unchanged without being read; only
a file whose size or mtime differ (or that has no recorded stat) is hashed, so touching a file
without changing it is not a change. Importing this module stays light: no numpy, no parsers.

The build does not record a stat it cannot trust: when the file changed between parsing and
writing the manifest (its hash is no longer the parsed one), or when its mtime is within
``RACY_SECONDS`` of the build (an edit in the same timestamp tick would keep size and mtime),
the entry has no stat and the check hashes that file.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.index.verify import load_manifest

if TYPE_CHECKING:
    from qa.config import Settings

RACY_SECONDS = 2.0


@dataclass(frozen=True)
class CorpusChanges:
    """Corpus files (named relative to the corpus folder) that differ from what the index was built from."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # the catalog counts as a file here

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def describe(self) -> str:
        """E.g. "changed: usdol-2019-mali.txt; added: new.pdf"."""
        parts = [f"{what}: {', '.join(files)}" for what, files in
                 (("changed", self.changed), ("added", self.added), ("removed", self.removed)) if files]
        return "; ".join(parts)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stat_entry(path: Path, sha256: str | None) -> dict[str, int] | None:
    """What the manifest records beside ``sha256`` for a corpus file: size and mtime, or None when
    they cannot vouch for that hash (see the module docstring)."""
    try:
        before = path.stat()
        if sha256 is None or time.time() - before.st_mtime < RACY_SECONDS or file_sha256(path) != sha256:
            return None
        after = path.stat()
    except OSError:
        return None
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        return None  # written to while it was hashed
    return {"size": after.st_size, "mtime_ns": after.st_mtime_ns}


def _recorded(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """File key -> the manifest's entry for it (sha256, and stat when recorded)."""
    files = {d["file"]: d for d in (manifest.get("documents") or {}).values()}
    # a file that failed is known too: it is a change only when it changes again
    files.update({f["file"]: f for f in manifest.get("failures", ())})
    return files


def _differs(path: Path, entry: dict[str, Any]) -> bool:
    stat = entry.get("stat")
    if stat:
        with contextlib.suppress(OSError):
            now = path.stat()
            if now.st_size == stat["size"] and now.st_mtime_ns == stat["mtime_ns"]:
                return False
    try:
        return file_sha256(path) != entry.get("sha256")
    except OSError:
        return True


def corpus_changes(settings: Settings) -> CorpusChanges | None:
    """The corpus files added, removed or changed since the index was built; None when there is no
    readable index or corpus folder to compare (loading reports those itself)."""
    from qa.errors import QAError
    from qa.ingest.listing import CATALOG_NAME, corpus_files, misnamed_files, printable_name

    try:
        manifest = load_manifest(settings.index_path)
        current = corpus_files(settings)
        # a file whose name is not UTF-8 failed by its name, under its printable one ("latin?.txt"):
        # renaming or removing it is the change, not its bytes (it cannot be read until renamed)
        misnamed = {printable_name(file_key(p, Path(settings.corpus_dir).resolve())) for p in misnamed_files(settings)}
    except (OSError, QAError, ValueError):
        return None
    recorded = _recorded(manifest)
    root = Path(settings.corpus_dir).resolve()
    keys = {file_key(p, root): p for p in current}
    changed = [k for k in sorted(set(keys) & set(recorded)) if _differs(keys[k], recorded[k])]
    keys.update({k: Path(k) for k in misnamed})
    catalog = Path(settings.corpus_dir) / CATALOG_NAME
    now = file_sha256(catalog) if catalog.is_file() else None
    if now != manifest.get("catalog_sha256"):
        changed.append(CATALOG_NAME)
    return CorpusChanges(added=tuple(sorted(set(keys) - set(recorded))),
                         removed=tuple(sorted(set(recorded) - set(keys))), changed=tuple(changed))


def file_key(path: Path, root: Path) -> str:
    """A file as the manifest names it: relative to the corpus folder (qa.index.status.document_file_key names a document this way)."""
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(root).as_posix()
    return path.name
