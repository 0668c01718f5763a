"""Features of one candidate unit for one question: what the learned ranker reads.

Each candidate gets a fixed vector (``FEATURES`` names its entries): the scores the hand-weighted
formula already combined (cosine, IDF-weighted overlap, kind fit, hit rank, the year fit and
penalties as indicators), the same cosine and overlap relative to the question's best candidate (a
question in other words than the report's has low overlap everywhere; what matters is which unit
leads), the overlap of a table row's own label, and whether the unit holds the *type* of answer
the question asks for, read from its wh-phrase and head noun ("how much"/"budget" -> an amount of
money, "what age"/"how old" -> an age, "which ministry" -> a unit naming a ministry). All of it is
general: no word list keyed to a report, a country or a question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from qa.answer.question import MONEY_NOUNS, QuestionInfo, is_plural, main_clause, verb_here
from qa.answer.units import Unit
from qa.answer.years import years_in
from qa.ingest.citations import strip_groups
from qa.models import Chunk
from qa.text.analysis import SCALE_WORDS, STOPWORDS, is_stopword, number_value, terms, word_term, words
from qa.text.countries import without_mentions
from qa.text.inflection import adjective, can_be_verb, describes, known


FEATURES: tuple[str, ...] = (
    "dense", "lexical", "dense_gap", "lexical_gap", "kind_fit", "rank_inv", "label_lexical",
    "year_column", "year_named", "year_elsewhere", "no_number", "uncited", "window", "row",
    "log_words", "type_asked", "type_fit", "head_noun",
)

AnswerType = str  # "money", "percent", "age", "count", "date", "organisation", "yesno", "" (none)
QUANTITIES = frozenset({"money", "percent", "age", "count"})  # types a figure answers

# an amount of money is what is asked only when the wh-phrase asks for it: "how much", "what (annual)
# sum", "how much of the budget", "what is its budget", "what did it cost/spend" — not any question
# naming a fund ("Which programs receive funding?") ("what's" is "what is"; a possessor may run to
# five words: "What was the Senegalese labour inspection service's budget?")
_MONEY_Q = re.compile(rf"\bhow much\b(?! of\b| time\b)|\bwhich\s+{MONEY_NOUNS}\b|"
                      rf"\bwhat\s+(?:(?!kind\b|type\b|sort\b|form\b)[\w-]+\s+)?{MONEY_NOUNS}\b|"
                      rf"\bhow much of (?:the |its |their |this |that )?(?:[\w'’.-]+ ){{0,3}}?{MONEY_NOUNS}\b|"
                      r"\bwhat(?:['’]s|\s+(?:is|was|were|are))\s+(?:the|its|their|his|her|(?:[\w-]+\s+){0,4}?[\w-]+(?:['’]s|s['’]))"
                      rf"\s+(?:(?!of\b)[\w-]+\s+){{0,3}}?{MONEY_NOUNS}\b|"
                      # "Which has the larger inspectorate budget?", "the highest funding"
                      rf"\b(?:larger|largest|bigger|biggest|higher|highest|smaller|smallest|lower|lowest)\s+"
                      rf"(?:[\w-]+\s+){{0,3}}?{MONEY_NOUNS}\b|"
                      r"\bwhat did\b.*\b(?:cost|spend|allocate|pay|invest|earmark|set aside|put into)\b|\bwhat was\b.*\bspending\b")
# "how much" before a noun other than money asks for a quantity of it ("How much fuel did ...",
# "how much cotton"), not a sum; before a function word ("how much did/has/the ...") or with a money
# noun in its phrase ("how much extra money") it asks for a sum
_HOW_MUCH_PHRASE = re.compile(r"\bhow much((?:\s+[a-z][a-z-]*){1,3})")
# words that keep "how much" from asking a quantity of a mass noun: money itself, or "time"/"of"
# ("how much time", "how much of the budget"), which the money and count rules below already read
_NOT_MASS = re.compile(MONEY_NOUNS + r"|money|cash|funds?|time|of")


def asks_quantity_of_mass(low: str) -> bool:
    """The lower-cased question asks "how much" of a noun that is not money ("how much fuel")."""
    m = _HOW_MUCH_PHRASE.search(low)
    if not m:
        return False
    phrase = m.group(1).split()
    return not is_stopword(phrase[0]) and not any(_NOT_MASS.fullmatch(w) for w in phrase)


_PERCENT_Q = re.compile(r"\b(percent(?:age)?|share|proportion|rate|ratio|%)\b")
_AGE_Q = re.compile(r"\b(how old|what age|which age|at what ages?|minimum age|ages?)\b")
_ORG_Q = re.compile(r"^\s*(?:who|whom|which|what)\s+(ministr(?:y|ies)|agenc(?:y|ies)|organi[sz]ations?|bod(?:y|ies)|institutions?|"
                    r"government|department|unit|office|committee|groups?|donors?|partners?|projects?|program(?:s|me)?)\b")
_HEAD_WORDS = 3  # the wh-word's noun phrase: at most two describing words before its head
_HEAD = re.compile(r"^\s*(?:which|what)\s+(?:kinds? of |types? of |sorts? of )?([a-z][a-z-]+)")
# a sum: a currency sign before the figure, or a currency after it ("$85,000", "100 million CFA
# francs"); "6.5 million workers" is a count
_MONEY_U = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:(?:million|billion)\s)?(?:USD|US dollars|dollars|euros|CFA|"
                      r"francs?|XOF)\b", re.I)
_PERCENT_U = re.compile(r"\d\s?%|\bpercent\b", re.I)
# an age stated: an age word with a figure a few words on ("Age: 15", "aged 12", "until age 16",
# "between the ages of 9 and 16", "the minimum age for recruitment is 18", "Minimum Age for Work: 15")
# or a figure in years ("18 years old", "under 15 years"); a figure past another word's colon
# ("Minimum Age for Hazardous Work: Article 1 of ...") is no age
_AGE_U = re.compile(r"\b(?:age[sd]?)\b(?:\s+[\w-]+){0,5}?\s*(?:is|was|of|at|:)?\s*\d{1,2}\b"
                    r"|\b\d{1,2}(?:\s+|-)(?:years?|yrs?)\b", re.I)
_PERCENT_ROW = re.compile(r"\(%")  # a statistic's row ("Attending School (%) | Age: 5 to 14 | ..."): its ages are no age asked
_ORG_U = re.compile(r"\b(?:Ministry|Ministries|Agency|Office|Directorate|Committee|Commission|Brigade|Unit|"
                    r"Department|Council|Government|Organi[sz]ation|[A-Z]{3,})\b")  # an acronym: "UNICEF", "ILO"
_DATE_U = re.compile(r"\b(?:19|20)\d\d\b")
# a pointer to a part of the document ("Table 1 provides ...") or an instrument's number ("ILO C. 182",
# "Decree No. 2017-682", "Article 152") holds no figure: identifiers, no count
_DOC_PART = re.compile(r"\b(?:Tables?|Figures?|Charts?|Annex(?:es)?|Sections?|Chapters?|Articles?|C\.|Nos?\.)\s*"
                       r"[A-Z]?\.?\s*\d+(?:[.-]\d+)*\b")


def without_parts(text: str) -> str:
    """``text`` less its pointers to numbered tables, figures and sections (not answers to "how many")."""
    return _DOC_PART.sub(" ", text)


def answer_type(info: QuestionInfo) -> AnswerType:
    """The type of answer asked for, from the wh-phrase and the head noun (general English)."""
    low = info.text.lower()
    if info.kind == "yesno":
        return "yesno"
    if info.kind == "date" or re.search(r"\b(?:what|which) (?:date|day|month|year)\b|^\s*when\b", low):
        return "date"
    if info.kind == "number" and _PERCENT_Q.search(low):
        return "percent"
    if info.kind == "number" and _AGE_Q.search(low):
        return "age"
    # "how many dollars/CFA francs ...?" counts money: a sum
    if re.search(r"\bhow many\s+(?:(?:us|u\.s\.|american)\s+)?(?:dollars|euros|pounds|francs|cfa)\b", low):
        return "money"
    # "By how much did the number of inspectors change?" asks for a count, not a sum
    if "how many" in low or asks_quantity_of_mass(low) or re.search(r"\bhow much\b.*\b(?:number|count) of\b", low):
        return "count"
    clause = main_clause(low)  # past a request wrapped round it ("Can you tell me which ministry ...?")
    if info.kind in ("number", "other") and (_MONEY_Q.search(low) or _MONEY_Q.search(clause)):
        return "money"
    if info.kind == "number":
        return "count"
    if _ORG_Q.search(clause) or re.match(r"^\s*who\b", clause):
        return "organisation"
    return ""


def type_fit(kind: AnswerType, text: str) -> float:
    """1 when ``text`` holds an answer of the type asked for, 0 when not (0.5: nothing to check)."""
    if kind == "money":
        return 1.0 if _MONEY_U.search(text) else 0.0
    if kind == "percent":
        return 1.0 if _PERCENT_U.search(text) else 0.0
    if kind == "age":
        return 1.0 if _AGE_U.search(text) and not _PERCENT_ROW.search(text) else 0.0
    if kind == "count":
        if _PERCENT_ROW.search(text):
            # a statistics row's share is no count; the population beside it in brackets is
            # ("Working (% and population) | Percent: 42.9 (2,516,191)"; "22.3 (Unavailable)" has none)
            text = " ".join(re.findall(r"\(([^)%]*)\)", text))
        text = without_parts(text)
        # a count is a figure that is not a year, an amount of money or a percentage ("how many
        # teachers" is not answered by "$608,162")
        return 1.0 if any((any(ch.isdigit() for ch in w) and not years_in(w) and not w.startswith("$")
                           and not w.endswith("%")) or number_value(w) is not None
                          or w in SCALE_WORDS for w in words(text)) else 0.0
    if kind == "date":
        return 1.0 if _DATE_U.search(text) else 0.0
    if kind == "organisation":
        return 1.0 if _ORG_U.search(text) else 0.0
    if kind == "yesno":
        return 1.0 if re.search(r"\b(?:Yes|No|not|never)\b", text) else 0.0
    return 0.5


def stated_figures(info: QuestionInfo) -> frozenset[str]:
    """The figures a question states itself, years aside ("aged 15 to 17" -> {"15", "17"}; number
    words count: "between five and fourteen" -> {"5", "14"})."""
    return frozenset(t for t in terms(info.text) if t.replace(",", "").replace(".", "").isdigit()
                     and not years_in(t))


def lacks_figures(figures: frozenset[str], text: str) -> bool:
    """True when the question states figures and the unit holds none of them: it speaks of another
    age range, amount or count than the one asked about."""
    return bool(figures) and not figures & set(terms(text))


def list_items(info: QuestionInfo) -> frozenset[str]:
    """The terms of the plural head noun naming a list question's items ("Which social programs ...?"
    -> {"program"}); empty for a singular or mass noun ("What kinds of work ...?") or none."""
    head = head_noun(info)
    plural = {word_term(w) for w in re.findall(r"[a-z][a-z-]*", wh_clause(info.text)) if is_plural(w)}
    return frozenset(head.split()) if head and head.split()[-1] in plural else frozenset()


def head_noun(info: QuestionInfo) -> str | None:
    """The stem of the noun a "which X"/"what X" question asks about ("which ministry" -> "ministri";
    with the nouns describing it, which a unit must hold too: "which police unit" -> "polic unit"),
    past the describing words before it: a country's name or demonym ("Which Malian regions"), an
    adjective or participle followed by another word ("What hazardous tasks", "Which armed groups";
    read from the lexicon, qa.text.inflection). None when a verb or a function word follows the
    wh-word ("What makes ...", "What about ...")."""
    clause = wh_clause(info.text)
    m = _HEAD.match(clause)
    if not m:
        return None
    rest = without_mentions(clause[m.start(1):])
    following = re.findall(r"[a-z][a-z-]*", rest)[:_HEAD_WORDS]
    nouns: list[str] = []  # a noun describing the next one is part of what is asked
    for i, word in enumerate(following):
        after = following[i + 1] if i + 1 < len(following) else None
        if word in STOPWORDS or verb_here(word, after):
            return None
        if not nouns and (adjective(word) or not known(word)) and after is not None and after not in STOPWORDS:
            continue  # a word describing the head noun that follows it (or a name: "Which UN agency")
        nouns.append(word_term(word))
        if after is None or not _only_noun(after):
            return " ".join(nouns)
    return None


def _only_noun(word: str) -> bool:
    """The lexicon knows ``word`` as a noun and as nothing else ("company"; not "heads", "labor")."""
    return word not in STOPWORDS and known(word) and describes(word) and not adjective(word) and not can_be_verb(word)


def holds_head(text: str, head: str) -> bool:
    """``text`` holds every stem of ``head`` ("polic unit" asks for a police unit: "the National Unit
    to Fight Against Child Labor" alone is not one)."""
    # an adjective sharing the noun's stem ("regional" for "regions") names no such thing
    have = {word_term(w) for w in words(text) if not adjective(w)}
    return all(part in have for part in head.split())


def wh_clause(question: str) -> str:
    """The question from its wh-word on, lower-cased, past a leading phrase that only sets the scope
    ("In Mali's 2020 edition, which ministry ...?" -> "which ministry ...?")."""
    return main_clause(question.lower())


def names_head(unit: Unit, head: str, info: QuestionInfo | None = None) -> bool:
    """The unit's own words (a description sentence without its row label, a row's cells without its
    table title and label) hold the head noun's stem — or, when the question asks for an organisation,
    name one that neither the unit's label nor the question names ("Which ministry leads the
    Directorate ...?" / "Directorate ...: Led by MPFEF"): the unit says who, not what the named one did."""
    body = _body(unit)
    if holds_head(body, head):
        return True
    if info is None or not _ORG_Q.search(wh_clause(info.text)):
        return False
    known = f"{unit.label} {info.text}"
    return any(m.group(0) not in known for m in _ORG_U.finditer(body))


def _body(unit: Unit) -> str:
    if unit.kind == "row":
        own = unit.own_text or unit.text
        return own.split(unit.label, 1)[-1] if unit.label else own
    return unit.text.removeprefix(f"{unit.label}: ") if unit.label else unit.text


@dataclass(frozen=True)
class Raw:
    """What the scorer already computed for one candidate, before it is turned into features."""

    dense: float
    lexical: float
    kind_fit: float
    rank: int
    label_lexical: float
    year_column: bool  # a table column for exactly the year asked
    year_named: bool  # the unit (or its report's year) speaks of the year asked
    year_elsewhere: bool  # the unit speaks of other years only
    no_number: bool  # a quantity is asked and the unit holds none (of its type, with typed_quantities)
    uncited: bool
    window: bool


def vector(info: QuestionInfo, unit: Unit, raw: Raw, best_dense: float, best_lexical: float,
           asked: AnswerType, head: str | None) -> list[float]:
    """The feature vector of one candidate, in the order of ``FEATURES``."""
    text = unit.own_text or unit.text
    n_words = len(unit.text.split())
    has_head = 0.0
    if head is not None:
        has_head = 1.0 if holds_head(unit.text, head) else 0.0
    return [
        raw.dense, raw.lexical, raw.dense - best_dense, raw.lexical - best_lexical, raw.kind_fit,
        1.0 / (raw.rank + 1), raw.label_lexical, float(raw.year_column), float(raw.year_named),
        float(raw.year_elsewhere), float(raw.no_number), float(raw.uncited), float(raw.window),
        1.0 if unit.kind == "row" else 0.0, math.log1p(n_words), 1.0 if asked else 0.0,
        type_fit(asked, text) if asked else 0.0, has_head,
    ]


# "how many X", and the noun phrase that says it ("what is the (latest) number of X", "the total
# number of X", "a count of X")
# "were any X found?" asks whether X's count is above nought, a count too
_HOW_MANY = re.compile(r"\b(?:how many|number of|count of|(?:were|was|are|is|have|has|had)\s+(?:there\s+)?any)\s+"
                       r"((?:[a-z][a-z'’-]*\s*){1,4})")
# a figure in a sentence of what would, should or could be is no count of what is ("... a ratio
# approaching 1 inspector for every 40,000 workers, Niger would employ about 163 labor inspectors")
_MODAL = re.compile(r"\b(?:would|should|could|might|ought)\b", re.I)
# a question asking what is needed asks what would be: "How many inspectors does Niger need?"
# ("does Niger need", "are needed", "needs to"; not "children with special needs")
_NEEDED = re.compile(r"\b(?:(?:does|do|did|would|will)\s+(?:[\w'’-]+\s+){0,3}?need|(?:is|are|be|were|was)\s+"
                     r"(?:needed|required|necessary)|needs?\s+to)\b", re.I)


def counted_noun(info: QuestionInfo) -> str | None:
    """The stem of the noun a "how many" question counts: the last word of the phrase after "how
    many" (or "number of"), closed by a plural, a function word or a verb ("how many labor
    inspectors were ..." -> "inspector", "how many kids work on ..." -> "kid")."""
    m = _HOW_MANY.search(info.text.lower())
    if not m:
        return None
    phrase, noun = m.group(1).split(), None
    for i, word in enumerate(phrase):
        after = phrase[i + 1] if i + 1 < len(phrase) else None
        # an -ing word before a plural noun names its kind ("child trafficking prosecutions"), no verb
        modifier = word.endswith("ing") and after is not None and is_plural(after)
        if word in STOPWORDS or (noun is not None and not modifier and verb_here(word, after)):
            break
        noun = word
        if is_plural(word):
            break
    return word_term(noun) if noun else None


_AUXILIARY = frozenset("did do does has have had is are was were been be being".split())


def counted_phrase(info: QuestionInfo) -> str | None:
    """The words naming what a "how many" question counts, as written, up to the first function word
    or its plural noun (auxiliaries passed over): "how many guilty verdicts for ..." -> "guilty
    verdicts", "what number of breaches of ..." -> "breaches". What a table row's label is compared
    with: the whole question also holds the words every row of the table shares ("worst forms of
    child labor"), which draw its vector to the table, not to the row asked for."""
    m = _HOW_MANY.search(without_mentions(info.text).lower())
    if not m:
        return None
    kept: list[str] = []
    for word in m.group(1).split():
        if word in _AUXILIARY:
            continue
        if word in STOPWORDS or years_in(word):
            break
        kept.append(word)
        if is_plural(word):  # the counted noun closes the phrase ("children make it ..." -> "children")
            break
    return " ".join(kept) or None


def counts(unit: Unit, noun: str, hypothetical: bool = False) -> bool:
    """The unit states a count of ``noun`` (a stem): a table row labelled with it and holding a
    figure ("Number of Labor Inspectors | 2019: 51"), or a figure followed within three words by it
    ("113 labor inspectors", "671 inspections"), not in a sentence of what would or should be.
    ``hypothetical``: only such a sentence counts ("... Niger would employ about 163 labor inspectors")."""
    if unit.kind == "row" and unit.own_label:
        return not hypothetical and _labels_count(unit.own_label, unit.own_text, noun)
    return any(_sentence_counts(sentence, noun, hypothetical)
               for sentence in ([s.text for s in unit.sentences] if unit.kind == "sentence" else [unit.text]))


def chunk_counts(chunk: Chunk, noun: str, hypothetical: bool = False) -> bool:
    """``counts`` for a retrieved chunk: a table row whose label (its first cell) names ``noun`` and
    whose cells hold a figure, or a passage sentence stating a count of it. ``hypothetical`` (the
    question asks what would or should be: "How many inspectors would Niger need ...?"): only a
    sentence of what would be counts, never a row of what is."""
    if chunk.kind == "table-row":
        # a cell's citation group ("Unknown (68)") is no figure
        cells = " ".join(strip_groups(s.text, max(s.refs, default=0)) for s in chunk.sentences)
        label = chunk.text.split("\t", 1)[0]
        return not hypothetical and bool(label.strip()) and _labels_count(label, cells, noun)
    return chunk.kind != "reference" and any(_sentence_counts(s.text, noun, hypothetical) for s in chunk.sentences)


# a question asking who leads a body ("Who heads the task force?", "Which ministry chairs the
# CNVS?", "Who sits at the head of the committee?"), and a unit saying who does ("Chaired by MOJ",
# "MFSNF serves as president", "led by the Ministry of Justice"): general English for the relation,
# the reports' descriptions of bodies word it so
_LEADS_Q = re.compile(r"^\s*(?:who|which|what)\b.*\b(?:heads?|headed|leads?|led|chairs?|chaired|presides?(?: over)?|"
                      r"at the head of)\b", re.I)
_LEADS_U = re.compile(r"\b(?:chaired|led|headed|presided(?: over)?)\s+by\b|\bunder the leadership of\b"
                      r"|\b(?:serves?|acts?)\s+as\s+(?:its\s+|the\s+)?(?:president|chair(?:man|woman|person)?|head|leader|lead)\b"
                      r"|\b(?:chairs|heads|leads|presides|chairing|heading|leading|presiding)\b", re.I)


def asks_leader(info: QuestionInfo) -> bool:
    """The question asks who leads, heads or chairs something."""
    return bool(_LEADS_Q.search(info.text))


def states_leader(unit: Unit) -> bool:
    """The unit says who leads, heads or chairs something."""
    return bool(_LEADS_U.search(unit.own_text or unit.text))


def asks_hypothetical(info: QuestionInfo) -> bool:
    """The question asks what would, should or could be ("... should Niger employ?")."""
    return bool(_MODAL.search(info.text) or _NEEDED.search(info.text))


def _labels_count(label: str, cells: str, noun: str) -> bool:
    return noun in {word_term(w) for w in words(label)} and any(ch.isdigit() for ch in cells)


def _sentence_counts(sentence: str, noun: str, hypothetical: bool = False) -> bool:
    if bool(_MODAL.search(sentence)) != hypothetical:
        return False
    tokens = words(without_parts(sentence))
    return any(is_figure(w) and noun in {word_term(t) for t in tokens[i + 1:i + 4]} for i, w in enumerate(tokens))


def is_figure(word: str) -> bool:
    """A word of ``words`` states a figure: digits that are not a year ("113", "$85,000") or a
    number word ("three")."""
    return (any(ch.isdigit() for ch in word) and not years_in(word)) or number_value(word) is not None
