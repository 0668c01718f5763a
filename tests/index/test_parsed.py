"""``qa index build`` and ``qa docs`` parse only files changed since the index in place was built:
with hundreds of PDF reports (seconds each), adding one must not re-parse every other."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TINY_REPORT, copy_tiny_index
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.config import Settings

_register()


@pytest.fixture
def parsed(settings: Settings, tiny_index: Path, parses: list[str]) -> list[str]:
    """The names of the files parsed from now on (the tiny index is in place, built from its corpus)."""
    copy_tiny_index(settings, tiny_index)
    return parses


def test_docs_lists_the_index_documents_without_parsing(parsed: list[str]) -> None:
    result = CliRunner().invoke(app, ["docs", "--json"])
    assert result.exit_code == 0, result.output
    assert parsed == []
    assert "testland-2019" in result.stdout and "kayes-article" in result.stdout


def test_build_after_adding_a_file_parses_that_file_only(parsed: list[str], settings: Settings) -> None:
    (settings.corpus_dir / "otherland-2019.txt").write_text(TINY_REPORT.replace("Testland", "Otherland"),
                                                           encoding="utf-8")
    result = CliRunner().invoke(app, ["index", "build"])
    assert result.exit_code == 0, result.output
    assert parsed == ["otherland-2019.txt"]
    assert "otherland-2019" in CliRunner().invoke(app, ["docs", "--json"]).stdout


def test_a_change_of_parsing_code_parses_everything_again(parsed: list[str], settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.index import status

    real = status.chunker_config
    monkeypatch.setattr(status, "chunker_config", lambda s: {**real(s), "code": "other"})
    CliRunner().invoke(app, ["docs", "--json"])
    assert sorted(parsed) == ["kayes-article.txt", "testland-2019.txt"]
