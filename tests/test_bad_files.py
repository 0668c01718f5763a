"""One bad file never breaks the corpus (issue 16).

A corpus of the two seed documents plus six bad files (a scan without a text layer, an empty file,
3 MB of random bytes, a truncated PDF, the same document twice, a Latin-1 text): the seeds are
indexed and answer exactly as they do alone, each bad file is listed with its reason by
``qa index build`` (exit 3), ``qa docs``, ``GET /documents`` and ``/healthz``; a document whose
file goes bad keeps answering from its indexed version, flagged stale. Fake embedder throughout;
the last test (slow) runs the golden gate with the packaged model and the bad files present.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from badfiles import LATIN1_TEXT, SEEDS, seeds_with_bad_files
from qa.cli import _register, app
from qa.config import PROJECT_ROOT, Settings
from qa.ingest.corpus import read_corpus

_register()
GOLDEN = PROJECT_ROOT / "eval" / "golden.jsonl"
SEED_IDS = {"usdol-2019-mali", "ilo-2021-aejt-kayes-sikasso"}
EXIT_SOME_FAILED, EXIT_NOTHING_USABLE = 3, 2


@pytest.fixture()
def bad_corpus(settings: Settings) -> dict[str, str | None]:
    """The ``settings`` corpus folder (in tmp_path, fake embedder) filled with the seeds and the bad files."""
    return seeds_with_bad_files(settings.corpus_dir)


def build(*extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["index", "build", *extra])


def failure_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


def test_the_loader_returns_the_good_documents_and_each_bad_file_with_its_reason(
        settings: Settings, bad_corpus: dict[str, str | None]) -> None:
    corpus = read_corpus(settings)
    assert {d.id for d in corpus.documents} == SEED_IDS | {"note-latin1"}
    reasons = {Path(f.path).name: f.reason for f in corpus.failures}
    expected = {name: fragment for name, fragment in bad_corpus.items() if fragment}
    assert set(reasons) == set(expected)
    for name, fragment in expected.items():
        assert reasons[name].startswith(f"{name}: ") and fragment in reasons[name], reasons[name]
    latin = next(d for d in corpus.documents if d.id == "note-latin1")
    assert "bibliothèque" in latin.text and "\ufffd" not in latin.text  # decoded, not replaced
    assert latin.meta.title == LATIN1_TEXT.split("\n")[0]


def test_index_build_indexes_the_rest_and_exits_3_with_one_line_per_failed_file(
        settings: Settings, bad_corpus: dict[str, str | None], no_network: None) -> None:
    result = build()
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert result.stdout.startswith("indexed 3 documents, ")
    assert result.stdout.rstrip().endswith("; 6 files failed")
    lines = failure_lines(result)
    assert len(lines) == 6
    for name, fragment in bad_corpus.items():
        if fragment:
            assert sum(ln.startswith(f"failed: {name}: ") and fragment in ln for ln in lines) == 1, (name, lines)
    manifest = json.loads((settings.index_path / "manifest.json").read_text())
    assert set(manifest["documents"]) == SEED_IDS | {"note-latin1"}
    assert {f["file"] for f in manifest["failures"]} == {n for n, f in bad_corpus.items() if f}
    # nothing changed: the fast path still reports the failures and the same exit code
    again = build()
    assert again.exit_code == EXIT_SOME_FAILED
    assert again.stdout.startswith("index is up to date: 3 documents")
    assert failure_lines(again) == lines
    status = CliRunner().invoke(app, ["index", "status"])
    assert "stale: no" in status.stdout and status.stdout.count("\nfailed: ") == 6


def test_exit_0_when_every_file_is_indexed_and_2_when_none_is(settings: Settings, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, settings.corpus_dir / path.name)
    result = build()
    assert result.exit_code == 0 and result.stderr == ""
    only_bad = tmp_path / "only-bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    (only_bad / "noise.md").write_bytes(random.Random(3).randbytes(10_000))
    monkeypatch.setenv("QA_CORPUS_DIR", str(only_bad))
    monkeypatch.setenv("QA_INDEX_NAME", "other")
    result = build()
    assert result.exit_code == EXIT_NOTHING_USABLE
    lines = failure_lines(result)
    assert lines[:2] == ["failed: empty.txt: the file is empty",
                         "failed: noise.md: binary data, not text (11% control bytes); use a text file (UTF-8), "
                         "a Markdown file or a PDF"]
    assert lines[2].startswith("error: no document could be indexed (2 files failed)") and len(lines) == 3
    assert not (settings.index_dir / "other").exists()


def test_qa_docs_lists_every_bad_file_with_its_reason(settings: Settings, bad_corpus: dict[str, str | None]) -> None:
    result = CliRunner().invoke(app, ["docs", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    ok = {r["id"] for r in rows if r["status"] == "ok"}
    failed = {r["file"]: r for r in rows if r["status"] == "failed"}
    assert ok == SEED_IDS | {"note-latin1"}
    for name, fragment in bad_corpus.items():
        if fragment:
            assert fragment in failed[name]["reason"] and failed[name]["stale"] is False
    text = CliRunner().invoke(app, ["docs"]).stdout
    assert "scanned-report  FAILED  scanned-report.pdf: no text layer (scanned?); OCR it first" in text


def _answers(settings: Settings) -> list[tuple[str, tuple, bool]]:
    from qa.assistant import Assistant
    from qa.evaluation.evaluate import load_golden

    assistant = Assistant(settings).load()
    out = []
    for item in load_golden(GOLDEN):
        answer = assistant.ask(item.question, history=list(item.history))
        out.append((answer.answer, tuple((c.doc, c.ref) for c in answer.citations), answer.abstained))
    return out


def test_the_seeds_answer_exactly_as_they_do_alone(settings: Settings, bad_corpus: dict[str, str | None],
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QA_LLM_BASE_URL", raising=False)
    assert build().exit_code == EXIT_SOME_FAILED
    with_bad = _answers(Settings(llm_base_url=None))
    alone = tmp_path / "seeds-alone"
    alone.mkdir()
    for path in SEEDS.iterdir():
        shutil.copy(path, alone / path.name)
    monkeypatch.setenv("QA_CORPUS_DIR", str(alone))
    monkeypatch.setenv("QA_INDEX_NAME", "alone")
    assert build().exit_code == 0
    assert _answers(Settings(llm_base_url=None)) == with_bad


def test_a_document_whose_file_goes_bad_keeps_answering_flagged_stale(settings: Settings) -> None:
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, settings.corpus_dir / path.name)
    note = settings.corpus_dir / "field-note.txt"
    note.write_text("Field note\n\nIn 2022, inspectors counted 57 children at the Kéniéba gold washing sites.\n",
                    encoding="utf-8")
    assert build().exit_code == 0
    good_bytes = note.read_bytes()
    note.write_bytes(random.Random(4).randbytes(50_000))  # a download gone wrong overwrites it
    result = build()
    assert result.exit_code == EXIT_SOME_FAILED
    assert failure_lines(result) == ["failed: field-note.txt: binary data, not text (11% control bytes); use a text "
                                     "file (UTF-8), a Markdown file or a PDF (the version indexed earlier keeps "
                                     "answering, flagged stale)"]
    manifest = json.loads((settings.index_path / "manifest.json").read_text())
    assert manifest["documents"]["field-note"]["stale"].startswith("field-note.txt: binary data")
    assert manifest["failures"][0]["stale"] is True
    from qa.assistant import Assistant

    assistant = Assistant(Settings(llm_base_url=None)).load()
    summary = {d.id: d for d in assistant.documents()}["field-note"]
    assert summary.status == "stale" and summary.reason.startswith("field-note.txt: binary data")
    assert summary.chunks >= 1 and assistant.document("field-note").text.startswith("Field note")
    hits = assistant.search("children Kéniéba gold washing sites", k=1)
    assert hits[0].chunk.doc_id == "field-note"
    docs = {r["id"]: r for r in json.loads(CliRunner().invoke(app, ["docs", "--json"]).stdout)}
    assert docs["field-note"]["status"] == "failed" and docs["field-note"]["stale"] is True
    # a good file replaces it
    note.write_bytes(good_bytes)
    fixed = build()
    assert fixed.exit_code == 0 and fixed.stderr == ""
    manifest = json.loads((settings.index_path / "manifest.json").read_text())
    assert "stale" not in manifest["documents"]["field-note"] and manifest["failures"] == []


def test_api_lists_failures_and_health_is_degraded(settings: Settings, bad_corpus: dict[str, str | None]) -> None:
    from qa.api.app import create_app

    assert build().exit_code == EXIT_SOME_FAILED
    with TestClient(create_app(Settings(llm_base_url=None)), raise_server_exceptions=False) as client:
        assert client.app.state.holder.wait(120) == "ready"
        health = client.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded" and body["failed_documents"] == 6
        assert "failures" not in body["index"]  # file names are for authenticated callers (GET /documents)
        listing = client.get("/documents").json()
        assert {d["id"]: d["status"] for d in listing["documents"]} == dict.fromkeys(
            SEED_IDS | {"note-latin1"}, "ok")
        failures = {f["file"]: f for f in listing["failures"]}
        for name, fragment in bad_corpus.items():
            if fragment:
                assert fragment in failures[name]["reason"] and failures[name]["stale"] is False
        scan = client.get("/documents/scanned-report")
        assert scan.status_code == 404 and scan.json()["error"] == {
            "code": "document_not_found",
            "message": "document 'scanned-report' is not indexed: scanned-report.pdf: no text layer (scanned?); "
                       "OCR it first"}
        assert client.post("/ask", json={"question": "How many labor inspectors did Mali have in 2019?"}
                           ).json()["citations"][0]["ref"] == 4


@pytest.mark.slow
def test_golden_gate_passes_with_the_bad_files_present(tmp_path: Path) -> None:
    """The packaged model; vectors are reused from the project index, so only the Latin-1 note is embedded."""
    from qa.assistant import Assistant
    from qa.evaluation.columns import columns
    from qa.evaluation.evaluate import evaluate, load_golden
    from qa.evaluation.gate import check_columns, load_thresholds

    project = Settings()
    if not (project.index_path / "manifest.json").is_file():
        pytest.skip(f"no index at {project.index_path}: run `.venv/bin/qa index build` first")
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    seeds_with_bad_files(corpus)
    shutil.copytree(project.index_path, index_dir / project.index_name)
    settings = Settings(corpus_dir=corpus, index_dir=index_dir, llm_base_url=None)
    from qa.index.embed import make_embedder
    from qa.index.store import build_index

    read = read_corpus(settings)
    report = build_index(settings, read.documents, make_embedder(settings), progress=False, failures=read.failures)
    assert report.reembedded_documents == ("note-latin1",) and len(report.failures) == 6
    run = evaluate(Assistant(settings).load(), load_golden(GOLDEN), progress=False)
    measured = {c.name: c.metrics for c in columns(run)}  # the golden set's test split is gated here
    violations, _ = check_columns(measured, load_thresholds(PROJECT_ROOT / "eval" / "thresholds.toml"))
    assert violations == []


def test_a_file_name_that_is_not_utf8_fails_alone(settings: Settings, no_network: None) -> None:
    # a name written in another system's encoding ("r\xe9sum\xe9.txt" from a Latin-1 archive) reached the
    # manifest as lone surrogates: `qa index build` died with a UnicodeEncodeError traceback, indexing nothing
    import os

    from qa.api.app import create_app
    from qa.index.changes import corpus_changes

    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, settings.corpus_dir / path.name)
    with open(os.path.join(os.fsencode(settings.corpus_dir), b"note-caf\xe9.txt"), "wb") as out:
        out.write("A note on child labour in the cotton fields, written for the corpus folder.".encode())
    result = build()
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "Traceback" not in result.output and result.stdout.startswith("indexed 2 documents, ")
    assert failure_lines(result) == ["failed: note-caf?.txt: the file name is not UTF-8 text (each '?' is a byte "
                                     "of another encoding); rename the file"]
    manifest = json.loads((settings.index_path / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["documents"]) == SEED_IDS and [f["file"] for f in manifest["failures"]] == ["note-caf?.txt"]
    # known as failed: neither stale nor "changed" on the next look
    assert build().stdout.startswith("index is up to date: 2 documents")
    assert "stale: no" in CliRunner().invoke(app, ["index", "status"]).stdout
    changes = corpus_changes(settings)
    assert changes is not None and not (changes.added or changes.removed or changes.changed), changes
    with TestClient(create_app(Settings(llm_base_url=None)), raise_server_exceptions=False) as client:
        assert client.app.state.holder.wait(120) == "ready"
        listing = client.get("/documents")
        assert listing.status_code == 200 and listing.json()["failures"][0]["file"] == "note-caf?.txt"


def test_a_copy_of_a_document_under_another_name_fails_naming_the_original(settings: Settings) -> None:
    import os

    corpus = Path(settings.corpus_dir)
    corpus.mkdir(parents=True, exist_ok=True)
    for name in ("usdol-2019-mali.txt", "ilo-2021-aejt-kayes-sikasso.txt"):
        shutil.copy(SEEDS / name, corpus / name)
    copy = corpus / "Mali copy (2).txt"  # sorts before the original: the older file is kept, not the first name
    shutil.copy(corpus / "usdol-2019-mali.txt", copy)
    os.utime(copy, (os.stat(copy).st_mtime + 60,) * 2)
    read = read_corpus(settings)
    assert {d.id for d in read.documents} == SEED_IDS
    [failure] = read.failures
    assert failure.doc_id == "Mali copy (2)" and "the same file as usdol-2019-mali.txt" in failure.reason
