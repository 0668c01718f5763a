"""The LLM path wired through the Answerer: a loopback OpenAI-compatible server writes the answer,
every [n] it writes is checked against the passages it was given, and any failure falls back to
the extractive answer."""

from __future__ import annotations

from pathlib import Path

from test_answer import Corpus
from test_llm import FakeLLM, _no_proxy, llm  # noqa: F401 (fixtures)

from qa.config import Settings

QUESTION = "How many labor inspectors did Mali have in 2019?"


def corpus_with_llm(tmp_path: Path, url: str) -> Corpus:
    return Corpus(Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", embedder="fake",
                           llm_base_url=url, llm_model="fake-model", llm_api_key=None, llm_timeout=5.0))


def test_llm_answer_keeps_supported_markers_and_flags_invented_ones(llm: FakeLLM, tmp_path: Path) -> None:  # noqa: F811
    llm.content = "Mali had 113 labor inspectors in 2019 [4], and 150 in 2020 [99]."
    answer = corpus_with_llm(tmp_path, llm.url).ask(QUESTION)
    assert answer.mode == "llm"
    assert "[99]" not in answer.answer and "[4]" in answer.answer
    assert answer.unsupported_citations == ("[99]",)
    assert [c.ref for c in answer.citations] == [4]
    assert answer.sources  # the passages used still travel with the answer
    sent = llm.requests[0]["json"]["messages"][-1]["content"]
    assert QUESTION in sent and "[4]" in sent


def test_server_error_returns_the_extractive_answer(llm: FakeLLM, tmp_path: Path) -> None:  # noqa: F811
    llm.status = 500
    answer = corpus_with_llm(tmp_path, llm.url).ask(QUESTION)
    assert answer.mode == "extractive"
    assert "llm_error" in answer.extra
    assert "113" in answer.answer and [c.ref for c in answer.citations] == [4]


def test_abstention_is_not_sent_to_the_llm(llm: FakeLLM, tmp_path: Path) -> None:  # noqa: F811
    answer = corpus_with_llm(tmp_path, llm.url).ask("What is the minimum working age in Ghana?")
    assert answer.abstained and llm.requests == []
