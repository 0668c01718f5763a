"""``qa chat`` (the loop, driven with a fake assistant) and ``qa serve`` argument checks."""

from __future__ import annotations

from collections.abc import Iterator

from api_support import ENTRY_4, INSPECTORS_TEXT, FakeAssistant
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.cli.serve import run_chat


def scripted(lines: list[str]) -> tuple[Iterator[str], list[str]]:
    prompts: list[str] = []
    feed = iter(lines)

    def read(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    return read, prompts  # type: ignore[return-value]


def run(lines: list[str], fake: FakeAssistant | None = None) -> tuple[str, int, FakeAssistant]:
    fake = fake or FakeAssistant()
    out: list[str] = []
    read, _ = scripted(lines)
    answered = run_chat(fake, read, out.append)  # type: ignore[arg-type]
    return "\n".join(out), answered, fake


def test_chat_answers_with_numbered_references_and_follow_ups() -> None:
    output, answered, fake = run(["How many labor inspectors?", "", "and in 2018?", "/quit", "never asked"])
    assert answered == 2
    assert INSPECTORS_TEXT in output
    assert f"Sources:\n[4] {ENTRY_4}\n[68] " in output
    assert [c["history"] for c in fake.calls] == [[], ["How many labor inspectors?"]]
    assert all(c["question"] != "never asked" for c in fake.calls)


def test_chat_new_resets_history_and_errors_do_not_end_the_chat() -> None:
    output, answered, fake = run(["first?", "/new", "x" * 2001, "second?"])  # then end of input
    assert answered == 2
    assert "(new conversation)" in output
    assert "error: the question is longer than 2000 characters" in output
    assert fake.calls[-1]["history"] == []


def test_chat_shows_abstention() -> None:
    output, _, _ = run(["Any unicorns?", "/exit"])
    assert "No supported answer" in output and "Sources:" not in output


def test_serve_rejects_a_bad_port() -> None:
    _register()
    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_chat_passes_the_country_and_year_filters_like_ask() -> None:
    fake = FakeAssistant()
    read, _ = scripted(["How many labor inspectors?", "And in 2018?"])
    run_chat(fake, read, lambda _: None, country="Mali", year=2019)  # type: ignore[arg-type]
    assert [(c["country"], c["year"]) for c in fake.calls] == [("Mali", 2019), ("Mali", 2019)]
    help_text = CliRunner().invoke(app, ["chat", "--help"]).stdout
    assert "--country" in help_text and "--year" in help_text


def test_a_year_outside_the_api_range_is_refused_by_every_command() -> None:
    for command in (["ask", "q?", "--local"], ["chat"], ["search", "q"]):
        result = CliRunner().invoke(app, [*command, "--year", "1800"])
        assert result.exit_code == 2, (command, result.output)
        assert "--year" in result.output and "1900" in result.output


def test_an_unknown_command_is_not_asked() -> None:
    # "/unknown" was answered as a question, with a table's "Unknown in 2018" cell
    output, answered, fake = run(["/unknown", "/HELP", "Who?", "/Quit"])
    assert answered == 1 and [c["question"] for c in fake.calls] == ["Who?"]
    assert "unknown command /unknown. Type a question" in output
