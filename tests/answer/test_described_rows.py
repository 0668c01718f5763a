"""A law table's row whose Legislation cell is long is read sentence by sentence (a described row);
its short cells ("Yes", "N/A", "18") are quoted together with their columns' names."""

from __future__ import annotations

from qa.answer.compose import compose_unit
from qa.answer.question import analyse
from qa.answer.units import units_of
from qa.models import Chunk, Document, DocumentMeta, Sentence, Table, TableRow

LABEL = "Identification of Hazardous Occupations Prohibited for Children"
LAW = ("Article 2 of the Ministerial Order No. 3749 Determining and Prohibiting the Worst Forms of Child Labor; "
       "Ministerial Order No. 3750 Determining the Types of Hazardous Work Prohibited to Children and Youth; "
       "Article 2 of the Ministerial Order No. 3751 Determining the Categories of Business and Work")


def _described_row() -> tuple[Chunk, Document]:
    text = f"{LABEL}\tYes\tN/A\t{LAW}"
    yes = text.index("Yes")
    na = text.index("N/A")
    law = text.index(LAW)
    cells = (Sentence("Yes", yes, yes + 3, frozenset(), "Meets International Standards"),
             Sentence("N/A", na, na + 3, frozenset(), "Age"),
             Sentence(LAW, law, law + len(LAW), frozenset({34, 35}), "Legislation"))
    row = TableRow(0, 0, len(text), cells, LABEL)
    table = Table(4, "Table 4. Laws and Regulations on Child Labor", "II", ("Table 4. Laws and Regulations",),
                  ("Standard", "Meets International Standards", "Age", "Legislation"), (row,))
    doc = Document(DocumentMeta(id="d", path="", sha256=""), text, (), (), (table,), {})  # type: ignore[arg-type]
    chunk = Chunk(id="d#t4/r0", doc_id="d", kind="table-row", section="II", heading_path=table.heading_path,
                  text=text, start=0, end=len(text), token_count=60, refs=(34, 35), sentences=cells)
    return chunk, doc


def test_a_described_rows_short_cells_are_one_unit_named_by_their_columns() -> None:
    chunk, doc = _described_row()
    units = units_of(chunk, doc)
    assert [u.text for u in units][0] == f"{LABEL}: Meets International Standards: Yes; Age: N/A"
    assert units[1].text.startswith(f"{LABEL}: Article 2 of the Ministerial Order")
    composed = compose_unit(units[0], analyse("Does Senegal have a hazardous work list?"), None)
    # not "...: Yes. N/A", two unnamed cells
    assert composed.text.startswith(f"{LABEL}: Meets International Standards: Yes; Age: N/A")


def test_a_sentence_only_pointing_at_a_table_is_no_answer_unit() -> None:
    # "Table 1 provides key indicators on children's work and education in Burkina Faso." had been
    # the answer to "What does the Burkina Faso report recommend on education?"
    from tests.answer.parts import chunk

    c = chunk("I/p2", [("Table 1 provides key indicators on children's work and education in Mali.", set()),
                       ("Children in Mali work in mining (Table 2).", {4})])
    assert [u.text for u in units_of(c, None)] == ["Children in Mali work in mining (Table 2)."]


ACTION = ("Enhance efforts to eliminate barriers and make education accessible for all children, including girls "
          "and those living in conflict-affected areas, by removing school-related fees, increasing teacher "
          "availability, providing school supplies and increasing school infrastructure.")


def test_a_described_rows_lone_years_cell_is_read_with_its_statement_not_alone() -> None:
    # "Social Programs: 2010 – 2019." had been a unit of its own, and the answer to "What social
    # programme recommendations are in the 2019 Mali report?"
    text = f"Social Programs\t{ACTION}\t2010 – 2019"
    start, years = text.index(ACTION), text.index("2010")
    cells = (Sentence(ACTION, start, start + len(ACTION), frozenset(), "Suggested Action"),
             Sentence("2010 – 2019", years, len(text), frozenset(), "Year(s) Suggested"))
    row = TableRow(0, 0, len(text), cells, "Social Programs")
    table = Table(11, "Table 11. Suggested Government Actions", "VII", ("Table 11. Suggested Government Actions",),
                  ("Area", "Suggested Action", "Year(s) Suggested"), (row,))
    doc = Document(DocumentMeta(id="d", path="", sha256=""), text, (), (), (table,), {})  # type: ignore[arg-type]
    chunk = Chunk(id="d#t11/r0", doc_id="d", kind="table-row", section="VII", heading_path=table.heading_path,
                  text=text, start=0, end=len(text), token_count=60, refs=(), sentences=cells)
    units = units_of(chunk, doc)
    assert len(units) == 1 and units[0].text.endswith("infrastructure. (Year(s) Suggested: 2010 – 2019)")
    composed = compose_unit(units[0], analyse("Since when has education access been suggested?"), None)
    assert composed.text.endswith("infrastructure. Year(s) Suggested: 2010 – 2019.")
