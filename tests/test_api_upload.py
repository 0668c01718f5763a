"""The corpus API end to end over the real pipeline (fake embedder, tiny corpus): upload -> queued
-> indexing (the old index keeps answering) -> ready and answered from; replace; metadata into the
catalog; the document's text with its passages; delete. And a server killed mid-indexing leaves a
verified index and no partial corpus file, and finishes the job when it starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_support import free_port
from conftest import TINY_REPORT, copy_tiny_index
from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.assistant import Assistant
from qa.config import Settings
from qa.index import store
from qa.index.verify import verify_folder

OTHER_REPORT = TINY_REPORT.replace("Testland", "Otherland").replace("cotton and rice", "cocoa and gold")
REPORT_PDF = Path(__file__).parent / "data" / "reports" / "usdol-2019-niger.pdf"


@pytest.fixture
def built(settings: Settings, tiny_index: Path) -> Settings:
    return copy_tiny_index(settings, tiny_index).model_copy(
        update={"allow_uploads": True, "api_key": None, "cors_origins": []})


@pytest.fixture
def client(built: Settings) -> Iterator[TestClient]:
    app = create_app(built, Assistant(built), assistant_factory=lambda: Assistant(built))
    with TestClient(app, raise_server_exceptions=False) as c:
        assert app.state.holder.wait(60) == "ready"
        yield c


def wait_state(client: TestClient, doc_id: str, states: tuple[str, ...], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(f"/documents/{doc_id}")
        body = r.json() if r.status_code == 200 else {"state": str(r.status_code)}
        if body["state"] in states:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{doc_id} never reached {states}; last {body}")


def test_upload_is_indexed_in_the_background_and_answered_from(client: TestClient, built: Settings) -> None:
    r = client.post("/documents", files={"file": ("otherland-2019.txt", OTHER_REPORT.encode(), "text/plain")},
                    data={"country": "Mali", "year": "2019", "title": "Otherland report"})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["id"] == "otherland-2019" and body["state"] == "queued" and body["replaced"] is False
    assert body["status_url"] == "/documents/otherland-2019" == r.headers["location"]
    assert (built.corpus_dir / "otherland-2019.txt").read_text(encoding="utf-8") == OTHER_REPORT
    catalog = (built.corpus_dir / "catalog.toml").read_text(encoding="utf-8")
    assert '[otherland-2019]' in catalog and 'year = 2019' in catalog and 'country = "Mali"' in catalog

    detail = wait_state(client, "otherland-2019", ("ready", "failed"))
    assert detail["state"] == "ready", detail
    assert detail["title"] == "Otherland report" and detail["year"] == 2019 and detail["origin"]["year"] == "catalog"
    assert "otherland-2019" in [d["id"] for d in client.get("/documents").json()["documents"]]
    answer = client.post("/ask", json={"question": "Which crops do children work in?", "doc": "otherland-2019"}).json()
    assert not answer["abstained"] and "cocoa" in answer["answer"]
    source = answer["sources"][0]
    assert source["highlights"] and "cocoa" in source["text"][slice(*source["highlights"][0])]

    text = client.get("/documents/otherland-2019/text").json()
    assert text["text"].startswith("In 2019, Otherland")
    anchors = {p["anchor"]: p for p in text["passages"]}
    placed = anchors[source["anchor"]]
    assert "cocoa" in text["text"][placed["start"]:placed["end"]]


def test_old_index_answers_while_indexing_then_the_new_one(client: TestClient, built: Settings) -> None:
    indexer = client.app.state.indexer  # type: ignore[attr-defined]
    gate, entered = threading.Event(), threading.Event()

    def slow_factory() -> Assistant:
        entered.set()
        assert gate.wait(30)
        return Assistant(built)

    indexer.factory = slow_factory
    r = client.post("/documents", files={"file": ("testland-2019.md", OTHER_REPORT.encode())},
                    data={"replace": "true"})
    assert r.status_code == 202 and r.json()["replaced"] is True, r.text
    assert entered.wait(30)
    assert not (built.corpus_dir / "testland-2019.txt").exists()  # one file per id
    during = client.get("/documents/testland-2019").json()
    assert during["state"] == "indexing"
    listing = client.get("/documents").json()
    assert [(p["id"], p["state"]) for p in listing["pending"]] == [("testland-2019", "indexing")]
    assert listing["uploads"] == {"allowed": True, "max_bytes": built.max_file_bytes, "types": [".txt", ".md", ".pdf"]}
    old = client.post("/ask", json={"question": "Which crops do children work in?", "doc": "testland-2019"}).json()
    assert "cotton" in old["answer"]  # the old index still serves
    gate.set()
    assert wait_state(client, "testland-2019", ("ready", "failed"))["state"] == "ready"
    new = client.post("/ask", json={"question": "Which crops do children work in?", "doc": "testland-2019"}).json()
    assert "cocoa" in new["answer"] and "cotton" not in new["answer"]


def test_delete_removes_from_corpus_and_index(client: TestClient, built: Settings) -> None:
    r = client.delete("/documents/kayes-article")
    assert r.status_code == 202 and r.json()["action"] == "delete", r.text
    assert not (built.corpus_dir / "kayes-article.txt").exists()
    assert wait_state(client, "kayes-article", ("404",))
    assert "kayes-article" not in [d["id"] for d in client.get("/documents").json()["documents"]]
    assert "kayes-article" not in store.read_manifest(built)["documents"]
    assert verify_folder(built.index_path, hashes=True).ok


def test_a_bad_file_fails_with_the_reason_and_the_old_version_keeps_answering(client: TestClient,
                                                                               built: Settings) -> None:
    # passes the upload's content checks, but the parser finds no section or text it can use is
    # not easy to make; an unknown year in the catalog fails one document the same way
    (built.corpus_dir / "catalog.toml").write_text('[testland-2019]\nyear = "soon"\n', encoding="utf-8")
    r = client.post("/documents", files={"file": ("testland-2019.txt", OTHER_REPORT.encode())}, data={"replace": "1"})
    assert r.status_code == 202, r.text
    detail = wait_state(client, "testland-2019", ("ready", "failed"))
    assert detail["state"] == "failed" and "year must be a number" in detail["reason"]
    assert "keeps answering" in detail["reason"]
    old = client.post("/ask", json={"question": "Which crops do children work in?", "doc": "testland-2019"}).json()
    assert "cotton" in old["answer"]


# -- killed mid-indexing ----------------------------------------------------------------------
def _serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QA_CORPUS_DIR": str(settings.corpus_dir), "QA_INDEX_DIR": str(settings.index_dir),
           "QA_EMBEDDER": "fake", "QA_ALLOW_UPLOADS": "true", "QA_API_KEY": ""}
    log = (settings.index_dir.parent / "serve.log").open("ab")  # a pipe nobody reads could fill and block it
    return subprocess.Popen([str(Path(sys.executable).parent / "qa"), "serve", "--port", str(port),
                             "--log-level", "warning"], env=env, stdout=log, stderr=log)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server not ready")


def _wait_for_state(base: str, doc_id: str, states: tuple[str, ...], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while (state := httpx.get(f"{base}/documents/{doc_id}", timeout=5).json().get("state")) not in states:
        assert time.monotonic() < deadline, f"{doc_id} is {state}, never {states}"
        time.sleep(0.02)
    return state


@pytest.mark.slow
def test_killed_while_indexing_leaves_a_verified_index_and_no_partial_file(built: Settings) -> None:
    pdf = REPORT_PDF.read_bytes()
    before = {p.name: p.read_bytes() for p in built.corpus_dir.iterdir() if p.is_file()}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Killed at three points of the build (parsing the PDF, and later: embedding, writing the new
    # folder or swapping it in, depending on the machine's speed); every restart resumes the job.
    for delay in (0.3, 1.5, 3.0):
        proc = _serve(built, port)
        try:
            _wait_ready(base, proc)
            if delay == 0.3:
                r = httpx.post(base + "/documents", files={"file": ("niger.pdf", pdf)}, timeout=60)
                assert r.status_code == 202, r.text
            state = _wait_for_state(base, "niger", ("indexing", "ready"))
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        assert verify_folder(built.index_path, hashes=True).ok, f"killed {delay} s into indexing"
        after = {p.name: p.read_bytes() for p in built.corpus_dir.iterdir() if p.is_file()}
        assert after == {**before, "niger.pdf": pdf}  # the complete file: never a partial one
        assert not [p for p in (built.corpus_dir / ".uploads").rglob("*") if p.is_file()]
        if delay == 0.3:
            assert state == "indexing" and "niger" not in store.read_manifest(built)["documents"]

    # started again, the server finishes what the killed ones left
    proc = _serve(built, port)
    try:
        _wait_ready(base, proc)
        assert _wait_for_state(base, "niger", ("ready", "failed")) == "ready"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    assert "niger" in store.read_manifest(built)["documents"]
    assert verify_folder(built.index_path, hashes=True).ok


def test_the_indexer_parses_only_new_or_changed_files(built: Settings, parses: list[str]) -> None:
    from qa.index.parsed import ParsedCorpus
    from qa.ingest.corpus import read_corpus

    parsed = parses
    reader = ParsedCorpus()
    first = reader.read(built)
    assert parsed == []  # the documents the index was built from, as the build stored them
    expected = read_corpus(built)
    assert first == (expected.documents, expected.failures)  # the same as the corpus reader's
    assert sorted(parsed) == ["kayes-article.txt", "testland-2019.txt"]  # (read_corpus parsed them)

    parsed.clear()
    (built.corpus_dir / "otherland-2019.txt").write_text(OTHER_REPORT, encoding="utf-8")
    (built.corpus_dir / "catalog.toml").write_text('[kayes-article]\nyear = 2021\n', encoding="utf-8")
    (built.corpus_dir / "bad.txt").write_bytes(b"")
    documents, failures = reader.read(built)
    assert sorted(parsed) == ["bad.txt", "kayes-article.txt", "otherland-2019.txt"]  # new, catalog changed, new
    assert {d.id for d in documents} == {"kayes-article", "testland-2019", "otherland-2019"}
    assert [f.reason for f in failures] == ["bad.txt: the file is empty"]
    assert next(d for d in documents if d.id == "kayes-article").meta.year == 2021

    # a new process, the catalog changed since the build: documents without an entry are reused
    parsed.clear()
    assert ParsedCorpus().read(built)[0] == reader.read(built)[0]
    assert "testland-2019.txt" not in parsed and "kayes-article.txt" in parsed
