"""Text -> Document: sections, paragraphs, tables, notes, and citation attachment."""

from __future__ import annotations

import pytest

from qa.config import PROJECT_ROOT
from qa.errors import ParseError
from qa.models import Document, DocumentMeta, Sentence, Table, TableRow
from qa.ingest.parse import parse_file, parse_text
from qa.ingest.sentences import split_sentences

CORPUS = PROJECT_ROOT / "corpus"


def _parse(name: str) -> Document:
    path = CORPUS / f"{name}.txt"
    return parse_file(path, DocumentMeta(id=name, path=str(path), sha256=""))


@pytest.fixture(scope="module")
def mali() -> Document:
    return _parse("usdol-2019-mali")


@pytest.fixture(scope="module")
def ilo() -> Document:
    return _parse("ilo-2021-aejt-kayes-sikasso")


def table(doc: Document, number: int) -> Table:
    (found,) = [t for t in doc.tables if t.number == number]
    return found


def row(t: Table, label_start: str) -> TableRow:
    (found,) = [r for r in t.rows if r.label.startswith(label_start)]
    return found


def cell(r: TableRow, label: str) -> Sentence:
    (found,) = [c for c in r.cells if c.label == label]
    return found


def sentence(doc: Document, start: str) -> Sentence:
    found = [s for p in doc.paragraphs for s in p.sentences if s.text.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


# --- structure -------------------------------------------------------------------------------------

def test_sections(mali: Document) -> None:
    keys = [s.key for s in mali.sections if s.key]
    assert keys == ["I", "II", "III", "IV", "V", "VI", "VII", "REFERENCES"]
    titles = {s.key: s.title for s in mali.sections}
    assert titles["I"] == "I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR"
    assert titles["III"] == "III. ENFORCEMENT OF LAWS ON CHILD LABOR"
    assert titles["VII"] == "VII. SUGGESTED GOVERNMENT ACTIONS TO ELIMINATE CHILD LABOR"
    # sections tile the text in order
    spans = [(s.start, s.end) for s in mali.sections]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    for s in mali.sections:
        if s.key:
            assert mali.text[s.start:].startswith(s.title)


def test_paragraphs_belong_to_their_sections(mali: Document) -> None:
    by_key = {s.key: s for s in mali.sections}
    for p in mali.paragraphs:
        sec = by_key[p.section]
        assert sec.start <= p.start and p.end <= sec.end
        assert p.section != "REFERENCES"
    first = [p for p in mali.paragraphs if p.section == "I"][0]
    assert first.text.startswith("Children in Mali engage in the worst forms of child labor")
    assert first.heading_path == ("I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR",)


def test_subheadings_extend_the_heading_path(mali: Document) -> None:
    p = [p for p in mali.paragraphs if p.text.startswith("The number of labor inspectors is likely")][0]
    assert p.heading_path == ("III. ENFORCEMENT OF LAWS ON CHILD LABOR", "Labor Law Enforcement")
    p = [p for p in mali.paragraphs if p.text.startswith("In 2019, the BPMC employed 25 staff")][0]
    assert p.heading_path == ("III. ENFORCEMENT OF LAWS ON CHILD LABOR", "Criminal Law Enforcement")


def test_paragraph_cut_by_a_page_break_is_rejoined(mali: Document) -> None:
    (p,) = [p for p in mali.paragraphs if "Although the government made meaningful efforts" in p.text]
    assert p.text.startswith("In 2019, Mali made a moderate advancement")
    assert "in all relevant areas, the Malian Armed Forces" in p.text


def test_eleven_tables_with_titles(mali: Document) -> None:
    assert [t.number for t in mali.tables] == list(range(1, 12))
    assert table(mali, 6).title == "Table 6. Labor Law Enforcement Efforts Related to Child Labor"
    assert table(mali, 1).title == "Table 1. Statistics on Children's Work and Education"  # was "Table I."
    assert table(mali, 6).header == ("Overview of Labor Law Enforcement", "2018", "2019")
    assert table(mali, 6).section == "III"


def test_continued_table_is_one_table(mali: Document) -> None:
    t2 = table(mali, 2)
    assert t2.title == "Table 2. Overview of Children's Work by Sector and Activity"
    assert "Cont" not in t2.title
    assert len(t2.rows) == 13
    assert [r.index for r in t2.rows] == list(range(13))
    labels = [r.label for r in t2.rows]
    assert labels[:5] == ["Agriculture", "Agriculture", "Agriculture", "Industry", "Industry"]
    assert any(c.text.startswith("Forced begging by Koranic teachers") for r in t2.rows for c in r.cells)
    t11 = table(mali, 11)
    assert len([t for t in mali.tables if t.number == 11]) == 1
    assert any("Publish information on enforcement efforts" in c.text for r in t11.rows for c in r.cells)


def test_table_source_notes_belong_to_their_table(mali: Document) -> None:
    notes = table(mali, 1).notes
    assert [n.text.split(":")[0] for n in notes] == ["Source for primary completion rate", "Source for all other data"]
    assert [n.refs for n in notes] == [frozenset({7}), frozenset({8})]
    assert all(not n.text.startswith("Source") for t in mali.tables if t.number != 1 for n in t.notes)


def test_footnote_belongs_to_table_2(mali: Document) -> None:
    notes = [n.text for n in table(mali, 2).notes]
    assert any(n.startswith("[†] Determined by national law or regulation as hazardous") for n in notes)
    assert not any("Determined by national law" in n.text for t in mali.tables if t.number != 2 for n in t.notes)
    assert [n.text for n in table(mali, 4).notes] == ["[‡] Age calculated based on available information (53)"]
    assert table(mali, 4).notes[0].refs == frozenset({53})
    assert any(n.text.startswith("[*] Program was launched") for n in table(mali, 10).notes)


def test_two_line_header_merged(mali: Document) -> None:
    t4 = table(mali, 4)
    assert t4.header == ("Standard", "Meets International Standards", "Age", "Legislation")
    r = row(t4, "Minimum Age for Work")
    assert cell(r, "Meets International Standards").text == "Yes"
    assert cell(r, "Age").text == "15"
    assert cell(r, "Legislation").refs == frozenset({48})
    assert len(t4.rows) == 12


def test_table_cells_carry_their_own_groups(mali: Document) -> None:
    r = row(table(mali, 6), "Number of Labor Inspectors")
    assert cell(r, "2018").text == "109 (68)" and cell(r, "2018").refs == frozenset({68})
    assert cell(r, "2019").text == "113 (4)" and cell(r, "2019").refs == frozenset({4})
    r = row(table(mali, 6), "Inspectorate Authorized to Assess Penalties")
    assert cell(r, "2018").refs == frozenset({68}) and cell(r, "2019").refs == frozenset({4, 49})
    r = row(table(mali, 7), "Number of Investigations")
    assert cell(r, "2018").text == "1 (68)"  # "I (68)" repaired
    r = row(table(mali, 6), "Number of Child Labor Penalties Imposed that Were Collected")
    assert cell(r, "2018").text == "Unknown(68)" and cell(r, "2018").refs == frozenset({68})


def test_rows_without_groups_take_the_source_note_refs(mali: Document) -> None:
    t1 = table(mali, 1)
    assert row(t1, "Working (% and population)").refs == frozenset({8})
    assert row(t1, "Attending School").refs == frozenset({8})
    assert row(t1, "Primary Completion Rate").refs == frozenset({7})
    assert cell(row(t1, "Working (% and population)"), "Percent").text == "49.2 (Unavailable)"


def test_every_span_slices_back_to_its_text(mali: Document, ilo: Document) -> None:
    for doc in (mali, ilo):
        for p in doc.paragraphs:
            assert doc.text[p.start:p.end] == p.text
            for s in p.sentences:
                assert doc.text[s.start:s.end] == s.text
                assert p.start <= s.start < s.end <= p.end
        for t in doc.tables:
            for r in t.rows:
                for c in r.cells:
                    assert doc.text[c.start:c.end] == c.text
                    assert r.start <= c.start < c.end <= r.end
            for n in t.notes:
                assert doc.text[n.start:n.end] == n.text


def test_sentences_cover_the_paragraph(mali: Document) -> None:
    for p in mali.paragraphs:
        joined = "".join(p.text[s.start - p.start:s.end - p.start] for s in p.sentences)
        assert "".join(joined.split()) == "".join(p.text.split())


# --- citation attachment ---------------------------------------------------------------------------

def test_school_closures_sentence(mali: Document) -> None:
    s = sentence(mali, "A total of 1,217 schools in conflict-affected zones remained closed")
    assert s.refs == frozenset({4, 42, 43, 44})


@pytest.mark.parametrize(
    ("start", "refs"),
    [
        ("Children in Mali engage in the worst forms of child labor, including", {1, 2, 3, 4, 5, 6}),
        # no group of its own: backed by the next group, which closes the run of sentences
        ("Some children are born into slavery", {31, 32}),
        ("According to the ILO's technical advice of a ratio approaching 1 inspector", {68, 69, 70, 71}),
        ("The number of labor inspectors is likely insufficient", {68, 69, 70, 71}),
        ("Research found evidence that the government provided in-kind support", {2, 20, 31, 34, 36, 75, 76, 77}),
        # after the paragraph's last group nothing backs it
        ("However, in both cases, it is unknown whether the government prosecuted", set()),
        ("Table 1 provides key indicators", set()),
    ],
)
def test_sentence_refs(mali: Document, start: str, refs: set[int]) -> None:
    assert sentence(mali, start).refs == frozenset(refs)


def test_group_backs_only_text_since_the_previous_group() -> None:
    text = "First claim. (1) Second claim. Third claim. (2,3) Fourth claim."
    out = split_sentences(text, 10, bibliography_size=5)
    assert [(s.text, set(s.refs)) for s in out] == [
        ("First claim. (1)", {1}),
        ("Second claim.", {2, 3}),
        ("Third claim. (2,3)", {2, 3}),
        ("Fourth claim.", set()),
    ]
    assert all(text[s.start - 10:s.end - 10] == s.text for s in out)


def test_abbreviations_do_not_end_sentences() -> None:
    text = "The U.S. Embassy and ILO C. 182 apply. (1) See No. 5 and Art. 3 too. (2)"
    out = split_sentences(text, 0, bibliography_size=5)
    assert [s.text for s in out] == ["The U.S. Embassy and ILO C. 182 apply. (1)", "See No. 5 and Art. 3 too. (2)"]


def test_years_in_parentheses_do_not_attach(mali: Document) -> None:
    r = row(table(mali, 9), "National Plan to Combat Child Labor (PANETEM) (2011–2020)")
    assert r.refs == frozenset({4, 9, 58, 68, 84})


# --- the ILO article (no bibliography) -------------------------------------------------------------

def test_article_without_bibliography(ilo: Document) -> None:
    assert len(ilo.bibliography) == 0 and ilo.bibliography.warnings == ()
    assert ilo.meta.kind == "article"
    assert ilo.meta.title.startswith("The ILO strengthens the capacities of the members of the Association")
    assert ilo.meta.published == "31 May 2021"
    assert ilo.tables == ()
    assert [p.text for p in ilo.paragraphs if p.text.startswith("Article |")] == ["Article | 31 May 2021"]
    assert ilo.paragraphs[0].text == ilo.meta.title
    assert all(not s.refs for p in ilo.paragraphs for s in p.sentences)
    assert [s.key for s in ilo.sections] == [""]


def test_catalog_metadata_wins_over_inference() -> None:
    path = CORPUS / "ilo-2021-aejt-kayes-sikasso.txt"
    doc = parse_file(path, DocumentMeta(id="x", path=str(path), sha256="", title="Given", kind="article",
                                        published="2021-05-31", year=2021))
    assert (doc.meta.title, doc.meta.published, doc.meta.year) == ("Given", "2021-05-31", 2021)


def test_report_kind_and_year_inferred(mali: Document) -> None:
    assert mali.meta.kind == "country-report"
    assert mali.meta.year == 2019
    # the seed has no title line: its opening sentence is no title, so one is made from what is known
    assert mali.meta.title == "Mali 2019 country report"
    assert mali.meta.origin_of("title") == "inferred"


# --- errors ----------------------------------------------------------------------------------------

def test_empty_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no text"):
        parse_text("  \n\n \n", DocumentMeta(id="empty", path="", sha256=""))


def test_unsupported_extension(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 not really a docx")
    with pytest.raises(ParseError) as info:
        parse_file(path, DocumentMeta(id="report", path=str(path), sha256=""))
    assert "report.docx" in info.value.message and ".docx" in info.value.message
    assert "\n" not in info.value.message
