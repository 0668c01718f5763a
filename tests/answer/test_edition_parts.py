"""One line of a comparison reads a year named only as the edition ("... in the 2019 reports") as
the edition, as a question to one report does: no unit needs to name that year."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.scope import Scope
from qa.models import Hit
from tests.answer.parts import report_answerer

DOC = "testreport-2019-niger"
REPORT = """2019 Findings on the Worst Forms of Child Labor: Niger

IV. ENFORCEMENT

According to the ILO's technical advice of a ratio approaching 1 inspector for every 40,000 workers, Niger would employ about 163 labor inspectors. (5)

Table 6. Labor Law Enforcement Efforts Related to Child Labor

Overview of Labor Law Enforcement\t2018\t2019
Number of Labor Inspectors\t47 (5)\t51 (5)

REFERENCES

- 5 U.S. Embassy- Niamey. Reporting. January 10, 2020.
"""


def test_a_comparisons_line_reads_the_year_of_the_reports_named_as_their_edition(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answerer, chunks = report_answerer(tmp_path, REPORT, DOC, "Niger")
    answerer.scoring = replace(answerer.scoring, abstain_below=0.2)  # the fake embedder's cosines mean nothing
    part = Scope(countries=frozenset({"Niger"}), editions=frozenset({2019}), years=frozenset({2019}))
    question = "By the ILO benchmark, how many labour inspectors would Niger need in the 2019 reports?"
    answer = answerer.answer(question, [Hit(c, 1.0) for c in chunks], scope=part, label=True, part=True)
    # it had quoted the 2019 column of the inspectors row: the only unit naming 2019
    assert "163" in answer.answer, answer.answer
