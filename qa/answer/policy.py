"""Abstention and selection policy: from scored candidates to the units an answer quotes, or a
reason to decline.

In order: a unit holding a neighbouring fact rather than the one asked is scored lower
(``coverage.covered_first``); the best unit must score ``abstain_below`` or more; a question naming a year must be
answered by a unit speaking of it (and the edition reporting on that year comes first); with no
year asked the latest edition of the same country's report wins a near tie; a table with year
columns lacking the year asked does not answer; a close second unit of the same document joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.candidates import table_of
from qa.answer.coverage import covered_first, uncovered
from qa.answer.features import answer_type, asks_hypothetical, counted_noun, counts, type_fit
from qa.answer.kinds import kind_fit, other_ages
from qa.answer.question import COMPARING, EDITION_WORDS, MONEY_NOUNS, QuestionInfo
from qa.answer.scorers import Scored, advice_terms, continued_years, covered_years, recommends
from qa.answer.scoring import Scoring
from qa.answer.units import Unit
from qa.answer.years import YEAR
from qa.ingest.citations import strip_groups
from qa.models import Document
from qa.text.analysis import terms
from qa.text.countries import without_mentions

# share of two sentences' terms (of all either has) from which one says again what the other says
_SAME_SAYING = 0.9


@dataclass(frozen=True)
class Decision:
    chosen: list[Scored]  # the units to quote, best first (empty when declining)
    scored: list[Scored]  # every candidate in the order the policy left them
    reason: str | None = None  # why it declines


class Policy:
    def __init__(self, scoring: Scoring, documents: dict[str, Document]) -> None:
        self.scoring = scoring
        self.documents = documents

    def decide(self, info: QuestionInfo, scored: list[Scored]) -> Decision:
        if not scored:
            return Decision([], scored, "no passage")
        # a figure stated for other ages than those asked answers nothing ("aged 15 to 17" / "Age: 5 to 14")
        if not (scored := [s for s in scored if not other_ages(info.text, s.unit.text)]):
            return Decision([], scored, "no retrieved passage states it for the ages asked")
        first = scored[0]
        scored = covered_first(info, scored, self.scoring.uncovered_factor, self.bibliography_size)
        if scored[0].score < self.scoring.abstain_below:
            # the best passage answered for a neighbouring fact: that is the reason to decline
            why = (uncovered(info, first.unit, self.bibliography_size(first.unit))
                   if first.score >= self.scoring.abstain_below else None)
            return Decision([], scored, why or f"best passage score {scored[0].score:.2f}")
        # a year named only as the edition needs no unit naming it: the scope already holds that edition
        if info.years and not info.comparison and not info.years <= info.edition_years:
            scored, reason = self.for_years(info, scored)
            if reason:
                return Decision([], scored, reason)
        elif not info.years:
            scored = self.counted_row_first(info, self.latest_edition_first(scored))
        scored = self.compared_row_first(info, self.counting_first(info, scored))
        best = scored[0]
        if self.scoring.untyped_declined and (lacking := self._untyped(info, best.unit)):
            # a sum is written in figures with its currency, a count in figures or number words: a
            # unit without one does not give it
            what = {"money": "the amount", "percent": "the percentage"}.get(lacking, "the count")
            return Decision([], scored, f"no retrieved passage states {what} asked")
        missing = self.missing_year(info, best.unit)
        if missing:
            return Decision([], scored, missing)
        return Decision(yes_no_first(info, [best] + self.extras(info, scored, best)), scored)

    def extras(self, info: QuestionInfo, scored: list[Scored], best: Scored) -> list[Scored]:
        """A second unit of the same document that scores nearly as well and says something else;
        none for a question asking for one thing (``single_answer``)."""
        if single_answer(info):
            return []
        quoted = self._quoted(best.unit)
        return [s for s in scored[1:4] if s.score >= self.scoring.extra_unit_ratio * best.score
                and s.unit.text != best.unit.text and s.unit.chunk.doc_id == best.unit.chunk.doc_id
                and not _repeats(quoted, self._quoted(s.unit))][:1]

    def listing(self, scored: list[Scored], best: Scored, most: int = 5) -> list[Scored]:
        """A list question ("Which goods ...?"): several units of the best one's document, best
        first, each saying something the others do not and, in a report with a bibliography, each
        citing its own references — an uncited sentence there is the report's summary or a pointer
        to a table ("... took actions (Table 6)"), not an item with its sources. The list is led by
        the best cited unit when one reaches ``abstain_below`` (else the best unit alone); units
        within ``list_ratio`` of it join, and so do the other rows of the table it quotes within
        ``list_table_ratio`` when that is looser: a table's rows are the report's own list ("Sector/Industry", "Agencies
        Responsible for ...")."""
        doc_id = best.unit.chunk.doc_id
        same = [s for s in scored if s.unit.chunk.doc_id == doc_id]
        if self.bibliography_size(best.unit):
            cited = [s for s in same if not s.unit.uncited]
            if not cited or cited[0].score < self.scoring.abstain_below:
                return [best]
            same, best = cited, cited[0]
        chosen, quoted = [best], self._quoted(best.unit)
        tables = {t for t in [table_of(best.unit.chunk)] if t}
        for s in same:
            if len(chosen) >= most:
                break
            if s is best:
                continue
            texts, table = self._quoted(s.unit), table_of(s.unit.chunk)
            # a row of a quoted table may join at the looser of the two ratios, never a stricter one
            ratio = min(self.scoring.list_ratio, self.scoring.list_table_ratio if table in tables else 1.0)
            if s.score >= ratio * best.score and not _repeats(quoted, texts):
                chosen.append(s)
                quoted += texts
        return chosen

    def table_list(self, info: QuestionInfo, scored: list[Scored], units: list[Unit], head: frozenset[str],
                   most: int = 12) -> list[Scored]:
        """A list question naming a table's items by its head noun ("Which social programs ...?"):
        the table's rows in its order, one unit a row (its first: a described row's opening sentence
        says what the item is, "Housed under the Ministry of ..." after it does not), those holding a word of the
        question that neither the head noun nor the title says and not most rows hold when some do
        ("Which agencies enforce criminal laws?"), every row when none does."""
        score = {s.unit.key: s for s in scored}
        rows: dict[str, Scored] = {}
        for u in units:
            if u.chunk.id not in rows:
                rows[u.chunk.id] = score.get(u.key, Scored(u, 0.0))
        title = frozenset(terms(units[0].chunk.heading_path[-1])) if units and units[0].chunk.heading_path else frozenset()
        held, topic = _topic(set(terms(info.terms)) - head - title, [s.unit for s in rows.values()])
        on_topic = [s for s, h in zip(rows.values(), held, strict=True) if h & topic]
        return (on_topic or list(rows.values()))[:most]

    def advice_list(self, info: QuestionInfo, scored: list[Scored], best: Scored, most: int = 6) -> list[Scored]:
        """What a report suggests on a topic ("What does the report recommend on education?"): its
        suggested actions holding a word of the question that not most of them hold (in their text
        or their area's name), best first after ``best``; ``best`` alone when none does."""
        doc_id = best.unit.chunk.doc_id
        pool = [s for s in scored if s.unit.chunk.doc_id == doc_id and recommends(s.unit)]
        held, topic = _topic(set(terms(info.terms)) - advice_terms(info), [s.unit for s in pool])
        chosen, quoted = [best], self._quoted(best.unit)
        for s, have in zip(pool, held, strict=True):
            if len(chosen) < most and s is not best and have & topic and not _repeats(quoted, self._quoted(s.unit)):
                chosen.append(s)
                quoted += self._quoted(s.unit)
        return chosen

    def _quoted(self, unit: Unit) -> list[frozenset[str]]:
        """What quoting a unit says: each of its sentences' terms, without its citation groups (a
        window shares them with its parts); a table row is itself only (sibling rows share their
        title's and label's words, not their facts)."""
        if unit.kind != "sentence":
            return [frozenset({f"{unit.chunk.id}\n{s.text}"}) for s in unit.sentences]
        size = self.bibliography_size(unit)
        return [frozenset(terms(strip_groups(s.text, size))) or frozenset({s.text}) for s in unit.sentences]

    def bibliography_size(self, unit: Unit) -> int:
        doc = self.documents.get(unit.chunk.doc_id)
        return len(doc.bibliography) if doc is not None else 0

    def edition_year(self, unit: Unit) -> int | None:
        doc = self.documents.get(unit.chunk.doc_id)
        return doc.meta.year if doc is not None else None

    def for_years(self, info: QuestionInfo, scored: list[Scored]) -> tuple[list[Scored], str | None]:
        """The answer must speak of the year asked: the best unit naming it, else the best one
        implicitly about it (no year named, the report's reporting year), if either is close."""
        top = scored[0].score
        explicit = [x for x in scored if info.years & (covered_years(x.unit, self.documents, implicit=False)
                                                       or continued_years(x.unit))]
        implicit = [x for x in scored if info.years & covered_years(x.unit, self.documents)]
        for tier in (explicit, implicit):
            if tier and tier[0].score >= self.scoring.year_fallback_ratio * top:
                # several editions may give a figure for the year: the edition reporting on that
                # year comes first when it is about as good (a later one may have revised it)
                own = [x for x in tier if self.edition_year(x.unit) in info.years
                       and x.score >= self.scoring.edition_ratio * tier[0].score]
                return (own[:1] + [x for x in tier if x is not own[0]]) if own else tier, None
        asked = ", ".join(str(y) for y in sorted(info.years))
        return scored, f"no retrieved passage speaks of {asked}"

    def latest_edition_first(self, scored: list[Scored]) -> list[Scored]:
        """No year asked: of several editions of the best unit's country report that answer about as
        well, the latest is quoted (it holds the most recent figures)."""
        top = scored[0]
        doc = self.documents.get(top.unit.chunk.doc_id)
        if doc is None or doc.meta.kind != "country-report":
            return scored
        same = [x for x in scored if x.score >= self.scoring.edition_ratio * top.score
                and (d := self.documents.get(x.unit.chunk.doc_id)) is not None and d.meta.kind == "country-report"
                and d.meta.country == doc.meta.country and (d.meta.year or 0) > (doc.meta.year or 0)]
        if not same:
            return scored
        # the later edition's own version of the best unit — the row of the same label — when it has one
        # ("Prohibition of Child Trafficking" in 2018 and in 2020, not the 2020 report's best sentence)
        label = top.unit.label.casefold() if top.unit.kind == "row" else ""
        same = [x for x in same if label and x.unit.kind == "row" and x.unit.label.casefold() == label] or same
        latest = max(same, key=lambda x: (self.edition_year(x.unit) or 0, x.score))
        return [latest] + [x for x in scored if x is not latest]

    def counted_row_first(self, info: QuestionInfo, scored: list[Scored]) -> list[Scored]:
        """A "how many" question naming no year, whose best unit states no count of what it asks
        ("... likely insufficient for the size of the workforce, which includes approximately 6.5
        million workers" for "How many labor inspectors does Niger have?"), is answered by the row of
        the same report (or a later edition of it) that counts it, for that report's own year, when
        that row scores within ``year_fallback_ratio`` of the best: the report's table is its figure
        of record. With ``latest_count``, a best unit counting it in an older edition than the
        country's latest among the candidates gives way to the latest edition's counting row too
        ("In 2018, the Directorate employed 70 inspectors" when the 2020 report's row says 113)."""
        # what would be or is needed ("How many inspectors does Niger need?") is no row of what is
        noun = counted_noun(info) if info.kind == "number" and not asks_hypothetical(info) else None
        if noun is None:
            return scored
        best = scored[0]
        year = self.edition_year(best.unit) or 0
        country = self.country_of(best.unit.chunk.doc_id)
        # the country's latest edition among the candidates: an older report's count is not its figure now
        latest = self._latest_edition(country, scored) if self.scoring.latest_count else year
        best_counts = counts(best.unit, noun)
        if best_counts and year >= latest:
            return scored
        rows = [s for s in scored[1:] if s.unit.kind == "row" and counts(s.unit, noun)
                and self.country_of(s.unit.chunk.doc_id) == country
                and (own := self.edition_year(s.unit)) is not None and own >= year and own in s.unit.year_labels
                and s.score >= self.scoring.year_fallback_ratio * best.score]
        if best_counts:
            rows = [s for s in rows if self.edition_year(s.unit) == latest]
        if not rows:
            return scored
        row = max(rows, key=lambda s: (self.edition_year(s.unit) or 0, s.score))
        return [row] + [s for s in scored if s is not row]

    def compared_row_first(self, info: QuestionInfo, scored: list[Scored]) -> list[Scored]:
        """A comparison asking no kind of figure ("Compare labor inspectors in Mali and Niger") is
        answered by the table row whose label names everything it compares ("Number of Labor
        Inspectors"), of the best unit's country, when one scores within ``year_fallback_ratio`` of a
        best unit that is no row: the figures are what sets two countries or editions side by side."""
        # the question's words, not ``info.comparison``: one country's part of a comparison is asked
        # for its own years alone
        if not COMPARING.search(info.text.lower()) or info.kind not in ("other", "number") or scored[0].unit.kind == "row":
            return scored
        # the countries and years named are the scope's and the parts' business ("How did the number
        # of inspectors change between 2018 and 2020?")
        asked = set(terms(COMPARING.sub(" ", info.text.lower()))) - self._place_terms(info)
        best = scored[0]
        country = self.country_of(best.unit.chunk.doc_id)
        rows = [s for s in scored[1:] if s.unit.kind == "row" and s.unit.own_label and asked
                and self.country_of(s.unit.chunk.doc_id) == country and asked <= set(terms(s.unit.own_label))
                and (not info.years or info.years & s.unit.year_labels)  # a year asked: a row giving it
                and s.score >= self.scoring.year_fallback_ratio * best.score]
        if not rows:
            return scored
        # the label saying least besides ("Number of Labor Inspectors", not "Initial Training for New
        # Labor Inspectors"), from the edition reporting on the year asked, else the latest that has it
        row = min(rows, key=lambda s: (len(set(terms(s.unit.own_label)) - asked),
                                       self.edition_year(s.unit) not in info.years,
                                       -(self.edition_year(s.unit) or 0), -s.score))
        return [row] + [s for s in scored if s is not row]

    def _latest_edition(self, country: str, scored: list[Scored]) -> int:
        """The latest edition year of ``country``'s reports among the candidates (0: none dated)."""
        return max((self.edition_year(s.unit) or 0 for s in scored if self.country_of(s.unit.chunk.doc_id) == country),
                   default=0)

    @staticmethod
    def _place_terms(info: QuestionInfo) -> set[str]:
        """The terms of the countries, years and report nouns the question names (the scope's business)."""
        places = set(terms(info.text)) - set(terms(without_mentions(YEAR.sub(" ", info.text))))
        return places | set(terms(list(EDITION_WORDS)))

    @staticmethod
    def _untyped(info: QuestionInfo, unit: Unit) -> str:
        """The type asked ("money", "count", "percent") when the question asks for a sum or a
        percentage, or counts something ("how many X"), and the unit states none of it; "" otherwise. A table row
        whose label names what is asked is the report's record even without one ("Number of
        Prosecutions Initiated: Unknown in 2019")."""
        asked = answer_type(info)
        if asked == "percent":
            # "What percentage of ...?" is not given by a sentence without a share ("... plays a very
            # important role in the economy"); "a quarter" is one
            named = _PERCENTAGE.search(info.text) and not type_fit(asked, unit.own_text or unit.text)
            return asked if named and not _FRACTION.search(unit.text) else ""
        noun = counted_noun(info)
        if asked == "count" and noun is None:
            return ""  # a figure asked some other way ("the size of ...") may be of another kind
        if asked not in ("money", "count") or type_fit(asked, unit.own_text or unit.text):
            return ""
        label = unit.own_label if unit.kind == "row" else ""
        named = bool(re.search(rf"\b{MONEY_NOUNS}\b", label, re.I)) if asked == "money" else noun in set(terms(label))
        return "" if named else asked

    def counting_first(self, info: QuestionInfo, scored: list[Scored]) -> list[Scored]:
        """A "how many X" question whose best unit states no count of X ("Mali took steps to prevent
        children from being recruited ...") is answered by the best unit of the same report that
        does ("... recruited and used 23 children ..."), when it scores within ``counting_ratio``
        of the best (0: off)."""
        ratio = self.scoring.counting_ratio
        noun = counted_noun(info) if ratio and info.kind == "number" else None
        would = asks_hypothetical(info)  # "How many does Niger need?": a count of what would be
        if noun is None or counts(scored[0].unit, noun, would):
            return scored
        best = scored[0]
        unit = next((s for s in scored[1:] if s.unit.chunk.doc_id == best.unit.chunk.doc_id
                     and s.score >= ratio * best.score and counts(s.unit, noun, would)), None)
        return scored if unit is None else [unit] + [s for s in scored if s is not unit]

    @staticmethod
    def missing_year(info: QuestionInfo, unit: Unit) -> str | None:
        """A table with year columns that does not have the year asked for does not answer."""
        if not info.years or not unit.year_labels or info.comparison:
            return None
        if info.years & unit.year_labels:
            return None
        have = ", ".join(str(y) for y in sorted(unit.year_labels))
        return f"{unit.chunk.context.split(' | ')[0]} gives figures for {have} only"

    def other_countries(self, info: QuestionInfo, scored: list[Scored], best: Scored) -> list[list[Scored]]:
        """A question naming no country, answered nearly as well by other countries' reports: one
        group per country, never a silent mix; of a country's editions, the one ``latest_edition_first``
        picks when no year is asked (not the 2018 and the 2019 report of one country side by side)."""
        seen, groups = {self.country_of(best.unit.chunk.doc_id)}, []
        close = [s for s in scored if s.score >= self.scoring.group_ratio * best.score
                 and s.score >= self.scoring.abstain_below]
        for s in close:
            country = self.country_of(s.unit.chunk.doc_id)
            if country in seen:
                continue
            seen.add(country)
            own = [x for x in close if self.country_of(x.unit.chunk.doc_id) == country]
            if info.years:
                groups.append([s])
                continue
            # its latest edition's best, and, for a count, that report's row counting it (as for the best country)
            pick = self.latest_edition_first(own)[0]
            same = [x for x in scored if x is not pick and x.unit.chunk.doc_id == pick.unit.chunk.doc_id]
            groups.append(self.counted_row_first(info, [pick, *same])[:1])
        return groups[:3]

    def country_of(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        return doc.meta.country if doc is not None else ""


def single_answer(info: QuestionInfo) -> bool:
    """A question asking for one thing — a figure, a date, a name ("How much ...?", "When ...?",
    "Which ministry ...?") — and neither a list nor a comparison: its answer is one unit, and a close
    second of the same document is a neighbouring row or sentence whose references are not the answer's
    (the courts' row beside the ministry's, the committee's other duties beside who chairs it)."""
    return info.kind in ("number", "date", "name") and not info.listing and not info.comparison


def yes_no_first(info: QuestionInfo, chosen: list[Scored]) -> list[Scored]:
    """A yes/no question is answered by a unit that can say yes or no (a table row's Yes/No, a
    sentence with a negation; ``kinds.kind_fit``): when the best unit cannot and the close second
    quoted beside it can, the second answers alone ("Are children involved in making boats?": the
    row "Activity: Assembling fishing canoes", not a sentence on children's work nearby)."""
    if info.kind != "yesno" or len(chosen) < 2:
        return chosen
    best, second = chosen[0], chosen[1]
    if kind_fit(info, second.unit) > kind_fit(info, best.unit):
        return [second]
    return chosen


_PERCENTAGE = re.compile(r"\bper ?cent(?:age)?s?\b|%", re.I)
_FRACTION = re.compile(r"\b(?:half|halves|quarters?|thirds?|fifths?|tenths?|majority|minority|one in \w+|out of)\b", re.I)


def _topic(asked: set[str], pool: list[Unit]) -> tuple[list[frozenset[str]], set[str]]:
    """The terms each unit of a list's ``pool`` holds (its text and its area's or label's name), and
    the ``asked`` terms that not most of them hold: what tells the items asked from the others."""
    held = [frozenset(terms(f"{u.text} {u.category or u.label}")) for u in pool]
    return held, {t for t in asked if 2 * sum(t in h for h in held) <= len(held)}


def _repeats(said: list[frozenset[str]], more: list[frozenset[str]]) -> bool:
    """Some sentence of ``more`` says again what one of ``said`` says: the same sentence, or the
    report's repeat of it in another section ("However, children in Burkina Faso engage in ..." in
    the findings, the same sentence in the overview), at least ``_SAME_SAYING`` of their terms shared."""
    return any(len(a & b) >= _SAME_SAYING * len(a | b) for a in more for b in said)
