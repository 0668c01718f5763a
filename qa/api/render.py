"""Turn an :class:`~qa.models.Answer` into chat text: the answer with its "[n]" markers, then a
short "Sources:" list of the bibliography entries it cites.

Shared by the chat endpoints and the terminal chat so every front end prints references the
same way. No FastAPI imports here.
"""

from __future__ import annotations

import re

from qa.models import Answer, Chunk, Citation

ENTRY_MAX_CHARS = 220

# A citation marker stays one streaming piece so a client never sees half of "[4, 13]".
_TOKEN = re.compile(r"\[[^\]\n]{1,100}\]|[^\s\[]+|\s+|\[")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def citation_line(citation: Citation, show_doc: bool = False, limit: int = ENTRY_MAX_CHARS) -> str:
    """One line of the sources list, e.g. ``[4] U.S. DOL ... https://...``."""
    label = citation.marker
    text = citation.text
    if citation.url:
        # Entries usually end with their URL: shorten the words, never the link.
        if citation.url in text:
            text = text.replace(citation.url, " ").strip().removesuffix(".").rstrip()
        text = f"{_shorten(text, limit)} {citation.url}".strip()
    else:
        text = _shorten(text, limit)
    # a labelled marker ("[Mali 2019: 4]") names its document already
    if show_doc and citation.ref is not None and ":" not in citation.label:
        text = f"{text} ({citation.doc})"
    return f"{label} {text}".rstrip()


def sources_block(answer: Answer) -> str:
    """The "Sources:" list, or "" when the answer cites nothing."""
    if not answer.citations:
        return ""
    # Reference numbers are per document; name the document only when that could be ambiguous.
    show_doc = len({c.doc for c in answer.citations}) > 1
    lines = [citation_line(c, show_doc=show_doc) for c in answer.citations]
    return "Sources:\n" + "\n".join(lines)


def passages_heading(answer: Answer) -> str:
    """The heading above an answer's passages. A declined answer still lists the closest passages
    found; they are not the answer's evidence and must not read as if they were."""
    if answer.abstained:
        return "Closest passages found (none answers the question):"
    return "Passages used:"


def answer_content(answer: Answer) -> str:
    """The chat message for an answer: text with markers, a blank line, the sources list."""
    block = sources_block(answer)
    return f"{answer.answer}\n\n{block}" if block else answer.answer


def stream_pieces(content: str, words_per_piece: int = 3) -> list[str]:
    """Split ``content`` into streaming deltas; ``"".join(pieces) == content``.

    Pieces end after a few words; a citation marker is never split across pieces.
    """
    pieces: list[str] = []
    current: list[str] = []
    words = 0
    for token in _TOKEN.findall(content):
        current.append(token)
        if not token.isspace():
            words += 1
        elif words >= words_per_piece:
            pieces.append("".join(current))
            current, words = [], 0
    if current:
        pieces.append("".join(current))
    return pieces


def preview(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, " …" saying it was cut (a
    passage cut mid-word without a mark read as if the report's sentence stopped there)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 2]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + " …"


def hit_text(chunk: Chunk) -> str:
    """A chunk's text as ``qa search`` and the MCP search tool list it. A table row's cells are
    named by their column headers (the chunk's context: "Table 6. ... | Overview of ... | 2018 |
    2019"): "Number of Labor Inspectors | 2018: 265 (84) | 2019: 64 (27)"; its bare cells ("...
    265 (84) 64 (27)") did not say which figure was for which year. Cells that do not line up with
    the headers stay as they are."""
    heads = chunk.context.split(" | ")[1:] if chunk.kind == "table-row" else []
    cells = chunk.text.split("\t")
    if len(cells) < 2 or len(heads) != len(cells):
        return chunk.text
    named = [f"{head}: {cell}" if head.strip() else cell for head, cell in zip(heads[1:], cells[1:])]
    return " | ".join([cells[0], *named])
