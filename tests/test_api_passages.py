"""A source's highlights are the spans its answer's quoted units carry: nothing guessed from words."""

from __future__ import annotations

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from qa.api.passages import answer_json, highlights, json_body
from qa.api.schemas import AnswerOut, ChatResponse
from qa.models import Answer, Citation, QuotedUnit, Source

ROW = ("Table 6. Labor Law Enforcement Efforts Related to Child Labor | Number of Labor Inspectors | "
       "2018: 109 [68] | 2019: 113 [4]")
PARAGRAPH = ("Role: Coordinates Mali's efforts to eliminate child labor, especially its worst forms. [2, 24] "
             "Chaired by the Ministry of Labor and includes representatives from other government ministries. "
             "[2, 66] One labor inspector works there.")
ROW_SOURCE = Source("d", "d#t6/r1", "Table 6", ROW, 0.5, (4, 68))
PARA_SOURCE = Source("d", "d#t5/r1", "Table 5", PARAGRAPH, 0.4, (2, 24, 66))


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


INSPECTORS = QuotedUnit("d", "d#t6/r1", "Number of Labor Inspectors: 113 in 2019.", (4,),
                        (span(ROW, "Number of Labor Inspectors"), span(ROW, "2019: 113 [4]")))
CHAIRED = QuotedUnit("d", "d#t5/r1", "Chaired by the Ministry of Labor.", (2, 66),
                     (span(PARAGRAPH, "Chaired by the Ministry of Labor and includes representatives from other "
                                      "government ministries. [2, 66]"),))


def test_each_source_gets_the_spans_of_the_units_quoting_it() -> None:
    answer = Answer("...", (), (ROW_SOURCE, PARA_SOURCE), False, 0.9, units=(INSPECTORS, CHAIRED))
    body = answer_json(answer)
    row, para = body["sources"]
    assert [ROW[a:b] for a, b in row["highlights"]] == ["Number of Labor Inspectors", "2019: 113 [4]"]
    assert [PARAGRAPH[a:b] for a, b in para["highlights"]] == [
        "Chaired by the Ministry of Labor and includes representatives from other government ministries. [2, 66]"]
    assert body["units"][0] == {"doc": "d", "anchor": "d#t6/r1", "text": INSPECTORS.text, "refs": [4],
                                "spans": [[64, 90], [110, 123]], "doc_spans": []}


def test_overlapping_spans_of_two_units_merge_and_other_documents_do_not_count() -> None:
    funding = QuotedUnit("d", "d#t6/r1", "Number of Labor Inspectors: 109 in 2018.", (68,),
                         (span(ROW, "Number of Labor Inspectors"), span(ROW, "2018: 109 [68]")))
    same_anchor_other_doc = QuotedUnit("e", "d#t6/r1", "x", (), ((0, 8),))
    answer = Answer("...", (), (ROW_SOURCE,), False, 0.9, units=(INSPECTORS, funding, same_anchor_other_doc))
    assert [ROW[a:b] for a, b in highlights(answer, "d", "d#t6/r1")] == [
        "Number of Labor Inspectors", "2018: 109 [68]", "2019: 113 [4]"]


def test_declined_answer_and_unquoted_sources_mark_nothing() -> None:
    declined = Answer("The indexed reports do not answer this.", (), (ROW_SOURCE,), True, 0.1, units=(INSPECTORS,))
    assert answer_json(declined)["sources"][0]["highlights"] == []
    answered = Answer("Number of Labor Inspectors: 113 in 2019 [4].", (), (ROW_SOURCE, PARA_SOURCE), False, 0.9,
                      units=(INSPECTORS,))
    assert [s["highlights"] for s in answer_json(answered)["sources"]] == [[[64, 90], [110, 123]], []]


def test_quoted_units_survive_the_json_round_trip() -> None:
    metadata = QuotedUnit("d", None, "The 2019 report rates Mali's efforts as Moderate Advancement.")
    for unit in (INSPECTORS, CHAIRED, metadata):
        assert QuotedUnit.from_json(unit.to_json()) == unit


def _validated(model, body) -> bytes:  # type: ignore[no-untyped-def]
    """The bytes FastAPI sends when a route returns ``body`` as a dict under ``response_model=model``."""
    return JSONResponse(jsonable_encoder(model.model_validate(body).model_dump(mode="json"))).body


def test_answer_bodies_are_sent_as_the_response_model_would_send_them() -> None:
    # the routes skip FastAPI's response validation; the bytes must not change because of it
    sources = (Source("usdol-2019-mali", "usdol-2019-mali#t6/r1", "Table 6", ROW, 0.123456789, (4, 68)),
               Source("usdol-2019-cote", "usdol-2019-cote#p3", "Côte d’Ivoire — “Overview”", PARAGRAPH, 1.0, ()))
    citations = (Citation("usdol-2019-mali", 4, "U.S. DOL … 2019", "https://example.org/a?b=1&c=é"),
                 Citation("usdol-2019-cote", None, "Report", None, label="Côte d'Ivoire 2019"))
    for answer in (Answer("Number of Labor Inspectors: 113 in 2019 [4].", citations, sources, False, 0.87654321,
                          units=(INSPECTORS,)),
                   Answer("The reports do not say.", (), sources, True, 0.0, ("[9]",), "llm")):
        body = answer_json(answer)
        assert json_body(body).body == _validated(AnswerOut, body)
        chat = {"message": {"role": "assistant", "content": answer.answer}, "answer": body}
        assert json_body(chat).body == _validated(ChatResponse, chat)
