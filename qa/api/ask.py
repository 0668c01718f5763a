"""POST /ask: one question, one answer object."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from qa.api.deps import AssistantDep, require_api_key
from fastapi.responses import JSONResponse

from qa.api.passages import answer_json, json_body
from qa.api.schemas import ERROR_RESPONSES, AnswerOut, AskRequest

router = APIRouter(tags=["ask"], dependencies=[Depends(require_api_key)], responses=ERROR_RESPONSES)


@router.post("/ask", response_model=AnswerOut, summary="Answer one question, citing the reports' references")
def ask(body: AskRequest, assistant: AssistantDep) -> JSONResponse:
    # A plain ``def``: FastAPI runs it in the threadpool, so the CPU-bound answer never blocks the loop.
    answer = assistant.ask(body.question, history=[], doc=body.doc, top_k=body.top_k,
                            country=body.country, year=body.year)
    return json_body(answer_json(answer))
