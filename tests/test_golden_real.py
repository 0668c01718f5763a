"""The real-PDF golden set (issue 18, 3d): format, coverage, and the fields the scope work relies on.

Questions are written from the five USDOL chapters other than Mali 2019 (whose questions live in
eval/golden.jsonl). Ids carry the report: ``niger-``, ``bf-``, ``sen-``, ``mali18-``, ``mali20-``;
``cross-`` compares two reports (``scope`` lists them, ``doc_citations`` holds each one's reference
numbers); ``none-`` cannot be answered from the six reports. ``golden-real-dev.jsonl`` is a smaller
split of the same kind for tuning, so the gated file stays unseen. The last tests re-read every
expected reference number from the PDFs in tests/data/reports (skipped while they are absent).
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
            assert set(row["doc_citations"]) == set(scope), row["id"]
            # the evaluator scores one document's references; cross items leave them to doc_citations
            assert row["citations"] == [], row["id"]
        else:
            assert "scope" not in row and "doc_citations" not in row, row["id"]


# -- every expected reference number, checked against the PDFs themselves ----------------------
# eval/golden-real-evidence.jsonl quotes, per item and report, the PDF text right before the
# citation group that backs the answer: a table row up to its cell ("Number of Labor Inspectors
# 47 (19) 51"), or the prose up to the group that follows the fact. Read with pdfplumber directly,
# not with qa.ingest, so the check does not depend on the reader it helps to test.
REPORTS_DIR = PROJECT_ROOT / "tests" / "data" / "reports"
EVIDENCE = EVAL / "golden-real-evidence.jsonl"
GROUP = re.compile(r"\((\d[\d,\s\-–]*)\)")
DRAWN_TICK = "✓"
FURNITURE = re.compile(r"BUREAU OF INTERNAT|FINDINGS ON THE WOR|^REFERENCES$", re.IGNORECASE)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _numbers(group: str) -> list[int]:
    """"5,63-65" -> [5, 63, 64, 65]."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in group.split(","))):
        low, _, high = re.sub(r"\s*[-–]\s*", "-", part).partition("-")
        out += range(int(low), int(high) + 1) if high else [int(low)]
    return sorted(set(out))


@pytest.fixture(scope="module")
def pdf_text() -> dict[str, tuple[str, dict[int, str]]]:
    """doc id -> (body text squashed to one line, bibliography entries by number)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    texts: dict[str, tuple[str, dict[int, str]]] = {}
    for doc in REPORTS:
        path = REPORTS_DIR / f"{doc}.pdf"
        if not path.exists():
            pytest.skip(f"{path} not present (copied in with the PDF reader)")
        body: list[str] = []
        columns: list[str] = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                text = page.extract_text() or ""
                # the heading is set in capitals ("REFERENCES", small caps "referenceS"), unlike the word in prose
                heading = [w for w in page.extract_words()
                           if w["text"].casefold() == "references" and w["text"] != w["text"].lower()] \
                    if not columns and "references" in text.casefold() else []
                if not heading and not columns:
                    body.append(text)
                    continue
                top = heading[0]["top"] if heading and not columns else 0
                if top:
                    body.append(page.crop((0, 0, page.width, top)).extract_text() or "")
                for box in ((0, top, page.width / 2, page.height), (page.width / 2, top, page.width, page.height)):
                    columns.append(page.crop(box).extract_text() or "")
        entries: dict[int, str] = {}
        for line in "\n".join(columns).splitlines():
            head = re.match(r"(\d+) ", line)
            if head and int(head.group(1)) == len(entries) + 1:
                entries[len(entries) + 1] = line[head.end():]
            elif entries and not FURNITURE.search(line):
                entries[len(entries)] += " " + line
        texts[doc] = (_squash("\n".join(body)), entries)
    return texts


def _expected() -> list[tuple[str, str, list[int], list[str]]]:
    """(id, doc, reference numbers, facts) for every item and, for cross items, every report."""
    out = []
    for path in (TEST, DEV):
        for row in _raw(path):
            if not row["answerable"]:
                continue
            per_doc = row.get("doc_citations") or {row["doc"]: row["citations"]}
            facts = [] if "doc_citations" in row else row["answer_contains"]
            out += [(row["id"], doc, refs, facts) for doc, refs in per_doc.items()]
    return out


def test_every_item_has_evidence() -> None:
    evidence = {(r["id"], r["doc"]) for r in _raw(EVIDENCE)}
    assert {(i, d) for i, d, _, _ in _expected()} == evidence


def test_expected_references_match_the_pdfs(pdf_text: dict) -> None:
    from qa.text.textmatch import matches

    evidence = {(r["id"], r["doc"]): r for r in _raw(EVIDENCE)}
    wrong = []
    for item_id, doc, refs, facts in _expected():
        body, bibliography = pdf_text[doc]
        row = evidence[(item_id, doc)]
        if row["kind"] == "bibliography":
            (number,) = refs
            source = bibliography.get(number, "")
        else:
            source = body
        # a ratification tick is drawn as a shape, not a character: pdfplumber's text has none (the
        # reader's own test checks every tick: tests/ingest/test_pdf_real.py)
        wrong += [f"{item_id}: {fact!r} not in the {row['kind']}" for fact in facts
                  if fact != DRAWN_TICK and not matches(source, fact)]
        if row["kind"] == "text":
            quote = _squash(row["evidence"])
            at = body.find(quote)
            group = GROUP.search(body, at + len(quote)) if at >= 0 else None
            found = _numbers(group.group(1)) if group else None
            if found != refs:
                wrong.append(f"{item_id} ({doc}): expected {refs}, the PDF's next group is {found}")
        elif row["kind"] == "none" and refs:
            wrong.append(f"{item_id}: references without evidence")
    assert not wrong, "\n".join(wrong)


def test_bibliographies_are_numbered_without_gaps(pdf_text: dict) -> None:
    sizes = {doc: max(entries) for doc, (_, entries) in pdf_text.items()}
    assert sizes == {"usdol-2019-niger": 97, "usdol-2019-burkina-faso": 71, "usdol-2019-senegal": 75,
                     "usdol-2018-mali": 100, "usdol-2020-mali": 94}
