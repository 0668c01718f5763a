"""Citation groups: "(4,13-16)" -> {4, 13, 14, 15, 16}.

A parenthesis is a citation group only when it holds nothing but reference numbers and ranges
and every number lies in 1..N, N being the size of the document's bibliography. So years
"(2011–2020)", ids "(P127328)", acronyms "(CNLTE)" and "(No. 182)" are never citations, and a
document without a bibliography has none.
"""

from __future__ import annotations

import re

from qa.models import CitationGroup

# Only digits, commas, spaces and dashes between the parentheses.
_GROUP = re.compile(r"\(\s*(\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*,\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)\s*\)")
_ITEM = re.compile(r"(\d+)(?:\s*[-–—]\s*(\d+))?")
_MARKER = re.compile(r"\[(\d+(?:\s*[-–,]\s*\d+)*)\]")


def parse_group(inner: str, bibliography_size: int) -> frozenset[int] | None:
    """Reference numbers of a group's inner text, or None when it is not a citation group."""
    refs: set[int] = set()
    for item in _ITEM.finditer(inner):
        low = int(item.group(1))
        high = int(item.group(2)) if item.group(2) else low
        if not (1 <= low <= high <= bibliography_size):
            return None
        refs.update(range(low, high + 1))
    return frozenset(refs) if refs else None


def find_groups(text: str, bibliography_size: int, offset: int = 0) -> list[CitationGroup]:
    """All citation groups in ``text``; spans are shifted by ``offset``."""
    groups = []
    for m in _GROUP.finditer(text):
        refs = parse_group(m.group(1), bibliography_size)
        if refs is not None:
            groups.append(CitationGroup(refs, m.start() + offset, m.end() + offset, m.group(0)))
    return groups


def strip_groups(text: str, bibliography_size: int) -> str:
    """``text`` without its citation groups (spacing tidied)."""
    for group in reversed(find_groups(text, bibliography_size)):
        text = text[: group.start] + text[group.end :]
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()


def format_marker(refs: frozenset[int] | set[int] | list[int]) -> str:
    """``{68, 69, 70}`` -> "[68, 69, 70]"; empty -> ""."""
    return f"[{', '.join(str(n) for n in sorted(refs))}]" if refs else ""


def groups_to_markers(text: str, bibliography_size: int) -> str:
    """Rewrite "(4,13-16)" as "[4, 13, 14, 15, 16]" so a reader sees reference markers."""
    for group in reversed(find_groups(text, bibliography_size)):
        text = text[: group.start] + format_marker(group.refs) + text[group.end :]
    return text


def parse_markers(text: str) -> list[tuple[int, int, frozenset[int]]]:
    """Bracket markers written in an answer: (start, end, numbers); "[68-71]" expands."""
    out = []
    for m in _MARKER.finditer(text):
        numbers: set[int] = set()
        for item in _ITEM.finditer(m.group(1)):
            low = int(item.group(1))
            high = int(item.group(2)) if item.group(2) else low
            if high - low <= 1000:
                numbers.update(range(low, high + 1))
        out.append((m.start(), m.end(), frozenset(numbers)))
    return out
