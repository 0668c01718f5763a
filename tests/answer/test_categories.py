"""Table categories (a row label sibling rows share, "Agriculture"): a question naming one category of
a table passes over the rows of the others (Scoring.named_category, scorers.named_category_first)."""

from __future__ import annotations

from dataclasses import replace

from qa.answer.scorers import Scored, named_category_first
from qa.answer.units import Unit
from tests.answer.parts import chunk, info

TITLE = "Table 2. Overview of Children's Work by Sector and Activity"
ROWS = (("Agriculture", "Herding cattle"), ("Services", "Domestic work"), ("Services", "Street work"),
        ("Categorical Worst Forms of Child Labor", "Forced begging"))


def _rows() -> list[Scored]:
    out = []
    for i, (category, activity) in enumerate(ROWS):
        c = replace(chunk(f"t2/r{i}", [(activity, {4})], kind="table-row"), heading_path=(TITLE,))
        own = f"Activity: {activity}"
        out.append(Scored(Unit(f"{c.id}#0", c, "row", c.sentences, f"{TITLE} | {own}", category, own_text=own), 0.6))
    return out


def _scores(question: str, factor: float = 0.5) -> dict[str, float]:
    return {s.unit.own_text: round(s.score, 2) for s in named_category_first(info(question), _rows(), factor)}


def test_rows_of_a_category_not_named_give_way() -> None:
    scores = _scores("What work do children do in agriculture?")
    assert scores["Activity: Herding cattle"] == 0.6
    assert scores["Activity: Domestic work"] == scores["Activity: Forced begging"] == 0.3


def test_a_category_is_named_only_by_all_its_words_outside_the_title() -> None:
    # "worst forms of child labor" is not "Categorical Worst Forms of Child Labor": no category named
    assert set(_scores("What are the worst forms of child labor?").values()) == {0.6}
    scores = _scores("What are the categorical worst forms of child labor?")
    assert scores["Activity: Forced begging"] == 0.6 and scores["Activity: Herding cattle"] == 0.3


def test_off_or_every_category_named_leaves_the_scores() -> None:
    assert set(_scores("What work do children do in agriculture?", factor=1.0).values()) == {0.6}
    assert set(_scores("Do children work in agriculture or services?").values()) != {0.6}  # two of three named
    assert set(_scores("Is child labor in agriculture, services, or categorical worst forms?").values()) == {0.6}
