"""The CI gate: thresholds per column, read from TOML, checked against the measured figures.

A thresholds file names the column each bound is for::

    [test.min]                 # the golden file's test split
    fact_accuracy = 0.89
    [paraphrase-test.max]      # the paraphrase set's test split
    wording_gap = 0.10
    [min]                      # no column named: the whole file ("all")
    hit_at_5 = 0.96

Unknown tables, columns or metric names are an error (a typo must not switch a bound off).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import InvalidInput
from qa.evaluation.evaluate import METRICS, SPLITS

ALL = "all"
COLUMNS = (*SPLITS, ALL, *(f"paraphrase-{s}" for s in SPLITS), "paraphrase")


@dataclass(frozen=True)
class Thresholds:
    """The bounds of one column: ``minimum`` (figure must be >=) and ``maximum`` (must be <=)."""

    minimum: dict[str, float]
    maximum: dict[str, float]


@dataclass(frozen=True)
class Gate:
    columns: dict[str, Thresholds]  # column name -> its bounds

    def for_column(self, name: str) -> Thresholds | None:
        return self.columns.get(name)


def _bounds(where: str, table: Any) -> dict[str, float]:
    if not isinstance(table, dict):
        raise InvalidInput(f"{where} must be a table of metric = number")
    out: dict[str, float] = {}
    for name, value in table.items():
        if name not in METRICS:
            raise InvalidInput(f"unknown metric {name!r} in {where} (known: {', '.join(METRICS)})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(f"{where} {name} must be a number")
        out[name] = float(value)
    return out


def load_thresholds(path: Path) -> Gate:
    """Read the bounds per column; InvalidInput names the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"thresholds file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path.name}: not valid TOML ({exc})") from None
    tables: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in ("min", "max"):
            tables.setdefault(ALL, {})[key] = value
        elif key in COLUMNS and isinstance(value, dict) and set(value) <= {"min", "max"}:
            for bound, table in value.items():
                tables.setdefault(key, {})[bound] = table
        else:
            raise InvalidInput(f"{path.name}: unknown table [{key}]; use [min], [max] or [<column>.min], "
                               f"[<column>.max] with a column of {', '.join(COLUMNS)}")
    try:
        gate = {col: Thresholds(_bounds(f"[{_name(col, 'min')}]", t.get("min", {})),
                                _bounds(f"[{_name(col, 'max')}]", t.get("max", {})))
                for col, t in tables.items()}
    except InvalidInput as exc:
        raise InvalidInput(f"{path.name}: {exc.message}") from None
    return Gate(gate)


def _name(column: str, bound: str) -> str:
    return bound if column == ALL else f"{column}.{bound}"


def check_gate(metrics: dict[str, float | None], thresholds: Thresholds) -> tuple[list[str], list[str]]:
    """(violations, notes) of one column: a readable line per metric beyond its bound; notes for unmeasured ones."""
    violations: list[str] = []
    notes: list[str] = []
    for bound, table in (("min", thresholds.minimum), ("max", thresholds.maximum)):
        for name, limit in table.items():
            value = metrics.get(name)
            label = METRICS[name][0]
            if value is None:
                notes.append(f"{name} ({label}) was not measured on this golden file; threshold skipped")
            elif bound == "min" and value < limit:
                violations.append(f"{name} ({label}) = {value:.3f} is under its threshold {limit:.3f}")
            elif bound == "max" and value > limit:
                violations.append(f"{name} ({label}) = {value:.3f} is over its limit {limit:.3f}")
    return violations, notes


def check_columns(measured: dict[str, dict[str, float | None]], gate: Gate) -> tuple[list[str], list[str]]:
    """The gate over every column it names; lines start with the column ("[test] ...").
    A column the run did not measure (no paraphrase file given) is a note, not a pass in silence."""
    violations: list[str] = []
    notes: list[str] = []
    for column, thresholds in gate.columns.items():
        if column not in measured:
            notes.append(f"[{column}] not measured in this run; its thresholds were skipped")
            continue
        v, n = check_gate(measured[column], thresholds)
        violations += [f"[{column}] {line}" for line in v]
        notes += [f"[{column}] {line}" for line in n]
    return violations, notes
