"""The years a text or a question names: the years asked ("in 2018 and 2020", "since 2018", a span
closing the question), the years a passage gives figures for (not a comparison's "than in 2018", not
an instrument's number "Law 2017-021"), ranges expanded. Shared by question analysis, scoping,
follow-ups and the unit scorer."""

from __future__ import annotations

import re
from datetime import date

YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
YEAR_RANGE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\s*[-–—]\s*(19[5-9]\d|20[0-4]\d)\b")

# a year named only as the point of comparison ("$100,000 compared to 2018", "3 fewer than in 2018")
# is not the year a figure is for, nor the year a question asks about
_COMPARED_YEAR = re.compile(r"\b(?:compared (?:to|with)|than(?: in)?|relative to|up from|down from)\s+(?:in\s+)?"
                            r"(19[5-9]\d|20[0-4]\d)\b")


# a year that opens a legal or document number ("Law 2017-021", "Decree No. 2017-682", "2015-36"):
# the text names the instrument, it gives no figure for that year. "2018-2022" and "2019-20" are spans.
_NUMBERED_ID = re.compile(r"\b(19[5-9]\d|20[0-4]\d)-(\d{2,4})\b")


def _instrument_years(text: str) -> list[str]:
    out = []
    for m in _NUMBERED_ID.finditer(text):
        tail = m.group(2)
        span = YEAR.fullmatch(tail) or (len(tail) == 2 and int(tail) == (int(m.group(1)) + 1) % 100)
        if not span:
            out.append(m.group(1))
    return out


# a year opening the name of a thing ("the 2015 Peace Accord", "the 2003 Penal Code"): the passage
# names the thing, it gives no fact for that year
_NAMED_THING = re.compile(r"\b((?:[Tt]he|[Ii]ts|[Tt]heir|[Aa]n?)\s+)(?:19[5-9]\d|20[0-4]\d)(?=\s+[A-Z][a-z])")


def named_years(text: str) -> set[int]:
    """Years a text gives figures or facts for: named ones, less those named only as a comparison
    or as the first part of an instrument's number."""
    named = YEAR.findall(text)
    for year in _instrument_years(text):
        named.remove(year)
    compared = _COMPARED_YEAR.findall(text)
    return {int(y) for y in named if named.count(y) > compared.count(y)}


def fact_years(passage: str) -> set[int]:
    """The years a passage gives facts for (``named_years``), less a year opening a thing's name
    ("... all signatories of the 2015 Peace Accord" gives no fact for 2015). A question's "the 2020
    Mali report" names an edition, which the scope reads: for passages only."""
    return named_years(_NAMED_THING.sub(r"\1", passage))


def compared_years(question: str) -> set[int]:
    """The years a question names only as the point of comparison ("in 2020 compared to 2018" -> {2018})."""
    return {int(y) for y in _COMPARED_YEAR.findall(question)} - named_years(question)


# a span of years closing the question or a clause: the years asked, not a plan's or a law's
_ASKED_SPAN = re.compile(rf"{YEAR_RANGE.pattern}(?=\s*(?:[?.!,;]|$))")


def listed_years(question: str) -> set[int]:
    """The years a question names one by one ("in 2018 and 2020"), or as a span closing it ("in
    2018-2020?"), not as the span of a thing named ("the 2018–2022 plan"), a point of comparison or
    an instrument's number."""
    asked_spans = " ".join(m.group(0) for m in _ASKED_SPAN.finditer(question))
    return named_years(question) - range_years(question) | range_years(asked_spans)


# "since 2018", "from 2018 on(wards)": a year and every later one (not "from 2018 to 2020", nor "the
# report from 2018", an edition)
SINCE = re.compile(r"\b(?:since|(?<!report )(?<!reports )(?<!edition )(?<!editions )(?<!chapter )(?<!version )from)"
                   r"\s+((?:19|20)\d\d)\b(?!\s*(?:to|until|till|through|and|[-–—]))", re.I)


def asked_years(question: str) -> set[int]:
    """The years a question asks about: those it names (ranges expanded; "since 2018" runs to this
    year), less a year named only as the point of comparison ("By how much did it fall compared with
    2019?")."""
    named = years_in(question) - (years_in(question) - named_years(question) - range_years(question))
    if (since := SINCE.search(question)) and int(since.group(1)) in named:
        named |= set(range(int(since.group(1)), max(date.today().year, int(since.group(1))) + 1))
    return named


def range_years(text: str) -> set[int]:
    out: set[int] = set()
    for a, b in YEAR_RANGE.findall(text):
        if int(a) <= int(b) and int(b) - int(a) <= 30:
            out.update(range(int(a), int(b) + 1))
    return out


def years_in(text: str) -> set[int]:
    """Years a text names, with ranges expanded ("2018–2022" covers 2020)."""
    found = {int(y) for y in YEAR.findall(text)}
    for a, b in YEAR_RANGE.findall(text):
        lo, hi = int(a), int(b)
        if lo <= hi and hi - lo <= 30:
            found.update(range(lo, hi + 1))
    return found
