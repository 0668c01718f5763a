"""How one chosen unit is written: a table row with or without a label of its own."""

from __future__ import annotations

from qa.answer.compose import compose_unit
from qa.answer.units import Unit
from qa.models import Sentence
from tests.answer.parts import chunk, info

CELL = "Street work, including as market vendors (2,9)"


def _row(label: str) -> Unit:
    c = chunk("t2/r7", [(CELL, {2, 9})], kind="table-row")
    cell = Sentence(CELL, 0, len(CELL), frozenset({2, 9}), "Activity")
    return Unit(f"{c.id}#0", c, "row", (cell,), f"Table 2 | {label} | Activity: {CELL}", label)


def test_a_row_with_a_label_names_it() -> None:
    composed = compose_unit(_row("Services"), info("In which sectors do children work?"), None)
    assert composed.text.startswith("Services — Activity: Street work")


def test_a_row_without_a_label_starts_with_its_cells() -> None:
    # a continuation row of a table whose first column spans several rows has no label of its own:
    # the answer must not start with a dangling " — "
    composed = compose_unit(_row(""), info("In which sectors do children work?"), None)
    assert composed.text.startswith("Activity: Street work"), composed.text
    assert composed.words.startswith("Activity: Street work"), composed.words
