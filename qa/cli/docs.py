"""``qa docs``, ``qa refs`` and ``qa chunks``: what the parser made of the corpus (no index needed)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qa.cli import app, guarded, quiet_pdf_reader


def _settings():  # type: ignore[no-untyped-def]
    from qa.config import Settings

    return Settings()


@app.command("documents", hidden=True)  # the API's word for them (GET /documents); users type it too
@app.command("docs")
@guarded
def docs(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List the documents in the corpus with their metadata and counts, then the files that failed.

    A failed file is listed with its reason (``"status": "failed"`` in JSON); when the index holds
    an earlier version of that document it says so (``"stale": true``): that version still answers.
    """
    from qa.index.chunk import chunk_document
    from qa.index.isolation import earlier_versions
    from qa.index.parsed import ParsedCorpus

    quiet_pdf_reader()
    settings = _settings()
    documents, failures = ParsedCorpus().read(settings)  # the index's parsed copies of unchanged files
    rows = []
    for doc in documents:
        m = doc.meta
        rows.append({"id": m.id, "status": "ok", "title": m.title, "publisher": m.publisher, "kind": m.kind,
                     "country": m.country, "year": m.year, "published": m.published, "url": m.url,
                     "chunks": len(chunk_document(doc, settings)), "references": len(doc.bibliography),
                     "tables": len(doc.tables), "table_rows": sum(len(t.rows) for t in doc.tables),
                     "source": Path(m.path).suffix.lstrip(".").lower(), "warnings": list(doc.bibliography.warnings),
                     "level": m.level, "synthetic": m.synthetic, "origin": dict(m.origin)})
    good = {d.id for d in documents}
    kept = earlier_versions(settings, [f for f in failures if f.doc_id not in good])
    failed = [{"id": f.doc_id, "status": "failed", "file": Path(f.path).name, "reason": f.reason,
               "stale": f.doc_id in kept} for f in failures]
    if as_json:
        typer.echo(json.dumps(rows + failed, indent=2, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['id']}  [{r['kind']}, {r['country'] or '?'}, {r['year'] or '?'}]  "
                   f"{r['chunks']} chunks, {r['references']} references, {r['tables']} tables"
                   # a PDF's structure is recovered, not given: show how much came out
                   + (f" ({r['table_rows']} rows, from PDF)" if r["source"] == "pdf" else "")
                   + ("  (synthetic)" if r["synthetic"] else ""))
        typer.echo(f"    {r['title']}")
        if r["publisher"] or r["published"]:
            typer.echo(f"    {r['publisher']}{', ' if r['publisher'] and r['published'] else ''}{r['published']}")
        if r["level"]:
            typer.echo(f"    assessment: {r['level']}")
        typer.echo("    from: " + ", ".join(f"{k}={v}" for k, v in sorted(r["origin"].items())))
        for w in r["warnings"]:
            typer.echo(f"    warning: {w}")
    for f in failed:
        typer.echo(f"{f['id']}  FAILED  {f['reason']}")
        if f["stale"]:
            typer.echo("    the version indexed earlier keeps answering (stale) until the file is fixed")


@app.command("refs")
@guarded
def refs(doc_id: str = typer.Argument(..., metavar="DOC", help="Document id (file stem)."),
         number: int | None = typer.Argument(None, metavar="N", help="One reference number."),
         as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Print a document's bibliography, or one numbered entry of it."""
    from qa.ingest.corpus import load_document
    from qa.errors import ReferenceNotFound

    doc = load_document(_settings(), doc_id)
    entries = list(doc.bibliography.entries)
    if number is not None:
        entry = doc.bibliography.get(number)
        if entry is None:
            n = len(doc.bibliography)
            raise ReferenceNotFound(f"{doc_id} has no reference {number}"
                                    + (f" (it has 1..{n})" if n else " (it has no bibliography)"))
        entries = [entry]
    if as_json:
        payload = [{"ref": e.number, "text": e.text, "url": e.url} for e in entries]
        typer.echo(json.dumps(payload[0] if number is not None else payload, indent=2, ensure_ascii=False))
        return
    if not entries:
        typer.echo(f"{doc_id} has no bibliography")
    for e in entries:
        typer.echo(f"[{e.number}] {e.text}")


@app.command("chunks")
@guarded
def chunks(doc_id: str = typer.Argument(..., metavar="DOC", help="Document id (file stem)."),
           as_json: bool = typer.Option(False, "--json", help="Print JSON lines.")) -> None:
    """Print the chunks a document is cut into (anchor, tokens, reference numbers, text)."""
    from qa.api.render import preview
    from qa.index.chunk import chunk_document
    from qa.ingest.corpus import load_document

    settings = _settings()
    doc = load_document(settings, doc_id)
    if Path(doc.meta.path).suffix.lower() == ".pdf" and not as_json:
        typer.echo(f"{doc_id}: read from PDF: {len(doc.tables)} tables, "
                   f"{sum(len(t.rows) for t in doc.tables)} rows, {len(doc.bibliography)} references recovered")
    for chunk in chunk_document(doc, settings):
        if as_json:
            typer.echo(json.dumps(chunk.to_json(), ensure_ascii=False))
        else:
            refs = ",".join(str(n) for n in sorted(chunk.refs)) or "-"
            typer.echo(f"{chunk.id}  ({chunk.kind}, {chunk.token_count} tokens, refs {refs})")
            typer.echo(f"    {preview(chunk.embed_text.replace(chr(10), ' / '), 300)}")
