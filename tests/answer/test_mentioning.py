"""Questions asking which reports mention something (qa.answer.mentioning)."""

from __future__ import annotations

import pytest

from qa.answer.mentioning import first_mentions, mentioned_topic
from qa.models import Hit
from qa.text.analysis import terms
from tests.answer.parts import chunk


@pytest.mark.parametrize("question, topic", [
    ("Which reports talk about mercury?", "mercury"),
    ("Which report mentions the BPMC?", "BPMC"),
    ("Which countries' reports mention Koranic schools?", "Koranic schools"),
    ("Which Mali reports discuss forced begging?", "forced begging"),
    ("What documents refer to the ILO?", "ILO"),
    # a question of fact, a look-up, or a listing of editions: none
    ("Which ministry mentions the plan?", None),
    ("Which source is reference 54 in the Niger chapter?", None),
    ("Which editions of the Mali report are indexed?", None),
    ("Which report says Mali had 113 labor inspectors?", None),
    # a question about what one report covers, not which reports do
    ("What does the report cover on descent-based slavery in Mali?", None),
    ("What did the 2020 edition discuss about begging?", None),
])
def test_the_topic_of_a_question_asking_which_reports_mention_it(question: str, topic: str | None) -> None:
    assert mentioned_topic(question) == topic


def test_each_document_is_named_by_its_best_passage_holding_every_word() -> None:
    def hit(doc: str, text: str, kind: str = "paragraph") -> Hit:
        return Hit(chunk(f"{doc}-{len(text)}", [(text, {1})], kind=kind, doc=doc), 1.0)

    hits = [hit("a", "Children use mercury."), hit("b", "Mercury is a metal."), hit("a", "Mercury again."),
            hit("c", "Mercury in a title.", kind="reference"), hit("d", "Gold mining.")]
    first = first_mentions(hits, set(terms("mercury")))
    assert {d: h.chunk.text for d, h in first.items()} == {"a": "Children use mercury.", "b": "Mercury is a metal."}
