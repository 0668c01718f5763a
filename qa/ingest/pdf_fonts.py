"""Repairs to what a PDF font's ToUnicode map says its character codes are.

A ToUnicode map is written by the program that made the PDF, and some write the letters that were
typed rather than the glyphs that are drawn: with an "all caps" style, the capital C drawn for a
typed "c" is mapped back to "c". The map is one per font, so once the capital's code has been
mapped to "c", every capital C set in that font reads "c" ("Table 2. overview of children's Work by
Sector and activity", a running header "Moderate advanceMent" drawn in capitals).

The rule, from the font's own data only (never from the document's words), for a simple font (one
byte a code) with an explicit /Encoding, which names the glyph each code draws ("C" for 0x43 in
WinAnsiEncoding), and a ToUnicode map:
- the font is case-folded when its ToUnicode map and its encoding disagree somewhere, and every
  disagreement is of one kind: the encoding names a capital, the map gives that letter in lower
  case (ligatures and other compatibility forms agree modulo NFKC). A font whose encoding does not
  describe its codes (a symbolic font) disagrees in other ways too and is left alone;
- in a case-folded font those codes are read as the encoding's capital, unless the glyph widths
  contradict it: when the map also sends the encoding's own lower-case code to the letter, the
  capital's glyph must not be narrower than that one (capitals are wider: 0.743 against 0.511).
A font whose map agrees with its encoding (the usual case) is not touched.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from typing import Any

from pdfminer.pdffont import PDFFont, PDFSimpleFont
from pdfminer.pdfinterp import PDFResourceManager

log = logging.getLogger(__name__)


def _widths_agree(widths: Mapping[Any, Any], capital: int, small: int) -> bool:
    """The capital's glyph is not narrower than the small letter's (unknown widths do not veto)."""
    wide, narrow = widths.get(capital), widths.get(small)
    if not isinstance(wide, (int, float)) or not isinstance(narrow, (int, float)):
        return True
    return wide >= narrow


def _agree(named: str, text: str) -> bool:
    return named == text or unicodedata.normalize("NFKC", named) == unicodedata.normalize("NFKC", text)


def _folded(named: str, text: str) -> bool:
    """The encoding names a capital letter, the ToUnicode map gives it in lower case."""
    return len(named) == 1 and named.isupper() and named.lower() == text and named != text


def case_repairs(tounicode: Mapping[int, str], encoding: Mapping[int, str],
                 widths: Mapping[Any, Any]) -> dict[int, str]:
    """code -> the capital to read instead of the ToUnicode map's lower case (module docstring).

    ``tounicode`` is the font's ToUnicode map, ``encoding`` what its /Encoding names each code,
    ``widths`` its glyph widths by code; codes the encoding does not name are ignored.
    """
    disagreeing = {code: encoding[code] for code, text in tounicode.items()
                   if code in encoding and not _agree(encoding[code], text)}
    if not disagreeing or not all(_folded(named, tounicode[code]) for code, named in disagreeing.items()):
        return {}
    small_code = {named: code for code, named in encoding.items() if tounicode.get(code) == named}
    repairs: dict[int, str] = {}
    for code, named in disagreeing.items():
        small = small_code.get(named.lower())
        if small is None or _widths_agree(widths, code, small):
            repairs[code] = named
    return repairs


def repair_font(font: PDFFont, spec: dict[str, Any]) -> dict[int, str]:
    """Apply :func:`case_repairs` to a pdfminer font in place; returns what was changed."""
    if not isinstance(font, PDFSimpleFont) or "Encoding" not in spec or font.unicode_map is None:
        return {}
    tounicode = getattr(font.unicode_map, "cid2unichr", None)
    if not isinstance(tounicode, dict):
        return {}
    repairs = case_repairs(tounicode, font.cid2unicode, font.widths)
    if repairs:
        log.info("font %s: ToUnicode case repaired for %d codes", getattr(font, "fontname", "?"), len(repairs))
        tounicode.update(repairs)
    return repairs


class CaseRepairingResources(PDFResourceManager):
    """pdfminer's resource manager, handing out fonts with their ToUnicode case repaired."""

    def get_font(self, objid: object, spec: Any) -> PDFFont:
        font = super().get_font(objid, spec)
        # a cached font comes back on every page: repairing it again finds nothing left to change
        repair_font(font, spec if isinstance(spec, dict) else {})
        return font


def use_font_repairs(pdf: Any) -> None:
    """Make an open pdfplumber PDF read its fonts through :class:`CaseRepairingResources`.

    Must be called before any page's characters are read (pdfplumber caches them per page).
    """
    if hasattr(pdf, "rsrcmgr"):
        pdf.rsrcmgr = CaseRepairingResources()
