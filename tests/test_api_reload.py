"""A running server follows a rebuilt index folder (qa/api/reload.py), without waiting requests."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from qa.api.app import create_app
from qa.config import Settings
from tests.api_support import FakeAssistant


def _rebuild(manifest: Path, text: str) -> None:
    """What a build does: a new manifest file renamed into place (a new inode)."""
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, manifest)


def _wait_for(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _app(tmp_path: Path, made: list[FakeAssistant], interval: float = 0.01):  # type: ignore[no-untyped-def]
    settings = Settings(index_dir=tmp_path, index_name="live", index_reload_seconds=interval,
                        api_key=None, cors_origins=[])
    manifest = settings.index_path / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("v1")

    def factory() -> FakeAssistant:
        made.append(FakeAssistant())
        return made[-1]

    return create_app(settings, assistant=factory(), assistant_factory=factory), manifest


def test_a_rebuilt_index_is_loaded_in_the_background_and_served(tmp_path: Path) -> None:
    made: list[FakeAssistant] = []
    app, manifest = _app(tmp_path, made)
    with TestClient(app) as client:
        assert _wait_for(lambda: client.get("/healthz").status_code == 200)
        assert client.get("/documents").status_code == 200
        assert len(made) == 1, "an unchanged folder is not reloaded"
        _rebuild(manifest, "v2")
        time.sleep(0.05)
        assert client.get("/documents").status_code == 200  # the old assistant answers meanwhile
        assert _wait_for(lambda: app.state.holder.assistant is made[-1] and len(made) == 2)
        for _ in range(3):
            client.get("/documents")
        time.sleep(0.05)
        assert len(made) == 2, "the new folder is loaded once"


def test_a_new_index_that_fails_to_load_leaves_the_old_one_serving(tmp_path: Path) -> None:
    made: list[FakeAssistant] = []
    app, manifest = _app(tmp_path, made)
    with TestClient(app) as client:
        assert _wait_for(lambda: client.get("/healthz").status_code == 200)
        first = app.state.holder.assistant
        app.state.holder.watcher.factory = lambda: FakeAssistant(load_error=RuntimeError("damaged"))
        _rebuild(manifest, "v2")
        client.get("/documents")
        assert _wait_for(lambda: not app.state.holder.watcher._reloading and app.state.holder.watcher.loaded
                         is not None and app.state.holder.watcher.loaded[0] == os.stat(manifest).st_ino)
        assert app.state.holder.assistant is first
        assert client.get("/documents").status_code == 200


def test_reload_off_with_zero_seconds(tmp_path: Path) -> None:
    made: list[FakeAssistant] = []
    app, manifest = _app(tmp_path, made, interval=0)
    with TestClient(app) as client:
        assert _wait_for(lambda: client.get("/healthz").status_code == 200)
        _rebuild(manifest, "v2")
        for _ in range(5):
            client.get("/documents")
            time.sleep(0.02)
        assert len(made) == 1
