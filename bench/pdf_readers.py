"""Which PDF text library to build on: each candidate's text of the real USDOL PDFs through the same
parser, counting what survives (bibliography entries, tables, table cells that keep their citation
group) and the time taken.

    .venv/bin/python bench/pdf_readers.py [tests/data/reports/*.pdf]

Candidates: pypdf (plain and layout mode), pdfminer.six (LAParams defaults), pypdfium2, pdfplumber's
plain ``extract_text``, and ours (``qa.ingest.pdf``: pdfplumber words + tables + layout).
PyMuPDF is left out on purpose: AGPL.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from qa.ingest.parse import parse_text
from qa.ingest.pdf import read_pdf
from qa.models import DocumentMeta


def _pypdf(path: Path, mode: str = "plain") -> str:
    from pypdf import PdfReader

    return "\n\n".join(p.extract_text(extraction_mode=mode) or "" for p in PdfReader(str(path)).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _pdfium(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return "\n\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def _plumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n\n".join(p.extract_text() or "" for p in pdf.pages)


READERS: dict[str, Callable[[Path], str]] = {
    "pypdf plain": _pypdf,
    "pypdf layout": lambda p: _pypdf(p, "layout"),
    "pdfminer.six": _pdfminer,
    "pypdfium2": _pdfium,
    "pdfplumber extract_text": _plumber,
    "qa.ingest.pdf (pdfplumber)": read_pdf,
}


def main(paths: list[Path]) -> None:
    print("| reader | file | references | tables | cited table cells | seconds |")
    print("|---|---|---|---|---|---|")
    for name, reader in READERS.items():
        for path in paths:
            t0 = time.perf_counter()
            try:
                raw = reader(path)
            except ImportError as exc:
                print(f"| {name} | {path.stem} | not installed ({exc.name}) | | | |")
                break
            seconds = time.perf_counter() - t0
            doc = parse_text(raw, DocumentMeta(id=path.stem, path=str(path), sha256=""))
            # a table cell that kept its citation group ("113 (4)") under its column header
            rows = sum(1 for t in doc.tables for r in t.rows for c in r.cells if c.refs)
            print(f"| {name} | {path.stem} | {len(doc.bibliography)} | {len(doc.tables)} | {rows} | {seconds:.1f} |")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or sorted(Path("tests/data/reports").glob("*.pdf")))
