"""``qa ask "QUESTION"``: one grounded answer, its numbered references and the passages used.

A running ``qa serve`` answers when one is reachable (``QA_SERVER_URL``, else QA_HOST:QA_PORT):
loading torch and the model in a fresh process takes several seconds, asking a warm server a
fraction of one. With no server (or ``--local``) the question is answered in-process. Either
way the output is the same. Nothing heavy is imported until it is needed.
"""

from __future__ import annotations

import json

import typer

from qa.cli import app, fail, guarded
from qa.models import Answer

PASSAGE_PREVIEW_CHARS = 400


def check_question(question: str) -> str:
    """The question stripped; :class:`~qa.errors.InvalidInput` when empty or too long.

    Checked here, before any server or model is touched, with the library's own limit.
    """
    from qa.assistant import MAX_QUESTION_CHARS
    from qa.errors import InvalidInput

    if not question.strip():
        raise InvalidInput("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters ({len(question)})")
    return question.strip()


def ask_server(question: str, doc: str | None, country: str | None = None, year: int | None = None,
               required: bool = False) -> Answer | None:
    """The answer from a running server, or None when no server is ready to answer.

    Errors the server reports about the question itself (unknown document, bad API key)
    are raised: answering in-process would only hide them or repeat them more slowly. With
    ``required`` (``--server``), no answering server is an error too.
    """
    from qa.cli.client import ServerClient, ServerError, ServerUnavailable, other_index, server_url
    from qa.config import Settings

    settings = Settings()
    url = server_url(settings)
    with ServerClient(url, settings.api_key) as client:
        try:
            health = client.health()
            if health is None:
                raise ServerUnavailable(client.health_reason())
            if (other := other_index(health, settings)) is not None:
                if required:
                    raise ServerError(f"the server at {url} cannot answer for this index: {other}; point "
                                      f"QA_SERVER_URL at a server of this index, or leave out --server")
                typer.echo(f"note: not asking the server at {url}: {other}; answering in this process",
                           err=True)
                return None
            return client.ask(question, doc=doc, country=country, year=year)
        except ServerUnavailable as exc:  # none, not ready, or stopped since the health check
            if required:
                raise ServerError(f"no qa server answers at {url}: {exc}; start one with `qa serve`, "
                                  f"or leave out --server to answer in this process") from None
            return None


def ask_in_process(question: str, doc: str | None, country: str | None = None, year: int | None = None) -> Answer:
    from qa.assistant import Assistant
    from qa.config import Settings

    return Assistant(Settings()).load().ask(question, doc=doc, country=country, year=year)


def render(answer: Answer) -> str:
    """The terminal text: the answer, its numbered references, then the passages used."""
    from qa.api.render import passages_heading, preview
    from qa.cli.serve import format_answer

    lines = [format_answer(answer)]
    if answer.sources:
        lines.append("\n" + passages_heading(answer))
        for s in answer.sources:
            refs = ", ".join(str(r) for r in s.refs) or "-"
            # The API sends scores rounded to 4 places (Answer.to_json); rounding the same way
            # here keeps the text identical whether a server or this process answered.
            lines.append(f"  {s.anchor}  (score {round(s.score, 4):.2f}, refs {refs})")
            lines.append(f"    {preview(s.text, PASSAGE_PREVIEW_CHARS)}")
    return "\n".join(lines)



@app.command("ask")
@guarded
def ask(
    question: str = typer.Argument(..., metavar="QUESTION", help="The question, in quotes."),
    doc: str | None = typer.Option(None, "--doc", help="Answer from this document only."),
    country: str | None = typer.Option(None, "--country", help="Answer from reports about this country only."),
    year: int | None = typer.Option(None, "--year", min=1900, max=2100,
                                      help="Answer from this edition (reporting year) only."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer object as JSON."),
    local: bool = typer.Option(False, "--local",
                               help="Answer in this process even when a server is running."),
    server: bool = typer.Option(False, "--server",
                                help="Only ask the running server; fail when none answers."),
) -> None:
    """Answer QUESTION from the indexed reports, citing the reports' own reference numbers.

    A running `qa serve` answers when one is ready (QA_SERVER_URL, else QA_HOST:QA_PORT).

    Otherwise, or with --local, the question is answered in this process (several seconds to load).
    """
    question = check_question(question)
    if local and server:
        raise fail("--local and --server exclude each other", 2)
    from qa.cli.stale import warn_if_stale
    from qa.config import Settings

    warn_if_stale(Settings())
    answer = None if local else ask_server(question, doc, country, year, required=server)
    if answer is None:
        answer = ask_in_process(question, doc, country, year)
    if as_json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render(answer))
