"""Recover a report's numbered bibliography from a damaged extraction.

Printed numbers are often lost ("- Human Rights Watch. ..."), OCR-damaged ("- I ILO" is 1 — fixed
by normalisation; "I7", "l2", "1O", "I03" inside a longer number — read here) or displaced into
the entry ("Trafficking in Persons Report- 2019: 20 Mali", "... March 2, 2020. 34"). So an entry's
number is its position in the list, and every printed number found is checked against that
position; disagreements become warnings, never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.models import Bibliography, ReferenceEntry
from qa.ingest.normalize import MONTHS

_LEADING_NUMBER = re.compile(r"^(\d{1,4})\s+(?=\S)")
# a printed number whose 1s and 0s OCR read as letters: "I7", "l2", "1O", "I03", "IO"
_LEADING_OCR = re.compile(r"^([\dIlO]{1,4})\s+(?=\S)")
_OCR_DIGITS = str.maketrans("IlO", "110")
_STANDALONE_NUMBER = re.compile(r"(?<![\w/.:,$-])(\d{1,4})(?![\w/%:-]|[.,]\d)")
_DATE_BEFORE = re.compile(rf"(?:{MONTHS})\s*$")
# where a number belongs to the entry: "(No. 29)", "N° 92", "Loi 99 046", "38 enfants"; a displaced
# number sits at the end or before a capitalised word ("Report- 2019: 20 Mali")
_NUMBER_CONTENT_BEFORE = re.compile(r"(?:\(|\bNos?\.|N°)\s*$")
_NUMBER_CONTENT_AFTER = re.compile(r"\s*\)|\s+\d|\s+[a-zà-ÿ]")
_URL_START = re.compile(r"(?:https?://|www\.|\b[a-z0-9-]+\.(?:org|int|com|net|gov|fr|sn|info)/)\S*")
_URL_CONTINUATION = re.compile(r"^(?:[:_/?&=%.#]\S*|\S*[/?=_%&]\S*|[\w.-]+\.(?:html?|pdf|aspx|php)\.?)$")
# a file extension cut off after its dot: ".../index. htm."
_EXTENSION = re.compile(r"^(?:html?|pdf|aspx?|php)\.?$")


@dataclass(frozen=True)
class _RawEntry:
    text: str  # entry content joined from its lines, without the "- " bullets
    start: int
    end: int


def _split_entries(text: str, start: int, end: int) -> list[_RawEntry]:
    """Entries begin with "- " at the start of a line; indented " - ..." lines continue one."""
    entries: list[_RawEntry] = []
    parts: list[str] = []
    e_start = e_end = -1
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        if line.startswith("- "):
            if parts:
                entries.append(_RawEntry(" ".join(parts), e_start, e_end))
            parts, e_start = [line[2:].strip()], line_start
        elif parts:
            parts.append(re.sub(r"^\s*-\s*", "", line).strip())
        else:
            continue
        e_end = line_start + len(line.rstrip())
    if parts:
        entries.append(_RawEntry(" ".join(parts), e_start, e_end))
    return entries


def extract_url(text: str) -> str | None:
    """The entry's first URL, re-joined where the PDF broke it across a space."""
    m = _URL_START.search(text)
    if not m:
        return None
    url = m.group(0)
    for token in text[m.end():].split():
        if _URL_START.match(token):
            break
        if not (_URL_CONTINUATION.match(token) or (url.endswith(".") and _EXTENSION.match(token))):
            break
        url += token
    return url.rstrip(".,;")


def _displaced_number(text: str, expected: int) -> re.Match[str] | None:
    """A bare number equal to the expected position, not part of a date, id, amount or quantity."""
    for m in _STANDALONE_NUMBER.finditer(text):
        if int(m.group(1)) != expected:
            continue
        before, after = text[: m.start()], text[m.end():]
        if _DATE_BEFORE.search(before) or re.match(r",\s*\d{4}", after):
            continue
        if _NUMBER_CONTENT_BEFORE.search(before) or _NUMBER_CONTENT_AFTER.match(after):
            continue
        return m
    return None


def _leading_number(body: str, position: int) -> tuple[int, int] | None:
    """(printed number, end of its token) when the entry opens with its printed number.

    A token mixing digits with the letters OCR confuses for them ("I7", "1O") is read as a number;
    one of letters only ("I", "IO") could be a word, so it counts only when it reads as the
    expected position.
    """
    lead = _LEADING_NUMBER.match(body)
    if lead:
        return int(lead.group(1)), lead.end()
    ocr = _LEADING_OCR.match(body)
    if not ocr:
        return None
    token = ocr.group(1)
    number = int(token.translate(_OCR_DIGITS))
    if any(ch.isdigit() for ch in token) or number == position:
        return number, ocr.end()
    return None


def parse_bibliography(text: str, start: int, end: int) -> Bibliography:
    """Parse the entries between ``start`` and ``end`` of the normalised text."""
    entries: list[ReferenceEntry] = []
    warnings: list[str] = []
    for position, raw in enumerate(_split_entries(text, start, end), start=1):
        body, printed = raw.text, None
        lead = _leading_number(body, position)
        if lead:
            printed, cut = lead
            body = body[cut:]
            if printed != position:
                warnings.append(f"entry {position} is printed as {printed}: {body[:60]!r}")
        else:
            moved = _displaced_number(body, position)
            if moved:
                printed = position
                body = (body[: moved.start()].rstrip() + " " + body[moved.end():].lstrip()).strip()
        entries.append(ReferenceEntry(position, body.strip(), extract_url(body), printed, raw.start, raw.end))
    numbers = [e.printed for e in entries if e.printed is not None]
    if numbers and max(numbers) > len(entries):
        warnings.append(f"printed numbers reach {max(numbers)} but {len(entries)} entries were found")
    return Bibliography(tuple(entries), tuple(warnings))
