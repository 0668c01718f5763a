"""Per-document isolation inside the index build (qa/index/isolation.py and build_index's document loop)."""

from __future__ import annotations

import json

import pytest

from qa.config import Settings
from qa.errors import CorpusError
from qa.index.embed import FakeEmbedder
from qa.index.isolation import read_indexed_document
from qa.index.store import build_index
from qa.ingest.corpus import load_corpus
from qa.models import DocumentFailure


def test_a_document_the_chunker_cannot_handle_fails_alone(settings: Settings, hand_corpus) -> None:  # type: ignore[no-untyped-def]
    documents, chunker = hand_corpus

    def fussy(doc, s):  # type: ignore[no-untyped-def]
        if doc.id == "article":
            raise RuntimeError("tokenizer choked")
        return chunker(doc, s)

    report = build_index(settings, documents, FakeEmbedder(), progress=False, chunker=fussy)
    assert report.documents == 1 and report.reembedded_documents == ("report",)
    assert [(f.doc_id, f.reason) for f in report.failures] == [
        ("article", "article.txt: cannot be chunked (RuntimeError: tokenizer choked)")]
    manifest = json.loads((settings.index_path / "manifest.json").read_text())
    assert set(manifest["documents"]) == {"report"}
    assert [f["doc"] for f in manifest["failures"]] == ["article"]


def test_nothing_usable_raises_and_leaves_the_previous_index(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False)
    before = (settings.index_path / "manifest.json").read_text()
    failures = [DocumentFailure("new", str(settings.corpus_dir / "new.txt"), "new.txt: the file is empty")]
    with pytest.raises(CorpusError, match=r"no document could be indexed \(1 files failed\)"):
        build_index(settings, [], FakeEmbedder(), progress=False, failures=failures)
    assert (settings.index_path / "manifest.json").read_text() == before


def test_each_indexed_document_is_stored_and_reads_back_identical(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    documents = load_corpus(settings)
    build_index(settings, documents, FakeEmbedder(), progress=False)
    for doc in documents:
        assert read_indexed_document(settings.index_path, doc.id) == doc
    assert read_indexed_document(settings.index_path, "never-indexed") is None
