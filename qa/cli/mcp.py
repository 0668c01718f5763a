"""``qa mcp``: serve the assistant over the Model Context Protocol on stdio, for agent clients.

The server itself is in :mod:`qa.cli.mcp_server`, imported only when the command runs (the SDK
takes seconds to import, and ``qa --help`` stays fast).
"""

from __future__ import annotations

import logging

import typer

from qa.cli import app, fail, guarded

LOG_LEVELS = ("debug", "info", "warning", "error")


@app.command("mcp")
@guarded
def mcp(log_level: str = typer.Option("warning", "--log-level",
                                     help="debug, info, warning or error (the log goes to stderr).")) -> None:
    """Serve the assistant over the Model Context Protocol on stdio (for agent clients).

    Tools: ask, search, get_reference, list_documents. Configure your MCP client to run `qa mcp`.
    """
    import sys

    from qa.assistant import Assistant
    from qa.cli import quiet_pdf_reader
    from qa.cli.mcp_server import build_server
    from qa.cli.stale import warn_if_stale
    from qa.config import Settings

    if log_level.lower() not in LOG_LEVELS:
        raise fail(f"--log-level must be one of {', '.join(LOG_LEVELS)}", 2)
    # before the SDK's own basicConfig, so every record goes to stderr in one plain format
    logging.basicConfig(stream=sys.stderr, level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    quiet_pdf_reader()
    settings = Settings()
    warn_if_stale(settings)
    typer.echo(f"qa mcp: serving on stdio (index {settings.index_path})", err=True)
    build_server(Assistant(settings)).run("stdio")
