"""``qa mcp`` driven as an MCP client drives it, with the official SDK's client.

* in memory, over the fake assistant: the four tools, their text and structured results, and
  every bad call answered as a tool error (``isError``) with a readable message;
* ``qa mcp`` in a subprocess on stdio, over the Mali report indexed with the fake embedder:
  initialize, list tools, ask, an error, a second call after it (the server lives on), and nothing
  but protocol on stdout (the log and the stale warning go to stderr);
* (slow) the same subprocess over the real index: the issue's question, cited "[4]".
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from api_support import ENTRY_4, MALI, FakeAssistant
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from qa.cli.mcp_server import build_server
from qa.config import PROJECT_ROOT, Settings
from qa.index.embed import FakeEmbedder
from qa.index.store import build_index
from qa.ingest.corpus import load_corpus

TOOLS = {"ask", "search", "get_reference", "list_documents"}
CITATION = re.compile(r"\[\d+(, \d+)*\]")
QUESTION = "How many labor inspectors did Mali have in 2019?"
QA = str(Path(sys.executable).with_name("qa"))


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


def in_memory(check: Callable[[Client], Awaitable[None]], assistant: Any | None = None) -> None:
    async def main() -> None:
        async with Client(build_server(assistant or FakeAssistant()), mode="legacy") as client:
            await check(client)

    anyio.run(main)


# -- in memory, over the fake assistant -----------------------------------------------------------------
def test_lists_the_four_tools_with_their_arguments() -> None:
    async def check(client: Client) -> None:
        assert client.server_info is not None and client.server_info.name == "qa"
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        ask = tools["ask"].input_schema
        assert ask["required"] == ["question"] and {"country", "year", "doc"} <= set(ask["properties"])
        assert set(tools["get_reference"].input_schema["required"]) == {"doc", "number"}
        assert all(t.annotations and t.annotations.read_only_hint for t in tools.values())

    in_memory(check)


def test_ask_returns_cited_text_and_the_answer_object() -> None:
    fake = FakeAssistant()

    async def check(client: Client) -> None:
        result = await client.call_tool("ask", {"question": "How many labor inspectors?", "country": "Mali",
                                                "year": 2019})
        assert not result.is_error
        text = text_of(result)
        assert "113" in text and "[4]" in text and "\nSources:\n[4] " + ENTRY_4 in text
        assert "Passages used:" in text
        assert result.structured_content is not None
        assert 4 in [c["ref"] for c in result.structured_content["citations"]]

    in_memory(check, fake)
    assert fake.calls[-1]["question"] == "How many labor inspectors?"
    assert fake.calls[-1]["country"] == "Mali" and fake.calls[-1]["year"] == 2019


def test_ask_passes_earlier_questions_for_a_follow_up() -> None:
    fake = FakeAssistant()

    async def check(client: Client) -> None:
        result = await client.call_tool("ask", {"question": "And in 2018?", "history": [QUESTION]})
        assert not result.is_error, text_of(result)
        too_long = await client.call_tool("ask", {"question": "And?", "history": ["q?"] * 21})
        assert too_long.is_error and "history" in text_of(too_long)

    in_memory(check, fake)
    assert fake.calls[-1]["question"] == "And in 2018?" and fake.calls[-1]["history"] == [QUESTION]


@pytest.mark.parametrize(("arguments", "fragment"), [
    ({}, "question"),                                     # missing question
    ({"question": ""}, "question"),                       # empty
    ({"question": "q?", "doc": "nope"}, "nope"),          # unknown document
    ({"question": "q?", "year": "last"}, "year"),         # wrong type
    ({"question": "q" * 2001}, "question"),               # over the length limit
])
def test_bad_ask_calls_are_tool_errors_with_a_readable_message(arguments: dict[str, Any], fragment: str) -> None:
    async def check(client: Client) -> None:
        result = await client.call_tool("ask", arguments)
        assert result.is_error, text_of(result)
        text = text_of(result)
        assert fragment in text and "\n" not in text and "Traceback" not in text and "pydantic.dev" not in text
        # the session goes on
        assert not (await client.call_tool("list_documents", {})).is_error

    in_memory(check)


def test_get_reference_search_and_list_documents() -> None:
    async def check(client: Client) -> None:
        entry = await client.call_tool("get_reference", {"doc": MALI, "number": 4})
        assert not entry.is_error and ENTRY_4 in text_of(entry)
        assert entry.structured_content == {"doc": MALI, "number": 4, "text": ENTRY_4, "url": None}
        missing = await client.call_tool("get_reference", {"doc": MALI, "number": 999})
        assert missing.is_error and "999" in text_of(missing)
        unknown = await client.call_tool("get_reference", {"doc": "nope", "number": 1})
        assert unknown.is_error and "nope" in text_of(unknown)
        hits = await client.call_tool("search", {"query": "labor inspectors", "k": 2})
        assert not hits.is_error and hits.structured_content["hits"] and "refs" in text_of(hits)
        assert (await client.call_tool("search", {"query": "x", "k": 0})).is_error
        docs = await client.call_tool("list_documents", {})
        assert MALI in text_of(docs) and {d["id"] for d in docs.structured_content["documents"]} >= {MALI}

    in_memory(check)


def test_a_load_failure_and_a_bug_are_tool_errors_not_a_crash() -> None:
    from qa.errors import IndexMissing

    async def check(client: Client) -> None:
        result = await client.call_tool("ask", {"question": "q?"})
        assert result.is_error and "qa index build" in text_of(result)

    in_memory(check, FakeAssistant(ready=False, load_error=IndexMissing("no index at x; run `qa index build` first")))

    class Broken(FakeAssistant):
        def ask(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    async def check_bug(client: Client) -> None:
        result = await client.call_tool("ask", {"question": "q?"})
        assert result.is_error and "internal error" in text_of(result) and "boom" not in text_of(result)

    in_memory(check_bug, Broken())


# -- qa mcp in a subprocess, on stdio --------------------------------------------------------------------
def run_stdio(env: dict[str, str], check: Callable[[Client], Awaitable[None]]) -> str:
    """Run ``qa mcp`` with ``env``, drive it with ``check``; returns what it wrote on stderr."""
    params = StdioServerParameters(command=QA, args=["mcp"], env=env, cwd=str(PROJECT_ROOT))
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errlog:
        async def main() -> None:
            async with Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=300) as client:
                await check(client)

        anyio.run(main)
        errlog.seek(0)
        return errlog.read()


def test_qa_mcp_over_stdio_answers_with_citations(settings: Settings) -> None:
    shutil.copy(PROJECT_ROOT / "corpus" / f"{MALI}.txt", settings.corpus_dir)
    build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False)
    (settings.corpus_dir / "added.txt").write_text("In 2019, Testland made no advancement.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k.startswith(("QA_", "HF_"))}

    async def check(client: Client) -> None:
        assert client.server_info is not None and client.server_info.name == "qa"
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS
        bad = await client.call_tool("ask", {"question": QUESTION, "doc": "nope"})
        assert bad.is_error and "nope" in text_of(bad)
        result = await client.call_tool("ask", {"question": QUESTION})
        text = text_of(result)
        assert not result.is_error and "113" in text and CITATION.search(text), text
        assert "[4]" in text and "\n[4] U.S. Embassy- Bamako" in text
        entry = await client.call_tool("get_reference", {"doc": MALI, "number": 4})
        assert "U.S. Embassy- Bamako" in text_of(entry)

    stderr = run_stdio(env, check)
    assert "warning: the corpus changed since the index was built (added: added.txt)" in stderr


@pytest.mark.slow
def test_qa_mcp_over_stdio_on_the_real_index_cites_reference_4() -> None:
    env = {k: v for k, v in os.environ.items() if k.startswith(("QA_", "HF_"))}
    env.pop("QA_EMBEDDER", None)

    async def check(client: Client) -> None:
        result = await client.call_tool("ask", {"question": QUESTION})
        text = text_of(result)
        assert not result.is_error and "113" in text and "[4]" in text, text
        assert result.structured_content["citations"][0]["doc"] == MALI

    run_stdio(env, check)


def test_a_declined_answer_lists_its_closest_passages_as_not_used() -> None:
    from qa.cli.mcp_server import render_answer
    from qa.models import Answer, Source

    declined = Answer("The indexed reports do not answer this.", (),
                      (Source(MALI, f"{MALI}#ref9", "REFERENCES", "Plan d'Action National", 0.03, (9,)),), True, 0.97)
    text = render_answer(declined)
    assert "Passages used:" not in text and "Closest passages found (none answers the question):" in text
