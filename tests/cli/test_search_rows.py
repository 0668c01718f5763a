"""``qa search`` and the MCP search tool list a table row with its cells named by their column headers."""

from __future__ import annotations

from qa.api.render import hit_text as _shown
from qa.models import Chunk

CONTEXT = "Table 6. Labor Law Enforcement Efforts Related to Child Labor | Overview of Labor Law Enforcement | 2018 | 2019"


def chunk(text: str, context: str = CONTEXT, kind: str = "table-row") -> Chunk:
    return Chunk("k#t6/r1", "k", kind, "Table 6", (), text, 0, len(text), 10, frozenset({27, 84}), (), context)  # type: ignore[arg-type]


def test_a_row_names_the_year_of_each_figure() -> None:
    # the bare cells ("Number of Labor Inspectors 265 (84) 64 (27)") did not say which year each figure was for
    shown = _shown(chunk("Number of Labor Inspectors\t265 (84)\t64 (27)"))
    assert shown == "Number of Labor Inspectors | 2018: 265 (84) | 2019: 64 (27)"


def test_cells_that_do_not_line_up_with_the_headers_and_prose_stay_as_they_are() -> None:
    assert _shown(chunk("Domestic work (2,4)")) == "Domestic work (2,4)"
    assert _shown(chunk("a\tb\tc\td")) == "a\tb\tc\td"
    assert _shown(chunk("In 2019\tthe inspectors\tworked.", kind="paragraph")) == "In 2019\tthe inspectors\tworked."
