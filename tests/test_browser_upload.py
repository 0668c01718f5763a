"""Real Chromium, real pipeline (fake embedder, tiny corpus): upload a report from the page -> it is
indexed -> ask about it -> the source passage is shown with the quoted sentence highlighted and
its table/section named -> a reference expands to its bibliography entry and link -> the
document view opens the report at the passage. Skipped when chromium is not installed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import live_server
from conftest import TINY_ARTICLE, TINY_REPORT
from test_browser import CHROMEDRIVER, CHROMIUM, ask, css, driver, wait_for  # noqa: F401 - the driver fixture

from qa.answer.units import unit_texts
from qa.api.app import create_app
from qa.assistant import Assistant
from qa.config import Settings
from qa.index import store
from qa.index.embed import FakeEmbedder
from qa.ingest.corpus import load_corpus

URL = "https://example.org/otherland-embassy-2020"
UPLOADED = f"""In 2019, Otherland made a moderate advancement in efforts to eliminate the worst forms of child labor. (1)

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Otherland work in cocoa and gold fields. (1,2) Some children herd cattle in the north. (3)

II. ENFORCEMENT

The labor inspectorate had 42 labor inspectors in 2019. (2)

REFERENCES

- 1 Ministry of Labor. Annual report. January 5, 2020.
- 2 Embassy of Otherland. Reporting. February 14, 2020. {URL}
- 3 UNICEF. Child herders in the north. March 2019.
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="chromium/chromedriver not installed: run `make browser` to run the browser tests"),
]


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[str, Settings]]:
    (settings.corpus_dir / "testland-2019.txt").write_text(TINY_REPORT, encoding="utf-8")
    (settings.corpus_dir / "kayes-article.txt").write_text(TINY_ARTICLE, encoding="utf-8")
    store.build_index(settings, load_corpus(settings), FakeEmbedder(), progress=False, unit_texts=unit_texts)
    served = settings.model_copy(update={"allow_uploads": True, "api_key": None, "cors_origins": []})
    app = create_app(served, Assistant(served), assistant_factory=lambda: Assistant(served))
    with live_server(app) as base:
        yield base, served


def test_upload_ask_see_highlighted_source_expand_reference(driver, server, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, settings = server
    report = tmp_path / "otherland-2019.txt"
    report.write_text(UPLOADED, encoding="utf-8")
    driver.get(base + "/")

    # upload from the page, with progress and the indexing state, until it is ready
    opener = wait_for(driver, '[data-testid="upload-open"]:not([hidden])')
    opener.click()
    css(driver, '[data-testid="upload-file"]')[0].send_keys(str(report))
    css(driver, '[data-testid="upload-submit"]')[0].click()
    status = css(driver, '[data-testid="upload-status"]')[0]
    WebDriverWait(driver, 60).until(lambda d: status.text.startswith(("Ready", "Not uploaded", "Indexing failed")))
    assert status.text == "Ready: otherland-2019 is indexed; ask about it.", status.text
    assert (settings.corpus_dir / "otherland-2019.txt").read_text(encoding="utf-8") == UPLOADED
    css(driver, '[data-testid="upload-cancel"]')[0].click()

    # the new document is offered by the document filter once indexed
    WebDriverWait(driver, 10).until(lambda d: "otherland-2019" in [
        o.get_attribute("value") for o in css(d, '[data-testid="doc-select"] option')])
    Select(css(driver, '[data-testid="doc-select"]')[0]).select_by_value("otherland-2019")
    answer = ask(driver, "Which crops do children work in?", 0, timeout=60)
    assert "cocoa" in answer.find_element("css selector", '[data-testid="answer-text"]').text

    # the source passage, its place named, the quoted sentence highlighted
    source = answer.find_element("css selector", '[data-testid="source"]')
    assert source.is_displayed() and source.get_attribute("data-doc") == "otherland-2019"
    assert "PREVALENCE AND SECTORAL DISTRIBUTION" in source.find_element(
        "css selector", '[data-testid="source-where"]').text.upper()
    marks = source.find_elements("css selector", '[data-testid="highlight"]')
    assert marks and marks[0].is_displayed()
    assert [m.text for m in marks] == ["Children in Otherland work in cocoa and gold fields. [1, 2]"]
    assert "herd cattle" in source.text  # the passage's other sentence is shown, not marked  # the sentence not quoted is not marked

    # a reference expands to its bibliography entry, with its URL as a link
    reference = answer.find_element("css selector", '[data-testid="reference"][data-ref="2"]')
    entry = reference.find_element("css selector", '[data-testid="reference-entry"]')
    assert not entry.is_displayed()
    reference.find_element("css selector", '[data-testid="reference-summary"]').click()
    assert entry.is_displayed()
    assert "Embassy of Otherland. Reporting. February 14, 2020." in entry.text
    link = entry.find_element("css selector", '[data-testid="reference-url"]')
    assert link.get_attribute("href") == URL and link.text == URL

    # the document view opens the report at the passage
    source.find_element("css selector", '[data-testid="open-in-report"]').click()
    passage = wait_for(driver, '[data-testid="document-passage"]')
    assert passage.is_displayed() and "herd cattle" in passage.text
    quoted = passage.find_elements("css selector", '[data-testid="document-quoted"]')
    # the answer's own unit names its place in the report: the sentence with the report's citation group
    assert [q.text for q in quoted] == ["Children in Otherland work in cocoa and gold fields. (1,2)"]
    assert css(driver, '[data-testid="document-text"]')[0].text.startswith("In 2019, Otherland")
    css(driver, '[data-testid="document-close"]')[0].click()
    assert not css(driver, '[data-testid="document-view"]')[0].is_displayed()


def test_filters_travel_with_the_question_and_uploads_hidden_when_disabled(driver, settings: Settings) -> None:  # noqa: F811
    from api_support import FakeAssistant
    from selenium.webdriver.support.ui import Select

    fake = FakeAssistant()
    with live_server(create_app(Settings(api_key=None, cors_origins=[], allow_uploads=False), fake)) as base:
        driver.get(base + "/")
        wait_for(driver, '[data-testid="country-select"] option[value="Mali"]')
        Select(css(driver, '[data-testid="country-select"]')[0]).select_by_value("Mali")
        Select(css(driver, '[data-testid="year-select"]')[0]).select_by_value("2019")
        answer = ask(driver, "How many labor inspectors?", 0)
        assert fake.calls[-1]["country"] == "Mali" and fake.calls[-1]["year"] == 2019
        assert not css(driver, '[data-testid="upload-open"]')[0].is_displayed()
        where = answer.find_element("css selector", '[data-testid="source-where"]').text
        assert where.endswith("— Section: IV"), where
