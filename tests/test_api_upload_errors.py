"""Every bad upload gets a clear 4xx {"error": {"code", "message"}} and leaves the corpus as it was:
wrong type, content that is not what its name says, empty, oversize, duplicate id, path-like names
and ids, bad metadata, uploads disabled, no API key."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import FakeAssistant
from conftest import TINY_REPORT
from fastapi.testclient import TestClient
from test_api_inputs import assert_error

from qa.api.app import create_app
from qa.config import Settings

NEW_REPORT = TINY_REPORT.replace("Testland", "Newland")  # not a copy of the corpus's testland-2019.txt
PDF_BYTES = (Path(__file__).parent / "data" / "reports" / "usdol-2019-mali.pdf").read_bytes()


def corpus_state(folder: Path) -> dict[str, bytes]:
    """Every file under the corpus folder, staging area included, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def corpus(settings: Settings) -> Settings:
    (settings.corpus_dir / "testland-2019.txt").write_text(TINY_REPORT, encoding="utf-8")
    return settings


def make_client(settings: Settings, **overrides: Any) -> TestClient:
    options = {"allow_uploads": True, "api_key": None, "cors_origins": [], **overrides}
    return TestClient(create_app(settings.model_copy(update=options), FakeAssistant()), raise_server_exceptions=False)


@pytest.fixture
def client(corpus: Settings):
    with make_client(corpus) as c:
        yield c


def post(client: TestClient, name: str, data: bytes, **form: str) -> httpx.Response:
    return client.post("/documents", files={"file": (name, data, "application/octet-stream")}, data=form)


BAD = [
    # (file name, content, form fields, status, code, message mentions)
    ("report.docx", b"Some words here.", {}, 415, "unsupported_type", ".docx files are not accepted"),
    ("report", TINY_REPORT.encode(), {}, 415, "unsupported_type", "no file extension"),
    ("report.pdf", TINY_REPORT.encode(), {}, 415, "unsupported_type", "not a PDF"),
    ("report.txt", PDF_BYTES, {}, 415, "unsupported_type", "upload it with a .pdf name"),
    ("report.txt", bytes(range(256)) * 40, {}, 415, "unsupported_type", "binary data"),
    ("report.txt", b"", {}, 422, "empty_file", "the file is empty"),
    ("report.txt", b"   \n\n  ", {}, 422, "empty_file", "the file is empty"),
    ("report.md", b"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", {}, 422, "unreadable_file", "no words"),
    ("report.pdf", b"%PDF-1.4\nnot really a pdf", {}, 422, "unreadable_file", "cannot read PDF"),
    # a test upload, and a real report cut short by an interrupted download (pypdf would rebuild it)
    ("report.txt", b"hello", {}, 422, "unreadable_file", "too little text to be a report (1 word: 'hello')"),
    ("report.pdf", PDF_BYTES[:-200], {}, 422, "unreadable_file", "the file is cut short"),
    ("../evil.txt", TINY_REPORT.encode(), {}, 422, "invalid_filename", "is a path"),
    ("sub/dir/report.txt", TINY_REPORT.encode(), {}, 422, "invalid_filename", "is a path"),
    ("..\\..\\evil.txt", TINY_REPORT.encode(), {}, 422, "invalid_filename", "is a path"),
    ("/etc/passwd.txt", TINY_REPORT.encode(), {}, 422, "invalid_filename", "is a path"),
    (".hidden.txt", TINY_REPORT.encode(), {}, 422, "invalid_id", "not a valid document id"),
    ("Mali 2019.txt", TINY_REPORT.encode(), {}, 422, "invalid_id", "send an 'id' form field"),
    # a name a user gives a file says which id would do; "café" is letters to its writer
    ("Niger report (2019).txt", TINY_REPORT.encode(), {}, 422, "invalid_id", "(e.g. id=Niger-report-2019)"),
    ("café.txt", TINY_REPORT.encode(), {}, 422, "invalid_id", "ASCII letters (a-z, A-Z)"),
    ("café.txt", TINY_REPORT.encode(), {}, 422, "invalid_id", "(e.g. id=cafe)"),
    ("report.txt", TINY_REPORT.encode(), {"id": "../evil"}, 422, "invalid_id", "not a valid document id"),
    ("report.txt", TINY_REPORT.encode(), {"id": "a/b"}, 422, "invalid_id", "not a valid document id"),
    ("report.txt", TINY_REPORT.encode(), {"id": "a..b"}, 422, "invalid_id", "not a valid document id"),
    ("report.txt", TINY_REPORT.encode(), {"id": "x" * 121}, 422, "invalid_id", "not a valid document id"),
    ("report.txt", TINY_REPORT.encode(), {"id": "catalog\0"}, 422, "invalid_id", "not a valid document id"),
    ("report.txt", TINY_REPORT.encode(), {"country": "Atlantis"}, 422, "invalid_input", "unknown country"),
    ("report.txt", TINY_REPORT.encode(), {"year": "twenty"}, 422, "invalid_input", "year"),
    ("report.txt", TINY_REPORT.encode(), {"year": "1066"}, 422, "invalid_input", "year"),
    ("report.txt", TINY_REPORT.encode(), {"kind": "novel"}, 422, "invalid_input", "kind"),
    ("report.txt", TINY_REPORT.encode(), {"replace": "maybe"}, 422, "invalid_input", "replace"),
    ("testland-2019.txt", TINY_REPORT.encode(), {}, 409, "document_exists", "replace=true"),
    ("testland-2019.md", TINY_REPORT.encode(), {}, 409, "document_exists", "testland-2019.txt"),
    ("other.txt", TINY_REPORT.encode(), {"id": "testland-2019"}, 409, "document_exists", "replace=true"),
    # the same bytes under another id would index the report twice, and answers would cite "copy"
    ("copy.txt", TINY_REPORT.encode(), {}, 409, "duplicate_file", "testland-2019.txt"),
    ("copy.md", TINY_REPORT.encode(), {"replace": "true"}, 409, "duplicate_file", "testland-2019"),
]


def test_the_same_file_may_replace_its_own_document(client: TestClient) -> None:
    response = post(client, "testland-2019.txt", TINY_REPORT.encode(), replace="true")
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(("name", "content", "form", "status", "code", "mentions"), BAD,
                         ids=[f"{b[0][:20]}-{b[4]}-{i}" for i, b in enumerate(BAD)])
def test_bad_upload_is_a_clear_4xx_and_changes_nothing(client: TestClient, corpus: Settings, name: str,
                                                       content: bytes, form: dict[str, str], status: int,
                                                       code: str, mentions: str) -> None:
    before = corpus_state(corpus.corpus_dir)
    assert_error(post(client, name, content, **form), status, code, mentions)
    assert corpus_state(corpus.corpus_dir) == before
    assert client.app.state.indexer.jobs.pending() == []  # type: ignore[attr-defined]
    assert not list(corpus.corpus_dir.parent.glob("evil*")) and not Path("/etc/passwd.txt").exists()


def test_no_file_field(client: TestClient) -> None:
    assert_error(client.post("/documents", data={"id": "x"}), 422, "invalid_input", "'file'")
    assert_error(client.post("/documents", content=b"{}", headers={"content-type": "application/json"}),
                 422, "invalid_input")


def test_oversize_upload_is_413_declared_or_streamed(corpus: Settings) -> None:
    before = corpus_state(corpus.corpus_dir)
    big = TINY_REPORT.encode() * 50  # ~15 KB, over a 10 KB limit
    with make_client(corpus, max_file_bytes=10_000) as client:
        assert_error(post(client, "big.txt", big), 413, "payload_too_large")
        # a body over the file limit but under the request limit (multipart slack) is refused by the copy
        r = post(client, "big.txt", TINY_REPORT.encode() * 33)
        assert_error(r, 413, "payload_too_large", "QA_MAX_FILE_BYTES")

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(200):
                yield b"x" * 1024

        r = client.post("/documents", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert_error(r, 413, "payload_too_large")
    assert corpus_state(corpus.corpus_dir) == before


def test_other_routes_keep_their_64_kb_limit(client: TestClient) -> None:
    r = client.post("/ask", content=b'{"question": "' + b"x" * 70_000 + b'"}',
                    headers={"content-type": "application/json"})
    assert_error(r, 413, "payload_too_large", "64 KB")


def test_uploads_disabled_by_default(corpus: Settings) -> None:
    assert Settings().allow_uploads is False
    before = corpus_state(corpus.corpus_dir)
    with make_client(corpus, allow_uploads=False) as client:
        assert_error(post(client, "new.txt", TINY_REPORT.encode()), 403, "uploads_disabled", "QA_ALLOW_UPLOADS")
        assert_error(client.delete("/documents/testland-2019"), 403, "uploads_disabled")
        assert client.get("/documents").json()["uploads"]["allowed"] is False
    assert corpus_state(corpus.corpus_dir) == before


def test_upload_and_delete_need_the_api_key(corpus: Settings) -> None:
    before = corpus_state(corpus.corpus_dir)
    with make_client(corpus, api_key="sesame") as client:
        assert_error(post(client, "new.txt", TINY_REPORT.encode()), 401, "unauthorized")
        assert_error(client.delete("/documents/testland-2019"), 401, "unauthorized")
        assert corpus_state(corpus.corpus_dir) == before
        r = client.post("/documents", files={"file": ("new.txt", NEW_REPORT.encode())},
                        headers={"Authorization": "Bearer sesame"})
        assert r.status_code == 202, r.text
        assert (corpus.corpus_dir / "new.txt").read_text(encoding="utf-8") == NEW_REPORT


def test_delete_unknown_or_path_like_id(client: TestClient) -> None:
    assert_error(client.delete("/documents/nope"), 404, "document_not_found")
    assert_error(client.delete("/documents/..%2Fcorpus"), 404)  # "/" in an id matches no route
    assert_error(client.delete("/documents/.hidden"), 422, "invalid_id")
    assert_error(client.delete("/documents/a..b"), 422, "invalid_id")


def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_file(client: TestClient, corpus: Settings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    before = corpus_state(corpus.corpus_dir)

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", full)
    r = post(client, "new.txt", NEW_REPORT.encode())
    assert_error(r, 500, "storage_error", "No space left on device (new.txt)")
    monkeypatch.undo()
    assert corpus_state(corpus.corpus_dir) == before  # no new.txt, nothing left staged


def test_leftovers_of_dead_processes_are_removed(corpus: Settings) -> None:
    from qa.api.upload_store import STAGING_DIR, CorpusStore

    root = corpus.corpus_dir / STAGING_DIR
    (root / "999999999-abc").mkdir(parents=True)  # no such process id (Linux caps them far lower)
    (root / "999999999-abc" / "x.txt").write_text("half a file")
    (root / f"{os.getpid()}-mine").mkdir()
    assert CorpusStore(corpus).remove_leftovers() == 1
    assert [p.name for p in root.iterdir()] == [f"{os.getpid()}-mine"]


def test_document_text_of_an_unknown_document_is_404(client: TestClient) -> None:
    assert_error(client.get("/documents/nope/text"), 404, "document_not_found")
    body = client.get("/documents/usdol-2019-mali/text").json()
    (passage,) = body["passages"]
    assert body["text"][passage["start"]:passage["end"]] == "Number of Labor Inspectors 109 (68) 113 (4)"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_accepted_as_the_corpus_reads_it(client: TestClient, corpus: Settings,
                                                                        encoding: str) -> None:
    # Windows tools save "Unicode" text as UTF-16 with a BOM; the corpus reader decodes it, but the
    # upload counted its zero bytes as control bytes and refused it as "binary data" (415)
    data = NEW_REPORT.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    response = post(client, "newland-2019.txt", data)
    assert response.status_code == 202, response.text
    assert (corpus.corpus_dir / "newland-2019.txt").read_bytes() == data


@pytest.mark.parametrize(("files", "form", "field"), [
    ([("file", ("togo.txt", NEW_REPORT.encode(), "text/plain")),
      ("file", ("benin.txt", NEW_REPORT.replace("Newland", "Oldland").encode(), "text/plain"))], {}, "file"),
    ([("file", ("newland.txt", NEW_REPORT.encode(), "text/plain"))], {"year": ["2019", "2020"]}, "year"),
    ([("file", ("newland.txt", NEW_REPORT.encode(), "text/plain"))], {"id": ["a", "b"]}, "id"),
])
def test_a_field_sent_twice_is_refused_not_half_taken(client: TestClient, corpus: Settings, files: list[Any],
                                                     form: dict[str, Any], field: str) -> None:
    # two reports in one request: the last was stored and the first silently lost; two years: the last won
    before = corpus_state(corpus.corpus_dir)
    assert_error(client.post("/documents", files=files, data=form), 422, "invalid_input", f"{field}: sent 2 times")
    assert corpus_state(corpus.corpus_dir) == before
