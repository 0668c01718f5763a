"""One line of a comparison reads a year named only as the edition ("... in the 2019 reports") as
the edition, as a question to one report does: no unit needs to name that year."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.answerer import Answerer
from qa.answer.scope import Scope
from qa.config import Settings
from qa.index.chunk import chunk_document
from qa.index.embed import FakeEmbedder
from qa.ingest.parse import parse_text
from qa.models import DocumentMeta, Hit

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
    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path, embedder="fake", llm_base_url=None)
    report = parse_text(REPORT, DocumentMeta(
        id=DOC, path=f"{DOC}.txt", sha256="", title="2019 Findings on the Worst Forms of Child Labor: Niger",
        publisher="U.S. Department of Labor", kind="country-report", country="Niger", year=2019))
    chunks = chunk_document(report, settings)
    answerer = Answerer(settings, FakeEmbedder(), {DOC: report})
    answerer.warm_up(chunks)
    answerer.scoring = replace(answerer.scoring, abstain_below=0.2)  # the fake embedder's cosines mean nothing
    part = Scope(countries=frozenset({"Niger"}), editions=frozenset({2019}), years=frozenset({2019}))
    question = "By the ILO benchmark, how many labour inspectors would Niger need in the 2019 reports?"
    answer = answerer.answer(question, [Hit(c, 1.0) for c in chunks], scope=part, label=True, part=True)
    # it had quoted the 2019 column of the inspectors row: the only unit naming 2019
    assert "163" in answer.answer, answer.answer
