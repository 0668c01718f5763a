"""Shared fixtures.

* ``settings``: Settings whose corpus and index folders live in ``tmp_path`` (set through the
  ``QA_`` environment, so code that calls ``get_settings()`` sees them too), with the fake embedder.
* ``no_network``: any socket connection attempt fails the test.
* ``tiny_corpus``: two small report files written into the settings' corpus folder.
* ``hand_corpus``: hand-made Documents plus a one-chunk-per-paragraph chunker, for retrieval tests
  whose expected rankings can be worked out by hand.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.config import Settings
from qa.models import Bibliography, Chunk, Document, DocumentMeta, Paragraph, Section, Sentence

TINY_REPORT = """In 2019, Testland made a moderate advancement in efforts to eliminate child labor. (1)

I. PREVALENCE AND SECTORAL DISTRIBUTION OF CHILD LABOR

Children in Testland work in cotton and rice fields. (1,2) Some children herd cattle. (2)

II. ENFORCEMENT

The National Unit to Fight Against Child Labor (CNLTE) coordinates enforcement. (2) The CNLTE lacked funding. (1)

REFERENCES

1. Ministry of Labor. Annual report. January 5, 2020.
2. Embassy of Testland. Reporting. February 14, 2020.
"""

TINY_ARTICLE = """Workshop on child labour in Kayes

The Association of Working Children and Youth (AEJT) met in Kayes and Sikasso to discuss local development plans.
"""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    index.mkdir()
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("QA_INDEX_DIR", str(index))
    monkeypatch.setenv("QA_EMBEDDER", "fake")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return Settings()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the corpus files parsed from now on (qa.ingest.corpus.parse_checked, counted)."""
    from qa.ingest import corpus as corpus_module

    names: list[str] = []
    real = corpus_module.parse_checked

    def counting(path, settings, catalog):  # type: ignore[no-untyped-def]
        names.append(path.name)
        return real(path, settings, catalog)

    monkeypatch.setattr(corpus_module, "parse_checked", counting)
    return names


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]


@pytest.fixture
def tiny_corpus(settings: Settings) -> Path:
    (settings.corpus_dir / "testland-2019.txt").write_text(TINY_REPORT, encoding="utf-8")
    (settings.corpus_dir / "kayes-article.txt").write_text(TINY_ARTICLE, encoding="utf-8")
    return settings.corpus_dir


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the tiny corpus (``corpus/``) and its built index (``index/``, fake embedder,
    answer units stored), built once per module; tests copy it (``copy_tiny_index``), never change it."""
    from qa.answer.units import unit_texts
    from qa.index.embed import FakeEmbedder
    from qa.index.store import build_index
    from qa.ingest.corpus import load_corpus

    root = tmp_path_factory.mktemp("tiny-index")
    (root / "corpus").mkdir()
    (root / "corpus" / "testland-2019.txt").write_text(TINY_REPORT, encoding="utf-8")
    (root / "corpus" / "kayes-article.txt").write_text(TINY_ARTICLE, encoding="utf-8")
    built = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedder="fake")
    build_index(built, load_corpus(built), FakeEmbedder(), progress=False, unit_texts=unit_texts)
    return root


def copy_tiny_index(settings: Settings, template: Path) -> Settings:
    """``settings`` with the ``tiny_index`` corpus and index copied into its folders."""
    shutil.copytree(template / "corpus", settings.corpus_dir, dirs_exist_ok=True)
    shutil.copytree(template / "index" / "default", settings.index_path)
    return settings


def make_document(doc_id: str, paragraphs: list[str], kind: str = "country-report", country: str = "Mali",
                  year: int | None = 2019) -> Document:
    """A Document whose paragraphs are the given strings, one per line."""
    text = "\n".join(paragraphs)
    paras, pos = [], 0
    for i, body in enumerate(paragraphs):
        sentence = Sentence(body, pos, pos + len(body))
        paras.append(Paragraph(i, "I", ("Overview",), pos, pos + len(body), body, (sentence,)))
        pos += len(body) + 1
    meta = DocumentMeta(id=doc_id, path=f"{doc_id}.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), title=doc_id,
                        kind=kind, country=country, year=year)  # type: ignore[arg-type]
    return Document(meta, text, (Section("I", "Overview", 0, len(text)),), tuple(paras), (), Bibliography())


def paragraph_chunker(doc: Document, settings: Settings) -> list[Chunk]:
    """One chunk per paragraph; a paragraph starting "- N " becomes reference chunk N."""
    chunks = []
    for p in doc.paragraphs:
        is_ref = p.text.startswith("- ") and p.text[2:].split(" ", 1)[0].isdigit()
        number = int(p.text[2:].split(" ", 1)[0]) if is_ref else None
        chunks.append(Chunk(
            id=f"{doc.id}#ref{number}" if is_ref else f"{doc.id}#I/p{p.index}", doc_id=doc.id,
            kind="reference" if is_ref else "paragraph", section="I", heading_path=p.heading_path,
            text=p.text, start=p.start, end=p.end, token_count=len(p.text.split()),
            refs=frozenset({number}) if number else frozenset(), sentences=p.sentences))
    return chunks


@pytest.fixture
def hand_corpus() -> tuple[list[Document], Callable[[Document, Settings], list[Chunk]]]:
    report = make_document("report", [
        "Mali had 113 labor inspectors in 2019.",
        "Children harvest cotton and rice in the south.",
        "The National Unit to Fight Against Child Labor (CNLTE) coordinates national efforts.",
        "The unit lacked funding and transport in 2019.",
        "- 4 Embassy in Bamako. Reporting. February 14, 2020.",
    ])
    article = make_document("article", [
        "A workshop in Kayes trained young workers on cotton farming safety.",
        "Inspectors visited schools in Sikasso.",
    ], kind="article", year=2021)
    return [report, article], paragraph_chunker
