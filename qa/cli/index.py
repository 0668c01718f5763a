"""``qa index build``, ``qa index status``, ``qa index verify`` and ``qa search``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from qa.cli import app, fail, guarded, quiet_pdf_reader
from qa.models import DocumentFailure, Hit

index_app = typer.Typer(no_args_is_help=True, rich_markup_mode="markdown", help="Build or inspect the search index.")
app.add_typer(index_app, name="index")

# Exit codes of `qa index build` (also in the README).
EXIT_OK, EXIT_NOTHING_USABLE, EXIT_SOME_FAILED = 0, 2, 3


@index_app.command("build")
@guarded
def build(force: Annotated[bool, typer.Option("--force", help="Re-embed everything.")] = False) -> None:
    """Build the index, re-embedding only changed documents; does nothing when it is up to date.

    A damaged index (a file missing, cut short or altered) is rebuilt, not reported up to date.
    Files that cannot be indexed are skipped, one line each on stderr. Exit code 0: every document
    indexed; 3: the index was built but some files failed; 2: nothing could be indexed (or another
    error), the previous index is left as it was.
    """
    from qa.answer.units import unit_texts
    from qa.config import get_settings
    from qa.errors import CorpusError
    from qa.index.embed import make_embedder
    from qa.index.status import index_status, is_up_to_date
    from qa.index.store import build_index
    from qa.index.verify import verify_folder

    quiet_pdf_reader()
    settings = get_settings()
    embedder = make_embedder(settings)
    # The fast path hashes the corpus files and the index files only: no parsing, no torch import.
    if not force and is_up_to_date(settings, embedder, with_units=True):
        status = index_status(settings)
        typer.echo(f"index is up to date: {len(status.documents)} documents, {status.chunks} chunks "
                   f"({status.path})")
        failures = [DocumentFailure(f["doc"], f["file"], f["reason"], f.get("stale", False)) for f in status.failures]
        _report_failures(failures)
        return
    if settings.index_path.exists():
        check = verify_folder(settings.index_path, hashes=True)
        if not check.ok:
            typer.echo(f"repairing the index: {check.problems[0].describe()}"
                       + (f" and {len(check.problems) - 1} more" if len(check.problems) > 1 else ""), err=True)
    from qa.index.parsed import ParsedCorpus

    # files unchanged since the index in place was built are not parsed again (it stores them parsed)
    documents, failures = ParsedCorpus().read(settings)
    if not documents and not failures:
        raise fail(f"no documents in the corpus folder {settings.corpus_dir} (.txt, .md or .pdf files)", 2)
    try:
        report = build_index(settings, documents, embedder, force=force, progress=True,
                             unit_texts=unit_texts, failures=failures)
    except CorpusError:
        _report_failures(failures, exit_code=None)
        raise
    typer.echo(report.summary())
    _report_failures(list(report.failures))


def _report_failures(failures: list[DocumentFailure], exit_code: int | None = EXIT_SOME_FAILED) -> None:
    """One line per failed file on stderr; exit with ``exit_code`` when there was any."""
    for f in failures:
        kept = " (the version indexed earlier keeps answering, flagged stale)" if f.stale else ""
        typer.echo(f"failed: {f.reason}{kept}", err=True)
    if failures and exit_code is not None:
        raise typer.Exit(exit_code)


@index_app.command("verify")
@guarded
def verify(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Check every file of the index against the sizes and hashes its manifest lists.

    Exit 0 when intact; 1 with one line per damaged file and the fix when not.
    """
    from qa.config import get_settings
    from qa.index.verify import FIX, verify_folder

    path = get_settings().index_path
    if not as_json and not path.exists():  # nothing to verify: not "damaged", and not a rebuild with --force
        typer.echo(f"error: no index at {path}; run `qa index build` first", err=True)
        raise typer.Exit(1)
    report = verify_folder(path, hashes=True)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    elif report.ok:
        typer.echo(f"index ok: {report.files} files, {report.bytes / 1e6:.1f} MB checked ({report.path})")
    else:
        for problem in report.problems:
            typer.echo(f"damaged: {problem.describe()}", err=True)
        typer.echo(f"error: the index at {report.path} is damaged; {FIX}", err=True)
    if not report.ok:
        raise typer.Exit(1)


@index_app.command("status")
@guarded
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show what the index was built from and whether the corpus changed since."""
    from qa.config import get_settings
    from qa.index.status import index_status

    st = index_status(get_settings())
    if as_json:
        typer.echo(json.dumps(st.to_json(), indent=2))
        return
    if not st.exists:  # the reasons name the folder already ("no index at ...; run `qa index build` first")
        typer.echo("; ".join(st.reasons) or f"no usable index at {st.path}")
        raise typer.Exit(1)
    typer.echo(f"{st.path}: {st.chunks} chunks from {len(st.documents)} documents, model {st.model_id} "
               f"(dim {st.dimension}), {st.ann.get('type')} search, built {st.built_at}")
    typer.echo("stale: " + ("; ".join(st.reasons) if st.stale else "no"))
    for f in st.failures:
        typer.echo(f"failed: {f['reason']}" + (" (earlier version kept, stale)" if f.get("stale") else ""))


@app.command("search")
@guarded
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="What to look for.")],
    k: Annotated[int | None, typer.Option("--k", min=1, max=100, show_default=False,
                                          help="How many passages [default: QA_SEARCH_K, 5].")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this document id.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only reports about this country.")] = None,
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2100, help="Only this edition (reporting year).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the passages the retriever ranks best for QUERY, with their scores."""
    from qa.config import get_settings
    from qa.answer.retrieve import Retriever
    from qa.answer.scope import DocInfo, decide_scope
    from qa.api.render import hit_text, preview
    from qa.assistant import checked_question

    settings = get_settings()
    query = checked_question(query)  # "???" has nothing to search for, as GET /search says
    retriever = Retriever(settings).load()
    # scoped as GET /search and `qa ask` scope it: a query naming a country ("inspectors in Niger")
    # searches that country's reports; an unknown --country is an error (decide_scope)
    documents = [DocInfo(doc_id, m.get("country") or "", m.get("year"), m.get("kind") or "")
                 for doc_id, m in retriever.indexed_documents().items()]
    scope = decide_scope(query, [], documents, doc=doc, country=country, year=year)
    hits = [] if scope.impossible else retriever.search(query, k=k or settings.search_k, doc=doc, scope=scope)
    if as_json:
        typer.echo(json.dumps([_hit_json(rank, h) for rank, h in enumerate(hits, 1)], indent=2,
                              ensure_ascii=False))
        return
    if not hits:
        from qa.answer.multidoc import search_note

        note = search_note(scope, documents)
        typer.echo(f"no passages found{': ' + note if note else ''}")
    for rank, hit in enumerate(hits, 1):
        scores = f"dense {_fmt(hit.dense_score)}  bm25 {_fmt(hit.bm25_score)}"
        typer.echo(f"{rank:>2}. {hit.chunk.id}  fused {hit.score:.4f}  {scores}")
        text = " ".join(hit_text(hit.chunk).split())
        typer.echo(f"    {preview(text, 200)}")


def _fmt(score: float | None) -> str:
    return "-" if score is None else f"{score:.3f}"


def _hit_json(rank: int, hit: Hit) -> dict[str, object]:
    c = hit.chunk
    return {"rank": rank, "id": c.id, "doc": c.doc_id, "kind": c.kind, "section": c.section,
            "score": hit.score, "dense_score": hit.dense_score, "bm25_score": hit.bm25_score,
            "rerank_score": hit.rerank_score, "refs": sorted(c.refs), "context": c.context, "text": c.text}
