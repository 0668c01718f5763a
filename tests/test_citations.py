"""Citation groups: which parentheses are reference numbers, and which numbers they hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.citations import (
    find_groups,
    format_marker,
    groups_to_markers,
    parse_group,
    parse_markers,
    strip_groups,
)

N = 109  # the Mali report's bibliography size


def refs_of(text: str, n: int = N) -> list[frozenset[int]]:
    return [g.refs for g in find_groups(text, n)]


# --- examples from the report ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("work long hours. (4,13-16)", {4, 13, 14, 15, 16}),
        ("during the reporting period. (2, 20,31,34,36,75-77)", {2, 20, 31, 34, 36, 75, 76, 77}),
        ("about 161 inspectors. (68-71)", {68, 69, 70, 71}),
        ("Child Promotion, Defense, and Labor. (4, 31,64)", {4, 31, 64}),
        ("and in armed conflict. (1-6)", {1, 2, 3, 4, 5, 6}),
        ("for at least 2 years. (4,20,34,36,75-79)", {4, 20, 34, 36, 75, 76, 77, 78, 79}),
        ("ranges with dashes (68–71) and (5 — 6)", {68, 69, 70, 71, 5, 6}),
        ("the last one (109)", {109}),
    ],
)
def test_groups_in_prose(text: str, expected: set[int]) -> None:
    found = refs_of(text)
    assert frozenset().union(*found) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Yes (4,49)", {4, 49}), ("Unknown (68)", {68}), ("109 (68)", {68}), ("Unknown(68)", {68}),
     ("$85,000 (4)", {4}), ("46 (4,34)", {4, 34})],
)
def test_groups_in_table_cells(cell: str, expected: set[int]) -> None:
    assert refs_of(cell) == [frozenset(expected)]


@pytest.mark.parametrize(
    "text",
    [
        "National Plan to Combat Child Labor (PANETEM) (2011–2020)",
        "Emergency Safety Nets project (Jigiséméjiri) (P127328).",
        "National Unit to Fight Against Child Labor (CNLTE)",
        "Worst Forms of Child Labour Convention, 1999 (No. 182)",
        "Forced Labour Convention, 1930 (No. 29)",
        "a number past the bibliography (110)",
        "a range running past it (100-112)",
        "a reversed range (16-13)",
        "zero is no reference (0)",
        "relevant to Article 3(d) of ILO C. 182",
        "Working (% and population)",
        "49.2 (Unavailable)",
        "the 2015 Peace Accord (2015)",
        "a decimal (4.5)",
        "empty ()",
    ],
)
def test_not_citations(text: str) -> None:
    assert find_groups(text, N) == []


def test_no_bibliography_means_no_citations() -> None:
    assert find_groups("children work in mines. (4,13-16) (1)", 0) == []


def test_group_spans_and_offset() -> None:
    text = "Children work. (4,13-16) More text (2011–2020)."
    (group,) = find_groups(text, N, offset=100)
    assert group.raw == "(4,13-16)"
    assert (group.start, group.end) == (100 + text.index("("), 100 + text.index(")") + 1)


def test_parse_group() -> None:
    assert parse_group("4,13-16", N) == frozenset({4, 13, 14, 15, 16})
    assert parse_group("4, 200", N) is None  # one number out of range spoils the whole group
    assert parse_group("", N) is None


def test_markers_round_trip() -> None:
    assert format_marker({70, 68, 69}) == "[68, 69, 70]"
    assert format_marker(set()) == ""
    text = "about 161 inspectors. (68-71) Although (2011–2020)"
    assert groups_to_markers(text, N) == "about 161 inspectors. [68, 69, 70, 71] Although (2011–2020)"
    assert strip_groups("Yes (4,49)", N) == "Yes"
    assert strip_groups("Hereditary slavery (1,4) , here.", N) == "Hereditary slavery, here."
    assert [m[2] for m in parse_markers("113 in 2019 [4]; see [68-70] and [2, 5]")] == [
        frozenset({4}), frozenset({68, 69, 70}), frozenset({2, 5})]


# --- properties ------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["children", "work", "in", "Mali", "the", "cotton", "mines", "In", "2019,", "reported", "and", "of",
     "CNLTE", "ILO", "No.", "182", "Table", "6", "1,217", "schools", "—", "–", "-", ",", "."]
)


@st.composite
def parenthetical(draw: st.DrawFn) -> str:
    """Any kind of parenthesis a report might print: years, ids, acronyms, numbers, ranges, noise."""
    kind = draw(st.sampled_from(["year", "years", "id", "acronym", "number", "numbers", "range", "noise"]))
    num = st.integers(min_value=0, max_value=5000)
    dash = draw(st.sampled_from(["-", "–", "—", " - "]))
    if kind == "year":
        inner = str(draw(st.integers(1900, 2100)))
    elif kind == "years":
        inner = f"{draw(st.integers(1900, 2100))}{dash}{draw(st.integers(1900, 2100))}"
    elif kind == "id":
        inner = draw(st.sampled_from(["P", "A/", "No. ", "S/", "C. "])) + str(draw(num))
    elif kind == "acronym":
        inner = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=7))
    elif kind == "number":
        inner = str(draw(num))
    elif kind == "numbers":
        numbers = draw(st.lists(num, min_size=1, max_size=6))
        inner = draw(st.sampled_from([",", ", ", " ,"])).join(str(n) for n in numbers)
    elif kind == "range":
        inner = f"{draw(num)}{dash}{draw(num)}"
    else:
        inner = draw(st.text(alphabet="0123456789,-– ()abc.", max_size=12))
    return f"({inner})"


@st.composite
def prose(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(_WORDS, parenthetical()), min_size=1, max_size=40))
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(text=prose(), n=st.integers(min_value=0, max_value=300))
def test_no_reference_outside_the_bibliography(text: str, n: int) -> None:
    for group in find_groups(text, n):
        assert group.refs, group
        assert all(1 <= r <= n for r in group.refs), (group, n)
        assert text[group.start:group.end] == group.raw
        assert group.raw.startswith("(") and group.raw.endswith(")")


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(min_value=1, max_value=300))
def test_ranges_expand_exactly(data: st.DataObject, n: int) -> None:
    items = data.draw(st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), min_size=1, max_size=6))
    expected: set[int] = set()
    pieces = []
    for a, b in items:
        lo, hi = min(a, b), max(a, b)
        expected.update(range(lo, hi + 1))
        if lo == hi and data.draw(st.booleans()):
            pieces.append(str(lo))
        else:
            pieces.append(f"{lo}{data.draw(st.sampled_from(['-', '–', '—', ' - ']))}{hi}")
    sep = data.draw(st.sampled_from([",", ", ", " , "]))
    text = f"Children work in mines. ({sep.join(pieces)}) More follows."
    groups = find_groups(text, n)
    assert len(groups) == 1
    assert groups[0].refs == frozenset(expected)


@settings(max_examples=200, deadline=None)
@given(lo=st.integers(1, 200), hi=st.integers(1, 200), n=st.integers(1, 200))
def test_a_range_is_all_or_nothing(lo: int, hi: int, n: int) -> None:
    groups = find_groups(f"text ({lo}-{hi})", n)
    if lo <= hi <= n:
        assert groups and groups[0].refs == frozenset(range(lo, hi + 1))
    else:
        assert groups == []


@settings(max_examples=300, deadline=None)
@given(text=prose(), n=st.integers(min_value=0, max_value=150), offset=st.integers(0, 1000))
def test_sentences_slice_back_and_carry_only_valid_refs(text: str, n: int, offset: int) -> None:
    from qa.ingest.sentences import split_sentences

    out = split_sentences(text, offset, n)
    previous_end = offset
    for s in out:
        assert text[s.start - offset:s.end - offset] == s.text
        assert s.text == s.text.strip() and s.text
        assert previous_end <= s.start
        previous_end = s.end
        assert all(1 <= r <= n for r in s.refs)
    # nothing but whitespace falls between sentences
    assert "".join("".join(s.text for s in out).split()) == "".join(text.split())
    # a group's numbers are on the sentence that contains it
    for group in find_groups(text, n, offset):
        holders = [s for s in out if s.start <= group.start and group.end <= s.end]
        assert len(holders) == 1 and group.refs <= holders[0].refs
