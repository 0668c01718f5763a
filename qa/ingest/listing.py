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
    """Every document file in the corpus folder (duplicate ids included), sorted by name.

    Raises CorpusError if the folder is missing.
    """
    folder = Path(settings.corpus_dir)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist")
    return [p for p in sorted(folder.iterdir()) if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
            and not p.name.startswith(".")]
