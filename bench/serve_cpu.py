"""Where a served request's CPU goes (issue 11): per stage, in process, one thread.

    .venv/bin/python bench/serve_cpu.py [--requests 200] [--rounds 5]

Runs the request mix of bench/serve.py (/ask, a /chat follow-up, /search; distinct questions)
through the Assistant in this process with ONNX Runtime on one thread, and charges each stage the
CPU time of the thread that runs it (``time.thread_time``; minimum over ``--rounds`` rounds, as
other jobs share the machine):

* encoding: the model call on the question (the micro-batcher and the query cache excluded);
* retrieval: dense (FAISS, filters) + BM25 + fusion, without the encoding;
* answering: candidate units, scoring, policy, composition, without the encoding;
* highlights + JSON: ``answer_json`` and the response body;
* the rest of ``Assistant.ask``/``search``: scope, follow-up resolution, question analysis.

Then the question encoder alone by batch size (CPU per question: what micro-batching can save),
and the HTTP layer: server CPU of a ``qa serve`` process for a cached /ask (question already
encoded) less the in-process cost of the same call. Prints the figures; exits 0 (a benchmark).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["QA_ENCODER_THREADS"] = "1"  # ONNX Runtime in the calling thread: thread_time sees it
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import FOLLOW_UPS, QUESTIONS, free_port, wait_ready  # noqa: E402

STAGES = ("encoding", "retrieval", "answering", "highlights + JSON", "rest")


class Meter:
    """Thread CPU charged to the innermost stage running (nested stages are not double counted)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._stack: list[tuple[str, float]] = []

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            now = time.thread_time()
            if self._stack:  # pause the enclosing stage
                outer, since = self._stack[-1]
                self.spent[outer] += now - since
            self._stack.append((stage, now))
            try:
                return fn(*args, **kwargs)
            finally:
                end = time.thread_time()
                self.spent[stage] += end - self._stack.pop()[1]
                if self._stack:
                    self._stack[-1] = (self._stack[-1][0], end)
        return timed


def stage_breakdown(requests: int, rounds: int) -> dict[str, float]:
    from qa.api.passages import answer_json, json_body
    from qa.api.render import answer_content
    from qa.answer.question import analyse
    from qa.assistant import Assistant
    from qa.config import Settings

    assistant = Assistant(Settings()).load()
    meter = Meter()
    retriever, answerer = assistant._retriever, assistant._answerer  # noqa: SLF001 - a bench looks inside
    model = retriever.embedder.inner.inner  # QueryCache -> MicroBatcher -> the embedder
    model.encode = meter.wrap("encoding", model.encode)
    if hasattr(model, "encode_queries"):  # what the micro-batcher calls when the embedder has it
        model.encode_queries = meter.wrap("encoding", model.encode_queries)
    retriever.search = meter.wrap("retrieval", retriever.search)
    answerer.answer = meter.wrap("answering", answerer.answer)
    body = meter.wrap("highlights + JSON", lambda a: json_body(answer_json(a)))
    ask = meter.wrap("rest", assistant.ask)
    search = meter.wrap("rest", assistant.search)

    def one_round(offset: int) -> None:
        for i in range(requests):
            question = f"{QUESTIONS[i % len(QUESTIONS)]} (request {offset + i})"
            if i % 4 == 3:
                search(question, k=10)
            elif i % 4 == 2:
                answer = ask(FOLLOW_UPS[i % len(FOLLOW_UPS)], history=[question])
                answer_content(answer)
                body(answer)
            else:
                body(ask(question))

    one_round(0)  # warm-up
    best: dict[str, float] | None = None
    for r in range(rounds):
        analyse.cache_clear()
        meter.spent.clear()
        one_round((r + 1) * requests)
        spent = {s: meter.spent[s] * 1000 / requests for s in STAGES}
        if best is None or sum(spent.values()) < sum(best.values()):
            best = spent
    assert best is not None
    return best


def encoder_by_batch(rounds: int) -> dict[int, float]:
    from qa.config import Settings
    from qa.index.embed import make_embedder

    embedder = make_embedder(Settings())
    embedder.load()
    texts = [f"{QUESTIONS[i % len(QUESTIONS)]} (request {i})" for i in range(64)]
    out = {}
    for size in (1, 4, 8, 16, 32):
        best = float("inf")
        for _ in range(rounds):
            start = time.thread_time()
            for i in range(0, 64, size):
                embedder.encode(texts[i:i + size])
            best = min(best, (time.thread_time() - start) * 1000 / 64)
        out[size] = best
    return out


def http_layer(rounds: int) -> tuple[float, float]:
    """(server CPU per cached /ask over HTTP, in-process CPU of the same call), ms."""
    import serve  # bench/serve.py: the keep-alive client and the CPU sampler

    from qa.api.passages import answer_json, json_body
    from qa.assistant import Assistant
    from qa.config import Settings

    question = QUESTIONS[0]
    port = free_port()
    server = subprocess.Popen([serve.QA, "serve", "--port", str(port), "--log-level", "warning"],
                              env={**serve.ENV, "QA_ENCODER_THREADS": "1"}, start_new_session=True,
                              stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}", 600, server)

        async def asks(n: int) -> None:
            conn = serve.Connection("127.0.0.1", port)
            for _ in range(n):
                await conn.request("POST", "/ask", {"question": question})

        asyncio.run(asks(20))
        served = float("inf")
        for _ in range(rounds):
            cpu = serve.cpu_seconds(server.pid)
            asyncio.run(asks(100))
            served = min(served, (serve.cpu_seconds(server.pid) - cpu) * 10)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    assistant = Assistant(Settings()).load()
    json_body(answer_json(assistant.ask(question)))
    direct = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        for _ in range(100):
            json_body(answer_json(assistant.ask(question)))
        direct = min(direct, (time.thread_time() - start) * 10)
    return served, direct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores, shared with other jobs)")
    stages = stage_breakdown(args.requests, args.rounds)
    total = sum(stages.values())
    print("CPU per request of the mix (2 /ask : 1 /chat follow-up : 1 /search), one thread, in process:")
    for stage in STAGES:
        print(f"  {stage:<18} {stages[stage]:6.2f} ms  {stages[stage] / total:5.1%}")
    print(f"  {'total':<18} {total:6.2f} ms")
    print("question encoder alone, CPU per question by batch size (what micro-batching can save):")
    for size, ms in encoder_by_batch(args.rounds).items():
        print(f"  batch {size:>2}: {ms:5.2f} ms")
    served, direct = http_layer(args.rounds)
    print(f"cached /ask: {served:.2f} ms server CPU over HTTP, {direct:.2f} ms in process "
          f"-> HTTP layer {served - direct:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
