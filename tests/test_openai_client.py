"""The official ``openai`` package, unchanged, against a live server on loopback.

The slow tests use the real pipeline and the question from the issue; the fast ones use the
fake assistant to check keys, errors and follow-ups through the same client.
"""

from __future__ import annotations

import openai
import pytest
from api_support import INSPECTORS_TEXT, MALI, FakeAssistant, live_server, real_server_url
from openai import OpenAI

from qa.api.app import create_app
from qa.config import Settings

QUESTION = "How many labor inspectors did Mali have in 2019?"


def client_for(base: str, key: str = "unused") -> OpenAI:
    return OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=120)


# -- the real pipeline -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> OpenAI:
    return client_for(real_server_url())


@pytest.mark.slow
def test_real_plain_completion_cites_reference_4(real: OpenAI) -> None:
    completion = real.chat.completions.create(model="qa", messages=[{"role": "user", "content": QUESTION}])
    content = completion.choices[0].message.content or ""
    assert "113" in content and "[4]" in content, content
    assert "\nSources:\n" in content and "\n[4] " in content
    assert completion.usage is not None and completion.usage.completion_tokens > 10
    qa_answer = completion.model_extra["qa_answer"]
    assert 4 in [c["ref"] for c in qa_answer["citations"]] and qa_answer["abstained"] is False
    # the documented extra field: the sources with what the answer quotes marked
    source = next(s for s in qa_answer["sources"] if s["highlights"])
    assert any("113" in source["text"][a:b] for a, b in source["highlights"]), source


@pytest.mark.slow
def test_real_streamed_completion_cites_reference_4(real: OpenAI) -> None:
    stream = real.chat.completions.create(model="qa", messages=[{"role": "user", "content": QUESTION}],
                                          stream=True)
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "113" in content and "[4]" in content, content
    assert len(chunks) > 3  # really streamed, not one blob
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "113" in chunks[-1].model_extra["qa_answer"]["answer"]


@pytest.mark.slow
def test_real_models_list(real: OpenAI) -> None:
    ids = [m.id for m in real.models.list()]
    assert ids[0] == "qa" and "qa/usdol-2019-mali" in ids


# -- the same client against the fake assistant ---------------------------------------------------
@pytest.fixture(scope="module")
def fake_server():
    fake = FakeAssistant()
    with live_server(create_app(Settings(api_key="k3y", cors_origins=[]), fake)) as base:
        yield base, fake


def test_api_key_through_the_openai_client(fake_server) -> None:
    base, _ = fake_server
    with pytest.raises(openai.AuthenticationError):
        client_for(base, "wrong").chat.completions.create(model="qa", messages=[{"role": "user", "content": "q?"}])
    completion = client_for(base, "k3y").chat.completions.create(
        model="qa", messages=[{"role": "user", "content": "q?"}])
    assert completion.choices[0].message.content.startswith(INSPECTORS_TEXT)


def test_follow_up_and_doc_through_the_openai_client(fake_server) -> None:
    base, fake = fake_server
    client = client_for(base, "k3y")
    messages = [{"role": "system", "content": "You answer from reports."},
                {"role": "user", "content": QUESTION},
                {"role": "assistant", "content": "113 [4]"},
                {"role": "user", "content": "And in 2018?"}]
    stream = client.chat.completions.create(model="qa", messages=messages, stream=True, extra_body={"doc": MALI})
    content = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert "[4]" in content
    assert fake.calls[-1]["question"] == "And in 2018?"
    assert fake.calls[-1]["history"] == [QUESTION] and fake.calls[-1]["doc"] == MALI


def test_errors_reach_the_openai_client_as_exceptions(fake_server) -> None:
    base, _ = fake_server
    client = client_for(base, "k3y")
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(model="qa/nope", messages=[{"role": "user", "content": "q?"}])
    assert "nope" in str(info.value)
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="qa", messages=[{"role": "assistant", "content": "hi"}])
