"""Is the index folder the build of today's corpus? Fingerprints of what decides the index (corpus
files, catalog, the parsing code and chunker settings, the model's exported encoder), the staleness
check against the manifest, and the status ``qa index status`` and ``/health`` report. The build
(qa.index.store) records the same fingerprints in the manifest it writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import IndexDamaged, IndexMismatch, IndexMissing
from qa.index.changes import file_key, file_sha256
from qa.index.files import check_compatible, read_manifest
from qa.index.verify import check_files

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.index.embed import Embedder

# Code that decides what a chunk is and how it is analysed: every module of the text and ingest
# stages, the chunker, the answer units (whose vectors the build stores) and the data types (the
# parsed documents are stored pickled); a change in any of them makes the index stale. Only the
# files are read: the index stage imports nothing from the answer stage.
_CHUNKER_CODE = ("models.py", "text/*.py", "ingest/*.py", "index/chunk.py", "answer/units.py")


@dataclass(frozen=True)
class IndexStatus:
    path: str
    exists: bool
    stale: bool
    reasons: tuple[str, ...] = ()
    model_id: str | None = None
    dimension: int | None = None
    documents: dict[str, int] = field(default_factory=dict)  # doc id -> chunk count
    chunks: int = 0
    built_at: str | None = None
    ann: dict[str, Any] = field(default_factory=dict)
    failures: tuple[dict[str, Any], ...] = ()  # files the build could not index, with reasons

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        out["failures"] = list(self.failures)
        return out


def chunker_config(settings: Settings) -> dict[str, Any]:
    """What decides the chunks: token limits, tokenizer, and the code of the parsing modules."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(p for pattern in _CHUNKER_CODE for p in package.glob(pattern)):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return {"min_tokens": settings.chunk_min_tokens, "max_tokens": settings.chunk_max_tokens,
            "tokenizer": settings.tokenizer, "code": digest.hexdigest()[:16]}


def document_file_key(path: str | Path, settings: Settings) -> str:
    """A document's file as the manifest names it: relative to the corpus folder when inside it."""
    return file_key(Path(path), settings.corpus_dir.resolve())


def corpus_hashes(settings: Settings) -> dict[str, str | None]:
    """Current file key -> sha256 for every corpus file (cheap: no parsing, no model). A file whose
    name is not UTF-8 has its printable key and no hash, as its failure is recorded: it cannot be
    read until it is renamed."""
    from qa.ingest.corpus import corpus_files, misnamed_files, printable_name

    hashes: dict[str, str | None] = {document_file_key(p, settings): file_sha256(p) for p in corpus_files(settings)}
    hashes.update({printable_name(document_file_key(p, settings)): None for p in misnamed_files(settings)})
    return hashes


def catalog_sha256(settings: Settings) -> str | None:
    from qa.ingest.corpus import CATALOG_NAME

    path = settings.corpus_dir / CATALOG_NAME
    return file_sha256(path) if path.exists() else None


def lacks_encoder(manifest: dict[str, Any], embedder: Embedder) -> bool:
    """An index built before encoder.onnx existed, for a model that can be exported: rebuilding
    adds the file (every vector is reused)."""
    exportable = getattr(embedder, "exportable", False)
    return bool(exportable) and not manifest.get("encoder")


def staleness(manifest: dict[str, Any], settings: Settings) -> list[str]:
    """Why the index no longer matches the corpus and settings (empty when it does)."""
    reasons: list[str] = []
    built = {d["file"]: d["sha256"] for d in manifest["documents"].values()}
    # a file that failed is known too: it makes the index stale only when it changes again
    built.update({f["file"]: f["sha256"] for f in manifest.get("failures", ())})
    current = corpus_hashes(settings)
    reasons += [f"new file {f}" for f in sorted(set(current) - set(built))]
    reasons += [f"removed file {f}" for f in sorted(set(built) - set(current))]
    reasons += [f"changed file {f}" for f in sorted(set(built) & set(current)) if built[f] != current[f]]
    if manifest.get("catalog_sha256") != catalog_sha256(settings):
        reasons.append("catalog changed")
    if manifest["chunker"] != chunker_config(settings):
        reasons.append("chunker settings or code changed")
    return reasons


def index_status(settings: Settings) -> IndexStatus:
    """Manifest summary plus ``stale`` (corpus files or chunker changed since the build)."""
    path = settings.index_path
    try:
        manifest = read_manifest(settings)
    except (IndexMissing, IndexMismatch, IndexDamaged) as exc:
        return IndexStatus(path=str(path), exists=False, stale=True, reasons=(exc.message,))
    reasons = staleness(manifest, settings)
    return IndexStatus(
        path=str(path), exists=True, stale=bool(reasons), reasons=tuple(reasons),
        model_id=manifest["model"]["id"], dimension=manifest["model"]["dimension"],
        documents={k: v["chunks"] for k, v in manifest["documents"].items()},
        chunks=manifest["chunks"], built_at=manifest["built_at"], ann=manifest["ann"],
        failures=tuple(manifest.get("failures", ())))


def is_up_to_date(settings: Settings, embedder: Embedder, with_units: bool = False) -> bool:
    """True when a build would change nothing: same model, corpus files and chunker, every file of
    the index intact (hashes checked), and answer-unit vectors present when ``with_units``."""
    try:
        manifest = read_manifest(settings)
        check_compatible(manifest, embedder, settings.index_path)
    except (IndexMissing, IndexMismatch, IndexDamaged):
        return False
    if manifest["ann"]["requested"] != settings.ann or bool(manifest.get("answer_units")) != with_units:
        return False
    if lacks_encoder(manifest, embedder):
        return False
    return not staleness(manifest, settings) and not check_files(settings.index_path, manifest, hashes=True)
