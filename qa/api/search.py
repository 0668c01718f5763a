"""GET /search: the passages retrieval ranks for a query, without composing an answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from qa.api.deps import AssistantDep, require_api_key
from qa.api.passages import json_body
from qa.api.schemas import ERROR_RESPONSES, MAX_TOP_K, SearchResponse
from qa.assistant import MAX_QUESTION_CHARS

router = APIRouter(tags=["search"], dependencies=[Depends(require_api_key)], responses=ERROR_RESPONSES)


@router.get("/search", response_model=SearchResponse, summary="Retrieve passages for a query")
def search(
    assistant: AssistantDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="The query")],
    k: Annotated[int | None, Query(ge=1, le=MAX_TOP_K,
                                   description="How many hits (default: the QA_SEARCH_K setting, 5)")] = None,
    doc: Annotated[str | None, Query(min_length=1, max_length=200, description="Only this document")] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=100,
                                         description="Only reports about this country (name or ISO code)")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this edition (reporting year)")] = None,
) -> JSONResponse:
    hits = assistant.search(q, k=k, doc=doc, country=country, year=year)
    note = None if hits else assistant.search_note(q, doc=doc, country=country, year=year)
    return json_body({
        **({"note": note} if note else {}),
        "hits": [
            {
                "doc": h.chunk.doc_id,
                "anchor": h.chunk.id,
                # named as an answer's sources name theirs: the nearest heading (a row's table title),
                # not the bare section key ("III")
                "section": h.chunk.heading_path[-1] if h.chunk.heading_path else h.chunk.section,
                "context": h.chunk.context,
                "text": h.chunk.text,
                "score": round(h.score, 4),
                "refs": sorted(h.chunk.refs),
            }
            for h in hits
        ]
    })
