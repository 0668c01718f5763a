"""End-to-end: drive the web page in headless Chromium (selenium + Debian's chromium).

Skipped, with a message saying so, when chromium or chromedriver is not installed
(`make browser` or `apt-get install -y chromium chromium-driver` installs them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest
from api_support import ENTRY_4, ILO, MALI, PASSAGE, FakeAssistant, live_server, real_server_url

from qa.api.app import create_app
from qa.config import Settings
from qa.models import Answer, Citation, Source

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
QUESTION = "How many labor inspectors did Mali have in 2019?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="chromium/chromedriver not installed: run `make browser` to run the browser tests"),
]


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.implicitly_wait(0)
    try:
        yield browser
    finally:
        browser.quit()


def css(driver, selector: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def wait_for(driver, selector: str, timeout: float = 15, count: int = 1):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: len(css(d, selector)) >= count)
    return css(driver, selector)[count - 1]


def ask(driver, question: str, answers_before: int, timeout: float = 15):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: css(d, '[data-testid="ask-button"]')[0].is_enabled())
    box = css(driver, '[data-testid="question-input"]')[0]
    box.clear()
    box.send_keys(question)
    css(driver, '[data-testid="ask-button"]')[0].click()
    return wait_for(driver, '[data-testid="answer"]', timeout, count=answers_before + 1)


@pytest.fixture(scope="module")
def fake_page(driver) -> Iterator[tuple[object, FakeAssistant]]:  # type: ignore[no-untyped-def]
    fake = FakeAssistant()
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), fake)) as base:
        driver.get(base + "/")
        yield driver, fake


def test_ask_click_citation_follow_up_and_abstain(fake_page) -> None:  # type: ignore[no-untyped-def]
    driver, fake = fake_page
    answer = ask(driver, QUESTION, 0)
    text = answer.find_element("css selector", '[data-testid="answer-text"]').text
    assert "113" in text and "[4]" in text
    assert css(driver, '[data-testid="citation-panel"]')[0].is_displayed() is False

    answer.find_element("css selector", '[data-testid="citation"][data-ref="4"]').click()
    panel = css(driver, '[data-testid="citation-panel"]')[0]
    assert panel.is_displayed()
    assert css(driver, '[data-testid="citation-title"]')[0].text == "Reference [4]"
    assert css(driver, '[data-testid="citation-entry"]')[0].text == ENTRY_4
    assert "113 (4)" in css(driver, '[data-testid="citation-passage"]')[0].text
    css(driver, '[data-testid="citation-close"]')[0].click()
    assert not panel.is_displayed()

    # A follow-up carries the conversation.
    ask(driver, "And in 2018?", 1)
    assert fake.calls[-1]["question"] == "And in 2018?" and fake.calls[-1]["history"] == [QUESTION]

    # An abstention is shown as such, not as an answer.
    third = ask(driver, "How many unicorns are there?", 2)
    assert third.find_element("css selector", '[data-testid="abstained"]').is_displayed()
    assert "No supported answer" in third.text
    assert not third.find_elements("css selector", '[data-testid="citation"]')


def test_copy_answer_with_references(fake_page) -> None:  # type: ignore[no-untyped-def]
    driver, _ = fake_page
    origin = driver.current_url.rstrip("/")
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    answer = css(driver, '[data-testid="answer"]')[0]
    answer.find_element("css selector", '[data-testid="copy-answer"]').click()
    wait_for(driver, '[data-testid="copied"]:not(:empty)')
    copied = driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERR ' + e));")
    assert copied.startswith("Mali had 113 labor inspectors in 2019 [4]")
    assert "\n\nSources:\n[4] " + ENTRY_4 in copied


def test_new_conversation_clears_history(fake_page) -> None:  # type: ignore[no-untyped-def]
    driver, fake = fake_page
    css(driver, '[data-testid="new-conversation"]')[0].click()
    assert not css(driver, '[data-testid="answer"]')
    ask(driver, "How many inspectors?", 0)
    assert fake.calls[-1]["history"] == []


class TwoReports(FakeAssistant):
    """Answers every question from two reports that both cite a reference 4 of their own."""

    def ask(self, question, history=None, doc=None, top_k=None, country=None, year=None):  # type: ignore[no-untyped-def]
        super().ask(question, history, doc, top_k, country, year)
        citations = (Citation(MALI, 4, ENTRY_4, None, label="Mali 2019: 4"),
                     Citation(ILO, 4, "Ghana's own entry four.", None, label="Ghana 2019: 4"))
        sources = (Source(MALI, f"{MALI}#t6/r2", "IV", PASSAGE, 0.9, (4,)),
                   Source(ILO, f"{ILO}#t6/r2", "IV", "Number of Labor Inspectors 64 (68) 71 (4)", 0.9, (4,)))
        return Answer("Mali: 113 in 2019 [Mali 2019: 4].\nGhana: 71 in 2019 [Ghana 2019: 4].", citations,
                      sources, False, 0.8)


def test_a_labelled_citation_names_its_report_in_the_panel(driver) -> None:  # type: ignore[no-untyped-def]
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), TwoReports())) as base:
        driver.get(base + "/")
        answer = ask(driver, "Compare Mali and Ghana", 0)
        buttons = answer.find_elements("css selector", '[data-testid="citation"]')
        assert [b.text for b in buttons] == ["[Mali 2019: 4]", "[Ghana 2019: 4]"]
        buttons[1].click()
        assert css(driver, '[data-testid="citation-title"]')[0].text == "Reference [Ghana 2019: 4]"
        assert css(driver, '[data-testid="citation-entry"]')[0].text == "Ghana's own entry four."
        passage = css(driver, '[data-testid="citation-passage"]')[0].text
        assert "71 (4)" in passage and "AEJT Kayes Sikasso" in passage and ILO + " ·" not in passage


class WholeDocument(FakeAssistant):
    """Cites a document without a bibliography as a whole, as "[<doc id>]"."""

    def ask(self, question, history=None, doc=None, top_k=None, country=None, year=None):  # type: ignore[no-untyped-def]
        super().ask(question, history, doc, top_k, country, year)
        source = Source(ILO, f"{ILO}#I/p1", "I", "The AEJT project works in Kayes and Sikasso.", 0.9, ())
        return Answer(f"The AEJT works in Kayes and Sikasso [{ILO}].",
                      (Citation(ILO, None, "AEJT Kayes Sikasso, ILO", None, label=ILO),), (source,), False, 0.8)


def test_a_document_cited_as_a_whole_is_clickable(driver) -> None:  # type: ignore[no-untyped-def]
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), WholeDocument())) as base:
        driver.get(base + "/")
        answer = ask(driver, "What does the AEJT do?", 0)
        buttons = answer.find_elements("css selector", '[data-testid="citation"]')
        assert [b.text for b in buttons] == [f"[{ILO}]"]
        # the references list writes the marker as the answer does (it read "[doc]")
        assert [n.text for n in answer.find_elements("css selector", ".ref-num")] == [f"[{ILO}]"]
        buttons[0].click()
        assert css(driver, '[data-testid="citation-title"]')[0].text == "Document"
        assert css(driver, '[data-testid="citation-entry"]')[0].text == "AEJT Kayes Sikasso, ILO"
        assert "works in Kayes" in css(driver, '[data-testid="citation-passage"]')[0].text


class LongAnswers(FakeAssistant):
    """Answers of 10,000 characters: a long conversation's replies add up to more than a request may carry."""

    def ask(self, question, history=None, doc=None, top_k=None, country=None, year=None):  # type: ignore[no-untyped-def]
        answer = super().ask(question, history, doc, top_k, country, year)
        return Answer("Long answer. " * 770 + answer.answer, answer.citations, answer.sources, False, 0.8)


def test_a_long_conversation_keeps_answering(driver) -> None:  # type: ignore[no-untyped-def]
    fake = LongAnswers()
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), fake)) as base:
        driver.get(base + "/")
        for i in range(8):
            ask(driver, f"Question {i}?", i)
        assert not css(driver, '[data-testid="error"]'), css(driver, '[data-testid="error"]')[0].text
        # the server resolves follow-ups from the earlier questions: those still travel
        assert fake.calls[-1]["history"] == [f"Question {i}?" for i in range(7)]


class ThreeReports(FakeAssistant):
    """Mali 2019 and 2020 and Niger 2019 listed by GET /documents."""

    def documents(self):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        mali = super().documents()[0]
        return [mali, replace(mali, id="mali-2020", title="Mali 2020", year=2020),
                replace(mali, id="niger-2019", title="Niger 2019", country="Niger")]


def test_the_year_and_document_lists_follow_the_country(driver) -> None:  # type: ignore[no-untyped-def]
    # every year and document stayed listed: "Niger" then "2020" asked what no report answers
    from selenium.webdriver.support.ui import Select, WebDriverWait

    with live_server(create_app(Settings(api_key=None, cors_origins=[]), ThreeReports())) as base:
        driver.get(base + "/")

        def options(testid: str) -> list[str]:
            return [o.text for o in Select(css(driver, f'[data-testid="{testid}"]')[0]).options]

        WebDriverWait(driver, 15).until(lambda d: len(options("doc-select")) == 4)
        assert options("year-select") == ["All years", "2020", "2019"]
        Select(css(driver, '[data-testid="country-select"]')[0]).select_by_visible_text("Niger")
        assert options("year-select") == ["All years", "2019"]
        assert options("doc-select") == ["All documents", "Niger 2019"]
        Select(css(driver, '[data-testid="country-select"]')[0]).select_by_visible_text("Mali")
        Select(css(driver, '[data-testid="year-select"]')[0]).select_by_visible_text("2020")
        assert options("doc-select") == ["All documents", "Mali 2020"]
        Select(css(driver, '[data-testid="country-select"]')[0]).select_by_visible_text("All countries")
        assert Select(css(driver, '[data-testid="year-select"]')[0]).first_selected_option.text == "2020"
        assert options("doc-select") == ["All documents", "Mali 2020"]


class KenyaReports(FakeAssistant):
    def documents(self):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        report, article = super().documents()
        return [replace(report, id="kenya-2018", country="Kenya", year=2018, kind="country-report"),
                replace(report, id="rwanda-2019", country="Rwanda", year=2019, kind="country-report"),
                replace(article, country="Kenya", year=2021, kind="article")]


def test_the_example_questions_name_an_indexed_country(driver) -> None:  # type: ignore[no-untyped-def]
    # the examples named Mali whatever was indexed: on a corpus without a Mali report each was
    # declined ("No indexed report covers Mali")
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(create_app(Settings(api_key=None, cors_origins=[]), KenyaReports())) as base:
        driver.get(base + "/")
        WebDriverWait(driver, 15).until(lambda d: "Rwanda" in css(d, ".example")[0].text)
        examples = [e.text for e in css(driver, ".example")]
        assert examples[0] == "How many labor inspectors did Rwanda have in 2019?"
        assert all("Mali" not in e for e in examples) and all("Rwanda" in e for e in examples)
        placeholder = css(driver, '[data-testid="question-input"]')[0].get_attribute("placeholder")
        assert placeholder.endswith(examples[0])


def test_a_server_gone_away_is_said_in_words(driver) -> None:  # type: ignore[no-untyped-def]
    # the page showed the browser's own "Sorry — Failed to fetch"
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())) as base:
        driver.get(base + "/")
        WebDriverWait(driver, 15).until(lambda d: css(d, '[data-testid="ask-button"]')[0].is_enabled())
    box = css(driver, '[data-testid="question-input"]')[0]
    box.send_keys(QUESTION)
    css(driver, '[data-testid="ask-button"]')[0].click()
    error = wait_for(driver, '[data-testid="error"]')
    assert "cannot reach the server" in error.text and "Failed to fetch" not in error.text


class OddUrls(FakeAssistant):
    """Cites an entry whose URL the report prints without its scheme, and one that is no web address."""

    def ask(self, question, history=None, doc=None, top_k=None, country=None, year=None):  # type: ignore[no-untyped-def]
        super().ask(question, history, doc, top_k, country, year)
        source = Source(MALI, f"{MALI}#III/p1", "III", "UNODC supported cooperation (102). A note (103).", 0.9, (102, 103))
        citations = (Citation(MALI, 102, "UNODC. GLO.ACT continues.", "unodc.org/unodc/en/glo-act.html"),
                     Citation(MALI, 103, "A note.", "javascript:alert(1)"))
        return Answer("UNODC supported cooperation [102]. A note [103].", citations, (source,), False, 0.8)


def test_a_url_printed_without_its_scheme_links_to_the_web(driver) -> None:  # type: ignore[no-untyped-def]
    # "unodc.org/..." (Mali 2019's reference 102) was the panel's href as is: a link to this server
    with live_server(create_app(Settings(api_key=None, cors_origins=[]), OddUrls())) as base:
        driver.get(base + "/")
        answer = ask(driver, "What did UNODC do?", 0)
        answer.find_element("css selector", '[data-testid="citation"][data-ref="102"]').click()
        link = css(driver, '[data-testid="citation-url"]')[0]
        assert link.is_displayed() and link.get_attribute("href") == "https://unodc.org/unodc/en/glo-act.html"
        hrefs = [a.get_attribute("href") for a in answer.find_elements("css selector", '[data-testid="reference-url"]')]
        assert hrefs == ["https://unodc.org/unodc/en/glo-act.html"]
        answer.find_element("css selector", '[data-testid="citation"][data-ref="103"]').click()
        assert not css(driver, '[data-testid="citation-url"]')[0].is_displayed()


@pytest.mark.slow
def test_real_pipeline_answer_has_a_clickable_citation(driver) -> None:  # type: ignore[no-untyped-def]
    base = real_server_url()
    driver.get(base + "/")
    answer = ask(driver, QUESTION, 0, timeout=120)
    buttons = answer.find_elements("css selector", '[data-testid="citation"]')
    assert buttons, "the answer shows no clickable citation: " + answer.text
    ref = buttons[0].get_attribute("data-ref")
    buttons[0].click()
    entry = css(driver, '[data-testid="citation-entry"]')[0].text
    expected = httpx.get(f"{base}/documents/usdol-2019-mali/references/{ref}", timeout=10).json()["text"]
    assert entry == " ".join(expected.split()) or entry == expected
    assert css(driver, '[data-testid="citation-passage"]')[0].text


def test_api_docs_pages_make_no_request_off_the_server() -> None:
    """ReDoc's bundle asked cdn.redoc.ly for a logo; every request of /docs and /redoc stays local."""
    import json
    import time

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        with live_server(create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())) as base:
            for path, rendered in (("/redoc", "Download OpenAPI specification"), ("/docs", "/openapi.json")):
                browser.get(base + path)
                deadline = time.monotonic() + 20
                while rendered not in css(browser, "body")[0].text and time.monotonic() < deadline:
                    time.sleep(0.2)
                assert rendered in css(browser, "body")[0].text, path
                time.sleep(1)  # images and fonts a rendered page asks for
                urls = [json.loads(e["message"])["message"]["params"]["request"]["url"]
                        for e in browser.get_log("performance")
                        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
                assert any(u.startswith(base) for u in urls)
                assert [u for u in urls if u.startswith(("http:", "https:")) and not u.startswith(base)] == [], path
    finally:
        browser.quit()
