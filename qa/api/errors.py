"""Every error the API returns has the body ``{"error": {"code": str, "message": str}}``.

Under ``/v1/`` (the OpenAI-compatible routes) the error also carries OpenAI's ``type`` and ``param``,
so it reads as ``{"error": {"message", "type", "param", "code"}}`` to OpenAI clients as well.

Library errors (:class:`qa.errors.QAError`) carry their own status and code; validation errors
become 400 (unreadable JSON) or 422; anything unexpected becomes a JSON 500 without a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa.errors import QAError

logger = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "unavailable",
}


class LoadFailed(QAError):
    """The assistant could not load at start-up (missing index, mismatched model, ...)."""

    code = "load_failed"
    status = 503


class Unauthorized(QAError):
    code = "unauthorized"
    status = 401


_OPENAI_TYPES = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}
OPENAI_PREFIX = "/v1/"


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   path: str = "", param: str | None = None) -> JSONResponse:
    """The JSON error; for a request ``path`` under /v1/, with OpenAI's ``type`` and ``param`` too."""
    body = error_body(code, message)
    if path.startswith(OPENAI_PREFIX):
        kind = _OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        body["error"].update(type=kind, param=param)
    return JSONResponse(body, status_code=status, headers=headers)


def _respond(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None,
             param: str | None = None) -> JSONResponse:
    return error_response(status, code, message, headers, path=request.url.path, param=param)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    # Drop the "body"/"query"/"path" prefix: users know where they put the field. Drop pydantic's
    # names of a union's members too ("constrained-str", "list[ContentPart]"): no field is called so
    # (a message's content that was neither text nor parts read "messages.0.content.constrained-str")
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return ".".join(p for p in parts if p.isidentifier() or p.isdigit())


def _describe(errors: list[dict[str, Any]]) -> str:
    grouped: dict[str, list[str]] = {}  # a union's members fail at one field: one entry, "... or ..."
    for err in errors:
        if err.get("type") == "missing" and tuple(err.get("loc", ())) == ("body",):
            grouped.setdefault("", []).append("the request body is empty: send a JSON object")
            continue
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        grouped.setdefault(_location(err.get("loc", ())), []).append(msg)
    messages = []
    for where, found in list(grouped.items())[:3]:
        msg = found[0] + "".join(f" or {m.removeprefix('Input should be ')}" for m in found[1:])
        messages.append(f"{where}: {msg}" if where else msg)
    if len(grouped) > 3:
        messages.append(f"and {len(grouped) - 3} more")
    return "; ".join(messages)


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return _respond(request, 400, "invalid_json", "the request body is not valid JSON")
    loc = tuple(errors[0].get("loc", ())) if errors else ()
    param = _location(loc) if len(loc) > 1 else None  # ("body",) alone: the body as a whole, no field
    return _respond(request, 422, "invalid_input", _describe(errors), param=param)


async def _http_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI reads a JSON body that is not UTF-8 as "There was an error parsing the body"
        return _respond(request, 400, "invalid_json", "the request body is not valid JSON: it is not UTF-8 text "
                                                      "(send the JSON encoded as UTF-8)")
    if isinstance(exc.__cause__, RecursionError):
        # arrays or objects nested thousands deep: Python's parser gives up ("There was an error parsing the body")
        return _respond(request, 400, "invalid_json", "the request body cannot be read as JSON: it is nested too deeply")
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return _respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _qa_handler(request: Request, exc: QAError) -> JSONResponse:
    headers = {"Retry-After": "5"} if exc.status == 503 else None
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "Bearer"}
    return _respond(request, exc.status, exc.code, exc.message, headers=headers, param=getattr(exc, "param", None))


async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log, never to the client.
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return _respond(request, 500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_handler)  # type: ignore[arg-type]
    app.add_exception_handler(QAError, _qa_handler)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _last_resort)


class UploadRejected(QAError):
    """An upload or delete the corpus API refuses; each carries its own status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
