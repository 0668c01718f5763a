"""The part of a source passage an answer quotes is marked; what it does not use is not."""

from __future__ import annotations

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from qa.api.passages import answer_json, highlight_spans, json_body, segments
from qa.api.schemas import AnswerOut, ChatResponse
from qa.models import Answer, Citation, Source

ROW = ("Table 6. Labor Law Enforcement Efforts Related to Child Labor | Number of Labor Inspectors | "
       "2018: 109 [68] | 2019: 113 [4]")
PARAGRAPH = ("Role: Coordinates Mali's efforts to eliminate child labor, especially its worst forms. [2, 24] "
             "Chaired by the Ministry of Labor and includes representatives from other government ministries. "
             "[2, 66] One labor inspector works there.")


def marked(answer: str, passage: str) -> list[str]:
    return [passage[a:b] for a, b in highlight_spans(answer, passage)]


def test_table_row_marks_the_cells_quoted_not_the_other_year() -> None:
    assert marked("Number of Labor Inspectors: 113 in 2019 [4].", ROW) == ["Number of Labor Inspectors",
                                                                          "2019: 113 [4]"]


def test_paragraph_marks_the_quoted_sentence_with_its_marker() -> None:
    answer = ("CNLTE: Chaired by the Ministry of Labor and includes representatives from other government "
              "ministries [2, 66].")
    assert marked(answer, PARAGRAPH) == ["Chaired by the Ministry of Labor and includes representatives from other "
                                         "government ministries. [2, 66]"]


def test_segments_keep_table_titles_and_cover_the_text() -> None:
    spans = segments(ROW)
    assert ROW[slice(*spans[0])] == "Table 6. Labor Law Enforcement Efforts Related to Child Labor"
    assert len(spans) == 4


def test_declined_answer_marks_nothing_and_every_source_has_highlights() -> None:
    source = Source("d", "d#t6/r1", "Table 6", ROW, 0.5, (4, 68))
    declined = Answer("The indexed reports do not answer this.", (), (source,), True, 0.1)
    assert answer_json(declined)["sources"][0]["highlights"] == []
    answered = Answer("Number of Labor Inspectors: 113 in 2019 [4].", (), (source,), False, 0.9)
    assert answer_json(answered)["sources"][0]["highlights"] == [[64, 90], [110, 123]]


def _validated(model, body) -> bytes:  # type: ignore[no-untyped-def]
    """The bytes FastAPI sends when a route returns ``body`` as a dict under ``response_model=model``."""
    return JSONResponse(jsonable_encoder(model.model_validate(body).model_dump(mode="json"))).body


def test_answer_bodies_are_sent_as_the_response_model_would_send_them() -> None:
    # the routes skip FastAPI's response validation; the bytes must not change because of it
    sources = (Source("usdol-2019-mali", "usdol-2019-mali#t6/r1", "Table 6", ROW, 0.123456789, (4, 68)),
               Source("usdol-2019-cote", "usdol-2019-cote#p3", "Côte d’Ivoire — “Overview”", PARAGRAPH, 1.0, ()))
    citations = (Citation("usdol-2019-mali", 4, "U.S. DOL … 2019", "https://example.org/a?b=1&c=é"),
                 Citation("usdol-2019-cote", None, "Report", None, label="Côte d'Ivoire 2019"))
    for answer in (Answer("Number of Labor Inspectors: 113 in 2019 [4].", citations, sources, False, 0.87654321),
                   Answer("The reports do not say.", (), sources, True, 0.0, ("[9]",), "llm")):
        body = answer_json(answer)
        assert json_body(body).body == _validated(AnswerOut, body)
        chat = {"message": {"role": "assistant", "content": answer.answer}, "answer": body}
        assert json_body(chat).body == _validated(ChatResponse, chat)
