"""What a question asks for: its kind of answer, the years it names, a bibliography look-up, and
how a short follow-up ("And in 2018?", "Who funds it?") reads on its own given earlier turns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Literal

from qa.text.analysis import STOPWORDS, terms, words
from qa.text.countries import Country, find_mentions, is_country_name

__all__ = ["STOPWORDS", "words"]  # re-exported: question analysis speaks the shared text layer's words

AnswerKind = Literal["number", "date", "name", "yesno", "reference", "other"]

YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_YEAR_RANGE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\s*[-–—]\s*(19[5-9]\d|20[0-4]\d)\b")
_REF_LOOKUP = re.compile(
    r"\b(?:reference|ref\.?|source|citation|footnote|entry|bibliography\s+entry)\s*(?:no\.?|number|#)?\s*\[?(\d{1,4})\]?"
    r"|\bcited\s+as\s+\[?(\d{1,4})\]?|^\s*\[(\d{1,4})\]\s*\??\s*$"
    # "number 82 in the bibliography", "source is number 82 in Rwanda's bibliography"
    r"|\bnumber\s+(\d{1,4})\s+(?:in|of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:bibliography|references|sources)",
    re.I,
)
# "this"/"that"/"these"/"those" only stand for something when nothing follows them ("Who funds
# that?"); before a noun they are determiners and "that" is often a conjunction. "there" is existential.
# After an auxiliary verb they are the subject ("By how much did that fall?"); is_followup only
# reads a short question this way, so "Did that program end?" on its own is not taken for one.
_PRONOUN = re.compile(r"\b(it|its|they|them|their|he|she|his|her)\b|\b(this|that|these|those)(?=\s*[?.!]*$)"
                      r"|(?:(?<=\bdid )|(?<=\bdoes )|(?<=\bhas )|(?<=\bhad )|(?<=\bwas )|(?<=\bis )|(?<=\bwill ))"
                      r"(this|that)\b", re.I)
_TIME_WORDS = frozenset("year years before previous prior earlier following next after later".split())
# "And in the 2018 report?": the same question put to another edition
_EDITION_WORDS = frozenset("report reports edition editions chapter chapters findings version versions".split())
_FOLLOWUP_OPENER = re.compile(r"^\s*(and|but|also|what about|how about|what of|and what about|same for|then)\b", re.I)


def content_words(text: str) -> list[str]:
    """Words that say what is asked. Country names and demonyms are not among them: the question's
    scope (qa.answer.scope) restricts which reports answer, so they need not match passage words."""
    for m in reversed(find_mentions(text)):
        text = text[:m.start] + " " + text[m.end:]
    return [w for w in words(text) if w not in STOPWORDS and not YEAR.fullmatch(w)]


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


def named_years(text: str) -> set[int]:
    """Years a text gives figures or facts for: named ones, less those named only as a comparison
    or as the first part of an instrument's number."""
    named = YEAR.findall(text)
    for year in _instrument_years(text):
        named.remove(year)
    compared = _COMPARED_YEAR.findall(text)
    return {int(y) for y in named if named.count(y) > compared.count(y)}


def asked_years(question: str) -> set[int]:
    """The years a question asks about: those it names (ranges expanded), less a year named only as
    the point of comparison ("By how much did it fall compared with 2019?")."""
    return years_in(question) - (years_in(question) - named_years(question) - _range_years(question))


def _range_years(text: str) -> set[int]:
    out: set[int] = set()
    for a, b in _YEAR_RANGE.findall(text):
        if int(a) <= int(b) and int(b) - int(a) <= 30:
            out.update(range(int(a), int(b) + 1))
    return out


def years_in(text: str) -> set[int]:
    """Years a text names, with ranges expanded ("2018–2022" covers 2020)."""
    found = {int(y) for y in YEAR.findall(text)}
    for a, b in _YEAR_RANGE.findall(text):
        lo, hi = int(a), int(b)
        if lo <= hi and hi - lo <= 30:
            found.update(range(lo, hi + 1))
    return found


@dataclass(frozen=True)
class QuestionInfo:
    text: str
    kind: AnswerKind
    years: frozenset[int]
    reference: int | None  # "What is reference 68?" -> 68
    comparison: bool  # asks how something changed between years
    terms: tuple[str, ...]  # content words
    about_sources: bool = False  # asks about a source, publication or reference rather than a fact
    publication: bool = False  # asks when a document was published
    assessment: bool = False  # asks how a report rated a country's efforts ("moderate advancement")
    counted: str | None = None  # the noun a "how many" question counts ("inspections")
    listing: bool = False  # asks for several things ("Which goods ...?", "What sectors ...?")
    overview: bool = False  # asks for a report's overview ("Summarize the findings on Mali")
    # years named only as the edition asked ("In the 2018 report, how much ...?"): the scope holds
    # that edition, so they ask for no figure of that year in particular (set by the answerer)
    edition_years: frozenset[int] = frozenset()


# One request analyses its question three or four times (scope, retrieval's reference look-up,
# the answerer); the result is immutable and depends on the text alone.
@functools.lru_cache(maxsize=1024)
def analyse(question: str) -> QuestionInfo:
    q = question.strip()
    low = q.lower()
    ref = None
    if m := _REF_LOOKUP.search(q):
        ref = int(next(g for g in m.groups() if g))
    comparison = bool(re.search(r"\b(change|changed|compare|compared|comparison|increase|increased|decrease|"
                                r"decreased|differ|difference|grow|grew|fell|rise|rose|between \d{4} and \d{4}|"
                                r"from \d{4} to \d{4}|versus|vs\.?)\b", low))
    if ref is not None:
        kind: AnswerKind = "reference"
    elif re.search(r"\b(how many|how much|number of|what (?:percentage|percent|share|proportion|ratio)|rate (?:of|in|for)|rate(?=\s*\?)|"
                   r"how large|what (?:amount|budget|sum)|how big|how old|what age|at what age|minimum age|"
                   r"what (?:is|was|were|are) (?:the |[\w-]+['’]s )(?:(?!of\b)[\w-]+ ){0,3}?(?:budget|funding|cost|amount|value))\b", low):
        kind = "number"
    elif re.search(r"^\s*(when|what year|which year|what date|in what year|since when)\b", low):
        kind = "date"
    elif re.search(r"^\s*(who|whom|whose|which (?:organi[sz]ation|agency|ministry|body|group|institution|"
                   r"country|countries|donor|partner|official|person|people|project|program|programme))\b", low):
        kind = "name"
    elif re.search(r"^\s*(does|do|did|is|are|was|were|has|have|had|can|could|will|would|should)\b", low):
        kind = "yesno"
    else:
        kind = "other"
    about_sources = bool(re.search(r"\b(sources?|references?|cited|cite|cites|citation|bibliograph\w*|"
                                   r"publications?|published|documents?|articles?|title|url|link|embassy|"
                                   r"who wrote|report(?:ed)? by)\b", low))
    publication = bool(re.search(r"\bwhen\b.*\b(published|released|issued|posted|dated)\b|"
                                 r"\b(publication|release) date\b", low))
    assessment = bool(re.search(r"\b(rate|rated|rating|ratings|assess|assessed|assessment|advancement)\b", low)
                      and re.search(r"\b(progress|efforts?|advancement|rating|assessment|level)\b", low))
    counted = re.search(r"\bhow many\s+(?:new\s+|more\s+)?([a-z][a-z-]+)", low)
    return QuestionInfo(q, kind, frozenset(asked_years(q)), ref, comparison, tuple(content_words(q)), about_sources,
                        publication, assessment, counted.group(1) if counted else None,
                        kind in ("name", "other") and is_listing(low), ref is None and bool(_OVERVIEW.search(low)))


_OVERVIEW = re.compile(r"\b(summari[sz]e|summary|overview|key findings|main findings|overall findings|"
                       r"in a nutshell|big picture)\b")
_LIST_OPENER = re.compile(r"^\s*(?:(?:please\s+)?(?:list|name|enumerate)\b|what are (?:the|some)\b|"
                          r"which (?:are (?:the|some)\b)?|what (?:kinds?|types?|sorts?) of\b|what\b)")


def is_listing(low: str) -> bool:
    """A question asking for several things: "List ...", or "Which/What" followed (after at most
    one describing word) by a plural noun ("Which goods", "What hazardous tasks"). The plural is
    read from the word itself, not from a list of nouns."""
    m = _LIST_OPENER.match(low)
    if not m:
        return False
    if re.match(r"\s*(?:please\s+)?(?:list|name|enumerate)\b", low) or re.search(r"(kinds?|types?|sorts?) of$", m.group(0)):
        return True
    following = re.findall(r"[a-z][a-z-]*", low[m.end():])[:2]
    if not following or following[0] in STOPWORDS:
        return False
    # "Which goods", or an adjective (read from its ending) then the noun: "What hazardous tasks"
    return _plural(following[0]) or (len(following) > 1 and _ADJECTIVE.search(following[0]) is not None
                                      and _plural(following[1]))


_ADJECTIVE = re.compile(r"(?:ed|ous|al|ic|ful|ive|ant|ent|ary|ory|ible|able|st)$")


def _plural(word: str) -> bool:
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))
            and word not in STOPWORDS)


def is_followup(question: str, history: list[str]) -> bool:
    """A short or elliptical turn that only makes sense with the previous one."""
    if not history:
        return False
    if _FOLLOWUP_OPENER.match(question):
        return True
    terms = content_words(question)
    if _PRONOUN.search(question) and len(terms) <= 4:
        return True
    return len(terms) <= 1


def _entity_spans(text: str) -> list[tuple[int, int]]:
    """Acronyms and capitalised phrases after the first word (the things a question is about)."""
    spans = []
    word = r"(?:[A-Z]{2,}[A-Za-z]*|[A-Z][a-z]+)"
    for m in re.finditer(rf"\b{word}(?:\s+(?:of\s+|for\s+|the\s+|and\s+)*{word})*\b", text):
        if m.start() == 0 or m.group(0).lower() in STOPWORDS:
            continue
        spans.append((m.start(), m.end()))
    return spans


def _carry_years(resolved: str, previous: str) -> str:
    """A follow-up about "that" that asks about no year of its own ("By how much did that fall
    compared with 2019?") asks about the previous turn's year."""
    old = named_years(previous)
    if not old or not years_in(resolved) or named_years(resolved):
        return resolved
    return f"{resolved.rstrip(' ?.')} in {' and '.join(str(y) for y in sorted(old))}?"


def _replace_pronoun(text: str, subject: str) -> str:
    m = _PRONOUN.search(text)
    if not m:
        return text
    word = m.group(0).lower()
    repl = f"{subject}'s" if word in ("its", "their", "his", "her") else subject
    return text[: m.start()] + repl + text[m.end():]


def _relative_year(text: str, previous: str) -> list[str]:
    """ "the year before" / "the following year" -> the previous turn's single year, one back or on."""
    old = YEAR.findall(previous)
    if len(old) != 1:
        return []
    if re.search(r"\b(?:year before|previous year|prior year|preceding year|a year earlier)\b", text, re.I):
        return [str(int(old[0]) - 1)]
    if re.search(r"\b(?:year after|next year|following year|a year later)\b", text, re.I):
        return [str(int(old[0]) + 1)]
    return []


def _switch_country(question: str, country: Country) -> str:
    """``question`` about ``country`` instead of the country (or countries) it names."""
    old = find_mentions(question)
    if not old:
        return f"{question.rstrip(' ?.')} in {country.name}?"
    for m in reversed(old):
        word = country.demonyms[0] if m.demonym and country.demonyms else country.name
        question = question[:m.start] + word + question[m.end:]
    return question


def resolve_followup(question: str, history: list[str],
                     subject_of: Callable[[str], str | None] | None = None) -> str:
    """Rewrite a follow-up as a standalone question using the last substantive earlier turn.

    "And in 2018?" after "How many labor inspectors did Mali have in 2019?" becomes
    "How many labor inspectors did Mali have in 2018?"; "What about the CNLTE?" after "What is the
    budget of the BPMC?" becomes "What is the budget of the CNLTE?"; "And the funding?" (a new
    noun) becomes "How much funding in Mali in 2019?"; anything else gets the earlier
    question appended as context.
    """
    if not is_followup(question, history):
        return question
    previous = history[-1]
    # when the last turn was itself a follow-up, resolve it first
    if len(history) > 1 and is_followup(previous, history[:-1]):
        previous = resolve_followup(previous, history[:-1], subject_of)
    rest = _FOLLOWUP_OPENER.sub("", question).strip(" ?.!,")
    new_years = YEAR.findall(rest) or _relative_year(rest, previous)
    # "the year before, 2018" asks for another year and nothing else
    rest_terms = [w for w in content_words(rest) if w not in _TIME_WORDS | _EDITION_WORDS]
    edition = rest if new_years and set(content_words(rest)) & _EDITION_WORDS else ""
    if not rest_terms and find_mentions(rest):
        # "What about Ghana?" / "And for Niger in 2018?": the same question about another country
        previous = _switch_country(previous, find_mentions(rest)[0].country)
        if not new_years:
            return previous
    if new_years and not rest_terms and edition:
        # the edition phrase is kept as written, so the scope reads the edition off it
        return f"{previous.rstrip(' ?.')}, {edition}?"
    if new_years and not rest_terms:
        old_years = YEAR.findall(previous)
        if old_years:
            if len(old_years) == 1:  # "And in 2017 and 2018?" asks for every year it names
                return previous.replace(old_years[0], " and ".join(new_years), 1)
            out = previous
            for old, new in zip(old_years, new_years):
                out = out.replace(old, new, 1)
            return out
        return f"{previous.rstrip(' ?.')} in {' and '.join(new_years)}?"
    # a named thing in place of the earlier one ("What about the CNLTE?"); countries are the scope's
    new_entities = [(a, b) for a, b in _entity_spans(rest) if not is_country_name(rest[a:b])]
    old_entities = _entity_spans(previous)
    named_before = [(a, b) for a, b in old_entities if not is_country_name(previous[a:b])]
    if new_entities and named_before and not _PRONOUN.search(rest) and len(rest_terms) <= 6:
        a, b = named_before[0]
        phrase = rest[new_entities[0][0]:new_entities[-1][1]]
        return previous[:a] + phrase + previous[b:]
    if topic := _new_topic(rest, previous):
        return topic
    if _PRONOUN.search(rest):
        # "Who funds it?": "it" is what the previous turn was about — its named subject, or the
        # subject of the passage that answered it
        named = [previous[a:b] for a, b in old_entities if not is_country_name(previous[a:b])]
        subject = named[0] if named else (subject_of(previous) if subject_of else None)
        if subject:
            resolved = _carry_years(_replace_pronoun(question, subject), previous)
            old_years = sorted(named_years(previous))
            if len(rest_terms) >= 2 and old_years and not YEAR.findall(resolved):
                # "And how many inspectors did it have?" after a question on 2019: that year, as below
                resolved = f"{resolved.rstrip(' ?.')} in {' and '.join(str(y) for y in old_years)}?"
            return resolved
    earlier_terms = content_words(previous)
    if len(rest_terms) >= 2:
        # "And the minimum age for work?" after "... for hazardous work in Niger?", "What about
        # closed schools?" after "How many children were displaced?": the turn says what it asks
        # for; the earlier turn's words ("hazardous", "displaced") would pull the search back to
        # what was already answered, so only its year carries over (its country is in the scope)
        old_years = sorted(named_years(previous))
        if old_years and not YEAR.findall(rest):
            return f"{question.rstrip(' ?.')} in {' and '.join(str(y) for y in old_years)}?"
        return question
    return f"{question.rstrip()} ({' '.join(earlier_terms)})"


# a turn with at most this many content words (a noun phrase: "And the funding?", "Its budget?")
# is too short to be a question of its own; scope.py reads such a turn with the conversation's country
SHORT_TURN = 2
# a question word: a turn holding one asks its own question ("And how many were prosecuted?")
_QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how|does|do|did|is|are|was|were|"
                            r"has|have|had|can|could|will|would)\b", re.I)
# the previous turn's question phrase, up to its question word ("How many", "In the 2019 report, what was")
_ASKING = re.compile(r"^(.*?\b(?:how\s+(?:many|much)|(?:what|which|who|when|where)(?:\s+(?:is|was|are|were))?))\b",
                     re.I)


def _new_topic(rest: str, previous: str) -> str | None:
    """A short noun phrase naming something the previous turn did not ("And the funding?" after
    "How many labor inspectors did Senegal have in 2019?") asks the previous question's kind of
    thing about it: the earlier topic words are dropped, its country and years kept unless the turn
    names its own ("What about funding in Senegal?"). None when the turn is no such phrase."""
    if _QUESTION_WORD.search(rest):
        return None
    topic = [w for w in content_words(rest) if w not in _TIME_WORDS | _EDITION_WORDS]
    # compared as written, plurals aside: a stem would take "inspectors" for the "inspectorate" asked
    new = {_singular(w) for w in topic if w[0].isalpha()} - {_singular(w) for w in content_words(previous)}
    if not topic or len(topic) > SHORT_TURN or not new:
        return None
    phrase = _topic_phrase(rest, previous)
    if not phrase:
        return None
    if analyse(previous).kind == "number":
        # the kind of answer stays a number; "many" or "much" as the new noun reads
        phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
        opener = "How many" if _plural(phrase.split()[-1].lower()) else "How much"
    else:
        asking = _ASKING.match(previous)
        opener = asking.group(1) if asking else "What"
        if not re.search(r"\b(?:is|was|are|were)$", opener, re.I):  # "Who funds X?" -> "Who are its partners?"
            opener += " are" if _plural(phrase.split()[-1].lower()) else " is"
        if phrase[0].islower() and not re.match(r"(?:the|a|an)\b", phrase):
            phrase = f"the {phrase}"
    mentions = find_mentions(rest) or find_mentions(previous)
    countries = list(dict.fromkeys(m.country.name for m in mentions))
    years = YEAR.findall(rest) or _relative_year(rest, previous) or [str(y) for y in sorted(named_years(previous))]
    where = f" in {' and '.join(countries)}" if countries else ""
    when = f" in {' and '.join(years)}" if years else ""
    return f"{opener} {phrase}{where}{when}?"


def _singular(word: str) -> str:
    return word[:-1] if _plural(word) else word


def _topic_phrase(rest: str, previous: str) -> str:
    """The turn's noun phrase without its countries, years, opener and pronoun: "its funding" is the
    funding of the earlier turn's named subject, or simply the funding when that was a country."""
    text = rest
    for m in reversed(find_mentions(text)):
        text = text[:m.start] + " " + text[m.end:]
    text = YEAR.sub(" ", text)
    if _PRONOUN.search(text):
        named = [previous[a:b] for a, b in _entity_spans(previous) if not is_country_name(previous[a:b])]
        text = _replace_pronoun(text, named[0]) if named else _PRONOUN.sub(" ", text)
    text = re.sub(r"['’]s\b", " ", text) if not _PRONOUN.search(rest) else text
    tokens = text.split()
    while tokens and tokens[-1].lower() in STOPWORDS:  # "funding in [Senegal]"
        tokens.pop()
    while tokens and tokens[0].lower() in STOPWORDS - {"the", "a", "an"}:
        tokens.pop(0)
    return " ".join(tokens)
