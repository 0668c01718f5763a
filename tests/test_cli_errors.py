"""A user's mistake or a broken environment is one line on stderr and a non-zero exit, never a
traceback. (Also covered elsewhere: an unknown document in test_cli_ask/test_cli_docs, a missing
corpus folder for `qa docs` and a corrupt PDF in test_cli_docs, a malformed golden line in
test_evaluate, a damaged index in test_index_integrity.)"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from api_support import free_port
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.config import Settings
from qa.index import atomic

_register()


def one_line_error(result, fragment: str, code: int = 2) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_build_with_a_missing_corpus_folder(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("QA_CORPUS_DIR", str(tmp_path / "nowhere"))
    one_line_error(CliRunner().invoke(app, ["index", "build"]), "does not exist")


def test_build_with_an_empty_corpus_folder(settings: Settings) -> None:
    one_line_error(CliRunner().invoke(app, ["index", "build"]), "no documents in the corpus folder")


def test_ask_without_an_index(settings: Settings, tiny_corpus: Path) -> None:
    one_line_error(CliRunner().invoke(app, ["ask", "--local", "Who chairs the CNLTE?"]), "run `qa index build`")


def test_build_while_another_build_holds_the_lock(settings: Settings, tiny_corpus: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_BUILD_LOCK_TIMEOUT", "0.1")
    with atomic.build_lock(settings.index_dir, settings.index_name, 0):
        result = CliRunner().invoke(app, ["index", "build"])
    one_line_error(result, "another `qa index build` is writing the index")


def test_ask_server_when_no_server_answers(settings: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(app, ["ask", "--server", "Who chairs the CNLTE?"], env={"QA_SERVER_URL": url})
    one_line_error(result, f"no qa server answers at {url}")


def test_local_and_server_together(settings: Settings) -> None:
    one_line_error(CliRunner().invoke(app, ["ask", "--local", "--server", "Who?"]), "exclude each other")


def test_serve_on_a_port_in_use(settings: Settings) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--host", "127.0.0.1", "--port", str(port)])
    one_line_error(result, f"cannot listen on 127.0.0.1:{port}")


def test_verify_without_an_index(settings: Settings) -> None:
    # it said "damaged: manifest.json is missing ... run `qa index build --force`" of an index never built
    result = CliRunner().invoke(app, ["index", "verify"])
    assert result.exit_code == 1 and not result.stdout
    assert result.stderr == f"error: no index at {settings.index_path}; run `qa index build` first\n"
    status = CliRunner().invoke(app, ["index", "status"])
    assert status.exit_code == 1
    assert status.stdout == f"no index at {settings.index_path}; run `qa index build` first\n"


@pytest.mark.parametrize(("variable", "value", "fragment"), [
    ("QA_TOP_K", "abc", "QA_TOP_K='abc': Input should be a valid integer"),
    ("QA_PORT", "99999", "QA_PORT='99999'"),
    ("QA_ANN", "bogus", "QA_ANN='bogus'"),
])
@pytest.mark.parametrize("command", [["ask", "--local", "q?"], ["docs"], ["index", "status"], ["serve"]])
def test_a_bad_setting_in_the_environment_is_one_line(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                      variable: str, value: str, fragment: str,
                                                      command: list[str]) -> None:
    monkeypatch.setenv(variable, value)
    one_line_error(CliRunner().invoke(app, command), fragment)


@pytest.mark.parametrize(("args", "fragment"), [
    (["ask", "q?", "--year", "abc"], "Invalid value for '--year'"),
    (["ask", "q?", "--top-k", "3"], "No such option: --top-k"),
    (["ask"], "Missing argument 'QUESTION'"),
    (["search", "q", "--k", "0"], "Invalid value for '--k'"),
    (["refs", "usdol-2019-mali", "abc"], "Invalid value for 'N'"),
    (["index", "frob"], "No such command 'frob'"),
    (["index", "build", "--bogus"], "No such option: --bogus"),
    (["frob"], "No such command 'frob'"),
])
def test_a_mistyped_command_line_is_one_line(args: list[str], fragment: str) -> None:
    # Typer drew a six-line box ("Usage: ...", "Try ...", a framed message) for these
    result = CliRunner().invoke(app, args, prog_name="qa")
    one_line_error(result, fragment)
    assert "--help" in result.stderr


def test_a_command_without_arguments_still_shows_its_help() -> None:
    for args in ([], ["index"]):
        result = CliRunner().invoke(app, args, prog_name="qa")
        assert "Usage: qa" in result.output and "error:" not in result.output
