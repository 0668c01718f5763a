"""OpenAI-compatible chat completions, so existing chat clients work unchanged.

The content keeps the "[n]" markers and ends with a "Sources:" list; the structured answer
object travels in the extra field ``qa_answer`` (on the completion, and on the final chunk when
streaming): the body of ``POST /ask``, with each source's ``highlights`` and the quoted ``units``.
OpenAI clients ignore the field (the ``openai`` package keeps it in ``model_extra``). The answer
is composed before the first byte is sent, so errors are still plain JSON 4xx responses and a
stream never breaks half-way.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from qa.api.chat import split_conversation
from qa.api.deps import AssistantDep, require_api_key
from qa.api.passages import answer_json
from qa.api.render import answer_content, stream_pieces
from qa.api.schemas import (
    ERROR_RESPONSES, MAX_MESSAGES, CountryFilter, DocId, MessageContent, TopK, YearFilter, content_text,
)
from qa.errors import QAError
from qa.text.tokens import count_tokens

MODEL_ID = "qa"
# "qa/<doc id>" restricts answers to one document, for clients that cannot send extra fields.
DOC_MODEL_PREFIX = f"{MODEL_ID}/"

router = APIRouter(prefix="/v1", tags=["openai"], dependencies=[Depends(require_api_key)],
                   responses=ERROR_RESPONSES)


class CompletionMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, ... are accepted and ignored
    # every role OpenAI's API takes: an agent's history holds its tool results ("tool", and the
    # older "function"), which a 422 on the whole conversation made impossible to go on with;
    # like system turns they are accepted and not used (only user turns resolve follow-ups)
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: MessageContent | None = None

    def text(self, last: bool = True) -> str:
        """The message's text (:func:`qa.api.schemas.content_text`)."""
        return content_text(self.content, last)


class OpenAIRequestError(QAError):
    """A request OpenAI's API would refuse too: the same status, with the field it is about (``param``)."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.param = status, code, param


Number = Annotated[float, Field(strict=True)]  # an int or a float; not a bool or a string


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: Annotated[bool, Field(strict=True)] = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # max_tokens, stop, tools, ... are accepted and ignored
    model: Annotated[str, Field(strict=True, max_length=200)] = MODEL_ID
    messages: Annotated[list[CompletionMessage], Field(min_length=1, max_length=MAX_MESSAGES)]
    stream: Annotated[bool, Field(strict=True)] = False
    # {"include_usage": true}: a last chunk with ``usage``; ignored without ``stream`` (OpenAI refuses
    # it there, but some clients send it always, and refusing would only break them)
    stream_options: StreamOptions | None = None
    # checked against OpenAI's ranges, then ignored: the extractive answer has no sampling
    n: Annotated[int, Field(strict=True)] | None = None
    temperature: Number | None = None
    top_p: Number | None = None
    doc: DocId | None = None
    country: CountryFilter | None = None  # extra body fields, e.g. extra_body={"country": "Mali"}
    year: YearFilter | None = None
    top_k: TopK | None = None


def check_supported(body: ChatCompletionRequest) -> None:
    """Refuse, as OpenAI does, what this endpoint cannot honour: an unknown model (404
    ``model_not_found``), more than one choice, a temperature or top_p out of OpenAI's range (400).
    A ``qa/<doc id>`` model with an unknown document is a 404 ``document_not_found`` when asked."""
    # "qa/" names no document (a client's template with an empty id): not the model "qa"
    if body.model != MODEL_ID and not (body.model.startswith(DOC_MODEL_PREFIX) and body.model != DOC_MODEL_PREFIX):
        raise OpenAIRequestError(404, "model_not_found", f"The model {body.model!r} does not exist: this server "
                                 f"serves {MODEL_ID!r} and '{DOC_MODEL_PREFIX}<document id>' (GET /v1/models lists "
                                 f"them)", "model")
    if body.n is not None and body.n != 1:
        raise OpenAIRequestError(400, "unsupported_value", f"n: only n = 1 is supported, one answer per question "
                                 f"(got {body.n})", "n")
    for name, value, high in (("temperature", body.temperature, 2), ("top_p", body.top_p, 1)):
        if value is not None and not 0 <= value <= high:
            raise OpenAIRequestError(400, "invalid_value", f"{name}: must be between 0 and {high} (got {value})",
                                     name)


def usage(turns: list[tuple[str, str]], content: str, encoding: str) -> dict[str, int]:
    """OpenAI's ``usage``, counted with the index's tokenizer (tiktoken's offline cl100k): the
    messages' text in, the answer out. No model is billed, but clients and proxies that meter or
    log tokens read this field."""
    prompt = sum(count_tokens(text, encoding) for _, text in turns)
    completion = count_tokens(content, encoding)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _doc_for(body: ChatCompletionRequest) -> str | None:
    if body.doc is not None:
        return body.doc
    if body.model.startswith(DOC_MODEL_PREFIX):
        return body.model.removeprefix(DOC_MODEL_PREFIX)
    return None


def _check_model_document(assistant: Any, doc: str) -> None:
    """A ``qa/<doc id>`` model naming no indexed document: 404 about the ``model`` field, the one to fix."""
    from qa.errors import DocumentNotFound

    try:
        assistant.document(doc)
    except DocumentNotFound as exc:
        raise OpenAIRequestError(404, "document_not_found", exc.message, "model") from None


def _sse(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def _events(base: dict[str, Any], content: str, body_json: dict[str, Any],
                  counted: dict[str, int] | None) -> AsyncIterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    yield _sse(chunk({"role": "assistant", "content": ""}))
    for piece in stream_pieces(content):
        yield _sse(chunk({"content": piece}))
    yield _sse({**chunk({}, "stop"), "qa_answer": body_json})
    if counted is not None:  # as OpenAI sends it: one more chunk, no choices, the usage
        yield _sse({**base, "choices": [], "usage": counted})
    yield "data: [DONE]\n\n"


@router.post("/chat/completions", summary="OpenAI-compatible chat completion (optionally streamed)",
             description="OpenAI's chat completion, plus the extra field `qa_answer` (on the completion, and on "
                         "the final chunk when streaming): the `POST /ask` answer object, whose `sources` carry "
                         "`highlights` ([start, end) offsets in their `text` of what the answer quotes) and whose "
                         "`units` are the quoted units. OpenAI clients ignore it; the `openai` package keeps it "
                         "in `model_extra`.")
def chat_completions(body: ChatCompletionRequest, assistant: AssistantDep) -> Any:
    check_supported(body)
    if body.doc is None and (doc := _doc_for(body)) is not None:
        _check_model_document(assistant, doc)
    # system turns only count as "not last"
    turns = [(m.role, m.text(last=k == len(body.messages) - 1)) for k, m in enumerate(body.messages)]
    question, history = split_conversation(turns)
    answer = assistant.ask(question, history=history, doc=_doc_for(body), top_k=body.top_k,
                            country=body.country, year=body.year)
    content, body_json = answer_content(answer), answer_json(answer)
    counted = usage(turns, content, assistant.settings.tokenizer)
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": body.model,
            "system_fingerprint": None}
    if body.stream:
        return StreamingResponse(
            _events({**base, "object": "chat.completion.chunk"}, content, body_json,
                    counted if body.stream_options and body.stream_options.include_usage else None),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return {
        **base,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": counted,
        "qa_answer": body_json,
    }


def _models(assistant: Any) -> list[dict[str, Any]]:
    created = int(time.time())
    ids = [MODEL_ID] + [f"{DOC_MODEL_PREFIX}{d.id}" for d in assistant.documents()]
    return [{"id": i, "object": "model", "created": created, "owned_by": "qa"} for i in ids]


@router.get("/models", summary="OpenAI-compatible model list: 'qa' and 'qa/<doc id>' per document")
def list_models(assistant: AssistantDep) -> dict[str, Any]:
    return {"object": "list", "data": _models(assistant)}


@router.get("/models/{model:path}", summary="OpenAI-compatible model retrieval (one entry of GET /v1/models)")
def retrieve_model(model: str, assistant: AssistantDep) -> dict[str, Any]:
    found = next((m for m in _models(assistant) if m["id"] == model), None)
    if found is None:
        raise OpenAIRequestError(404, "model_not_found", f"The model {model!r} does not exist: this server serves "
                                 f"{MODEL_ID!r} and '{DOC_MODEL_PREFIX}<document id>' (GET /v1/models lists them)",
                                 "model")
    return found
