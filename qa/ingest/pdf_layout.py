"""Geometry of a PDF page's text: words -> lines -> columns -> paragraphs.

Everything here works from character positions (pdfplumber words with their boxes, font size and
font name); nothing looks at what the words say except to decide how two lines are glued (a URL
broken over lines is re-joined without a space, a line ending in a hyphen keeps it and loses the
space).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import numpy as np

Word = dict[str, Any]  # a pdfplumber word: text, x0, x1, top, bottom, size, fontname

# a line's words closer than this (in points) vertically are one line; superscript marks sit a
# little higher than the text they follow
LINE_TOLERANCE = 3.0
# the narrowest white strip (points) that separates two columns; wider than any word space of
# justified text, narrower than the gutters reports use
MIN_GUTTER = 8.0
# a vertical step larger than this many typical line pitches starts a new paragraph
PARAGRAPH_STEP = 1.4

_URL_TOKEN = re.compile(r"(?:https?://|www\.)\S*$")
_LETTERS = re.compile(r"[^\W\d_]+")
_LAST_LETTERS = re.compile(r"[^\W\d_]+$")
_URL_CHARS = re.compile(r"^[\w./?=&%:#~+@,;!*'()\-\[\]]+$")


@dataclass
class TextLine:
    """One printed line (or one column's part of it)."""

    words: list[Word]
    page: int
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    bold: bool = False
    text: str = field(default="")

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w["x0"])
        self.top = min(w["top"] for w in self.words)
        self.bottom = max(w["bottom"] for w in self.words)
        self.x0 = min(w["x0"] for w in self.words)
        self.x1 = max(w["x1"] for w in self.words)
        # the font of most characters decides the line's look (a bold label in a body line does not)
        weights: dict[tuple[float, bool], int] = {}
        for w in self.words:
            key = (round(float(w.get("size", 0.0)), 1), _is_bold(str(w.get("fontname", ""))))
            weights[key] = weights.get(key, 0) + len(w["text"])
        self.size, self.bold = max(weights, key=lambda k: weights[k])
        # a tab character the font cannot name comes out as "(cid:9)"
        self.text = " ".join(w["text"] for w in self.words).replace("(cid:9)", "\t")


def _is_bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi", fontname, re.I))


def group_lines(words: list[Word], page: int) -> list[TextLine]:
    """Cluster words into lines by their vertical position, top to bottom."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(w["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [TextLine(ws, page) for ws in lines]


def _free_at(line: TextLine, x: float) -> bool:
    half = MIN_GUTTER / 2
    return not any(w["x0"] - half < x < w["x1"] + half for w in line.words)


def _sides(line: TextLine, x: float) -> tuple[bool, bool]:
    """Whether the line has words left of x, right of x."""
    return any(w["x1"] <= x for w in line.words), any(w["x0"] >= x for w in line.words)


def find_gutter(lines: list[TextLine], left: float, right: float) -> float | None:
    """The x of a column gutter: the position in the middle of the page that the fewest lines
    cross, the widest such white strip (furthest from any word edge), with lines on both sides.

    Needs two lines on each side, so a lone wide space in justified text never makes columns.
    """
    width = right - left
    start, stop = left + 0.3 * width, left + 0.7 * width
    if not lines or stop < start:
        return None
    xs = start + np.arange(int(np.floor(stop - start)) + 1, dtype=float)  # candidates, 1 pt apart
    grid = xs[:, None]
    half = MIN_GUTTER / 2
    crossing = np.zeros(len(xs), dtype=int)
    clearance = np.full(len(xs), np.inf)
    for ln in lines:
        x0 = np.array([w["x0"] for w in ln.words])[None, :]
        x1 = np.array([w["x1"] for w in ln.words])[None, :]
        covered = ((grid > x0 - half) & (grid < x1 + half)).any(axis=1)
        crossing += covered
        nearest = np.minimum(np.abs(grid - x0), np.abs(grid - x1)).min(axis=1)
        clearance = np.where(covered, clearance, np.minimum(clearance, nearest))
    clearance[np.isinf(clearance)] = 0.0
    best = float(xs[np.lexsort((xs, -clearance, crossing))[0]])
    free = [_sides(ln, best) for ln in lines if _free_at(ln, best)]
    if sum(1 for lft, _ in free if lft) < 2 or sum(1 for _, rgt in free if rgt) < 2:
        return None
    return best


def split_columns(lines: list[TextLine], left: float, right: float) -> list[TextLine]:
    """Reading order: runs of lines that leave the gutter free are read left column, then right."""
    gutter = find_gutter(lines, left, right)
    if gutter is None:
        return lines
    out: list[TextLine] = []
    run: list[TextLine] = []

    def flush() -> None:
        sides = [_sides(ln, gutter) for ln in run]
        both = sum(1 for lft, rgt in sides if lft and rgt)
        lefts_n = sum(1 for lft, _ in sides if lft)
        rights_n = sum(1 for _, rgt in sides if rgt)
        # two columns: lines on both sides, more than a river of white in justified text could fake
        if lefts_n >= 2 and rights_n >= 2 and (both < len(run) or len(run) >= 4):
            lefts = [TextLine([w for w in ln.words if w["x1"] <= gutter], ln.page) for ln in run
                     if any(w["x1"] <= gutter for w in ln.words)]
            rights = [TextLine([w for w in ln.words if w["x0"] >= gutter], ln.page) for ln in run
                      if any(w["x0"] >= gutter for w in ln.words)]
            out.extend(lefts + rights)
        else:
            out.extend(run)
        run.clear()

    for ln in lines:
        if _free_at(ln, gutter):
            run.append(ln)
        else:
            flush()
            out.append(ln)
    flush()
    return out


def line_pitch(lines: list[TextLine]) -> float:
    """The typical distance from one line's top to the next one's within a paragraph."""
    steps = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 3 * max(a.size, 1)]
    return median(steps) if steps else 12.0


def vocabulary(words: list[Word]) -> frozenset[str]:
    """The document's own words, lower-cased: how it spells a word when no line break cuts it."""
    return frozenset(m.lower() for w in words for m in _LETTERS.findall(w["text"]))


def glue(left: str, right: str, words: frozenset[str] = frozenset()) -> str:
    """Join two printed lines of one paragraph or cell.

    A line ending in a hyphen keeps it ("non-" + "state"), unless ``words`` (the document's
    vocabulary) holds the two halves as one word: then the hyphen was the layout's ("pros-" +
    "pects" -> "prospects").
    """
    if not left:
        return right
    if not right:
        return left
    last = left.split()[-1]
    first = right.split()[0]
    if _URL_TOKEN.search(last) and (" " not in right.strip() or last.endswith(("/", "-", "_", "=", "?", "&")))\
            and _URL_CHARS.match(first) and not _URL_TOKEN.match(first):
        # a URL the layout broke over two lines; a hyphen it added inside a word goes too
        # ("...-migrant-s-" + "muggling.html": the address says "migrant-smuggling")
        return left[:-1] + right if _layout_hyphen(last, right, words) else left + right
    if left.endswith("-") and len(last) > 1 and last[-2].isalnum():
        if _layout_hyphen(last, right, words):
            return left[:-1] + right  # hyphenated by the layout: the document spells it whole
        return left + right  # the hyphen is printed, only the line break goes
    return f"{left} {right}"


def _layout_hyphen(last: str, right: str, words: frozenset[str]) -> bool:
    """``last`` (a line's last token) ends in a hyphen the layout added inside a word: the letters
    before it and the next line's first letters make one word of the document's vocabulary."""
    if not last.endswith("-") or len(last) < 2 or not last[-2].isalnum():
        return False
    head = _LAST_LETTERS.search(last[:-1])  # the letters just before the hyphen
    tail = _LETTERS.match(right)
    return bool(head and tail and right[:1].islower() and (head.group(0) + tail.group(0)).lower() in words)


def same_look(a: TextLine, b: TextLine) -> bool:
    return a.bold == b.bold and abs(a.size - b.size) < 0.6


def _next_word_fits(line: TextLine, nxt: TextLine, before: TextLine | None) -> bool:
    """Would the next line's first word have fitted after ``line``? The column's right edge is read
    off the lines around it (the line before, the next line), so a narrow block of text beside a
    picture is measured against its own width."""
    right = max(o.x1 for o in (before, nxt) if o is not None)
    first = nxt.words[0]
    return line.x1 + 0.3 * line.size + (first["x1"] - first["x0"]) < right - 2


def ends_short(line: TextLine, nxt: TextLine, before: TextLine | None) -> bool:
    """A line ends its paragraph when it ends a sentence and the next line's first word would have
    fitted after it: the line was broken on purpose, not because the column was full."""
    return line.text.rstrip().endswith((".", ":", "?", "!", ")")) and _next_word_fits(line, nxt, before)


def _wrapped(line: TextLine, nxt: TextLine, before: TextLine | None) -> bool:
    """The column, not the writer, broke ``line``: it stops mid-sentence and the next line's first
    word was too long to fit after it, and the next line finishes the sentence. A line in capitals
    is then the sentence's tail (an acronym and its citations, "GATIA. (14,29,39)"), not a heading
    (nor the next label of a list set in a narrow column, "UN CRC")."""
    return (not line.text.rstrip().endswith((".", ":", "?", "!", ")")) and nxt.text.rstrip().endswith((".", ")"))
            and not _next_word_fits(line, nxt, before))


def _caps_heading(line: TextLine) -> bool:
    """A short line in capitals ("REFERENCES", "II. ENFORCEMENT") is a heading even in body type."""
    text = line.text
    return any(c.isalpha() for c in text) and text.upper() == text and len(text.split()) <= 12


def _note_ends(line: TextLine, body_size: float) -> bool:
    """Notes in small type under a table: each one that ends a sentence on a line ends there."""
    return line.size < body_size - 0.5 and line.text.rstrip().endswith((".", ")"))


def paragraphs(lines: list[TextLine], pitch: float, body_size: float = 0.0) -> list[list[TextLine]]:
    """Group lines in reading order into paragraphs: a break at a larger vertical step, a change of
    font size or weight, after a short line that ends a sentence, or at a jump back up (the top of
    the next column) after a finished sentence."""
    groups: list[list[TextLine]] = []
    for ln in lines:
        if groups:
            prev = groups[-1][-1]
            step = ln.top - prev.top
            # a line with tabs is a table row of its own (a PDF printed from tab-separated text)
            before = groups[-1][-2] if len(groups[-1]) > 1 else None
            continues = same_look(prev, ln) and not ends_short(prev, ln, before) \
                and not (_note_ends(prev, body_size) and not ln.text.startswith("(") and not ln.text[:1].islower()) \
                and "\t" not in prev.text + ln.text \
                and (_caps_heading(prev) == _caps_heading(ln) or _wrapped(prev, ln, before)) and (
                0 < step <= PARAGRAPH_STEP * pitch
                # the top of the next column continues an unfinished sentence
                or (step < 0 and not prev.text.rstrip().endswith((".", ":", "?", "!"))))
            if continues and ln.page == prev.page:
                groups[-1].append(ln)
                continue
        groups.append([ln])
    return groups


def paragraph_text(lines: list[TextLine], words: frozenset[str] = frozenset()) -> str:
    text = ""
    for ln in lines:
        text = glue(text, ln.text, words)
    return text
