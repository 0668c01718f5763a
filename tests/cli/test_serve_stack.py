"""``qa serve`` runs uvicorn on its C event loop and HTTP parser (uvloop, httptools).

uvicorn chooses them by itself when they are installed ("auto") and falls back to asyncio and h11
without a word; the fallback costs ~3 ms of server CPU a request (README, "Serving many users"), so
a missing dependency should fail here rather than show up as a slower bench.
"""

from __future__ import annotations

import sys

import pytest
from uvicorn.config import Config


async def _app(scope, receive, send) -> None:  # pragma: no cover - never called
    pass


def test_http_parser_is_httptools() -> None:
    config = Config(_app)
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not installed on Windows")
def test_event_loop_is_uvloop() -> None:
    factory = Config(_app).get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
