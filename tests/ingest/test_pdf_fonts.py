"""A font whose ToUnicode map folds capitals to lower case (qa.ingest.pdf_fonts).

Unit tests on made-up maps, then USDOL's own PDFs: only the 2018 Mali chapter has such fonts
(its bold Gill Sans), and its capitals read as capitals again; no other PDF's font changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.ingest.pdf_fonts import case_repairs

REPORTS = Path(__file__).resolve().parents[2] / "tests" / "data" / "reports"
MALI_2018 = REPORTS / "usdol-2018-mali.pdf"

WINANSI_LETTERS = {ord(c): c for c in "ACEacemn"}


def test_capitals_folded_to_lower_case_read_as_the_encoding_names_them() -> None:
    tounicode = {0x41: "a", 0x43: "c", 0x61: "a", 0x63: "c", 0x6D: "m"}
    widths = {0x41: 0.833, 0x43: 0.743, 0x61: 0.571, 0x63: 0.511, 0x6D: 0.9}
    assert case_repairs(tounicode, WINANSI_LETTERS, widths) == {0x41: "A", 0x43: "C"}


def test_a_font_holding_only_folded_capitals_is_repaired() -> None:
    # a running header's font: every code is a capital, the map says lower case; no "a" to compare
    assert case_repairs({0x41: "a", 0x4D: "M", 0x45: "e"}, {0x41: "A", 0x4D: "M", 0x45: "E"}, {}) == \
        {0x41: "A", 0x45: "E"}


def test_a_font_whose_map_agrees_with_its_encoding_is_left_alone() -> None:
    tounicode = {0x41: "A", 0x61: "a", 0xDE: "ﬁ"}
    assert case_repairs(tounicode, {0x41: "A", 0x61: "a", 0xDE: "fi"}, {}) == {}
    # a ligature written out by the map is not a disagreement (NFKC)
    assert case_repairs({0x41: "a", 0xDE: "fi"}, {0x41: "A", 0xDE: "ﬁ"}, {}) == {0x41: "A"}


def test_an_encoding_that_does_not_describe_the_codes_is_not_trusted() -> None:
    # a symbolic font: codes 1..n, its nominal encoding names other glyphs than the map
    tounicode = {0x41: "a", 0x42: "x", 0x43: "q"}
    assert case_repairs(tounicode, {0x41: "A", 0x42: "B", 0x43: "C"}, {}) == {}
    # nor does the map's capital for an encoding's lower case (the other direction) count
    assert case_repairs({0x41: "a", 0x61: "A"}, {0x41: "A", 0x61: "a"}, {}) == {}


def test_a_capital_narrower_than_the_small_letter_is_not_believed() -> None:
    tounicode = {0x43: "c", 0x63: "c", 0x45: "e", 0x65: "e"}
    widths = {0x43: 0.4, 0x63: 0.511, 0x45: 0.647, 0x65: 0.596}
    assert case_repairs(tounicode, {0x43: "C", 0x63: "c", 0x45: "E", 0x65: "e"}, widths) == {0x45: "E"}


# -- the real PDFs --------------------------------------------------------------------------------

def _font_repairs(path: Path) -> dict[str, dict[int, str]]:
    """font name -> the repairs made to it, for every font on every page (fonts built, no layout)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, dict_value

    from qa.ingest.pdf_fonts import repair_font

    resources = PDFResourceManager(caching=True)
    out: dict[str, dict[int, str]] = {}
    with path.open("rb") as handle:
        for page in PDFPage.create_pages(PDFDocument(PDFParser(handle))):
            for ref in dict_value(page.resources.get("Font", {})).values():
                spec: Any = dict_value(ref)
                font = resources.get_font(ref.objid if isinstance(ref, PDFObjRef) else None, spec)
                changed = repair_font(font, spec)
                if changed:
                    out.setdefault(font.fontname, {}).update(changed)
    return out


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.pdf")), ids=lambda p: p.stem)
def test_only_the_2018_mali_bold_font_is_repaired(path: Path) -> None:
    repairs = _font_repairs(path)
    if path != MALI_2018:
        assert repairs == {}
        return
    assert set(repairs) == {"KMCWKH+GillSans-Bold"}
    letters = repairs["KMCWKH+GillSans-Bold"]
    assert letters[0x43] == "C" and letters[0x4F] == "O"
    assert all(chr(code) == text for code, text in letters.items())  # WinAnsi capitals, by their codes


def test_2018_mali_headings_read_in_the_case_they_are_printed() -> None:
    if not MALI_2018.exists():
        pytest.skip(f"{MALI_2018} not present (copied in with the PDF reader)")
    import pdfplumber

    from qa.ingest.pdf_fonts import use_font_repairs

    with pdfplumber.open(str(MALI_2018)) as pdf:
        use_font_repairs(pdf)
        page = pdf.pages[0]
        bold = " ".join(w["text"] for w in page.extract_words(extra_attrs=["fontname"]) if "Bold" in w["fontname"])
    assert bold.startswith("MODERATE ADVANCEMENT")  # the running header, drawn in capitals
    assert "Table 2. Overview of Children’s Work by Sector and Activity" in bold
    assert "Children Age Percent" in bold  # Table 1's header row
