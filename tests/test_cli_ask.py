"""``qa ask`` through Typer's runner: a running server answers when healthy, the in-process
pipeline otherwise, with the same output either way.

The "server" is the real FastAPI app over the fake assistant on a loopback port, or a stub
HTTP server for states the app cannot be held in (loading forever, not a qa server). The
in-process path is replaced by a recorder, so no test here loads the model.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from api_support import ENTRY_4, INSPECTORS_TEXT, MALI, FakeAssistant, free_port, live_server
from typer.testing import CliRunner

import qa.cli.ask as ask_module
from qa.api.app import create_app
from qa.assistant import MAX_QUESTION_CHARS
from qa.cli import _register, app
from qa.cli.client import ServerError, answer_from_json, server_url
from qa.config import Settings
from qa.models import Answer, Citation, Source

_register()
QUESTION = "How many labor inspectors did Mali have in 2019?"
LOCAL = Answer(answer="Answered in-process [4].", citations=(Citation(MALI, 4, ENTRY_4, None),),
               sources=(Source(MALI, f"{MALI}#t6/r1", "IV", "local passage", 0.5, (4,)),),
               abstained=False, confidence=0.5)


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[str, FakeAssistant]]:
    fake = FakeAssistant()
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), fake)) as base:
        yield base, fake


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[str]:
    with live_server(create_app(Settings(api_key="k3y", cors_origins=[]), FakeAssistant())) as base:
        yield base


class InProcess:
    """Stands in for the in-process pipeline and records the questions it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, question: str, doc: str | None, country: str | None = None, year: int | None = None) -> Answer:
        self.calls.append((question, doc))
        return LOCAL


@pytest.fixture()
def local(monkeypatch: pytest.MonkeyPatch) -> InProcess:
    recorder = InProcess()
    monkeypatch.setattr(ask_module, "ask_in_process", recorder)
    monkeypatch.delenv("QA_API_KEY", raising=False)
    return recorder


@contextlib.contextmanager
def stub_server(routes: dict[tuple[str, str], tuple[int, bytes]]) -> Iterator[str]:
    """A loopback HTTP server answering ``routes[(method, path)] = (status, body)``, else 404."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            status, body = routes.get((self.command, self.path), (404, b"not here"))
            self.send_response(status)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _reply

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def invoke(url: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["ask", *args], env={"QA_SERVER_URL": url, **(env or {})})


def assert_one_line_error(result, fragment: str, code: int | None = None) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0 and (code is None or result.exit_code == code), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in result.output and result.stdout == ""


# -- the server answers ---------------------------------------------------------------------------
def test_uses_the_server_when_healthz_is_200(fake_server, local: InProcess) -> None:
    base, fake = fake_server
    before = len(fake.calls)
    result = invoke(base, QUESTION)
    assert result.exit_code == 0, result.output
    assert local.calls == []
    assert fake.calls[before:] == [{"question": QUESTION, "history": [], "doc": None, "top_k": None}]
    assert result.stdout == ask_module.render(FakeAssistant().ask(QUESTION)) + "\n"
    assert result.stdout.startswith(INSPECTORS_TEXT + "\n\nSources:\n[4] " + ENTRY_4)
    assert f"  {MALI}#t6/r2  (score 0.91, refs 68, 4)" in result.stdout


def test_json_prints_the_answer_object(fake_server, local: InProcess) -> None:
    base, _ = fake_server
    result = invoke(base, QUESTION, "--json", "--doc", MALI)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == FakeAssistant().ask(QUESTION).to_json()
    assert [c["ref"] for c in data["citations"]] == [4, 68] and data["abstained"] is False
    assert local.calls == []


def test_unknown_doc_is_one_line_and_not_found_exit(fake_server, local: InProcess) -> None:
    base, _ = fake_server
    result = invoke(base, QUESTION, "--doc", "nope")
    assert_one_line_error(result, "unknown document id 'nope'", code=1)
    assert local.calls == []  # the server's refusal is final, not a reason to load the model


def test_a_question_that_is_not_utf8_reaches_the_server(fake_server, local: InProcess) -> None:
    # a terminal in Latin-1 sends "\xff"; Python holds it as a lone surrogate no JSON body can
    # encode, and qa ask died with a UnicodeEncodeError traceback when a server was running
    base, fake = fake_server
    before = len(fake.calls)
    result = invoke(base, "How many labor \udcff inspectors?", "--country", "Ma\udcffli")
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Traceback" not in result.output and local.calls == []
    assert fake.calls[before:][0]["question"] == "How many labor ? inspectors?"


def test_local_flag_skips_a_healthy_server(fake_server, local: InProcess) -> None:
    base, fake = fake_server
    before = len(fake.calls)
    result = invoke(base, QUESTION, "--local", "--doc", MALI)
    assert result.exit_code == 0, result.output
    assert local.calls == [(QUESTION, MALI)] and len(fake.calls) == before
    assert result.stdout == ask_module.render(LOCAL) + "\n"


def test_api_key_is_sent_as_bearer(keyed_server: str, local: InProcess) -> None:
    result = invoke(keyed_server, QUESTION, env={"QA_API_KEY": "k3y"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(INSPECTORS_TEXT)
    refused = invoke(keyed_server, QUESTION, env={"QA_API_KEY": "wrong"})
    assert_one_line_error(refused, "API key", code=2)
    assert local.calls == []


# -- no usable server: the in-process pipeline answers -----------------------------------------------
def test_falls_back_when_nothing_listens(local: InProcess) -> None:
    result = invoke(f"http://127.0.0.1:{free_port()}", QUESTION, "--doc", MALI)
    assert result.exit_code == 0, result.output
    assert local.calls == [(QUESTION, MALI)]
    assert result.stdout == ask_module.render(LOCAL) + "\n"


@pytest.mark.parametrize("routes", [
    {("GET", "/healthz"): (503, b'{"status": "loading"}')},
    {("GET", "/healthz"): (200, b"<html>some other service</html>")},
    {("GET", "/healthz"): (200, b'{"status": "ok"}'), ("POST", "/ask"): (503, b'{"status": "loading"}')},
], ids=["loading", "not-a-qa-server", "ask-503"])
def test_falls_back_when_the_server_is_not_ready(routes, local: InProcess) -> None:
    with stub_server(routes) as base:
        result = invoke(base, QUESTION, "--json")
    assert result.exit_code == 0, result.output
    assert local.calls == [(QUESTION, None)]
    assert json.loads(result.stdout) == LOCAL.to_json()


def test_a_reply_that_is_not_an_answer_is_one_line(local: InProcess) -> None:
    routes = {("GET", "/healthz"): (200, b'{"status": "ok"}'), ("POST", "/ask"): (200, b'{"answer": 3}')}
    with stub_server(routes) as base:
        result = invoke(base, QUESTION)
    assert_one_line_error(result, "not an answer object")


# -- bad questions are refused before anything is contacted or loaded -------------------------------
@pytest.mark.parametrize("question, fragment", [
    ("", "the question is empty"),
    ("   \t ", "the question is empty"),
    ("x" * (MAX_QUESTION_CHARS + 1), f"longer than {MAX_QUESTION_CHARS} characters"),
])
def test_bad_question_exits_2_with_one_line(question: str, fragment: str, local: InProcess,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def no_server(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the server was contacted for an invalid question")

    monkeypatch.setattr(ask_module, "ask_server", no_server)
    result = invoke("http://127.0.0.1:9", question)
    assert_one_line_error(result, fragment, code=2)
    assert local.calls == []


# -- the client's pieces -----------------------------------------------------------------------------
def test_answer_from_json_round_trips() -> None:
    for answer in (FakeAssistant().ask(QUESTION), FakeAssistant().ask("unicorns?"), LOCAL):
        rebuilt = answer_from_json(json.loads(json.dumps(answer.to_json())))
        assert rebuilt.to_json() == answer.to_json()
        assert rebuilt.units == answer.units  # the quoted units, with their spans, come back as data
        assert isinstance(rebuilt.sources, tuple) and all(isinstance(s.refs, tuple) for s in rebuilt.sources)
    # a score at a rounding edge prints the same from the server's JSON as from the object
    edge = Answer("x [4]", (), (Source(MALI, f"{MALI}#t4/r1", "IV", "text", 0.87496, (4,)),), False, 0.5)
    assert ask_module.render(answer_from_json(edge.to_json())) == ask_module.render(edge)
    document_citation = Answer("AEJT met in Kayes [ilo].", (Citation("ilo", None, "ILO article", "https://x"),), (),
                               False, 0.7)
    assert answer_from_json(document_citation.to_json()) == document_citation
    # a question declined as another language keeps saying so through a server: no "(No supported
    # answer ...)" line above its own words
    from qa.answer.lookups import foreign_answer
    from qa.cli.serve import format_answer

    spanish = foreign_answer("¿Cuántos inspectores de trabajo tenía Malí en 2019?")
    assert spanish is not None and spanish.to_json()["language"] == "es"
    assert format_answer(answer_from_json(spanish.to_json())) == format_answer(spanish) == spanish.answer


@pytest.mark.parametrize("data", [{}, {"answer": "a", "citations": [{"doc": "d"}], "sources": [],
                                       "abstained": False, "confidence": 1.0},
                                  {"answer": "a", "citations": [], "sources": [], "abstained": False,
                                   "confidence": "high"}])
def test_answer_from_json_rejects_what_is_not_an_answer(data: dict[str, Any]) -> None:
    with pytest.raises(ServerError):
        answer_from_json(data)


def test_server_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_SERVER_URL", "http://127.0.0.1:9000/")
    assert server_url() == "http://127.0.0.1:9000"
    monkeypatch.delenv("QA_SERVER_URL")
    assert server_url(Settings(host="127.0.0.1", port=8123)) == "http://127.0.0.1:8123"
    assert server_url(Settings(host="0.0.0.0", port=8000)) == "http://127.0.0.1:8000"
    assert server_url(Settings(host="::1", port=8000)) == "http://[::1]:8000"


def test_a_malformed_server_url_is_one_line(local: InProcess) -> None:
    result = invoke("localhost:8000", QUESTION)
    assert_one_line_error(result, "QA_SERVER_URL must look like http://HOST:PORT", code=2)
    assert local.calls == []


def test_ask_imports_nothing_heavy() -> None:
    heavy = ("torch", "sentence_transformers", "faiss", "numpy", "transformers")
    code = ("import sys, qa.cli, qa.cli.ask, qa.cli.client; qa.cli._register(); "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"


def test_citation_labels_survive_the_server_round_trip() -> None:
    from qa.cli.client import answer_from_json
    from qa.models import Answer, Citation

    answer = Answer("113 [Mali 2019: 4]", (Citation("m", 4, "Entry.", None, label="Mali 2019: 4"),), (), False, 0.9)
    again = answer_from_json(answer.to_json())
    assert again.citations[0].label == "Mali 2019: 4" and again.citations[0].marker == "[Mali 2019: 4]"


def test_a_declined_answer_does_not_call_its_closest_passages_used() -> None:
    declined = Answer("The indexed reports do not answer this.", (),
                      (Source(MALI, f"{MALI}#ref9", "REFERENCES", "Plan d'Action National", 0.03, (9,)),), True, 0.97)
    text = ask_module.render(declined)
    assert "Passages used:" not in text
    assert "Closest passages found (none answers the question):" in text and "Plan d'Action National" in text
    assert "Passages used:" in ask_module.render(LOCAL)


# -- a server over another index is not asked --------------------------------------------------------
ANSWER_BODY = json.dumps(FakeAssistant().ask(QUESTION).to_json()).encode()


def _health(built_at: str, documents: dict[str, int], status: str = "ok") -> bytes:
    return json.dumps({"status": status, "index": {"built_at": built_at, "documents": documents}}).encode()


def _local_index(tmp_path, built_at: str, documents: dict[str, int]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "index" / "default"
    folder.mkdir(parents=True)
    manifest = {"built_at": built_at, "documents": {d: {"chunks": n, "file": f"{d}.pdf"} for d, n in documents.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return {"QA_INDEX_DIR": str(tmp_path / "index"), "QA_INDEX_NAME": "default"}


def test_a_server_over_another_index_is_not_asked(tmp_path, local: InProcess) -> None:
    # `make run` serves the seed index on the default port; QA_INDEX_DIR names the six real reports
    env = _local_index(tmp_path, "2026-11-28T03:29:26+00:00", {"usdol-2019-niger": 223, "usdol-2019-mali": 249})
    routes = {("GET", "/healthz"): (200, _health("2026-11-28T03:22:37+00:00", {"usdol-2019-mali": 251})),
              ("POST", "/ask"): (200, ANSWER_BODY)}
    with stub_server(routes) as base:
        result = invoke(base, QUESTION, env=env)
        forced = invoke(base, QUESTION, "--server", env=env)
    assert result.exit_code == 0, result.output
    assert local.calls == [(QUESTION, None)] and result.stdout == ask_module.render(LOCAL) + "\n"
    assert "note: not asking the server" in result.stderr and "another index" in result.stderr
    # (the stale-corpus warning may come first: this made-up manifest matches no corpus)
    assert forced.exit_code == 2 and forced.stdout == "" and "Traceback" not in forced.output
    error = forced.stderr.splitlines()[-1]
    assert error.startswith("error: the server at ") and "serves another index" in error
    assert local.calls == [(QUESTION, None)]  # --server never falls back


def test_a_server_over_the_same_index_answers_even_when_degraded(tmp_path, local: InProcess) -> None:
    documents = {"usdol-2019-mali": 251}
    env = _local_index(tmp_path, "2026-11-28T03:22:37+00:00", documents)
    for status in ("ok", "degraded"):  # degraded: a corpus file failed, the index still answers
        routes = {("GET", "/healthz"): (200, _health("2026-11-28T03:22:37+00:00", documents, status)),
                  ("POST", "/ask"): (200, ANSWER_BODY)}
        with stub_server(routes) as base:
            result = invoke(base, QUESTION, "--server", env=env)
        assert result.exit_code == 0, result.output
        assert result.stdout == ask_module.render(FakeAssistant().ask(QUESTION)) + "\n"
    assert local.calls == []


def test_a_long_passage_is_cut_at_a_word_and_says_so() -> None:
    # it was cut mid-word with no mark ("... One labor"), as if the report's sentence stopped there
    text = "Chaired by the Ministry of Labor. " * 20
    long = Answer("x [4]", (), (Source(MALI, f"{MALI}#t5/r1", "Table 5", text, 0.9, (4,)),), False, 0.9)
    line = ask_module.render(long).splitlines()[-1]
    assert line.endswith(" …") and len(line) <= 4 + ask_module.PASSAGE_PREVIEW_CHARS
    assert line.strip().removesuffix(" …") == text[:len(line.strip()) - 2]
    assert text.startswith(line.strip().removesuffix(" …")) and line.split()[-2] in text.split()
    short = Answer("x [4]", (), (Source(MALI, f"{MALI}#t5/r1", "Table 5", "Short.", 0.9, (4,)),), False, 0.9)
    assert ask_module.render(short).splitlines()[-1] == "    Short."
