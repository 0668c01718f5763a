"""How a short follow-up ("And in 2018?", "Who funds it?", "And the funding?") reads on its own
given the earlier turns: the same question put to another year, country or edition, a pronoun
replaced by what the earlier turn was about, or a new thing asked in the earlier turn's scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.answer.features import counted_phrase
from qa.answer.question import EDITION_WORDS, analyse, asks_yes_or_no, content_words, is_plural
from qa.answer.years import YEAR, named_years, years_in
from qa.text.analysis import STOPWORDS
from qa.text.countries import Country, capital_countries, find_mentions, is_country_name, without_mentions

# "this"/"that"/"these"/"those" only stand for something when nothing follows them ("Who funds
# that?"); before a noun they are determiners and "that" is often a conjunction. "there" is existential.
# After an auxiliary verb they are the subject ("By how much did that fall?"); is_followup only
# reads a short question this way, so "Did that program end?" on its own is not taken for one.
# "this report", "that edition", "the same chapter": the report the conversation was about
_REPORT_NOUN = r"(?:country\s+)?(?:report|edition|chapter|version)"
_THIS_REPORT = re.compile(
    rf"\b(?:(?:this|that|the\s+same)\s+{_REPORT_NOUN}\b(?!s)|(?:these|those)\s+{_REPORT_NOUN}s\b)", re.I)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|he|she|his|her)\b|\b(this|that|these|those)(?=\s*[?.!]*$)"
                      r"|(?:(?<=\bdid )|(?<=\bdoes )|(?<=\bhas )|(?<=\bhad )|(?<=\bwas )|(?<=\bis )|(?<=\bwill ))"
                      rf"(this|that)\b(?!\s+{_REPORT_NOUN})", re.I)
_DEMONSTRATIVES = frozenset("this that these those".split())
_TIME_WORDS = frozenset("year years before previous prior earlier following next after later".split())
# "What about the Kenyan government?", "And Niger's authorities?", "and the Malagasy one?": beside a
# country these words stand for the country itself, no topic of their own
_COUNTRY_STANDINS = frozenset("government governments authorities authority state one ones side administration".split())
# "there" closing a question points at the place talked about ("What is the minimum age for work
# there?"); after a form of "be" it is existential ("How many inspectors are there?") and says nothing
_LOCATIVE_THERE = re.compile(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )"
                             r"\bthere\s*[?.!]*$", re.I)
_THERE = re.compile(r"(?:\b(?:in|from|over|out)\s+)?\bthere(\s*[?.!]*)$", re.I)
# "Same question for 2018", "The same thing but for Niger?": the earlier question put again
_SAME_AGAIN = r"(?:the\s+)?same(?:\s+(?:question|thing|query|again))?(?:\s+but)?(?:\s+(?:for|in|about|with))?"
_FOLLOWUP_OPENER = re.compile(rf"^\s*(and|but|also|what about|how about|what of|and what about|{_SAME_AGAIN}|then)\b",
                              re.I)


# a turn asking only the size of what the earlier turn asked about ("By how much?", "How many more?")
_BY_HOW_MUCH = re.compile(r"^\s*(?:and\s+|so\s+)?(?:by\s+)?how\s+(?:much|many)(?:\s+(?:more|less|fewer))?\s*[?.!]*\s*$", re.I)


def is_followup(question: str, history: list[str]) -> bool:
    """A short or elliptical turn that only makes sense with the previous one."""
    if not history:
        return False
    if refers_to_report(question):  # "What is source 5 of this report?"
        return True
    if _FOLLOWUP_OPENER.match(question) or (_LOCATIVE_THERE.search(question) and not find_mentions(question)):
        return True
    if analyse(question).overview and not _PRONOUN.search(question):
        # "What does the report say about Burkina Faso?" asks for a report's overview on its own; read
        # as a follow-up (one content word) it was the previous question put to Burkina Faso
        return False
    terms = content_words(question)
    if _PRONOUN.search(question) and len(terms) <= 4:
        return True
    # "The year before?", "A year earlier?": words of time alone ask the last question of another year
    return len(terms) <= 1 or all(w.lower() in _TIME_WORDS for w in terms)


def refers_to_report(question: str) -> bool:
    """Does the question point at the report talked about ("What is source 5 of this report?",
    "What does that report say about ...?")? Without a conversation there is none to point at."""
    return bool(_THIS_REPORT.search(question))


def _entity_spans(text: str) -> list[tuple[int, int]]:
    """Acronyms and capitalised phrases after the first word (the things a question is about)."""
    spans = []
    word = r"(?:[A-Z]{2,}[A-Za-z]*|[A-Z][a-z]+)"
    for m in re.finditer(rf"\b{word}(?:\s+(?:of\s+|for\s+|the\s+|and\s+)*{word})*\b", text):
        start = m.start()
        if start == 0:
            # the first word is capitalised as the sentence's, not as a name; a name may follow it
            # ("Is Number of Labor Inspectors enough?", a turn with "that" resolved to a row label)
            after = re.match(rf"\S+\s+(?:(?:of|for|the|and)\s+)*(?={word})", m.group(0))
            if after is None:
                continue
            start = after.end()
        if text[start:m.end()].lower() in STOPWORDS:
            continue
        spans.append((start, m.end()))
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
    if word in ("its", "their", "his", "her"):  # a plural owner takes the apostrophe alone: "inspectors'"
        repl = f"{subject}'" if is_plural(subject.split()[-1].lower()) and subject.endswith("s") else f"{subject}'s"
    else:
        repl = subject
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


def _switch_country(question: str, countries: list[Country]) -> str:
    """``question`` about ``countries`` instead of the country (or countries) it names."""
    old = find_mentions(question)
    names = listed([c.name for c in countries])
    if not old:
        return f"{question.rstrip(' ?.')} in {names}?"
    for m in reversed(old):
        demonyms = all(c.demonyms for c in countries)
        word = listed([c.demonyms[0] for c in countries]) if m.demonym and demonyms else names
        question = question[:m.start] + word + question[m.end:]
    return question


# "Compare with Niger", "vs Senegal?": a turn naming countries to set beside the previous turn's
_COMPARE_WORDS = frozenset("compare compared comparing comparison vs versus against".split())
_COMPARED_WITH = re.compile(r"\b(?:with|to|vs|versus|against)\b", re.I)


def listed(names: list[str]) -> str:
    """ "Mali", "Mali and Niger", "Mali, Niger and Senegal"."""
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _countries(text: str) -> list[Country]:
    return list(dict.fromkeys(m.country for m in find_mentions(text)))


def compares_with(question: str, history: list[str]) -> bool:
    """True for a follow-up whose only words beside the countries it names ask to compare them with
    the previous turn's ("Compare with Niger", "And vs Senegal in 2018?"): the previous question is
    asked of both (qa.answer.scope keeps the conversation's country in the scope too)."""
    # "with", "to", "vs": the other side is the earlier turn's; "Compare Mali and Niger" names both sides
    if not history or not find_mentions(question) or not _COMPARED_WITH.search(question):
        return False
    terms = [w for w in content_words(_FOLLOWUP_OPENER.sub("", question)) if w not in _TIME_WORDS | EDITION_WORDS]
    return bool(terms) and all(w.lower() in _COMPARE_WORDS for w in terms)


def resolve_followup(question: str, history: list[str],
                     subject_of: Callable[[str], str | None] | None = None) -> str:
    """Rewrite a follow-up as a standalone question using the last substantive earlier turn.

    "And in 2018?" after "How many labor inspectors did Mali have in 2019?" becomes
    "How many labor inspectors did Mali have in 2018?"; "What about the CNLTE?" after "What is the
    budget of the BPMC?" becomes "What is the budget of the CNLTE?"; "And the funding?" (a new
    noun) becomes "How much funding in Mali in 2019?"; anything else gets the earlier
    question appended as context.
    """
    if not is_followup(question, history) or analyse(question).reference is not None:
        # a reference look-up ("5", "[5]", "And reference 7?") keeps its words; the scope keeps the
        # conversation's report (scope.py)
        return question
    if refers_to_report(question) and not _FOLLOWUP_OPENER.match(question) and not _PRONOUN.search(question):
        return question  # "What does this report say about cocoa?": the scope keeps the report (scope.py)
    previous = history[-1]
    # when the last turn was itself a follow-up, resolve it first
    if len(history) > 1 and is_followup(previous, history[:-1]):
        previous = resolve_followup(previous, history[:-1], subject_of)
    if measured := _measured_change(question, previous):
        return measured
    if _LOCATIVE_THERE.search(question) and (places := _countries(previous)):
        # "... for work there?" after a turn on Senegal: the place named, as the earlier turn did
        question = _THERE.sub(f"in {listed([c.name for c in places])}\\1", question)
    rest = _FOLLOWUP_OPENER.sub("", question).strip(" ?.!,")
    new_years = YEAR.findall(rest) or _relative_year(rest, previous)
    # "the year before, 2018" asks for another year and nothing else
    # a capital stands for its country in a turn naming none ("And Niamey?"), as in scope.py; the
    # earlier turn's own country's capital is a place in it ("And in Dakar?" after Senegal)
    places = _countries(rest) or [c for c in capital_countries(rest) if c not in _countries(previous)]
    rest_terms = [w for w in content_words(rest) if w not in _TIME_WORDS | EDITION_WORDS
                  and not (places and (w.lower() in _COUNTRY_STANDINS or capital_countries(w)))]
    edition = rest if new_years and set(content_words(rest)) & EDITION_WORDS else ""
    if not rest_terms and places:
        # "What about Ghana?" / "And for Niger in 2018?": the same question about another country
        previous = _switch_country(previous, places)
        if not new_years:
            return previous
    elif compares_with(question, history):
        # "Compare with Niger": the same question about the earlier turn's countries and these
        previous = _switch_country(previous, list(dict.fromkeys(_countries(previous) + _countries(rest))))
        return _other_years(previous, new_years, edition) if new_years else previous
    if new_years and not rest_terms:
        return _other_years(previous, new_years, edition)
    old_entities = _entity_spans(previous)
    if swapped := _named_in_place(rest, previous, old_entities, len(rest_terms)):
        return swapped
    if narrowed := _narrowed(rest, previous):
        return narrowed
    if topic := _new_topic(rest, previous):
        return topic
    if _PRONOUN.search(rest) and (resolved := _pronoun_resolved(question, previous, old_entities, len(rest_terms),
                                                                 subject_of)):
        return resolved
    return _with_earlier(question, rest, previous, len(rest_terms))


def _measured_change(question: str, previous: str) -> str | None:
    """ "By how much?" after "Did the number of labor inspectors in Senegal increase?": the change
    asked about, measured ("By how much did the number of labor inspectors in Senegal increase?")."""
    if _BY_HOW_MUCH.match(question) and asks_yes_or_no(previous.lower()):
        return f"By how much {previous[0].lower()}{previous[1:]}"
    return None


def _named_in_place(rest: str, previous: str, old_entities: list[tuple[int, int]], n_terms: int) -> str | None:
    """A named thing in place of the earlier one ("What about the CNLTE?" after a question on the
    BPMC); countries are the scope's."""
    new_entities = [(a, b) for a, b in _entity_spans(rest) if not is_country_name(rest[a:b])]
    named_before = [(a, b) for a, b in old_entities if not is_country_name(previous[a:b])]
    if not (new_entities and named_before and not _PRONOUN.search(rest) and n_terms <= 6):
        return None
    a, b = named_before[0]
    return previous[:a] + rest[new_entities[0][0]:new_entities[-1][1]] + previous[b:]


def _with_earlier(question: str, rest: str, previous: str, n_terms: int) -> str:
    """A turn asking something of its own keeps the earlier turn's year; a shorter one also takes
    the earlier turn's words as context."""
    old_years = sorted(named_years(previous))
    when = f" in {' and '.join(str(y) for y in old_years)}" if old_years and not YEAR.findall(rest) else ""
    if n_terms >= 2:
        # "And the minimum age for work?" after "... for hazardous work in Niger?", "What about
        # closed schools?" after "How many children were displaced?": the turn says what it asks
        # for; the earlier turn's words ("hazardous", "displaced") would pull the search back to
        # what was already answered, so only its year carries over (its country is in the scope)
        return f"{question.rstrip(' ?.')}{when}?" if when else question
    # "How many inspections, then?" after a question on 2020 asks about 2020, not about whichever
    # edition the earlier turn's words match best
    context = f"({' '.join(content_words(previous))})"
    return f"{question.rstrip(' ?.')}{when}? {context}" if when else f"{question.rstrip()} {context}"


def _other_years(previous: str, new_years: list[str], edition: str) -> str:
    """The earlier question asked of other years ("And in 2018?"), or of another edition."""
    if edition:
        # the edition phrase is kept as written, so the scope reads the edition off it
        return f"{previous.rstrip(' ?.')}, {edition}?"
    old_years = YEAR.findall(previous)
    if not old_years:
        return f"{previous.rstrip(' ?.')} in {' and '.join(new_years)}?"
    if len(old_years) == 1:  # "And in 2017 and 2018?" asks for every year it names
        return previous.replace(old_years[0], " and ".join(new_years), 1)
    out = previous
    for old, new in zip(old_years, new_years):
        out = out.replace(old, new, 1)
    return out


_COUNTING_LABEL = re.compile(r"^(?:(?:total\s+)?number|amount|percentage|share|proportion)\s+of\s+(?:the\s+)?", re.I)


def _pronoun_resolved(question: str, previous: str, old_entities: list[tuple[int, int]], n_terms: int,
                      subject_of: Callable[[str], str | None] | None) -> str | None:
    """ "Who funds it?": "it" is what the previous turn was about — its named subject, or the
    subject of the passage that answered it; None when neither is known."""
    named = [previous[a:b] for a, b in old_entities if not is_country_name(previous[a:b])]
    subject = named[0] if named else (subject_of(previous) if subject_of else None)
    if not subject:
        return None
    pronoun = _PRONOUN.search(question)
    if pronoun is None or pronoun.group(0).lower() not in _DEMONSTRATIVES:
        # a row label counting its subject ("Number of Labor Inspectors"): "they" are the inspectors,
        # and "how much money did they have" is no count; "Is that enough?" asks of the number itself
        subject = _COUNTING_LABEL.sub("", subject) or subject
    countries = _countries(previous)
    if pronoun is not None and pronoun.group(0).lower() in _DEMONSTRATIVES and countries and not named:
        # "that" standing alone is the earlier answer, a fact about the earlier turn's country:
        # "Is that enough?" after Niger's inspectors asks about Niger's number of labor inspectors
        subject = f"{subject} in {listed([c.name for c in countries])}"
    resolved = _carry_years(_replace_pronoun(question, subject), previous)
    old_years = sorted(named_years(previous))
    if n_terms >= 2 and old_years and not YEAR.findall(resolved):
        # "And how many inspectors did it have?" after a question on 2019: that year, as below
        resolved = f"{resolved.rstrip(' ?.')} in {' and '.join(str(y) for y in old_years)}?"
    return resolved


# a turn with at most this many content words (a noun phrase: "And the funding?", "Its budget?")
# is too short to be a question of its own; scope.py reads such a turn with the conversation's country
SHORT_TURN = 2
# a question word: a turn holding one asks its own question ("And how many were prosecuted?")
_QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how|does|do|did|is|are|was|were|"
                            r"has|have|had|can|could|will|would)\b", re.I)
# the previous turn's question phrase, up to its question word ("How many", "In the 2019 report, what was")
_ASKING = re.compile(r"^(.*?\b(?:how\s+(?:many|much)|(?:what|which|who|when|where)(?:\s+(?:is|was|are|were))?))\b",
                     re.I)


# a turn that opens with a preposition narrows the earlier question to a sector, place or group
_NARROWING = re.compile(r"^(?:in|for|among|at|on|during|under|within|by|from|across)\s+\S", re.I)


def _narrowed(rest: str, previous: str) -> str | None:
    """ "And in mining?", "And among girls?", "And for hazardous work?": the earlier question with
    the phrase added ("How many children work in Mali in mining?"); read as a new topic it became
    "How much mining in Mali?". None when the turn is no such short phrase."""
    if not _NARROWING.match(rest) or _QUESTION_WORD.search(rest) or _PRONOUN.search(rest):
        return None
    terms = [w for w in content_words(rest) if w not in _TIME_WORDS | EDITION_WORDS]
    if not terms or len(terms) > SHORT_TURN + 1:
        return None
    return f"{previous.rstrip(' ?.')} {rest}?"


def _new_topic(rest: str, previous: str) -> str | None:
    """A short noun phrase naming something the previous turn did not ("And the funding?" after
    "How many labor inspectors did Senegal have in 2019?") asks the previous question's kind of
    thing about it: the earlier topic words are dropped, its country and years kept unless the turn
    names its own ("What about funding in Senegal?"). None when the turn is no such phrase."""
    if _QUESTION_WORD.search(rest):
        return None
    topic = [w for w in content_words(rest) if w not in _TIME_WORDS | EDITION_WORDS]
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
        head = phrase.split(" of the ")[0]  # "budget of the labor inspectors": the budget is asked
        opener = "How many" if is_plural(head.split()[-1].lower()) else "How much"
    else:
        asking = _ASKING.match(previous)
        opener = asking.group(1) if asking else "What"
        if not re.search(r"\b(?:is|was|are|were)$", opener, re.I):  # "Who funds X?" -> "Who are its partners?"
            opener += " are" if is_plural(phrase.split()[-1].lower()) else " is"
        if phrase[0].islower() and not re.match(r"(?:the|a|an)\b", phrase):
            phrase = f"the {phrase}"
    mentions = find_mentions(rest) or find_mentions(previous)
    countries = list(dict.fromkeys(m.country.name for m in mentions))
    years = YEAR.findall(rest) or _relative_year(rest, previous) or [str(y) for y in sorted(named_years(previous))]
    where = f" in {' and '.join(countries)}" if countries else ""
    when = f" in {' and '.join(years)}" if years else ""
    return f"{opener} {phrase}{where}{when}?"


def _singular(word: str) -> str:
    return word[:-1] if is_plural(word) else word


# a turn naming one definite thing: "the budget", "Senegal's budget" (its country already left out)
_DEFINITE = re.compile(r"^\s*(?:the\b|['’]s\b)", re.I)


def _topic_phrase(rest: str, previous: str) -> str:
    """The turn's noun phrase without its countries, years, opener and pronoun: "its funding" is the
    funding of the earlier turn's named subject, or simply the funding when that was a country."""
    bare = without_mentions(rest)
    text = YEAR.sub(" ", bare)
    owner = None
    if _PRONOUN.search(text):
        named = [previous[a:b] for a, b in _entity_spans(previous) if not is_country_name(previous[a:b])]
        text = _replace_pronoun(text, named[0]) if named else _PRONOUN.sub(" ", text)
        # or what the earlier turn counted: "their budget" after "How many labor inspectors ...?" is
        # the budget of the labor inspectors, not any budget of the country's
        owner = None if named else counted_phrase(analyse(previous))
    elif _DEFINITE.match(bare) and not is_plural(rest.split()[-1].lower().strip("?.!")):
        # "the budget" / "Senegal's budget" (one thing, definite) after a count is what was counted's
        # too; a bare plural ("And convictions?") is a thing of its own beside it
        owner = counted_phrase(analyse(previous))
    text = re.sub(r"['’]s\b", " ", text) if not _PRONOUN.search(rest) else text
    tokens = text.split()
    while tokens and tokens[-1].lower() in STOPWORDS:  # "funding in [Senegal]"
        tokens.pop()
    while tokens and tokens[0].lower() in STOPWORDS - {"the", "a", "an"}:
        tokens.pop(0)
    return " ".join(tokens + ([f"of the {owner}"] if tokens and owner else []))
