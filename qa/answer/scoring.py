"""The answer stage's weights and thresholds, in one place: ``scoring.toml`` beside this module.

Every number the unit scorer and the abstention policy use lives in :class:`Scoring`. The file is
written by ``eval/fit.py`` from the dev splits of the golden set and of its paraphrases (it records
what it searched, the dev figures before and after, and what it chose); the gate then runs on the
test splits the fit never saw. Tests and experiments pass their own
``Scoring`` instead of editing module globals.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from qa.answer.features import FEATURES

SCORING_FILE = Path(__file__).with_name("scoring.toml")


@dataclass(frozen=True)
class Ranker:
    """A learned unit score: the probability that a candidate unit holds the whole answer,
    ``1 / (1 + exp(-(intercept + sum(coef[f] * feature f))))`` over qa.answer.features.FEATURES.
    Fitted by eval/ranker.py on the dev splits (logistic regression); absent, the linear formula
    of :class:`Scoring` scores the units."""

    intercept: float
    coef: tuple[tuple[str, float], ...]  # (feature name, coefficient); a feature left out weighs 0

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(c * features.get(name, 0.0) for name, c in self.coef)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True)
class Scoring:
    # unit score = w_dense*cosine + w_lexical*overlap + w_kind*kind fit + w_rank/(rank+1), then multipliers
    w_dense: float = 0.45
    w_lexical: float = 0.40
    w_kind: float = 0.10
    w_rank: float = 0.10
    row_own_text: float = 0.8  # share of a table row's lexical score taken from its own label and cells
    row_label: float = 0.0  # a table row's lexical score is at least this times its label's own overlap
    # a table row's cosine drops by this times how far its label's cosine to the question lies below
    # the best-fitting label among the labelled row candidates of its report, in any of its tables
    # (0: off): a row's vector carries its table's title and cells, so rows look alike and the one
    # whose label means what the question asks ("breaches" / "Violations Found") does not stand out
    row_label_dense: float = 0.0
    # 1: a "how many" question's label comparison reads the words naming what it counts ("guilty
    # verdicts") when no subject is read off it, not the whole question (0: the whole question)
    label_counted: float = 0.0
    # a "how many X" question's best unit stating no count of X gives way to the best unit of its
    # report that does, scoring at least this share of it (0: off; policy.counting_first)
    counting_ratio: float = 0.0
    # 1: a sum asked is declined when the unit that would answer states none, a count asked ("how
    # many X") when it states no figure (policy.decide)
    untyped_declined: float = 0.0
    # 1: a count asked without a year is the country's latest edition's counting row when one is close,
    # though an older edition's unit counts it too (0: off; policy.counted_row_first)
    latest_count: float = 0.0
    # a table row's overlap drops by this times how far its label's share of the question's words,
    # each weighed by how few sibling labels hold it, lies below the best sibling's (0: off;
    # scorers.label_fit): a word every sibling names ("Labor", "Inspectors") tells no row apart
    row_label_terms: float = 0.0
    # a table row under a category its siblings share ("Agriculture", "Services") is scored this many
    # times lower when the question names another category of the same table and not its own (1: off;
    # scorers.named_category_first): "What work do children do in agriculture?" is not answered by
    # the Services row "Domestic work"
    named_category: float = 1.0
    # a question word no indexed passage uses ("breaches", "kids") is credited to a unit holding a
    # word WordNet relates to it ("violations", "children": qa.text.lexicon, synonyms and derived
    # forms) with this share of the related word's weight (0: off; lexical.Overlap.weights)
    unseen_credit: float = 0.0
    year_column: float = 1.2  # multiplier for a table row with a column for exactly the year asked
    window_factor: float = 0.85  # multiplier for two neighbouring sentences quoted together (0: no windows)
    abstain_below: float = 0.46  # unit score under which no passage is taken to answer
    extra_unit_ratio: float = 0.97  # a second unit joins the answer only when it scores this close to the best
    list_ratio: float = 0.95  # a list question quotes every unit scoring this close to the best (1: one unit)
    list_table_ratio: float = 1.0  # ... and every other row of a table it quotes scoring this close (policy.listing)
    group_ratio: float = 0.9  # another document's best unit joins a no-country answer when it scores this close
    edition_ratio: float = 0.9  # the edition reporting on the year asked beats a later edition's table this close
    year_fallback_ratio: float = 0.8  # how much weaker a passage for the asked year may be than the best one
    no_number_penalty: float = 0.75  # "how many" is not answered by a passage without a number
    uncited_penalty: float = 0.97  # a summary sentence with no reference loses a tie to the cited body text
    # a question in other words than the report's shares few terms with any passage: when even the
    # best candidate's overlap is under this, part of w_lexical moves to w_dense (0: off; scorers.py)
    lexical_trust: float = 0.0
    # how many units of the retrieved documents nearest the question by cosine join the candidates
    # besides the pool's own (candidates.py; 0: off); one whose passage retrieval did not return at
    # all never makes a question answerable (Answerer._unsupported)
    nearest_units: float = 3.0
    # the units of the retrieved documents holding a question word that at most this many of their
    # units hold join the candidates too, like the nearest ones (candidates.py; 0: off): a rare word
    # the question turns on ("hotline") sits in a long passage that neither ranker puts in the pool,
    # the embedding reading "Senegal" and "child labor" louder than it
    rare_units: float = 0.0
    # ... unless its own cosine to the question reaches this (1: off): a nearest-only unit leading the
    # candidates may then answer although no retrieved passage's unit reaches abstain_below (it must
    # still reach abstain_below itself). The bar sits above the cosine the nearest units of an
    # unanswerable question reach (any report's units look somewhat close to any question about it)
    nearest_answer_cosine: float = 1.0
    # factor on a unit under a heading of suggested/recommended actions when the question asks for
    # no advice, its inverse when it asks what should be done (scorers.recommends / asks_advice /
    # advice_wanted; 1: off)
    advice_penalty: float = 1.0
    # the answer type the question's wh-phrase asks for (an amount, a percentage, an age, a date, an
    # organisation; qa.answer.features): + w_type/2 when the unit holds one, - w_type/2 when not (0: off)
    w_type: float = 0.0
    # 1: no_number_penalty applies when the unit lacks the quantity of the type asked (an amount for
    # "how much"/"what did it cost", a percentage, an age, a count that is no sum of money), not only
    # when a "how many"-style question meets a unit without any number (0: that older rule)
    typed_quantities: float = 0.0
    # factor on a unit that holds a neighbouring fact, not the one asked (qa.answer.coverage: the
    # question names an item of a series by ordinal, the unit other items of it); applied by the
    # policy before it reads abstain_below (1: off)
    uncovered_factor: float = 1.0
    # factor on a unit whose own words (not its row label) name the noun a "which X"/"what X"
    # question asks for ("Which ministry heads the committee?" / "Chaired by the Ministry of
    # Justice"): the question's other words say what it is about, the head noun what to answer (1: off)
    head_noun: float = 1.0
    # factor on a unit that says no one leads, heads or chairs anything, when the question asks who
    # does ("Who heads the task force?" / "... Chaired by MOJ ..."; features.asks_leader; 1: off)
    leader_factor: float = 1.0
    # share of the question's country-neutral wording in the vector units are scored against, when
    # the scope holds the countries it names (qa.answer.neutral; 0: off, 1: the neutral wording alone):
    # within the scope the name tells no unit apart, yet draws the cosine to units that name it
    country_neutral: float = 0.0
    # the learned score replacing the linear one (abstain_below and the ratios then read probabilities)
    ranker: Ranker | None = field(default=None, compare=True)

    @classmethod
    def numeric_fields(cls) -> list[str]:
        """The names of the plain numbers (every field but ``ranker``)."""
        return [f.name for f in fields(cls) if f.name != "ranker"]


@lru_cache(maxsize=4)
def load_scoring(path: Path = SCORING_FILE) -> Scoring:
    """The fitted values from ``path`` (its ``[scoring]`` table, and a ``[ranker]`` table when the
    learned score is on); the defaults above when it is absent. An unknown key is an error: a typo
    must not silently fall back to a default."""
    if not path.is_file():
        return Scoring()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("scoring", {})
    known = set(Scoring.numeric_fields())
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: unknown scoring keys {', '.join(unknown)}")
    ranker = None
    if "ranker" in data:
        coef = data["ranker"].get("coef", {})
        unknown = sorted(set(coef) - set(FEATURES))
        if unknown:
            raise ValueError(f"{path}: unknown ranker features {', '.join(unknown)}")
        ranker = Ranker(float(data["ranker"]["intercept"]), tuple((k, float(v)) for k, v in coef.items()))
    return Scoring(**{k: float(v) for k, v in table.items()}, ranker=ranker)
