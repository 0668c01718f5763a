"""Word-level helpers of the answer scorer: a light stemmer, compound splitting, number words."""

from __future__ import annotations

import re

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million billion dozen".split()
)


def stem(word: str) -> str:
    """A light suffix stripper so "trained"/"training", "chairs"/"chaired", "focus"/"focuses" meet."""
    w = word.lower().strip("'’").removesuffix("'s")
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith(("ied", "ies")):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 4 and (w.endswith(("sses", "xes", "zes", "ches", "shes")) or w.endswith("ses") and w[-4] in "u"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def split_compounds(tokens) -> list[str]:  # type: ignore[no-untyped-def]
    """ "anti-trafficking" also counts as "anti" and "trafficking"."""
    out = []
    for t in tokens:
        out.append(t)
        if "-" in t or "/" in t:
            out.extend(p for p in re.split(r"[-/]", t) if p)
    return out


def readable_date(value: str) -> str:
    """ "2021-05-31" -> "31 May 2021"; anything else is returned as it is."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).strftime("%-d %B %Y")
    except ValueError:
        return value
