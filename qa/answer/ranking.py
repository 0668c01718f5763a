"""Questions ranking countries ("Which country has the most labor inspectors?"): the reports give
one figure per country and rank none, so the question is asked of every indexed country's own
report, one line each, and the reader compares. With more countries than a reader can compare in
one answer, the user is asked to name the ones to compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from qa.answer.features import counted_phrase
from qa.answer.followup import is_followup, listed, resolve_followup
from qa.answer.question import analyse, content_words
from qa.answer.years import YEAR, named_years
from qa.models import Answer
from qa.text.countries import capital_countries, find_mentions, initialism_countries, without_mentions

if TYPE_CHECKING:
    from qa.answer.scope import DocInfo

MAX_COUNTRIES = 8  # countries one ranking answer lists, one line each

# the words of a question choosing or ranking countries by a figure ("Which ... had the most ...?"):
# its verb and its degree
_VERB = (r"(?:has|have|had|does|do|did|is|are|was|were|spends?|spent|employs?|employed|reports?|reported|"
         r"conducts?|conducted|gives?|gave|allocates?|allocated)")
_DEGREE = (r"(?:more|fewer|less|higher|lower|larger|smaller|bigger|greater|most|fewest|least|highest|lowest|largest|"
           r"smallest|biggest|greatest)")
# "Which of these three had the most?", "Which of them spent more?": a choice among the countries the
# conversation was about, of what it asked
_AMONG = re.compile(r"^\s*(?:and\s+|so\s+)?(?:which|who)\s+(?:of\s+(?:them|these|those|the\s+(?:two|three|four|five|"
                    r"countries))(?:\s+(?:two|three|four|five|countries|nations))?|one|country|nation)\s+"
                    rf"(?P<verb>{_VERB})\s+(?:the\s+)?(?P<degree>{_DEGREE})\b(?P<rest>.*)$", re.I)

_RANKING = re.compile(
    r"^\s*(?:in\s+)?(?:which|what)\s+(?:country|countries|nation|nations)\s+"
    rf"(?:{_VERB}\s+)?(?:the\s+)?(?P<degree>{_DEGREE})\s+(?P<rest>.+?)\s*\??\s*$", re.I)
# "Rank the countries by the percentage of children combining work and school"
_RANK_BY = re.compile(r"^\s*(?:please\s+)?(?:rank|order|sort)\s+(?:the\s+)?(?:indexed\s+)?(?:countries|nations)\s+"
                      r"(?:by|on|according\s+to|in\s+terms\s+of)\s+(?:their\s+|the\s+|its\s+)?(?P<rest>.+?)\s*[?.!]*\s*$",
                      re.I)
_COUNT_OF = re.compile(r"^(?:number|count|amount)\s+of\s+", re.I)


def ranked_question(question: str) -> str | None:
    """The question each country's report answers, for a question ranking countries and naming none
    ("Which country has the most labor inspectors?" -> "How many labor inspectors",
    "Which country had the highest labor inspectorate funding in 2019?" -> "What is the labor
    inspectorate funding in 2019"); None for any other question."""
    m = _RANKING.match(question) or _RANK_BY.match(question)
    if m is None or find_mentions(question) or capital_countries(question) or initialism_countries(question):
        return None
    degree, rest = (m.groupdict().get("degree") or "").lower(), m.group("rest").strip()  # "rank by": no degree
    if degree in ("most", "fewest") or _COUNT_OF.match(rest):
        return f"How many {_COUNT_OF.sub('', rest)}"
    return f"What is the {rest}"


# "Which has more labor inspectors, Mali or Niger?", "Which country had the larger inspectorate budget:
# Niger or Senegal?": a choice between the countries it names; "Which of Mali, Niger and Senegal had
# the most labor inspectors?": the countries named first
_CHOICE = re.compile(
    r"^\s*(?:in\s+)?(?:which|who)(?:\s+(?:country|countries|one|nation|of\s+(?:them|the\s+two|these|those)))?\s+"
    rf"{_VERB}\s+(?:the\s+)?(?P<degree>{_DEGREE})\s+(?P<rest>.+?)\s*[,:;(]\s*(?P<countries>.+?)\)?\s*\??\s*$", re.I)
_CHOICE_AMONG = re.compile(r"^\s*(?:in\s+)?(?:which|who)\s+of\s+(?P<countries>.+?)\s+"
                           rf"{_VERB}\s+(?:the\s+)?(?P<degree>{_DEGREE})\s+(?P<rest>.+?)\s*\??\s*$", re.I)


def chosen_question(question: str) -> tuple[str, list[str]] | None:
    """For a question choosing between the countries it names ("Which has more labor inspectors,
    Mali or Niger?"), the question each one's report answers ("How many labor inspectors") and the
    countries; None for any other question (fewer than two countries after the comma)."""
    m = _CHOICE.match(question) or _CHOICE_AMONG.match(question)
    if m is None:
        return None
    countries = list(dict.fromkeys(x.country.name for x in find_mentions(m.group("countries"))))
    if len(countries) < 2 or find_mentions(m.group("rest")):
        return None
    degree, rest = m.group("degree").lower(), m.group("rest").strip()
    if degree in ("more", "fewer", "most", "fewest") or _COUNT_OF.match(rest):
        return f"How many {_COUNT_OF.sub('', rest)}", countries
    return f"What is the {rest}", countries


# "each country", "every country", "all (the) (four) countries" in a question naming none: asked of each by name
_EVERY = re.compile(r"\b(?:each|every|all(?:\s+the)?(?:\s+(?:two|three|four|five|six|seven|eight|\d))?)\s+(?:indexed\s+)?"
                    r"(?:country|countries|nations?)\b", re.I)


def asks_every_country(question: str) -> bool:
    """The question asks of "each/every country" and names none."""
    return bool(_EVERY.search(question)) and not find_mentions(question) and not capital_countries(question)


def every_country(question: str, countries: list[str]) -> str | None:
    """``question`` with "each/every country" ("How many labor inspectors did each country have in
    2018?") naming ``countries`` instead; None when it asks of no such set or names a country."""
    return _EVERY.sub(listed(countries), question, count=1) if asks_every_country(question) else None


def choice_among_earlier(question: str, history: list[str]) -> str | None:
    """The choice among the conversation's countries a turn asks, of what the earlier turn asked
    (what it counted, or its words): "Which of these three had the most?" after turns on Mali, Niger
    and Senegal -> "Which of Mali, Niger and Senegal had the most labor inspectors in 2019?"; None
    for any other turn, or when the conversation named fewer than two countries."""
    m = _AMONG.match(question)
    names = list(dict.fromkeys(found.country.name for turn in history for found in find_mentions(turn)))
    if m is None or find_mentions(question) or len(names) < 2:
        return None
    previous = history[-1]
    if len(history) > 1 and is_followup(previous, history[:-1]):
        previous = resolve_followup(previous, history[:-1])
    rest = m.group("rest").strip(" ?.!")
    topic = rest if [w for w in content_words(rest) if not YEAR.fullmatch(w)] else (
        counted_phrase(analyse(previous)) or " ".join(content_words(without_mentions(YEAR.sub(" ", previous)))))
    years = YEAR.findall(rest) or [str(y) for y in sorted(named_years(previous))]
    when = f" in {' and '.join(years)}" if years and not YEAR.findall(topic) else ""
    return f"Which of {listed(names)} {m.group('verb')} the {m.group('degree')} {topic}{when}?"


def per_country(question: str, indexed: Callable[[], list[str]],
                history: list[str] | None = None) -> tuple[str, str] | Answer | None:
    """For a question ranking countries, or asking of each country, the question put to the
    ``indexed`` countries by name and the line to write above their answers; a decline asking to
    name the countries when there are more than ``MAX_COUNTRIES``; None for any other question
    (``indexed`` is then not called unless it says "each/every country"). A choice among the
    conversation's countries ("Which of these three had the most?") is one among them (``history``)."""
    question = choice_among_earlier(question, history or []) or question
    asked = ranked_question(question)
    if asked is None and (chosen := chosen_question(question)) is not None:
        return f"{chosen[0]} in {listed(chosen[1])}?", "The reports rank no countries; each country's own report, one line each:"
    if asked is None:
        if not asks_every_country(question):
            return None
        countries = indexed()
        if len(countries) > MAX_COUNTRIES:
            return _name_them(f"{len(countries)} countries are indexed", question)
        every = every_country(question, countries) if len(countries) > 1 else None
        return (every, "Each country's own report, one line each:") if every else None
    countries = indexed()
    if not countries:
        return None
    if len(countries) == 1:
        return f"{asked} in {countries[0]}?", f"Only {countries[0]} has indexed reports, so none to rank it against:"
    if len(countries) > MAX_COUNTRIES:
        return _name_them(f"The reports rank no countries, and {len(countries)} are indexed", f"{asked} in Mali and Niger?")
    return f"{asked} in {listed(countries)}?", "The reports rank no countries; each country's own report, one line each:"


def _name_them(why: str, example: str) -> Answer:
    """The decline of a question put to more countries than one answer can list."""
    text = f"{why}: name the countries to compare (\"{example}\")."
    return Answer(text, (), (), True, 1.0, extra={"reason": "too many countries", "best_score": 0.0, "reason_text": text})


# one line's figures: "Number of Labor Inspectors: 47 in 2018, 51 in 2019 (an increase ...)." (a
# table row's year columns); a sum keeps its "$", a figure its commas; "Unknown in 2019" is a year
# the report gives no figure for
_ROW_LINE = re.compile(r"^(?P<label>[^:]+): (?P<cells>(?:(?:\$?\d[\d,]*(?:\.\d+)?|Unknown) in \d{4}(?:, |\.| \(|$))+)")
_CELL = re.compile(r"(\$?\d[\d,]*(?:\.\d+)?|Unknown) in (\d{4})")
_FEWER = re.compile(r"\b(?:fewer|fewest|less|least|lower|lowest|smaller|smallest)\b", re.I)


# a row without year columns, its cells named: "Working (% and population) — Age: 5 to 14; Percent: 42.9
# (2,516,191)", "Minimum Age for Work — Meets International Standards: Yes; Age: 15; Legislation: ..."
_NAMED_ROW = re.compile(r"^(?P<label>[^—:]+?) — (?P<cells>.+?)\.?$")
_FIGURE_CELL = re.compile(r"^(?:Percent: (?P<percent>\d[\d,]*(?:\.\d+)?)\b.*|Age: (?P<age>\d+))$")
_AGE_GROUP = re.compile(r"^Age: \d+ to \d+$")  # whose share a statistics row gives


def _row_figures(text: str) -> tuple[str, dict[str, str]] | None:
    """(the row's label, year -> figure as written) of one country's line, None for any other line.
    A row without year columns gives its share or age under the year "" (its label then holds the
    age group a share is of, "Age: 5 to 14", so that only the same group's shares compare)."""
    if m := _ROW_LINE.match(text):
        return m.group("label"), {year: value for value, year in _CELL.findall(m.group("cells"))}
    if not (m := _NAMED_ROW.match(text)):
        return None
    cells = m.group("cells").split("; ")
    figures = [f.group("percent") or f.group("age") for c in cells if (f := _FIGURE_CELL.match(c))]
    kept = [c for c in cells if _AGE_GROUP.match(c)]
    return (", ".join([m.group("label"), *kept]), {"": figures[0]}) if len(figures) == 1 else None


def ranked_lead(question: str, lead: str, answer: Answer, documents: list[DocInfo]) -> str:
    """The line above a ranking's answer, saying which country the figures put first ("The reports
    rank no countries; by the figures each gives for 2019, Senegal's Number of Labor Inspectors (68)
    is higher than Niger's (51)"), when every country's line quotes the same table row, for the
    latest year they all have a column for, and at least two give a figure; else ``lead`` as it is.
    The comparison is of the figures quoted below, each cited on its own line."""
    country = {d.id: d.country for d in documents}
    lines = [(_row_figures(u.text), country.get(u.doc, "")) for u in answer.units]
    if len(lines) < 2 or any(f is None or not c for f, c in lines) or len({c for _, c in lines}) != len(lines):
        return lead
    labels = {f[0] for f, _ in lines}  # type: ignore[index]
    years = set.intersection(*(set(f[1]) for f, _ in lines))  # type: ignore[index]
    if len(labels) != 1 or not years:
        return lead
    year = max(years)
    figures = [(f[1][year], c) for f, c in lines]  # type: ignore[index]
    fewer = bool(_FEWER.search(question))
    known = sorted(((float(v.lstrip("$").replace(",", "")), c, v) for v, c in figures if v != "Unknown"),
                   reverse=not fewer)
    if len(known) < 2 or known[0][0] == known[1][0]:
        return lead  # one figure alone, or a tie at the top: the lines say it
    (_, first, shown), rest = known[0], known[1:]
    unknown = [c for v, c in figures if v == "Unknown"]
    others = listed([f"{c}'s ({v})" for _, c, v in rest])
    label = labels.pop().split(", ")[0]  # the row's name; its other cells only kept the rows apart
    text = (f"The reports rank no countries; by the figures each gives{f' for {year}' if year else ''}, {first}'s "
            f"{label} ({shown}) is {'lower' if fewer else 'higher'} than {others}")
    if unknown:
        text += f"; {listed(unknown)} {'gives' if len(unknown) == 1 else 'give'} none"
    return f"{text}. Each country's own report, one line each:"
