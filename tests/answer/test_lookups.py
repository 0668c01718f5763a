"""Look-up answers: how they name a report."""

from __future__ import annotations

from qa.answer.lookups import _title_in_sentence


def test_a_fallback_title_reads_with_its_article() -> None:
    assert _title_in_sentence("Mali 2018 country report") == "the Mali 2018 country report"
    assert _title_in_sentence("2019 Findings on the Worst Forms of Child Labor: Niger") == \
        "2019 Findings on the Worst Forms of Child Labor: Niger"
