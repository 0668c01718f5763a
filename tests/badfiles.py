"""Bad corpus files as a real corpus folder collects them (issue 16), made here, deterministically.

``write_bad_files(folder)`` writes seven files and returns, for each file name, a fragment of the
reason it must be listed with (``None``: the file must be indexed, not refused).
"""

from __future__ import annotations

import random
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from qa.config import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "corpus"
LATIN1_TEXT = (
    "Note sur la bibliothèque municipale\n\n"
    "La bibliothèque ouvre à huit heures du matin et ferme à dix-huit heures. Les lecteurs empruntent "
    "des romans, des périodiques et des disques; le prêt est gratuit pour les élèves. Un café près de "
    "l'entrée accueille les étudiants qui révisent leurs examens d'été.\n"
)


def scanned_pdf(path: Path) -> Path:
    """A one-page PDF holding only an image (a scan without a text layer)."""
    image = Image.new("L", (240, 120), 255)
    for x in range(20, 220):
        for y in (40, 60, 80):
            image.putpixel((x, y), 0)  # lines that look like text to a person, not to a PDF reader
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def text_pdf(path: Path, paragraphs: int = 30) -> Path:
    """A small PDF with a real text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for i in range(paragraphs):
        pdf.set_x(10)
        pdf.multi_cell(180, 6, f"Paragraph {i}: children work in cotton fields and gold mines; "
                               f"inspectors visited {i + 3} farms in the region.")
    pdf.output(str(path))
    return path


def write_bad_files(folder: Path) -> dict[str, str | None]:
    scanned_pdf(folder / "scanned-report.pdf")
    (folder / "empty-download.txt").write_bytes(b"")
    (folder / "random-bytes.txt").write_bytes(random.Random(16).randbytes(3_000_000))
    full = text_pdf(folder / "truncated-report.pdf").read_bytes()
    (folder / "truncated-report.pdf").write_bytes(full[: len(full) // 2])
    # the same document as the seed .txt, saved again as Markdown
    (folder / "ilo-2021-aejt-kayes-sikasso.md").write_text(
        (SEEDS / "ilo-2021-aejt-kayes-sikasso.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "note-latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "hello.txt").write_bytes(b"hello")  # a test upload saved in the corpus folder
    return {
        "scanned-report.pdf": "no text layer (scanned?); OCR it first",
        "empty-download.txt": "the file is empty",
        "random-bytes.txt": "binary data, not text",
        "truncated-report.pdf": "cannot read PDF",
        "ilo-2021-aejt-kayes-sikasso.md": "duplicate document id 'ilo-2021-aejt-kayes-sikasso', already taken by "
                                          "ilo-2021-aejt-kayes-sikasso.txt",
        "hello.txt": "too little text to be a report (1 word: 'hello')",
        "note-latin1.txt": None,  # a legacy encoding is decoded, not refused
    }


def seeds_with_bad_files(folder: Path) -> dict[str, str | None]:
    """Copy the seed corpus (documents and catalog) into ``folder`` and add the bad files."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    return write_bad_files(folder)
