"""Render a parsed report to PDF with fpdf2, the way such reports are printed (issue 13's fixture).

Not USDOL's layout: another font (DejaVu Sans) and page size (A4), a running header and "Page N" footer, section headings in bold,
bordered tables (fpdf2 draws every cell border and repeats the header row when a table runs onto
the next page, with no "(Cont.)" title), notes under their table, and a numbered bibliography with
hanging numbers. Deterministic: the same Document always gives the same PDF.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from qa.models import Document

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def fonts_available() -> bool:
    return all((FONT_DIR / f).exists() for f in FONTS.values())


class _Printed(FPDF):
    def __init__(self, running_header: str) -> None:
        super().__init__(format="A4")
        self.running_header = running_header
        for style, name in FONTS.items():
            self.add_font("Body", style, str(FONT_DIR / name))
        self.set_auto_page_break(True, margin=22)
        self.set_margins(20, 20, 20)

    def header(self) -> None:
        self.set_font("Body", "", 8)
        self.cell(0, 5, self.running_header, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Body", "", 8)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")


def _row_cells(doc: Document, start: int, width: int) -> list[str]:
    # the whole printed line: a row's span stops before trailing empty cells
    end = doc.text.find("\n", start)
    cells = [c.strip() for c in doc.text[start:end if end >= 0 else None].split("\t")]
    # a short row printed the last columns' text (the label carried from the row above)
    cells = [""] * max(0, width - len(cells)) + cells
    return cells[:width]


def _table(pdf: _Printed, doc: Document, table_index: int) -> None:
    table = doc.tables[table_index]
    width = len(table.header)
    pdf.set_font("Body", "B", 10)
    pdf.multi_cell(0, 5, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Body", "", 8)
    with pdf.table(borders_layout="ALL", repeat_headings=1, headings_style=FontFace(emphasis="BOLD"),
                   line_height=4, text_align="LEFT") as out:
        head = out.row()
        for cell in table.header:
            head.cell(cell)
        for row in table.rows:
            line = out.row()
            for cell in _row_cells(doc, row.start, width):
                line.cell(cell)
    pdf.ln(2)
    for note in table.notes:
        pdf.multi_cell(0, 4, note.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def render_report(doc: Document, path: Path) -> Path:
    """Write ``doc`` as a printed-looking PDF at ``path``."""
    pdf = _Printed(f"{doc.meta.title or doc.id} | Country report")
    pdf.add_page()
    blocks: list[tuple[int, str, object]] = [(s.start, "section", s) for s in doc.sections if s.key]
    blocks += [(p.start, "paragraph", p) for p in doc.paragraphs]
    blocks += [(t.rows[0].start if t.rows else 0, "table", k) for k, t in enumerate(doc.tables)]
    blocks += [(n.start, "note", n) for n in doc.footnotes]
    seen_tables: set[int] = set()
    for _, kind, item in sorted(blocks, key=lambda b: b[0]):
        if kind == "section":
            pdf.ln(2)
            pdf.set_font("Body", "B", 12)
            pdf.multi_cell(0, 6, item.title, new_x="LMARGIN", new_y="NEXT")  # type: ignore[attr-defined]
            pdf.ln(2)
        elif kind == "table" and item not in seen_tables:
            seen_tables.add(item)  # type: ignore[arg-type]
            _table(pdf, doc, item)  # type: ignore[arg-type]
        elif kind in ("paragraph", "note"):
            pdf.set_font("Body", "", 10 if kind == "paragraph" else 8)
            pdf.multi_cell(0, 5, " ".join(item.text.split()), new_x="LMARGIN", new_y="NEXT")  # type: ignore[attr-defined]
            pdf.ln(3)
    pdf.set_font("Body", "", 9)
    for entry in doc.bibliography.entries:
        # a hanging number: the number in its own narrow column, the entry wrapped beside it
        y = pdf.get_y()
        if y > pdf.h - 40:
            pdf.add_page()
            y = pdf.get_y()
        pdf.set_x(20)
        pdf.cell(10, 4.5, str(entry.number))
        pdf.set_xy(30, y)
        pdf.multi_cell(0, 4.5, entry.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.output(str(path))
    return path


def main(argv: list[str]) -> None:
    """``python tests/ingest/render_report.py REPORT.txt OUT.pdf [TITLE]``"""
    from qa.ingest.parse import parse_text
    from qa.models import DocumentMeta

    source, out = Path(argv[0]), Path(argv[1])
    title = argv[2] if len(argv) > 2 else source.stem
    doc = parse_text(source.read_text(encoding="utf-8"),
                     DocumentMeta(id=source.stem, path=str(source), sha256="", title=title))
    render_report(doc, out)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
