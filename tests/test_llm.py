"""The optional LLM answer path, against a small OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from qa.config import Settings
from qa.errors import InvalidInput, ReferenceNotFound
from qa.answer.llm import ABSTAIN_SENTENCE, LLMWriter, Passage, build_messages, parse_marker
from qa.models import Answer, Citation, Source

USDOL = "usdol-2019-mali"
ILO = "ilo-2021-aejt-kayes-sikasso"
BIBLIOGRAPHY = {4: "ILO-IPEC Mali official, 2019", 68: "USDOL reporting, 2018", 69: "Ref 69", 70: "Ref 70", 71: "Ref 71"}

PASSAGES = [
    Passage(USDOL, "Table 6 | Number of Labor Inspectors | 2018: 109 [68] | 2019: 113 [4]", frozenset({4, 68}), "USDOL"),
    Passage(USDOL, "The labor inspectorate lacked resources (69,70).", frozenset({69, 70}), "USDOL"),
]

FALLBACK = Answer(
    answer="Mali had 113 labor inspectors in 2019 [4].",
    citations=(Citation(USDOL, 4, BIBLIOGRAPHY[4], None),),
    sources=(Source(USDOL, f"{USDOL}#t6/r3", "IV", PASSAGES[0].text, 0.82, (4, 68)),),
    abstained=False,
    confidence=0.77,
)


def resolve(doc: str, ref: int | None) -> Citation:
    if doc == ILO and ref is None:
        return Citation(ILO, None, "AEJT project in Kayes and Sikasso, ILO, 2021", "https://ilo.example/aejt")
    if doc == USDOL and ref in BIBLIOGRAPHY:
        return Citation(USDOL, ref, BIBLIOGRAPHY[ref], None)
    raise ReferenceNotFound(f"{doc} has no reference {ref}")


@dataclass
class FakeLLM:
    """What the loopback server answers next, and what it was sent."""

    content: str | None = "Mali had 113 labor inspectors in 2019 [4]."
    status: int = 200
    delay: float = 0.0
    raw_body: bytes | None = None  # sent verbatim instead of a chat-completions response
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables; a proxy would take loopback traffic off the machine.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            time.sleep(fake.delay)
            if fake.raw_body is not None:
                out = fake.raw_body
            else:
                message = {"role": "assistant", "content": fake.content}
                out = json.dumps({"id": "x", "object": "chat.completion", "model": "fake",
                                  "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}).encode()
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield fake
    server.shutdown()
    server.server_close()


def writer(fake: FakeLLM, **overrides: Any) -> LLMWriter:
    values: dict[str, Any] = {"llm_base_url": fake.url, "llm_model": "fake-model", "llm_api_key": "sk-test-123",
                              "llm_timeout": 5.0}
    return LLMWriter(Settings(**{**values, **overrides}))


def test_invented_reference_is_removed_and_flagged(llm: FakeLLM) -> None:
    llm.content = "Mali had 113 labor inspectors in 2019 [4] and 150 in 2020 [99]."
    out = writer(llm).write("How many labor inspectors?", PASSAGES, FALLBACK, resolve)
    assert out.mode == "llm"
    assert out.answer == "Mali had 113 labor inspectors in 2019 [4] and 150 in 2020."
    assert out.unsupported_citations == ("[99]",)
    assert out.citations == (Citation(USDOL, 4, BIBLIOGRAPHY[4], None),)
    assert out.sources == FALLBACK.sources and out.confidence == FALLBACK.confidence
    assert not out.abstained and "llm_error" not in out.extra


def test_server_error_returns_the_extractive_answer(llm: FakeLLM, caplog: pytest.LogCaptureFixture) -> None:
    llm.status = 500
    out = writer(llm).write("How many labor inspectors?", PASSAGES, FALLBACK, resolve)
    assert out == FALLBACK and out.mode == "extractive"
    assert "500" in out.extra["llm_error"]
    assert "500" in caplog.text
    assert "llm_error" not in FALLBACK.extra  # the caller's object is not mutated


def test_timeout_returns_the_extractive_answer(llm: FakeLLM) -> None:
    llm.delay = 1.0
    started = time.perf_counter()
    out = writer(llm, llm_timeout=0.2).write("How many labor inspectors?", PASSAGES, FALLBACK, resolve)
    assert time.perf_counter() - started < 0.9  # gave up at the timeout, did not wait for the reply
    assert out == FALLBACK and out.mode == "extractive"
    assert "timed out" in out.extra["llm_error"]


def test_do_not_answer_reply_abstains(llm: FakeLLM) -> None:
    llm.content = ABSTAIN_SENTENCE
    out = writer(llm).write("What is the capital of France?", PASSAGES, FALLBACK, resolve)
    assert out.abstained and out.mode == "llm"
    assert out.answer == ABSTAIN_SENTENCE and out.citations == ()
    assert out.sources == FALLBACK.sources


def test_request_carries_bearer_key_model_and_passage_numbers(llm: FakeLLM) -> None:
    writer(llm).write("How many labor inspectors?", PASSAGES, FALLBACK, resolve)
    (request,) = llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test-123"
    body = request["json"]
    assert body["model"] == "fake-model" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and ABSTAIN_SENTENCE in system["content"]
    assert "[4], [68]" in user["content"] and "[69], [70]" in user["content"]
    assert PASSAGES[0].text in user["content"] and "How many labor inspectors?" in user["content"]


def test_no_key_sends_no_authorization(llm: FakeLLM) -> None:
    writer(llm, llm_api_key=None).write("q?", PASSAGES, FALLBACK, resolve)
    assert "Authorization" not in llm.requests[0]["headers"]


def test_range_marker_is_checked_number_by_number(llm: FakeLLM) -> None:
    llm.content = "The inspectorate lacked resources [68-71]."
    out = writer(llm).write("Resources?", PASSAGES, FALLBACK, resolve)
    assert out.answer == "The inspectorate lacked resources [68, 69, 70]."
    assert out.unsupported_citations == ("[71]",)
    assert [c.ref for c in out.citations] == [68, 69, 70]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Mali had 113 inspectors.", "no reference number"),  # a claim with no citation at all
        ("Mali had 113 inspectors [99].", "unsupported: [99]"),
        ("   ", "empty answer"),
        (None, "malformed"),
    ],
)
def test_unusable_replies_fall_back(llm: FakeLLM, content: str | None, reason: str) -> None:
    llm.content = content
    out = writer(llm).write("How many?", PASSAGES, FALLBACK, resolve)
    assert out == FALLBACK and reason in out.extra["llm_error"]


def test_non_json_body_falls_back(llm: FakeLLM) -> None:
    llm.raw_body = b"<html>gateway</html>"
    out = writer(llm).write("How many?", PASSAGES, FALLBACK, resolve)
    assert out == FALLBACK and "malformed" in out.extra["llm_error"]


def test_connection_refused_falls_back() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens on this loopback port any more
    out = LLMWriter(Settings(llm_base_url=f"http://127.0.0.1:{port}/v1")).write("q?", PASSAGES, FALLBACK, resolve)
    assert out == FALLBACK and "request failed" in out.extra["llm_error"]


def test_document_without_bibliography_is_cited_by_label(llm: FakeLLM) -> None:
    ilo = Passage(ILO, "The AEJT project works in Kayes and Sikasso.", frozenset(), "ILO AEJT 2021")
    llm.content = "It works in Kayes and Sikasso [ILO AEJT 2021]; inspectors number 113 [4]."
    out = writer(llm).write("Where?", [PASSAGES[0], ilo], FALLBACK, resolve)
    assert {(c.doc, c.ref) for c in out.citations} == {(USDOL, 4), (ILO, None)}
    assert "cite it as [ILO AEJT 2021]" in build_messages("Where?", [ilo])[1]["content"]
    llm.content = "It works in Kayes and Sikasso."  # only bibliography-less passages: cited as documents
    out = writer(llm).write("Where?", [ilo], FALLBACK, resolve)
    assert out.mode == "llm" and [(c.doc, c.ref) for c in out.citations] == [(ILO, None)]


def test_disabled_writer_returns_fallback_without_calling() -> None:
    w = LLMWriter(Settings(llm_base_url=None))
    assert not w.enabled
    assert w.write("q?", PASSAGES, FALLBACK, resolve) is FALLBACK


@pytest.mark.parametrize("url", ["ftp://x/v1", "localhost:8080", "http://"])
def test_bad_base_url_is_refused_at_construction(url: str) -> None:
    with pytest.raises(InvalidInput):
        LLMWriter(Settings(llm_base_url=url))


def test_parse_marker() -> None:
    assert parse_marker("68, 69, 70") == [68, 69, 70]
    assert parse_marker("4,13-16") == [4, 13, 14, 15, 16]
    assert parse_marker("4; 13–14") == [4, 13, 14]
    assert parse_marker("71-68") is None and parse_marker("1-5000") is None
