"""Ask a running ``qa serve`` over HTTP instead of loading the model in this process.

    server_url(settings) -> str                      QA_SERVER_URL, else http://QA_HOST:QA_PORT
    ServerClient(url, api_key).health() -> dict|None GET /healthz answered 200, status "ok" or "degraded"
    other_index(health, settings) -> str | None      the server answers from another index than QA_INDEX_DIR's
    ServerClient.ask(question, doc, top_k) -> Answer POST /ask
    answer_from_json(data) -> Answer                 the answer object rebuilt from its JSON

Loading torch and sentence-transformers costs several seconds; a running server has them
loaded already, so ``qa ask`` tries it first. This module must stay light: only httpx and the
``qa`` data types are imported here (no torch, numpy, faiss).
"""

from __future__ import annotations

import ipaddress
import json
import os
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from qa.config import Settings
from qa.errors import DocumentNotFound, InvalidInput, QAError, ReferenceNotFound
from qa.models import Answer, Citation, QuotedUnit, Source

# Connection refused is immediate; 0.3 s more covers a port that silently drops packets.
# A server that accepted the connection gets a little longer to answer /healthz, because
# on two cores it may be busy answering someone else.
HEALTH_TIMEOUT = httpx.Timeout(1.0, connect=0.3)
ASK_TIMEOUT = httpx.Timeout(120.0, connect=2.0)

# Error codes the API shares with the library: the CLI then reports them exactly as in-process.
_LIBRARY_ERRORS: dict[str, type[QAError]] = {
    cls.code: cls for cls in (InvalidInput, DocumentNotFound, ReferenceNotFound)
}


# /healthz statuses of a server that answers questions
READY = ("ok", "degraded")


class ServerUnavailable(Exception):
    """No usable server (refused, timed out, still loading, failed to load): answer in-process."""


class ServerError(QAError):
    """The server refused the request with an error the library has no class for
    (a wrong API key, a body too large, ...). ``status`` is the HTTP status it sent."""

    def __init__(self, message: str, code: str = "server_error", status: int = 502) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def server_url(settings: Settings | None = None) -> str:
    """The server to ask: ``QA_SERVER_URL`` when set, else ``http://{QA_HOST}:{QA_PORT}``.

    A wildcard bind address (0.0.0.0, ::) is reached through loopback. Raises
    :class:`InvalidInput` when ``QA_SERVER_URL`` is not an http(s) URL.
    """
    explicit = os.environ.get("QA_SERVER_URL", "").strip()
    if explicit:
        parts = urlsplit(explicit)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # Said now: a URL httpx cannot use would otherwise fall back to in-process unnoticed.
            raise InvalidInput(f"QA_SERVER_URL must look like http://HOST:PORT, not {explicit!r}")
        return explicit.rstrip("/")
    settings = settings or Settings()
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(settings.host, settings.host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def other_index(health: dict[str, Any], settings: Settings) -> str | None:
    """Why the server whose ``/healthz`` body is ``health`` answers from another index than the one
    configured here (QA_INDEX_DIR, QA_INDEX_NAME), or None when it is the same build or either side
    cannot tell (no index here; a server that does not report its build).

    ``qa ask`` prefers a running server for speed; a server started over another corpus (``make
    run`` on the seed index while QA_INDEX_DIR names another one) would otherwise answer from
    reports the user did not choose. A build is known by its time and its documents' chunk counts.
    """
    server = health.get("index")
    try:
        manifest = json.loads((settings.index_path / "manifest.json").read_text(encoding="utf-8"))
        here = (manifest["built_at"], {str(k): int(v["chunks"]) for k, v in manifest["documents"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(server, dict) or not server.get("built_at") or not isinstance(server.get("documents"), dict):
        return None
    if (server["built_at"], server["documents"]) == here:
        return None
    return (f"it serves another index (built {server['built_at']}, {len(server['documents'])} documents) than "
            f"{settings.index_path} (built {here[0]}, {len(here[1])} documents)")


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _utf8(text: str) -> str:
    """``text`` as UTF-8 can carry it. An argument typed in a terminal that is not UTF-8 reaches
    Python with its bytes as lone surrogates ("\\udcff"), which no JSON body can encode: sent as
    is, ``qa ask`` died with a traceback when a server was running (in-process it answered). Each
    such character becomes "?", as the in-process pipeline reads it: no letter, no word."""
    return text.encode("utf-8", "replace").decode("utf-8")


def answer_from_json(data: dict[str, Any]) -> Answer:
    """Rebuild an :class:`Answer` from ``Answer.to_json()`` output (the body of ``POST /ask``).

    Raises :class:`ServerError` when ``data`` is not an answer object.
    """
    try:
        citations = tuple(
            Citation(doc=str(c["doc"]), ref=None if c["ref"] is None else int(c["ref"]),
                     text=str(c["text"]), url=None if c.get("url") is None else str(c["url"]),
                     label=str(c.get("label") or ""))
            for c in data["citations"]
        )
        sources = tuple(
            Source(doc=str(s["doc"]), anchor=str(s["anchor"]), section=str(s["section"]), text=str(s["text"]),
                   score=_float(s["score"]), refs=tuple(int(r) for r in s["refs"]))
            for s in data["sources"]
        )
        return Answer(
            answer=str(data["answer"]), citations=citations, sources=sources,
            abstained=bool(data["abstained"]), confidence=_float(data["confidence"]),
            unsupported_citations=tuple(str(u) for u in data.get("unsupported_citations", ())),
            mode=str(data.get("mode", "extractive")),
            units=tuple(QuotedUnit.from_json(u) for u in data.get("units", ())),
            extra={"language": str(data["language"])} if data.get("language") else {},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ServerError(f"the server sent something that is not an answer object ({exc})") from None


def _error_from(response: httpx.Response, url: str) -> QAError:
    """The library error for a 4xx/5xx response with the API's ``{"error": {...}}`` body."""
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return ServerError(f"the server at {url} answered HTTP {response.status_code}",
                           status=response.status_code)
    if code in _LIBRARY_ERRORS:
        return _LIBRARY_ERRORS[code](message)
    if response.status_code == 401:
        message += " (the key is read from QA_API_KEY)"
    return ServerError(f"the server at {url} refused the question: {message}", code=code,
                       status=response.status_code)


class ServerClient:
    """A short-lived client for one ``qa ask``; use as a context manager."""

    def __init__(self, url: str, api_key: str | None = None) -> None:
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # A proxy from the environment must not intercept loopback traffic.
        self._http = httpx.Client(base_url=self.url, headers=headers, trust_env=not _is_loopback(self.url))

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def health(self) -> dict[str, Any] | None:
        """The ``GET /healthz`` body when the server is ready to answer, within a fraction of a
        second: 200 with status "ok", or "degraded" (a corpus file failed; the index answers).
        None otherwise."""
        try:
            response = self._http.get("/healthz", timeout=HEALTH_TIMEOUT)
            body = response.json()
        except (httpx.HTTPError, ValueError):
            return None
        ready = response.status_code == 200 and isinstance(body, dict) and body.get("status") in READY
        return body if ready else None

    def available(self) -> bool:
        """True when the server is ready to answer (see :meth:`health`)."""
        return self.health() is not None

    def health_reason(self) -> str:
        """Why the server is not ready, in a few words (for a user who asked for the server)."""
        try:
            response = self._http.get("/healthz", timeout=HEALTH_TIMEOUT)
        except httpx.HTTPError as exc:
            return f"nothing answers ({type(exc).__name__})"
        try:
            body = response.json()
            return str(body.get("error", {}).get("message") or body.get("status"))
        except (ValueError, AttributeError):
            return f"/healthz answered HTTP {response.status_code} without the qa status"

    def ask(self, question: str, doc: str | None = None, top_k: int | None = None, country: str | None = None,
            year: int | None = None) -> Answer:
        """``POST /ask``. Raises :class:`ServerUnavailable` when the server went away or is not
        ready (the caller answers in-process), the library's error for a refused question
        (unknown document, invalid input), or :class:`ServerError` for anything else."""
        body: dict[str, Any] = {"question": _utf8(question)}
        if doc is not None:
            body["doc"] = _utf8(doc)
        if top_k is not None:
            body["top_k"] = top_k
        if country is not None:
            body["country"] = _utf8(country)
        if year is not None:
            body["year"] = year
        try:
            response = self._http.post("/ask", json=body, timeout=ASK_TIMEOUT)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise ServerUnavailable(str(exc)) from None
        except httpx.TimeoutException:
            raise ServerError(f"the server at {self.url} did not answer within "
                              f"{ASK_TIMEOUT.read:.0f} s; retry with --local to answer in-process") from None
        except httpx.HTTPError as exc:
            raise ServerError(f"talking to the server at {self.url} failed: {exc}") from None
        if response.status_code == 503:  # loading, or loading failed: in-process will say why
            raise ServerUnavailable(response.text)
        if response.status_code >= 400:
            raise _error_from(response, self.url)
        try:
            data = response.json()
        except ValueError:
            raise ServerError(f"the server at {self.url} sent a reply that is not JSON") from None
        if not isinstance(data, dict):
            raise ServerError(f"the server at {self.url} sent something that is not an answer object")
        return answer_from_json(data)
