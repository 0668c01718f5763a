"""Look-up answers: how they name a report."""

from __future__ import annotations

from qa.answer.lookups import _title_in_sentence


def test_a_fallback_title_reads_with_its_article() -> None:
    assert _title_in_sentence("Mali 2018 country report") == "the Mali 2018 country report"
    assert _title_in_sentence("2019 Findings on the Worst Forms of Child Labor: Niger") == \
        "2019 Findings on the Worst Forms of Child Labor: Niger"


def _rated(country: str, level: str):  # type: ignore[no-untyped-def]
    from qa.models import Document, DocumentMeta

    meta = DocumentMeta(id=f"r-{country}", path="", sha256="", kind="country-report", country=country, year=2019,
                        level=level)
    return Document(meta, "", (), (), {}, ())


def test_a_which_question_naming_a_level_lists_the_reports_rated_so() -> None:
    from qa.answer.lookups import rated_as_named

    reports = [_rated("Mali", "Moderate Advancement"), _rated("Niger", "Minimal Advancement"),
               _rated("Chad", "Minimal Advancement – Efforts Made but Continued Practice that Delayed Advancement")]
    countries = lambda found: [d.meta.country for d in found]  # noqa: E731
    assert countries(rated_as_named("Which countries made moderate advancement?", reports)) == ["Mali"]
    assert countries(rated_as_named("Which countries made minimal advancement?", reports)) == ["Niger", "Chad"]
    # no report rated so, or no "which" question: every rating is the answer
    assert len(rated_as_named("Which countries made significant advancement?", reports)) == 3
    assert len(rated_as_named("Did Mali make moderate advancement?", reports)) == 3
