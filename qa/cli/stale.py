"""The one-line warning `qa ask`, `qa chat`, `qa serve` and `qa mcp` print when the corpus changed
since the index was built: the answers still come from the old index until `qa index build`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from qa.config import Settings

logger = logging.getLogger(__name__)


def stale_warning(settings: Settings) -> str | None:
    """The warning line, or None when the index matches the corpus (or there is no index to compare:
    loading it reports that itself). Hashes only files whose size or mtime changed."""
    from qa.index.changes import corpus_changes

    changes = corpus_changes(settings)
    if not changes:
        return None
    return (f"warning: the corpus changed since the index was built ({changes.describe()}); answers come from "
            f"the old index until you run `qa index build`")


def warn_if_stale(settings: Settings) -> None:
    """Print :func:`stale_warning` on stderr. A warning must never stop a command: any error is ignored."""
    try:
        line = stale_warning(settings)
    except Exception:  # noqa: BLE001 - only a courtesy; the command reports real problems itself
        logger.debug("stale check failed", exc_info=True)
        return
    if line:
        typer.echo(line, err=True)
