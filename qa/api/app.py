"""The FastAPI application factory. Nothing is created at import time.

    create_app(settings, assistant=None) -> FastAPI

The assistant (model + index) loads once, in a background thread started by the lifespan, so
``/healthz`` answers 503 {"status": "loading"} until it is ready. Tests pass a fake assistant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa import __version__
from qa.api import ask, chat, documents, health, openai, search, upload
from qa.api.docs_pages import OFFLINE_HEADERS, install_docs_pages
from qa.api.deps import AssistantHolder, AssistantLike
from qa.api.reload import IndexWatcher
from qa.api.upload_indexer import CorpusIndexer
from qa.api.errors import error_response, install_error_handlers
from qa.config import Settings
from qa.index.verify import MANIFEST

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 64 * 1024
# A conversation route's body holds many messages of up to 16,000 characters (qa.api.schemas): an
# OpenAI client sends every earlier reply back, each with its sources list, and 64 KB refused
# a conversation of twenty-odd turns that every field limit allows.
CONVERSATION_BODY_BYTES = 1 << 20
MULTIPART_SLACK = 64 * 1024  # an upload's body: the file plus the form's boundaries and fields

DESCRIPTION = """Grounded answers over child-labour reports. Answers cite **the reports' own
reference numbers** ("113 in 2019 [4]"); every answer object lists the bibliography entries it
cites and the passages it used. `POST /v1/chat/completions` speaks the OpenAI protocol."""


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with a JSON 413, whether or not the client
    declared a Content-Length (chunked uploads are counted as they arrive).

    ``uploads`` maps (method, path) to a larger limit for routes that take files; their bodies
    are streamed through (counted, never buffered here) and cut off with a 413 past the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES,
                 uploads: dict[tuple[str, str], int] | None = None,
                 larger: dict[tuple[str, str], int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = dict(uploads or {})
        self.larger = dict(larger or {})  # (method, path) -> a buffered limit above max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = (scope["method"], scope["path"].rstrip("/") or "/")
        upload_limit = self.uploads.get(route)
        buffered_limit = self.larger.get(route, self.max_bytes)
        limit = upload_limit or buffered_limit
        too_big = error_response(413, "payload_too_large", f"the request body is over {_size(limit)}",
                                 path=scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await too_big(scope, receive, send)
            return
        if upload_limit is not None:
            await self.app(scope, _counted(receive, limit), send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > buffered_limit:
                await too_big(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the disconnect, as streaming responses expect

        await self.app(scope, replay, send)


def _size(n: int) -> str:
    return f"{n // (1 << 20)} MB" if n >= 1 << 20 else f"{n // 1024} KB"


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises a 413 once more than ``limit`` body bytes have arrived."""
    from starlette.exceptions import HTTPException

    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise HTTPException(413, f"the request body is over {_size(limit)}")
        return message

    return counted


def _lifespan(settings: Settings, holder: AssistantHolder, indexer: CorpusIndexer):  # type: ignore[no-untyped-def]
    """What the app does as it starts: size the thread pool, load the assistant in the background,
    finish the uploads a killed server left."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes are plain functions run in anyio's thread pool (the event loop only moves bytes).
        # A few threads keep the CPU busy and feed the encoder's micro-batches; forty (anyio's
        # default) would only queue for the GIL and stretch every request's latency.
        from anyio.to_thread import current_default_thread_limiter

        current_default_thread_limiter().total_tokens = settings.server_threads
        if holder.watcher is not None:
            holder.watcher.mark_loaded()
        holder.start_loading()
        if settings.allow_uploads:
            indexer.start()  # finishes what a killed server left: corpus files the index lacks
        yield

    return lifespan


def create_app(settings: Settings | None = None, assistant: AssistantLike | None = None,
               assistant_factory: Callable[[], AssistantLike] | None = None) -> FastAPI:
    """Build the app. ``assistant`` defaults to :class:`qa.assistant.Assistant` over ``settings``;
    it is loaded in the background when the app starts (``load()`` must be idempotent).

    ``assistant_factory`` makes the assistant that serves after an upload is indexed; it
    defaults to a new :class:`~qa.assistant.Assistant` when ``assistant`` is not given, else the
    given one keeps serving."""
    settings = settings or Settings()
    if assistant is None:
        from qa.assistant import Assistant

        assistant = Assistant(settings)
        assistant_factory = assistant_factory or (lambda: Assistant(settings))
    holder = AssistantHolder(assistant)
    if assistant_factory is not None and settings.index_reload_seconds:
        holder.watcher = IndexWatcher(holder, settings.index_path / MANIFEST, assistant_factory,
                                      settings.index_reload_seconds)
    indexer = CorpusIndexer(settings, holder, assistant_factory)
    lifespan = _lifespan(settings, holder, indexer)
    # FastAPIOffline serves Swagger UI's and ReDoc's files from the package, not from a CDN, so the
    # API docs work on a machine without network like everything else here; the pages themselves
    # are qa.api.docs_pages' (ReDoc's bundle still named a CDN logo)
    app = FastAPIOffline(title="qa — child-labour reports assistant", version=__version__,
                         description=DESCRIPTION, lifespan=lifespan, static_url="/static-docs",
                         docs_url=None, redoc_url=None)
    install_docs_pages(app, "/static-docs")
    app.state.settings = settings
    app.state.holder = holder
    app.state.indexer = indexer
    install_error_handlers(app)
    for module in (health, ask, chat, openai, search, upload, documents):
        app.include_router(module.router)

    # HEAD too: an uptime monitor's check of the page (and `curl -I`) got 405
    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers=OFFLINE_HEADERS)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES,
                       uploads={("POST", "/documents"): settings.max_file_bytes + MULTIPART_SLACK},
                       larger={("POST", "/chat"): CONVERSATION_BODY_BYTES,
                               ("POST", "/v1/chat/completions"): CONVERSATION_BODY_BYTES})
    if settings.cors_origins:  # added last so it wraps everything, 413s included
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type"])
    return app
