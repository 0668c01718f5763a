"""The BM25 analyzer: text -> index terms. The same function runs at index time and query time.

Lower-cased word tokens (numbers kept: "113", "2019" are what many questions hinge on), common
English function words and "[n]" citation markers dropped (otherwise "4" in a question matches
every passage citing source 4), and a light plural/possessive stemmer so "inspectors" finds
"inspector" and "children's" finds "children".
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")  # "[4, 49]": citation markers, not content
_TOKEN = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset("""
a an and are as at be been but by did do does for from had has have how if in into is it its
of on or such that the their then there these they this to was were what when where which who
whom why will with would about also than them those s
""".split())


def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def bm25_tokens(text: str) -> list[str]:
    text = _MARKER.sub(" ", text).lower().replace("’", "'").replace("'s", "")
    return [stem(t) for t in _TOKEN.findall(text) if t not in STOPWORDS]
