"""The data types that cross stage boundaries.

    parse  -> Document (sections, paragraphs, tables, Bibliography)
    chunk  -> Chunk (text, anchor, refs, token count, sentences)
    retrieve -> Hit (chunk, scores)
    answer -> Answer (text, citations, sources, abstained, the quoted units)

All are frozen dataclasses so a stage can never mutate what an earlier stage produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DocumentKind = Literal["country-report", "article"]
ChunkKind = Literal["paragraph", "table-row", "reference", "title"]


@dataclass(frozen=True)
class ReferenceEntry:
    """One numbered entry of a report's bibliography.

    ``number`` comes from the entry's position in the list; ``printed`` is the number the
    extraction actually shows for it (``None`` when the number was lost), kept for auditing.
    """

    number: int
    text: str
    url: str | None
    printed: int | None = None
    start: int = 0  # span of the entry's lines in the normalised text
    end: int = 0


@dataclass(frozen=True)
class Bibliography:
    entries: tuple[ReferenceEntry, ...] = ()
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, number: int) -> ReferenceEntry | None:
        if 1 <= number <= len(self.entries):
            return self.entries[number - 1]
        return None


@dataclass(frozen=True)
class CitationGroup:
    """A parenthesised run of reference numbers, e.g. ``(4,13-16)`` -> {4, 13, 14, 15, 16}."""

    refs: frozenset[int]
    start: int
    end: int
    raw: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a table cell) with the reference numbers of the group that backs it.

    ``text`` is exactly ``document.text[start:end]``. ``label`` is set for table cells: the
    column header (e.g. "2019"), so a cell reads naturally as "2019: 113".
    """

    text: str
    start: int
    end: int
    refs: frozenset[int] = frozenset()
    label: str | None = None


@dataclass(frozen=True)
class Section:
    key: str  # "I", "II", ... "REFERENCES", or "" for text before the first heading
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    index: int
    section: str  # Section.key
    heading_path: tuple[str, ...]
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class TableRow:
    index: int
    start: int
    end: int
    cells: tuple[Sentence, ...]  # one Sentence-like entry per non-empty cell, label = header
    label: str  # the row's first-column text (carried down when a cell was left empty)

    @property
    def refs(self) -> frozenset[int]:
        out: set[int] = set()
        for cell in self.cells:
            out |= cell.refs
        return frozenset(out)


@dataclass(frozen=True)
class Table:
    number: int
    title: str  # "Table 6. Labor Law Enforcement Efforts Related to Child Labor"
    section: str
    heading_path: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    notes: tuple[Sentence, ...] = ()  # source notes and footnotes that belong to this table


@dataclass(frozen=True)
class DocumentMeta:
    id: str
    path: str
    sha256: str
    title: str = ""
    publisher: str = ""
    kind: DocumentKind | str = ""  # "" = infer: a document with a bibliography is a country report
    country: str = ""
    year: int | None = None
    published: str = ""
    url: str | None = None
    level: str = ""  # a country report's assessment level, e.g. "Moderate Advancement"
    synthetic: bool = False  # a generated test report (catalog ``synthetic = true``), never a real one
    # where each filled value came from: ("country", "inferred"), ("year", "catalog"), ...
    origin: tuple[tuple[str, str], ...] = ()

    def origin_of(self, field_name: str) -> str:
        """ "catalog", "inferred", or "" when the field is empty."""
        return dict(self.origin).get(field_name, "")

    @property
    def label(self) -> str:
        """A short human name for citations across documents: "Mali 2019", else the id."""
        if self.country and self.year:
            return f"{self.country} {self.year}"
        return self.id


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    text: str  # normalised text; every span in this document indexes into it
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    tables: tuple[Table, ...]
    bibliography: Bibliography
    footnotes: tuple[Sentence, ...] = ()  # footnotes not attached to any table

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class DocumentFailure:
    """A corpus file that could not be indexed, and why (one readable line).

    ``stale`` is set when an earlier, good version of the document is still indexed and answering.
    """

    doc_id: str
    path: str
    reason: str
    stale: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc_id, "file": self.path, "reason": self.reason, "stale": self.stale}


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded, indexed and retrieved.

    ``text`` is exactly ``document.text[start:end]``. ``context`` is what a reader needs
    beside it (for a table row: "Table 6. ... | Overview ... | 2018 | 2019"); ``embed_text``
    is what is embedded and BM25-indexed (context plus text with [n] markers).
    """

    id: str  # stable anchor: "<doc>#<section>/p<k>" or "<doc>#t<table>/r<k>" or "<doc>#ref<n>"
    doc_id: str
    kind: ChunkKind
    section: str
    heading_path: tuple[str, ...]
    text: str
    start: int
    end: int
    token_count: int
    refs: frozenset[int]
    sentences: tuple[Sentence, ...]
    context: str = ""
    embed_text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "section": self.section,
            "heading_path": list(self.heading_path),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "token_count": self.token_count,
            "refs": sorted(self.refs),
            "sentences": [
                {"text": s.text, "start": s.start, "end": s.end, "refs": sorted(s.refs), "label": s.label}
                for s in self.sentences
            ],
            "context": self.context,
            "embed_text": self.embed_text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        return cls(
            id=data["id"],
            doc_id=data["doc_id"],
            kind=data["kind"],
            section=data["section"],
            heading_path=tuple(data["heading_path"]),
            text=data["text"],
            start=data["start"],
            end=data["end"],
            token_count=data["token_count"],
            refs=frozenset(data["refs"]),
            sentences=tuple(
                Sentence(s["text"], s["start"], s["end"], frozenset(s["refs"]), s.get("label"))
                for s in data["sentences"]
            ),
            context=data.get("context", ""),
            embed_text=data.get("embed_text", ""),
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with every score that ranked it (``None`` where a retriever did not see it)."""

    chunk: Chunk
    score: float  # the fused score used for ranking
    dense_score: float | None = None
    bm25_score: float | None = None
    rerank_score: float | None = None


@dataclass(frozen=True)
class Citation:
    """A reference used by an answer. ``ref`` is None when the document itself is cited.

    ``label`` is what the answer's marker shows for it: "4" in an answer from one document,
    "Mali 2019: 4" when the answer cites several documents (reference numbers are per report),
    the document id when the document itself is cited.
    """

    doc: str
    ref: int | None
    text: str
    url: str | None
    label: str = field(default="", compare=False)  # presentation only: equal citations stay equal

    @property
    def marker(self) -> str:
        return f"[{self.label or (self.ref if self.ref is not None else self.doc)}]"

    def to_json(self) -> dict[str, Any]:
        label = self.label or (str(self.ref) if self.ref is not None else self.doc)
        return {"doc": self.doc, "ref": self.ref, "label": label, "text": self.text, "url": self.url}


@dataclass(frozen=True)
class Source:
    """A passage an answer used."""

    doc: str
    anchor: str
    section: str
    text: str
    score: float
    refs: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "anchor": self.anchor,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
            "refs": list(self.refs),
        }


@dataclass(frozen=True)
class QuotedUnit:
    """One unit an extractive answer quotes: a sentence, a table row's cells, a bibliography entry,
    or (``anchor`` None) a value of the document's metadata, such as its assessment level.

    ``text`` is the unit as the answer words it, without reference markers ("Number of Labor
    Inspectors: 113 in 2019."). ``anchor`` is the quoted chunk's id, the ``anchor`` of the
    :class:`Source` it belongs to; ``spans`` are the ``[start, end)`` offsets in that source's
    ``text`` of the sentences or cells quoted (a row's label included); ``doc_spans`` the same
    places in the document's text. ``refs`` are the reference numbers of ``doc`` the unit cites.
    """

    doc: str
    anchor: str | None
    text: str
    refs: tuple[int, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    doc_spans: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "anchor": self.anchor, "text": self.text, "refs": list(self.refs),
                "spans": [list(s) for s in self.spans], "doc_spans": [list(s) for s in self.doc_spans]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuotedUnit:
        def spans(key: str) -> tuple[tuple[int, int], ...]:
            return tuple((int(a), int(b)) for a, b in data.get(key, ()))

        anchor = data.get("anchor")
        return cls(str(data["doc"]), None if anchor is None else str(anchor), str(data["text"]),
                   tuple(int(r) for r in data.get("refs", ())), spans("spans"), spans("doc_spans"))


@dataclass(frozen=True)
class Answer:
    """``units`` are the quoted units of an extractive answer, in the order the answer writes them
    (empty for a declined answer and for text an LLM wrote)."""

    answer: str
    citations: tuple[Citation, ...]
    sources: tuple[Source, ...]
    abstained: bool
    confidence: float
    unsupported_citations: tuple[str, ...] = ()  # markers an LLM wrote that no passage backs
    mode: str = "extractive"  # "extractive" | "llm"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    units: tuple[QuotedUnit, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "sources": [s.to_json() for s in self.sources],
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "unsupported_citations": list(self.unsupported_citations),
            "mode": self.mode,
            "units": [u.to_json() for u in self.units],
            # a question declined as written in another language (ISO 639-1): it says so itself,
            # so front ends show no "no supported answer" badge above it
            "language": self.extra.get("language"),
        }
