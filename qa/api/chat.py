"""POST /chat: a conversation in, the next assistant message and its answer object out.

Follow-ups work because the earlier *user* turns travel as ``history``; the assistant's own
earlier replies are not needed to resolve "and in 2018?".
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from qa.api.deps import AssistantDep, require_api_key
from qa.api.passages import answer_json, json_body
from qa.api.render import answer_content
from qa.api.schemas import ERROR_RESPONSES, ChatRequest, ChatResponse
from qa.assistant import MAX_QUESTION_CHARS
from qa.errors import InvalidInput

# earlier user turns used to resolve a follow-up, as `qa chat` and the web page keep them
MAX_HISTORY_TURNS = 20

router = APIRouter(tags=["chat"], dependencies=[Depends(require_api_key)], responses=ERROR_RESPONSES)


def split_conversation(turns: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """``[(role, content), ...]`` -> (the question, the latest earlier user turns, at most
    ``MAX_HISTORY_TURNS``).

    Raises :class:`InvalidInput` unless the last turn is a non-empty user question of at most
    2,000 characters.
    """
    if not turns:
        raise InvalidInput("messages: at least one message is required")
    role, question = turns[-1]
    if role != "user":
        raise InvalidInput(f"messages: the last message must have role 'user', not {role!r}")
    if not question.strip():
        raise InvalidInput("messages: the question (last user message) is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"messages: the question is longer than {MAX_QUESTION_CHARS} characters")
    history = [content for role, content in turns[:-1] if role == "user" and content.strip()]
    return question, history[-MAX_HISTORY_TURNS:]


@router.post("/chat", response_model=ChatResponse, summary="Continue a conversation; follow-ups use the history")
def chat(body: ChatRequest, assistant: AssistantDep) -> JSONResponse:
    question, history = split_conversation(
        [(m.role, m.text(last=k == len(body.messages) - 1)) for k, m in enumerate(body.messages)])
    answer = assistant.ask(question, history=history, doc=body.doc, top_k=body.top_k,
                            country=body.country, year=body.year)
    return json_body({"message": {"role": "assistant", "content": answer_content(answer)},
                      "answer": answer_json(answer)})
