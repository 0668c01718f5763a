"""Which part of a source passage an answer quotes, so a reader sees the cited sentence marked.

An extractive answer quotes a sentence or a table row of its passages, reshaped a little
("Number of Labor Inspectors: 113 in 2019 [4]" from the row "... | Number of Labor Inspectors |
2018: 109 [68] | 2019: 113 [4]"). A passage is cut into segments (its sentences; a table row's
cells) and a segment is marked when most of its words are words of the answer, so the 2019 cell
is marked and the 2018 cell, which the answer does not use, is not. Words are the BM25 analyzer's
(qa.text.analysis): citation markers and function words do not count.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from fastapi.responses import JSONResponse

from qa.models import Answer
from qa.text.analysis import bm25_tokens

# Share of a segment's words that must appear in the answer. A quoted sentence scores ~1.0; a
# neighbouring sentence on the same topic shares its subject words only (typically < 0.5).
MIN_SHARED = 0.6
_CELL = re.compile(r"\s\|\s")
# a sentence ends with ".", "!" or "?" (optionally followed by its citation marker, "[2, 24]" or
# "(2,24)"), and the next one starts with a capital letter, a digit or an opening quote; "Table 6."
# and "No." end no sentence
_SENTENCE_END = re.compile(r"(?<!\bTable \d\.)(?<!\bTable \d\d\.)(?<!\bNo\.)(?<=[.!?])(?:\s*[\[(][\d,;\s–-]+[\])])?"
                           r"\s+(?=[A-Z0-9“\"])")


def segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or table cell of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for cell_start, cell_end in _split(text, _CELL, 0, len(text)):
        spans += _split(text, _SENTENCE_END, cell_start, cell_end)
    return spans


def _split(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    spans, last = [], start
    for match in pattern.finditer(text, start, end):
        cut = match.start() if pattern is _CELL else match.end()
        # a sentence keeps its citation marker: cut after it, before the whitespace
        if pattern is _SENTENCE_END:
            cut = match.start() + len(match.group(0).rstrip())
        spans.append((last, cut))
        last = match.end()
    spans.append((last, end))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def highlight_spans(answer_text: str, passage: str) -> list[tuple[int, int]]:
    """The segments of ``passage`` the answer quotes, as (start, end) offsets into ``passage``."""
    said = set(bm25_tokens(answer_text))
    if not said:
        return []
    marked = []
    for start, end, words in _segment_words(passage):
        if words and sum(w in said for w in words) / len(words) >= MIN_SHARED:
            marked.append((start, end))
    return marked


@functools.lru_cache(maxsize=4096)
def _segment_words(passage: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """Each segment of ``passage`` with its words. Answers quote the same indexed passages again and
    again: cutting and analysing them was most of the cost of a response's highlights."""
    return tuple((start, end, tuple(bm25_tokens(passage[start:end]))) for start, end in segments(passage))


def answer_json(answer: Answer) -> dict[str, Any]:
    """``answer.to_json()`` with each source's ``highlights``: [start, end] offsets into its
    text of what the answer quotes (none for a declined answer)."""
    body = answer.to_json()
    for source in body["sources"]:
        spans = [] if answer.abstained else highlight_spans(answer.answer, source["text"])
        source["highlights"] = [list(span) for span in spans]
    return body


def json_body(body: dict[str, Any]) -> JSONResponse:
    """``body`` sent as it is. A route that returns a dict has FastAPI validate it against the
    route's ``response_model`` and encode it again (~1 ms for an answer with its passages); the
    bodies built here (``Answer.to_json`` plus highlights) already have exactly the model's
    fields, in its order, with JSON types, so the bytes are the same (tests/test_api_passages.py
    compares them). The ``response_model`` still documents the route in OpenAPI."""
    return JSONResponse(body)
