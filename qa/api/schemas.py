"""Request and response bodies. Strict types: ``"top_k": "5"`` or ``"question": 3`` is a 422,
not a silent coercion. Limits (question length, message count) live here so OpenAPI shows them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from qa.assistant import MAX_QUESTION_CHARS
from qa.errors import InvalidInput

# An OpenAI chat client sends the whole conversation every time: 50 messages refused the 26th turn
# of a chat. The 1 MB body limit bounds the work; only the latest user turns are used (qa.api.chat).
MAX_MESSAGES = 500
MAX_TOP_K = 50
MAX_MESSAGE_CHARS = 16_000  # earlier assistant turns carry answers with their sources list


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the question is empty")
    return value


Question = Annotated[
    str,
    Field(strict=True, max_length=MAX_QUESTION_CHARS, description="A question in plain language."),
    AfterValidator(_not_blank),
]
DocId = Annotated[str, Field(strict=True, min_length=1, max_length=200,
                             description="Restrict the answer to one document (see GET /documents).")]
TopK = Annotated[int, Field(strict=True, ge=1, le=MAX_TOP_K, description="How many passages to use.")]
CountryFilter = Annotated[str, Field(strict=True, min_length=2, max_length=100,
                                     description="Only reports about this country (name, demonym or ISO code).")]
YearFilter = Annotated[int, Field(strict=True, ge=1900, le=2100,
                                  description="Only this edition (the report's reporting year).")]


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": "How many labor inspectors did Mali have in 2019?"}]})

    question: Question
    doc: DocId | None = None
    country: CountryFilter | None = None
    year: YearFilter | None = None
    top_k: TopK | None = None


class ContentPart(BaseModel):
    """One part of an OpenAI-style message content list: ``{"type": "text", "text": ...}``, or
    another type (``image_url``, ``input_audio``) that this server cannot read."""

    model_config = ConfigDict(extra="allow")
    type: Annotated[str, Field(strict=True)]
    text: Annotated[str, Field(strict=True, max_length=MAX_MESSAGE_CHARS)] | None = None


MessageContent = Annotated[str, Field(strict=True, max_length=MAX_MESSAGE_CHARS)] | list[ContentPart]


def content_text(content: MessageContent | None, last: bool = True) -> str:
    """A message's text: a string as is, or its text parts joined (a space between two parts that
    would otherwise run words together). The question (the ``last`` message) must be text only: a
    question sent with an image is about the image, which no report answers. An earlier turn's
    other parts (an image sent to another model earlier in the chat) are left out, or the chat
    could never go on.

    Raises :class:`InvalidInput` for a last message holding a part that is not text.
    """
    if content is None or isinstance(content, str):
        return content or ""
    others = sorted({p.type for p in content if p.type != "text"})
    if last and others:
        raise InvalidInput(f"messages: the question (last user message) has {' and '.join(others)} content; "
                           "only text parts are read, so send the question as text")
    text = ""
    for part in (p.text or "" for p in content if p.type == "text"):
        glue = " " if text and part and not text[-1].isspace() and not part[0].isspace() else ""
        text += glue + part
    return text


class ChatMessage(BaseModel):
    # a system or developer turn (chat clients send their own), or a tool's result in an agent's
    # history, is accepted and not used: answers come from the reports, and only user turns resolve
    # follow-ups (the OpenAI-compatible endpoint takes the same roles); content is a string or, as
    # OpenAI clients send it, a list of parts (see content_text)
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: MessageContent

    def text(self, last: bool = True) -> str:
        return content_text(self.content, last)


class ChatRequest(BaseModel):
    messages: Annotated[list[ChatMessage], Field(min_length=1, max_length=MAX_MESSAGES)]
    doc: DocId | None = None
    country: CountryFilter | None = None
    year: YearFilter | None = None
    top_k: TopK | None = None


# -- responses ----------------------------------------------------------------------------------
class CitationOut(BaseModel):
    doc: str
    ref: int | None
    label: str = Field("", description='The marker text: "4", or "Mali 2019: 4" when the answer cites '
                                       'several documents (reference numbers are per report).')
    text: str
    url: str | None


class SourceOut(BaseModel):
    doc: str
    anchor: str = Field(description="The passage's id; GET /documents/{doc}/text places it in the report.")
    section: str = Field(description="The section or table the passage belongs to.")
    text: str
    score: float
    refs: list[int]


class AnswerSourceOut(SourceOut):
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) offsets into text of what the answer quotes.")


class QuotedUnitOut(BaseModel):
    """One unit the answer quotes: a sentence, a table row's cells, a bibliography entry."""

    doc: str
    anchor: str | None = Field(description="The source it quotes (a source's anchor); null when it states the "
                                           "document's metadata (a publication date, an assessment level).")
    text: str = Field(description="The unit as the answer words it, without reference markers.")
    refs: list[int] = Field(description="The reference numbers of doc it cites.")
    spans: list[tuple[int, int]] = Field(description="[start, end) offsets in the source's text of the sentences "
                                                     "or cells quoted (the source's highlights).")
    doc_spans: list[tuple[int, int]] = Field(description="The same sentences or cells as [start, end) offsets in "
                                                         "the document's text (GET /documents/{doc}/text).")


class AnswerOut(BaseModel):
    """The answer object: text with "[n]" markers, the bibliography entries cited, the passages used,
    and the units it quotes."""

    answer: str
    citations: list[CitationOut]
    sources: list[AnswerSourceOut]
    abstained: bool
    confidence: float
    unsupported_citations: list[str] = []
    mode: str = "extractive"
    units: list[QuotedUnitOut] = []
    language: str | None = Field(None, description="Set (ISO 639-1 code) when the question was declined as "
                                                   "written in another language than English.")


class ChatReply(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatResponse(BaseModel):
    message: ChatReply
    answer: AnswerOut


class HitOut(SourceOut):
    """A search hit: the fields of a passage an answer used (``text`` as indexed), plus its context."""

    context: str = Field("", description="Where the passage sits: a table row's title and column headers "
                                         "(\"Table 6. ... | 2018 | 2019\"), a paragraph's headings.")


class SearchResponse(BaseModel):
    hits: list[HitOut]
    # why there are none, when the scope rules them out ("no indexed report covers Ghana")
    note: str | None = None


class ReferenceOut(BaseModel):
    doc: str
    number: int
    text: str
    url: str | None
    printed: int | None = None


class ReferencesResponse(BaseModel):
    doc: str
    references: list[ReferenceOut]


class DocumentSummaryOut(BaseModel):
    id: str
    title: str
    publisher: str
    kind: str
    country: str
    year: int | None
    published: str
    url: str | None
    chunks: int
    references: int
    level: str = ""
    synthetic: bool = False
    origin: dict[str, str] = Field(default_factory=dict,
                                   description='Where each value came from: "catalog" or "inferred".')
    status: Literal["ok", "stale"] = "ok"
    reason: str | None = Field(None, description="Why the document is stale: its file now fails.")


class FailureOut(BaseModel):
    """A corpus file that could not be indexed."""

    doc: str
    file: str
    reason: str
    stale: bool = Field(description="An earlier version of the document is indexed and still answers.")


class SectionOut(BaseModel):
    key: str
    title: str


class TableOut(BaseModel):
    number: int
    title: str
    rows: int


JobStateOut = Literal["queued", "indexing", "ready", "failed"]


class DocumentDetail(DocumentSummaryOut):
    state: JobStateOut = Field("ready", description="Indexing state of the document's last change: "
                                                   "queued, indexing, ready or failed (see reason).")
    sections: list[SectionOut]
    tables: list[TableOut]
    bibliography_warnings: list[str]


class DocumentState(BaseModel):
    """A document that is not (yet) in the served index: an upload being indexed, or one that failed."""

    id: str
    action: Literal["add", "delete"] = "add"
    state: JobStateOut
    reason: str | None = None
    status_url: str


class UploadAccepted(DocumentState):
    file: str = Field(description="The file name in the corpus folder.")
    replaced: bool = Field(description="An existing document with this id is being replaced.")


class PassageOut(BaseModel):
    anchor: str
    start: int
    end: int
    section: str


class DocumentText(BaseModel):
    """A document's text as indexed, and where each passage (a source's anchor) sits in it."""

    doc: str
    title: str
    text: str
    passages: list[PassageOut]


class UploadSettingsOut(BaseModel):
    allowed: bool
    max_bytes: int
    types: list[str]


class DocumentsResponse(BaseModel):
    documents: list[DocumentSummaryOut]
    failures: list[FailureOut] = []
    pending: list[DocumentState] = Field(default_factory=list, description="Uploads and deletions being indexed.")
    uploads: UploadSettingsOut | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    # only under /v1/, so OpenAI clients read the error as OpenAI's: {"message", "type", "param", "code"}
    type: str | None = Field(None, description="OpenAI's error type (only on /v1/ routes)")
    param: str | None = Field(None, description="The request field the error is about (only on /v1/ routes)")


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "Unreadable JSON",
        401: "Missing or wrong API key",
        404: "Unknown document or reference",
        413: "Body over 64 KB (an upload: over QA_MAX_FILE_BYTES)",
        422: "Invalid input",
        503: "Still loading, or loading failed",
    }.items()
}
