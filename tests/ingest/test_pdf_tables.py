"""Table rows as read from a PDF page's cells (qa.ingest.pdf_tables), on hand-made cell grids."""

from __future__ import annotations

from qa.ingest.pdf_tables import _without_empty_columns


def test_a_header_spanning_an_empty_margin_column_goes_over_the_filled_one() -> None:
    # "Convention" drawn over a margin column no row fills and the column of names, whose own
    # header cell is empty: the names keep their header, so they read as the rows' labels
    rows = [["Convention", "", "Ratification"],
            ["", "ILO C. 138, Minimum Age", "✓"],
            ["", "UN CRC", "✓"]]
    assert _without_empty_columns(rows) == [("Convention", "Ratification"),
                                            ("ILO C. 138, Minimum Age", "✓"), ("UN CRC", "✓")]


def test_a_label_spanning_rows_keeps_its_empty_continuation_cells() -> None:
    # an empty first cell under a filled one is a label carried down, not a margin column
    rows = [["Sector", "", "Activity"],
            ["Agriculture", "Farming", "Herding"],
            ["", "Fishing", "Mending nets"]]
    assert _without_empty_columns(rows) == [tuple(r) for r in rows]


def test_columns_empty_in_every_row_go() -> None:
    rows = [["", "Year", "Count"], ["", "2019", "113"]]
    assert _without_empty_columns(rows) == [("Year", "Count"), ("2019", "113")]
