"""Document metadata from the document itself: country, edition year, kind, title, publisher and
assessment level, each recorded with where it came from (``catalog`` or ``inferred``).

The evidence, strongest first:

- the opening statement of a country report, "In 2019, <Country> made a moderate advancement ...":
  the country and the *reporting* year (the edition), not the year it was published;
- running page headers of the raw extraction (normalisation drops them as furniture, but a line
  repeated page after page that names a country, or reads "MODERATE ADVANCEMENT", is evidence);
- a series title line such as "2019 FINDINGS ON THE WORST FORMS OF CHILD LABOR";
- the country named most often (names and demonyms), when it clearly dominates.

Catalog values always win; a value the catalog leaves empty is inferred. Country values are put in
the canonical form of :mod:`qa.text.countries` so "Ivory Coast" and "Côte d'Ivoire" are one country.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from qa.models import Bibliography, DocumentMeta
from qa.text.countries import canonical, find_mentions, fold, lookup

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_LEVEL = re.compile(r"^\s*((?:SIGNIFICANT|MODERATE|MINIMAL|NO)\s+ADVANCEMENT\b.*?)\s*$", re.I)
_OPENING = re.compile(
    r"\bIn (?P<year>(?:19|20)\d\d), (?P<country>[^,.;\n]{2,60}?) made (?:a |an )?(?P<level>significant|moderate|"
    r"minimal|no) advancement", re.I)
# a series title repeated on the pages: "2019 FINDINGS ON THE WORST FORMS OF CHILD LABOR" (an extraction
# may glue the page number to it: "12020 FINDINGS ...")
_SERIES = re.compile(r"^\s*\d{0,3}?(?P<year>(?:19|20)\d\d)\s+(?P<title>[A-Z][A-Z ,'’-]{12,})\s*$")
_PUBLISHED = re.compile(rf"\b(\d{{1,2}} (?:{_MONTHS}) \d{{4}})\b")
_FIRST_IN_YEAR = re.compile(r"\b(?:In|in) (20\d\d|19\d\d)\b")
# publishers recognised by the name of the series they publish, or by their own name at the top of
# an article; none of these names a country
_SERIES_PUBLISHERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"findings on the worst forms of child labor", re.I),
     "U.S. Department of Labor, Bureau of International Labor Affairs"),
)
_OWN_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bInternational Labour (?:Organization|Office)\b|\bILO\b"), "International Labour Organization"),
    (re.compile(r"\bUNICEF\b"), "UNICEF"),
)
FIELDS = ("title", "publisher", "kind", "country", "year", "published", "level")


def _smart_title(text: str) -> str:
    small = {"of", "the", "on", "in", "and", "for", "to", "a", "an", "but", "that"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def running_lines(raw: str) -> list[str]:
    """Short lines repeated through the raw extraction: page headers and footers."""
    counts = Counter(line.strip() for line in raw.split("\n") if line.strip() and "\t" not in line)
    return [t for t, n in counts.items() if n >= 2 and len(t.split()) <= 12]


def _country_votes(raw: str, text: str, opening: re.Match[str] | None, headers: list[str]) -> Counter[str]:
    votes: Counter[str] = Counter()
    if opening and (c := lookup(opening.group("country"))):
        votes[c.name] += 5
    elif opening and (name := _proper_name(opening.group("country"))):
        votes[name] += 5  # a report on a territory ISO 3166 does not list ("In 2019, Kosovo made ...")
    head = [ln.strip() for ln in raw.strip().split("\n")[:3]]
    for line in set(headers) | set(head):
        if (c := lookup(line)) is not None:
            votes[c.name] += 3 if line in headers else 2
    named = Counter(m.country.name for m in find_mentions(text))
    if named:
        (top, n), *rest = named.most_common(2)
        runner = rest[0][1] if rest else 0
        if n >= 3 and n >= 2 * runner:  # clearly the subject, not one of several countries discussed
            votes[top] += 2
    return votes


_PROPER = re.compile(r"[A-Z][\w'’.-]*(?: (?:and|of|the|[A-Z][\w'’.-]*)){0,5}")


def _proper_name(text: str) -> str | None:
    """``text`` as a place name: capitalised words (joined by "and"/"of"/"the"), a leading "the"
    dropped; None for anything else ("the government")."""
    name = " ".join(text.split()).removeprefix("the ")
    return name if _PROPER.fullmatch(name) else None


def _level(raw: str, opening: re.Match[str] | None) -> str:
    for line in raw.split("\n")[:400]:
        if m := _LEVEL.match(line):
            return _smart_title(" ".join(m.group(1).split()))
    if opening:
        return f"{opening.group('level').capitalize()} Advancement"
    return ""


def _series(raw: str) -> re.Match[str] | None:
    for line in raw.split("\n")[:60]:
        if (m := _SERIES.match(line)) and not _LEVEL.match(line):
            return m
    return None


def series_title(line: str, country: str) -> str:
    """The title a series line names ("2019 FINDINGS ON THE WORST FORMS OF CHILD LABOR" ->
    "2019 Findings on the Worst Forms of Child Labor: Mali"), or "" when ``line`` is no series line."""
    m = _SERIES.match(line)
    return _series_title(m, country) if m and not _LEVEL.match(line) else ""


def _series_title(series: re.Match[str], country: str) -> str:
    base = f"{series.group('year')} {_smart_title(series.group('title'))}"
    return f"{base}: {country}" if country else base


def _title(raw: str, country: str, series: re.Match[str] | None, year: int | None, headers: list[str]) -> str:
    if series is not None:
        return _series_title(series, country)
    furniture = set(headers)
    lines = [ln.strip() for ln in raw.strip().split("\n")[:12]]
    for line in lines:
        line = re.sub(r"^#+\s*", "", line)
        if not line or line in furniture or line.isdigit():
            continue  # a running header or a page number is no title
        if not lookup(line) and not _LEVEL.match(line):
            # a heading line; an opening sentence is no title
            if len(line) <= 200 and (len(line.split()) <= 30 or not line.endswith(".")):
                return line
            break
    return " ".join(p for p in (country, str(year or ""), "country report") if p) if country else ""


def infer_meta(meta: DocumentMeta, raw: str, text: str, bibliography: Bibliography) -> DocumentMeta:
    """``meta`` (from the catalog) with every empty field filled from the document, and ``origin``
    saying, field by field, whether the value came from the catalog or was inferred."""
    folded = fold(raw)
    opening = _OPENING.search(folded[:5000])
    headers = running_lines(raw)
    series = _series(raw)
    origin = {f: "catalog" for f in FIELDS if getattr(meta, f) not in ("", None)}
    found: dict[str, object] = {}

    votes = _country_votes(raw, text, opening, headers)
    found["country"] = votes.most_common(1)[0][0] if votes else ""
    found["level"] = _level(raw, opening)
    # a bibliography, an assessment level or the opening statement each mark a country report (a PDF
    # whose bibliography the reader lost is still one)
    report_like = bool(len(bibliography)) or bool(found["level"]) or opening is not None
    found["kind"] = "country-report" if report_like else "article"
    m = _PUBLISHED.search(text[:2000])
    found["published"] = m.group(1) if m else ""
    year = None
    if opening:
        year = int(opening.group("year"))
    elif series:
        year = int(series.group("year"))
    elif found["published"]:
        year = int(str(found["published"])[-4:])
    elif m := _FIRST_IN_YEAR.search(text):
        year = int(m.group(1))
    found["year"] = year
    country = meta.country or str(found["country"])
    found["title"] = _title(raw, canonical(country) if country else "", series, meta.year or year, headers)
    # a series title anywhere near the top; an organisation's own name only in the opening lines
    # (a USDOL report cites the ILO on its first page)
    opening_lines = "\n".join([ln for ln in raw.split("\n") if ln.strip()][:2])
    found["publisher"] = publisher_named_in(raw[:3000], series_only=True) or publisher_named_in(opening_lines)

    values: dict[str, object] = {}
    for f in FIELDS:
        if f in origin:
            continue
        if found.get(f) not in ("", None):
            values[f] = found[f]
            origin[f] = "inferred"
    if meta.country:
        values["country"] = canonical(meta.country)
    return replace(meta, **values, origin=tuple(sorted(origin.items())))


def publisher_named_in(text: str, series_only: bool = False) -> str:
    """The publisher a text names, by the series it publishes or (unless ``series_only``) by its
    own name; "" when none."""
    patterns = _SERIES_PUBLISHERS if series_only else _SERIES_PUBLISHERS + _OWN_NAMES
    return next((name for pattern, name in patterns if pattern.search(text)), "")
