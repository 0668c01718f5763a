"""The OpenAI-compatible endpoint refuses as OpenAI does what it cannot honour, and keeps accepting
what OpenAI clients send. Errors under /v1/ read as OpenAI's ({"message", "type", "param", "code"})
and as the project's ({"code", "message"}); errors elsewhere keep the project's two fields."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest
from api_support import ILO, MALI, FakeAssistant, live_server
from fastapi.testclient import TestClient
from openai import OpenAI

from qa.api.app import create_app
from qa.config import Settings

USER = {"role": "user", "content": "How many labor inspectors?"}


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def complete(client: TestClient, **fields: Any) -> httpx.Response:
    return client.post("/v1/chat/completions", json={"model": "qa", "messages": [USER], **fields})


def openai_error(response: httpx.Response, status: int, code: str, param: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == code and error["param"] == param and error["message"]
    assert error["type"] == ("invalid_request_error" if status < 500 else "server_error")
    return error


# -- refusals ---------------------------------------------------------------------------------------------
# "qa/" names no document: it was answered from every report, though GET /v1/models/qa/ is a 404
@pytest.mark.parametrize("model", ["gpt-4o", "gpt-3.5-turbo", "", "QA", "qa-2", "qa/"])
@pytest.mark.parametrize("stream", [False, True])
def test_an_unknown_model_is_404_model_not_found(client: TestClient, model: str, stream: bool) -> None:
    error = openai_error(complete(client, model=model, stream=stream), 404, "model_not_found", "model")
    assert repr(model) in error["message"] and "/v1/models" in error["message"]


def test_every_listed_model_is_accepted(client: TestClient) -> None:
    ids = [m["id"] for m in client.get("/v1/models").json()["data"]]
    assert ids == ["qa", f"qa/{MALI}", f"qa/{ILO}"]
    for model in ids:
        assert complete(client, model=model).status_code == 200, model


def test_a_document_model_for_an_unknown_document_is_404(client: TestClient) -> None:
    # the model names the document: "model" is the field a client must change
    openai_error(complete(client, model="qa/nope"), 404, "document_not_found", "model")
    openai_error(complete(client, model="qa/nope", stream=True), 404, "document_not_found", "model")
    # a "doc" field of its own is not the model's fault
    openai_error(complete(client, doc="nope"), 404, "document_not_found", None)


def test_a_listed_model_can_be_retrieved(client: TestClient) -> None:
    for model in ("qa", f"qa/{MALI}"):
        found = client.get(f"/v1/models/{model}")
        assert found.status_code == 200, found.text
        assert found.json() == {"id": model, "object": "model", "created": found.json()["created"], "owned_by": "qa"}
    openai_error(client.get("/v1/models/gpt-4o"), 404, "model_not_found", "model")
    openai_error(client.get("/v1/models/qa/nope"), 404, "model_not_found", "model")


@pytest.mark.parametrize("n", [2, 5, 0, -1])
def test_n_other_than_1_is_400(client: TestClient, n: int) -> None:
    error = openai_error(complete(client, n=n), 400, "unsupported_value", "n")
    assert str(n) in error["message"]


@pytest.mark.parametrize(("field", "value"), [("temperature", -5), ("temperature", 2.01), ("temperature", 100),
                                              ("top_p", 1.5), ("top_p", -0.1)])
def test_out_of_range_sampling_is_400(client: TestClient, field: str, value: float) -> None:
    error = openai_error(complete(client, **{field: value}), 400, "invalid_value", field)
    assert field in error["message"] and str(value) in error["message"]


def test_nan_temperature_is_400(client: TestClient) -> None:
    raw = '{"model": "qa", "messages": [{"role": "user", "content": "q?"}], "temperature": NaN}'
    response = client.post("/v1/chat/completions", content=raw, headers={"content-type": "application/json"})
    # json.loads reads NaN as a float; the range check must refuse it, never answer 200
    openai_error(response, 400, "invalid_value", "temperature")


@pytest.mark.parametrize(("field", "value"), [("n", "2"), ("n", True), ("temperature", "hot"), ("top_p", [1])])
def test_a_wrong_type_is_the_usual_422_naming_the_field(client: TestClient, field: str, value: Any) -> None:
    openai_error(complete(client, **{field: value}), 422, "invalid_input", field)


# -- what clients send is accepted ------------------------------------------------------------------------
@pytest.mark.parametrize("fields", [
    {"n": 1, "temperature": 0, "top_p": 1},
    {"temperature": 2, "top_p": 0},
    {"temperature": 0.7, "max_tokens": 100, "max_completion_tokens": 100, "stop": ["\n"], "seed": 1, "user": "u",
     "presence_penalty": 0.5, "frequency_penalty": 0.5, "logit_bias": {}, "logprobs": False,
     "response_format": {"type": "text"}, "stream_options": {"include_usage": True}, "metadata": {"a": "b"},
     "tools": [], "parallel_tool_calls": False, "store": False, "some_future_field": {"x": 1}},
])
@pytest.mark.parametrize("stream", [False, True])
def test_known_and_unknown_knobs_are_accepted(client: TestClient, fields: dict[str, Any], stream: bool) -> None:
    response = complete(client, stream=stream, **fields)
    assert response.status_code == 200, response.text
    assert "[4]" in response.text


def test_system_messages_and_text_content_parts_are_accepted(client: TestClient) -> None:
    messages = [{"role": "system", "content": [{"type": "text", "text": "You answer from reports."}]},
                {"role": "developer", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "How many labor "},
                                             {"type": "text", "text": "inspectors?", "cache_control": {}}],
                 "name": "ana"}]
    response = client.post("/v1/chat/completions", json={"model": "qa", "messages": messages})
    assert response.status_code == 200 and "[4]" in response.json()["choices"][0]["message"]["content"]


def test_tool_turns_of_an_agent_conversation_are_accepted_and_not_used() -> None:
    # an agent's history holds its tool calls and their results (role "tool", or the older
    # "function"); each was a 422 on messages.N.role, so the conversation could not go on
    fake = FakeAssistant()
    app = create_app(Settings(api_key=None, cors_origins=[]), fake)
    messages = [USER,
                {"role": "assistant", "content": None,
                 "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "a tool's result"}]},
                {"role": "function", "name": "f", "content": "an older client's function result"},
                {"role": "user", "content": "And in 2018?"}]
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.post("/v1/chat/completions", json={"model": "qa", "messages": messages,
                                                        "tools": [{"type": "function", "function": {"name": "f"}}]})
    assert response.status_code == 200, response.text
    assert fake.calls[-1]["question"] == "And in 2018?"
    assert fake.calls[-1]["history"] == [USER["content"]]


# -- both error shapes ------------------------------------------------------------------------------------
def test_every_v1_error_has_both_shapes_and_other_routes_keep_theirs() -> None:
    app = create_app(Settings(api_key="k3y", cors_origins=[]), FakeAssistant())
    with TestClient(app, raise_server_exceptions=False) as c:
        auth = {"Authorization": "Bearer k3y"}
        unauthorised = c.post("/v1/chat/completions", json={"messages": [USER]})
        assert unauthorised.status_code == 401
        assert unauthorised.json()["error"]["type"] == "authentication_error"
        invalid = c.post("/v1/chat/completions", json={"messages": []}, headers=auth)
        error = invalid.json()["error"]
        assert invalid.status_code == 422 and error["code"] == "invalid_input" and "messages" in error["message"]
        assert error["type"] == "invalid_request_error" and error["param"] == "messages"
        too_big = c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "q" * 1_100_000}]},
                         headers=auth)
        assert too_big.status_code == 413 and set(too_big.json()["error"]) == {"message", "type", "param", "code"}
        ask = c.post("/ask", json={"question": ""}, headers=auth)
        assert ask.status_code == 422 and set(ask.json()["error"]) == {"code", "message"}


# -- through the official openai client -------------------------------------------------------------------
@pytest.fixture(scope="module")
def openai_client():
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())) as base:
        yield OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0, timeout=60)


def test_the_openai_client_sees_openai_errors(openai_client: OpenAI) -> None:
    messages = [USER]
    with pytest.raises(openai.NotFoundError) as missing:
        openai_client.chat.completions.create(model="gpt-4o", messages=messages)
    assert missing.value.code == "model_not_found" and missing.value.param == "model"
    assert missing.value.type == "invalid_request_error"
    with pytest.raises(openai.BadRequestError) as several:
        openai_client.chat.completions.create(model="qa", messages=messages, n=5)
    assert several.value.param == "n"
    with pytest.raises(openai.BadRequestError) as cold:
        openai_client.chat.completions.create(model="qa", messages=messages, temperature=-5)
    assert cold.value.param == "temperature" and "between 0 and 2" in str(cold.value)
    completion = openai_client.chat.completions.create(model="qa", messages=messages, temperature=0.3, n=1,
                                                       top_p=0.9, max_tokens=64, seed=7)
    assert "[4]" in (completion.choices[0].message.content or "")
    assert openai_client.models.retrieve(f"qa/{MALI}").id == f"qa/{MALI}"
