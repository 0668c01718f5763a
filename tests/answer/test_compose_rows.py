"""How a table row is written: its label, each cell with its own references."""

from __future__ import annotations

from qa.answer.compose import compose_unit
from qa.answer.question import analyse
from qa.answer.units import Unit
from qa.models import Sentence
from tests.answer.parts import chunk

ROW = chunk("t5/r0", [("Enforces labor laws.", {33, 64})], kind="table-row")


def _row(label: str) -> Unit:
    cell = Sentence("Enforces labor laws.", 0, 20, frozenset({33, 64}), "Role")
    return Unit(f"{ROW.id}#0", ROW, "row", (cell,), "Role: Enforces labor laws.", label)


def test_a_cell_keeps_its_full_stop_after_its_marker() -> None:
    composed = compose_unit(_row("Ministry of Labor"), analyse("Which agencies enforce labor laws?"), None)
    assert composed.text == "Ministry of Labor — Role: Enforces labor laws [33, 64]."
    assert composed.words == "Ministry of Labor — Role: Enforces labor laws."
    assert composed.names_label


def test_a_row_with_a_blank_label_is_written_without_one() -> None:
    composed = compose_unit(_row(""), analyse("Which agencies enforce labor laws?"), None)
    assert composed.text == "Role: Enforces labor laws [33, 64]."
    assert not composed.names_label


def test_a_cell_quoted_alone_carries_its_rows_references() -> None:
    # a law table's row split into its cells: "Age: 18" cites nothing itself, the references
    # closing the Legislation cell back the row (it used to be quoted with no marker at all)
    from dataclasses import replace as with_

    from qa.models import Bibliography, ReferenceEntry
    from tests.conftest import make_document

    row = chunk("t4/r1", [("Yes", set()), ("18", set()), ("Article 1 of the Ministerial Order", {34, 35})],
                kind="table-row")
    doc = with_(make_document("rep", ["text"]),
                bibliography=Bibliography(tuple(ReferenceEntry(n, f"Source {n}.", None) for n in range(1, 40))))
    age = Sentence("18", 4, 6, frozenset(), "Age")
    unit = Unit(f"{row.id}#1", row, "sentence", (age,), "18", "Minimum Age for Hazardous Work")
    composed = compose_unit(unit, analyse("What is the minimum age for hazardous work?"), doc)
    assert composed.text == "Minimum Age for Hazardous Work: 18 [34, 35]."
    assert composed.cited == [34, 35]
    # a paragraph's uncited sentence stays uncited: only table rows back their cells
    prose = chunk("I/p1", [("Children work.", set()), ("Some herd cattle.", {4})])
    plain = Unit(f"{prose.id}#0", prose, "sentence", (prose.sentences[0],), "Children work.")
    assert compose_unit(plain, analyse("Do children work?"), doc).cited == []


def test_a_row_whose_cells_are_empty_is_written_as_its_label_alone() -> None:
    # a conventions table's tick is drawn, not written: the PDF's text leaves the cell empty
    empty = Sentence("", 0, 0, frozenset(), "Ratification")
    unit = Unit(f"{ROW.id}#0", ROW, "row", (empty,), "", "ILO C. 182, Worst Forms of Child Labor")
    composed = compose_unit(unit, analyse("Did Mali ratify ILO C. 182?"), None)
    assert composed.text == "ILO C. 182, Worst Forms of Child Labor."
    assert composed.names_label
