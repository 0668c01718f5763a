"""Which files of the corpus folder are documents. Kept apart from parsing so that a cheap check
(the CLI's stale-index warning) can list the corpus without importing the parsers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import CorpusError

if TYPE_CHECKING:
    from qa.config import Settings

DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf")
CATALOG_NAME = "catalog.toml"


def corpus_files(settings: Settings) -> list[Path]:
    """Every document file in the corpus folder (duplicate ids included), sorted by name; a file
    whose name is not UTF-8 is left out (:func:`misnamed_files` lists those).

    Raises CorpusError if the folder is missing.
    """
    return [p for p in _document_paths(settings) if utf8_name(p.name)]


def misnamed_files(settings: Settings) -> list[Path]:
    """The document files whose names are not UTF-8 (a name written in another system's encoding,
    "r\xe9sum\xe9.txt" from a Latin-1 archive): no id, manifest or JSON body can hold them, and
    one such name stopped `qa index build` with a traceback, indexing nothing."""
    return [p for p in _document_paths(settings) if not utf8_name(p.name)]


def utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # the undecodable bytes of a name, held as lone surrogates
        return False
    return True


def printable_name(name: str) -> str:
    """``name`` with each undecodable byte shown as "?", for messages."""
    return name.encode("utf-8", "replace").decode("utf-8")


def _document_paths(settings: Settings) -> list[Path]:
    folder = Path(settings.corpus_dir)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist")
    return [p for p in sorted(folder.iterdir()) if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
            and not p.name.startswith(".")]
