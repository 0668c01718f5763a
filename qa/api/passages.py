"""Which part of a source passage an answer quotes, so a reader sees the cited sentence marked.

The answer carries its quoted units as data (``Answer.units``): each names the source it quotes
(its ``anchor``) and the exact ``[start, end)`` offsets in that source's text of the sentences or
table cells it uses — "2019: 113 [4]" and the row's label, not the 2018 cell the answer leaves
out. A source's ``highlights`` are those offsets; nothing is guessed back from the answer's words.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from qa.models import Answer


def highlights(answer: Answer, doc: str, anchor: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` offsets in the text of source ``anchor`` that ``answer`` quotes, in
    order, overlapping ones merged (none for a declined answer)."""
    if answer.abstained:
        return []
    spans = sorted(span for unit in answer.units if unit.doc == doc and unit.anchor == anchor
                   for span in unit.spans)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def answer_json(answer: Answer) -> dict[str, Any]:
    """``answer.to_json()`` with each source's ``highlights``: [start, end] offsets into its
    text of what the answer quotes (none for a declined answer)."""
    body = answer.to_json()
    for source in body["sources"]:
        source["highlights"] = [list(span) for span in highlights(answer, source["doc"], source["anchor"])]
    return body


def json_body(body: dict[str, Any]) -> JSONResponse:
    """``body`` sent as it is. A route that returns a dict has FastAPI validate it against the
    route's ``response_model`` and encode it again (~1 ms for an answer with its passages); the
    bodies built here (``Answer.to_json`` plus highlights) already have exactly the model's
    fields, in its order, with JSON types, so the bytes are the same (tests/test_api_passages.py
    compares them). The ``response_model`` still documents the route in OpenAPI."""
    return JSONResponse(body)
