"""A PDF's title when the catalog names none (qa/ingest/parse.py with_pdf_title): its own Title, else
a series title printed in its running footer, else the text's."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from qa.ingest.parse import parse_file
from qa.ingest.pdf import margin_lines
from qa.models import DocumentMeta

BODY = ("In 2021, Testland made a moderate advancement in efforts to eliminate the worst forms of child "
        "labor. Inspectors visited farms in the cotton region and found children at work. ")


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.cell(0, 5, f"2021 FINDINGS ON THE WORST FORMS OF CHILD LABOR {self.page_no()}")


def _report(path: Path, title: str | None = None) -> Path:
    pdf = _Report()
    if title:
        pdf.set_title(title)
    pdf.set_font("helvetica", size=11)
    for page in range(3):
        pdf.add_page()
        pdf.multi_cell(180, 6, BODY * 8)
    pdf.output(str(path))
    return path


def _meta(path: Path) -> DocumentMeta:
    return DocumentMeta(id=path.stem, path=str(path), sha256="")


def test_a_pdf_without_a_title_is_titled_by_the_series_in_its_footer(tmp_path: Path) -> None:
    path = _report(tmp_path / "testland.pdf")
    assert "2021 FINDINGS ON THE WORST FORMS OF CHILD LABOR" in margin_lines(path)  # page numbers removed
    meta = parse_file(path, _meta(path)).meta
    assert meta.title == "2021 Findings on the Worst Forms of Child Labor: Testland"  # the opening names it
    assert meta.publisher == "U.S. Department of Labor, Bureau of International Labor Affairs"


def test_the_pdfs_own_title_wins_over_its_footer(tmp_path: Path) -> None:
    path = _report(tmp_path / "testland.pdf", title="Child Labour in Testland: A Field Study")
    assert parse_file(path, _meta(path)).meta.title == "Child Labour in Testland: A Field Study"


def test_a_footer_that_names_no_series_leaves_the_text_title(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(180, 6, "A Note on Rice Farming\n\n" + "Farmers in Segou plant rice along the river. " * 10)
    path = tmp_path / "note.pdf"
    pdf.output(str(path))
    assert margin_lines(path) == [] and parse_file(path, _meta(path)).meta.title == "A Note on Rice Farming"
