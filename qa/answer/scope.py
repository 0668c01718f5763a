"""A question's scope: which countries, editions and documents may answer it.

Decided once, from the question, the explicit filters (``doc``, ``country``, ``year``) and the
conversation, then carried as a small frozen :class:`Scope` through retrieval (a filter applied
before ranking) and answering. No later stage re-guesses the country from words.

- A question naming countries (names, official or short forms, demonyms) is scoped to them.
- A follow-up naming none keeps the conversation's country ("And in 2018?"); one naming another
  switches ("What about Ghana?").
- "the 2018 and 2019 editions" / "the 2019 report" / "the report for 2019" restrict editions (a
  document's reporting year); a bare "in 2019" does not: a figure for 2019 may sit in a later
  edition's table. A follow-up naming no year keeps the edition the conversation named.
- "the latest Mali report" / "the earliest edition" restrict to the newest / oldest indexed edition
  of the country named (of all country reports when none is).
- Named countries no indexed report covers are kept in ``unindexed`` so the answer can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from qa.answer.acronym_scope import acronym_countries
from qa.answer.followup import SHORT_TURN, compares_with, is_followup, refers_to_report
from qa.answer.question import QuestionInfo, content_words
from qa.answer.years import SINCE, asked_years, compared_years, listed_years
from qa.errors import InvalidInput
from qa.text.countries import canonical, capital_countries, find_mentions, initialism_countries, lookup

# "the 2018 and 2019 editions", "the 2019 report", "the 2019 Mozambique report" (a capitalised name may
# stand between the year and the word; "in 2019 the government reports" is no edition)
# ("country chapter": USDOL's own word for one country's report)
_EDITIONS = re.compile(
    r"\b((?:19|20)\d\d)\b(?=(?:\s*(?:,|and|&|or|vs\.?|versus)\s*(?:the\s+)?(?:19|20)\d\d)*'?s?\s+"
    r"(?:(?:(?-i:[A-Z])[\w'’-]*|country)\s+){0,3}(?:editions?|reports?|chapters?|findings|versions?)\b)", re.I)
# "the report for 2020", "the Mali chapter of 2018", "the edition for 2019 and 2020", "the report covering 2018",
# "the report from 2018" (not "the reports from 2018 to 2020", a span of years)
_EDITIONS_AFTER = re.compile(
    r"\b(?:editions?|reports?|chapters?|versions?)\s+(?:(?:on|about)\s+(?-i:[A-Z])[\w'’-]*\s+)?(?:for|of|covering|"
    r"from(?!\s+(?:19|20)\d\d\s*(?:to|through|until|till|-|–)\s*(?:19|20)\d\d))\s+"
    r"((?:19|20)\d\d(?:\s*(?:,|and|&|or)\s*(?:19|20)\d\d)*)\b", re.I)

# "the latest Mali report", "the most recent edition", "USDOL's earliest findings on Mali": an edition
# named by its place among the indexed ones
NEWEST = r"latest|most\s+recent|newest|current|last"  # words naming the newest of the editions
OLDEST = r"earliest|oldest|first"  # ... and the oldest
_RELATIVE_EDITION = re.compile(
    rf"\b({NEWEST}|{OLDEST})\s+(?:(?:(?-i:[A-Z])[\w'’-]*|country)\s+){{0,3}}"
    r"(?:editions?|reports?|chapters?|findings)\b", re.I)


# a turn naming no country with at most SHORT_TURN content words is about the conversation's
# country: too little to be a question about every report at once (followup.py reads such a turn's
# new noun as the topic that replaces the earlier turn's)


@dataclass(frozen=True)
class DocInfo:
    """What scoping needs to know about one indexed document."""

    id: str
    country: str
    year: int | None
    kind: str
    acronyms: frozenset[str] = frozenset()  # acronyms of the index's table its text writes


@dataclass(frozen=True)
class Scope:
    countries: frozenset[str] = frozenset()  # canonical country names; empty = any country
    editions: frozenset[int] = frozenset()  # reporting years of the documents allowed; empty = any
    docs: frozenset[str] = frozenset()  # document ids allowed; empty = any
    years: frozenset[int] = frozenset()  # years the question asks figures for (a preference, no filter)
    unindexed: tuple[str, ...] = ()  # countries the question names that no indexed report covers
    inherited: bool = False  # the country came from earlier turns of the conversation
    excluded: tuple[str, ...] = ()  # countries the question names that the country filter leaves out
    # the conversation's countries a follow-up left for its acronyms' ("And CNLTE?" after Niger, when
    # only Mali's reports write CNLTE): (countries left, the acronyms)
    left: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    linked: bool = False  # the question links its countries: one answer from any of their reports

    @property
    def restricted(self) -> bool:
        return bool(self.countries or self.editions or self.docs)

    @property
    def impossible(self) -> bool:
        """The question names only countries no indexed report covers."""
        return bool(self.unindexed) and not self.countries

    def admits(self, doc_id: str, country: str, year: int | None, kind: str = "") -> bool:
        """May the document answer? A document of no known country is admitted by a country scope
        only when it is no country report (an article about a region, say)."""
        if self.docs and doc_id not in self.docs:
            return False
        if self.editions and year not in self.editions:
            return False
        if self.countries:
            if country:
                return canonical(country) in self.countries
            return kind != "country-report"
        return True

    def parts(self, comparison: bool) -> list[Scope]:
        """One sub-scope per country (several countries named) or per edition (several editions
        named: "according to the 2018 and 2020 reports", or compared), each answered from its own
        report; otherwise ``[self]``. An edition's part asks for the edition's own year unless the
        question, comparing nothing, asks for another year ("the 2019 and 2020 reports on 2018")."""
        if len(self.countries) > 1 and not self.linked:
            return [replace(self, countries=frozenset({c})) for c in sorted(self.countries)]
        if len(self.editions) > 1:
            other = self.years - self.editions
            return [replace(self, editions=frozenset({e}), years=frozenset(other if other and not comparison else {e}))
                    for e in sorted(self.editions)]
        return [self]

    def describe(self) -> str:
        bits = sorted(self.countries) + [str(e) for e in sorted(self.editions)] + sorted(self.docs)
        return " ".join(bits) or "all documents"


def editions_named(question: str) -> set[int]:
    """Years a question uses as editions: "the 2018 and 2019 editions", "the 2019 report"."""
    after = " ".join(_EDITIONS_AFTER.findall(question))
    return {int(y) for y in _EDITIONS.findall(question)} | {int(y) for y in re.findall(r"(?:19|20)\d\d", after)}


def edition_only_years(question: str) -> set[int]:
    """Years a question names only as an edition ("Per the 2018 report, how much ...?"), not also as
    the year of a figure ("In the 2020 report, how many inspections in 2020?")."""
    return {y for y in editions_named(question) if len(re.findall(rf"\b{y}\b", question)) == 1}


def edition_read(question: str, info: QuestionInfo) -> QuestionInfo:
    """``info`` knowing which of its years the question names only as the edition asked ("Per the
    2018 report, ...?"). "In the 2020 report, how many inspectors in 2019?" asks for 2019's column
    alone; a question naming no other year keeps the edition's year (its reporting year)."""
    only = frozenset(edition_only_years(question) & info.years)
    if not only:
        return info
    return replace(info, edition_years=only, years=frozenset(info.years - only) or info.years)


def _conversation_editions(question: str, history: list[str]) -> set[int]:
    """Editions the question names, else — for a follow-up naming no year — those of the latest
    earlier turn naming a year ("In the 2018 report, how many inspectors?" then "And the funding?")."""
    named = editions_named(question)
    if named or asked_years(question) or not is_followup(question, history):
        return named
    for earlier in reversed(history):
        if asked_years(earlier) or editions_named(earlier):
            return editions_named(earlier)
    return set()


def _conversation_years(question: str, history: list[str]) -> set[int]:
    """Years the question asks about, else — for one pointing at "this report" — those the latest
    earlier turn naming a year asked about: "What is source 7 of that report?" after a question on
    Mali in 2020 is about the report that answered it, the 2020 edition (see own_edition)."""
    asked = asked_years(question)
    if asked or not history or not refers_to_report(question):
        return asked
    return next((years for earlier in reversed(history) if (years := asked_years(earlier))), set())


def documents_named(question: str, docs: Iterable[DocInfo]) -> set[str]:
    """Document ids the question writes ("What is [usdol-2019-mali: 4]?", an answer's label when the
    id is the only one). An id that is a plain word ("note") or number ("2019") reads as one, not as the id."""
    tokens = {t.rstrip(".") for t in re.findall(r"[\w.-]+", question)}  # "... in usdol-2019-mali."
    return {d.id for d in docs if d.id in tokens and not d.id.isalpha() and not d.id.isdigit()}


# "the ILO article", "this story", "the news item": the document asked about is an article, not a
# country report ("Which article of the Labor Code ...?", "Article 152" name a law's article)
_ARTICLE_ASKED = re.compile(r"\b(?:the|this|that)\s+(?:[\w'’-]+\s+){0,2}?(?:article|story|news\s+(?:item|story|piece)|"
                            r"press\s+release)\b(?!\s+(?:of|in|on\s+the\s+(?:law|code))\b|\s+\d)", re.I)


# "each Mali edition", "every report", "all (the) editions", "across the editions"
_EVERY_EDITION = re.compile(r"\b(?:each|every|all(?:\s+the)?(?:\s+(?:two|three|four|five|\d))?|across(?:\s+the)?)\s+"
                            r"(?:(?:[A-Z][\w'’-]+|indexed|available)\s+){0,2}(?:editions?|reports?|versions?)\b", re.I)


def _every_edition(question: str, named: list[str], docs: list[DocInfo]) -> set[int]:
    """ "each Mali edition", "all the editions", "across editions": every indexed edition of the one
    country named; none for any other question."""
    if len(named) != 1 or not _EVERY_EDITION.search(question):
        return set()
    return _editions(docs, named)


def articles_named(question: str, docs: Iterable[DocInfo]) -> set[str]:
    """The articles indexed (every document that is no country report) when the question asks about
    "the article"; none when it does not or none is indexed."""
    return {d.id for d in docs if d.kind != "country-report"} if _ARTICLE_ASKED.search(question) else set()


def _countries_named(text: str, local: tuple[str, ...] = ()) -> list[str]:
    """Countries the text names, by name, demonym or initialism ("the USA", "the DRC"), or by one
    of the ``local`` names (countries the corpus has reports on that ISO 3166 does not list, e.g.
    Kosovo); when it names none, those whose capital it names ("How much did Bamako spend?" asks
    about Mali's government)."""
    out: list[str] = []
    named = [m.country.name for m in find_mentions(text)] + [c.name for c in initialism_countries(text)]
    flags = 0 if re.search(r"[A-Z]", text) else re.I  # case-sensitive as names are (countries.py)
    named += [c for c in local if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text, flags)]
    for name in named:
        if name not in out:
            out.append(name)
    return out or [c.name for c in capital_countries(text)]


def _conversation_countries(question: str, history: list[str], local: tuple[str, ...]) -> tuple[list[str], bool]:
    """Countries of the question, else — for a follow-up, or a short question that leans on the
    conversation ("Is education free?") — of the latest earlier turn naming any."""
    named = _countries_named(question, local)
    short = len(content_words(question)) <= SHORT_TURN
    if named and compares_with(question, history):  # "Compare with Niger": the earlier country stays
        earlier = next((found for turn in reversed(history) if (found := _countries_named(turn, local))), [])
        return list(dict.fromkeys(earlier + named)), bool(earlier)
    if named or not history or not (short or is_followup(question, history)):
        return named, False
    for k in range(len(history) - 1, -1, -1):
        if found := _countries_named(history[k], local):
            if compares_with(history[k], history[:k]):  # "Compare with Senegal" asked of Mali too
                found, _ = _conversation_countries(history[k], history[:k], local)
            return found, True
    return [], False


def decide_scope(question: str, history: list[str], documents: Iterable[DocInfo], doc: str | None = None,
                 country: str | None = None, year: int | None = None, comparison: bool = False) -> Scope:
    """The scope of ``question`` (:class:`InvalidInput` for a ``country`` filter naming no country). A
    ``comparison`` of years about one country whose editions of those years are indexed compares the
    editions ("How did funding change from 2018 to 2019?"), each year's figure from its own report."""
    docs = list(documents)
    indexed = {canonical(d.country) for d in docs if d.country}
    local = tuple(sorted(c for c in indexed if lookup(c) is None))  # e.g. "Kosovo", not in ISO 3166
    if country is not None:
        found = lookup(country)
        mine = next((c for c in local if c.casefold() == country.strip().casefold()), None)
        if found is None and mine is None:
            raise InvalidInput(f"unknown country {country!r} (use a country name or ISO code)")
        named, inherited = [found.name if found else str(mine)], False
        # "How many inspectors did Mali have?" under the filter Niger asks what the filter rules out
        asked = _countries_named(question, local)
        excluded = tuple(asked) if asked and not set(asked) & set(named) else ()
    else:
        named, inherited = _conversation_countries(question, history, local)
        excluded = ()
    left = None
    if inherited and doc is None and (moved := acronym_countries(question, named, docs)):
        left, named, inherited = (tuple(named), moved[1]), moved[0], False
    editions = _conversation_editions(question, history)
    if year is not None:
        editions = {year}
    # "And in the latest edition?" names its edition, in place of the one an earlier turn named
    which = _relative_named(question, history, bool(editions))
    if which and year is None and not editions_named(question) and len(named) <= 1:
        editions = _relative_edition(which, docs, named) or editions
    if not editions and year is None and not doc:
        editions = _every_edition(question, named, docs)
    asked = _conversation_years(question, history)
    # "in 2020 compared to 2018": the year compared with is one side of the comparison, its edition too
    both = asked | compared_years(question) if comparison and asked else asked
    if comparison and not editions and not doc and len(both) > 1 and len(named) <= 1:
        have = _editions(docs, named)
        if len(have & both) > 1:
            editions, asked = have & both, both
    elif not editions and not doc and len(named) == 1:
        # "How many inspectors did Mali have in 2018 and 2020?": each year from its own report when every
        # one is an indexed edition (the 2020 report's table has no 2018 column); "since 2018": every
        # indexed edition from that year on
        have = _editions(docs, named)
        listed = listed_years(question)
        if (since := SINCE.search(question)) and listed == {int(since.group(1))}:
            listed = {y for y in have if y >= int(since.group(1))}
        if len(listed) > 1 and listed <= have:
            editions, asked = listed, listed
    return Scope(
        countries=frozenset(c for c in named if c in indexed),
        editions=frozenset(editions),
        docs=frozenset({doc}) if doc else frozenset(documents_named(question, docs) or articles_named(question, docs)),
        years=frozenset(asked),
        unindexed=tuple(c for c in named if c not in indexed),
        inherited=inherited,
        excluded=excluded,
        left=left,
        linked=country is None and not comparison and links_countries(question),
    )


# a question linking the two countries it names asks one thing of them together ("Does Mali
# cooperate with Niger on trafficking?", "Are Malian children trafficked to Senegal?"): answered once
# from either report, not one line each setting two unrelated facts side by side
_LINKED_BY = re.compile(r"\b(?:with|to|from|into|towards?)\s+(?:the\s+)?$", re.I)
_JOINED = re.compile(r"\s*(?:,|and|or|&|/)\s*(?:(?:in|for|of)\s+)?(?:the\s+)?", re.I)
_SIDE_BY_SIDE = re.compile(r"\b(?:compar\w*|versus|vs\.?|than|more|fewer|less|most|least|higher|lower|bigger|"
                           r"smaller|both|each|either|rank\w*|differ\w*|against|similar\w*|same)\b", re.I)


def links_countries(question: str) -> bool:
    """The question names two countries and links them (one introduced by "with", "to", "from",
    "into", or one by its demonym: "Did Senegal repatriate Malian children?"), comparing nothing."""
    mentions = find_mentions(question)
    if len({canonical(m.country.name) for m in mentions}) != 2 or _SIDE_BY_SIDE.search(question):
        return False
    if any(_JOINED.fullmatch(question[a.end:b.start]) for a, b in zip(mentions, mentions[1:])):
        return False  # "children from Mali and Niger": the two side by side
    return any(_LINKED_BY.search(question[:m.start]) for m in mentions) or sum(m.demonym for m in mentions) == 1


def _editions(docs: list[DocInfo], named: list[str]) -> set[int]:
    """The years of the indexed country reports of the ``named`` countries (of every country when
    none is named)."""
    return {d.year for d in docs
            if d.kind == "country-report" and d.year and (not named or canonical(d.country) in named)}


def with_edition_named(question: str, editions: frozenset[int]) -> str:
    """ "the latest Mali report" -> "the 2020 Mali report" once the scope holds that one edition:
    retrieval and answering then read the edition as if the question had named its year."""
    m = _RELATIVE_EDITION.search(question)
    if m is None or len(editions) != 1:
        return question
    return question[:m.start(1)] + str(min(editions)) + question[m.end(1):]


def _relative_named(question: str, history: list[str], have_editions: bool) -> str | None:
    """The place word ("latest", "earliest", ...) the question names its edition by; for a
    follow-up naming no edition ("And the funding?"), the one of the latest earlier turn naming any."""
    if m := _RELATIVE_EDITION.search(question):
        return m.group(1)
    if have_editions or asked_years(question) or not is_followup(question, history):
        return None
    for earlier in reversed(history):
        if asked_years(earlier) or editions_named(earlier):
            return None
        if m := _RELATIVE_EDITION.search(earlier):
            return m.group(1)
    return None


def _relative_edition(word: str, docs: list[DocInfo], named: list[str]) -> set[int]:
    """The newest (or, for "earliest"/"oldest"/"first", the oldest) edition of the named country's
    indexed reports; of all country reports when no country is named."""
    have = sorted(_editions(docs, named))
    if not have:
        return set()
    return {have[0]} if re.fullmatch(OLDEST, word, re.I) else {have[-1]}


def indexed_countries(documents: Iterable[DocInfo]) -> list[str]:
    return sorted({canonical(d.country) for d in documents if d.country})


def own_edition(scope: Scope, documents: Iterable[DocInfo]) -> Scope | None:
    """For a question about one year, the scope narrowed to the country reports on that year,
    when any is indexed among several editions; else None."""
    if len(scope.years) != 1 or scope.editions or scope.docs:
        return None
    reports = [d for d in documents if d.kind == "country-report" and scope.admits(d.id, d.country, d.year, d.kind)]
    if not any(d.year in scope.years for d in reports) or all(d.year in scope.years for d in reports):
        return None
    return replace(scope, editions=scope.years)


def part_edition(part: Scope, documents: Iterable[DocInfo]) -> Scope:
    """One country's line of a comparison answered from one of its editions: the report on the year
    asked (``own_edition``), else, no year or edition asked, its latest report ("Compare the share of
    working children in Mali and Niger" had quoted Mali's 2018 edition beside Niger's 2019 one)."""
    if (own := own_edition(part, documents)) is not None:
        return own
    if len(part.countries) != 1 or part.editions or part.years or part.docs:
        return part
    years = [d.year for d in documents if d.kind == "country-report" and d.year
             and part.admits(d.id, d.country, d.year, d.kind)]
    return replace(part, editions=frozenset({max(years)})) if len(set(years)) > 1 else part
