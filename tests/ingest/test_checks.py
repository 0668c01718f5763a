"""Content checks before parsing (qa/ingest/checks.py): type from content, encodings, binary, size, prose."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from badfiles import LATIN1_TEXT, SEEDS, scanned_pdf, text_pdf
from qa.errors import ParseError
from qa.ingest.checks import check_prose, control_ratio, decode_text, prose_stats, read_checked
from qa.ingest.parse import parse_text
from qa.models import DocumentMeta

BIG = 10**9
PROSE = "Children work in cotton fields and gold mines. Inspectors visited farms in the region in 2019.\n"


def refused(path: Path, max_bytes: int = BIG) -> str:
    with pytest.raises(ParseError) as info:
        read_checked(path, max_bytes)
    message = info.value.message
    assert message.startswith(f"{path.name}: ") and "\n" not in message and len(message) < 400
    return message


# -- refused, each with its reason ------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert refused(path) == "empty.txt: the file is empty"


def test_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(PROSE * 20, encoding="utf-8")
    size = path.stat().st_size
    assert refused(path, max_bytes=size - 1) == (
        f"huge.txt: {size:,} bytes is over the size limit of {size - 1:,} (QA_MAX_FILE_BYTES)")
    assert read_checked(path, max_bytes=size) == PROSE * 20


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "download.txt"
    path.write_bytes(random.Random(1).randbytes(200_000))
    assert refused(path).startswith("download.txt: binary data, not text (11% control bytes)")


def test_control_ratio() -> None:
    assert control_ratio(b"") == 0.0
    assert control_ratio(b"tab\tnewline\nform feed\x0ccr\r") == 0.0
    assert control_ratio(b"ab\x00\x01") == 0.5
    assert control_ratio(b"\x7f" + b"a" * 99) == pytest.approx(0.01)


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "scan.pdf")
    assert refused(path) == "scan.pdf: no text layer (scanned?); OCR it first"


def test_truncated_pdf_cannot_be_read(tmp_path: Path) -> None:
    full = text_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(full[: len(full) // 2])
    assert refused(path).startswith("cut.pdf: cannot read PDF")


def test_a_pdf_cut_short_near_its_end_is_refused_though_pypdf_would_read_it(tmp_path: Path) -> None:
    full = text_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(full[:-40])  # only the trailer lost: pypdf rebuilds the file and reads its text
    assert refused(path) == ("cut.pdf: cannot read PDF (the file is cut short: no %%EOF end marker; "
                             "an interrupted download? get the file again)")
    path.write_bytes(full + b"\n" * 100)  # bytes after the end marker are allowed
    assert "Paragraph 3" in read_checked(path, BIG)


@pytest.mark.parametrize(("content", "words"), [(b"hello", "1 word: 'hello'"), (b"# Title\n\nhi there.", "3 words")])
def test_too_few_words_are_no_report(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(content)
    assert refused(path).startswith(f"note.md: too little text to be a report ({words}")
    path.write_bytes(b"Children work in cotton fields.")  # the shortest statement a passage can cite
    assert read_checked(path, BIG) == "Children work in cotton fields."


def test_a_pdf_saved_as_txt_is_recognised_by_its_signature(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(text_pdf(tmp_path / "report.pdf").read_bytes())
    assert refused(path) == "report.txt: the file is a PDF saved as '.txt'; rename it to .pdf"


def test_text_saved_as_pdf_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    path.write_text(PROSE, encoding="utf-8")
    assert read_checked(path, BIG) == PROSE


def test_not_prose(tmp_path: Path) -> None:
    rnd = random.Random(2)
    garbage = bytes(rnd.randrange(33, 256) for _ in range(50_000))
    with pytest.raises(ParseError, match=r"^g.txt: the text does not read like prose \(5\d% letters, \d+ characters"):
        check_prose(garbage.decode("latin-1"), "g.txt")
    path = tmp_path / "garbage.txt"
    path.write_bytes(garbage)  # printable bytes only: no control bytes, so it reaches the decoder
    message = refused(path)
    assert any(m in message for m in ("does not read like prose", "has no words", "cannot tell the text encoding"))
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("1 2 3 4 5 6 7 8 9 10\n" * 20, encoding="utf-8")
    assert refused(numbers) == "numbers.txt: the text has no words; is it the right file?"


def test_prose_check_passes_the_seeds_and_a_table_heavy_page() -> None:
    for path in SEEDS.glob("*.txt"):
        stats = check_prose(path.read_text(encoding="utf-8"), path.name)
        assert stats.letter_ratio > 0.8 and stats.chars_per_token < 8
    table = "Table 6. Labor Law Enforcement\nOverview\t2018\t2019\nLabor Inspectors\t109 (68)\t113 (4)\n" * 30
    check_prose(table, "table.txt")
    assert prose_stats("").visible == 0


# -- decoded, not refused ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(LATIN1_TEXT.encode(encoding))
    assert read_checked(path, BIG) == LATIN1_TEXT


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                          (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks_are_honoured(tmp_path: Path, bom: bytes, encoding: str) -> None:
    path = tmp_path / "note.md"
    path.write_bytes(bom + LATIN1_TEXT.encode(encoding))
    assert read_checked(path, BIG) == LATIN1_TEXT


def test_markdown_tables_still_become_rows(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(PROSE + "\n| Year | Inspectors |\n|---|---|\n| 2019 | 113 |\n", encoding="utf-8")
    assert "2019\t113" in read_checked(path, BIG)


# -- property: the loaders raise only the documented error ------------------------------------------
def _load(path: Path) -> None:
    """What the corpus loader does with one file: check, then parse. May raise only ParseError."""
    text = read_checked(path, 5_000_000)
    parse_text(text, DocumentMeta(id=path.stem, path=str(path), sha256="0" * 64))


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return text_pdf(tmp_path_factory.mktemp("pdf") / "full.pdf", paragraphs=60).read_bytes()


def _loads_or_parse_error(path: Path) -> None:
    try:
        _load(path)
    except ParseError as exc:
        assert exc.message.startswith(f"{path.name}: ") or exc.message.startswith(f"{path.stem}: ")
        assert "\n" not in exc.message


FAST = hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".md", ".pdf"]))
def test_random_bytes_raise_only_parse_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _loads_or_parse_error(path)


@FAST
@given(cut=st.floats(min_value=0.0, max_value=1.0), flip=st.integers(min_value=0, max_value=10**6))
def test_truncated_or_damaged_pdfs_raise_only_parse_error(tmp_path: Path, pdf_bytes: bytes, cut: float,
                                                          flip: int) -> None:
    data = bytearray(pdf_bytes[: int(len(pdf_bytes) * cut)])
    if data and flip % 3 == 0:
        data[flip % len(data)] ^= 0xFF  # and sometimes one damaged byte
    path = tmp_path / "cut.pdf"
    path.write_bytes(bytes(data))
    _loads_or_parse_error(path)


_ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16-le", "utf-16", "shift_jis", "koi8-r", "mac_roman"]


@FAST
@given(parts=st.lists(st.tuples(st.text(max_size=300), st.sampled_from(_ENCODINGS)), min_size=1, max_size=6),
       suffix=st.sampled_from([".txt", ".md"]))
def test_mixed_encodings_raise_only_parse_error(tmp_path: Path, parts: list[tuple[str, str]], suffix: str) -> None:
    data = b"".join(text.encode(enc, errors="replace") for text, enc in parts)
    path = tmp_path / f"mixed{suffix}"
    path.write_bytes(data)
    _loads_or_parse_error(path)


@FAST
@given(text=st.text(min_size=1, max_size=2000))
def test_decoding_utf8_text_is_lossless(text: str) -> None:
    data = text.encode("utf-8")
    try:
        assert decode_text(data, "x.txt") == text
    except ParseError as exc:
        assert "binary data" in exc.message  # control characters are legal UTF-8 but not a document
