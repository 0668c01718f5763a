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


def test_cells_citing_the_same_references_share_one_marker() -> None:
    # "Age: 5 to 14 [9]; Percent: 49.2 [9]" repeats the table's one source after every cell
    c = chunk("t1/r0", [("5 to 14", {9}), ("49.2", {9})], kind="table-row")
    cells = (Sentence("5 to 14", 0, 7, frozenset({9}), "Age"), Sentence("49.2", 8, 12, frozenset({9}), "Percent"))
    unit = Unit(f"{c.id}#0", c, "row", cells, "Table 1 | Working | Age: 5 to 14 | Percent: 49.2", "Working")
    composed = compose_unit(unit, info("What percentage of children work?"), None)
    assert composed.text == "Working — Age: 5 to 14; Percent: 49.2 [9].", composed.text
    assert composed.cited == [9]
    # different references stay with their own cells
    cells = (cells[0], Sentence("49.2", 8, 12, frozenset({8}), "Percent"))
    composed = compose_unit(Unit(unit.key, c, "row", cells, unit.text, "Working"), info("What percentage?"), None)
    assert composed.text == "Working — Age: 5 to 14 [9]; Percent: 49.2 [8].", composed.text


def test_a_change_in_money_is_written_as_money() -> None:
    # "Labor Inspectorate Funding: $350,000 in 2018, $595,000 in 2019 (an increase of 245,000 ...)"
    c = chunk("t6/r0", [("$350,000", {84}), ("$595,000", {27})], kind="table-row")
    cells = (Sentence("$350,000", 0, 8, frozenset({84}), "2018"), Sentence("$595,000", 9, 17, frozenset({27}), "2019"))
    unit = Unit(f"{c.id}#0", c, "row", cells, "Table 6 | Labor Inspectorate Funding | 2018: $350,000 | 2019: $595,000",
                "Labor Inspectorate Funding", year_labels=frozenset({2018, 2019}))
    composed = compose_unit(unit, info("What was the labor inspectorate funding?"), None)
    assert composed.text.endswith("(an increase of $245,000 from 2018 to 2019)."), composed.text
    counts = (Sentence("109", 0, 3, frozenset({68}), "2018"), Sentence("113", 4, 7, frozenset({4}), "2019"))
    composed = compose_unit(Unit(unit.key, c, "row", counts, unit.text, "Number of Labor Inspectors",
                                 year_labels=frozenset({2018, 2019})),
                            info("How many labor inspectors?"), None)
    assert composed.text.endswith("(an increase of 4 from 2018 to 2019)."), composed.text
