"""Content checks on a corpus file before it is parsed: is it a document at all, and can we read it?

A real corpus folder holds downloads gone wrong: scans without a text layer, empty files, binary
data saved as ``.txt``, legacy encodings. Each check refuses such a file with one readable line
(a :class:`~qa.errors.ParseError` naming the file), so the corpus loader can skip that document
and index the rest. The file's *content* decides how it is read, never its extension alone:

1. size: over ``QA_MAX_FILE_BYTES`` is refused before the file is read;
2. empty (or only whitespace) is refused;
3. a PDF is recognised by its signature (``%PDF-`` in the first KB, as readers accept it); one
   without its ``%%EOF`` end marker in the last KB was cut short (an interrupted download) and is
   refused before pypdf, which would rebuild it and index some of its pages, or none, as if scanned;
   the rest is read by the PDF reader; a PDF that yields no text has no text layer;
4. anything else must be text: UTF-8 (with or without BOM), a UTF-16/32 file with a BOM, or a
   legacy encoding that charset-normalizer recognises; data with more than 1% control bytes is
   binary and refused before any decoding is tried;
5. the extracted text must read like prose (see :func:`check_prose`) and hold at least a sentence's
   worth of words before it is chunked ("hello" saved as a .txt is not a report).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ParseError
from qa.ingest.parse import markdown_tables_to_rows, read_source

PDF_SIGNATURE = b"%PDF-"
PDF_SIGNATURE_WINDOW = 1024  # readers accept junk before the signature within the first KB
PDF_END_MARKER = b"%%EOF"
PDF_END_WINDOW = 1024  # the PDF reference has readers look for %%EOF within the last KB

# C0 controls other than tab, newline, vertical tab, form feed (page breaks in extracted text) and
# carriage return, plus DEL (28 of 256 byte values). Text has essentially none; random bytes ~11%.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"
MAX_CONTROL_RATIO = 0.01

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# Prose thresholds. Measured on the two seed documents and six USDOL country-report PDFs (Mali,
# Burkina Faso, Niger, Senegal; 2018-2020): letters are 0.87-0.97 of visible characters, 5.3-6.4
# characters per whitespace token, 0.86-0.98 of tokens hold a word. Random printable bytes decoded
# as Latin-1 or cp1252 give 0.53-0.57 letters and 73-113 characters per token. The limits sit
# between, with a wide margin on the prose side so that tables of figures and bibliographies of
# URLs pass. Written for languages that put spaces between words: a text in Chinese or Japanese
# would fail the characters-per-token limit.
MIN_LETTER_RATIO = 0.50
MAX_CHARS_PER_TOKEN = 20.0
MIN_WORD_TOKEN_RATIO = 0.50
_WORD = re.compile(r"[^\W\d_]{2,}")
# Fewer words than the shortest statement a passage can cite ("Children work in cotton fields.")
# is no report: a test upload ("hello"), a title alone, or what is left of a broken export.
MIN_WORDS = 5


@dataclass(frozen=True)
class ProseStats:
    visible: int  # non-whitespace characters
    letter_ratio: float  # letters / visible characters
    chars_per_token: float  # visible characters / whitespace-separated tokens
    word_token_ratio: float  # tokens containing a word of two letters or more / tokens


def read_checked(path: Path, max_bytes: int) -> str:
    """The raw text of corpus file ``path`` after every content check (what ``parse_text`` takes).

    Raises :class:`ParseError` ("<file name>: <reason>") when the file is too big, empty, binary,
    in an unknown encoding, a PDF without a text layer or unreadable, or not prose.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(f"{name}: {size:,} bytes is over the size limit of {max_bytes:,} "
                             f"(QA_MAX_FILE_BYTES)")
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if not data.strip():
        raise ParseError(f"{name}: the file is empty")
    if PDF_SIGNATURE in data[:PDF_SIGNATURE_WINDOW]:
        if PDF_END_MARKER not in data[-PDF_END_WINDOW:] and path.suffix.lower() == ".pdf":
            raise ParseError(f"{name}: cannot read PDF (the file is cut short: no %%EOF end marker; "
                             f"an interrupted download? get the file again)")
        text = _pdf_text(path)
    else:
        text = decode_text(data, name)
        if path.suffix.lower() in {".md", ".markdown"}:
            text = markdown_tables_to_rows(text)
    check_prose(text, name)
    return text


def _pdf_text(path: Path) -> str:
    if path.suffix.lower() != ".pdf":
        # the PDF reader goes by extension; a renamed PDF is easy for the user to fix
        raise ParseError(f"{path.name}: the file is a PDF saved as {path.suffix!r}; rename it to .pdf")
    try:
        text = read_source(path)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed PDF can raise almost anything inside pypdf
        detail = " ".join(str(exc).split())  # one line, whatever the library put in its message
        raise ParseError(f"{path.name}: cannot read PDF ({type(exc).__name__}: {detail})"[:300]) from None
    if not _WORD.search(text):
        raise ParseError(f"{path.name}: no text layer (scanned?); OCR it first")
    return text


def control_ratio(data: bytes) -> float:
    """Share of control bytes (not tab/newline/form feed/carriage return) in ``data``."""
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark opening ``data`` names (UTF-16/32 text is mostly zero bytes,
    which the binary check would count as control bytes), else None."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def decode_text(data: bytes, name: str) -> str:
    """Decode text: a BOM's encoding, else UTF-8, else a legacy encoding charset-normalizer finds.

    Raises :class:`ParseError` for binary data (control bytes over 1%) or an unknown encoding.
    """
    if encoding := bom_encoding(data):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(f"{name}: not valid {encoding.upper()} despite its byte-order mark") from None
    ratio = control_ratio(data)
    if ratio > MAX_CONTROL_RATIO:
        raise ParseError(f"{name}: binary data, not text ({ratio:.0%} control bytes); "
                         f"use a text file (UTF-8), a Markdown file or a PDF")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ParseError(f"{name}: cannot tell the text encoding; save the file as UTF-8")
    return str(best)


def prose_stats(text: str) -> ProseStats:
    tokens = text.split()
    visible = sum(len(t) for t in tokens)
    if not tokens:
        return ProseStats(0, 0.0, 0.0, 0.0)
    letters = sum(1 for t in tokens for ch in t if ch.isalpha())
    worded = sum(1 for t in tokens if _WORD.search(t))
    return ProseStats(visible, letters / visible, visible / len(tokens), worded / len(tokens))


def check_prose(text: str, name: str) -> ProseStats:
    """Refuse text that does not read like prose (letters and words per character).

    Raises :class:`ParseError` when the text has no words, fewer than :data:`MIN_WORDS`, too few
    letters, or tokens far longer than words (binary data decoded as a legacy encoding looks like that).
    """
    stats = prose_stats(text)
    words = _WORD.findall(text)
    if not words:
        raise ParseError(f"{name}: the text has no words; is it the right file?")
    if len(words) < MIN_WORDS:
        shown = " ".join(text.split())[:60]
        raise ParseError(f"{name}: too little text to be a report ({len(words)} "
                         f"word{'s' if len(words) > 1 else ''}: {shown!r}); is it the right file?")
    if (stats.letter_ratio < MIN_LETTER_RATIO or stats.chars_per_token > MAX_CHARS_PER_TOKEN
            or stats.word_token_ratio < MIN_WORD_TOKEN_RATIO):
        raise ParseError(
            f"{name}: the text does not read like prose ({stats.letter_ratio:.0%} letters, "
            f"{stats.chars_per_token:.0f} characters per word, {stats.word_token_ratio:.0%} of tokens are "
            f"words); is it the right file?")
    return stats
