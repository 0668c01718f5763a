"""The MCP server behind ``qa mcp``: the assistant over the Model Context Protocol, for agent clients.

Four tools, built with the official SDK (``mcp``): ``ask`` (a cited answer), ``search`` (ranked
passages), ``get_reference`` (one bibliography entry) and ``list_documents``. Every result carries
readable text for the model (the answer with its "[n]" markers, the references, the passages)
and the same object the HTTP API returns as structured content.

stdout is the protocol: nothing else may be written to it. Logging goes to stderr, and the SDK's
stdio transport points file descriptor 1 at stderr while it serves, so a stray print from a
library cannot corrupt a message. The model and index load in a background thread once the
transport is up (a client's ``initialize`` is answered at once); a tool call waits for the load.
Library errors become tool errors (``isError``) with their one-line message; the server goes on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from qa.api.render import answer_content, hit_text, passages_heading, preview
from qa.assistant import MAX_QUESTION_CHARS
from qa.errors import QAError

if TYPE_CHECKING:
    from qa.models import Answer, Hit, ReferenceEntry

logger = logging.getLogger(__name__)

SERVER_NAME = "qa"
MAX_K = 50
MAX_HISTORY = 20
PASSAGE_CHARS = 600
INSTRUCTIONS = (
    "Answers questions from the indexed child-labour reports (USDOL Findings on the Worst Forms of Child "
    "Labor, ILO articles). Answers cite each report's own bibliography numbers as [n]; quote them as given. "
    "When the answer says the reports do not answer, do not guess. Use list_documents to see what is "
    "indexed and get_reference to read a cited entry."
)

Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="The question, in plain words.")]
Country = Annotated[str | None, Field(min_length=2, max_length=100,
                                      description="Only reports about this country (name, demonym or ISO code).")]
Year = Annotated[int | None, Field(ge=1900, le=2100, description="Only this edition (the report's reporting year).")]
K = Annotated[int | None, Field(ge=1, le=MAX_K, description="How many passages (default: the server's "
                                                             "QA_SEARCH_K setting, 5).")]
Doc = Annotated[str | None, Field(min_length=1, max_length=200,
                                  description="Only this document id (see list_documents).")]
History = Annotated[list[Annotated[str, Field(max_length=MAX_QUESTION_CHARS)]] | None, Field(
    max_length=MAX_HISTORY, description="Earlier questions of the conversation, oldest first, for a follow-up "
                                        "such as 'And in 2018?' (they keep its country and subject).")]
T = TypeVar("T")


class _Tools:
    """The tool bodies, over any object with the Assistant's methods (the tests pass a fake)."""

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant

    def _call(self, work: Callable[[], T]) -> T:
        """Run ``work`` once the assistant is loaded; library errors become tool errors."""
        try:
            self.assistant.load()  # idempotent: waits for the background load, raises its error
            return work()
        except QAError as exc:
            raise ToolError(exc.message) from None
        except Exception as exc:  # a bug must not end the session; the traceback goes to stderr
            logger.exception("tool call failed")
            raise ToolError(f"internal error ({type(exc).__name__}); see the server's log") from None

    def ask(self, question: Question, country: Country = None, year: Year = None, doc: Doc = None,
            history: History = None) -> CallToolResult:
        """Answer a question from the indexed reports, citing each report's own reference numbers as [n].

        Returns the answer text with its [n] markers, the bibliography entries it cites and the
        passages it quotes. "The indexed reports do not answer this." means exactly that.
        """
        answer = self._call(lambda: self.assistant.ask(question, history=list(history or []), doc=doc,
                                                       country=country, year=year))
        return _result(render_answer(answer), answer.to_json())

    def search(self, query: Question, k: K = None, country: Country = None, year: Year = None,
               doc: Doc = None) -> CallToolResult:
        """Ranked passages of the indexed reports for a query, without composing an answer."""
        hits = self._call(lambda: self.assistant.search(query, k=k, doc=doc, country=country, year=year))
        # why nothing matched, as GET /search says it ("no indexed report covers Ghana")
        note = None if hits else self._call(lambda: self.assistant.search_note(query, doc=doc, country=country,
                                                                               year=year))
        payload = {**({"note": note} if note else {}), "hits": [_hit_json(h) for h in hits]}
        return _result(f"No passage matches: {note}." if note else render_hits(hits), payload)

    def get_reference(self, doc: Annotated[str, Field(min_length=1, max_length=200,
                                                      description="The document id (see list_documents).")],
                      number: Annotated[int, Field(ge=1, description="The reference number, as cited in [n].")],
                      ) -> CallToolResult:
        """One entry of a report's bibliography: the text (and URL) behind a citation [n]."""
        entry = self._call(lambda: self.assistant.reference(doc, number))
        return _result(render_reference(doc, entry), _reference_json(doc, entry))

    def list_documents(self) -> CallToolResult:
        """The indexed documents (id, title, country, edition year, reference count) and files that failed."""
        documents = self._call(self.assistant.documents)
        failures = self._call(self.assistant.failures)
        payload = {"documents": [asdict(d) for d in documents], "failures": [asdict(f) for f in failures]}
        lines = [f"{d.id}: {d.title} ({_where(d.country, d.year)}; {d.references} references, {d.chunks} passages)"
                 + (f" [stale: {d.reason}]" if d.status == "stale" else "") for d in documents]
        lines += [f"failed: {f.file}: {f.reason}" for f in failures if not f.stale]
        return _result("\n".join(lines) or "No documents are indexed.", payload)


def _result(text: str, structured: dict[str, Any]) -> CallToolResult:
    """Readable text for the model, and the API's object for a program (errors are raised as ToolError)."""
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured)


def _where(country: str, year: int | None) -> str:
    return " ".join(p for p in (country, str(year) if year else "") if p) or "no country or year"


def render_answer(answer: Answer) -> str:
    """The answer with its markers, its "Sources:" list, then the passages it used."""
    lines = [answer_content(answer)]
    if answer.abstained and "language" not in answer.extra:  # a question in another language says so itself
        lines.insert(0, "(No supported answer: the indexed reports do not clearly answer this.)")
    if answer.sources:
        lines.append("\n" + passages_heading(answer))
        for s in answer.sources:
            refs = ", ".join(str(r) for r in s.refs) or "-"
            lines.append(f"- {s.anchor} (section {s.section or '-'}; refs {refs}): {preview(s.text, PASSAGE_CHARS)}")
    return "\n".join(lines)


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {"doc": hit.chunk.doc_id, "anchor": hit.chunk.id, "section": hit.chunk.section, "text": hit.chunk.text,
            "score": round(hit.score, 4), "refs": sorted(hit.chunk.refs)}


def render_hits(hits: list[Hit]) -> str:
    if not hits:
        return "No passage matches."
    return "\n".join(f"{i}. {h.chunk.id} (score {h.score:.2f}; refs {', '.join(map(str, sorted(h.chunk.refs))) or '-'})"
                     f"\n   {preview(hit_text(h.chunk), PASSAGE_CHARS)}" for i, h in enumerate(hits, 1))


def _reference_json(doc: str, entry: ReferenceEntry) -> dict[str, Any]:
    return {"doc": doc, "number": entry.number, "text": entry.text, "url": entry.url}


def render_reference(doc: str, entry: ReferenceEntry) -> str:
    url = f" {entry.url}" if entry.url and entry.url not in entry.text else ""
    return f"{doc} [{entry.number}] {entry.text}{url}"


class _Server(MCPServer):
    """MCPServer whose argument errors read as one line ("ask: question: Field required") instead of
    pydantic's multi-line report with a documentation URL."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError):
                raise ToolError(f"{name}: {_describe(cause)}") from cause
            raise


def _describe(error: ValidationError) -> str:
    parts = []
    for e in error.errors()[:3]:
        where = ".".join(str(p) for p in e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg', 'invalid value')}" if where else str(e.get("msg")))
    return "; ".join(parts)


def build_server(assistant: Any) -> MCPServer:
    """The MCP server over ``assistant`` (an :class:`~qa.assistant.Assistant`, loaded or not).

    Its lifespan starts ``assistant.load()`` in a thread, so the first tool call waits less."""
    @contextlib.asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[None]:
        threading.Thread(target=_load_quietly, args=(assistant,), name="qa-mcp-load", daemon=True).start()
        yield

    from importlib.metadata import version

    server = _Server(SERVER_NAME, instructions=INSTRUCTIONS, version=version("qa"), lifespan=lifespan,
                       log_level="WARNING")
    tools = _Tools(assistant)
    read_only = _read_only()
    for fn in (tools.ask, tools.search, tools.get_reference, tools.list_documents):
        server.add_tool(fn, annotations=read_only)
    return server


def _read_only() -> ToolAnnotations:
    return ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


def _load_quietly(assistant: Any) -> None:
    """Load at start-up; a failure is logged here and raised again by the next tool call's load."""
    try:
        assistant.load()
    except Exception as exc:  # noqa: BLE001 - reported to the client by each tool call
        logger.error("qa mcp: the assistant could not load: %s", getattr(exc, "message", exc))
