"""``qa ask "QUESTION"``: one grounded answer, its numbered references and the passages used."""

from __future__ import annotations

import json

import typer

from qa.cli import app, guarded


@app.command("ask")
@guarded
def ask(
    question: str = typer.Argument(..., help="The question, in quotes."),
    doc: str | None = typer.Option(None, "--doc", help="Answer from this document only."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer object as JSON."),
) -> None:
    """Answer QUESTION from the indexed reports, citing the reports' own reference numbers."""
    from qa.assistant import Assistant
    from qa.cli.serve import format_answer
    from qa.config import Settings

    answer = Assistant(Settings()).load().ask(question, doc=doc)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    typer.echo(format_answer(answer))
    if answer.sources:
        typer.echo("\nPassages used:")
        for s in answer.sources:
            refs = ", ".join(str(r) for r in s.refs) or "-"
            typer.echo(f"  {s.anchor}  (score {s.score:.2f}, refs {refs})")
            typer.echo(f"    {s.text[:400]}")
