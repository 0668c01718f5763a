"""One default number of search hits (the ``search_k`` setting, QA_SEARCH_K) for `qa search`,
GET /search and the MCP search tool: GET /search listed 10 while the others listed 5."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_tiny_index
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from qa.api.app import create_app
from qa.assistant import Assistant
from qa.cli import _register, app
from qa.cli.mcp_server import _Tools
from qa.config import Settings

_register()
QUERY = "children cotton CNLTE enforcement funding"


@pytest.fixture
def small_k(settings: Settings, tiny_index: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("QA_SEARCH_K", "2")
    return copy_tiny_index(Settings(), tiny_index)


def test_the_default_is_five() -> None:
    assert Settings().search_k == 5


def test_every_search_lists_the_setting_s_number_of_hits(small_k: Settings) -> None:
    assistant = Assistant(small_k).load()
    assert len(assistant.search(QUERY, k=3)) == 3  # the tiny index has more than two passages
    assert len(assistant.search(QUERY)) == 2
    with TestClient(create_app(small_k, assistant)) as client:
        assert len(client.get("/search", params={"q": QUERY}).json()["hits"]) == 2
        assert len(client.get("/search", params={"q": QUERY, "k": 3}).json()["hits"]) == 3
    result = CliRunner().invoke(app, ["search", QUERY])
    assert result.exit_code == 0, result.output
    assert len(re.findall(r"^ *\d+\. ", result.stdout, flags=re.M)) == 2
    assert len(_Tools(assistant).search(QUERY).structured_content["hits"]) == 2


def test_qa_search_scopes_and_checks_the_query_as_get_search_does(small_k: Settings) -> None:
    runner = CliRunner()
    # a query naming a country no report covers lists nothing (it listed the other reports' passages)
    result = runner.invoke(app, ["search", "children working in Ghana"])
    assert result.exit_code == 0 and result.stdout == "no passages found: no indexed report covers Ghana\n"
    # nothing to search for: an error, as GET /search answers 422 (it listed five arbitrary passages)
    result = runner.invoke(app, ["search", "???"])
    assert result.exit_code == 2 and "the question has no words" in result.stderr and not result.stdout
    result = runner.invoke(app, ["search", "cotton", "--country", "Atlantis"])
    assert result.exit_code == 2 and "unknown country 'Atlantis'" in result.stderr


def test_a_search_whose_filters_admit_no_report_says_why(small_k: Settings) -> None:
    """GET /search?year=2018 over 2019 editions answered {"hits": []} with no word of why (POST /ask
    said "No indexed report is the 2018 edition")."""
    assistant = Assistant(small_k).load()
    editions = sorted({m.get("year") for m in assistant._retriever.indexed_documents().values() if m.get("year")})
    assert editions and 1999 not in editions
    with TestClient(create_app(small_k, assistant)) as client:
        body = client.get("/search", params={"q": QUERY, "year": 1999}).json()
        assert body["hits"] == [] and body["note"].startswith("no indexed report is the 1999 edition; ")
        assert "note" not in client.get("/search", params={"q": QUERY}).json()
    result = CliRunner().invoke(app, ["search", QUERY, "--year", "1999"])
    assert result.exit_code == 0 and result.stdout.startswith("no passages found: no indexed report is the 1999 edition")
    tool = _Tools(assistant).search(QUERY, year=1999)
    assert tool.structured_content["note"].startswith("no indexed report is the 1999 edition")
    assert tool.content[0].text.startswith("No passage matches: no indexed report is the 1999 edition")
