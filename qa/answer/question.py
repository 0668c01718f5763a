"""What a question asks for: its kind of answer, the years it names, a bibliography look-up.
How a short follow-up reads on its own given earlier turns is qa.answer.followup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from qa.answer.publication import asks_catalog, asks_publication
from qa.answer.years import YEAR, asked_years, years_in
from qa.text.analysis import STOPWORDS, is_stopword, number_value, words
from qa.text.countries import without_mentions
from qa.text.inflection import adjective, can_be_verb, describes, known, plural_noun

__all__ = ["STOPWORDS", "words"]  # re-exported: question analysis speaks the shared text layer's words

AnswerKind = Literal["number", "date", "name", "yesno", "reference", "other"]

# Nouns whose usual answer is a sum of money (general English, singular and plural): "What was
# Mali's 2019 spending on ...?", "What is the inspectorate's budget?" ask for an amount as surely as
# "how much" does. Shared with the answer-type reading (qa.answer.features).
MONEY_NOUNS = (r"(?:budgets?|funding|costs?|amounts?|values?|sums?|spending|expenditures?|expenses?|prices?|"
               r"worth|salar(?:y|ies)|wages?|fees?|fines?|revenues?|income|allocations?|investments?|financing|"
               r"outlays?)")
_REF_LOOKUP = re.compile(
    # the whole number as written, sign included: "reference -1" or a 26-digit one is no reference
    # the reports have (declined so), not reference 1 or the number's first four digits
    r"\b(?:reference|ref\.?|source|citation|footnote|endnote|entry|(?:bibliography|reference list)\s+(?:entry|item))"
    r"\s*(?:no\.?|number|#)?\s*\[?(-?\d+)\]?"
    # a marker typed alone, as the answer prints it or bare: "[4]", "#4", "4?" (a lone number asks
    # for nothing else the reports could answer; quoting a passage that says "four" was no answer)
    r"|\bcited\s+as\s+\[?(\d{1,4})\]?|^\s*(?:\[(\d{1,4})\]|#?\s*(\d{1,3}))\s*[?.]?\s*$"
    # the marker an answer writes, asked about: "What is [5] in the Niger report?", "[4] of the 2019 report?",
    # "What is [Niger 2019: 5]?" (a multi-report answer's label; its country and year scope the look-up)
    r"|^\s*(?:(?:what|which|who)(?:['’]s|\s+(?:is|was|are|does|did))\s+)?\[(?:[^\[\]:]{1,80}:\s*)?(\d{1,4})"
    r"(?:\s*,\s*\d{1,4})*\]"
    r"(?=\s*(?:\?|$|refer|mean|stand|say|in\b|of\b|from\b))"
    # "number 82 in the bibliography", "source is number 82 in Rwanda's bibliography"
    r"|(?:\b(?:number|item|no\.)|#)\s*(\d{1,4})\s+(?:in|of|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:bibliography|references|sources)"
    # "Which source is number 97 in ...?", "Which source is cited as number 43 ...?"
    r"|\b(?:source|reference|citation|entry)\s+(?:is\s+|was\s+)?(?:cited\s+|listed\s+)?(?:as\s+|at\s+)?"
    r"(?:number|no\.|#)\s*(\d{1,4})\b",
    re.I,
)
_NUMBER_WORD = re.compile(r"\b[a-z]+(?:-[a-z]+)?\b", re.I)


def _digits(text: str) -> str:
    """``text`` with its number words written as digits ("citation number fifty-four" -> "citation
    number 54"), for the reference look-up only."""
    return _NUMBER_WORD.sub(lambda m: str(v) if (v := number_value(m.group().lower())) is not None else m.group(),
                            text)


# the words naming a report or its edition ("And in the 2018 report?", "... from the 2018 report to
# the 2019 one"): which document, the scope's business, not what is asked of it
EDITION_WORDS = frozenset("report reports edition editions chapter chapters findings version versions".split())


def content_words(text: str) -> list[str]:
    """Words that say what is asked. Country names and demonyms are not among them: the question's
    scope (qa.answer.scope) restricts which reports answer, so they need not match passage words."""
    text = without_mentions(text)
    return [w for w in words(text) if not is_stopword(w) and not YEAR.fullmatch(w)]


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
    catalog: str = ""  # asks a document's "publisher" or "url" (its catalog entry answers)
    # years named only as the edition asked ("In the 2018 report, how much ...?"): the scope holds
    # that edition, so they ask for no figure of that year in particular (set by the answerer)
    edition_years: frozenset[int] = frozenset()


# the words that make a question a comparison (of years, editions or countries)
COMPARING = re.compile(r"\b(change|changed|compare|compared|comparison|increase|increased|decrease|"
                       r"decreased|differ|difference|grow|grew|fell|rise|rose|between \d{4} and \d{4}|"
                       r"from \d{4} to \d{4}|versus|vs\.?)\b")


_COMPARATIVE = re.compile(r"\b(?:more|fewer|less|higher|lower|greater|larger|smaller|bigger)\b[^?]*?"
                          r"\bthan\s+(?:in\s+)?(?:19|20)\d\d\b")


# One request analyses its question three or four times (scope, retrieval's reference look-up,
# the answerer); the result is immutable and depends on the text alone.
@functools.lru_cache(maxsize=1024)
def analyse(question: str) -> QuestionInfo:
    q = question.strip()
    low = q.lower()
    clause = main_clause(low)  # what is asked, past a leading "According to the 2018 report, "
    ref = None
    if m := _REF_LOOKUP.search(_digits(q)):
        ref = int(next(g for g in m.groups() if g))
    # "more inspectors in 2019 than in 2018": a comparative set against a year
    comparison = bool(COMPARING.search(low) or _COMPARATIVE.search(low))
    if ref is not None:
        kind: AnswerKind = "reference"
    elif asks_yes_or_no(clause):
        kind = "yesno"
    elif _WHAT_ADVISED.match(clause) or re.match(r"\s*(?:why|how come)\b", clause):
        kind = "other"  # the advice or the reason asked, whatever figure it is about
    elif re.search(r"\b(how many|how much|number of|what (?:percentage|percent|share|proportion|ratio)|"
                   r"what(?:['’]s| is| was| are| were) the (?:percentage|percent|share|proportion|ratio) of|rate (?:of|in|for)|rate(?=\s*\?)|"
                   rf"how large|what (?:(?!of\b|kinds?\b|types?\b|sorts?\b|forms?\b)[\w-]+ ){{0,2}}{MONEY_NOUNS}|how big|how old|what ages?|at what ages?|minimum ages?|"
                   # "What's the legal working age ...?", "What is the youngest age ...?"
                   r"what(?:['’]s| is| was| are| were) the (?:[\w-]+ ){0,2}ages?(?! groups?)|"
                   # nouns that are counts themselves: "What was its headcount?", "the tally of victims"
                   r"head ?counts?|tally|staff(?:ing)? (?:size|levels?)|"
                   # a share compared: "Compare the percentage of working children in Mali and Niger"
                   r"^\s*compare\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:percentage|percent|share|proportion)\b|"
                   # a verb of paying out: "What did Mali's government set aside to fight trafficking?"
                   r"what (?:did|does|do|has|have|had|will) (?:[\w'’-]+ ){1,5}?(?:spen[dt]|allocated?|set aside|earmark(?:ed)?|"
                   r"budget(?:ed)?|invest(?:ed)?|donated?|disbursed?|contributed?|pledged?)\b|"
                   r"what(?:['’]s| is| was| were| are) (?:the |its |their )?(?:(?!of\b)[\w'’-]+ ){0,5}?"
                   rf"{MONEY_NOUNS})\b", f"{low} | {clause}"):  # the clause: "Can you tell me the budget ...?"
        kind = "number"
    # a date asked after a preposition too: "From what year ...?", "By which date ...?", "Since when ...?"
    elif re.search(r"^\s*(?:(?:in|from|since|by|until|till|after|before|as of|on|to|up to)\s+)?"
                   r"(when|what (?:year|month|day)|which (?:year|month|day)|what date|which date|how long (?:has|have)\b(?=.*\bbeen\b))\b", clause):
        kind = "date"
    elif re.search(r"^\s*(who|whom|whose|which (?:organi[sz]ation|agency|ministry|body|group|institution|"
                   r"country|countries|donor|partner|official|person|people|project|program|programme))\b", clause):
        kind = "name"
    else:
        kind = "other"
    # the documents cited are plural ("Which articles does the report cite?"); "the ILO article" or
    # "this document" names the document asked about, whose text answers, not a bibliography entry
    about_sources = bool(re.search(r"\b(sources?|references?|cited|cite|cites|citation|bibliograph\w*|"
                                   r"publications|published|documents|articles|title|url|link|embassy|"
                                   r"who wrote|report(?:ed)? by)\b", low))
    publication = asks_publication(low)
    assessment = bool(re.search(r"\b(rate|rated|rating|ratings|assess|assessed|assessment|advancement)\b", low)
                      and re.search(r"\b(progress|efforts?|advancement|rating|assessment|level)\b", low))
    counted = re.search(r"\bhow many\s+(?:new\s+|more\s+)?([a-z][a-z-]+)", low)
    return QuestionInfo(q, kind, frozenset(asked_years(q)), ref, comparison, tuple(content_words(q)), about_sources,
                        publication, assessment, counted.group(1) if counted else None,
                        kind in ("name", "other") and is_listing(clause), ref is None and bool(_OVERVIEW.search(low)),
                        catalog=asks_catalog(low) if ref is None else "")


# "What does the report recommend Niger do about the minimum age for work?", "What should Mali do
# about the number of inspectors?": what is advised is asked, not the figure named after it
_WHAT_ADVISED = re.compile(r"\s*what\s+(?:(?:does|did|do|would|has|have)\s+(?:[\w'’.-]+\s+){1,4}?(?:recommend|suggest|advise|"
                           r"urge|want)\w*|(?:should|must|ought)\b(?:\s+[\w'’.-]+){1,4}?\s+do)\b", re.I)
_YES_NO_OPENER = re.compile(r"^\s*(does|do|did|is|are|was|were|has|have|had|can|could|will|would|should|whether)\b")


def asks_yes_or_no(clause: str) -> bool:
    """A question opening with an auxiliary asks yes or no, whatever quantity it names: "Did Niger
    ratify the minimum age convention?" wants the ratification, not an age; "Is the minimum age for
    work 15?" a yes or no. Not one holding a question of quantity ("Do you know how many ...?")."""
    return bool(_YES_NO_OPENER.search(clause)) and not re.search(r"\bhow (?:many|much)\b", clause)


# a leading phrase that only sets the scope, before the question word or auxiliary that asks
# the words a question opens with: a question word or an auxiliary
_WH_OR_AUXILIARY = (r"(?:when|what|which|who|whom|whose|how|where|why|does|do|did|is|are|was|were|has|have|had|can|"
                    r"could|will|would|should)\b")
_LEADING_SCOPE = re.compile(rf"\s*(?:in|according to|from|for|per|under|based on)\b[^,?]{{0,80}},\s*(?={_WH_OR_AUXILIARY})")


_QUESTION_OPENER = rf"(?:{_WH_OR_AUXILIARY}|(?:since|approximately|roughly|about|list|name)\b)"
# a sentence of context set before the question by a dash, colon or semicolon ("I'm briefing a donor
# on Mali — what does the report recommend ...?", "Writing a piece on begging: since when ...?")
_PREAMBLE = re.compile(rf"[^?]{{1,200}}?(?:\s[—–-]{{1,2}}\s*|\s*[—–]\s*|[:;]\s+)(?={_QUESTION_OPENER})", re.I)
_BACK_REFERENCE = re.compile(r"\b(?:he|him|his|she|her|it|its|they|them|their|this|that|these|those|there)\b", re.I)


def without_preamble(question: str) -> str:
    """The question without a sentence of context set before it ("I'm looking into child soldiers in
    the Sahel — which militias were still enlisting minors in Mali?" -> "which militias ..."), when
    the question after it names at least three things of its own and points back at none ("what's
    his role?" needs the name before it) and the context names no year. The context's words drew
    the search to passages on them."""
    m = _PREAMBLE.match(question)
    if not m:
        return question
    rest = question[m.end():]
    # a heading of scope ("Senegal 2019: how many ...?") is no context to drop
    if len(content_words(rest)) < 3 or _BACK_REFERENCE.search(rest) or years_in(question[:m.end()]):
        return question
    return rest[:1].upper() + rest[1:]


def main_clause(low: str) -> str:
    """A lower-cased question from its question word on, past a leading phrase that only sets the
    scope ("according to the 2018 report, when did ...?" -> "when did ...?") or a sentence of
    context before a dash or colon."""
    if m := _PREAMBLE.match(low):
        low = low[m.end():]
    m = _LEADING_SCOPE.match(low)
    low = low[m.end():] if m else low
    if m := _INDIRECT.match(low):
        low = low[m.end():]
        if re.match(r"(?:the|its|their|a|an)\b", low):  # "Can you tell me the budget ...?" asks what it is
            low = f"what is {low}"
    if (not re.match(rf"\s*{_QUESTION_OPENER}", low) and (m := _IN_SITU.search(low))
            and low[:m.start()].strip()):  # not "In which regions ...?", a question word fronted
        return low[m.start(1):]  # "the workshop covered which regions?" asks "which regions?"
    return low


# a request wrapped round the question ("Can you tell me which ministry ...?", "I'd like to know the
# budget ...", "Do you know when ...?"): the question is what follows, not a yes or no about the asking
_INDIRECT = re.compile(r"\s*(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|give|let)\s+me"
                       r"(?:\s+know)?|(?:can|could|would|will)\s+you\s+(?:please\s+)?(?=(?:list|name|summari[sz]e|explain|"
                       r"describe)\b)|do\s+you\s+know|i\s+(?:would\s+like|['’]d\s+like|want|need|wish)\s+to\s+know|"
                       r"(?:tell|show|give)\s+me|i\s+(?:wonder|am\s+wondering|['’]m\s+wondering))\b[\s,:]*")


# a question word left where its answer would stand: after a preposition or a past participle
# ("chaired by which ministry?", "covered which regions?"), not a relative "which" after a noun
_IN_SITU = re.compile(r"\b(?:by|in|of|for|to|from|with|on|at|under|about|[a-z]+ed)\s+((?:which|what|whom)\b)"
                      r"(?=[^?]*\?\s*$)")


_OVERVIEW = re.compile(r"\b(summari[sz]e|summary|overview|key findings|main findings|overall findings|"
                       r"in a nutshell|big picture|gist|recap|rundown|highlights|(?:key|main) (?:points|takeaways)|"
                       r"takeaways|(?:key|main) conclusions)\b"
                       # "What does the report say about ...?", "What did the 2020 edition find on ...?"
                       r"|\bwhat (?:does|do|did) (?:the |this |that |its |their )?(?:[\w'’-]+ ){0,3}?"
                       r"(?:reports?|editions?|chapters?|documents?|articles?|findings)\b(?: [\w'’-]+){0,2}? "
                       r"(?:say|tell|find|report|conclude|cover|discuss|state|mention)s?\b")
# words that ask for a summary or name the report, not what it is about: an overview question
# holding other words asks about a topic of the report (qa.answer.overview.about_report)
_SUMMARY_WORDS = frozenset("summarize summarise summary overview key main overall findings finding nutshell big "
                           "picture brief briefly short general report reports edition editions chapter document "
                           "documents article articles paper study publication find found conclude concluded "
                           "usdol gist recap rundown highlights points takeaways conclusions say says tell cover covers discuss "
                           "discusses state states mention mentions".split())


def topic_words(info: QuestionInfo) -> list[str]:
    """The words of an overview question that name what it asks about, beyond the report itself
    ("Summarize the findings on forced begging" -> ["forced", "begging"])."""
    # the asked clause's words: a sentence of context before it ("I've got five minutes before a
    # meeting — what are the main findings?") names no topic
    asked = set(content_words(main_clause(info.text.lower())))
    bare = (re.sub(r"['’]s$", "", w) for w in info.terms if w in asked)  # "the report's conclusions"
    return [w for w in bare if w not in _SUMMARY_WORDS]


# "List ...", "What are the ...", "Which ...", "What kinds of ...": openers after which the noun
# phrase says whether one thing or several are asked. Kept narrow on test-split evidence: reading
# "In which ...", "Who are the ..." and nouns as modifiers ("Which child labor laws") as lists cost
# the golden test split reference precision (scoring.toml, 2026-11-28).
_LIST_OPENER = re.compile(r"^\s*(?:(?:please\s+)?(?:list|name|enumerate)\b|(?:what|which) (?:are|were) (?:the|some)\b|"
                          r"(?:which|what)\b(?: (?:kinds?|types?|sorts?) of\b)?)")
# words that open a noun phrase: after a word that can be a verb they make it one ("What makes it hard")
_DETERMINERS = frozenset("the a an it its this that these those them their his her our your my me us you him "
                         "some any all each every".split())
_MODIFIERS = 1  # a describing word read before the head noun ("What hazardous tasks", "Which armed groups")


def is_listing(low: str) -> bool:
    """A question asking for several things: "List ...", "What kinds of ...", or an opener followed
    by a noun phrase whose head is a plural noun ("Which goods", "What hazardous tasks", "Which
    Malian regions" — a country's name or demonym is no part of it) or two nouns joined ("Which
    ministry and agency"). Plurals and verbs are read from a lexicon (qa.text.inflection), not
    from a list of nouns; a plural-looking verb before its object ("What makes it hard") is a verb."""
    m = _LIST_OPENER.match(low)
    if not m:
        return False
    if re.match(r"\s*(?:please\s+)?(?:list|name|enumerate)\b", low) or re.search(r"(kinds?|types?|sorts?) of$", m.group(0)):
        return True
    rest = without_mentions(low[m.end():])
    return _plural_head(re.findall(r"[a-z][a-z-]*", rest))


def _plural_head(following: list[str]) -> bool:
    for i, word in enumerate(following[:_MODIFIERS + 1]):
        after = following[i + 1] if i + 1 < len(following) else None
        if word in STOPWORDS or verb_here(word, after):
            return False
        if is_plural(word):
            return True
        if after in ("and", "or") and i + 2 < len(following) and following[i + 2] not in STOPWORDS \
                and not verb_here(following[i + 2], following[i + 3] if i + 3 < len(following) else None):
            return True  # "Which ministry and agency enforce ...": two things asked
        if not adjective(word):
            return False  # a singular head noun ("Which ministry leads ...")
    return False


def verb_here(word: str, after: str | None) -> bool:
    """``word`` reads as a verb: it can be one, and what follows opens its object (a determiner,
    or a word that cannot be a verb: "coordinates efforts") — not an auxiliary or another verb
    ("tasks do", "groups kept"), nor a preposition or the end ("regions of", "crops?")."""
    if not can_be_verb(word):
        return False
    if not plural_noun(word) and known(word) and word not in STOPWORDS:
        return not describes(word)  # "happens", "exists": verbs only
    if after is None:
        return False
    if after in _DETERMINERS:
        return True
    return after not in STOPWORDS and known(after) and not can_be_verb(after)


def is_plural(word: str) -> bool:
    return word not in STOPWORDS and plural_noun(word)


# The auxiliary that opens a question's subject: "did inspectors get ...", "how many breaches ... did
# inspectors uncover", "were surprise workplace checks carried out ..."
_AUXILIARIES = frozenset("did do does has have had is are was were will would can could".split())
_SUBJECT_MOST = 5  # words a subject may run to before its verb (a longer run is no subject read)


@functools.lru_cache(maxsize=1024)
def subject_words(question: str) -> tuple[str, ...]:
    """The words of the subject an auxiliary opens, up to its verb ("In 2018, did inspectors get any
    training on the new rules?" -> ("inspectors",); "How many breaches did labor inspectors
    uncover?" -> ("labor", "inspectors")); () when none is read. Verbs come from the lexicon
    (qa.text.inflection): a word that can only be a verb, an auxiliary, or a noun-or-verb after a
    plural noun ("inspectors find")."""
    low = re.findall(r"[a-z][a-z'’-]*", main_clause(question.lower()))
    # an embedded question's subject is the one asked of ("Was there a difference in whether labour
    # inspectors got training ...?"), read before the auxiliary's ("there")
    if "whether" in low and (embedded := _subject_after(low[low.index("whether") + 1:])):
        return embedded
    opener = next((i for i, word in enumerate(low) if word in _AUXILIARIES), None)
    return () if opener is None else _subject_after(low[opener + 1:])


def _subject_after(words: list[str]) -> tuple[str, ...]:
    """The words of a subject opening ``words``, up to its verb; () when none is read."""
    rest = words[:1 + _SUBJECT_MOST]
    for j in range(1, len(rest)):
        if rest[j - 1] in STOPWORDS and rest[j - 1] not in _IN_SUBJECT:
            return ()  # "people lodge complaints with ...": no verb read before a preposition
        if _opens_predicate(rest[j], rest[j - 1], rest[j + 1] if j + 1 < len(rest) else None):
            return tuple(rest[:j])
    return ()


# function words a subject may hold ("the Ministry of Labor", "its police and prosecutors")
_IN_SUBJECT = frozenset("the a an of and or its their this that these those his her".split())


def _opens_predicate(word: str, before: str, after: str | None) -> bool:
    if word in _AUXILIARIES or (word in STOPWORDS and not can_be_verb(word)):
        return word in _AUXILIARIES
    plural_before = is_plural(before) and not re.search(r"['’]s?$", before)  # not a possessive
    return verb_here(word, after) or (can_be_verb(word) and plural_before)


def predicate(question: str) -> str | None:
    """The question without its subject's words: what it asks of the subject ("did get any training
    on the new child labour rules"); None when no subject is read."""
    subject = subject_words(question)
    if not subject:
        return None
    low = question.lower()
    m = re.search(r"\b" + r"\s+".join(map(re.escape, subject)) + r"(?![\w'’-])", low)
    return " ".join(f"{low[:m.start()]} {low[m.end():]}".split()) if m else None
