"""Sentence splitting and citation attachment.

A citation group backs the text before it back to the previous group: a group at the end of a
paragraph covers every sentence since the previous group. So each sentence ends up knowing the
reference numbers that back it, which is what the answer stage cites.
"""

from __future__ import annotations

import re

from qa.ingest.citations import find_groups
from qa.models import CitationGroup, Sentence

# Tokens ending in "." that do not end a sentence.
_ABBREVIATIONS = frozenset(
    "no nos art arts c u.s mr mrs ms dr st vs e.g i.e etc approx jan feb mar apr jun jul aug sep sept oct nov dec "
    "dept govt inc ltd co corp rev vol para paras fig cont".split()
)
_END = re.compile(r"[.!?][\"'”’]?(?=\s+)")


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"(\S+)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower().strip("(\"'“")
    # single letters ("S." in "U.S.") and dotted initialisms are not sentence ends
    return token in _ABBREVIATIONS or len(token) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def _boundaries(text: str, groups: list[CitationGroup], offset: int) -> list[int]:
    """Character positions (relative to ``text``) where a new sentence starts."""
    starts: list[int] = []
    group_at = {g.start - offset: g.end - offset for g in groups}
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if i in group_at:
            end = group_at[i]
            nxt = re.match(r"\s+(?=[A-Z“\"])", text[end:])
            if nxt and depth == 0:
                starts.append(end + nxt.end())
            i = end
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and _END.match(text, i) and not (ch == "." and _is_abbreviation(text, i)):
            j = i + 1
            while j < len(text) and text[j] in "\"'”’":
                j += 1
            rest = text[j:]
            ws = re.match(r"\s+", rest)
            after = j + (ws.end() if ws else 0)
            if after in group_at:  # the group right after the period belongs to this sentence
                i = after
                continue
            if re.match(r"[A-Z0-9“\"‘'$]", text[after:after + 1]):
                starts.append(after)
        i += 1
    return sorted(set(starts))


def split_sentences(text: str, offset: int, bibliography_size: int, label: str | None = None) -> list[Sentence]:
    """Sentences of ``text`` (which starts at ``offset`` in the document) with attached refs."""
    groups = find_groups(text, bibliography_size, offset)
    cuts = [0, *_boundaries(text, groups, offset), len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            spans.append((offset + a + lead, offset + a + trail))
    return attach(spans, groups, text, offset, label)


def attach(spans: list[tuple[int, int]], groups: list[CitationGroup], text: str, offset: int,
           label: str | None) -> list[Sentence]:
    """Give each sentence the refs of the groups inside it, or else of the next group after it."""
    sentences: list[Sentence] = []
    pending: list[tuple[int, int]] = []
    for start, end in spans:
        inside = [g for g in groups if start <= g.start and g.end <= end]
        if not inside:
            pending.append((start, end))
            continue
        refs = frozenset().union(*(g.refs for g in inside))
        # text before this sentence's first group but after the previous group is backed by it too
        first = frozenset(inside[0].refs)
        for p_start, p_end in pending:
            sentences.append(Sentence(text[p_start - offset:p_end - offset], p_start, p_end, first, label))
        pending = []
        sentences.append(Sentence(text[start - offset:end - offset], start, end, refs, label))
    for p_start, p_end in pending:  # after the last group: nothing backs it
        sentences.append(Sentence(text[p_start - offset:p_end - offset], p_start, p_end, frozenset(), label))
    return sentences
