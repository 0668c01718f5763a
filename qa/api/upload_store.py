"""Writing uploaded reports into the corpus folder: never a half-written file.

An upload is first copied into ``<corpus>/.uploads/<random>/<id><ext>`` (a hidden folder the
corpus reader never lists), checked there by content (qa.ingest.checks, the same checks a corpus
file gets), fsynced, and only then renamed to ``<corpus>/<id><ext>``. A rename within one file
system is atomic, so a process killed at any moment leaves either the old file or the new one,
and at worst a leftover in ``.uploads/`` that the next start removes. The catalog
(``catalog.toml``) is rewritten the same way, keeping its comments (tomlkit).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

from qa.api.errors import UploadRejected
from qa.config import Settings
from qa.errors import ParseError
from qa.ingest.checks import (
    MAX_CONTROL_RATIO, PDF_SIGNATURE, PDF_SIGNATURE_WINDOW, bom_encoding, control_ratio, read_checked,
)
from qa.ingest.corpus import CATALOG_NAME, DOCUMENT_SUFFIXES

STAGING_DIR = ".uploads"
LEFTOVER_SECONDS = 3600  # a staged upload this old is a leftover even if its process id is alive again
_COPY_BLOCK = 1 << 20
# Ids become file names: letters, digits, ".", "_", "-"; no leading dot (hidden), no "..".
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
ID_RULE = ("1-120 ASCII letters (a-z, A-Z), digits, '.', '_' or '-', starting with a letter or digit, "
           "without '..'")


def check_id(value: str, what: str = "id", hint: bool = False) -> str:
    """``value`` when it is a safe document id; :class:`UploadRejected` (422) otherwise (``hint``:
    suggest sending an ``id`` form field, for an id taken from a file name)."""
    if not _ID.match(value) or ".." in value or value.endswith("."):
        advice = ""
        if hint:  # "Niger report (2019).pdf", "café.txt": say which id would do
            suggested = suggest_id(value)
            advice = "; rename the file or send an 'id' form field" + (f" (e.g. id={suggested})" if suggested else "")
        raise UploadRejected(422, "invalid_id", f"{what} {value!r} is not a valid document id ({ID_RULE}){advice}")
    return value


def suggest_id(value: str) -> str:
    """A valid id close to ``value``: accents dropped, every other run of characters an id cannot
    hold a "-" ("Niger report (2019)" -> "Niger-report-2019", "café" -> "cafe"); "" when none is left."""
    import unicodedata

    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only)).strip("-._")[:120].rstrip("-._")
    return slug if _ID.match(slug) else ""


def split_filename(filename: str | None) -> tuple[str, str]:
    """(stem, lower-case extension) of an uploaded file's name; refuses a name that is a path
    (422 ``invalid_filename``) and a type other than .txt, .md or .pdf (415)."""
    if not filename or not filename.strip():
        raise UploadRejected(422, "invalid_filename", "the uploaded file has no name; send it with a file name")
    name = filename.strip()
    if (PurePosixPath(name).name != name or PureWindowsPath(name).name != name or "\0" in name
            or name in (".", "..")):
        raise UploadRejected(422, "invalid_filename",
                             f"the file name {filename!r} is a path; send the file under its own name")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        raise UploadRejected(415, "unsupported_type",
                             f"{name}: no file extension; upload a .txt, .md or .pdf file")
    ext = "." + ext.lower()
    if ext not in DOCUMENT_SUFFIXES:
        raise UploadRejected(415, "unsupported_type", f"{name}: {ext} files are not accepted; upload a .txt, "
                                                      f".md or .pdf file")
    return stem, ext


class CorpusStore:
    """The corpus folder as the upload API changes it. ``lock`` serialises changes in this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = Path(settings.corpus_dir)
        self.lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------
    def files_of(self, doc_id: str) -> list[Path]:
        """The corpus files whose stem is ``doc_id`` (any accepted extension)."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.stem == doc_id
                      and p.suffix.lower() in DOCUMENT_SUFFIXES)

    def same_content(self, staged: Path) -> Path | None:
        """The corpus file of another document with exactly the bytes of ``staged``, if any (only
        files of the same size are hashed)."""
        import hashlib

        if not self.folder.is_dir():
            return None
        size = staged.stat().st_size
        digest = None
        for path in sorted(self.folder.iterdir()):
            if (not path.is_file() or path.stem == staged.stem or path.suffix.lower() not in DOCUMENT_SUFFIXES
                    or path.stat().st_size != size):
                continue
            digest = digest or hashlib.sha256(staged.read_bytes()).digest()
            if hashlib.sha256(path.read_bytes()).digest() == digest:
                return path
        return None

    # -- staging ---------------------------------------------------------------------------
    def stage(self, source: IO[bytes], doc_id: str, ext: str) -> Path:
        """Copy ``source`` into a private staging folder as ``<id><ext>``; 413 past the size limit,
        422 when it is empty. The caller removes it with :meth:`discard` unless committed."""
        limit = self.settings.max_file_bytes
        # the process id in the name tells a later start which leftovers belong to dead processes
        folder = self.folder / STAGING_DIR / f"{os.getpid()}-{uuid.uuid4().hex}"
        path = folder / f"{doc_id}{ext}"
        size = 0
        try:
            folder.mkdir(parents=True)
            with path.open("wb") as out:
                while block := source.read(_COPY_BLOCK):
                    size += len(block)
                    if size > limit:
                        raise UploadRejected(413, "payload_too_large",
                                             f"{doc_id}{ext}: the file is over the size limit of {limit:,} bytes "
                                             f"(QA_MAX_FILE_BYTES)")
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            self.discard(path)
            raise storage_error(exc) from exc
        except BaseException:
            self.discard(path)
            raise
        if size == 0:
            self.discard(path)
            raise UploadRejected(422, "empty_file", f"{doc_id}{ext}: the file is empty")
        return path

    def check(self, staged: Path) -> None:
        """The content decides: a PDF must be a PDF, text must be text (415 otherwise), and the
        corpus checks must pass (422 with their reason: empty, no text layer, not prose, ...)."""
        with staged.open("rb") as fh:
            head = fh.read(64 * 1024)
        is_pdf = PDF_SIGNATURE in head[:PDF_SIGNATURE_WINDOW]
        name = staged.name
        if staged.suffix == ".pdf" and not is_pdf:
            raise UploadRejected(415, "unsupported_type", f"{name}: the file is not a PDF (no %PDF- signature)")
        if staged.suffix != ".pdf" and is_pdf:
            raise UploadRejected(415, "unsupported_type", f"{name}: the file is a PDF; upload it with a .pdf name")
        # text with a byte-order mark is decoded by it (read_checked below), as the corpus reads it
        if not is_pdf and bom_encoding(head) is None and control_ratio(head) > MAX_CONTROL_RATIO:
            raise UploadRejected(415, "unsupported_type",
                                 f"{name}: binary data, not text; upload a text file (UTF-8), Markdown or a PDF")
        try:
            read_checked(staged, self.settings.max_file_bytes)
        except ParseError as exc:
            code = "empty_file" if exc.message.endswith("the file is empty") else "unreadable_file"
            raise UploadRejected(422, code, exc.message) from None

    def discard(self, staged: Path) -> None:
        shutil.rmtree(staged.parent, ignore_errors=True)

    def remove_leftovers(self, older_than: float = LEFTOVER_SECONDS) -> int:
        """Remove what killed processes left in the staging folder (their process is gone, or it
        is older than ``older_than`` seconds); returns how many entries were removed."""
        root = self.folder / STAGING_DIR
        if not root.is_dir():
            return 0
        removed = 0
        for entry in root.iterdir():
            with contextlib.suppress(OSError):
                owner = entry.name.split("-", 1)[0]
                dead = owner.isdigit() and not _alive(int(owner))
                if dead or time.time() - entry.stat().st_mtime >= older_than:
                    if entry.is_dir():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed += 1
        return removed

    # -- committing (hold ``lock``) --------------------------------------------------------
    def commit(self, staged: Path, metadata: dict[str, Any]) -> Path:
        """Move a checked upload into the corpus (atomically), replacing the files of the same id
        with another extension; records ``metadata`` in the catalog first."""
        doc_id = staged.stem
        if metadata:
            self.set_catalog_entry(doc_id, metadata)
        target = self.folder / staged.name
        others = [p for p in self.files_of(doc_id) if p.name != target.name]
        os.replace(staged, target)
        for other in others:  # after the rename: a crash in between never loses the document
            other.unlink(missing_ok=True)
        _fsync_dir(self.folder)
        self.discard(staged)
        return target

    def remove(self, doc_id: str) -> list[Path]:
        """Delete the corpus files of ``doc_id`` and its catalog entry; returns the files removed."""
        files = self.files_of(doc_id)
        for path in files:
            path.unlink(missing_ok=True)
        self.set_catalog_entry(doc_id, None)
        _fsync_dir(self.folder)
        return files

    def set_catalog_entry(self, doc_id: str, values: dict[str, Any] | None) -> None:
        """Update (or with ``None`` remove) the catalog entry of ``doc_id``, rewriting the file
        atomically and keeping everything else in it as written."""
        import tomlkit

        path = self.folder / CATALOG_NAME
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        catalog = tomlkit.parse(text)
        if values is None:
            if doc_id not in catalog:
                return
            del catalog[doc_id]
        else:
            entry = catalog.get(doc_id)
            if entry is None:
                entry = tomlkit.table()
                catalog[doc_id] = entry
            for key, value in values.items():
                entry[key] = value
        staging = self.folder / STAGING_DIR / f"{os.getpid()}-catalog-{uuid.uuid4().hex}.toml"
        staging.parent.mkdir(parents=True, exist_ok=True)
        with staging.open("w", encoding="utf-8") as out:
            out.write(tomlkit.dumps(catalog))
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, path)


def storage_error(exc: OSError) -> UploadRejected:
    """A write into the corpus folder failed (permissions, full disk): a JSON 500 naming the cause
    (the server's problem, not the client's; the corpus file is the old one or the new one)."""
    where = f" ({Path(exc.filename).name})" if isinstance(exc.filename, str) else ""
    return UploadRejected(500, "storage_error", f"cannot write into the corpus folder: {exc.strerror or exc}{where}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by another user
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
