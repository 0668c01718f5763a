""".pdf and .md input: a PDF made from known text parses back; markdown headings and pipe tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from qa.index.chunk import chunk_document, render_row
from qa.config import Settings
from qa.errors import ParseError
from qa.models import Document, DocumentMeta
from qa.ingest.parse import parse_file, read_source


def _meta(path: Path) -> DocumentMeta:
    return DocumentMeta(id=path.stem, path=str(path), sha256="")


def _page(pdf: FPDF, lines: list[str], number: int) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in ["Cotton Report", *lines]:  # a running header on every page, as in printed reports
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(-20)
    pdf.cell(0, 6, str(number), align="C")  # the page number in the footer


# Known text, one list item per printed line; the paragraph in section I wraps so that a citation group
# opens a line, and continues in lower case on the next page.
PAGE_1 = [
    "Children at Work in Cotton: Country Assessment 2020",
    "",
    "I. PREVALENCE OF CHILD LABOR",
    "",
    "Children work in cotton fields during the harvest season.",
    "(1,2) Many children also work in artisanal gold mines where they are exposed",
    "to mercury. (3) In 2019, inspectors found 120 children at work on",
]
PAGE_2 = [
    "farms in Sikasso, (2, 4-5) according to the (CNLTE) report of 2019 (2011-2020).",
    "",
    "II. ENFORCEMENT OF LAWS ON CHILD LABOR",
    "",
    "Table 1. Labor Inspectors",
    "Overview\t2018\t2019",
    "Number of Labor Inspectors\t109 (4)\t113 (5)",
    "REFERENCES",
    "- 1 Ministry of Labour. Annual report on child labour. 2019. https://example.org/report.pdf",
    "- 2 ILO. Cotton supply chains study. 2018.",
    "- UNICEF. Children in mines. March 2, 2017. https://example.org/",
    "   - mines/page.html",
    "- 4 U.S. Embassy. Reporting. January 30, 2019.",
    "- 5 CIA. The World Factbook. 2020.",
]


@pytest.fixture(scope="module")
def pdf_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("pdf") / "cotton-2020.pdf"
    pdf = FPDF()
    _page(pdf, PAGE_1, 1)
    _page(pdf, PAGE_2, 2)
    pdf.output(str(path))
    return parse_file(path, _meta(path))


def test_pdf_text_is_extracted_and_furniture_removed(pdf_doc: Document) -> None:
    assert "Cotton Report" not in pdf_doc.text
    assert "\n1\n" not in pdf_doc.text and "\n2\n" not in pdf_doc.text
    assert pdf_doc.meta.title == "Children at Work in Cotton: Country Assessment 2020"
    assert pdf_doc.meta.kind == "country-report"


def test_pdf_sections_and_paragraphs(pdf_doc: Document) -> None:
    assert [s.key for s in pdf_doc.sections if s.key] == ["I", "II", "REFERENCES"]
    (body,) = [p for p in pdf_doc.paragraphs if p.section == "I"]
    assert body.text.startswith("Children work in cotton fields during the harvest season.")
    assert body.text.endswith("(2011-2020).")
    sentences = [(" ".join(s.text.split()), set(s.refs)) for s in body.sentences]
    assert sentences == [
        ("Children work in cotton fields during the harvest season. (1,2)", {1, 2}),
        ("Many children also work in artisanal gold mines where they are exposed to mercury. (3)", {3}),
        ("In 2019, inspectors found 120 children at work on farms in Sikasso, (2, 4-5) according to the "
         "(CNLTE) report of 2019 (2011-2020).", {2, 4, 5}),
    ]


def test_pdf_bibliography(pdf_doc: Document) -> None:
    bib = pdf_doc.bibliography
    assert [e.number for e in bib.entries] == [1, 2, 3, 4, 5]
    assert bib.warnings == ()
    assert bib.get(1).url == "https://example.org/report.pdf"  # type: ignore[union-attr]
    assert bib.get(2).text == "ILO. Cotton supply chains study. 2018."  # type: ignore[union-attr]
    assert bib.get(3).printed is None  # type: ignore[union-attr]
    assert bib.get(3).url == "https://example.org/mines/page.html"  # type: ignore[union-attr]


def test_pdf_table_stops_at_the_references_heading(pdf_doc: Document) -> None:
    (table,) = pdf_doc.tables
    assert table.title == "Table 1. Labor Inspectors"
    assert table.header == ("Overview", "2018", "2019")
    assert [r.label for r in table.rows] == ["Number of Labor Inspectors"]
    assert {c.label: c.refs for c in table.rows[0].cells} == {"2018": frozenset({4}), "2019": frozenset({5})}


def test_pdf_chunks(pdf_doc: Document) -> None:
    chunks = chunk_document(pdf_doc, Settings())
    for c in chunks:
        assert pdf_doc.text[c.start:c.end] == c.text
    kinds = [c.kind for c in chunks]
    assert kinds.count("reference") == 5 and kinds.count("table-row") == 1
    (row,) = [c for c in chunks if c.kind == "table-row"]
    assert row.refs == frozenset({4, 5}) and row.context == "Table 1. Labor Inspectors | Overview | 2018 | 2019"
    assert render_row(pdf_doc.tables[0], pdf_doc.tables[0].rows[0], 5) == (
        "Table 1. Labor Inspectors | Number of Labor Inspectors | 2018: 109 [4] | 2019: 113 [5]")


# --- markdown --------------------------------------------------------------------------------------

MARKDOWN = """# Cotton and Child Labour

## Prevalence

Children work in cotton fields during the harvest. (1,2) Many also work in mines. (3)

## Sectors

| Sector | Activity |
|:-------|---------:|
| Agriculture | Picking cotton (1) |
|  | Herding cattle (2) |
| Industry | Gold mining (3) |

The table above lists sectors.

## References

- 1 Ministry of Labour. Annual report. 2019. https://example.org/report.pdf
- 2 ILO. Cotton study. 2018.
- 3 UNICEF. Mines. 2017. https://example.org/mines
"""


@pytest.fixture(scope="module")
def md_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("md") / "cotton.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return parse_file(path, _meta(path))


def test_markdown_headings_become_sections(md_doc: Document) -> None:
    titled = [(s.key, s.title) for s in md_doc.sections if s.key]
    assert titled == [("1", "Cotton and Child Labour"), ("2", "Prevalence"), ("3", "Sectors"),
                      ("REFERENCES", "References")]
    assert md_doc.meta.title == "Cotton and Child Labour"
    (p,) = [p for p in md_doc.paragraphs if p.section == "2"]
    assert p.heading_path == ("Prevalence",)
    assert [(s.text, set(s.refs)) for s in p.sentences] == [
        ("Children work in cotton fields during the harvest. (1,2)", {1, 2}),
        ("Many also work in mines. (3)", {3}),
    ]


def test_markdown_pipe_table_becomes_a_table(md_doc: Document) -> None:
    (table,) = md_doc.tables
    assert table.number == 1
    assert table.title == "Table 1. Sectors"
    assert table.section == "3"
    assert table.header == ("Sector", "Activity")
    assert [r.label for r in table.rows] == ["Agriculture", "Agriculture", "Industry"]
    assert [[(c.label, c.text, set(c.refs)) for c in r.cells] for r in table.rows] == [
        [("Activity", "Picking cotton (1)", {1})],
        [("Activity", "Herding cattle (2)", {2})],
        [("Activity", "Gold mining (3)", {3})],
    ]
    assert not any("|" in p.text or "---" in p.text for p in md_doc.paragraphs)
    assert [p.text for p in md_doc.paragraphs if p.section == "3"] == ["The table above lists sectors."]


def test_markdown_bibliography_and_chunks(md_doc: Document) -> None:
    assert len(md_doc.bibliography) == 3 and md_doc.bibliography.warnings == ()
    chunks = chunk_document(md_doc, Settings())
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert "cotton#t1/r0" in ids and "cotton#ref3" in ids
    for c in chunks:
        assert md_doc.text[c.start:c.end] == c.text


def test_markdown_file_is_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "cotton.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    parse_file(path, _meta(path))
    assert path.read_text(encoding="utf-8") == MARKDOWN


# --- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nthis is not really a pdf\n", b"", b"\x00\x01garbage" * 50, b"%PDF-1.7\n1 0 obj << /Type /Cat"],
)
def test_corrupt_pdf_is_a_readable_parse_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken-report.pdf"
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        parse_file(path, _meta(path))
    message = info.value.message
    assert message.startswith("broken-report.pdf: cannot read PDF")
    assert "\n" not in message and len(message) < 300


def test_pdf_without_text_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "scanned.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(path))
    with pytest.raises(ParseError, match=r"^scanned.pdf: no text layer \(scanned\?\); OCR it first$"):
        read_source(path)


@pytest.mark.parametrize("name", ["report.docx", "report.html", "report"])
def test_unsupported_extension_is_a_readable_parse_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Children work in cotton fields.", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_file(path, _meta(path))
    assert info.value.message.startswith(f"{name}: unsupported file type")
    assert ".txt, .md or .pdf" in info.value.message
