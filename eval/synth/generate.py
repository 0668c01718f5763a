"""Generate synthetic country reports from the seed report (seeded, deterministic).

    python -m eval.synth --out DIR --countries N --seed S [--editions K] [--multi M]

The first ``M`` countries (default 1) get ``K`` editions (default 2: the seed's year and the year
before); the others one. Writes ``<id>.txt``, ``<id>.facts.json`` and ``catalog.toml`` into DIR,
which must not be the project's ``corpus/``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import asdict
from pathlib import Path

from eval.synth import biblio
from eval.synth.countries import Country, candidates, country
from eval.synth.figures import BY_KEY, FIGURES, SUBSTITUTIONS, draw_figures

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "usdol-2019-mali.txt"
SEED_COUNTRY, SEED_DEMONYM, SEED_CAPITAL, SEED_ALPHA3 = "Mali", "Malian", "Bamako", "MLI"
SEED_YEAR = 2019
_REFERENCES = re.compile(r"^REFERENCES\s*$", re.M)
_GROUP = re.compile(r"\(\s*(\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*,\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)\s*\)")
_ITEM = re.compile(r"(\d+)(?:\s*[-–—]\s*(\d+))?")
_YEAR = re.compile(r"(?<![\d-])(20(?:1[89]|20))(?![\d]|-\d)")


# -- the seed --------------------------------------------------------------------------------
def seed_references(raw: str) -> list[str]:
    """The seed's clean bibliography entries (its parse is checked entry by entry in the tests)."""
    from qa.ingest.parse import parse_text
    from qa.models import DocumentMeta

    doc = parse_text(raw, DocumentMeta(id="seed", path=str(SEED), sha256=""))
    return [e.text for e in doc.bibliography.entries]


def seed_damaged_numbers(raw: str) -> set[int]:
    """Numbers whose printed form the seed lost or misprinted, so generated damage goes elsewhere."""
    from qa.ingest.parse import parse_text
    from qa.models import DocumentMeta

    doc = parse_text(raw, DocumentMeta(id="seed", path=str(SEED), sha256=""))
    block = raw[_REFERENCES.search(raw).end():]
    printed_clean = {int(m.group(1)) for m in re.finditer(r"^- (\d{1,3}) ", block, re.M)}
    return {e.number for e in doc.bibliography.entries if e.number not in printed_clean}


# -- transformations -------------------------------------------------------------------------
def substitute_country(text: str, c: Country) -> str:
    text = re.sub(rf"(?<![A-Za-z]){SEED_DEMONYM}(?![a-z])", c.demonym, text)
    text = re.sub(rf"(?<![A-Za-z]){SEED_COUNTRY}(?![a-z])", c.name, text)
    text = re.sub(rf"(?<![A-Za-z]){SEED_COUNTRY.upper()}(?![A-Za-z])", c.name.upper(), text)
    text = re.sub(rf"(?<![a-z]){SEED_COUNTRY.lower()}(?![a-z])", c.slug, text)  # URL slugs: /mali/
    text = re.sub(rf"\b{SEED_ALPHA3}\b", c.alpha3, text)
    return text.replace(SEED_CAPITAL, c.capital)


def substitute_figures(text: str, values: dict[str, str]) -> str:
    for literal, template, count in SUBSTITUTIONS:
        found = text.count(literal)
        if found != count:
            raise RuntimeError(f"seed literal {literal!r} occurs {found} times, expected {count}")
        text = text.replace(literal, template.format(**values))
    return text


def shift_years(text: str, by: int) -> str:
    """An earlier edition: the reporting window (2018-2020 in the seed) moves back ``by`` years."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) - by), text) if by else text


def compress(numbers: list[int]) -> str:
    """[4, 13, 14, 15, 16] -> "4,13-16" (runs of three or more become ranges, as the reports print)."""
    out, run = [], [numbers[0]]
    for n in numbers[1:]:
        if n == run[-1] + 1:
            run.append(n)
            continue
        out.append(run)
        run = [n]
    out.append(run)
    parts = []
    for r in out:
        parts += [f"{r[0]}-{r[-1]}"] if len(r) >= 3 else [str(n) for n in r]
    return ",".join(parts)


def remap_citations(text: str, perm: dict[int, int]) -> str:
    """Rewrite every citation group "(4,13-16)" through the permutation old -> new number."""
    size = len(perm)

    def repl(m: re.Match[str]) -> str:
        refs: set[int] = set()
        for item in _ITEM.finditer(m.group(1)):
            low, high = int(item.group(1)), int(item.group(2) or item.group(1))
            if not (1 <= low <= high <= size):
                return m.group(0)  # a year range "(2011–2020)" or an id, not a citation
            refs.update(range(low, high + 1))
        return "(" + compress(sorted(perm[r] for r in refs)) + ")"

    return _GROUP.sub(repl, text)


# -- one report ------------------------------------------------------------------------------
def make_report(raw: str, references: list[str], avoid: set[int], c: Country, year: int,
                figures: dict[str, str], rng: random.Random, doc_id: str) -> tuple[str, dict]:
    body = raw[: _REFERENCES.search(raw).start()]
    body = substitute_figures(body, figures)
    body = shift_years(substitute_country(body, c), SEED_YEAR - year)
    order = list(range(1, len(references) + 1))
    rng.shuffle(order)
    perm = {old: new for new, old in enumerate(order, start=1)}  # old number -> new number
    body = remap_citations(body, perm)
    entries = [substitute_country(references[old - 1], c) for old in order]
    header = (c.name, "MODERATE ADVANCEMENT")
    printed, damage = biblio.render(entries, rng, header, avoid)
    text = body.rstrip("\n") + "\n\nREFERENCES\n\n" + printed
    facts = {
        "id": doc_id, "synthetic": True, "seed": SEED.stem, "country": asdict(c), "year": year,
        "figures": figures,
        "figure_refs": {f.key: sorted(perm[r] for r in f.refs) for f in FIGURES},
        "figure_prior_refs": {f.key: sorted(perm[r] for r in f.prior_refs) for f in FIGURES if f.paired},
        "permutation": {str(old): new for old, new in sorted(perm.items())},
        "references": {str(n): t for n, t in enumerate(entries, start=1)},
        "damage": damage,
    }
    return text, facts


def plan(countries: int, editions: int, multi: int, rng: random.Random) -> list[tuple[Country, list[int]]]:
    codes = candidates()
    if countries > len(codes):
        raise SystemExit(f"at most {len(codes)} countries are available")
    chosen = rng.sample(codes, countries)
    return [(country(code), [SEED_YEAR - k for k in range(editions if i < multi else 1)])
            for i, code in enumerate(chosen)]


def generate(out: Path, countries: int, seed: int, editions: int = 2, multi: int = 1) -> list[dict]:
    if out.resolve() == (ROOT / "corpus").resolve():
        raise SystemExit("refusing to write into corpus/: generated reports are test data")
    raw = SEED.read_text(encoding="utf-8")
    references, avoid = seed_references(raw), seed_damaged_numbers(raw)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    used: dict[str, set[str]] = {}
    all_facts, number = [], 0
    for c, years in plan(countries, editions, multi, rng):
        country_values: dict[str, str] = {}
        later = None
        for year in years:  # latest edition first: an earlier one repeats its prior-year column
            number += 1
            doc_id = f"synth-{number:03d}"
            figures = draw_figures(rng, used, country_values, later)
            text, facts = make_report(raw, references, avoid, c, year, figures, rng, doc_id)
            (out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            (out / f"{doc_id}.facts.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
            all_facts.append(facts)
            later = figures
    catalog = ["# Generated by eval/synth: synthetic reports. No country or year on purpose: both are inferred.", ""]
    for facts in all_facts:
        catalog += [f'["{facts["id"]}"]', "synthetic = true", ""]
    (out / "catalog.toml").write_text("\n".join(catalog), encoding="utf-8")
    return all_facts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--countries", type=int, default=6)
    p.add_argument("--seed", type=int, default=9)
    p.add_argument("--editions", type=int, default=2, help="editions of each multi-edition country")
    p.add_argument("--multi", type=int, default=1, help="how many countries get several editions")
    args = p.parse_args(argv)
    facts = generate(args.out, args.countries, args.seed, args.editions, args.multi)
    print(f"wrote {len(facts)} reports to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
