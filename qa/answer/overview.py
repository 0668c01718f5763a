"""Overview answers: "Summarize the findings on Mali", "What are the key findings?" are answered
from the report's own opening — the first section's paragraphs, where a country report states the
year's assessment and main findings — quoted sentence by sentence with their own references."""

from __future__ import annotations

from qa.answer.units import Unit, units_of
from qa.models import Chunk, Document, Hit

OPENING_CHUNKS = 2  # paragraphs of the first section quoted at most
OPENING_SENTENCES = 5  # sentences quoted at most


class Overviews:
    def __init__(self, documents: dict[str, Document], chunks: list[Chunk] | None = None) -> None:
        self.documents = documents
        self._opening: dict[str, list[Chunk]] = {}
        for chunk in chunks or []:
            first = self._opening.setdefault(chunk.doc_id, [])
            # chunks come in document order: the first one names the opening section
            if chunk.kind == "paragraph" and len(first) < OPENING_CHUNKS and \
                    (not first or first[0].section == chunk.section):
                first.append(chunk)

    def opening(self, hits: list[Hit], doc: str | None) -> list[Unit]:
        """The opening sentences of the report the question is about (``doc``, else the best hit's)."""
        doc_id = doc or (hits[0].chunk.doc_id if hits else None)
        if doc_id is None:
            return []
        units: list[Unit] = []
        for chunk in self._opening.get(doc_id, []):
            units.extend(u for u in units_of(chunk, self.documents.get(doc_id))
                         if u.kind == "sentence" and not _heading(u.text))
        return units[:OPENING_SENTENCES]


def _heading(text: str) -> bool:
    """A title line kept in the opening paragraph ("2019 Findings on Child Labor: Mali"): short and
    with no sentence ending. It names the report; it is no finding."""
    return len(text.split()) < 12 and not text.rstrip().endswith((".", "!", "?"))
