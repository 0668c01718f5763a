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
