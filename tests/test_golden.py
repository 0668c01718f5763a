"""The golden set itself: format, the counts issue 3 asks for, and consistency with the corpus.

Item ids carry the coverage: ``mali-s<section>-NN`` (section prose; s0 = the opening summary),
``mali-tNN-NN`` (Table NN), ``cmp-`` (comparison across years), ``fu-`` (follow-up with
history), ``ref-`` (bibliography look-up), ``ilo-`` (the ILO article), ``none-`` (unanswerable).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from qa.config import PROJECT_ROOT, Settings
from qa.evaluation.evaluate import GoldenItem, load_golden
from qa.text.textmatch import matches

GOLDEN = PROJECT_ROOT / "eval" / "golden.jsonl"
MALI, ILO = "usdol-2019-mali", "ilo-2021-aejt-kayes-sikasso"
TABLE_SECTION = {1: "I", 2: "I", 3: "II", 4: "II", 5: "III", 6: "III", 7: "III",
                 8: "IV", 9: "V", 10: "VI", 11: "VII"}
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII"}


@pytest.fixture(scope="module")
def items() -> list[GoldenItem]:
    return load_golden(GOLDEN)


@pytest.fixture(scope="module")
def documents() -> dict:
    from qa.ingest.corpus import load_corpus

    return {d.id: d for d in load_corpus(Settings(corpus_dir=PROJECT_ROOT / "corpus"))}


def _table(item: GoldenItem) -> int | None:
    m = re.match(r"mali-t(\d\d)-", item.id)
    return int(m.group(1)) if m else None


def _section(item: GoldenItem) -> str | None:
    table = _table(item)
    if table is not None:
        return TABLE_SECTION[table]
    m = re.match(r"mali-s(\d)-", item.id)
    return ROMAN.get(m.group(1)) if m else None


def test_size_and_ids(items: list[GoldenItem]) -> None:
    assert len(items) >= 110
    assert len({i.id for i in items}) == len(items)
    known = re.compile(r"^(mali-s[0-7]-\d\d|mali-t(0[1-9]|1[01])-\d\d|cmp-\d\d|fu-\d\d|ref-\d\d|ilo-\d\d|none-\d\d)$")
    assert [i.id for i in items if not known.match(i.id)] == []


def test_every_section_and_table_is_covered(items: list[GoldenItem]) -> None:
    sections = Counter(_section(i) for i in items if _section(i))
    assert set(sections) == {"I", "II", "III", "IV", "V", "VI", "VII"}
    tables = Counter(_table(i) for i in items if _table(i))
    assert {n: tables.get(n, 0) for n in range(1, 12) if tables.get(n, 0) < 3} == {}


def test_category_counts(items: list[GoldenItem]) -> None:
    by = Counter(i.id.split("-")[0] for i in items)
    assert by["ilo"] >= 10
    assert by["ref"] >= 5
    assert by["cmp"] >= 5
    assert by["fu"] >= 5
    assert sum(not i.answerable for i in items) >= 15


def test_item_kinds_are_consistent(items: list[GoldenItem]) -> None:
    for item in items:
        if not item.answerable:
            assert item.doc is None and not item.answer_contains and not item.citations, item.id
            continue
        assert item.doc in (MALI, ILO), item.id
        assert 1 <= len(item.answer_contains) <= 3, item.id
        if item.doc == ILO:
            assert item.citations == (), item.id  # the article has no bibliography
        assert all(1 <= n <= 109 for n in item.citations), item.id
        assert list(item.citations) == sorted(set(item.citations)), item.id
    assert all(i.history for i in items if i.id.startswith("fu-"))
    refs = [i for i in items if i.id.startswith("ref-")]
    assert all(len(i.citations) == 1 and str(i.citations[0]) in i.question for i in refs)
    assert all(set(i.citations) >= {4, 68} or i.id == "cmp-07" for i in items if i.id.startswith("cmp-"))


def test_every_fact_is_in_its_document(items: list[GoldenItem], documents: dict) -> None:
    missing = [(i.id, f) for i in items if i.answerable for f in i.answer_contains
               if not matches(documents[i.doc].text, f)]
    assert missing == []


def _evidence(doc) -> list[tuple[str, frozenset[int]]]:
    """Every unit the report backs with a citation group: sentences, table rows and cells, notes, entries."""
    units: list[tuple[str, frozenset[int]]] = []
    for p in doc.paragraphs:
        units += [(s.text, s.refs) for s in p.sentences]
    for t in doc.tables:
        for row in t.rows:
            units.append((" ".join([row.label] + [c.text for c in row.cells]), row.refs))
            units += [(f"{row.label} {c.label or ''} {c.text}", c.refs) for c in row.cells]
        units += [(n.text, n.refs) for n in t.notes]
    units += [(e.text, frozenset({e.number})) for e in doc.bibliography.entries]
    return [(text, refs) for text, refs in units if refs]


def test_citations_match_the_groups_backing_the_facts(items: list[GoldenItem], documents: dict) -> None:
    """Each fact sits in a unit whose group lies inside the expected set, and together they make it up.

    Catches a mistyped reference number or a fact paired with the wrong group; it cannot tell
    which of two equally valid groups the author meant, so it is a consistency check, not a proof.
    """
    units = _evidence(documents[MALI])
    wrong = []
    for item in items:
        if item.doc != MALI or not item.citations:
            continue
        expected = frozenset(item.citations)
        covered: set[int] = set()
        for fact in item.answer_contains:
            backing = [refs for text, refs in units if refs <= expected and matches(text, fact)]
            if not backing:
                wrong.append((item.id, fact, "no unit with a group inside the expected set holds it"))
            for refs in backing:
                covered |= refs
        if covered and covered != expected:
            wrong.append((item.id, sorted(expected), f"the facts' groups give {sorted(covered)}"))
    assert wrong == []


def test_loader_reads_history(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(
        '{"id": "a", "question": "And in 2018?", "answer_contains": ["109"], "citations": [68],'
        ' "doc": "d", "answerable": true, "history": ["How many inspectors in 2019?"]}\n\n',
        encoding="utf-8",
    )
    (item,) = load_golden(path)
    assert item.history == ("How many inspectors in 2019?",)
    assert item.line == 1
