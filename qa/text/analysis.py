"""The one text analysis of the project: words, stopwords, number words, stems.

Every stage that compares a question's words with a passage's goes through here, so they agree on
what a word is: BM25 at index and query time (:func:`bm25_tokens`), the answer stage's lexical
overlap and question analysis (:func:`words`, :func:`terms`, :data:`STOPWORDS`).

- :func:`words`: lower-cased word tokens without accents; figures stay whole ("$85,000", "1,217", "60%") and
  hyphenated compounds stay one word ("anti-trafficking") so the answer stage can read them.
- :func:`terms`: the comparable form of a text: stopwords dropped, compounds also split into their
  parts, number words written as digits ("fourteen" -> "14", "twenty-five" -> "25"), British
  spellings as American ones (breame's table: "labour" -> "labor", "programme" -> "program"; the
  USDOL reports write American English, the ILO's and many users British) and every word
  reduced to its Snowball (Porter 2) stem via PyStemmer ("inspectors", "trained"/"training",
  "hazardous"/"hazard" meet).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKER = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")  # "[4, 49]": citation markers, not content
_WORD = re.compile(r"[A-Za-z0-9$][A-Za-z0-9$.,%'’-]*[A-Za-z0-9%]|[A-Za-z0-9]")

# English function words plus the verbs of asking ("tell", "list", "describe"): what a question says
# to ask, not what it asks about.
STOPWORDS = frozenset(
    """a an the of in on at to for from by with about into over under and or but not no nor is are was were be been
    being am do does did has have had having can could should would will shall may might must this that these those
    it its they them their there here what which who whom whose when where why how many much any some all each
    every other such than then so as if i you we he she his her our your me my s
    say says said tell according please give list describe explain also still just yet""".split()
)
# a function word with a clitic is still one: "what's", "who's", "it's", "they're" (the tokenizer keeps
# the apostrophe so that "Mali's" stays one word)
_CLITIC = re.compile(r"['’](?:s|re|ve|d|ll|m)$")


def is_stopword(word: str) -> bool:
    """A lower-case word that says nothing about what is asked, with or without a clitic."""
    return word in STOPWORDS or _CLITIC.sub("", word) in STOPWORDS

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
# words that mean a number without being one a figure would be written for
SCALE_WORDS = frozenset("hundred thousand million billion dozen".split())


def unaccented(text: str) -> str:
    """``text`` without accents, typographic apostrophes as "'": "Côte d’Ivoire" -> "Cote d'Ivoire".
    The reports write French names with and without their accents ("Ségou"/"Segou", "talibés")."""
    if text.isascii():
        return text
    text = text.replace("’", "'").replace("‘", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-cased word tokens, figures kept whole ("1,217", "$85,000"), accents dropped ("Ségou"
    is one word, "segou", not "s" and "gou")."""
    return [w.lower().rstrip(".,") for w in _WORD.findall(unaccented(text))]


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)  # a corpus has far fewer distinct words than tokens
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word ("inspectors" -> "inspector")."""
    w = word.replace("’", "'").removesuffix("'s").strip("'")
    if not w or not w[0].isalpha():
        return w
    stemmed = _stemmer().stemWord(w)
    # Snowball leaves "-arily"/"-orily" adverbs apart from their adjectives ("voluntarily" ->
    # "voluntarili", "voluntary" -> "voluntari"; "compulsorily", "temporarily"): one stem
    return stemmed[:-2] if stemmed.endswith(("arili", "orili")) else stemmed


def number_value(word: str) -> int | None:
    """ "fourteen" -> 14, "twenty-five" -> 25; None for anything else."""
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    head, _, tail = word.partition("-")
    if head in _TENS and tail in _UNITS[1:10]:
        return NUMBER_WORDS[head] + NUMBER_WORDS[tail]
    return None


def _figure(word: str) -> str:
    """ "$85,000" -> "85,000", "60%" -> "60": a figure compares by its digits."""
    return word.lstrip("$").rstrip("%") if any(ch.isdigit() for ch in word) else word


# a code of a few letters and a number written together ("C182", "R190"), which the reports write
# apart ("ILO C. 182")
_CODE = re.compile(r"([a-z]{1,3})\.?(\d{2,4})")


# a compound opening with a small number: an age range or a count's adjective ("5-14",
# "15-to-17-year-olds", "10-year-old"), which the reports also write apart ("Age: 5 to 14"); not a
# span of years or an instrument's number ("2018-2022", "Law 2017-021")
_SMALL_NUMBER_COMPOUND = re.compile(r"\d{1,2}(?:[-–/](?:\d{1,2}|[a-z]+))+")


def _parts(word: str) -> list[str]:
    """A compound counts as itself and as its parts ("anti-trafficking", "anti", "trafficking"); a
    code as its parts alone ("c182": "c", "182"), as the reports write it."""
    if ("-" in word or "/" in word) and (not word[0].isdigit() or _SMALL_NUMBER_COMPOUND.fullmatch(word)):
        return [word] + [p for p in re.split(r"[-/]", word) if p]
    if code := _CODE.fullmatch(word):
        return list(code.groups())
    return [word]


@lru_cache(maxsize=1)
def _american() -> dict[str, str]:
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return BRITISH_ENGLISH_SPELLINGS


@lru_cache(maxsize=200_000)  # pure, and every request normalises the same few thousand words again
def normalise(word: str) -> str | None:
    """One word's comparable form: number words as digits, figures without "$"/"%", American
    spelling, stemmed; None for a stopword."""
    if is_stopword(word):
        return None
    value = number_value(word)
    if value is not None:
        return str(value)
    return stem(_american().get(word, _figure(word)))


def american(word: str) -> str:
    """A lower-case word in American spelling ("labour" -> "labor")."""
    return _american().get(word, word)


def word_term(word: str) -> str:
    """One word's comparable form (``normalise``: "programmes" -> "program"), a function word's stem."""
    return normalise(word) or stem(word)


def terms(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """The comparable terms of a text (or of words already split from one), in order."""
    tokens = words(text) if isinstance(text, str) else text
    out = []
    for token in tokens:
        for part in _parts(token):
            term = normalise(part)
            if term:
                out.append(term)
    return out


def bm25_tokens(text: str) -> list[str]:
    """BM25 index terms; the same function runs at index time and query time. Citation markers are
    dropped: otherwise "4" in a question matches every passage citing source 4."""
    return terms(_MARKER.sub(" ", text))
