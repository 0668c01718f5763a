"""Fuzz the OpenAPI schema (schemathesis): valid and invalid inputs never produce a 5xx, and
every error is the documented JSON shape. Bounded (a few dozen examples per operation, no
shrinking, deterministic) and run against the fake assistant, so it takes seconds."""

from __future__ import annotations

import schemathesis
from api_support import FakeAssistant
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from qa.api.app import create_app
from qa.config import Settings

MAX_EXAMPLES = 25

app = create_app(Settings(api_key=None, cors_origins=[]), FakeAssistant())
config = SchemathesisConfig()
config.projects.default.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES,
    no_shrink=True, deterministic=True, database="none",
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


@schema.parametrize()
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        openai = {"type", "param"} if case.path.startswith("/v1/") else set()  # OpenAI's error fields too
        assert set(body["error"]) == {"code", "message"} | openai, response.text
        assert "Traceback" not in response.text
