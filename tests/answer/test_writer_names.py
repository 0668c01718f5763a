"""With several reports indexed, an answer says where it quotes from: a country report by its
country and edition, any other document by its kind and id (its marker's text)."""

from __future__ import annotations

from conftest import make_document

from qa.answer.writer import AnswerWriter


def test_a_document_that_is_no_report_is_not_called_one() -> None:
    # an ILO article about Mali published in 2021 was introduced as "the Mali 2021 report"
    documents = {d.id: d for d in (
        make_document("usdol-2019-mali", ["Mali text."]),
        make_document("usdol-2019-niger", ["Niger text."], country="Niger"),
        make_document("ilo-2021-aejt", ["AEJT text."], kind="article", year=2021),
        make_document("notes", ["Notes."], kind="", country="", year=None),
    )}
    writer = AnswerWriter(documents)
    assert writer.named("usdol-2019-niger") == "the Niger 2019 report"
    assert writer.named("ilo-2021-aejt") == "the article ilo-2021-aejt"
    assert writer.named("notes") == "the document notes"
