"""The one definition of "this passage contains the answer", shared by the retrieval bench and the eval harness.

An expected item is a phrase, or alternatives separated by ``|`` ("six | 6"). It matches when
any alternative occurs case-insensitively as whole words, with runs of whitespace treated alike.
A passage is its text plus its context: a table-row chunk's numbers only make sense next to the
table title and column headers kept in ``Chunk.context``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.models import Chunk

_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


@lru_cache(maxsize=4096)
def _pattern(alternative: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in _squash(alternative).split(" "))
    # (?<!\w)/(?!\w) rather than \b so items that start or end with punctuation ("$350,000") work.
    return re.compile(rf"(?<!\w){body}(?!\w)")


def alternatives(item: str) -> list[str]:
    return [alt.strip() for alt in item.split("|") if alt.strip()]


def matches(text: str, item: str) -> bool:
    """True when any ``|``-separated alternative of ``item`` occurs in ``text`` as whole words."""
    haystack = _squash(text)
    return any(_pattern(alt).search(haystack) for alt in alternatives(item))


def passage_text(chunk: Chunk) -> str:
    return f"{chunk.context}\n{chunk.text}" if chunk.context else chunk.text


def passage_contains(chunk: Chunk, items: list[str]) -> bool:
    """True when the chunk (text plus context) matches every item; an empty list never matches."""
    if not items:
        return False
    text = passage_text(chunk)
    return all(matches(text, item) for item in items)
