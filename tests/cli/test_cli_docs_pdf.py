"""``qa docs`` and ``qa chunks`` tell how much of a PDF's structure was recovered; a scan is one clear error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fpdf import FPDF
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.config import PROJECT_ROOT

PDF = PROJECT_ROOT / "tests" / "data" / "reports" / "usdol-2019-mali.pdf"
_register()


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    monkeypatch.setenv("QA_CORPUS_DIR", str(folder))
    monkeypatch.setenv("QA_EMBEDDER", "fake")
    return folder


def test_docs_and_chunks_show_what_came_out_of_a_pdf(corpus: Path) -> None:
    shutil.copy(PDF, corpus / PDF.name)
    runner = CliRunner()
    docs = runner.invoke(app, ["docs"])
    assert docs.exit_code == 0, docs.output
    assert "109 references, 11 tables (98 rows, from PDF)" in docs.stdout
    chunks = runner.invoke(app, ["chunks", "usdol-2019-mali"])
    assert chunks.exit_code == 0
    assert chunks.stdout.splitlines()[0] == (
        "usdol-2019-mali: read from PDF: 11 tables, 98 rows, 109 references recovered")


def test_a_scanned_pdf_is_one_readable_error(corpus: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100)  # a page with a drawing and no text layer, as a scan has
    pdf.output(str(corpus / "scan.pdf"))
    # one bad file never breaks the corpus (issue 16): the scan is listed as failed, with the reason
    result = CliRunner().invoke(app, ["docs"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "scan  FAILED  scan.pdf: no text layer (scanned?); OCR it first" in result.stdout
    chunks = CliRunner().invoke(app, ["chunks", "scan"])
    assert chunks.exit_code != 0 and "Traceback" not in chunks.output
    assert "scan.pdf: no text layer (scanned?); OCR it first" in chunks.stderr
