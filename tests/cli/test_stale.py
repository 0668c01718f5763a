"""The stale-index warning: one stderr line naming the corpus files changed, added or removed since
the build, and the fix; files whose size and mtime are unchanged are not read."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from api_support import FakeAssistant
from typer.testing import CliRunner

import qa.assistant
import qa.cli.ask as ask_module
import qa.index.changes as changes
from qa.cli import _register, app
from qa.cli.stale import stale_warning
from qa.config import Settings
from qa.index.embed import FakeEmbedder
from qa.index.store import build_index, read_manifest
from qa.ingest.corpus import load_corpus
from qa.models import Answer

_register()
REPORT, ARTICLE = "testland-2019.txt", "kayes-article.txt"
AN_HOUR_AGO = time.time() - 3600


def age(folder: Path) -> None:
    """Date every corpus file an hour back, as files are that were not just written."""
    for path in folder.iterdir():
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))


def build(settings: Settings) -> None:
    build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False)


@pytest.fixture()
def built(settings: Settings, tiny_corpus: Path) -> Settings:
    age(tiny_corpus)
    build(settings)
    return settings


@pytest.fixture()
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the check hashes."""
    seen: list[str] = []
    real = changes.file_sha256

    def counting(path: Path) -> str:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(changes, "file_sha256", counting)
    return seen


def test_an_unchanged_corpus_gives_no_warning_and_reads_no_file(built: Settings, hashed: list[str]) -> None:
    entries = read_manifest(built)["documents"].values()
    assert all(e["stat"] and e["stat"]["size"] > 0 for e in entries)
    assert stale_warning(built) is None
    assert hashed == []  # size and mtime vouch for every file


def test_a_touched_but_unchanged_file_is_hashed_and_not_reported(built: Settings, hashed: list[str]) -> None:
    (built.corpus_dir / REPORT).touch()
    assert stale_warning(built) is None
    assert hashed == [REPORT]


def test_changed_added_and_removed_files_are_named_with_the_fix(built: Settings) -> None:
    corpus = built.corpus_dir
    report = corpus / REPORT
    report.write_text(report.read_text(encoding="utf-8").replace("cotton", "maize"), encoding="utf-8")
    (corpus / "new-report.md").write_text("# New\n\nSome new text about child labour in the fields.\n")
    (corpus / ARTICLE).unlink()
    line = stale_warning(built)
    assert line is not None and "\n" not in line
    assert f"changed: {REPORT}" in line and "added: new-report.md" in line and f"removed: {ARTICLE}" in line
    assert "`qa index build`" in line


def test_same_size_edit_with_a_restored_mtime_is_missed_only_by_design(built: Settings) -> None:
    # the cheap check trusts size + mtime (as make and git do); an edit that keeps both is invisible
    report = built.corpus_dir / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("cotton", "Cotton"), encoding="utf-8")
    assert stale_warning(built) is not None  # the mtime moved: hashed, and it differs
    os.utime(report, (AN_HOUR_AGO, AN_HOUR_AGO))
    assert stale_warning(built) is None


def test_a_catalog_edit_is_reported(built: Settings) -> None:
    (built.corpus_dir / "catalog.toml").write_text('["testland-2019"]\ncountry = "Testland"\n', encoding="utf-8")
    assert "changed: catalog.toml" in (stale_warning(built) or "")


def test_rebuilding_clears_the_warning(built: Settings) -> None:
    (built.corpus_dir / REPORT).write_text("In 2019, Testland made no advancement. (1)\n\nREFERENCES\n\n1. A. B.\n")
    assert stale_warning(built) is not None
    build(built)
    assert stale_warning(built) is None


def test_a_file_written_during_the_build_second_gets_no_stat(settings: Settings, tiny_corpus: Path,
                                                             hashed: list[str]) -> None:
    build(settings)  # the files were written just now: an edit in the same tick would keep size and mtime
    entries = read_manifest(settings)["documents"].values()
    assert all(e["stat"] is None for e in entries)
    hashed.clear()
    assert stale_warning(settings) is None
    assert sorted(hashed) == sorted([REPORT, ARTICLE])  # so the check reads them instead


def test_no_index_or_no_corpus_gives_no_warning(settings: Settings, tiny_corpus: Path) -> None:
    assert stale_warning(settings) is None  # loading reports a missing index itself


def test_qa_ask_prints_the_warning_once_on_stderr(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = Answer(answer="The CNLTE coordinates enforcement [2].", citations=(), sources=(), abstained=False,
                    confidence=0.5)
    monkeypatch.setattr(ask_module, "ask_in_process", lambda *a, **k: answer)
    (built.corpus_dir / REPORT).write_text("In 2019, Testland made no advancement. (1)\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ask", "--local", "Who coordinates enforcement?"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("The CNLTE coordinates enforcement [2].")
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and REPORT in lines[0], result.stderr
    build(built)
    result = CliRunner().invoke(app, ["ask", "--local", "Who coordinates enforcement?"])
    assert result.exit_code == 0 and result.stderr == ""


def test_qa_serve_prints_the_warning_before_serving(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    (built.corpus_dir / "added.txt").write_text("In 2019, Testland made no advancement.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 1 and "added: added.txt" in warnings[0]


def test_qa_chat_prints_the_warning_before_loading(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qa.assistant, "Assistant", lambda settings: FakeAssistant())
    (built.corpus_dir / ARTICLE).unlink()
    result = CliRunner().invoke(app, ["chat"], input="/quit\n")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 1 and f"removed: {ARTICLE}" in warnings[0]
    assert "warning" not in result.stdout
