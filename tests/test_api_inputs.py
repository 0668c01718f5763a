"""Bad input never yields a 500 or a traceback: always a 4xx with {"error": {"code", "message"}}."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import MALI, FakeAssistant
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings
from qa.errors import ModelUnavailable


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def assert_error(response: Any, status: int, code: str | None = None, mentions: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    openai = {"type", "param"} if response.request.url.path.startswith("/v1/") else set()  # OpenAI's fields too
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"} | openai
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["error"]["code"] == code
    if mentions is not None:
        assert mentions in body["error"]["message"]
    return body["error"]


LONG = "x" * 2001
USER = {"role": "user", "content": "How many labor inspectors?"}
ASSISTANT = {"role": "assistant", "content": "113 [4]"}

ASK_CASES = [
    ("empty question", {"question": ""}, 422, "question is empty"),
    ("whitespace question", {"question": "  \n\t "}, 422, "question is empty"),
    # control characters and punctuation alone were searched and answered with passages
    ("control characters only", {"question": "\x01\x02\x7f"}, 422, "no words"),
    ("punctuation only", {"question": "???"}, 422, "no words"),
    ("question over 2000 chars", {"question": LONG}, 422, "2000"),
    ("missing question", {"doc": MALI}, 422, "question"),
    ("question is a number", {"question": 42}, 422, "question"),
    ("question is null", {"question": None}, 422, "question"),
    ("question is a list", {"question": ["a"]}, 422, "question"),
    ("top_k is a string", {"question": "q?", "top_k": "5"}, 422, "top_k"),
    ("top_k is zero", {"question": "q?", "top_k": 0}, 422, "top_k"),
    ("top_k too big", {"question": "q?", "top_k": 51}, 422, "top_k"),
    ("top_k is a bool", {"question": "q?", "top_k": True}, 422, "top_k"),
    ("doc is a number", {"question": "q?", "doc": 7}, 422, "doc"),
    ("body is a list", [{"question": "q?"}], 422, None),
    ("body is a string", "How many inspectors?", 422, None),
]


@pytest.mark.parametrize(("case", "body", "status", "mentions"), ASK_CASES, ids=[c[0] for c in ASK_CASES])
def test_ask_bad_input(client: TestClient, case: str, body: Any, status: int, mentions: str | None) -> None:
    assert_error(client.post("/ask", json=body), status, "invalid_input", mentions)


def test_ask_unknown_doc_is_404(client: TestClient) -> None:
    assert_error(client.post("/ask", json={"question": "q?", "doc": "nope"}), 404, "document_not_found", "nope")


@pytest.mark.parametrize("path", ["/ask", "/chat", "/v1/chat/completions"])
@pytest.mark.parametrize("raw", [b"{not json", b"", b'{"question": "unterminated', b"\xff\xfe"])
def test_invalid_json_is_400(client: TestClient, path: str, raw: bytes) -> None:
    response = client.post(path, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    if raw.startswith(b"{"):
        assert_error(response, 400, "invalid_json")


@pytest.mark.parametrize(("path", "size", "limit"), [("/ask", 70_000, "64 KB"), ("/chat", 1_100_000, "1 MB"),
                                                      ("/v1/chat/completions", 1_100_000, "1 MB")])
def test_body_over_the_limit_is_413(client: TestClient, path: str, size: int, limit: str) -> None:
    big = {"question": "q" * size, "messages": [{"role": "user", "content": "q" * size}]}
    assert_error(client.post(path, json=big), 413, "payload_too_large", limit)


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
def test_a_long_conversation_within_the_message_limits_is_answered(client: TestClient, path: str) -> None:
    # 24 turns whose replies carry 3,000-character sources lists (about 145 KB): every message is
    # within the schema's limits (messages of up to 16,000 characters), so the body must be too
    earlier = [USER, ASSISTANT | {"content": "Sources: " + "z" * 3000}] * 24
    response = client.post(path, json={"model": "qa", "messages": [*earlier, USER]})
    assert response.status_code == 200, response.text[:200]


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
def test_a_chat_of_many_turns_goes_on(client: TestClient, path: str) -> None:
    # an OpenAI client sends the whole conversation: its 26th turn (51 messages) was refused with a 422;
    # only the latest 20 user turns are used to resolve a follow-up
    fake = client.app.state.holder.assistant
    earlier = [{"role": "system", "content": "Be brief."}] + [
        m for k in range(40) for m in (USER | {"content": f"Question {k}?"}, ASSISTANT)]
    response = client.post(path, json={"model": "qa", "messages": [*earlier, USER]})
    assert response.status_code == 200, response.text[:200]
    assert fake.calls[-1]["history"] == [f"Question {k}?" for k in range(20, 40)]


def test_an_earlier_image_part_does_not_stop_the_chat(client: TestClient) -> None:
    # a chat that sent an image to another model earlier was refused at every later turn
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    earlier = {"role": "user", "content": [{"type": "text", "text": "What is this?"}, image]}
    response = client.post("/v1/chat/completions", json={"model": "qa", "messages": [earlier, ASSISTANT, USER]})
    assert response.status_code == 200, response.text[:200]
    assert client.app.state.holder.assistant.calls[-1]["history"] == ["What is this?"]


def test_chunked_body_over_64kb_is_413(client: TestClient) -> None:
    def chunks():  # no Content-Length: the limit must count the bytes as they arrive
        yield b'{"question": "'
        for _ in range(20):
            yield b"q" * 4096
        yield b'"}'

    assert_error(client.post("/ask", content=chunks(), headers={"Content-Type": "application/json"}),
                 413, "payload_too_large")


def test_body_just_under_the_limit_is_accepted(client: TestClient) -> None:
    # 50 messages of 1,200 characters: about 62 KB, within limits.
    messages = [USER | {"content": "y" * 1200}, ASSISTANT | {"content": "z" * 1200}] * 24 + [USER, ASSISTANT, USER]
    messages = messages[-50:]
    assert messages[-1]["role"] == "user"
    assert client.post("/chat", json={"messages": messages}).status_code == 200


CHAT_CASES = [
    ("no messages", {"messages": []}, "messages"),
    ("messages missing", {}, "messages"),
    ("messages not a list", {"messages": "hello"}, "messages"),
    ("unknown role", {"messages": [{"role": "wizard", "content": "hi"}]}, "role"),
    ("last is assistant", {"messages": [USER, ASSISTANT]}, "last message"),
    ("content is a number", {"messages": [{"role": "user", "content": 5}]}, "content"),
    ("content missing", {"messages": [{"role": "user"}]}, "content"),
    ("blank question", {"messages": [USER, ASSISTANT, {"role": "user", "content": "   "}]}, "empty"),
    ("question over 2000 chars", {"messages": [{"role": "user", "content": LONG}]}, "2000"),
    ("501 messages", {"messages": [USER, ASSISTANT] * 250 + [USER]}, "500"),
    ("doc wrong type", {"messages": [USER], "doc": ["x"]}, "doc"),
]


@pytest.mark.parametrize(("case", "body", "mentions"), CHAT_CASES, ids=[c[0] for c in CHAT_CASES])
def test_chat_bad_input(client: TestClient, case: str, body: Any, mentions: str) -> None:
    assert_error(client.post("/chat", json=body), 422, "invalid_input", mentions)


def test_chat_unknown_doc_is_404(client: TestClient) -> None:
    assert_error(client.post("/chat", json={"messages": [USER], "doc": "nope"}), 404, "document_not_found")


OPENAI_CASES = [
    ("unknown role", [{"role": "wizard", "content": "hi"}], {}, "role"),
    ("tool role", [USER, {"role": "tool", "content": "{}", "tool_call_id": "x"}], {}, "role"),
    ("last is assistant", [USER, ASSISTANT], {}, "last message"),
    ("last is system", [USER, {"role": "system", "content": "be brief"}], {}, "last message"),
    ("501 messages", [USER, ASSISTANT] * 250 + [USER], {}, "500"),
    ("no messages", [], {}, "messages"),
    ("image content", [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}], {},
     "text"),
    ("stream is a string", [USER], {"stream": "yes"}, "stream"),
    ("include_usage a string", [USER], {"stream": True, "stream_options": {"include_usage": "yes"}},
     "include_usage"),
    ("model is a number", [USER], {"model": 4}, "model"),
    ("question over 2000", [{"role": "user", "content": LONG}], {}, "2000"),
    ("blank question", [{"role": "user", "content": ""}], {}, "empty"),
]


@pytest.mark.parametrize(("case", "messages", "extra", "mentions"), OPENAI_CASES, ids=[c[0] for c in OPENAI_CASES])
def test_openai_bad_input(client: TestClient, case: str, messages: list, extra: dict, mentions: str) -> None:
    body = {"model": "qa", "messages": messages, **extra}
    assert_error(client.post("/v1/chat/completions", json=body), 422, "invalid_input", mentions)


@pytest.mark.parametrize("stream", [False, True])
def test_openai_unknown_doc_is_404_even_when_streaming(client: TestClient, stream: bool) -> None:
    body = {"model": "qa/nope", "messages": [USER], "stream": stream}
    response = client.post("/v1/chat/completions", json=body)
    assert response.headers["content-type"].startswith("application/json")
    assert_error(response, 404, "document_not_found")


SEARCH_CASES = [
    ("q missing", {}, 422),
    ("q empty", {"q": ""}, 422),
    ("q whitespace", {"q": "   "}, 422),
    ("q too long", {"q": LONG}, 422),
    ("k zero", {"q": "x", "k": 0}, 422),
    ("k not a number", {"q": "x", "k": "ten"}, 422),
    ("k too big", {"q": "x", "k": 1000}, 422),
    ("unknown doc", {"q": "x", "doc": "nope"}, 404),
]


@pytest.mark.parametrize(("case", "params", "status"), SEARCH_CASES, ids=[c[0] for c in SEARCH_CASES])
def test_search_bad_input(client: TestClient, case: str, params: dict, status: int) -> None:
    assert_error(client.get("/search", params=params), status)


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/documents/nope", 404, "document_not_found"),
    ("/documents/nope/references", 404, "document_not_found"),
    ("/documents/nope/references/4", 404, "document_not_found"),
    (f"/documents/{MALI}/references/0", 404, "reference_not_found"),
    (f"/documents/{MALI}/references/110", 404, "reference_not_found"),
    (f"/documents/{MALI}/references/-3", 404, "reference_not_found"),
    (f"/documents/{MALI}/references/four", 422, "invalid_input"),
    (f"/documents/{MALI}/references/99999999999999999999999", 404, "reference_not_found"),
    ("/documents/ilo-2021-aejt/references/1", 404, "reference_not_found"),
    ("/no/such/path", 404, "not_found"),
])
def test_document_lookups(client: TestClient, path: str, status: int, code: str) -> None:
    assert_error(client.get(path), status, code)


def test_wrong_method_is_405_json(client: TestClient) -> None:
    assert_error(client.get("/ask"), 405, "method_not_allowed")
    assert_error(client.delete("/documents"), 405, "method_not_allowed")


class Exploding(FakeAssistant):
    def ask(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise RuntimeError("secret internal detail")

    def search(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise ModelUnavailable("the embedding model is not available")


def test_unexpected_errors_are_json_500_without_details() -> None:
    app = create_app(Settings(api_key=None, cors_origins=[]), Exploding())
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.post("/ask", json={"question": "How many inspectors?"})
        err = assert_error(response, 500, "internal_error")
        assert "secret" not in err["message"]
        assert_error(c.get("/search", params={"q": "x"}), 503, "model_unavailable")


PARTS = [{"type": "text", "text": "Who chairs"}, {"type": "text", "text": "the CNLTE?"}]
IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
def test_text_parts_are_read_the_same_on_every_chat_route(client: TestClient, path: str) -> None:
    # /chat refused OpenAI-style content lists that /v1/chat/completions accepted
    fake = client.app.state.holder.assistant
    earlier = {"role": "user", "content": [{"type": "text", "text": "And in 2018?"}, IMAGE]}
    response = client.post(path, json={"model": "qa", "messages": [earlier, ASSISTANT,
                                                                    {"role": "user", "content": PARTS}]})
    assert response.status_code == 200, response.text[:200]
    # parts that would run two words together get a space between them
    assert fake.calls[-1]["question"] == "Who chairs the CNLTE?"
    assert fake.calls[-1]["history"] == ["And in 2018?"]


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
@pytest.mark.parametrize("content", [[IMAGE], [*PARTS, IMAGE]], ids=["image only", "text and image"])
def test_an_image_in_the_question_is_a_clear_422(client: TestClient, path: str, content: list) -> None:
    error = assert_error(client.post(path, json={"model": "qa", "messages": [{"role": "user", "content": content}]}),
                         422, "invalid_input", "has image_url content")
    assert "only text parts are read" in error["message"]


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
def test_a_part_without_a_type_is_a_422(client: TestClient, path: str) -> None:
    body = {"model": "qa", "messages": [{"role": "user", "content": [{"text": "Who chairs the CNLTE?"}]}]}
    assert_error(client.post(path, json=body), 422, "invalid_input", "type")


@pytest.mark.parametrize("path", ["/ask", "/chat", "/v1/chat/completions"])
def test_a_body_not_in_utf8_is_invalid_json_saying_so(client: TestClient, path: str) -> None:
    # a Latin-1 client's "été": JSON is UTF-8; the answer was a bare "There was an error parsing the body"
    raw = '{"question": "inspecteurs du travail en été"}'.encode("latin-1")
    response = client.post(path, content=raw, headers={"Content-Type": "application/json; charset=latin-1"})
    assert_error(response, 400, "invalid_json", "UTF-8")


@pytest.mark.parametrize("path", ["/chat", "/v1/chat/completions"])
@pytest.mark.parametrize("content", [5, {"text": "How many labor inspectors?"}, True])
def test_a_content_neither_text_nor_parts_names_the_field_not_pydantics_union(client: TestClient, path: str,
                                                                            content: Any) -> None:
    # the message named the union's members as fields ("messages.0.content.constrained-str: ...;
    # messages.0.content.list[ContentPart]: ..."), and OpenAI's param was "messages.0.content.constrained-str"
    error = assert_error(client.post(path, json={"messages": [{"role": "user", "content": content}]}), 422,
                         "invalid_input")
    assert error["message"] == "messages.0.content: Input should be a valid string or a valid list"
    if path.startswith("/v1/"):
        assert error["param"] == "messages.0.content"


@pytest.mark.parametrize("path", ["/ask", "/chat", "/v1/chat/completions"])
@pytest.mark.parametrize("raw", [b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000])
def test_json_nested_too_deeply_is_invalid_json(client: TestClient, path: str, raw: bytes) -> None:
    # Python's parser gives up on it: that was 400 "bad_request", "There was an error parsing the body"
    response = client.post(path, content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalid_json", "nested too deeply")
