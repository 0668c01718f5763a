"""Test helpers for the API: a fake assistant with canned answers, and a live uvicorn server.

Imported by tests/test_api*.py, test_openai_client.py, test_browser.py and test_fuzz_api.py.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx

from qa.assistant import DocumentSummary, checked_question
from qa.config import Settings
from qa.errors import DocumentNotFound, NotReady, ReferenceNotFound
from qa.models import (
    Answer, Bibliography, Chunk, Citation, Document, DocumentFailure, DocumentMeta, Hit, QuotedUnit, ReferenceEntry,
    Section, Source,
)

MALI = "usdol-2019-mali"
ILO = "ilo-2021-aejt"
INSPECTORS_TEXT = "Mali had 113 labor inspectors in 2019 [4], up from 109 in 2018 [68]."
ENTRY_4 = "U.S. Embassy- Bamako. Reporting. February 26, 2020."
ENTRY_68 = "U.S. Embassy- Bamako. Reporting. January 22, 2019."
PASSAGE = "Number of Labor Inspectors 109 (68) 113 (4)"
INSPECTORS_WORDS = "Mali had 113 labor inspectors in 2019, up from 109 in 2018."
QUOTED_SPAN = (PASSAGE.index("109"), len(PASSAGE))


def _document(doc_id: str, title: str, entries: tuple[ReferenceEntry, ...]) -> Document:
    meta = DocumentMeta(id=doc_id, path=f"corpus/{doc_id}.txt", sha256="0" * 64, title=title,
                        publisher="fake", country="Mali", year=2019)
    text = f"{title}\n{PASSAGE}\n"
    return Document(meta=meta, text=text, sections=(Section("I", "Overview", 0, len(text)),),
                    paragraphs=(), tables=(), bibliography=Bibliography(entries))


def _entries(n: int) -> tuple[ReferenceEntry, ...]:
    special = {4: ENTRY_4, 68: ENTRY_68}
    return tuple(ReferenceEntry(i, special.get(i, f"Reference entry number {i}."),
                                f"https://example.org/ref{i}" if i % 2 else None, i) for i in range(1, n + 1))


def _chunk(doc_id: str, anchor: str, text: str, refs: frozenset[int]) -> Chunk:
    return Chunk(id=f"{doc_id}#{anchor}", doc_id=doc_id, kind="table-row", section="IV", heading_path=("IV",),
                 text=text, start=0, end=len(text), token_count=len(text.split()), refs=refs, sentences=())


class FakeAssistant:
    """Implements the methods the API calls, with canned answers; thread-safe call log."""

    def __init__(self, ready: bool = True, load_error: Exception | None = None,
                 gate: threading.Event | None = None, delay: float = 0.0,
                 failed: list[DocumentFailure] | None = None) -> None:
        self._ready = ready
        self.failed = list(failed or [])
        self.load_error = load_error
        self.gate = gate
        self.delay = delay
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.settings = Settings()  # the OpenAI route counts usage with its tokenizer
        self._docs = {
            MALI: _document(MALI, "Mali 2019 Findings on the Worst Forms of Child Labor", _entries(109)),
            ILO: _document(ILO, "AEJT Kayes Sikasso", ()),
        }

    @property
    def ready(self) -> bool:
        return self._ready

    def load(self) -> FakeAssistant:
        if self.gate is not None:
            self.gate.wait(10)
        if self.load_error is not None:
            raise self.load_error
        self._ready = True
        return self

    def _require(self) -> None:
        if not self._ready:
            raise NotReady("the assistant is still loading")

    def documents(self) -> list[DocumentSummary]:
        self._require()
        return [DocumentSummary(id=d.id, title=d.meta.title, publisher=d.meta.publisher, kind=d.meta.kind,
                                country=d.meta.country, year=d.meta.year, published=d.meta.published,
                                url=d.meta.url, chunks=3, references=len(d.bibliography))
                for d in self._docs.values()]

    def failures(self) -> list[DocumentFailure]:
        self._require()
        return list(self.failed)

    def document(self, doc_id: str) -> Document:
        self._require()
        if doc_id not in self._docs:
            raise DocumentNotFound(f"unknown document id {doc_id!r}")
        return self._docs[doc_id]

    def passages(self, doc_id: str) -> list[Chunk]:
        document = self.document(doc_id)
        start = document.text.index(PASSAGE)
        chunk = _chunk(doc_id, "t6/r2", PASSAGE, frozenset({4, 68}))
        return [replace(chunk, start=start, end=start + len(PASSAGE))]

    def reference(self, doc_id: str, number: int) -> ReferenceEntry:
        entry = self.document(doc_id).bibliography.get(number)
        if entry is None:
            raise ReferenceNotFound(f"{doc_id} has no reference {number}")
        return entry

    def _check(self, question: str, doc: str | None) -> str:
        self._require()
        question = checked_question(question)
        if doc is not None:
            self.document(doc)
        return question

    def search(self, query: str, k: int = 10, doc: str | None = None, country: str | None = None,
               year: int | None = None) -> list[Hit]:
        self._check(query, doc)
        if country is not None or year is not None:
            with self._lock:
                self.calls.append({"search": query, "country": country, "year": year})
        if self.search_note(query, doc, country, year):
            return []
        hits = [Hit(_chunk(MALI, "t6/r2", PASSAGE, frozenset({4, 68})), 0.91),
                Hit(_chunk(ILO, "I/p1", "The AEJT project works in Kayes and Sikasso.", frozenset()), 0.42)]
        return [h for h in hits if doc is None or h.chunk.doc_id == doc][:k]

    def search_note(self, query: str, doc: str | None = None, country: str | None = None,
                    year: int | None = None) -> str | None:
        # the fake index covers Mali only: Ghana stands for a country no report covers
        return "no indexed report covers Ghana" if "Ghana" in query or country == "Ghana" else None

    def ask(self, question: str, history: list[str] | None = None, doc: str | None = None,
            top_k: int | None = None, country: str | None = None, year: int | None = None) -> Answer:
        question = self._check(question, doc)
        call: dict[str, Any] = {"question": question, "history": list(history or []), "doc": doc, "top_k": top_k}
        if country is not None or year is not None:  # the filters are recorded only when used
            call.update(country=country, year=year)
        with self._lock:
            self.calls.append(call)
        if self.delay:
            time.sleep(self.delay)
        if "unicorn" in question.lower():
            return Answer(answer="The reports do not say.", citations=(), sources=(), abstained=True, confidence=0.1)
        source = Source(MALI, f"{MALI}#t6/r2", "IV", PASSAGE, 0.91, (68, 4))
        citations = (Citation(MALI, 4, ENTRY_4, None), Citation(MALI, 68, ENTRY_68, "https://example.org/r68"))
        # the answer quotes both cells: the passage's text from its "109" on
        quoted = QuotedUnit(MALI, source.anchor, INSPECTORS_WORDS, (4, 68), (QUOTED_SPAN,))
        return Answer(answer=INSPECTORS_TEXT, citations=citations, sources=(source,), abstained=False,
                      confidence=0.87, units=(quoted,))

    def index_status(self) -> dict[str, Any]:
        self._require()
        return {"model": "fake", "documents": 2, "chunks": 6, "stale": False}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def live_server(app: Any, ready_timeout: float = 300.0) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; yield its base URL once
    ``/healthz`` answers 200. Stops the server on exit."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    try:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(f"{base}/healthz", timeout=5)
                if response.status_code == 200:
                    break
                if response.json().get("status") == "error":
                    raise RuntimeError(f"server failed to load: {response.text}")
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the live server did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        server.should_exit = True
        thread.join(10)


_real: dict[str, Any] = {}
_real_lock = threading.Lock()


def real_server_url() -> str:
    """A live server over the real pipeline (packaged model + built index), started once per
    test process and shared by the slow tests; loading takes tens of seconds on 2 cores."""
    import importlib.util

    import pytest

    if importlib.util.find_spec("qa.answer.answerer") is None:
        pytest.skip("the answer stage (qa/answer/answerer.py) is not built yet")
    from qa.index.verify import MANIFEST

    if not (Settings().index_path / MANIFEST).is_file():
        pytest.skip("no built index: `make index` builds it (`make test` does)")
    with _real_lock:
        if "url" not in _real:
            from qa.api.app import create_app

            context = live_server(create_app(Settings(api_key=None, cors_origins=[])), ready_timeout=600)
            _real["url"] = context.__enter__()
            _real["context"] = context  # the daemon thread ends with the process
        return _real["url"]
