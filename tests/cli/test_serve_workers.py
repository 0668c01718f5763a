"""``qa serve --workers N``: N uvicorn processes built from the app factory's import string, each
answering over the same read-only index folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qa.cli import _register, app
from qa.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from api_support import free_port  # noqa: E402

_register()


def test_workers_run_the_app_factory_by_import_string(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import uvicorn.supervisors

    started: list[Any] = []

    class Supervisor:
        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            started.append((config, sockets))

        def run(self) -> None:
            return None

    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    monkeypatch.delenv("QA_ENCODER_THREADS", raising=False)
    port = free_port()
    result = CliRunner().invoke(app, ["serve", "--port", str(port), "--workers", "2"])
    assert result.exit_code == 0, result.output
    config, sockets = started[0]
    assert (config.app, config.factory, config.workers) == ("qa.api.app:create_app", True, 2)
    # the protocol number matters: asyncio only sets TCP_NODELAY on connections accepted from a
    # socket that says IPPROTO_TCP (with uvicorn's own socket every response waited for an ACK)
    assert sockets[0].proto == socket.IPPROTO_TCP and sockets[0].getsockname()[1] == port
    sockets[0].close()
    assert os.environ["QA_ENCODER_THREADS"] == str(max(1, (os.cpu_count() or 1) // 2))
    monkeypatch.delenv("QA_ENCODER_THREADS")  # set by the command for its workers, not for later tests


def test_zero_workers_is_refused(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_two_workers_answer_over_one_index_without_writing_to_it(settings: Settings, tiny_corpus: Path) -> None:
    import psutil

    assert CliRunner().invoke(app, ["index", "build"]).exit_code == 0
    before = _folder_digest(settings.index_path)
    port = free_port()
    qa = Path(sys.executable).with_name("qa")
    server = subprocess.Popen([str(qa), "serve", "--port", str(port), "--workers", "2", "--log-level", "warning"],
                              env=dict(os.environ), start_new_session=True)
    try:
        base, ok, deadline = f"http://127.0.0.1:{port}", 0, time.monotonic() + 120
        while ok < 10 and time.monotonic() < deadline:  # ten 200s in a row: both workers are ready
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    ok = ok + 1 if response.status == 200 else 0
            except OSError:
                ok = 0
                time.sleep(0.2)
        assert ok == 10, "the workers did not become ready"
        workers = [p for p in psutil.Process(server.pid).children(recursive=True)
                   if "multiprocessing.resource_tracker" not in " ".join(p.cmdline())]
        assert len(workers) == 2
        request = urllib.request.Request(f"{base}/ask", data=json.dumps({"question": "Who chairs the CNLTE?"}).encode(),
                                         headers={"Content-Type": "application/json"})
        # ten ready /healthz in a row may all have come from the worker that loaded first: the other
        # may still answer 503 "loading" for a moment, so a 503 resets the count until six 200s in a row
        answered, deadline = 0, time.monotonic() + 120
        while answered < 6 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    assert response.status == 200 and "answer" in json.loads(response.read())
                    answered += 1
            except urllib.error.HTTPError as exc:
                assert exc.code == 503, f"/ask answered {exc.code}"
                answered = 0
                time.sleep(0.2)
        assert answered == 6, "the workers did not answer"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the session started for it, nothing else
        server.wait(30)
    assert _folder_digest(settings.index_path) == before
