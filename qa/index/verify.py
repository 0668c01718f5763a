"""Integrity of an index folder: what the manifest promises against what is on disk.

The manifest lists every other file of the folder with its size and blake2b hash, and carries a
checksum of its own content. Two depths of checking:

* ``hashes=False`` (every load): the manifest parses, its checksum matches, every listed file is
  present with its listed size. A few ``stat`` calls, whatever the corpus size.
* ``hashes=True`` (``qa index verify``, ``qa index build``, the server in the background once it
  is ready): every byte of every file is hashed, and files the manifest does not list are reported.

Problems name the file and what is wrong with it; :func:`damage_error` turns them into the one
line a user sees, with the fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import IndexDamaged

MANIFEST = "manifest.json"
HASH_NAME = "blake2b"
FIX = "run `qa index build --force` to rebuild it"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One file that is not what the manifest says: ``missing``, ``size``, ``hash``, ``unreadable``
    (it exists but cannot be parsed) or ``unexpected`` (on disk but not listed)."""

    file: str
    kind: str
    detail: str = ""

    def describe(self) -> str:
        what = {"missing": "is missing", "size": "has the wrong size", "hash": "has changed content",
                "unreadable": "cannot be read", "unexpected": "is not part of the index"}[self.kind]
        return f"{self.file} {what}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class VerifyReport:
    path: str
    files: int = 0
    bytes: int = 0
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "ok": self.ok, "files": self.files, "bytes": self.bytes,
                "problems": [{"file": p.file, "kind": p.kind, "message": p.describe()} for p in self.problems]}


def file_blake2b(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=32)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Every file under ``folder`` except the manifest: relative path -> size and blake2b."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != MANIFEST:
            out[name] = {"size": path.stat().st_size, HASH_NAME: file_blake2b(path)}
    return out


def manifest_checksum(manifest: dict[str, Any]) -> str:
    """blake2b of the manifest's canonical JSON without its own ``checksum`` field."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=32).hexdigest()


def load_manifest(folder: Path) -> dict[str, Any]:
    """The parsed manifest; :class:`IndexDamaged` when it is unreadable or its checksum is wrong.

    ``FileNotFoundError`` passes through: no manifest means no index, not a damaged one.
    """
    raw = (folder / MANIFEST).read_bytes()
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise damage_error(folder, [Problem(MANIFEST, "unreadable", type(exc).__name__)]) from None
    if not isinstance(manifest, dict):
        raise damage_error(folder, [Problem(MANIFEST, "unreadable", "not a JSON object")])
    if "checksum" in manifest and manifest["checksum"] != manifest_checksum(manifest):
        raise damage_error(folder, [Problem(MANIFEST, "hash", "checksum does not match its content")])
    return manifest


def check_files(folder: Path, manifest: dict[str, Any], hashes: bool = False) -> list[Problem]:
    """What differs between ``manifest["files"]`` and the folder (see the module docstring)."""
    listed: dict[str, dict[str, Any]] = manifest.get("files") or {}
    problems: list[Problem] = []
    for name, entry in sorted(listed.items()):
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(Problem(name, "missing"))
            continue
        if size != entry["size"]:
            problems.append(Problem(name, "size", f"{size} bytes, the manifest says {entry['size']}"))
        elif hashes and file_blake2b(path) != entry[HASH_NAME]:
            problems.append(Problem(name, "hash", "blake2b differs from the manifest"))
    if hashes and folder.is_dir():
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        problems += [Problem(n, "unexpected") for n in sorted(on_disk - set(listed) - {MANIFEST})]
    return problems


def verify_folder(folder: Path, hashes: bool = True) -> VerifyReport:
    """Check the index folder; a missing or unreadable manifest is a problem like any other."""
    try:
        manifest = load_manifest(folder)
    except FileNotFoundError:
        return VerifyReport(str(folder), problems=(Problem(MANIFEST, "missing"),))
    except OSError as exc:
        return VerifyReport(str(folder), problems=(Problem(MANIFEST, "unreadable", exc.strerror or ""),))
    except IndexDamaged as exc:
        return VerifyReport(str(folder), problems=tuple(p for p in exc.problems if isinstance(p, Problem)))
    if "files" not in manifest:
        return VerifyReport(str(folder), problems=(Problem(MANIFEST, "unreadable", "it lists no files: "
                                                           "an index from an older version"),))
    listed = manifest["files"]
    return VerifyReport(str(folder), files=len(listed) + 1, bytes=sum(e["size"] for e in listed.values()),
                        problems=tuple(check_files(folder, manifest, hashes)))


def damage_error(folder: Path, problems: list[Problem]) -> IndexDamaged:
    """One line: which file, what is wrong, and the fix."""
    first = problems[0].describe()
    more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return IndexDamaged(f"the index at {folder} is damaged: {first}{more}; {FIX}", tuple(problems))


def folder_digest(folder: Path) -> str:
    """A sha256 over every path under ``folder`` and every file's bytes: equal digests mean nothing in
    the folder was added, removed, renamed or changed (what a read-only load must leave as it was)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
