"""The index folder: self-describing, atomically replaced, incrementally rebuilt, refusing mismatches."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from qa.index import store
from qa.config import Settings
from qa.ingest.corpus import load_corpus
from qa.index.embed import FakeEmbedder
from qa.errors import IndexMismatch, IndexMissing
from qa.answer.retrieve import Retriever
from qa.index.ann import build_ann
from qa.index.status import index_status
from qa.index.store import build_index


def _build(settings: Settings, embedder: FakeEmbedder | None = None, **kw) -> store.BuildReport:  # type: ignore[no-untyped-def]
    return build_index(settings, load_corpus(settings), embedder or FakeEmbedder(), progress=False, **kw)


def test_build_writes_a_self_describing_folder(settings: Settings, tiny_corpus, no_network) -> None:  # type: ignore[no-untyped-def]
    report = _build(settings)
    folder = settings.index_path
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "vectors.faiss", "chunks.jsonl", "bm25",
                                                  "acronyms.json", "sentences.faiss", "sentences.npy"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["model"] == {"id": "fake-hashed-bow-256", "dimension": 256, "normalisation": "l2",
                                 "metric": "inner_product"}
    assert manifest["ann"]["type"] == "exact"
    assert set(manifest["documents"]) == {"testland-2019", "kayes-article"}
    entry = manifest["documents"]["testland-2019"]
    assert entry["file"] == "testland-2019.txt" and len(entry["sha256"]) == 64 and entry["chunks"] > 0
    assert manifest["chunker"]["max_tokens"] == settings.chunk_max_tokens
    assert report.chunks == manifest["chunks"] == sum(d["chunks"] for d in manifest["documents"].values())
    assert report.reembedded_documents == ("kayes-article", "testland-2019")
    lines = (folder / "chunks.jsonl").read_text().splitlines()
    assert len(lines) == report.chunks
    assert json.loads((folder / "acronyms.json").read_text())["CNLTE"] == ["National Unit to Fight Against Child Labor"]
    assert not list(settings.index_dir.glob(".default.tmp-*"))


def test_second_build_does_nothing(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    emb = FakeEmbedder()
    report = _build(settings, emb)
    assert report.up_to_date and emb.calls == []
    assert "up to date" in report.summary()


def test_editing_one_file_marks_stale_and_reembeds_only_that_document(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    assert index_status(settings).stale is False
    path = tiny_corpus / "kayes-article.txt"
    path.write_text(path.read_text() + "\nThe workshop ended with a pledge to monitor gold mines.\n")
    status = index_status(settings)
    assert status.stale is True and status.reasons == ("changed file kayes-article.txt",)
    emb = FakeEmbedder()
    report = _build(settings, emb)
    assert report.reembedded_documents == ("kayes-article",)
    embedded = [t for batch in emb.calls for t in batch]
    assert embedded and all("Testland" not in t and "CNLTE" not in t for t in embedded)
    assert index_status(settings).stale is False
    hits = Retriever(settings, FakeEmbedder()).load().search("pledge gold mines", k=1)
    assert hits[0].chunk.doc_id == "kayes-article"


def test_new_and_removed_files(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    (tiny_corpus / "kayes-article.txt").unlink()
    (tiny_corpus / "other.txt").write_text("Another short article about rice farming in Segou.\n")
    assert set(index_status(settings).reasons) == {"new file other.txt", "removed file kayes-article.txt"}
    report = _build(settings)
    assert report.reembedded_documents == ("other",)
    assert set(index_status(settings).documents) == {"testland-2019", "other"}


class Boom(RuntimeError):
    pass


def test_build_aborted_while_embedding_keeps_previous_index(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    before = (settings.index_path / "chunks.jsonl").read_text()
    (tiny_corpus / "kayes-article.txt").write_text("Completely new text about fishing canoes.\n")

    class Failing(FakeEmbedder):
        def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
            raise Boom("killed mid-embedding")

    with pytest.raises(Boom):
        _build(settings, Failing())
    assert (settings.index_path / "chunks.jsonl").read_text() == before
    assert Retriever(settings, FakeEmbedder()).load().search("cotton", k=1)
    assert not list(settings.index_dir.glob(".default.tmp-*"))


def test_build_aborted_while_writing_keeps_previous_index(settings: Settings, tiny_corpus,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _build(settings)
    before = (settings.index_path / "manifest.json").read_text()
    (tiny_corpus / "kayes-article.txt").write_text("Completely new text about fishing canoes.\n")
    real_save = np.save

    def failing_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_save(*args, **kwargs)
        raise Boom("disk full after the sentence vectors")

    monkeypatch.setattr(store.np, "save", failing_save)
    with pytest.raises(Boom):
        _build(settings)
    monkeypatch.undo()
    assert (settings.index_path / "manifest.json").read_text() == before
    assert index_status(settings).stale is True  # the old index is intact, and known to be behind
    assert Retriever(settings, FakeEmbedder()).load().search("cotton", k=1)


def test_interrupted_swap_is_recovered(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    # a crash between the two renames leaves only ".default.previous"
    settings.index_path.rename(settings.index_dir / ".default.previous")
    assert Retriever(settings, FakeEmbedder()).load().search("cotton", k=1)


def test_model_mismatch_is_refused_clearly(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _build(settings)
    with pytest.raises(IndexMismatch) as err:
        Retriever(settings, FakeEmbedder(dim=128)).load()
    message = err.value.message
    assert "fake-hashed-bow-256" in message and "fake-hashed-bow-128" in message
    assert "dimension 256" in message and "qa index build --force" in message
    # a forced rebuild with the new model makes it loadable again
    _build(settings, FakeEmbedder(dim=128), force=True)
    assert Retriever(settings, FakeEmbedder(dim=128)).load().search("cotton", k=1)


def test_missing_index_tells_the_user_what_to_run(settings: Settings) -> None:
    with pytest.raises(IndexMissing, match="qa index build"):
        Retriever(settings, FakeEmbedder()).load()
    assert index_status(settings).exists is False


def test_approximate_indexes_record_parameters(settings: Settings, tiny_corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QA_ANN", "hnsw")
    hnsw = Settings()
    _build(hnsw)
    manifest = json.loads((hnsw.index_path / "manifest.json").read_text())
    assert manifest["ann"]["type"] == "hnsw" and manifest["ann"]["efSearch"] > 0
    assert Retriever(hnsw, FakeEmbedder()).load().search("cotton rice", k=1)[0].chunk.doc_id == "testland-2019"


def test_ivf_recall_on_clustered_vectors() -> None:
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(50, 32))
    data = centers[rng.integers(0, 50, 20_000)] + 0.3 * rng.normal(size=(20_000, 32))
    data = (data / np.linalg.norm(data, axis=1, keepdims=True)).astype(np.float32)
    ivf, params = build_ann(data, "ivf", 1)
    exact, _ = build_ann(data, "exact", 1)
    assert params["type"] == "ivf" and params["nlist"] > 1 and params["nprobe"] >= 8
    queries = data[:50] + np.float32(0.01)
    _, got = ivf.search(queries, 10)
    _, want = exact.search(queries, 10)
    recall = np.mean([len(set(g) & set(w)) / 10 for g, w in zip(got, want, strict=True)])
    assert recall >= 0.9
    assert build_ann(data[:500], "ivf", 1)[1]["type"] == "exact"  # too small to train: exact


def test_cli_build_then_up_to_date(settings: Settings, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import _register, app

    _register()
    runner = CliRunner()
    first = runner.invoke(app, ["index", "build"])
    assert first.exit_code == 0, first.output
    assert first.output.strip().splitlines()[-1].startswith("indexed 2 documents, ")
    second = runner.invoke(app, ["index", "build"])
    assert second.exit_code == 0
    assert second.output.startswith("index is up to date: 2 documents, ")
    found = runner.invoke(app, ["search", "cotton rice", "--k", "2", "--json"])
    assert found.exit_code == 0
    hits = json.loads(found.output)
    assert len(hits) == 2 and hits[0]["doc"] == "testland-2019" and hits[0]["rank"] == 1
    bad = runner.invoke(app, ["search", "cotton", "--doc", "nope"])
    assert bad.exit_code == 1 and "unknown document id 'nope'" in bad.output


def test_cli_search_knows_a_territory_its_reports_cover(settings: Settings) -> None:
    # Kosovo is not in ISO 3166: `qa ask --country Kosovo` knew it from its report, `qa search` refused it
    from qa.cli import _register, app

    _register()
    (settings.corpus_dir / "kosovo-2019.txt").write_text(
        "In 2019, Kosovo made a moderate advancement in efforts to eliminate child labor.\n\n"
        "Children in Kosovo work in street vending and begging.\n", encoding="utf-8")
    (settings.corpus_dir / "catalog.toml").write_text('["kosovo-2019"]\ncountry = "Kosovo"\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["index", "build"]).exit_code == 0
    found = runner.invoke(app, ["search", "street vending", "--country", "kosovo", "--json"])
    assert found.exit_code == 0, found.output
    assert {h["doc"] for h in json.loads(found.output)} == {"kosovo-2019"}
    unknown = runner.invoke(app, ["search", "street vending", "--country", "Atlantis"])
    assert unknown.exit_code == 2 and "unknown country 'Atlantis'" in unknown.output


def test_finer_views_made_by_changed_code_are_embedded_again(settings: Settings, tiny_corpus,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # the chunks store their embedded text but not their finer (sentence) views: a chunker change
    # that rewrites a view must not pair the view's new text with the vector of its old text
    from qa.index import status
    from qa.index.files import read_sentence_vectors

    _build(settings)
    old_views = store.sentence_views
    monkeypatch.setattr(store, "sentence_views", lambda c: [f"{t} rewritten" for t in old_views(c)])
    config = status.chunker_config
    changed = lambda s: {**config(s), "code": "changed"}  # noqa: E731
    monkeypatch.setattr(status, "chunker_config", changed)
    monkeypatch.setattr(store, "chunker_config", changed)
    _build(settings)
    chunks = store.read_chunks(settings.index_path)
    views = [t for c in chunks for t in store.sentence_views(c)]
    index, _ = read_sentence_vectors(settings.index_path)
    assert views and index.ntotal == len(views)
    got = np.stack([index.reconstruct(i) for i in range(index.ntotal)])
    assert np.allclose(got, FakeEmbedder().encode(views), atol=1e-5)
