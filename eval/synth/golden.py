"""Write the multi-report golden set from the facts files of a generated corpus.

    python -m eval.synth.golden --corpus eval/synth/corpus --out eval/golden-multi.jsonl [--seed 9]

Expected answers and reference numbers come from the facts (figures and the recorded bibliography
permutation), never from running the system. Kinds: scoped (one country, maybe one edition),
comparison (two countries, or two editions), follow-up (year or country switch), no-country,
unindexed-country (must abstain) and reference look-up.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from eval.synth import questions as Q
from eval.synth.countries import UNINDEXED_POOL, country_name
from eval.synth.figures import BY_KEY

_DATE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                   r"December) \d{1,2}, \d{4}")


def load_facts(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.facts.json"))]


def _fill(template: str, f: dict, year: int | None = None, **extra: object) -> str:
    c = f["country"]
    return template.format(C=c["name"], D=c["demonym"], Y=year or f["year"], P=(year or f["year"]) - 1, **extra)


def _expected(f: dict, key: str, prior: bool = False) -> tuple[str, list[int]]:
    value = f["figures"][f"{key}_prior" if prior else key] + Q.UNITS.get(key, "")
    refs = f["figure_prior_refs"][key] if prior else f["figure_refs"][key]
    return value, refs


def _item(kind: str, question: str, facts: list[str], refs: list[int], doc: str | None,
          answerable: bool = True, **extra: object) -> dict:
    return {"kind": kind, "question": question, "answer_contains": facts, "citations": refs, "doc": doc,
            "answerable": answerable, **extra}


class Builder:
    def __init__(self, reports: list[dict], rng: random.Random) -> None:
        self.reports, self.rng = reports, rng
        self.by_country: dict[str, list[dict]] = {}
        for f in reports:
            self.by_country.setdefault(f["country"]["code"], []).append(f)
        self.latest = {code: max(fs, key=lambda f: f["year"]) for code, fs in self.by_country.items()}

    def edition(self, f: dict, year: int) -> dict | None:
        return next((g for g in self.by_country[f["country"]["code"]] if g["year"] == year), None)

    def multi(self, f: dict) -> bool:
        return len(self.by_country[f["country"]["code"]]) > 1

    def wording(self, f: dict, key: str) -> str:
        options = Q.SCOPED[key]
        if self.multi(f):  # several editions: the question must name its year
            options = tuple(o for o in options if "{Y}" in o) or tuple(o[:-1] + " in {Y}?" for o in options)
        return _fill(self.rng.choice(options), f)

    def scoped(self, per_report: int) -> Iterator[dict]:
        for f in self.reports:
            keys = [k for k in Q.SCOPED if not (self.multi(f) and BY_KEY[k].per_country)]
            for key in self.rng.sample(keys, per_report):
                value, refs = _expected(f, key)
                yield _item("scoped", self.wording(f, key), [value], refs, f["id"])
            if not self.multi(f):  # the prior-year column of a single edition
                key = self.rng.choice([k for k in Q.SCOPED if BY_KEY[k].paired and BY_KEY[k].prior_printed])
                value, refs = _expected(f, key, prior=True)
                question = _fill(self.rng.choice([o for o in Q.SCOPED[key] if "{Y}" in o]), f, f["year"] - 1)
                yield _item("scoped-prior-year", question, [value], refs, f["id"])

    def comparisons(self, n: int) -> Iterator[dict]:
        latest = sorted(self.latest.values(), key=lambda f: f["id"])
        for _ in range(n):
            a, b = self.rng.sample(latest, 2)
            key = self.rng.choice(list(Q.COMPARE))
            text = self.rng.choice(Q.COMPARE[key]).format(
                C1=a["country"]["name"], C2=b["country"]["name"], Y=a["year"])
            (va, ra), (vb, rb) = _expected(a, key), _expected(b, key)
            yield _item("comparison", text, [va, vb], [], None, scope=[a["id"], b["id"]],
                        doc_citations={a["id"]: ra, b["id"]: rb})
        for f in latest:
            earlier = self.edition(f, f["year"] - 1)
            if earlier is None:
                continue
            for key, options in Q.EDITIONS.items():
                (vp, rp), (vc, rc) = _expected(earlier, key), _expected(f, key)
                yield _item("edition-comparison", _fill(self.rng.choice(options), f), [vp, vc], [], None,
                            scope=[earlier["id"], f["id"]], doc_citations={earlier["id"]: rp, f["id"]: rc})

    def follow_ups(self, n: int) -> Iterator[dict]:
        latest = sorted(self.latest.values(), key=lambda f: f["id"])
        paired = [k for k in Q.SCOPED if BY_KEY[k].paired and BY_KEY[k].prior_printed]
        for i in range(n):
            f = latest[i % len(latest)]
            key = self.rng.choice(paired)
            first = self.wording(f, key)
            if i % 2 == 0:  # "And in 2018?" keeps the country, moves the year
                earlier = self.edition(f, f["year"] - 1)
                value, refs = _expected(earlier, key) if earlier else _expected(f, key, prior=True)
                text = _fill(self.rng.choice(Q.FOLLOW_UP_YEAR), f)
                yield _item("follow-up-year", text, [value], refs, (earlier or f)["id"], history=[first])
            else:  # "What about Kenya?" keeps the year, switches the country
                other = self.rng.choice([g for g in latest if g is not f])
                value, refs = _expected(other, key)
                text = self.rng.choice(Q.FOLLOW_UP_COUNTRY).format(C=other["country"]["name"])
                yield _item("follow-up-country", text, [value], refs, other["id"], history=[first])

    def no_country(self) -> Iterator[dict]:
        for question, facts in Q.NO_COUNTRY:
            yield _item("no-country", question, list(facts), [], None)

    def unindexed(self, n: int) -> Iterator[dict]:
        indexed = {f["country"]["code"] for f in self.reports}
        pool = [c for c in UNINDEXED_POOL if c not in indexed]
        year = max(f["year"] for f in self.reports)
        for i in range(n):
            name = country_name(pool[i % len(pool)])
            text = Q.UNINDEXED[i % len(Q.UNINDEXED)].format(C=name, Y=year)
            yield _item("unindexed-country", text, [], [], None, answerable=False)

    def references(self, per_report: int) -> Iterator[dict]:
        for f in self.reports:
            for number in self.rng.sample(range(1, len(f["references"]) + 1), per_report):
                entry = f["references"][str(number)]
                # the entry's opening words as printed (author or publisher), and its date if any
                facts = [" ".join(entry.split()[:4]).rstrip(".,:;")]
                if date := _DATE.search(entry):
                    facts.append(date.group(0))
                options = [o for o in Q.REFERENCE if "{Y}" in o] if self.multi(f) else list(Q.REFERENCE)
                text = _fill(self.rng.choice(options), f, N=number)
                yield _item("reference", text, facts, [number], f["id"])


def build(reports: list[dict], seed: int) -> list[dict]:
    b = Builder(reports, random.Random(seed))
    items = [*b.scoped(12), *b.comparisons(12), *b.follow_ups(14), *b.no_country(), *b.unindexed(14),
             *b.references(2)]
    counters: dict[str, int] = {}
    out, seen = [], set()
    for item in items:
        asked = (tuple(item.get("history", [])), item["question"])
        if asked in seen:  # two draws landed on the same wording, pair and figure
            continue
        seen.add(asked)
        kind = item.pop("kind")
        counters[kind] = counters.get(kind, 0) + 1
        out.append({"id": f"{kind}-{counters[kind]:03d}", **item})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=9)
    args = p.parse_args(argv)
    reports = load_facts(args.corpus)
    if not reports:
        raise SystemExit(f"no facts files in {args.corpus}")
    items = build(reports, args.seed)
    args.out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    print(f"wrote {len(items)} questions to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
