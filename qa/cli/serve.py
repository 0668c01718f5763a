"""``qa serve`` (the HTTP API and web page) and ``qa chat`` (an interactive terminal chat)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import typer

from qa.cli import app, guarded

CHAT_HELP = "Type a question; follow-ups use the conversation. /new starts over, /quit leaves."
MAX_HISTORY = 20  # earlier user turns kept for resolving follow-ups


@app.command("serve")
@guarded
def serve(
    host: str = typer.Option(None, "--host", help="Interface to bind (default: QA_HOST or 127.0.0.1)."),
    port: int = typer.Option(None, "--port", min=1, max=65535, help="Port (default: QA_PORT or 8000)."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Server processes sharing the port, each over the same read-only index."),
) -> None:
    """Serve the HTTP API, the OpenAI-compatible endpoint and the web chat page.

    The model and index load in the background; GET /healthz answers 503 until they are ready.
    With --workers N, N processes accept on the one port; each loads the index (memory-mapped
    where FAISS and numpy allow, so the pages are shared) and its own copy of the encoder.
    """
    # Before numpy and FAISS load: the server runs requests side by side, so per-call OpenMP/BLAS
    # thread teams would only fight over the same cores (and spin while they wait).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    import uvicorn

    from qa.cli.stale import warn_if_stale
    from qa.config import Settings

    settings = Settings()
    host = host or settings.host
    port = port or settings.port
    check_port_free(host, port)
    warn_if_stale(settings)
    typer.echo(f"qa: serving on http://{host}:{port}/  (API docs at /docs)"
               + (f" with {workers} workers" if workers > 1 else ""), err=True)
    if workers == 1:
        from qa.api.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
        return
    # Workers are separate processes: they build their app from the import string and read their
    # settings from the same QA_ environment. The cores are shared out between their encoders.
    os.environ.setdefault("QA_ENCODER_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    run_workers(host, port, workers, log_level)


def run_workers(host: str, port: int, workers: int, log_level: str) -> None:
    """``uvicorn.run`` with ``workers``, except for the listening socket's protocol number.

    uvicorn binds the socket it hands to its workers with protocol 0; the connections accepted
    from it inherit that, and asyncio then skips TCP_NODELAY (it checks for IPPROTO_TCP), so every
    response waited ~40 ms for a delayed ACK (measured: /healthz 44 ms with 2 workers, 3 ms with one).
    """
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("qa.api.app:create_app", factory=True, host=host, port=port, log_level=log_level,
                            workers=workers)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    sock.bind((host, port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


def check_port_free(host: str, port: int) -> None:
    """:class:`~qa.errors.InvalidInput` now, in one line, when ``host:port`` cannot be bound;
    uvicorn would otherwise log the failure among its start-up lines."""
    import socket

    from qa.errors import InvalidInput

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server "
                               f"running? choose another --port)") from None


def format_answer(answer: Any) -> str:
    """The terminal rendering: the answer with its [n] markers, then the numbered references."""
    from qa.api.render import sources_block

    lines = []
    if answer.abstained and "language" not in answer.extra:  # a question in another language says so itself
        lines.append("(No supported answer: the reports do not clearly answer this.)")
    lines.append(answer.answer)
    block = sources_block(answer)
    if block:
        lines += ["", block]
    return "\n".join(lines)


def run_chat(assistant: Any, read: Callable[[str], str], write: Callable[[str], None],
             doc: str | None = None, country: str | None = None, year: int | None = None) -> int:
    """The chat loop, separated from the terminal so tests can drive it. Returns the number of
    questions answered. Library errors are printed as one line and the chat goes on. ``doc``,
    ``country`` and ``year`` restrict every question, as ``qa ask``'s options do."""
    from qa.errors import QAError

    history: list[str] = []
    answered = 0
    write(CHAT_HELP)
    while True:
        try:
            line = read("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            write("")
            return answered
        text = line.strip()
        if not text:
            continue
        if text.lower() in ("/quit", "/exit", "/q"):
            return answered
        if text.lower() == "/new":
            history.clear()
            write("(new conversation)")
            continue
        if text.lower() in ("/help", "/?"):
            write(CHAT_HELP)
            continue
        if re.fullmatch(r"/\w+", text):  # "/unknown" was answered as a question (an "Unknown" table cell)
            write(f"unknown command {text}. {CHAT_HELP}")
            continue
        try:
            answer = assistant.ask(text, history=history[-MAX_HISTORY:], doc=doc, country=country, year=year)
        except QAError as exc:
            write(f"error: {exc.message}")
            continue
        write("\n" + format_answer(answer))
        history.append(text)
        answered += 1


@app.command("chat")
@guarded
def chat(doc: str = typer.Option(None, "--doc", help="Only answer from this document id."),
         country: str | None = typer.Option(None, "--country", help="Answer from reports about this country only."),
         year: int | None = typer.Option(None, "--year", min=1900, max=2100,
                                      help="Answer from this edition (reporting year) only."),
         ) -> None:
    """Chat with the assistant in the terminal (follow-ups work; /quit to leave)."""
    from qa.assistant import Assistant
    from qa.config import Settings

    try:
        import readline  # noqa: F401  - line editing and history for input()
    except ImportError:  # not on every platform
        pass
    from qa.cli.stale import warn_if_stale

    settings = Settings()
    warn_if_stale(settings)
    typer.echo("Loading the model and index…", err=True)
    assistant = Assistant(settings).load()
    if doc is not None:
        assistant.document(doc)  # an unknown id fails now, not at the first question
    if country is not None or year is not None:
        assistant.scope("", country=country, year=year)  # an unknown country fails now too
    run_chat(assistant, input, typer.echo, doc=doc, country=country, year=year)
