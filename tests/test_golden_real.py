"""The real-PDF golden set (issue 18, 3d): format, coverage, and the fields the scope work relies on.

Questions are written from the five USDOL chapters other than Mali 2019 (whose questions live in
eval/golden.jsonl). Ids carry the report: ``niger-``, ``bf-``, ``sen-``, ``mali18-``, ``mali20-``;
``cross-`` compares two reports (``scope`` lists them, ``refs_by_doc`` holds each one's reference
numbers); ``none-`` cannot be answered from the six reports. ``golden-real-dev.jsonl`` is a smaller
split of the same kind for tuning, so the gated file stays unseen.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from qa.config import PROJECT_ROOT
from qa.evaluation.evaluate import GoldenItem, load_golden

EVAL = PROJECT_ROOT / "eval"
TEST, DEV = EVAL / "golden-real.jsonl", EVAL / "golden-real-dev.jsonl"
REPORTS = {"usdol-2019-niger": "niger", "usdol-2019-burkina-faso": "bf", "usdol-2019-senegal": "sen",
           "usdol-2018-mali": "mali18", "usdol-2020-mali": "mali20"}
DOC_ID = re.compile(r"^usdol-(2018|2019|2020)-[a-z-]+$")


def _raw(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def items() -> list[GoldenItem]:
    return load_golden(TEST)


def test_size_and_ids(items: list[GoldenItem]) -> None:
    assert len(items) >= 40
    prefixes = "|".join([*REPORTS.values(), "cross", "none"])
    assert [i.id for i in items if not re.fullmatch(rf"({prefixes})-\d\d", i.id)] == []
    dev_ids = {i.id for i in load_golden(DEV)}
    assert dev_ids.isdisjoint(i.id for i in items)


def test_every_report_is_covered_and_mali_2019_is_not(items: list[GoldenItem]) -> None:
    per_doc = Counter(i.doc for i in items if i.answerable)
    assert all(per_doc[doc] >= 8 for doc in REPORTS), per_doc
    assert "usdol-2019-mali" not in per_doc
    for item in items:
        if item.answerable and not item.id.startswith("cross-"):
            assert item.id.startswith(REPORTS[item.doc] + "-"), item.id


def test_question_kinds(items: list[GoldenItem]) -> None:
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) >= 6
    assert sum(1 for i in items if i.history) >= 3
    lookups = [i for i in items if re.search(r"\breference \d+\b", i.question)]
    assert {i.doc for i in lookups if i.answerable} == set(REPORTS)
    assert all(len(i.citations) == 1 and str(i.citations[0]) in i.question for i in lookups if i.answerable)
    # edition-scoped questions: both Mali editions are asked about by year
    assert {i.doc for i in items if re.search(r"\b20(18|20) (report|edition)\b", i.question)} >= {
        "usdol-2018-mali", "usdol-2020-mali"}


def test_answerable_items_are_checkable(items: list[GoldenItem]) -> None:
    for item in items:
        if item.answerable:
            assert item.answer_contains, item.id
            assert item.doc and DOC_ID.match(item.doc), item.id
            assert list(item.citations) == sorted(set(item.citations)), item.id


@pytest.mark.parametrize("path", [TEST, DEV], ids=["test", "dev"])
def test_scope_only_on_cross_report_items(path: Path) -> None:
    for row in _raw(path):
        if row["id"].startswith("cross-"):
            scope = row["scope"]
            assert len(scope) == 2 and row["doc"] == scope[0] and set(scope) <= set(REPORTS), row["id"]
            assert set(row["refs_by_doc"]) == set(scope), row["id"]
            # the evaluator scores one document's references; cross items leave them to refs_by_doc
            assert row["citations"] == [], row["id"]
        else:
            assert "scope" not in row and "refs_by_doc" not in row, row["id"]
