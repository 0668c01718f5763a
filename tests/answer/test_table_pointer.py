"""A list asked in other words than its table's title ("treaties" for "Conventions") is answered by
the table the best sentence points to ("... (Table 3)."): its rows, not the pointing sentence."""

from __future__ import annotations

import numpy as np
import pytest

from qa.models import Answer, Hit
from tests.answer.parts import report_answerer

DOC = "testreport-2019-mali"
REPORT = """2019 Findings on the Worst Forms of Child Labor: Mali

In 2019, Mali made a moderate advancement in efforts to eliminate the worst forms of child labor. (1)

II. LEGAL FRAMEWORK FOR CHILD LABOR

Mali has ratified all key international conventions concerning child labor (Table 3).

Table 3. Ratification of International Conventions on Child Labor

Convention\tRatification
ILO C. 138, Minimum Age\t✓
ILO C. 182, Worst Forms of Child Labor\t✓
UN CRC\t✓
Palermo Protocol on Trafficking in Persons\t✓

The government has established laws related to child labor (Table 4) and enforces them (Table 5). (1)

REFERENCES

- 1 U.S. Embassy- Bamako. Reporting. January 10, 2020.
"""


@pytest.fixture(scope="module")
def answerer_chunks(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return report_answerer(tmp_path_factory.mktemp("pointer"), REPORT, DOC, "Mali")


def ask(answerer_chunks, question: str) -> Answer:  # type: ignore[no-untyped-def]
    answerer, chunks = answerer_chunks
    pointing = next(i for i, c in enumerate(chunks) if "(Table 3)" in c.text)
    # the pointing sentence's passage retrieved first, as a question in other words ranks it
    order = [pointing] + [i for i in np.argsort(-np.arange(len(chunks))) if i != pointing]
    return answerer.answer(question, [Hit(chunks[i], 1.0) for i in order[:5]], doc=DOC)


def test_the_table_a_sentence_points_to_lists_the_items(answerer_chunks) -> None:  # type: ignore[no-untyped-def]
    answer = ask(answerer_chunks, "Which treaties has Mali ratified?")
    lines = answer.answer.splitlines()
    assert len(lines) == 4, answer.answer
    assert "Palermo Protocol" in lines[-1] and "(Table 3)" not in answer.answer


def test_a_sentence_pointing_to_two_tables_points_to_none(answerer_chunks) -> None:  # type: ignore[no-untyped-def]
    answerer, chunks = answerer_chunks
    units = [u for c in chunks for u in answerer.catalog.units(c)]
    two = next(u for u in units if "(Table 4)" in u.text)
    one = next(u for u in units if "(Table 3)" in u.text)
    assert answerer.catalog.table_pointed(two) == []
    assert [u.label for u in answerer.catalog.table_pointed(one)][:2] == ["ILO C. 138, Minimum Age",
                                                                          "ILO C. 182, Worst Forms of Child Labor"]
