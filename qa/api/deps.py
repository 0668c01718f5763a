"""Dependencies injected into the routes: settings, the loaded assistant, the API-key check.

The assistant loads once, in a background thread started by the app's lifespan, so the server
answers ``/healthz`` (503 "loading") while the model and index load.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Annotated, Any, Literal, Protocol

from fastapi import Depends, Request

from qa.api.errors import LoadFailed, Unauthorized
from qa.config import Settings
from qa.errors import NotReady, QAError
from qa.models import Answer, Chunk, Document, DocumentFailure, Hit, ReferenceEntry

logger = logging.getLogger(__name__)


class AssistantLike(Protocol):
    """What the API needs from :class:`qa.assistant.Assistant` (tests pass a fake)."""

    @property
    def ready(self) -> bool: ...

    def load(self) -> Any: ...

    def ask(self, question: str, history: list[str] | None = None, doc: str | None = None,
            top_k: int | None = None) -> Answer: ...

    def search(self, query: str, k: int = 10, doc: str | None = None) -> list[Hit]: ...

    def documents(self) -> list[Any]: ...

    def failures(self) -> list[DocumentFailure]: ...

    def document(self, doc_id: str) -> Document: ...

    def reference(self, doc_id: str, number: int) -> ReferenceEntry: ...

    def index_status(self) -> dict[str, Any]: ...

    def passages(self, doc_id: str) -> list[Chunk]: ...


LoadState = Literal["loading", "ready", "failed"]


class AssistantHolder:
    """Owns the assistant and the outcome of loading it."""

    def __init__(self, assistant: AssistantLike) -> None:
        self.assistant = assistant
        self.error: Exception | None = None
        self._thread: threading.Thread | None = None
        self.watcher: Any = None  # qa.api.reload.IndexWatcher when the server follows index rebuilds

    @property
    def state(self) -> LoadState:
        if self.error is not None:
            return "failed"
        return "ready" if self.assistant.ready else "loading"

    def start_loading(self) -> None:
        """Start loading in a daemon thread (idempotent); returns at once."""
        if self._thread is not None or self.assistant.ready:
            return
        self._thread = threading.Thread(target=self._load, name="qa-assistant-load", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> LoadState:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    def _load(self) -> None:
        try:
            self.assistant.load()
        except QAError as exc:  # a damaged or missing index, a mismatched model: the message says it all
            logger.error("the assistant failed to load: %s", exc.message)
            self.error = exc
            return
        except Exception as exc:  # noqa: BLE001 - any failure is reported by /healthz
            logger.exception("the assistant failed to load")
            self.error = exc
            return
        # Loading checked presence and sizes; the hashes are checked now, after the server is ready,
        # because reading every byte grows with the corpus. Damage found turns every route to 503.
        verify = getattr(self.assistant, "verify_index", None)
        if verify is not None:
            try:
                verify()
            except QAError as exc:
                logger.error("refusing to serve: %s", exc.message)
                self.error = exc

    def swap(self, assistant: AssistantLike) -> None:
        """Serve ``assistant`` (loaded) from now on; requests in flight finish with the old one."""
        self.assistant = assistant
        self.error = None

    def failure(self) -> QAError:
        exc = self.error
        if isinstance(exc, QAError):
            return exc
        return LoadFailed(f"the assistant failed to load: {exc}")


# The dependencies below are ``async def`` although they never await: FastAPI runs a plain ``def``
# dependency in the thread pool, and the four of them (settings, holder, assistant, key check) cost
# four thread hand-offs per request (measured: ~15% of a cached /ask's server CPU). They only read
# attributes, except the watcher's poke (one stat at most every few seconds).
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_holder(request: Request) -> AssistantHolder:
    return request.app.state.holder


async def get_assistant(holder: Annotated[AssistantHolder, Depends(get_holder)]) -> AssistantLike:
    """The loaded assistant; 503 while it is loading or when loading failed."""
    if holder.watcher is not None:
        holder.watcher.poke()  # one stat at most every few seconds; a reload runs in the background
    state = holder.state
    if state == "failed":
        raise holder.failure()
    if state == "loading":
        raise NotReady("the assistant is still loading; retry in a few seconds")
    return holder.assistant


async def require_api_key(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    """When ``QA_API_KEY`` is set, require ``Authorization: Bearer <key>``."""
    expected = settings.api_key
    if not expected:
        return
    scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(supplied.strip().encode(), expected.encode()):
        raise Unauthorized("missing or wrong API key: send 'Authorization: Bearer <key>'")


SettingsDep = Annotated[Settings, Depends(get_settings)]
AssistantDep = Annotated[AssistantLike, Depends(get_assistant)]
