"""The answer stage's weights and thresholds, in one place: ``scoring.toml`` beside this module.

Every number the unit scorer and the abstention policy use lives in :class:`Scoring`. The file is
written by ``eval/fit.py`` from the dev splits of the golden set and of its paraphrases (it records
what it searched, the dev figures before and after, and what it chose); the gate then runs on the
test splits the fit never saw. Tests and experiments pass their own
``Scoring`` instead of editing module globals.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

SCORING_FILE = Path(__file__).with_name("scoring.toml")


@dataclass(frozen=True)
class Scoring:
    # unit score = w_dense*cosine + w_lexical*overlap + w_kind*kind fit + w_rank/(rank+1), then multipliers
    w_dense: float = 0.45
    w_lexical: float = 0.40
    w_kind: float = 0.10
    w_rank: float = 0.10
    row_own_text: float = 0.8  # share of a table row's lexical score taken from its own label and cells
    row_label: float = 0.0  # a table row's lexical score is at least this times its label's own overlap
    year_column: float = 1.2  # multiplier for a table row with a column for exactly the year asked
    window_factor: float = 0.85  # multiplier for two neighbouring sentences quoted together (0: no windows)
    abstain_below: float = 0.46  # unit score under which no passage is taken to answer
    extra_unit_ratio: float = 0.97  # a second unit joins the answer only when it scores this close to the best
    list_ratio: float = 0.95  # a list question quotes every unit scoring this close to the best (1: one unit)
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


@lru_cache(maxsize=4)
def load_scoring(path: Path = SCORING_FILE) -> Scoring:
    """The fitted values from ``path`` (its ``[scoring]`` table); the defaults above when it is absent.
    An unknown key is an error: a typo must not silently fall back to a default."""
    if not path.is_file():
        return Scoring()
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("scoring", {})
    known = {f.name for f in fields(Scoring)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: unknown scoring keys {', '.join(unknown)}")
    return Scoring(**{k: float(v) for k, v in table.items()})
