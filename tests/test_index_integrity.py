"""Fault injection on the index folder: every file deleted, cut short or altered is named by
`qa index verify`, refused by the server with a 503 naming it, and repaired by `qa index build`.
A build that cannot write leaves the old index serving; two builds never mix."""

from __future__ import annotations

import errno
import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import copy_tiny_index
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from qa.answer.retrieve import Retriever
from qa.answer.units import unit_texts
from qa.api.app import create_app
from qa.assistant import Assistant
from qa.cli import _register, app
from qa.config import Settings
from qa.errors import IndexBuildFailed, IndexDamaged, IndexLocked
from qa.index import atomic, store
from qa.index.embed import FakeEmbedder
from qa.index.verify import folder_digest, verify_folder
from qa.ingest.corpus import load_corpus

_register()

# Every file a build writes; test_every_file_is_covered keeps this list honest.
INDEX_FILES = [
    "manifest.json", "vectors.faiss", "sentences.faiss", "sentences.npy", "chunks.jsonl", "acronyms.json",
    "documents.pickle",
    "answer-units.npy", "answer-units.json", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy",
    "bm25/indptr.csc.index.npy", "bm25/vocab.index.json", "bm25/params.index.json",
    "texts/testland-2019.json", "texts/kayes-article.json",
]
FAULTS = ["deleted", "cut short", "bytes flipped"]


def _build(settings: Settings, **kw) -> store.BuildReport:  # type: ignore[no-untyped-def]
    return store.build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False,
                             unit_texts=unit_texts, **kw)


@pytest.fixture
def built(settings: Settings, tiny_index: Path) -> Settings:
    return copy_tiny_index(settings, tiny_index)


def damage(path: Path, fault: str) -> None:
    data = path.read_bytes()
    if fault == "deleted":
        path.unlink()
    elif fault == "cut short":
        path.write_bytes(data[: len(data) // 2])
    else:
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x5A]) + data[middle + 1:])


def served(settings: Settings) -> TestClient:
    client = TestClient(create_app(settings, Assistant(settings)))
    client.__enter__()
    client.app.state.holder.wait(30)  # type: ignore[attr-defined]
    return client


def test_every_file_is_covered(built: Settings) -> None:
    listed = json.loads((built.index_path / "manifest.json").read_text())["files"]
    assert sorted([*listed, "manifest.json"]) == sorted(INDEX_FILES)
    assert verify_folder(built.index_path).ok


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", INDEX_FILES)
def test_damage_is_named_refused_and_repaired(built: Settings, name: str, fault: str) -> None:
    damage(built.index_path / name, fault)
    runner = CliRunner()

    verify = runner.invoke(app, ["index", "verify"])
    assert verify.exit_code == 1
    assert name in verify.stderr and "qa index build --force" in verify.stderr and "Traceback" not in verify.output

    client = served(built)
    try:
        health = client.get("/healthz")
        assert health.status_code == 503
        error = health.json()["error"]
        assert error["code"] in ("index_damaged", "index_missing")
        assert name in error["message"] or (name == "manifest.json" and "no index" in error["message"])
        search = client.get("/search", params={"q": "cotton"})
        assert search.status_code == 503 and search.json()["error"] == error
    finally:
        client.__exit__(None, None, None)

    repair = runner.invoke(app, ["index", "build"])
    assert repair.exit_code == 0, repair.output
    assert repair.stdout.startswith("indexed 2 documents")  # never "up to date" over a damaged index
    assert verify_folder(built.index_path).ok
    assert Retriever(built, FakeEmbedder()).load().search("cotton", k=1)


def test_ask_local_on_a_damaged_index_is_one_line(built: Settings) -> None:
    damage(built.index_path / "vectors.faiss", "cut short")
    result = CliRunner().invoke(app, ["ask", "--local", "Who coordinates enforcement?"])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "vectors.faiss has the wrong size" in lines[0], result.stderr
    assert "qa index build --force" in lines[0]


def test_unreadable_file_of_the_right_size_is_named_at_load(built: Settings) -> None:
    # a damaged file that passes the cheap size check still fails with its name, not a parser's error
    path = built.index_path / "chunks.jsonl"
    path.write_bytes(b"{" * path.stat().st_size)
    with pytest.raises(IndexDamaged, match="chunks.jsonl has changed content .*qa index build --force"):
        store.read_chunks(built.index_path)


def test_stray_file_is_reported_by_verify_but_still_served(built: Settings) -> None:
    (built.index_path / "answer-units-0123.npy").write_bytes(b"old cache")
    report = verify_folder(built.index_path)
    assert [(p.file, p.kind) for p in report.problems] == [("answer-units-0123.npy", "unexpected")]
    client = served(built)
    try:
        assert client.get("/healthz").status_code == 200
    finally:
        client.__exit__(None, None, None)


def test_serving_and_answering_leave_the_folder_byte_for_byte(built: Settings,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    before = folder_digest(built.index_dir)
    client = served(built)
    try:
        assert client.get("/healthz").status_code == 200
        answer = client.post("/ask", json={"question": "Who coordinates enforcement in Testland?"})
        assert answer.status_code == 200 and answer.json()["answer"]
        assert client.get("/search", params={"q": "cotton"}).status_code == 200
    finally:
        client.__exit__(None, None, None)
    assert folder_digest(built.index_dir) == before
    # the answer-unit vectors came from the build, not from embedding at start-up
    assert "no answer-unit vectors" not in caplog.text


def test_full_disk_during_a_build_keeps_the_old_index(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    before = folder_digest(built.index_path)
    (built.corpus_dir / "kayes-article.txt").write_text("Completely new text about fishing canoes.\n")

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.np, "save", full)
    with pytest.raises(IndexBuildFailed, match="No space left on device.*previous index is unchanged"):
        _build(built)
    result = CliRunner().invoke(app, ["index", "build"])
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: could not write the index")
    monkeypatch.undo()
    assert folder_digest(built.index_path) == before
    assert not [p for p in built.index_dir.iterdir() if ".tmp-" in p.name]
    assert Retriever(built, FakeEmbedder()).load().search("cotton", k=1)


def test_a_second_build_fails_clearly_when_the_lock_is_held(built: Settings,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_BUILD_LOCK_TIMEOUT", "0.2")
    with atomic.build_lock(built.index_dir, built.index_name, 0):
        with pytest.raises(IndexLocked, match="another `qa index build`"):
            _build(Settings(), force=True)
        result = CliRunner().invoke(app, ["index", "build", "--force"])
    assert result.exit_code == 2 and "another `qa index build` is writing the index" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_builds_at_once_wait_for_each_other(built: Settings) -> None:
    (built.corpus_dir / "other.txt").write_text("A third short article about rice farming in Segou.\n")
    order: list[str] = []
    errors: list[BaseException] = []

    def run(tag: str) -> None:
        try:
            report = _build(built, force=True)
            order.append(f"{tag}:{report.documents}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in "ab"]
    with atomic.build_lock(built.index_dir, built.index_name, 0):
        for t in threads:
            t.start()
        time.sleep(0.3)
        assert order == []  # both are waiting for the lock
    for t in threads:
        t.join(30)
    assert errors == [] and sorted(order) == ["a:3", "b:3"]
    assert verify_folder(built.index_path).ok
    assert not [p for p in built.index_dir.iterdir() if ".tmp-" in p.name]


def test_stored_units_are_memory_mapped_and_match_the_answerers_own(built: Settings) -> None:
    from qa.answer.answerer import Answerer
    from qa.answer.units import units_of

    stored = store.read_units(built)
    assert stored is not None and isinstance(stored.vectors, np.memmap) and not stored.vectors.flags.writeable
    documents = {d.id: d for d in store.read_documents(built) or []}
    chunks = store.read_chunks(built.index_path)
    own = [u for c in chunks for u in units_of(c, documents.get(c.doc_id))]
    assert stored.keys == [u.key for u in own] and stored.texts == [u.text for u in own]
    embedder = FakeEmbedder()
    assert np.allclose(stored.vectors, embedder.encode(stored.texts), atol=1e-6)
    lazy = Answerer(built, embedder, documents)
    lazy.warm_up(chunks)
    assert embedder.calls == [[t for t in stored.texts]]  # only the check above embedded anything


def test_every_route_refuses_a_damaged_index_with_the_reason(built: Settings) -> None:
    damage(built.index_path / "answer-units.npy", "bytes flipped")  # only the background hash check sees it
    client = served(built)
    question = {"messages": [{"role": "user", "content": "Who coordinates enforcement?"}]}
    try:
        replies = [client.get("/healthz"), client.post("/ask", json={"question": "Who coordinates enforcement?"}),
                   client.post("/chat", json=question), client.post("/v1/chat/completions", json=question),
                   client.get("/v1/models"), client.get("/search", params={"q": "cotton"}),
                   client.get("/documents"), client.get("/documents/testland-2019"),
                   client.get("/documents/testland-2019/references/1")]
    finally:
        client.__exit__(None, None, None)
    for reply in replies:
        assert reply.status_code == 503, (reply.request.url, reply.text)
        error = reply.json()["error"]
        assert error["code"] == "index_damaged" and "answer-units.npy has changed content" in error["message"]
        assert "qa index build --force" in error["message"]
