"""The whole golden set through the real assistant (packaged model, real index at the default settings).

Every answer must cite only numbers of its document's bibliography, and only numbers attached to a
passage the answer used; an abstention cites nothing. Plus the headline question and ``qa ask``
through Typer's runner. Build the index first: ``.venv/bin/qa index build``.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from qa.ingest.citations import parse_markers
from qa.config import PROJECT_ROOT, Settings
from qa.evaluation.evaluate import GoldenItem, load_golden
from qa.models import Answer

pytestmark = pytest.mark.slow

GOLDEN = PROJECT_ROOT / "eval" / "golden.jsonl"
HEADLINE = "How many labor inspectors did Mali have in 2019?"


def _settings() -> Settings:
    # the default settings, except that no LLM is asked even if the caller's environment names one
    return Settings(llm_base_url=None)


@pytest.fixture(scope="module")
def assistant():  # type: ignore[no-untyped-def]
    settings = _settings()
    if not (settings.index_path / "manifest.json").is_file():
        pytest.skip(f"no index at {settings.index_path}: run `.venv/bin/qa index build` first")
    from qa.assistant import Assistant

    return Assistant(settings).load()


@pytest.fixture(scope="module")
def answered(assistant) -> list[tuple[GoldenItem, Answer]]:  # type: ignore[no-untyped-def]
    """Every golden question asked once, with its history, as the evaluation harness asks it."""
    return [(item, assistant.ask(item.question, history=list(item.history))) for item in load_golden(GOLDEN)]


@pytest.fixture(scope="module")
def bibliography_sizes(assistant) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {d.id: d.references for d in assistant.documents()}


def _marker_numbers(answer: Answer) -> set[int]:
    return {n for _, _, numbers in parse_markers(answer.answer) for n in numbers}


def test_golden_set_was_answered(answered: list[tuple[GoldenItem, Answer]]) -> None:
    assert len(answered) >= 110
    # the checks below would pass vacuously if nothing were ever cited
    assert sum(1 for _, a in answered if any(c.ref is not None for c in a.citations)) >= 50


def test_no_citation_outside_its_documents_bibliography(answered: list[tuple[GoldenItem, Answer]],
                                                        bibliography_sizes: dict[str, int]) -> None:
    bad = []
    for item, answer in answered:
        for c in answer.citations:
            if c.doc not in bibliography_sizes:
                bad.append((item.id, c.doc, c.ref, "unknown document"))
            elif c.ref is not None and not 1 <= c.ref <= bibliography_sizes[c.doc]:
                bad.append((item.id, c.doc, c.ref, f"outside 1..{bibliography_sizes[c.doc]}"))
            elif c.ref is None and bibliography_sizes[c.doc] == 0 and not c.text:
                bad.append((item.id, c.doc, c.ref, "document cited without a label"))
    assert bad == []


def test_every_cited_number_is_attached_to_a_passage_the_answer_used(
        answered: list[tuple[GoldenItem, Answer]]) -> None:
    bad = []
    for item, answer in answered:
        for c in answer.citations:
            if c.ref is None:
                continue
            backed = {r for s in answer.sources if s.doc == c.doc for r in s.refs}
            if c.ref not in backed:
                bad.append((item.id, c.ref, sorted(backed), answer.answer[:120]))
    assert bad == []


def test_markers_in_the_text_are_exactly_the_cited_numbers(answered: list[tuple[GoldenItem, Answer]]) -> None:
    bad = []
    for item, answer in answered:
        numbers = {c.ref for c in answer.citations if c.ref is not None}
        if _marker_numbers(answer) != numbers:
            bad.append((item.id, sorted(_marker_numbers(answer)), sorted(numbers), answer.answer[:120]))
    assert bad == []


def test_abstained_answers_cite_nothing(answered: list[tuple[GoldenItem, Answer]]) -> None:
    abstained = [(item, a) for item, a in answered if a.abstained]
    assert abstained, "no golden question abstained: the unanswerable items should"
    assert [item.id for item, a in abstained if a.citations or _marker_numbers(a)] == []
    # a question about a country no report covers also says which countries are indexed
    assert [item.id for item, a in abstained if not a.answer.startswith("The indexed reports do not answer this.")] == []
    # ... and one naming a place or person no report mentions names it
    assert all(a.answer == "The indexed reports do not answer this." or "the indexed reports cover: Mali" in a.answer
               or re.fullmatch(r"The indexed reports do not answer this\. No indexed report mentions [^.]+\.", a.answer)
               for _, a in abstained)


def test_headline_question(answered: list[tuple[GoldenItem, Answer]],
                           assistant) -> None:  # type: ignore[no-untyped-def]
    answer = next((a for item, a in answered if item.question == HEADLINE and not item.history), None)
    if answer is None:
        answer = assistant.ask(HEADLINE)
    assert not answer.abstained
    assert "113" in answer.answer
    assert [c.ref for c in answer.citations] == [4]
    assert _marker_numbers(answer) == {4}
    assert answer.citations[0].doc == "usdol-2019-mali"


# --- qa ask -------------------------------------------------------------------------------------

@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from qa.cli import _register

    _register()
    monkeypatch.delenv("QA_LLM_BASE_URL", raising=False)
    return CliRunner()


def test_cli_ask_json(runner: CliRunner, assistant) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import app

    # --local: answered by this process's pipeline, never by a `qa serve` that happens to be running
    result = runner.invoke(app, ["ask", HEADLINE, "--json", "--local"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"answer", "citations", "sources", "abstained", "confidence"} <= set(data)
    assert data["abstained"] is False and "113" in data["answer"]
    assert [(c["doc"], c["ref"]) for c in data["citations"]] == [("usdol-2019-mali", 4)]
    assert data["citations"][0]["text"] == "U.S. Embassy- Bamako. Reporting. February 14, 2020."
    assert all(set(s) == {"doc", "anchor", "section", "text", "score", "refs"} for s in data["sources"])
    assert any(4 in s["refs"] for s in data["sources"])


def test_cli_ask_blank_question_is_one_error_line(runner: CliRunner) -> None:
    from qa.cli import app

    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "empty" in lines[0]


def test_it_after_a_which_question_is_the_body_its_answer_names(assistant) -> None:  # type: ignore[no-untyped-def]
    # "it" is what the earlier answer named (the brigade), not the row beside it in the best passage
    history = ["Which police brigade deals with crimes against children in Mali?"]
    standalone, _ = assistant.retrieve("How many staff did it have in 2019?", history)
    assert "(BPMC)" in standalone, standalone
    assert "25 staff" in assistant.ask("How many staff did it have in 2019?", history).answer


def test_it_after_a_which_question_behind_a_scope_phrase(assistant) -> None:  # type: ignore[no-untyped-def]
    # "In the 2019 report, which ...?" asks "which" as well: "it" is still the body the answer named
    history = ["In the 2019 report, which police brigade deals with crimes against children in Mali?"]
    standalone, _ = assistant.retrieve("How many staff did it have in 2019?", history)
    assert "(BPMC)" in standalone, standalone


def test_a_question_in_another_language_is_declined_asking_for_english(assistant) -> None:  # type: ignore[no-untyped-def]
    # in Spanish the question shares only a stem with the report ("inspectores") and used to be
    # answered with another row; in English it is answered
    spanish = assistant.ask("¿Cuántos inspectores de trabajo tenía Malí en 2019?")
    assert spanish.abstained and not spanish.citations and not spanish.sources
    assert "Spanish" in spanish.answer and "in English" in spanish.answer
    english = assistant.ask("How many labor inspectors did Mali have in 2019?")
    assert not english.abstained and "113" in english.answer


def test_a_place_no_report_mentions_is_declined_not_answered_from_every_report(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("How many labor inspectors did Zanzibar have in 2019?")
    assert answer.abstained and not answer.citations
    assert "No indexed report mentions Zanzibar" in answer.answer


def test_a_new_place_in_a_follow_up_does_not_get_the_earlier_countrys_figures(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("What about Zanzibar?", history=["How many labor inspectors did Mali have in 2019?"])
    assert answer.abstained and "No indexed report mentions Zanzibar" in answer.answer


def test_a_place_the_named_countrys_report_never_mentions_is_declined(assistant) -> None:  # type: ignore[no-untyped-def]
    # the country scopes it to Mali's report, whose passages on other regions must not answer it
    answer = assistant.ask("How many Malian children work in Kolokani?")
    assert answer.abstained and "No indexed report mentions Kolokani" in answer.answer
