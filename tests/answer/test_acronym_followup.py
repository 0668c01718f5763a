"""A follow-up naming only an acronym that only another country's reports write ("And CNLTE?" in a
conversation about Niger, CNLTE being Mali's unit) is answered from the reports that write it, saying
so; it inherited the conversation's country and answered with Niger's inspectorate funding."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer.acronym_scope import AcronymNames, left_note, unwritten_reason
from qa.answer.scope import DocInfo, decide_scope
from qa.config import PROJECT_ROOT, Settings

DOCS = [DocInfo("mali-2019", "Mali", 2019, "country-report", frozenset({"CNLTE", "PAN"})),
        DocInfo("mali-2020", "Mali", 2020, "country-report", frozenset({"CNLTE"})),
        DocInfo("niger-2019", "Niger", 2019, "country-report", frozenset({"PAN", "MELSS"})),
        DocInfo("senegal-2019", "Senegal", 2019, "country-report", frozenset({"MELSS"}))]
NIGER = ["How many labor inspectors did Niger have in 2019?"]


TABLE = {"CNLTE": ["National Unit to Fight Against Child Labor"], "PAN": ["National Plan of Action"],
         "PANETEM": ["National Plan to Combat Child Labor"], "GATIA": ["Imghad Tuareg and Allies Self-Defense Group"],
         "MOJ": ["Ministry of Justice"]}


def test_the_documents_naming_a_question_s_acronyms() -> None:
    names = AcronymNames(TABLE, {
        "a": "The CNLTE's budget fell; the CNLTE-led plan and PANETEM ran. (PAN)",
        "b": "the cnlte met", "c": "The Ministry of Justice prosecuted two cases.", "d": "The GATIAS."})
    assert names.in_question("And CNLTE?") == {"a": {"CNLTE"}}
    assert names.in_question("Did the PANETEM and the PAN work? And GATIA?") == {"a": {"PAN", "PANETEM"}}
    # a report naming the body in full names it too (only one report wrote "MOJ", all name the ministry)
    assert names.in_question("What did the MOJ do?") == {"c": {"MOJ"}}
    assert names.in_question("what did the moj do? cnlte?") == {}


@pytest.mark.parametrize("question", ["And CNLTE?", "Who chairs the CNLTE?", "What about the CNLTE budget?"])
def test_a_follow_up_goes_to_the_reports_writing_its_acronym(question: str) -> None:
    scope = decide_scope(question, NIGER, DOCS)
    assert scope.countries == {"Mali"} and not scope.inherited
    assert scope.left == (("Niger",), ("CNLTE",))
    assert left_note(scope, DOCS) == "The Niger report does not mention CNLTE; the Mali reports do."


@pytest.mark.parametrize(("question", "history", "country"), [
    ("And the PAN?", NIGER, "Niger"),  # Niger's report writes it too: the conversation's country stays
    ("And MELSS?", NIGER, "Niger"),
    ("And in 2018?", NIGER, "Niger"),  # no acronym
    ("Does Niger have a CNLTE?", [], "Niger"),  # a country named by the question itself is kept
    ("And GATIA?", NIGER, "Niger"),  # an acronym no report writes changes nothing
])
def test_the_conversation_keeps_its_country_otherwise(question: str, history: list[str], country: str) -> None:
    scope = decide_scope(question, history, DOCS)
    assert scope.countries == {country} and scope.left is None and left_note(scope, DOCS) == ""


def test_several_countries_writing_it_are_each_answered() -> None:
    scope = decide_scope("And MELSS?", ["How many labor inspectors did Mali have?"], DOCS)
    assert scope.countries == {"Niger", "Senegal"} and len(scope.parts(False)) == 2
    assert left_note(scope, DOCS) == "The Mali reports do not mention MELSS; the Niger and Senegal reports do."


def test_filters_are_not_overridden() -> None:
    assert decide_scope("And CNLTE?", NIGER, DOCS, country="Niger").countries == {"Niger"}
    assert decide_scope("And CNLTE?", NIGER, DOCS, doc="niger-2019").left is None


def test_a_conversation_country_without_report() -> None:
    scope = decide_scope("And CNLTE?", ["How many labor inspectors did Ghana have?"], DOCS)
    assert scope.countries == {"Mali"} and not scope.impossible
    assert left_note(scope, DOCS) == "No indexed report covers Ghana; the Mali reports mention CNLTE."


def _assistant(corpus: Path | None, index: Path | None):  # type: ignore[no-untyped-def]
    settings = Settings(llm_base_url=None) if index is None else Settings(
        llm_base_url=None, corpus_dir=corpus, index_dir=index)
    if not (settings.index_path / "manifest.json").is_file():
        pytest.skip(f"no index at {settings.index_path}")
    from qa.assistant import Assistant

    return Assistant(settings).load()


@pytest.mark.slow
def test_on_the_seed_index() -> None:
    # the seed index covers Mali only: Niger has no report, and CNLTE is Mali's
    answer = _assistant(None, None).ask("And CNLTE?", history=NIGER)
    assert not answer.abstained
    assert answer.answer.startswith("No indexed report covers Niger; the Mali report mentions CNLTE.\n")
    assert {c.doc for c in answer.citations} == {"usdol-2019-mali"}
    article = _assistant(None, None).ask("Who chairs the CNLTE?", doc="ilo-2021-aejt-kayes-sikasso")
    assert article.abstained and article.answer.endswith(
        "The Mali 2021 document does not mention CNLTE; the Mali 2019 report does.")


@pytest.mark.slow
def test_on_the_real_pdf_index() -> None:
    real = PROJECT_ROOT / ".build" / "real-pdf"
    assistant = _assistant(real / "corpus", real / "index")
    answer = assistant.ask("And CNLTE?", history=NIGER)
    assert answer.answer.startswith("The Niger report does not mention CNLTE; the Mali reports do.\n")
    assert answer.citations and all(c.doc.endswith("-mali") for c in answer.citations)
    assert "CNLTE" in answer.answer.split("\n", 1)[1]
    # asked in a Mali conversation, nothing is said and Mali's reports answer
    kept = assistant.ask("And CNLTE?", history=["How many labor inspectors did Mali have in 2019?"])
    assert "does not mention" not in kept.answer and all(c.doc.endswith("-mali") for c in kept.citations)
    # each line of a comparison: Niger's said whose committee its report names instead
    compared = assistant.ask("Who chairs the CNLTE in Mali and in Niger?")
    assert compared.answer.split("\n")[1] == "Niger: The Niger report does not mention CNLTE; the Mali reports do."
    assert compared.answer.startswith("Mali: ") and all(c.doc.endswith("-mali") for c in compared.citations)
    filtered = assistant.ask("Who chairs the CNLTE?", country="Niger")
    assert filtered.abstained and not filtered.citations
    assert filtered.answer == ("The indexed reports do not answer this. The Niger report does not mention CNLTE; "
                               "the Mali reports do.")


@pytest.mark.parametrize(("question", "filters", "reason"), [
    ("Who chairs the CNLTE?", {"country": "Niger"}, "The Niger report does not mention CNLTE; the Mali reports do."),
    ("Who chairs Niger's CNLTE?", {}, "The Niger report does not mention CNLTE; the Mali reports do."),
    ("What was the CNLTE budget?", {"doc": "senegal-2019"},
     "The Senegal report does not mention CNLTE; the Mali reports do."),
    # the same country on both sides: the editions are named
    ("What is the PAN?", {"country": "Mali", "year": 2020},
     "The Mali 2020 report does not mention PAN; the Mali 2019 and Niger 2019 reports do."),
])
def test_a_scope_whose_reports_never_write_the_acronym_has_no_answer(question: str, filters: dict,
                                                                       reason: str) -> None:
    # filtered to Niger, "Who chairs the CNLTE?" was answered with another committee's chair
    assert unwritten_reason(question, decide_scope(question, [], DOCS, **filters), DOCS) == reason


@pytest.mark.parametrize(("question", "filters"), [
    ("Who chairs the CNLTE?", {}),  # no scope: every report may answer
    ("Who chairs the CNLTE?", {"country": "Mali"}),
    ("What is the PAN?", {"country": "Niger"}),
    ("Who chairs the committee?", {"country": "Niger"}),  # no acronym
])
def test_a_scope_writing_the_acronym_answers(question: str, filters: dict) -> None:
    assert unwritten_reason(question, decide_scope(question, [], DOCS, **filters), DOCS) is None


@pytest.mark.slow
def test_a_follow_up_put_to_another_country_keeps_the_earlier_turn_s_acronym() -> None:
    # "What about in Niger?" after questions on Mali's CNLTE was answered with a Niger sentence on
    # labor inspectors: the check for reports that never write the acronym read the turn as typed
    real = PROJECT_ROOT / ".build" / "real-pdf"
    assistant = _assistant(real / "corpus", real / "index")
    answer = assistant.ask("What about in Niger?", history=["Who chairs the CNLTE?", "And how many staff does it have?"])
    assert answer.abstained and not answer.citations
    assert answer.answer.endswith("The Niger report does not mention CNLTE; the Mali reports do.")
