"""Country names, codes and demonyms from maintained libraries, and finding them in text.

Names (ISO short name, official name, common name) and codes come from ``pycountry`` (ISO 3166-1);
demonyms ("Malian", "Burkinabe", "Ivorian") and alternative spellings ("Ivory Coast", "Burma") from
``countryinfo``, joined on the ISO alpha-2 code; short names ("Burkina", "Trinidad") from the
first word a one-word demonym is built on. Nothing here names one country: every rule applies
to all of them.

Matching folds accents and apostrophes ("Burkinabè" = "Burkinabe", "Côte d’Ivoire" = "Cote d'Ivoire")
and is case-sensitive (so "chad" or "turkey" in a sentence are not countries) unless the text has no
capital letter at all (a question typed in lower case).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qa.text.analysis import unaccented


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, e.g. "ML"
    name: str  # the display name, e.g. "Mali", "Côte d'Ivoire", "Bolivia"
    names: tuple[str, ...]  # every name form a text may use
    demonyms: tuple[str, ...]  # adjective / people forms, e.g. ("Malian",)
    short_names: tuple[str, ...] = ()  # a short form in common use, e.g. ("Burkina",)
    capitals: tuple[str, ...] = ()  # e.g. ("Bamako",): "Bamako" stands for Mali's government


@dataclass(frozen=True)
class Mention:
    country: Country
    start: int
    end: int
    surface: str
    demonym: bool  # "Malian" rather than "Mali"


def fold(text: str) -> str:
    """Accents and typographic apostrophes removed; the length of ``text`` is kept (one char per char)."""
    if text.isascii():  # nothing to fold (most questions): skip the per-character walk
        return text
    # each character as the text layer reads it (qa.text.analysis.unaccented), unless that takes
    # more than one character (a ligature), so that positions in ``text`` stay positions here
    return "".join(kept if len(kept := unaccented(ch)) == 1 else ch for ch in text)


def _usable_name(name: str) -> bool:
    # alt spellings include ISO codes ("ML", "MLI") and native-script forms: codes are not matched in
    # free text (too many collide with words: "IN", "TO", "US"), and a name needs a Latin letter
    return len(name) >= 4 and not name.isupper() and bool(re.search(r"[A-Za-z]", name))


def _display_name(entry) -> str:  # type: ignore[no-untyped-def]
    # pycountry's name is the ISO short name ("Bolivia, Plurinational State of"); the common name,
    # when there is one, is what reports use
    name = getattr(entry, "common_name", None) or entry.name
    return _flipped(name) if ", " in name else name


def _flipped(name: str) -> str:
    """ "Congo, The Democratic Republic of the" -> "Democratic Republic of the Congo"."""
    head, tail = name.split(", ", 1)
    return f"{tail.removeprefix('The ').strip()} {head}"


def _spellings(demonyms: list[str]) -> tuple[str, ...]:
    """The library's demonyms plus the other common spelling of an "-ean"/"-ian" ending
    ("Ecuadorean" and "Ecuadorian"): an orthographic variant, not a list of countries."""
    out: list[str] = []
    # the data joins a two-part country's demonyms with a comma ("Antiguan,Barbudan")
    for d in (d.strip() for joined in demonyms if joined for d in joined.split(",") if d.strip()):
        for form in (d, re.sub(r"ean$", "ian", d), re.sub(r"ian$", "ean", d)):
            if form not in out:
                out.append(form)
    return tuple(out)


def _short_names(display: str, demonyms: tuple[str, ...]) -> tuple[str, ...]:
    """The first word of a multi-word name when the demonym is built on that word alone
    ("Burkinabe" on "Burkina" of "Burkina Faso", "Trinidadian" on "Trinidad", "Bosnian" on "Bosnia"):
    the word people use as the country's short name. A demonym that repeats the word whole ("South
    African", "Saudi Arabian") marks a qualifier, not a short name. An archipelago is called by its
    plural ("the Caymans"), never by the bare word ("Marshall" is a surname)."""
    head, *rest = display.split()
    if not rest or rest[-1] == "Islands" or not _usable_name(head):
        return ()
    built_on = any(d.split()[0] != head and fold(d.split()[0]).startswith(fold(head)) for d in demonyms)
    return (head,) if built_on else ()


@functools.cache
def all_countries() -> tuple[Country, ...]:
    """Every ISO 3166-1 country with its name forms and demonyms."""
    import pycountry
    from countryinfo import all_countries as info_countries

    extra: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for info in info_countries():
        try:
            code = info.iso(2)
        except Exception:  # an entry without ISO data: nothing to join it on
            continue
        if not code:
            continue
        names = [info.name()] + list(info.alt_spellings() or [])
        demonym = info.demonym()
        capital = _capital(info)
        extra[code.upper()] = (names, [demonym] if demonym else [], capital)
    out = []
    for entry in pycountry.countries:
        names = [entry.name, _display_name(entry), getattr(entry, "official_name", None)]
        more_names, demonyms, capitals = extra.get(entry.alpha_2, ([], [], []))
        forms = []
        for n in names + more_names:
            if n and _usable_name(n) and n not in forms:
                forms.append(n)
            # "Congo, The Democratic Republic of the" is also written "Democratic Republic of the Congo"
            if n and ", " in n:
                flipped = _flipped(n)
                if _usable_name(flipped) and flipped not in forms:
                    forms.append(flipped)
        demonym_forms = _spellings(demonyms)
        display = _display_name(entry)
        out.append(Country(entry.alpha_2, display, tuple(forms), demonym_forms, _short_names(display, demonym_forms),
                           tuple(capitals)))
    return tuple(out)


def _capital(info) -> list[str]:  # type: ignore[no-untyped-def]
    try:
        capital = info.capital()
    except Exception:  # an entry without the field
        return []
    found = capital if isinstance(capital, list) else [capital]
    return [c for c in found if isinstance(c, str) and _usable_name(c)]


@functools.cache
def _capital_index() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
    """capital (folded) -> country code, for capitals only one country has; the same keyed by the
    casefolded capital (a question typed in lower case); their pattern."""
    owners: dict[str, set[str]] = {}
    for c in all_countries():
        for capital in c.capitals:
            owners.setdefault(fold(capital), set()).add(c.code)
    table = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}
    if not table:
        return table, {}, None
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    casefolded = {k.casefold(): v for k, v in table.items()}
    return table, casefolded, re.compile(rf"(?<![\w-])({alternation})(?:['’]s)?(?![\w-])", re.I)


def capital_countries(text: str) -> list[Country]:
    """Countries whose capital ``text`` names ("What did Bamako spend ...?"), in order. Kept apart
    from :func:`find_mentions`: a capital in a report's text is a place ("children trafficked to
    Bamako"), and only a question naming no country is read as asking about the capital's country.
    Case-sensitive unless the text has no capital letter, as for names."""
    table, casefolded, pattern = _capital_index()
    if pattern is None:
        return []
    lower = not re.search(r"[A-Z]", text)
    by_code = _index()[1]
    out: list[Country] = []
    for m in pattern.finditer(fold(text)):
        code = casefolded.get(m.group(1).casefold()) if lower else table.get(m.group(1))
        if code is not None and by_code[code] not in out:
            out.append(by_code[code])
    return out


_CONNECTORS = frozenset("of the and da de del des du la le les".split())


@functools.cache
def _initialism_index() -> dict[str, str]:
    """Initialism -> country code: the initials of the words of an ISO name form (pycountry's name,
    official and common names), connecting words left out ("United States of America" -> USA,
    "United Kingdom" -> UK, "Democratic Republic of the Congo" -> DRC), for initialisms only one
    country has. ISO codes themselves are not read: "PAN" and "SEN" are also the acronyms of plans
    and committees in the reports."""
    import pycountry

    owners: dict[str, set[str]] = {}
    for entry in pycountry.countries:
        display = _display_name(entry)
        forms = {display, entry.name, getattr(entry, "official_name", None)}
        for name in [f for f in forms if f]:
            name = _flipped(name) if ", " in name else name
            parts = [w for w in re.findall(r"[A-Za-z][\w'’-]*", fold(name)) if w.casefold() not in _CONNECTORS]
            # two letters only from the name in common use ("UK", "US"): an official name's two
            # words are a title ("Republic of Estonia" -> "RE"), not what people write
            if len(parts) > 2 or (len(parts) == 2 and name == display):
                owners.setdefault("".join(w[0].upper() for w in parts), set()).add(entry.alpha_2)
    return {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}


def initialism_countries(text: str) -> list[Country]:
    """Countries a question names as "the" and their initialism ("How many inspectors does the USA
    have?", "the UK", "the DRC"), in order: in capitals, in a text not all in capitals, and not
    before a capitalised word ("the US Department of Labor" names a department)."""
    if not re.search(r"[a-z]", text):
        return []
    table, by_code = _initialism_index(), _index()[1]
    out: list[Country] = []
    for m in re.finditer(r"\b[Tt]he\s+([A-Z]{2,5})(?:['’]s)?(?![\w.’'-])(?!\s+[A-Z][a-z])", fold(text)):
        code = table.get(m.group(1))
        if code is not None and by_code[code] not in out:
            out.append(by_code[code])
    return out


_SEPARATORS = re.compile(r"[\s\-‐‑–]+")
_OF_THE = re.compile(r"\b(of) the\b", re.I)


def _key(surface: str) -> str:
    """A folded name as names are compared: words apart by any run of spaces or hyphens are one
    space apart, and "of the" is "of". People write "Guinea Bissau", "Timor Leste", "Democratic
    Republic of Congo"; read exactly, the first two would name Guinea and nothing, the third the
    Republic of the Congo: another country, whose report would answer."""
    return _OF_THE.sub(r"\1", _SEPARATORS.sub(" ", surface.strip()))


def _loose(key: str) -> str:
    """The pattern of a :func:`_key`: any separator run between its words, an optional "the" after "of"."""
    words = [re.escape(w) for w in key.split(" ")]
    out = words[0]
    for before, word in zip(key.split(" "), words[1:]):
        out += r"[\s\-‐‑–]+" + (r"(?:the[\s\-‐‑–]+)?" if before.casefold() == "of" else "") + word
    return out


@functools.cache
def _index() -> tuple[dict[str, tuple[str, bool]], dict[str, Country], re.Pattern[str], re.Pattern[str]]:
    """surface key (folded, :func:`_key`) -> (code, is_demonym); code -> Country; case-sensitive and
    -insensitive patterns."""
    surfaces: dict[str, tuple[str, bool]] = {}
    by_code = {c.code: c for c in all_countries()}
    for c in all_countries():
        for n in c.names:
            surfaces.setdefault(_key(fold(n)), (c.code, False))
    for c in all_countries():
        for d in c.demonyms:
            # a demonym two countries share ("Congolese") is left to the name forms
            key = _key(fold(d))
            if key in surfaces and surfaces[key][0] != c.code:
                surfaces.pop(key)
                continue
            surfaces.setdefault(key, (c.code, True))
    # short names last, and only a word no other country's name or demonym contains
    for c in all_countries():
        for short in c.short_names:
            key = _key(fold(short))
            owners = {o.code for o in all_countries() for n in (*o.names, *o.demonyms) if key in _key(fold(n)).split()}
            if key not in surfaces and owners == {c.code}:
                surfaces[key] = (c.code, False)
    alternation = "|".join(_loose(s) for s in sorted(surfaces, key=len, reverse=True))
    # demonyms also occur in the plural ("Malians") and names in the possessive ("Mali's")
    body = rf"(?<![\w-])(?:the\s+)?({alternation})(?:s)?(?![\w-])"
    return surfaces, by_code, re.compile(body), re.compile(body, re.I)


def find_mentions(text: str) -> list[Mention]:
    """Every country named in ``text`` (names, official forms, demonyms), in order."""
    surfaces, by_code, sensitive, insensitive = _index()
    folded = _capitals_read(fold(text))
    pattern = insensitive if not re.search(r"[A-Z]", folded) else sensitive
    lookup = _casefolded_index() if pattern is insensitive else surfaces
    out = []
    for m in pattern.finditer(folded):
        key = _key(m.group(1)) if pattern is sensitive else _key(m.group(1)).casefold()
        found = lookup.get(key)
        if found is None:
            continue
        code, is_demonym = found
        if m.group(0).endswith("s") and not m.group(1).endswith("s") and not is_demonym:
            continue  # "Malis" is no word; only demonyms take a plural s
        out.append(Mention(by_code[code], m.start(1), m.end(), text[m.start(1):m.end()], is_demonym))
    return out


_CAPITALS_WORD = re.compile(r"\b[A-Z]{4,}\b")  # no country name is shorter; codes and initialisms are


def _capitals_read(text: str) -> str:
    """``text`` as names are matched in it: typed in capitals ("HOW MANY ... DID MALI HAVE?"), as if
    typed in lower case; a word in capitals in a mixed-case text ("did MALI have") capitalised as a
    name is. Only ASCII letters change, so positions stay."""
    if not re.search(r"[a-z]", text):
        return re.sub(r"[A-Z]+", lambda m: m.group(0).lower(), text)
    return _CAPITALS_WORD.sub(lambda m: m.group(0).capitalize(), text)


def without_mentions(text: str) -> str:
    """``text`` with every country name and demonym it names (``find_mentions``) replaced by a
    space: what a question asks, read apart from the scope its countries set."""
    for m in reversed(find_mentions(text)):
        text = text[:m.start] + " " + text[m.end:]
    return text


@functools.cache
def _casefolded_index() -> dict[str, tuple[str, bool]]:
    """The surface table keyed by casefolded surface, built once (it was rebuilt per lower-case text)."""
    return {k.casefold(): v for k, v in _index()[0].items()}


def countries_in(text: str) -> set[str]:
    """Display names of the countries ``text`` names."""
    return {m.country.name for m in find_mentions(text)}


def lookup(value: str) -> Country | None:
    """The country a name, official name, demonym or ISO code (alpha-2 or alpha-3) stands for."""
    value = value.strip()
    if not value:
        return None
    surfaces, by_code, _, _ = _index()
    key = _key(fold(value))
    found = surfaces.get(key) or next((v for k, v in surfaces.items() if k.casefold() == key.casefold()), None)
    if found is not None:
        return by_code[found[0]]
    if (article := re.match(r"the\s+", value, re.I)) is not None:
        # a filter typed as the name is said: "the Philippines", "the United States", "the Niger"
        return lookup(value[article.end():])
    if value.isalpha() and len(value) in (2, 3):
        import pycountry

        entry = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else \
            pycountry.countries.get(alpha_3=value.upper())
        if entry is not None:
            return by_code.get(entry.alpha_2)
    if value.isalpha() and value.isupper() and (code := _initialism_index().get(value)) is not None:
        return by_code.get(code)  # "UK", "DRC": what a question reads after "the"
    found = _apostrophe_spaced_index().get(_apostrophe_spaced(key))  # "Cote d Ivoire"
    return by_code[found[0]] if found is not None else None


def _apostrophe_spaced(key: str) -> str:
    return re.sub(r"\s*['’]\s*|\s+", " ", key).casefold()


@functools.cache
def _apostrophe_spaced_index() -> dict[str, tuple[str, bool]]:
    """The surface table keyed with apostrophes as spaces, casefolded: a filter typed "Cote d Ivoire"."""
    return {_apostrophe_spaced(k): v for k, v in _index()[0].items()}


def canonical(value: str) -> str:
    """The display name for a country value (a catalog's "Ivory Coast" -> "Côte d'Ivoire"); the
    value itself when no country matches."""
    country = lookup(value)
    return country.name if country else value.strip()


def is_country_name(text: str) -> bool:
    """True when ``text`` as a whole names a country (or is its demonym)."""
    return lookup(text) is not None


@functools.lru_cache(maxsize=1)
def _names_folded() -> dict[str, Country]:
    return {fold(name).lower(): c for c in all_countries() for name in (*c.names, *c.short_names)}


def close_country(word: str, cutoff: float = 0.8) -> Country | None:
    """The country whose name ``word`` most likely misspells ("Senagal" -> Senegal, "Keyna" ->
    Kenya), by difflib's similarity ratio over every name form; None when none comes within
    ``cutoff`` or ``word`` is a name itself."""
    import difflib

    if is_country_name(word):
        return None
    names = _names_folded()
    match = difflib.get_close_matches(fold(word).lower(), names, n=1, cutoff=cutoff)
    return names[match[0]] if match else None
