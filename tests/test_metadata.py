"""Document metadata inferred from the text: both seeds and the real report PDFs, without a catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.metadata import infer_meta
from qa.ingest.parse import parse_file, parse_text
from qa.models import Bibliography, DocumentMeta
from qa.text.countries import canonical, countries_in, find_mentions, lookup

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORTS = ROOT / "tests" / "data" / "reports"


def _bare(path: Path) -> DocumentMeta:
    return DocumentMeta(id=path.stem, path=str(path), sha256="")


@pytest.mark.parametrize(("name", "country", "year", "kind"), [
    ("usdol-2019-mali.txt", "Mali", 2019, "country-report"),
    ("ilo-2021-aejt-kayes-sikasso.txt", "Mali", 2021, "article"),
])
def test_seeds_without_catalog(name: str, country: str, year: int, kind: str) -> None:
    meta = parse_file(CORPUS / name, _bare(CORPUS / name)).meta
    assert (meta.country, meta.year, meta.kind) == (country, year, kind)
    assert meta.origin_of("country") == meta.origin_of("year") == "inferred"


def test_seed_report_level_from_the_running_header() -> None:
    meta = parse_file(CORPUS / "usdol-2019-mali.txt", _bare(CORPUS / "usdol-2019-mali.txt")).meta
    assert meta.level == "Moderate Advancement"


@pytest.mark.parametrize(("stem", "country", "year", "level"), [
    ("usdol-2018-mali", "Mali", 2018, "Moderate Advancement"),
    ("usdol-2019-mali", "Mali", 2019, "Moderate Advancement"),
    ("usdol-2020-mali", "Mali", 2020, "Minimal Advancement"),
    ("usdol-2019-burkina-faso", "Burkina Faso", 2019, "Minimal Advancement"),
    ("usdol-2019-niger", "Niger", 2019, "Moderate Advancement"),
    ("usdol-2019-senegal", "Senegal", 2019, "Moderate Advancement"),
])
def test_real_pdfs_without_catalog(stem: str, country: str, year: int, level: str) -> None:
    path = REPORTS / f"{stem}.pdf"
    meta = parse_file(path, _bare(path)).meta
    assert (meta.country, meta.year, meta.kind) == (country, year, "country-report")
    assert meta.level.startswith(level)
    # the series title comes from the PDF's own Title, else the title names country and edition
    assert meta.title in (f"{year} Findings on the Worst Forms of Child Labor: {country}",
                          f"{country} {year} country report")
    if meta.title.startswith(str(year)):  # the series title names the publisher
        assert meta.publisher.startswith("U.S. Department of Labor")


def test_reporting_year_not_publication_year() -> None:
    raw = ("Ghana\nMODERATE ADVANCEMENT\nIn 2017, Ghana made a moderate advancement in efforts. "
           "Published 30 September 2018.\nGhana\nMODERATE ADVANCEMENT\n")
    meta = infer_meta(DocumentMeta("x", "x", ""), raw, raw, Bibliography())
    assert (meta.country, meta.year, meta.kind) == ("Ghana", 2017, "country-report")


def test_catalog_overrides_and_is_canonical() -> None:
    raw = "In 2019, Mali made a moderate advancement in efforts to eliminate child labor.\n"
    given = DocumentMeta("x", "x", "", country="Ivory Coast", year=2018, synthetic=True)
    meta = infer_meta(given, raw, raw, Bibliography())
    assert (meta.country, meta.year, meta.synthetic) == ("Côte d'Ivoire", 2018, True)
    assert meta.origin_of("country") == "catalog" and meta.origin_of("level") == "inferred"


def test_country_named_most_when_there_is_no_opening() -> None:
    raw = "Workshop report\n\nChildren in Togo work. Togo's ministry met. Togolese unions and a Ghana visitor. Togo.\n"
    doc = parse_text(raw, DocumentMeta("x", "x", ""))
    assert doc.meta.country == "Togo" and doc.meta.kind == "article"


# --- the country gazetteer ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("What did the Burkinabè police do?", {"Burkina Faso"}),
    ("Ivorian children in Côte d’Ivoire", {"Côte d'Ivoire"}),
    ("Malians and the Nigerien army", {"Mali", "Niger"}),
    ("what is the minimum age in ghana", {"Ghana"}),
    ("Children in Somalia", {"Somalia"}),
    ("He will chad the turkey", set()),
    ("Guinea-Bissau and Equatorial Guinea", {"Guinea-Bissau", "Equatorial Guinea"}),
    # short names: the first word a one-word demonym is built on ("Burkinabe" -> "Burkina")
    ("How many pupils lost school in Burkina?", {"Burkina Faso"}),
    ("Trinidad and Bosnia", {"Trinidad and Tobago", "Bosnia and Herzegovina"}),
    # ... but not a qualifier ("South African"), nor an archipelago's first word (a surname here)
    ("South of the river, Marshall said", set()),
    # a two-part country's demonyms come joined by a comma in the data ("Antiguan,Barbudan")
    ("Barbudan fishermen", {"Antigua and Barbuda"}),
])
def test_countries_in(text: str, expected: set[str]) -> None:
    assert countries_in(text) == expected


def test_lookup_codes_and_forms() -> None:
    assert lookup("MLI").name == lookup("ML").name == lookup("malian").name == "Mali"  # type: ignore[union-attr]
    assert canonical("Republic of the Niger") == "Niger"
    assert lookup("Atlantis") is None
    assert lookup("Burkina").name == "Burkina Faso"  # type: ignore[union-attr]
    assert [m.demonym for m in find_mentions("Mali and Malian")] == [False, True]


def test_a_territory_iso_does_not_list_is_the_country_of_its_report() -> None:
    raw = "Kosovo\nMODERATE ADVANCEMENT\nIn 2019, Kosovo made a moderate advancement in efforts.\n"
    meta = infer_meta(DocumentMeta("x", "x", ""), raw, raw, Bibliography())
    assert (meta.country, meta.kind) == ("Kosovo", "country-report")
    lower = "In 2019, the government made a moderate advancement in efforts.\n"  # not a place name
    assert infer_meta(DocumentMeta("y", "y", ""), lower, lower, Bibliography()).country in ("", None)
