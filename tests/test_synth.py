"""The synthetic report generator (eval/synth): deterministic, consistent, and every generated
bibliography parses back exactly — entries at the right number, no stray digits."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from eval.synth import generate as gen
from eval.synth.biblio import ocr_forms
from qa.config import PROJECT_ROOT
from qa.ingest.citations import find_groups
from qa.ingest.parse import parse_text
from qa.models import Document, DocumentMeta

COMMITTED = PROJECT_ROOT / "eval" / "synth" / "corpus"
# the committed corpus is `python -m eval.synth --out eval/synth/corpus --countries 6 --seed 9`
COMMITTED_ARGS = {"countries": 6, "seed": 9}


def _parse(path: Path) -> Document:
    return parse_text(path.read_text(encoding="utf-8"), DocumentMeta(id=path.stem, path=str(path), sha256=""))


def _facts(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.facts.json"))]


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A held-out generation (another seed, more countries and editions) than the committed one."""
    out = tmp_path_factory.mktemp("synth")
    gen.generate(out, countries=10, seed=2024, editions=3, multi=2)
    return out


def test_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    gen.generate(tmp_path, **COMMITTED_ARGS)
    committed = sorted(p.name for p in COMMITTED.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), name


@pytest.mark.parametrize("folder", ["committed", "wide"])
def test_every_generated_bibliography_parses_back_exactly(folder: str, wide: Path) -> None:
    root = COMMITTED if folder == "committed" else wide
    for facts in _facts(root):
        doc = _parse(root / f"{facts['id']}.txt")
        got = {str(e.number): e.text for e in doc.bibliography.entries}
        assert got == facts["references"], facts["id"]
        assert doc.bibliography.warnings == (), facts["id"]


def test_damage_covers_every_kind_away_from_the_seeds_places(wide: Path) -> None:
    kinds = {d["kind"] for f in _facts(wide) for d in f["damage"]}
    assert {"missing", "ocr", "displaced", "wrapped", "page-header-after"} <= kinds
    printed = {d["printed"] for f in _facts(wide) for d in f["damage"] if d["kind"] == "ocr"}
    assert any(re.fullmatch(r"[\dIlO]*\d[\dIlO]*", p) and len(p) >= 2 for p in printed)  # "I7", "1O"


def test_citations_are_remapped_through_the_permutation() -> None:
    seed = _parse(gen.SEED)
    seed_groups = [g.refs for p in seed.paragraphs for g in find_groups(p.text, 109)]
    for facts in _facts(COMMITTED):
        doc = _parse(COMMITTED / f"{facts['id']}.txt")
        back = {new: int(old) for old, new in facts["permutation"].items()}
        groups = [frozenset(back[r] for r in g.refs) for p in doc.paragraphs for g in find_groups(p.text, 109)]
        assert groups == seed_groups, facts["id"]


def test_country_and_figures_are_substituted() -> None:
    for facts in _facts(COMMITTED):
        text = (COMMITTED / f"{facts['id']}.txt").read_text(encoding="utf-8")
        assert not re.search(r"\b(?:Mali|Malian|Bamako)\b", text)
        assert text.startswith(f"In {facts['year']}, {facts['country']['name']} made")
        figures = facts["figures"]
        assert f"Number of Labor Inspectors\t{figures['labor_inspectors_prior']} (" in text
        assert f"{figures['labor_inspectors']} ({facts['figure_refs']['labor_inspectors'][0]})" in text


def test_an_earlier_edition_repeats_the_later_editions_prior_year_column() -> None:
    by_country: dict[str, list[dict]] = {}
    for facts in _facts(COMMITTED):
        by_country.setdefault(facts["country"]["code"], []).append(facts)
    editions = [sorted(fs, key=lambda f: f["year"]) for fs in by_country.values() if len(fs) > 1]
    assert editions, "the committed corpus holds two editions of one country"
    earlier, later = editions[0]
    assert later["year"] == earlier["year"] + 1
    for key in ("labor_inspectors", "inspectorate_funding", "inspections"):
        assert earlier["figures"][key] == later["figures"][f"{key}_prior"]
    text = (COMMITTED / f"{earlier['id']}.txt").read_text(encoding="utf-8")
    assert f"Overview of Labor Law Enforcement\t{earlier['year'] - 1}\t{earlier['year']}" in text


def test_catalog_marks_synthetic_without_country_or_year() -> None:
    catalog = tomllib.loads((COMMITTED / "catalog.toml").read_text(encoding="utf-8"))
    assert set(catalog) == {f["id"] for f in _facts(COMMITTED)}
    assert all(entry == {"synthetic": True} for entry in catalog.values())


def test_generation_is_deterministic(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", countries=2, seed=5)
    gen.generate(tmp_path / "b", countries=2, seed=5)
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes()


def test_refuses_to_write_into_the_corpus() -> None:
    with pytest.raises(SystemExit):
        gen.generate(PROJECT_ROOT / "corpus", countries=1, seed=1)


def test_ocr_forms() -> None:
    assert set(ocr_forms(17)) == {"I7", "l7"}
    assert "1O" in ocr_forms(10) and "I03" in ocr_forms(103)
    assert ocr_forms(23) == []


def test_golden_multi_is_written_from_the_committed_facts() -> None:
    from eval.synth.golden import build, load_facts

    written = [json.loads(line) for line in (PROJECT_ROOT / "eval" / "golden-multi.jsonl").read_text().splitlines()]
    assert build(load_facts(COMMITTED), seed=9) == written
    kinds = {row["id"].rsplit("-", 1)[0] for row in written}
    assert {"scoped", "comparison", "edition-comparison", "follow-up-year", "follow-up-country", "no-country",
            "unindexed-country", "reference"} <= kinds
    asked = {(tuple(row.get("history", [])), row["question"]) for row in written}
    assert len(written) >= 150 and len(asked) == len(written)


def test_golden_multi_expected_refs_come_from_the_permutation() -> None:
    """A scoped figure's expected numbers are the seed's numbers sent through the report's permutation."""
    from eval.synth.figures import BY_KEY

    facts = {f["id"]: f for f in _facts(COMMITTED)}
    rows = [json.loads(line) for line in (PROJECT_ROOT / "eval" / "golden-multi.jsonl").read_text().splitlines()]
    for row in rows:
        if row["id"].startswith("reference-"):
            (n,) = row["citations"]
            entry = facts[row["doc"]]["references"][str(n)]
            assert all(part in entry for part in row["answer_contains"][1:])
    inspectors = [r for r in rows if r["id"].startswith("scoped-") and "labor inspectors" in r["question"]
                  and facts[r["doc"]]["figures"]["labor_inspectors"] in r["answer_contains"]]
    for row in inspectors:
        perm = facts[row["doc"]]["permutation"]
        assert row["citations"] == sorted(perm[str(old)] for old in BY_KEY["labor_inspectors"].refs)


@pytest.mark.parametrize("folder", ["committed", "wide"])
def test_every_generated_report_infers_its_country_and_edition(folder: str, wide: Path) -> None:
    """Without catalog entries (issue 9): country and reporting year come from the text itself."""
    from qa.text.countries import canonical

    root = COMMITTED if folder == "committed" else wide
    for facts in _facts(root):
        meta = _parse(root / f"{facts['id']}.txt").meta
        assert (meta.country, meta.year, meta.kind) == (
            canonical(facts["country"]["name"]), facts["year"], "country-report"), facts["id"]
