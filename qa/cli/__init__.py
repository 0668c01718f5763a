"""The ``qa`` command line. Each concern registers its commands from its own module.

Heavy imports (torch, sentence-transformers, faiss) happen inside commands, never at import
time, so ``qa --help`` and ``qa refs`` stay fast.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import typer
import typer.core



class _OneLineUsageErrors(typer.core.TyperGroup):
    """A mistyped command line (``--year abc``, an unknown option, a missing question) is one
    ``error:`` line and exit code 2, like every other error here; Typer drew a six-line box with the
    usage. A command run without arguments still shows its help."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _one_line_usage_error():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _one_line_usage_error():  # the subcommands' arguments are parsed in here
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_line_usage_error() -> Iterator[None]:
    from typer._click.exceptions import UsageError  # Typer ships its own copy of click

    try:
        yield
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        raise fail(" ".join(exc.format_message().split()) + where, exc.exit_code) from None


# Docstrings are wrapped at ~100 columns: read as Markdown, their lines are joined into paragraphs and
# re-wrapped to the terminal (as plain rich text they broke at both widths, and ``code`` kept its quotes)
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="markdown", cls=_OneLineUsageErrors,
                  help="Question answering over child-labour reports, citing the reports' own references.")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one readable line to stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def quiet_pdf_reader() -> None:
    """Silence the PDF reader's warnings: a malformed file is reported once, as its failure line."""
    import logging

    for name in ("pdfminer", "pdfplumber", "pypdf"):
        logging.getLogger(name).setLevel(logging.ERROR)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one readable line and exit code 2 (1 is left for 'not found')."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pydantic import ValidationError

        from qa.errors import DocumentNotFound, QAError, ReferenceNotFound

        try:
            return func(*args, **kwargs)
        except (DocumentNotFound, ReferenceNotFound) as exc:
            raise fail(exc.message, 1) from None
        except QAError as exc:
            raise fail(exc.message, 2) from None
        except ValidationError as exc:
            if exc.title != "Settings":
                raise
            raise fail(settings_error(exc), 2) from None

    return wrapper


def settings_error(exc: Any) -> str:
    """A ``QA_`` variable the settings refuse, in one line: "invalid setting QA_TOP_K='abc': ..."."""
    problems = [f"QA_{'_'.join(str(p) for p in e['loc']).upper()}={e.get('input')!r}: {e['msg']}"
                for e in exc.errors()]
    return "invalid setting " + "; ".join(problems) + " (fix or unset the environment variable)"


def _register() -> None:
    import importlib

    for name in ("docs", "index", "ask", "eval", "serve", "mcp"):
        try:
            importlib.import_module(f"qa.cli.{name}")
        except ModuleNotFoundError as exc:  # a concern not built yet
            if exc.name != f"qa.cli.{name}":
                raise


def main() -> None:
    _register()
    app()
