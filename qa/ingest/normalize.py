"""Repair PDF-extraction noise in code, so the documents themselves are never edited.

``normalize(raw)`` returns the normalised text that every span in a :class:`~qa.models.Document`
indexes into. It fixes LaTeX-escaped symbols, restores "I"/"II" that stand for 1/11 in numeric
positions, and drops page headers, footers and stray page numbers repeated through the body.
"""

from __future__ import annotations

import re
from collections import Counter

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)

# LaTeX residue from the extraction; order matters (bracketed forms before bare commands).
_SYMBOLS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\$\s*\[\s*\\?\]?\s*\\?ddagger\s*\]?\s*\$"), "[‡]"),
    (re.compile(r"\$\s*\[\s*\\?\]?\s*\\?dagger\s*\]?\s*\$"), "[†]"),
    (re.compile(r"\$?\^\{\s*\*\s*\}\$?"), "[*]"),
    (re.compile(r"\$?\^\{\s*\\?ddagger\s*\}\$?"), "‡"),
    (re.compile(r"\$?\^\{\s*\\?dagger\s*\}\$?"), "†"),
    (re.compile(r"[ \t]?\\ddagger\b"), "‡"),
    (re.compile(r"[ \t]?\\dagger\b"), "†"),
    (re.compile(r"\\\$"), "$"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\&"), "&"),
)

# "I" / "II" standing for 1 / 11 where only a number can stand.
_ONE = r"(?:II|I|l)"
_NUMERIC_I: tuple[re.Pattern[str], ...] = (
    # after words that take a number: "Table I.", "Articles I and 7", "Rev. I", "No. I" (not "Section II"
    # or "Annex II": reports number those with roman numerals)
    re.compile(rf"\b(?:Tables?|Articles?|Figure|Rev\.|No\.) (?P<n>{_ONE})\b"),
    # a date: "August II," / "March I, 2020"
    re.compile(rf"\b(?:{MONTHS}) (?P<n>{_ONE})(?=,|\s+\d{{4}}|\s*$)"),
    # a table cell that is only the number, maybe followed by its citation group: "I (68)"
    re.compile(rf"(?:\t|^)(?P<n>{_ONE})(?=\s*\(\d|\t|$)"),
    # a bibliography entry opened by its (damaged) number: "- I ILO ...", "- II UCW ..."
    re.compile(rf"^- (?P<n>{_ONE})(?=\s+[A-Z])"),
)

# a quantity between lower-case words: "a ratio approaching I inspector for every 40,000 workers"
_LOWER_I = re.compile(r"(?<=[a-z] )I(?= [a-z]+ (?:for|per|in|of|to)\b)")
# words after which a bare "I" can only be a quantity: the pronoun never follows a preposition
# ("with me", not "with I"), while it follows almost anything else ("Sometimes I work in ...")
_QUANTITY_CONTEXT = frozenset(
    "approaching approximately about around nearly almost roughly exactly of by to with from per".split()
)

# spaces only: a tab makes the line a table row whose one filled cell is a number
_BARE_PAGE_NUMBER = re.compile(r"^ *\d{1,4} *$")
_ADVANCEMENT = re.compile(r"^\s*(SIGNIFICANT|MODERATE|MINIMAL|NO)\s+ADVANCEMENT\b.*$")


def _to_digits(token: str) -> str:
    return token.replace("I", "1").replace("l", "1")


def fix_symbols(text: str) -> str:
    for pattern, repl in _SYMBOLS:
        text = pattern.sub(repl, text)
    return text


def fix_numeric_i(line: str) -> str:
    """Replace "I"/"II" used as 1/11 in positions where only a number makes sense."""
    for pattern in _NUMERIC_I:
        line = pattern.sub(
            lambda m: m.group(0)[: m.start("n") - m.start()] + _to_digits(m.group("n")), line
        )

    def quantity(m: re.Match[str]) -> str:
        before = line[: m.start()].split()
        if before and before[-1].lower() in _QUANTITY_CONTEXT:
            return "1"
        return m.group(0)

    return _LOWER_I.sub(quantity, line)


def find_running_headers(lines: list[str]) -> set[str]:
    """Short lines repeated on several pages (country name, assessment level) are page furniture."""
    counts = Counter(line.strip() for line in lines if line.strip() and "\t" not in line)
    headers = set()
    for text, n in counts.items():
        words = text.split()
        if n >= 2 and len(words) <= 4 and not text.endswith((".", ":", ")")) and not text.startswith(("-", "Table")):
            headers.add(text)
    return headers


def is_page_furniture(line: str, headers: set[str]) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    return stripped in headers or bool(_BARE_PAGE_NUMBER.match(line)) or bool(_ADVANCEMENT.match(line))


def normalize(raw: str) -> str:
    """Return the normalised text of a raw extraction (the raw string is not modified)."""
    text = fix_symbols(raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " "))
    lines = text.split("\n")
    headers = find_running_headers(lines)
    kept: list[str] = []
    for line in lines:
        if is_page_furniture(line, headers):
            continue
        line = fix_numeric_i(line.rstrip(" "))
        if not line.strip():
            # collapse runs of blank lines: block boundaries are what matters
            if kept and kept[-1] == "":
                continue
            line = ""
        kept.append(line)
    while kept and kept[0] == "":
        kept.pop(0)
    return "\n".join(kept).rstrip() + "\n"
