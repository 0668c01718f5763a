"""Normalisation repairs extraction noise in code and never edits the document itself."""

from __future__ import annotations

import hashlib
import re

import pytest

from qa.config import PROJECT_ROOT
from qa.ingest.normalize import find_running_headers, fix_numeric_i, fix_symbols, normalize

MALI = PROJECT_ROOT / "corpus" / "usdol-2019-mali.txt"


@pytest.fixture(scope="module")
def mali_raw() -> str:
    return MALI.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mali_text(mali_raw: str) -> str:
    return normalize(mali_raw)


# --- symbols -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (r"allocated \$350,000 to", "allocated $350,000 to"),
        (r"Cultivating, \dagger harvesting", "Cultivating,† harvesting"),
        (r"Fishing\dagger (9,11)", "Fishing† (9,11)"),
        (r" $[\]ddagger$ Age calculated", " [‡] Age calculated"),
        (r"$[\]dagger$ Determined by national law", "[†] Determined by national law"),
        (r"^{*} Program was launched", "[*] Program was launched"),
        (r"15\% of children", "15% of children"),
    ],
)
def test_fix_symbols(raw: str, expected: str) -> None:
    assert fix_symbols(raw) == expected


def test_no_latex_escapes_left_in_the_mali_body(mali_text: str) -> None:
    body = mali_text[: mali_text.index("\nREFERENCES\n")]
    assert "\\$" not in body
    assert "\\dagger" not in body and "\\ddagger" not in body
    assert "$[" not in body
    assert "$350,000" in body and "$84,600" in body


# --- "I" / "II" standing for 1 / 11 ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Number of Investigations\tI (68)\t2 (4)", "Number of Investigations\t1 (68)\t2 (4)"),
        ("Number of Convictions\tI (68)\t0 (4)", "Number of Convictions\t1 (68)\t0 (4)"),
        ("a ratio approaching I inspector for every 40,000 workers",
         "a ratio approaching 1 inspector for every 40,000 workers"),
        ("au nord du Mali. August II,", "au nord du Mali. August 11,"),
        ("Table I. Statistics on Children's Work and Education",
         "Table 1. Statistics on Children's Work and Education"),
        ("Articles I and 7 of the Trafficking in Persons Law", "Articles 1 and 7 of the Trafficking in Persons Law"),
        ("S/2020/158/ Rev. I. March 18, 2020.", "S/2020/158/ Rev. 1. March 18, 2020."),
        ("- I ILO Committee of Experts.", "- 1 ILO Committee of Experts."),
        ("- II UCW.The Twin Challenges", "- 11 UCW.The Twin Challenges"),
    ],
)
def test_numeric_i_becomes_a_number(line: str, expected: str) -> None:
    assert fix_numeric_i(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR",
        "II. LEGAL FRAMEWORK FOR CHILD LABOR",
        "ILO. Pledges during IV Global Conference on the Sustained Eradication of Child Labor.",
        "World War II ended in 1945.",
        # the pronoun stays a pronoun (quotes in news articles are full of it)
        "Sometimes I work in the fields after school.",
        "When I went to the mine I was nine.",
        "as discussed in Section II of this report",
        "the list in Annex I of the Convention",
    ],
)
def test_roman_numerals_and_pronouns_are_left_alone(line: str) -> None:
    assert fix_numeric_i(line) == line


def test_mali_numeric_i_repaired_in_context(mali_text: str) -> None:
    assert "approaching 1 inspector for every 40,000 workers" in mali_text
    assert "Number of Investigations\t1 (68)\t2 (4)" in mali_text
    assert "au nord du Mali. August 11," in mali_text
    assert "\nTable 1. Statistics on Children's Work and Education\n" in mali_text
    assert "\nI. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR\n" in mali_text
    assert "IV Global Conference" in mali_text
    assert "Table I." not in mali_text and "approaching I " not in mali_text


# --- page furniture --------------------------------------------------------------------------------

def test_running_headers_and_page_numbers_removed(mali_raw: str, mali_text: str) -> None:
    assert re.search(r"^Mali$", mali_raw, re.M) and "MODERATE ADVANCEMENT" in mali_raw
    assert not re.search(r"^Mali$", mali_text, re.M)
    assert "MODERATE ADVANCEMENT" not in mali_text
    assert not re.search(r"^\s*\d{1,4}\s*$", mali_text, re.M)
    # the word itself is not removed from prose
    assert "Children in Mali engage" in mali_text


def test_stray_page_numbers_and_repeated_headers_removed() -> None:
    raw = (
        "Cotton Report\n\nChildren pick cotton in the south.\n\n12\n\nCotton Report\n\n"
        "Inspections rose in 2019.\n 13 \nMINIMAL ADVANCEMENT\n"
    )
    text = normalize(raw)
    assert text == "Children pick cotton in the south.\n\nInspections rose in 2019.\n"


def test_table_cell_holding_only_a_number_is_not_a_page_number() -> None:
    raw = "Table 1. Counts\n\nYear\tCount\n2018\t5\n\t7\n"
    assert normalize(raw) == raw


def test_running_headers_need_repetition() -> None:
    lines = ["Mali", "A sentence that ends.", "Mali", "Table 1. X", "Table 1. X", "Once"]
    assert find_running_headers(lines) == {"Mali"}


def test_blank_runs_collapse_and_line_endings_unify() -> None:
    assert normalize("a\r\n\r\n\r\n\r\nb\rc\u00a0d") == "a\n\nb\nc d\n"


def test_raw_file_is_not_modified(mali_raw: str) -> None:
    before = hashlib.sha256(MALI.read_bytes()).hexdigest()
    copy = str(mali_raw)
    text = normalize(mali_raw)
    assert text != mali_raw
    assert mali_raw == copy
    assert hashlib.sha256(MALI.read_bytes()).hexdigest() == before


def test_parsing_the_corpus_leaves_files_untouched() -> None:
    from qa.config import Settings
    from qa.ingest.corpus import load_corpus

    files = sorted((PROJECT_ROOT / "corpus").iterdir())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}
    load_corpus(Settings(corpus_dir=PROJECT_ROOT / "corpus"))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}
    assert before == after


def test_normalize_is_idempotent(mali_text: str) -> None:
    assert normalize(mali_text) == mali_text
