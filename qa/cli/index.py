"""``qa index build`` and ``qa search``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from qa.cli import app, guarded
from qa.models import Hit

index_app = typer.Typer(no_args_is_help=True, help="Build or inspect the search index.")
app.add_typer(index_app, name="index")


@index_app.command("build")
@guarded
def build(force: Annotated[bool, typer.Option("--force", help="Re-embed everything.")] = False) -> None:
    """Build the index, re-embedding only changed documents; does nothing when it is up to date."""
    from qa.config import get_settings
    from qa.index.embed import make_embedder
    from qa.index.store import build_index, index_status, is_up_to_date

    settings = get_settings()
    embedder = make_embedder(settings)
    # The fast path hashes the corpus files only: no parsing, no torch import.
    if not force and is_up_to_date(settings, embedder):
        status = index_status(settings)
        typer.echo(f"index is up to date: {len(status.documents)} documents, {status.chunks} chunks "
                   f"({status.path})")
        return
    from qa.ingest.corpus import load_corpus

    documents = load_corpus(settings)
    report = build_index(settings, documents, embedder, force=force, progress=True)
    typer.echo(report.summary())


@index_app.command("status")
@guarded
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show what the index was built from and whether the corpus changed since."""
    from qa.config import get_settings
    from qa.index.store import index_status

    st = index_status(get_settings())
    if as_json:
        typer.echo(json.dumps(st.to_json(), indent=2))
        return
    if not st.exists:
        typer.echo(f"no usable index at {st.path}: {'; '.join(st.reasons)}")
        raise typer.Exit(1)
    typer.echo(f"{st.path}: {st.chunks} chunks from {len(st.documents)} documents, model {st.model_id} "
               f"(dim {st.dimension}), {st.ann.get('type')} search, built {st.built_at}")
    typer.echo("stale: " + ("; ".join(st.reasons) if st.stale else "no"))


@app.command("search")
@guarded
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many passages.")] = 5,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this document id.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only reports about this country.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this edition (reporting year).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the passages the retriever ranks best for QUERY, with their scores."""
    from qa.config import get_settings
    from qa.answer.retrieve import Retriever
    from qa.errors import InvalidInput
    from qa.text.countries import lookup

    if country is not None and lookup(country) is None:
        raise InvalidInput(f"unknown country {country!r} (use a country name or ISO code)")
    retriever = Retriever(get_settings()).load()
    hits = retriever.search(query, k=k, doc=doc, country=country, year=year)
    if as_json:
        typer.echo(json.dumps([_hit_json(rank, h) for rank, h in enumerate(hits, 1)], indent=2,
                              ensure_ascii=False))
        return
    if not hits:
        typer.echo("no passages found")
    for rank, hit in enumerate(hits, 1):
        scores = f"dense {_fmt(hit.dense_score)}  bm25 {_fmt(hit.bm25_score)}"
        typer.echo(f"{rank:>2}. {hit.chunk.id}  fused {hit.score:.4f}  {scores}")
        text = " ".join(hit.chunk.text.split())
        typer.echo(f"    {text[:200]}{'…' if len(text) > 200 else ''}")


def _fmt(score: float | None) -> str:
    return "-" if score is None else f"{score:.3f}"


def _hit_json(rank: int, hit: Hit) -> dict[str, object]:
    c = hit.chunk
    return {"rank": rank, "id": c.id, "doc": c.doc_id, "kind": c.kind, "section": c.section,
            "score": hit.score, "dense_score": hit.dense_score, "bm25_score": hit.bm25_score,
            "rerank_score": hit.rerank_score, "refs": sorted(c.refs), "context": c.context, "text": c.text}
