"""Every endpoint of the HTTP API, against a fake assistant with canned answers (fast)."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from api_support import (
    ENTRY_4, ILO, INSPECTORS_TEXT, INSPECTORS_WORDS, MALI, QUOTED_SPAN, FakeAssistant, live_server,
)
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.api.render import answer_content, stream_pieces
from qa.text.tokens import count_tokens
from qa.config import Settings
from qa.errors import IndexMissing


def make_client(assistant: FakeAssistant | None = None, **settings: object) -> TestClient:
    options = {"api_key": None, "cors_origins": [], **settings}
    app = create_app(Settings(**options), assistant or FakeAssistant())
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture()
def fake() -> FakeAssistant:
    return FakeAssistant()


@pytest.fixture()
def client(fake: FakeAssistant):
    with make_client(fake) as c:
        yield c


# -- health ---------------------------------------------------------------------------------------
def test_healthz_ok_with_index_summary(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "index": {"model": "fake", "documents": 2, "chunks": 6, "stale": False}}


def test_healthz_503_while_loading_then_200() -> None:
    gate = threading.Event()
    fake = FakeAssistant(ready=False, gate=gate)
    with make_client(fake) as c:
        r = c.get("/healthz")
        assert r.status_code == 503 and r.json() == {"status": "loading"}
        # a monitor or balancer that checks with HEAD gets the same status, not a 405
        assert c.head("/healthz").status_code == 503
        # Other endpoints say "not ready" the same way, as JSON.
        r = c.post("/ask", json={"question": "How many inspectors?"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready"
        gate.set()
        assert c.app.state.holder.wait(5) == "ready"
        assert c.get("/healthz").status_code == 200
        head = c.head("/healthz")
        assert head.status_code == 200 and head.content == b""


def test_healthz_reports_load_failure() -> None:
    fake = FakeAssistant(ready=False, load_error=IndexMissing("no index at index/default: run `qa index build`"))
    with make_client(fake) as c:
        c.app.state.holder.wait(5)
        r = c.get("/healthz")
        assert r.status_code == 503
        assert r.json()["status"] == "error"
        assert r.json()["error"] == {"code": "index_missing",
                                     "message": "no index at index/default: run `qa index build`"}
        r = c.get("/documents")
        assert r.status_code == 503 and r.json()["error"]["code"] == "index_missing"


def test_unexpected_load_failure_is_503_without_traceback() -> None:
    fake = FakeAssistant(ready=False, load_error=RuntimeError("disk on fire"))
    with make_client(fake) as c:
        c.app.state.holder.wait(5)
        r = c.get("/search", params={"q": "inspectors"})
        assert r.status_code == 503
        assert r.json()["error"] == {"code": "load_failed", "message": "the assistant failed to load: disk on fire"}
        assert "Traceback" not in r.text


# -- /ask -----------------------------------------------------------------------------------------
def test_ask_returns_the_answer_object(client: TestClient, fake: FakeAssistant) -> None:
    r = client.post("/ask", json={"question": "  How many labor inspectors?  ", "doc": MALI, "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["answer"] == INSPECTORS_TEXT
    assert body["citations"][0] == {"doc": MALI, "ref": 4, "label": "4", "text": ENTRY_4, "url": None}
    assert body["sources"][0]["anchor"] == f"{MALI}#t6/r2" and body["sources"][0]["refs"] == [68, 4]
    assert body["abstained"] is False and body["confidence"] == 0.87 and body["mode"] == "extractive"
    assert body["sources"][0]["highlights"] == [list(QUOTED_SPAN)]
    assert body["units"] == [{"doc": MALI, "anchor": f"{MALI}#t6/r2", "text": INSPECTORS_WORDS, "refs": [4, 68],
                              "spans": [list(QUOTED_SPAN)], "doc_spans": []}]
    assert fake.calls == [{"question": "How many labor inspectors?", "history": [], "doc": MALI, "top_k": 3}]


def test_ask_abstention_is_an_answer_not_an_error(client: TestClient) -> None:
    r = client.post("/ask", json={"question": "How many unicorns live in Kayes?"})
    assert r.status_code == 200
    assert r.json()["abstained"] is True and r.json()["citations"] == []


# -- /chat ----------------------------------------------------------------------------------------
def test_chat_passes_earlier_user_turns_as_history(client: TestClient, fake: FakeAssistant) -> None:
    messages = [
        {"role": "user", "content": "How many labor inspectors did Mali have in 2019?"},
        {"role": "assistant", "content": "113 [4]"},
        {"role": "user", "content": "And in 2018?"},
    ]
    r = client.post("/chat", json={"messages": messages, "doc": MALI})
    assert r.status_code == 200
    body = r.json()
    assert body["message"]["role"] == "assistant"
    assert body["message"]["content"].startswith(INSPECTORS_TEXT)
    assert "\n\nSources:\n[4] " + ENTRY_4 in body["message"]["content"]
    assert body["answer"]["citations"][1]["ref"] == 68
    assert fake.calls[-1] == {"question": "And in 2018?", "history": [messages[0]["content"]], "doc": MALI,
                              "top_k": None}


# -- OpenAI-compatible ----------------------------------------------------------------------------
def _completion(client: TestClient, **extra: object) -> httpx.Response:
    body = {"model": "qa", "messages": [{"role": "system", "content": "Be brief."},
                                        {"role": "user", "content": "How many labor inspectors?"}], **extra}
    return client.post("/v1/chat/completions", json=body)


def test_openai_completion_plain(client: TestClient) -> None:
    r = _completion(client, temperature=0.2, max_tokens=50)  # unknown OpenAI knobs are accepted
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-") and body["model"] == "qa"
    choice = body["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    assert "[4]" in choice["message"]["content"] and "Sources:\n[4] " in choice["message"]["content"]
    assert body["qa_answer"]["citations"][0]["ref"] == 4
    # the extra field is the /ask answer object: sources with what the answer quotes marked, and its units
    assert body["qa_answer"]["sources"][0]["highlights"] == [list(QUOTED_SPAN)]
    assert body["qa_answer"]["units"][0]["anchor"] == f"{MALI}#t6/r2"


def test_openai_content_parts_and_doc_model(client: TestClient, fake: FakeAssistant) -> None:
    body = {"model": f"qa/{ILO}",
            "messages": [{"role": "user", "content": [{"type": "text", "text": "How many "},
                                                      {"type": "text", "text": "inspectors?"}]}]}
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200
    assert fake.calls[-1]["question"] == "How many inspectors?" and fake.calls[-1]["doc"] == ILO


def _sse_payloads(text: str) -> list[str]:
    events = [e for e in text.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    return [e.removeprefix("data: ") for e in events]


def test_openai_stream_chunks_keep_markers_and_end_with_done(client: TestClient) -> None:
    r = _completion(client, stream=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    payloads = _sse_payloads(r.text)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert len({c["id"] for c in chunks}) == 1
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    plain = _completion(client).json()["choices"][0]["message"]["content"]
    assert content == plain
    # No marker is cut between two deltas.
    assert any("[4]" in c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["qa_answer"]["answer"] == INSPECTORS_TEXT
    assert chunks[-1]["qa_answer"]["sources"][0]["highlights"] == [list(QUOTED_SPAN)]
    assert all("qa_answer" not in c for c in chunks[:-1])


def test_openai_usage_counts_the_messages_and_the_answer(client: TestClient) -> None:
    body = _completion(client).json()
    content = body["choices"][0]["message"]["content"]
    usage = body["usage"]
    assert usage["prompt_tokens"] == count_tokens("Be brief.") + count_tokens("How many labor inspectors?")
    assert usage["completion_tokens"] == count_tokens(content) > 10
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_openai_stream_sends_usage_only_when_asked(client: TestClient) -> None:
    plain = [json.loads(p) for p in _sse_payloads(_completion(client, stream=True).text)[:-1]]
    assert all("usage" not in c for c in plain)
    r = _completion(client, stream=True, stream_options={"include_usage": True})
    payloads = _sse_payloads(r.text)
    assert payloads[-1] == "[DONE]"
    last = json.loads(payloads[-2])
    assert last["choices"] == [] and last["usage"] == _completion(client).json()["usage"]
    assert json.loads(payloads[-3])["choices"][0]["finish_reason"] == "stop"


def test_chat_accepts_a_system_turn_and_does_not_use_it(client: TestClient, fake: FakeAssistant) -> None:
    messages = [{"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": "How many labor inspectors did Mali have in 2019?"}]
    r = client.post("/chat", json={"messages": messages})
    assert r.status_code == 200 and fake.calls[-1]["history"] == []


def test_chat_accepts_a_tool_turn_as_the_openai_endpoint_does_and_does_not_use_it(
        client: TestClient, fake: FakeAssistant) -> None:
    # it had been a 422 on the whole conversation
    messages = [{"role": "user", "content": "How many labor inspectors did Mali have in 2019?"},
                {"role": "tool", "content": "{\"inspectors\": 113}"},
                {"role": "user", "content": "And in 2018?"}]
    r = client.post("/chat", json={"messages": messages})
    assert r.status_code == 200 and fake.calls[-1]["history"] == ["How many labor inspectors did Mali have in 2019?"]


def test_openai_models(client: TestClient) -> None:
    r = client.get("/v1/models")
    assert r.status_code == 200
    ids = [m["id"] for m in r.json()["data"]]
    assert ids == ["qa", f"qa/{MALI}", f"qa/{ILO}"]
    assert r.json()["object"] == "list" and all(m["object"] == "model" for m in r.json()["data"])


# -- search and documents -------------------------------------------------------------------------
def test_search(client: TestClient) -> None:
    r = client.get("/search", params={"q": "labor inspectors", "k": 5, "doc": MALI})
    assert r.status_code == 200
    assert r.json() == {"hits": [{"doc": MALI, "anchor": f"{MALI}#t6/r2", "section": "IV", "context": "",
                                  "text": "Number of Labor Inspectors 109 (68) 113 (4)", "score": 0.91,
                                  "refs": [4, 68]}]}
    assert len(client.get("/search", params={"q": "inspectors"}).json()["hits"]) == 2
    # no hits because the scope rules every report out: the response says why
    assert client.get("/search", params={"q": "inspectors in Ghana"}).json() == {
        "note": "no indexed report covers Ghana", "hits": []}


def test_documents_list_and_detail(client: TestClient) -> None:
    docs = client.get("/documents").json()["documents"]
    assert [d["id"] for d in docs] == [MALI, ILO]
    assert docs[0]["references"] == 109 and docs[1]["references"] == 0
    detail = client.get(f"/documents/{MALI}").json()
    assert detail["id"] == MALI and detail["sections"] == [{"key": "I", "title": "Overview"}]
    assert detail["tables"] == [] and detail["bibliography_warnings"] == []


def test_references(client: TestClient) -> None:
    refs = client.get(f"/documents/{MALI}/references").json()
    assert refs["doc"] == MALI and len(refs["references"]) == 109
    assert refs["references"][3] == {"doc": MALI, "number": 4, "text": ENTRY_4, "url": None, "printed": 4}
    one = client.get(f"/documents/{MALI}/references/5").json()
    assert one == {"doc": MALI, "number": 5, "text": "Reference entry number 5.",
                   "url": "https://example.org/ref5", "printed": 5}
    assert client.get(f"/documents/{ILO}/references").json()["references"] == []


# -- page, docs, auth, CORS -----------------------------------------------------------------------
def test_page_and_static_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-testid="question-input"' in page.text
    for asset, kind in (("static/app.js", "javascript"), ("static/style.css", "css")):
        assert asset in page.text
        r = client.get("/" + asset)
        assert r.status_code == 200 and kind in r.headers["content-type"]
    # No external assets: everything the page loads comes from this server.
    assert "http://" not in page.text and "https://" not in page.text
    # an uptime monitor checks the page with HEAD (it was a 405)
    head = client.head("/")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/html")


def test_openapi_docs(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    # Swagger UI from this server, not a CDN: the docs work offline
    assert "cdn.jsdelivr.net" not in docs.text and "https://" not in docs.text
    for asset in re.findall(r'(?:src|href)="(/static-docs/[^"]+)"', docs.text):
        assert client.get(asset).status_code == 200, asset
    assert re.search(r'src="/static-docs/swagger-ui-bundle\.js"', docs.text)
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/ask", "/chat", "/v1/chat/completions", "/v1/models", "/search", "/documents",
                 "/documents/{doc_id}", "/documents/{doc_id}/references", "/documents/{doc_id}/references/{number}",
                 "/healthz"):
        assert path in paths


def test_docs_pages_fetch_nothing_from_the_network(client: TestClient) -> None:
    """/docs and /redoc name no external URL, load their bundles from this server, and tell the
    browser to fetch from nowhere else (ReDoc's bundle drew its logo from cdn.redoc.ly)."""
    for path in ("/docs", "/redoc", "/"):
        page = client.get(path)
        assert page.status_code == 200 and not re.search(r"https?://", page.text), path
        assert page.headers["content-security-policy"].startswith("default-src 'self' "), path
        assert "http" not in page.headers["content-security-policy"]
        assets = re.findall(r'(?:src|href)="(?!data:)/?([^"]+)"', page.text)
        assert assets, path
        for asset in assets:
            body = client.get("/" + asset)
            assert body.status_code == 200, asset
            assert b"cdn.redoc.ly" not in body.content and b"fonts.googleapis" not in body.content, asset
    # Swagger UI asks validator.swagger.io for a badge on any host but localhost: turned off
    assert '"validatorUrl": null' in client.get("/docs").text


def test_api_key_required_when_set() -> None:
    with make_client(api_key="s3cret") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/").status_code == 200
        r = c.post("/ask", json={"question": "How many inspectors?"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
        wrong = c.get("/documents", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert c.get("/v1/models", headers={"Authorization": "Basic s3cret"}).status_code == 401
        ok = c.post("/ask", json={"question": "How many inspectors?"}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_cors_origins_from_settings() -> None:
    with make_client(cors_origins=["https://ngo.example"]) as c:
        r = c.options("/ask", headers={"Origin": "https://ngo.example", "Access-Control-Request-Method": "POST",
                                       "Access-Control-Request-Headers": "content-type"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://ngo.example"
        r = c.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
    with make_client() as c:  # no origins configured: no CORS headers at all
        assert "access-control-allow-origin" not in c.get("/healthz", headers={"Origin": "https://ngo.example"}).headers


# -- rendering ------------------------------------------------------------------------------------
def test_stream_pieces_rejoin_and_never_split_markers() -> None:
    text = "Mali had 113 [4] inspectors [4, 13-16] and more[68].\n\nSources:\n[4] A. B.  C"
    pieces = stream_pieces(text)
    assert "".join(pieces) == text and len(pieces) > 3
    for marker in ("[4]", "[4, 13-16]", "[68]"):
        assert any(marker in p for p in pieces)


def test_answer_content_names_documents_only_when_ambiguous(fake: FakeAssistant) -> None:
    answer = fake.ask("How many inspectors?")
    content = answer_content(answer)
    assert content.endswith("[68] U.S. Embassy- Bamako. Reporting. January 22, 2019. https://example.org/r68")
    assert f"({MALI})" not in content
    abstained = fake.ask("unicorns?")
    assert answer_content(abstained) == abstained.answer  # nothing cited, no "Sources:" list


# -- concurrency ----------------------------------------------------------------------------------
def test_concurrent_chats_on_a_live_server_keep_their_own_history() -> None:
    fake = FakeAssistant(delay=0.05)
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), fake)) as base:
        def one(i: int) -> tuple[int, int]:
            messages = [{"role": "user", "content": f"first question {i}"},
                        {"role": "assistant", "content": "..."},
                        {"role": "user", "content": f"follow-up {i}"}]
            r = httpx.post(f"{base}/chat", json={"messages": messages}, timeout=30)
            return i, r.status_code

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(one, range(48)))
    assert all(status == 200 for _, status in results)
    assert len(fake.calls) == 48
    for call in fake.calls:
        i = call["question"].removeprefix("follow-up ")
        assert call["history"] == [f"first question {i}"]


def test_country_and_year_filters_reach_the_assistant(client: TestClient, fake: FakeAssistant) -> None:
    r = client.post("/ask", json={"question": "How many labor inspectors?", "country": "Mali", "year": 2019})
    assert r.status_code == 200
    assert fake.calls[-1]["country"] == "Mali" and fake.calls[-1]["year"] == 2019
    r = client.post("/chat", json={"messages": [{"role": "user", "content": "Inspectors?"}], "country": "NE"})
    assert r.status_code == 200 and fake.calls[-1]["country"] == "NE" and fake.calls[-1]["year"] is None
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "Inspectors?"}],
                                                  "country": "Senegal", "year": 2020})
    assert r.status_code == 200 and (fake.calls[-1]["country"], fake.calls[-1]["year"]) == ("Senegal", 2020)
    r = client.get("/search", params={"q": "inspectors", "country": "Mali", "year": 2019})
    assert r.status_code == 200 and fake.calls[-1] == {"search": "inspectors", "country": "Mali", "year": 2019}


@pytest.mark.parametrize("body", [{"year": "2019"}, {"year": 19}, {"country": ""}, {"country": 3}])
def test_bad_filters_are_422(client: TestClient, body: dict) -> None:
    r = client.post("/ask", json={"question": "How many labor inspectors?", **body})
    assert r.status_code == 422 and r.json()["error"]["code"]


def test_labelled_citations_in_chat_text_and_stream() -> None:
    from qa.models import Answer, Citation

    answer = Answer("Mali 2019: 113 [Mali 2019: 4].\nNiger 2019: 71 [Niger 2019: 5, 13].",
                    (Citation("m", 4, "Entry four.", None, label="Mali 2019: 4"),
                     Citation("n", 5, "Entry five.", None, label="Niger 2019: 5")), (), False, 0.8)
    content = answer_content(answer)
    assert "[Mali 2019: 4] Entry four." in content and "[Niger 2019: 5] Entry five." in content
    pieces = stream_pieces(content, words_per_piece=1)
    assert "".join(pieces) == content
    assert any("[Niger 2019: 5, 13]" in p for p in pieces)  # a labelled marker is never split
    assert answer.to_json()["citations"][0]["label"] == "Mali 2019: 4"


def test_a_table_row_hit_names_its_table_and_columns() -> None:
    from dataclasses import replace as changed

    class TableHits(FakeAssistant):
        def search(self, query, k=10, doc=None, country=None, year=None):  # type: ignore[no-untyped-def]
            hit = super().search(query, k, doc, country, year)[0]
            chunk = changed(hit.chunk, section="III", heading_path=("III. ENFORCEMENT", "Table 6. Labor Law"),
                            context="Table 6. Labor Law | Overview | 2018 | 2019")
            return [changed(hit, chunk=chunk)]

    with TestClient(create_app(Settings(api_key=None, cors_origins=[]), TableHits())) as c:
        (hit,) = c.get("/search", params={"q": "labor inspectors"}).json()["hits"]
    # "109 (68) 113 (4)" alone does not say which year each figure is for
    assert hit["section"] == "Table 6. Labor Law" and hit["context"].endswith("| 2018 | 2019")


def test_a_section_before_the_first_heading_is_named_untitled() -> None:
    from dataclasses import replace as changed

    from qa.models import Section

    class Opening(FakeAssistant):
        def document(self, doc_id):  # type: ignore[no-untyped-def]
            doc = super().document(doc_id)
            return changed(doc, sections=(Section("", "", 0, 10),) + doc.sections)

    with TestClient(create_app(Settings(api_key=None, cors_origins=[]), Opening())) as c:
        sections = c.get(f"/documents/{MALI}").json()["sections"]
    assert sections[0] == {"key": "", "title": "(untitled opening)"} and sections[1]["title"] == "Overview"
