"""``qa docs``, ``qa refs`` and ``qa chunks`` through Typer's runner (no index, no model)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.config import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
_register()


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # the project corpus, whatever the caller's environment says
    monkeypatch.setenv("QA_CORPUS_DIR", str(CORPUS))
    return CliRunner()


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_one_line_error(result, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert result.stdout == ""


# --- qa refs ---------------------------------------------------------------------------------------

def test_refs_json_lists_exactly_1_to_109(runner: CliRunner) -> None:
    result = run(runner, "refs", "usdol-2019-mali", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["ref"] for e in entries] == list(range(1, 110))
    assert all(set(e) == {"ref", "text", "url"} for e in entries)
    assert all(isinstance(e["text"], str) and e["text"] for e in entries)
    by_ref = {e["ref"]: e for e in entries}
    assert by_ref[68] == {"ref": 68, "text": "U.S. Embassy- Bamako. Reporting. January 30, 2019.", "url": None}
    assert by_ref[11]["text"].startswith("UCW.The Twin Challenges of Child Labour")
    assert by_ref[20]["text"].startswith("U.S. Department of State. Trafficking in Persons Report- 2019: Mali.")
    assert by_ref[24]["text"].startswith("ILO Committee of Experts. Individual Direct Request concerning Worst Forms")
    assert by_ref[34]["text"] == "U.S. Embassy- Bamako. Reporting. March 2, 2020."
    assert by_ref[109]["url"] == (
        "https://www.ilo.org/dyn/normlex/en/f?p=1000:13100:0::NO:13100:P13100_COMMENT_ID:3957128")


def test_refs_one_entry(runner: CliRunner) -> None:
    result = run(runner, "refs", "usdol-2019-mali", "68")
    assert result.exit_code == 0
    assert result.stdout == "[68] U.S. Embassy- Bamako. Reporting. January 30, 2019.\n"


def test_refs_one_entry_json(runner: CliRunner) -> None:
    result = run(runner, "refs", "usdol-2019-mali", "15", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ref": 15,
        "text": "Human Rights Watch. Submission for the Universal Periodic Review of Mali. June 30, 2017. "
                "https://www.hrw.org/print/305985.",
        "url": "https://www.hrw.org/print/305985",
    }


def test_refs_whole_bibliography_text(runner: CliRunner) -> None:
    result = run(runner, "refs", "usdol-2019-mali")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 109
    assert lines[0].startswith("[1] ILO Committee of Experts.")
    assert lines[-1].startswith("[109] ILO Committee of Experts.")


def test_refs_unknown_document(runner: CliRunner) -> None:
    assert_one_line_error(run(runner, "refs", "no-such-report"), "no-such-report")


@pytest.mark.parametrize("number", ["110", "0", "-3"])
def test_refs_unknown_number(runner: CliRunner, number: str) -> None:
    result = run(runner, "refs", "usdol-2019-mali", "--", number) if number.startswith("-") else \
        run(runner, "refs", "usdol-2019-mali", number)
    assert_one_line_error(result, f"no reference {number}")
    assert "1..109" in result.stderr


def test_refs_of_a_document_without_bibliography(runner: CliRunner) -> None:
    result = run(runner, "refs", "ilo-2021-aejt-kayes-sikasso", "1")
    assert_one_line_error(result, "no bibliography")
    result = run(runner, "refs", "ilo-2021-aejt-kayes-sikasso", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_refs_not_a_number(runner: CliRunner) -> None:
    result = run(runner, "refs", "usdol-2019-mali", "sixty-eight")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


# --- qa chunks -------------------------------------------------------------------------------------

def test_chunks_json_lines(runner: CliRunner) -> None:
    result = run(runner, "chunks", "usdol-2019-mali", "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 200
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    keys = {"id", "doc_id", "kind", "section", "heading_path", "text", "start", "end", "token_count", "refs",
            "sentences", "context", "embed_text"}
    assert all(keys <= set(r) for r in rows)
    (inspectors,) = [r for r in rows if r["id"] == "usdol-2019-mali#t6/r1"]
    assert inspectors["refs"] == [4, 68]
    assert inspectors["kind"] == "table-row" and inspectors["text"] == "Number of Labor Inspectors\t109 (68)\t113 (4)"
    assert [(s["label"], s["refs"]) for s in inspectors["sentences"]] == [("2018", [68]), ("2019", [4])]
    assert inspectors["context"].startswith("Table 6. Labor Law Enforcement Efforts Related to Child Labor")
    text = (CORPUS / "usdol-2019-mali.txt").read_text(encoding="utf-8")
    assert "113 (4)" in inspectors["text"] and "113 (4)" in text


def test_chunks_text(runner: CliRunner) -> None:
    result = run(runner, "chunks", "ilo-2021-aejt-kayes-sikasso")
    assert result.exit_code == 0
    assert result.stdout.startswith("ilo-2021-aejt-kayes-sikasso#intro/p0  (paragraph, ")
    assert "refs -)" in result.stdout


def test_chunks_unknown_document(runner: CliRunner) -> None:
    assert_one_line_error(run(runner, "chunks", "nope"), "nope")


# --- qa docs ---------------------------------------------------------------------------------------

def test_docs_lists_both_documents_with_counts(runner: CliRunner) -> None:
    result = run(runner, "docs")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "usdol-2019-mali  [country-report, Mali, 2019]" in out
    assert "ilo-2021-aejt-kayes-sikasso  [article, Mali, 2021]" in out
    assert "109 references, 11 tables" in out
    assert "0 references, 0 tables" in out
    assert "warning" not in out


def test_qa_documents_is_qa_docs(runner: CliRunner) -> None:
    """"qa documents" (the API's route name) was "No such command"."""
    result = run(runner, "documents")
    assert result.exit_code == 0 and "usdol-2019-mali" in result.stdout
    assert result.stdout == run(runner, "docs").stdout


def test_docs_json(runner: CliRunner) -> None:
    result = run(runner, "docs", "--json")
    assert result.exit_code == 0
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"usdol-2019-mali", "ilo-2021-aejt-kayes-sikasso"}
    mali = rows["usdol-2019-mali"]
    assert (mali["references"], mali["tables"], mali["kind"], mali["year"]) == (109, 11, "country-report", 2019)
    assert mali["chunks"] > 200 and mali["warnings"] == []
    ilo = rows["ilo-2021-aejt-kayes-sikasso"]
    assert (ilo["references"], ilo["kind"]) == (0, "article") and ilo["chunks"] >= 1
    assert ilo["published"] == "2021-05-31"


@pytest.fixture()
def corpus_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    monkeypatch.setenv("QA_CORPUS_DIR", str(folder))
    return folder


def test_adding_a_document_without_catalog_entry(corpus_copy: Path) -> None:
    (corpus_copy / "cotton-2022-note.txt").write_text(
        "Child labour in cotton: a field note\n\n"
        "In 2022, inspectors visited 40 cotton farms in Sikasso (CNLTE) and found children at work on most.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["docs", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"usdol-2019-mali", "ilo-2021-aejt-kayes-sikasso", "cotton-2022-note"}
    new = rows["cotton-2022-note"]
    assert new["kind"] == "article"
    assert new["title"] == "Child labour in cotton: a field note"
    assert new["year"] == 2022
    assert new["references"] == 0 and new["chunks"] >= 1
    text = CliRunner().invoke(app, ["docs"]).stdout
    assert "cotton-2022-note  [article, ?, 2022]" in text
    assert "    Child labour in cotton: a field note" in text


def test_added_document_with_a_bibliography_is_a_report(corpus_copy: Path) -> None:
    (corpus_copy / "new-report.md").write_text(
        "# Cotton Report 2021\n\nChildren pick cotton. (1) Some work in mines. (2)\n\n## References\n\n"
        "- 1 Ministry. Report. 2020.\n- 2 ILO. Study. 2019. https://example.org/study\n",
        encoding="utf-8",
    )
    rows = {r["id"]: r for r in json.loads(CliRunner().invoke(app, ["docs", "--json"]).stdout)}
    assert rows["new-report"]["kind"] == "country-report"
    assert rows["new-report"]["title"] == "Cotton Report 2021"
    assert rows["new-report"]["references"] == 2
    result = CliRunner().invoke(app, ["refs", "new-report", "2", "--json"])
    assert json.loads(result.stdout) == {"ref": 2, "text": "ILO. Study. 2019. https://example.org/study",
                                         "url": "https://example.org/study"}


def test_missing_corpus_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_CORPUS_DIR", str(tmp_path / "nowhere"))
    assert_one_line_error(CliRunner().invoke(app, ["docs"]), "does not exist")


def test_corrupt_pdf_is_listed_as_failed_and_the_rest_still_listed(corpus_copy: Path) -> None:
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.4\nnot a real pdf")
    result = CliRunner().invoke(app, ["docs"])
    assert result.exit_code == 0, result.output
    assert "usdol-2019-mali  [country-report, Mali, 2019]" in result.stdout
    assert "broken  FAILED  broken.pdf: cannot read PDF" in result.stdout
    rows = {r["id"]: r for r in json.loads(CliRunner().invoke(app, ["docs", "--json"]).stdout)}
    assert rows["usdol-2019-mali"]["status"] == "ok"
    assert rows["broken"]["status"] == "failed" and rows["broken"]["file"] == "broken.pdf"
    assert rows["broken"]["reason"].startswith("broken.pdf: cannot read PDF") and rows["broken"]["stale"] is False


def test_invalid_catalog_is_one_line(corpus_copy: Path) -> None:
    (corpus_copy / "catalog.toml").write_text("[broken\n", encoding="utf-8")
    assert_one_line_error(CliRunner().invoke(app, ["docs"]), "catalog.toml")


def test_docs_show_where_each_value_came_from(corpus_copy: Path) -> None:
    catalog = corpus_copy / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\n["derived-2019-ghana"]\nsynthetic = true\n',
                       encoding="utf-8")
    seed = (corpus_copy / "usdol-2019-mali.txt").read_text(encoding="utf-8")
    (corpus_copy / "derived-2019-ghana.txt").write_text(seed.replace("Malian", "Ghanaian").replace("Mali", "Ghana"),
                                                        encoding="utf-8")
    result = CliRunner().invoke(app, ["docs", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    ghana = rows["derived-2019-ghana"]
    assert (ghana["country"], ghana["year"], ghana["synthetic"], ghana["level"]) == (
        "Ghana", 2019, True, "Moderate Advancement")
    assert ghana["origin"]["country"] == "inferred" and ghana["origin"]["year"] == "inferred"
    assert rows["usdol-2019-mali"]["origin"]["country"] == "catalog"
    assert rows["usdol-2019-mali"]["synthetic"] is False
    text = CliRunner().invoke(app, ["docs"]).stdout
    assert "derived-2019-ghana  [country-report, Ghana, 2019]" in text and "(synthetic)" in text
    assert "country=inferred" in text


def test_synthetic_must_be_a_boolean(corpus_copy: Path) -> None:
    catalog = corpus_copy / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        'kind = "article"', 'kind = "article"\nsynthetic = "yes"'), encoding="utf-8")
    result = CliRunner().invoke(app, ["docs"])
    # that document fails with the reason; the others are still listed
    assert result.exit_code == 0
    assert "ilo-2021-aejt-kayes-sikasso  FAILED" in result.output and "synthetic must be true or false" in result.output
    assert "usdol-2019-mali  [" in result.output


def test_help_texts_read_as_paragraphs() -> None:
    from typer.testing import CliRunner

    from qa.cli import _register, app

    _register()
    for command in (["docs"], ["index", "build"], ["serve"]):
        result = CliRunner().invoke(app, [*command, "--help"], terminal_width=80)
        assert result.exit_code == 0
        # reST quotes and the docstring's own line breaks must not show through
        assert "``" not in result.output, result.output
        assert not any(line.rstrip().endswith((" when", " the", " index holds", " (memory-mapped"))
                       for line in result.output.splitlines() if len(line.rstrip()) < 60), result.output


def test_refs_help_names_the_optional_number_once(runner: CliRunner) -> None:
    # the usage line read "qa refs [OPTIONS] DOC [[N]]": the metavar carried brackets Typer adds too
    result = run(runner, "refs", "--help")
    assert result.exit_code == 0
    usage = next(line for line in result.stdout.splitlines() if "Usage:" in line)
    assert usage.rstrip().endswith(" [N]") and "[[N]]" not in result.stdout
