"""The Mali report's 109-entry bibliography, recovered from a damaged extraction."""

from __future__ import annotations

import pytest

from qa.ingest.bibliography import extract_url, parse_bibliography
from qa.config import PROJECT_ROOT
from qa.models import Document, DocumentMeta
from qa.ingest.parse import parse_text

MALI = PROJECT_ROOT / "corpus" / "usdol-2019-mali.txt"


@pytest.fixture(scope="module")
def mali() -> Document:
    return parse_text(MALI.read_text(encoding="utf-8"), DocumentMeta(id="usdol-2019-mali", path=str(MALI), sha256=""))


@pytest.fixture(scope="module")
def raw() -> str:
    return MALI.read_text(encoding="utf-8")


def test_exactly_109_entries_numbered_in_sequence(mali: Document) -> None:
    assert [e.number for e in mali.bibliography.entries] == list(range(1, 110))
    assert len(mali.bibliography) == 109


def test_no_warnings_for_the_mali_report(mali: Document) -> None:
    assert mali.bibliography.warnings == ()


# number -> (exact entry text, exact url or None); each states how its number was damaged
EXPECTED = {
    # "- I ILO": OCR turned 1 into I
    1: ("ILO Committee of Experts. Individual Direct Request concerning Forced Labour Convention, 1930 (No. 29) "
        "Mali (ratification: 1960). Published: 2017. http://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:"
        "P13100 COMMENT ID:3276821.", "http://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100"),
    2: ("U.S. Embassy- Bamako. Reporting. February 23, 2018.", None),
    # "- II UCW": 11 read as II
    11: ("UCW.The Twin Challenges of Child Labour and Educational Marginalisation in the ECOWAS Region:An Overview. "
         "July 1, 2014. Source on file.", None),
    # printed number missing; the URL is broken by a space before ":P13100"
    13: ("ILO Committee of Experts. Individual Observation concerning Worst Forms of Child Labour Convention, 1999 "
         "(No. 182) Mali (ratification: 2000). Published: 2016. http://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::"
         "NO:13100 :P13100_COMMENT_ID:3245461:NO.",
         "http://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100_COMMENT_ID:3245461:NO"),
    14: ("Djire, Doussou. Orpaillage: Une nouvelle politique en marche. L'Essor, October 4, 2017. "
         "https://maliactu.net/mali-orpaillage-une-nouvelle-politique-en-marche.",
         "https://maliactu.net/mali-orpaillage-une-nouvelle-politique-en-marche"),
    # 15-19: five printed numbers missing in a row
    15: ("Human Rights Watch. Submission for the Universal Periodic Review of Mali. June 30, 2017. "
         "https://www.hrw.org/print/305985.", "https://www.hrw.org/print/305985"),
    16: ("Vella, Heidi. Mining in Mali: balancing prospects and problems. Mining Technology, July 2, 2017. "
         "http://www.mining-technology.com/features/featuremining-in-malibalancing-prospects-and-problems-5852488/.",
         "http://www.mining-technology.com/features/featuremining-in-malibalancing-prospects-and-problems-5852488/"),
    17: ("Doumbia, Amadou. Mali: Travail des enfants: Le combat de l'Ong 'GRADEM' pour l'application des textes. "
         "Le Témoin, April 19, 2016. http://maliactu.net/mali-travail-des-enfants-le-combat-de-long-gradempour-"
         "lapplication-des-textes/.",
         "http://maliactu.net/mali-travail-des-enfants-le-combat-de-long-gradempour-lapplication-des-textes/"),
    18: ("UN Committee on the Elimination of Discrimination against Women. Concluding observations on the combined "
         "sixth and seventh periodic reports of Mali. July 25, 2016: CEDAW/C/MLI/CO/6-7. "
         "http://tbinternet.ohchr.org/_layouts/treatybodyexternal/Download. aspx?symbolno=CEDAW/C/MLI/CO/6-7&Lang=En.",
         "http://tbinternet.ohchr.org/_layouts/treatybodyexternal/Download.aspx?symbolno=CEDAW/C/MLI/CO/6-7&Lang=En"),
    19: ("Dune Voices. Le travail des enfants à Tombouctou, un danger pour des générations d'élèves. "
         "February 22, 2016. http://dune-voices.info/public/index.php/fr/société-mali-fr/item/677-letravail-des-"
         "enfants-à-tombouctou,-un-danger-pour-des-générationsd'élèves.",
         "http://dune-voices.info/public/index.php/fr/société-mali-fr/item/677-letravail-des-enfants-à-tombouctou,"
         "-un-danger-pour-des-générationsd'élèves"),
    # "Report- 2019: 20 Mali": the number was displaced into the entry
    20: ("U.S. Department of State. Trafficking in Persons Report- 2019: Mali. Washington, DC, June 24, 2019. "
         "https://www.state.gov/reports/2019-trafficking-in-persons-report-2/mali/.",
         "https://www.state.gov/reports/2019-trafficking-in-persons-report-2/mali/"),
    # missing number, and "38 enfants" must not be mistaken for one
    21: ("Connection Ivorienne. 38 enfants interceptés au Burkina en partance pour des sites d'orpaillage en "
         "Côte-d'Ivoire et au Mali. February 4, 2020. https://www.connectionivoirienne.net/2020/02/04/38-enfants"
         "interceptes-au-burkina-en-partance-pour-des-sites-dorpaillage-en-cotedivoire-et-au-mali/.",
         "https://www.connectionivoirienne.net/2020/02/04/38-enfantsinterceptes-au-burkina-en-partance-pour-des-"
         "sites-dorpaillage-en-cotedivoire-et-au-mali/"),
    # "Report- 2017: 23 Mali": displaced
    23: ("U.S. Department of State. Trafficking in Persons Report- 2017: Mali. Washington, DC, June 27, 2017. "
         "https://www.state.gov/reports/2017-trafficking-in-persons-report/mali/.",
         "https://www.state.gov/reports/2017-trafficking-in-persons-report/mali/"),
    # "Worst 24 Forms": displaced into the title
    24: ("ILO Committee of Experts. Individual Direct Request concerning Worst Forms of Child Labour Convention, "
         "1999 (No. 182) Mali (ratification: 2000). Published: 2015. http://www.ilo.org/dyn/normlex/en/f?p=1000:"
         "13100:0::NO:13100 :P13100 COMMENT ID:3083661.",
         "http://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100"),
    28: ("U.S. Embassy- Bamako. Reporting. February 28, 2019.", None),
    # missing number, "August II," and a URL on a continuation line " - http..."
    29: ("Jeune Afrique, and Agence France-Presse. L'ONU dénonce la présence d'enfants soldats et de mineurs "
         "prisonniers au nord du Mali. August 11, http://www.jeuneafrique.com/465329/politique/lonu-denonce-la"
         "presence-denfants-soldats-et-de-mineurs-prisonniers-au-nord-du-mali/.",
         "http://www.jeuneafrique.com/465329/politique/lonu-denonce-lapresence-denfants-soldats-et-de-mineurs-"
         "prisonniers-au-nord-du-mali/"),
    # "March 2, 2020. 34": displaced to the end, after a date whose day must not be taken for it
    34: ("U.S. Embassy- Bamako. Reporting. March 2, 2020.", None),
    # continuation line whose URL the PDF broke at "view_doc. asp"
    36: ("UN Security Council. UN Security Council. Report of the Secretary-General: Children and Armed Conflict. "
         "A/73/907-S/2019/509. June 20, https://www.un.org/ga/search/view_doc. asp?symbol=S/2019/509&Lang=E.",
         "https://www.un.org/ga/search/view_doc.asp?symbol=S/2019/509&Lang=E"),
    42: ("Malijet.co. Insecurite: Près de 2 000 écoles fermées au Sahel. March 3, http://malijet.co/societe/"
         "education-societe/insecurite-pres-de-2-000ecoles-fermees-au-sahel.",
         "http://malijet.co/societe/education-societe/insecurite-pres-de-2-000ecoles-fermees-au-sahel"),
    45: ("BBC Afrique. Les enseignants maliens réclament des primes. April 12, 2019. "
         "https://www.bbc.com/afrique/region-47905149.", "https://www.bbc.com/afrique/region-47905149"),
    68: ("U.S. Embassy- Bamako. Reporting. January 30, 2019.", None),
    # 88, 89: printed numbers missing late in the list
    88: ("UNESCO. Technical workshop on the appropriation and planning of activities of the project empowering "
         "adolescent girls and young women through education in Mali. November 30, 2016: Concept Note. "
         "http://en.unesco.org/system/files/2a.en_concept_note_technical_workshop koica mali bamako "
         "28-30nov2016 0.pdf.", "http://en.unesco.org/system/files/2a.en_concept_note_technical_workshop"),
    89: ("Government of Mali official. E-mail communication to USDOL official. March 17, 2015.", None),
    # the first entry after the repeated page header ("Mali" / "MODERATE ADVANCEMENT") inside the list;
    # its URL was cut at "index. htm."
    96: ("ILO.Accélérer l'action pour l'élimination du travail des enfants dans les chaînes d'approvisionnement "
         "en Afrique. November 2018. https://www.ilo.org/ipec/projects/global/WCMS_698536/lang--en/index. htm.",
         "https://www.ilo.org/ipec/projects/global/WCMS_698536/lang--en/index.htm"),
    106: ("World Bank. Emergency Safety Nets project (Jigiséméjiri) (P127328). June 22, 2017: Implementation Status "
          "& Results Report -Sequence 08. http://documents.worldbank.org/curated/en/542931498142113523/pdf/ "
          "ISR-Disclosable-P127328-06-22-2017-1498142104683.pdf.",
          "http://documents.worldbank.org/curated/en/542931498142113523/pdf/ISR-Disclosable-P127328-06-22-2017-"
          "1498142104683.pdf"),
    108: ("ILO. Pledges during IV Global Conference on the Sustained Eradication of Child Labor. November 10, 2017. "
          "http://childlabour2017.org/en/resources/updates/pledges.",
          "http://childlabour2017.org/en/resources/updates/pledges"),
    # the last entry; its URL sits on a continuation line " - https..."
    109: ("ILO Committee of Experts. Individual Observation concerning Minimum Age Convention, 1973 (No. 138) Mali "
          "(ratification: 2002). Published: 2018. https://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:"
          "P13100_COMMENT_ID:3957128.",
          "https://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100_COMMENT_ID:3957128"),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_entry_text_and_url(mali: Document, number: int) -> None:
    entry = mali.bibliography.get(number)
    assert entry is not None and entry.number == number
    text, url = EXPECTED[number]
    assert entry.text == text
    assert entry.url == url


def test_enough_entries_checked() -> None:
    assert len(EXPECTED) >= 15
    assert {1, 11, 13, 15, 16, 17, 18, 19, 20, 23, 24, 34, 88, 89, 109} <= set(EXPECTED)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_entry_text_comes_from_the_source(mali: Document, raw: str, number: int) -> None:
    """Every word of an entry is in the raw file (apart from the repaired "August 11")."""
    entry = mali.bibliography.get(number)
    assert entry is not None
    for word in entry.text.replace("August 11,", "").split():
        assert word in raw, word
    # and the entry's span covers its lines in the normalised text
    span = mali.text[entry.start:entry.end]
    assert span.startswith("- ")
    assert entry.text.split()[0] in span and entry.text.split()[-1].rstrip(".") in span


def test_printed_numbers_are_kept_for_auditing(mali: Document) -> None:
    printed = {e.number: e.printed for e in mali.bibliography.entries}
    assert printed[1] == 1 and printed[11] == 11  # repaired OCR
    assert printed[20] == 20 and printed[24] == 24 and printed[34] == 34  # displaced, then found
    assert all(printed[n] is None for n in (13, 15, 16, 17, 18, 19, 21, 88, 89))  # lost
    assert all(p is None or p == n for n, p in printed.items())


def test_displaced_number_removed_from_the_text(mali: Document) -> None:
    assert " 24 " not in mali.bibliography.get(24).text  # type: ignore[union-attr]
    assert not mali.bibliography.get(34).text.endswith("34")  # type: ignore[union-attr]
    assert "2019: Mali" in mali.bibliography.get(20).text  # type: ignore[union-attr]


def test_continuation_lines_are_joined(mali: Document) -> None:
    for number in (29, 36, 45, 49, 53, 58, 109):
        entry = mali.bibliography.get(number)
        assert entry is not None and " - " not in entry.text.replace(" - NAPTIP", ""), entry
        assert entry.url is not None, number
    assert mali.bibliography.get(58).text.count("http://") == 2  # type: ignore[union-attr]


def test_page_headers_inside_the_list_are_ignored(mali: Document) -> None:
    for entry in mali.bibliography.entries:
        assert "MODERATE ADVANCEMENT" not in entry.text
        assert not entry.text.endswith(" Mali Mali")
    assert mali.bibliography.get(95).text.endswith("index. htm.")  # type: ignore[union-attr]


def test_every_entry_url_is_a_url(mali: Document) -> None:
    urls = [e.url for e in mali.bibliography.entries if e.url]
    assert len(urls) >= 60
    for url in urls:
        assert " " not in url and not url.endswith((".", ",", ";"))
        assert url.startswith(("http://", "https://", "www.")) or "/" in url


# --- synthetic bibliographies ----------------------------------------------------------------------

def _bib(lines: str):  # type: ignore[no-untyped-def]
    return parse_bibliography(lines, 0, len(lines))


def test_inconsistent_printed_number_is_reported_not_guessed() -> None:
    bib = _bib("- 1 First Author. A report. 2019.\n- 2 Second. B. 2018.\n- 7 Third. C. 2017.\n- Fourth. D.\n")
    assert [e.number for e in bib.entries] == [1, 2, 3, 4]
    assert bib.get(3).printed == 7 and bib.get(3).text == "Third. C. 2017."  # type: ignore[union-attr]
    assert len(bib.warnings) >= 1
    assert any("entry 3" in w and "7" in w for w in bib.warnings), bib.warnings


def test_a_lost_entry_shows_up_as_a_warning() -> None:
    bib = _bib("- 1 A. Report.\n- 3 C. Report.\n- 4 D. Report.\n")
    assert len(bib) == 3
    assert any("entry 2 is printed as 3" in w for w in bib.warnings)
    assert any("entry 3 is printed as 4" in w for w in bib.warnings)


def test_consistent_synthetic_bibliography_has_no_warnings() -> None:
    text = (
        "- 1 Ministry. Report on cotton. 2019. https://example.org/a.pdf\n"
        "- Someone. Lost number. June 2, 2018.\n"
        "- 3 Agency. Another. 2017.\n"
        "   - https://example.org/\n"
        "  continued/page.html\n"
        "- Last entry. March 4, 2020. 4\n"
    )
    bib = _bib(text)
    assert [(e.number, e.printed) for e in bib.entries] == [(1, 1), (2, None), (3, 3), (4, 4)]
    assert bib.warnings == ()
    assert bib.get(3).url == "https://example.org/continued/page.html"  # type: ignore[union-attr]
    assert bib.get(4).text == "Last entry. March 4, 2020."  # type: ignore[union-attr]


def test_warning_reaches_the_parsed_document() -> None:
    raw = ("Intro text about cotton. (1)\n\nREFERENCES\n\n- 1 A. Report. 2019.\n- 5 B. Report. 2018.\n")
    doc = parse_text(raw, DocumentMeta(id="synthetic", path="", sha256=""))
    assert len(doc.bibliography) == 2
    assert any("entry 2 is printed as 5" in w for w in doc.bibliography.warnings)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Report. 2019. https://www.ilo.org/ipec/WCMS_1/lang--en/index. htm.",
         "https://www.ilo.org/ipec/WCMS_1/lang--en/index.htm"),
        ("Report. http://a.org/docs/ file.pdf.", "http://a.org/docs/file.pdf"),
        ("Report. Source on file.", None),
        ("Report. www.example.org/page, then words.", "www.example.org/page"),
    ],
)
def test_extract_url(text: str, url: str | None) -> None:
    assert extract_url(text) == url


def test_ocr_damaged_digits_inside_printed_numbers_are_read() -> None:
    """"I7", "l2", "1O", "I03": 1 and 0 read as letters inside a longer number."""
    entries = [f"- {n} Source {n}. Reporting. May 5, 2019." for n in range(1, 104)]
    for n, damaged in ((17, "I7"), (12, "l2"), (10, "1O"), (103, "I03"), (100, "IOO")):
        entries[n - 1] = f"- {damaged} Source {n}. Reporting. May 5, 2019."
    bib = _bib("\n".join(entries) + "\n")
    assert len(bib) == 103 and bib.warnings == ()
    for n in (10, 12, 17, 100, 103):
        assert bib.get(n).text == f"Source {n}. Reporting. May 5, 2019."  # type: ignore[union-attr]
        assert bib.get(n).printed == n  # type: ignore[union-attr]


def test_a_word_of_letters_only_is_not_a_damaged_number() -> None:
    """"IOM" is a publisher, and "IO" at entry 3 is not 10: letters alone count only as the position."""
    bib = _bib("- 1 A. Report.\n- IOM Training report. 2017.\n- IO Io Publishing. 2018.\n- l0 Entry ten? no, four.\n")
    assert bib.get(2).text == "IOM Training report. 2017."  # type: ignore[union-attr]
    assert bib.get(3).text == "IO Io Publishing. 2018."  # type: ignore[union-attr]
    assert bib.get(4).printed == 10  # digits mixed with letters are a (wrong) printed number: warned
    assert any("entry 4 is printed as 10" in w for w in bib.warnings)


def test_a_number_belonging_to_an_entry_without_its_printed_number_stays() -> None:
    """Printed numbers lost at positions 2-4, each entry holding that very number as content."""
    text = ("- 1 A. Report. 2019.\n"
            "- ILO. Convention, 1930 (No. 2) Kenya. Published: 2015.\n"
            "- Government. Loi 3 046. Enacted: 1999.\n"
            "- Connection. 4 enfants interceptés. February 4, 2020.\n"
            "- U.S. Department of State. Report- 2019: 5 Kenya. Washington, DC.\n")
    bib = _bib(text)
    assert bib.get(2).text == "ILO. Convention, 1930 (No. 2) Kenya. Published: 2015."  # type: ignore[union-attr]
    assert bib.get(3).text == "Government. Loi 3 046. Enacted: 1999."  # type: ignore[union-attr]
    assert bib.get(4).text == "Connection. 4 enfants interceptés. February 4, 2020."  # type: ignore[union-attr]
    assert bib.get(5).text == "U.S. Department of State. Report- 2019: Kenya. Washington, DC."  # type: ignore[union-attr]
    assert [e.printed for e in bib.entries] == [1, None, None, None, 5]
